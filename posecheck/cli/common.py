"""What the commands share: option types, the progress bar, and ending a session the same way every time.

Kept light: `posecheck --help` imports every command module, so nothing here
loads OpenCV, MediaPipe or NumPy.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable

from posecheck.errors import ExitStatus, NoPerson, PosecheckError, UsageError


def positive_int(text: str) -> int:
    """argparse type for counts such as --rounds and --reps."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def prepare(source: str | None, camera: str | None, outputs, lang: str | None) -> str:
    """What every command checks before any work: one input, outputs that can be written; returns the language."""
    from posecheck.report.files import check_writable
    from posecheck.report.texts import choose_language

    if source and camera is not None:
        raise UsageError("give either a video or --camera, not both")
    for path in outputs:
        check_writable(path)
    return choose_language(lang)


def progress(total: int, description: str, enabled: bool = True):
    """A progress bar on stderr; `update(n)` it as frames are done."""
    from tqdm import tqdm

    return tqdm(total=total or None, desc=description, unit="frame", disable=not enabled, file=sys.stderr, leave=False, dynamic_ncols=True)


def note(text: str) -> None:
    print(f"posecheck: note: {text}", file=sys.stderr)


def finish(report, outcome, json_path: str | None, log: Callable[[object], None] | None, camera_failed_line: str = "",
           nothing: str = "nothing was counted") -> ExitStatus:
    """Whatever ended a session: the summary, the JSON, the training log, then the exit status.

    A failure to write or log is reported but never costs the rest: the summary
    is printed and every other output written first.
    """
    if outcome.reason == "camera_failed" and camera_failed_line:
        print(f"posecheck: warning: {camera_failed_line}", file=sys.stderr)
    print(report.summary(), flush=True)
    data = report.to_json()
    error = outcome.error
    if json_path:
        from posecheck.report.files import write_json

        try:
            write_json(data, json_path)
        except PosecheckError as failed:
            print(f"posecheck: error: {failed}", file=sys.stderr)
            error = error or failed
    if log is not None and report.usable:
        try:
            log(report)
        except Exception as failed:  # noqa: BLE001 - the session is already printed and saved
            print(f"posecheck: warning: the session was not added to the training log ({failed})", file=sys.stderr)
    if error is not None:
        raise error
    if outcome.reason == "interrupted":
        return ExitStatus.INTERRUPTED
    if outcome.reason == "camera_failed":
        return ExitStatus.NO_CAMERA
    if not report.usable:
        raise NoPerson(f"{report.source}: no whole person (head to feet) was seen standing in view; {nothing}")
    return ExitStatus.OK
