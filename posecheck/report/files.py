"""Report files: JSON and CSV, checked before the work and written whole (a temporary name, then a rename)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import pathlib
from typing import Iterable, Sequence

from posecheck.errors import OutputUnwritable
from posecheck.media.atomic import write_bytes


def write_json(data: dict, path: str | pathlib.Path) -> None:
    # allow_nan=False: NaN and Infinity are not JSON; a measure that has no value is null.
    write_bytes(path, (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))


def write_csv(path: str | pathlib.Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    write_bytes(path, text.getvalue().encode("utf-8"))


def number(x: float | None, digits: int = 5) -> str:
    """A CSV cell: empty where there is no value."""
    return "" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def check_writable(path: str | pathlib.Path | None) -> None:
    """Fail before a long analysis, not after it, when an output cannot be written."""
    if path is None:
        return
    path = pathlib.Path(path)
    parent = path.parent if str(path.parent) else pathlib.Path(".")
    if not parent.is_dir():
        raise OutputUnwritable(f"{path}: the folder {parent} does not exist; create it or choose another path")
    if path.is_dir():
        raise OutputUnwritable(f"{path}: is a folder; give a file name")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputUnwritable(f"{path}: no permission to write there; choose another path")
