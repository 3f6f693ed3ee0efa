"""Files written whole: to a temporary name beside the target, then renamed over it.

An interruption never leaves half a file, and a file already there is not
touched until the new one is complete. Pure Python, so light commands can use it.
"""

from __future__ import annotations

import os
import pathlib

from posecheck.errors import OutputUnwritable


def temporary_beside(path: pathlib.Path) -> pathlib.Path:
    return path.with_name(f".{path.stem}.part{os.getpid()}{path.suffix}")


def write_bytes(path: str | pathlib.Path, data: bytes) -> None:
    """A whole file at once, via a temporary name beside it."""
    path = pathlib.Path(path)
    partial = temporary_beside(path)
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise OutputUnwritable(f"{path}: cannot write ({error.strerror}); choose another path") from None
