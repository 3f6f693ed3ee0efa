"""What the commands share: checks before the work, the progress bar, and ending a session the same way every time."""

from __future__ import annotations

import pathlib
import sys
from typing import Callable, Iterable, Mapping

from tqdm import tqdm

from posecheck.errors import ExitStatus, InputNotFound, InputUnreadable, NoPerson, PosecheckError, UsageError, unexpected
from posecheck.log.store import default_log_path
from posecheck.media.frames import IMAGE_SUFFIXES, VideoFile
from posecheck.pose import extract
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.report.files import check_outputs, write_json
from posecheck.report.texts import choose_language, tr
from posecheck.session.loop import Outcome


def prepare(source: str | None, camera: str | None, outputs: Mapping[str, object], lang: str | None,
            model: str | None = None, pictures: bool = False) -> str:
    """What every command checks before any work: one input that is there, outputs (option -> path) that can be
    written and are neither an input nor each other; returns the language."""
    lang = choose_language(lang)
    if source and camera is not None:
        raise UsageError(tr(lang, "check.both_sources"))
    if source:
        check_input(source, pictures)
    camera_file = camera is not None and check_camera(camera)
    check_outputs(outputs, inputs=(source, model, camera if camera_file else None, default_log_path()))
    return lang


def check_input(path: str | pathlib.Path, pictures: bool = False) -> None:
    path = pathlib.Path(path)
    if path.is_dir():
        raise InputUnreadable(f"{path}: is a folder; give a video file")
    if not path.exists():
        raise InputNotFound(f"{path}: no such file; check the path")
    if not pictures and path.suffix.lower() in IMAGE_SUFFIXES:
        raise InputUnreadable(f"{path}: is a still picture, and this needs a video (or a .npz landmark file); "
                              f"for the barefoot check of a picture use: posecheck check {path}")


def check_camera(spec: str) -> bool:
    """--camera N and URLs are for the camera to judge; a file that is not there is a missing input. Whether it is a file."""
    text = str(spec).strip()
    if text.isdigit() or "://" in text:
        return False
    if pathlib.Path(text).is_dir():
        raise InputUnreadable(f"--camera {text}: is a folder; give a camera number, a URL or a video file")
    if not pathlib.Path(text).exists():
        raise InputNotFound(f"--camera {text}: no such file; check the path, or give a camera number (0, 1, ...) or a URL")
    return True


def progress(total: int, description: str, enabled: bool = True):
    """A progress bar on stderr; `update(n)` it as frames are done."""
    return tqdm(total=total or None, desc=description, unit="frame", disable=not enabled, file=sys.stderr, leave=False, dynamic_ncols=True)


def say(text: str, stream=None) -> None:
    """A line for the user; a terminal that has gone (SIGHUP) must not cost the files still to be written."""
    try:
        print(text, file=stream or sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def note(text: str) -> None:
    say(f"posecheck: note: {text}")


def write_outputs(writers: Iterable[Callable[[], None]]) -> PosecheckError | None:
    """Run every writer; one that fails is one line on stderr and does not stop the others. The first failure."""
    first = None
    for write in writers:
        try:
            write()
        except PosecheckError as failed:
            say(f"posecheck: error: {failed}")
            failed.reported = True
            first = first or failed
    return first


def ended_status(reason: str) -> ExitStatus | None:
    """The exit status of a session that ended early: Ctrl-C (or a signal) and a lost camera have their own."""
    return {"interrupted": ExitStatus.INTERRUPTED, "camera_failed": ExitStatus.NO_CAMERA}.get(reason)


def finish(report, outcome: Outcome, json_path: str | None, log: Callable[[object], None] | None, camera_failed_line: str = "",
           nothing: str = "nothing was counted", also: Iterable[Callable[[], None]] = (), cut_short: bool = False,
           lang: str = "en") -> ExitStatus:
    """Whatever ended a session: the summary, the JSON and the other outputs (`also`), the training log, the exit status.

    A failure to write or log is reported but never costs the rest: the summary
    is printed and every other output written first. `cut_short`: the input
    itself was cut short by Ctrl-C (an offline analysis), so the session ends
    as interrupted however its replay ended.
    """
    if cut_short and outcome.reason in ("ended", "done"):
        outcome = Outcome("interrupted", reached_s=outcome.reached_s)
    if outcome.reason == "camera_failed" and camera_failed_line:
        say(f"posecheck: warning: {camera_failed_line}")
    say(report.summary(lang), sys.stdout)
    data = report.to_json()
    if outcome.reason == "interrupted":
        reached = outcome.reached_s if outcome.reached_s is not None else report.duration_s
        data.update(interrupted=True, reached_s=round(reached, 2))
        say(f"posecheck: {tr(lang, 'line.interrupted', reached=f'{reached:.1f}')}")
    writers = list(also) + ([lambda: write_json(data, json_path)] if json_path else [])
    failed = write_outputs(writers)
    error = outcome.error or failed
    if error is not None and not isinstance(error, PosecheckError):  # a bug, after the count so far is out
        error = PosecheckError(f"the analysis stopped at {outcome.reached_s or 0:.1f} s: {unexpected(error)}")
    if log is not None and report.usable:
        try:
            log(report)
        except Exception as failed:  # noqa: BLE001 - the session is already printed and saved
            say(f"posecheck: warning: the session was not added to the training log ({failed})")
    if error is not None:
        raise error
    ended = ended_status(outcome.reason)
    if ended is not None:
        return ended
    if not report.usable:
        raise NoPerson(f"{report.source}: no whole person (head to feet) was seen standing in view; {nothing}")
    return ExitStatus.OK


def extract_landmarks(path: str | pathlib.Path, model: str | None = None, show_progress: bool = True, workers: int | None = None) -> LandmarkSeries:
    """The pose in every frame of a video (see `posecheck.pose.extract`), with a progress bar on stderr.

    Ctrl-C stops the analysis: the frames up to then come back, marked `interrupted`.
    """
    with VideoFile(path) as video:  # a missing or unreadable file says so before any bar is drawn
        total = video.frame_count
    with progress(total, "analysing", show_progress) as bar:

        def update(done: int, total: int) -> None:  # back to 0 when the analysis starts over
            if done < bar.n or bar.total != (total or None):
                bar.reset(total=total or None)
            bar.update(done - bar.n)

        try:
            series = extract.extract_landmarks(path, model, workers, on_progress=update)
        except extract.Interrupted as stopped:
            return stopped.series
        bar.total = bar.n  # a container that announced a frame more than it has ends at n/n, not n/n+1
        bar.refresh()
        return series


def load_or_extract(path: str | pathlib.Path, model: str | None = None, show_progress: bool = True, workers: int | None = None) -> LandmarkSeries:
    """A saved landmark series (.npz) replays without the model; anything else is a video."""
    if pathlib.Path(path).suffix.lower() == ".npz":
        return LandmarkSeries.load(path)
    return extract_landmarks(path, model, show_progress, workers)
