"""Report files: JSON and CSV, checked before the work and written whole (a temporary name, then a rename)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import os
import pathlib
from typing import Iterable, Mapping, Sequence

from posecheck.errors import OutputUnwritable
from posecheck.media.atomic import write_bytes, written_in_place

# What each kind of output can be written as (the others take any name).
OUTPUT_SUFFIXES = {
    "--annotated": (".mp4", ".mkv", ".avi"),
    "--image": (".png", ".jpg", ".jpeg"),
    "--save-landmarks": (".npz",),
    "--plot": (".png", ".pdf", ".svg"),
}


def finite(data):
    """The data with every NaN or infinity as None: they are not JSON, and a measure without a value is null."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, Mapping):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(value) for value in data]
    return data


def json_text(data) -> str:
    return json.dumps(finite(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(data: dict, path: str | pathlib.Path) -> None:
    write_bytes(path, json_text(data).encode("utf-8"))


def write_csv(path: str | pathlib.Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    write_bytes(path, text.getvalue().encode("utf-8"))


def number(x: float | None, digits: int = 5) -> str:
    """A CSV cell: empty where there is no value."""
    return "" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def check_writable(path: str | pathlib.Path | None) -> None:
    """Fail before a long analysis, not after it, when an output cannot be written."""
    if path is None:
        return
    path = pathlib.Path(path)
    parent = path.parent if str(path.parent) else pathlib.Path(".")
    if not parent.is_dir():
        raise OutputUnwritable(f"{path}: cannot write, the folder {parent} does not exist; create it or choose another path")
    if path.is_dir():
        raise OutputUnwritable(f"{path}: cannot write, it is a folder; give a file name")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputUnwritable(f"{path}: cannot write, no permission; choose another path")


def is_stream(path: pathlib.Path) -> bool:
    """A device or a pipe (/dev/stdout, /dev/null): written into, never replaced, so never an input destroyed."""
    try:
        return written_in_place(path) and not path.is_dir()
    except OSError:
        return False


def same_file(a: str | pathlib.Path, b: str | pathlib.Path) -> bool:
    """The same file: the same path once links are resolved, or the same inode (a hard link)."""
    a, b = pathlib.Path(a), pathlib.Path(b)
    try:
        return a.resolve() == b.resolve() or (a.is_file() and b.is_file() and os.path.samefile(a, b))
    except (OSError, RuntimeError):  # a link loop, a path the system cannot resolve
        return False


def check_outputs(outputs: Mapping[str, object], inputs: Iterable[object] = ()) -> None:
    """Before any work: every output (option -> path, or None) can be written, has a name its format
    allows, is none of the inputs, and no two outputs are the same file."""
    given = [(option, pathlib.Path(path)) for option, path in outputs.items() if path]
    inputs = [pathlib.Path(path) for path in inputs if path]
    for option, path in given:
        suffixes = OUTPUT_SUFFIXES.get(option)
        if suffixes and path.suffix.lower() not in suffixes:
            raise OutputUnwritable(f"{option} {path}: give a name ending in {' or '.join(suffixes)}")
        if is_stream(path):
            continue
        for source in inputs:
            if same_file(path, source):
                raise OutputUnwritable(f"{option} {path}: that is the input {source}; "
                                       "posecheck never writes over its input, choose another name")
        check_writable(path)
    for (first, a), (second, b) in itertools.combinations(given, 2):
        if not is_stream(a) and same_file(a, b):
            raise OutputUnwritable(f"{second} {b}: is also the {first} output; give each output its own name")
