"""Files written whole: to a temporary name beside the target, then renamed over it.

An interruption never leaves half a file, and a file already there is not
touched until the new one is complete. A device or a pipe (/dev/stdout) is
written into, never replaced. Pure Python, so light commands can use it.
"""

from __future__ import annotations

import os
import pathlib
import stat

from posecheck.errors import OutputUnwritable


def temporary_beside(path: pathlib.Path) -> pathlib.Path:
    return path.with_name(f".{path.stem}.part{os.getpid()}{path.suffix}")


def unwritable(path: pathlib.Path, error: OSError) -> OutputUnwritable:
    return OutputUnwritable(f"{path}: cannot write ({error.strerror or error}); choose another path")


def written_in_place(path: pathlib.Path) -> bool:
    """A device, a pipe, or a name like /dev/stdout: written into, since renaming over it would replace
    the device or the link itself."""
    if os.path.abspath(path).startswith(("/dev/", "/proc/")):
        return True
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        return False


def write_bytes(path: str | pathlib.Path, data: bytes) -> None:
    """A whole file at once, via a temporary name beside it (nothing is left behind if that fails or is interrupted).

    A symbolic link stays a link: the file it points to is the one replaced.
    """
    path = pathlib.Path(path)
    try:
        if written_in_place(path):
            with open(path, "ab") as stream:  # appended: /dev/stdout redirected to a file keeps what was printed
                stream.write(data)
            return
        path = path.resolve()
    except OSError as error:
        raise unwritable(path, error) from None
    partial = temporary_beside(path)
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise unwritable(path, error) from None
    except BaseException:  # Ctrl-C part-way: no half file
        partial.unlink(missing_ok=True)
        raise


def replace(partial: pathlib.Path, path: pathlib.Path) -> None:
    """Put a file written under a temporary name (beside `path`'s target) in place; never over a device or a pipe."""
    try:
        if written_in_place(path):
            raise OSError(0, "not a regular file")
        os.replace(partial, pathlib.Path(path).resolve())
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise unwritable(path, error) from None
