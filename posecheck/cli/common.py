"""What the commands share: checks before the work, the progress bar, and ending a session the same way every time."""

from __future__ import annotations

import pathlib
import sys
from typing import Callable

from tqdm import tqdm

from posecheck.errors import ExitStatus, NoPerson, PosecheckError, UsageError
from posecheck.media.frames import VideoFile
from posecheck.pose import extract
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.report.files import check_writable, write_json
from posecheck.report.texts import choose_language


def prepare(source: str | None, camera: str | None, outputs, lang: str | None) -> str:
    """What every command checks before any work: one input, outputs that can be written; returns the language."""
    if source and camera is not None:
        raise UsageError("give either a video or --camera, not both")
    for path in outputs:
        check_writable(path)
    return choose_language(lang)


def progress(total: int, description: str, enabled: bool = True):
    """A progress bar on stderr; `update(n)` it as frames are done."""
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


def extract_landmarks(path: str | pathlib.Path, model: str | None = None, show_progress: bool = True, workers: int | None = None) -> LandmarkSeries:
    """The pose in every frame of a video (see `posecheck.pose.extract`), with a progress bar on stderr."""
    with VideoFile(path) as video:  # a missing or unreadable file says so before any bar is drawn
        total = video.frame_count
    with progress(total, "analysing", show_progress) as bar:

        def update(done: int, total: int) -> None:  # back to 0 when the analysis starts over
            if done < bar.n or bar.total != (total or None):
                bar.reset(total=total or None)
            bar.update(done - bar.n)

        return extract.extract_landmarks(path, model, workers, on_progress=update)


def load_or_extract(path: str | pathlib.Path, model: str | None = None, show_progress: bool = True, workers: int | None = None) -> LandmarkSeries:
    """A saved landmark series (.npz) replays without the model; anything else is a video."""
    if pathlib.Path(path).suffix.lower() == ".npz":
        return extract.load_or_extract(path)
    return extract_landmarks(path, model, show_progress, workers)
