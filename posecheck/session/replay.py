"""Offline analysis of a recorded video: landmarks first, then the same counting code as live mode."""

from __future__ import annotations

import pathlib
import sys

from posecheck.pose.landmarks import LandmarkSeries
from posecheck.detect.rises import RiseConfig, RiseCounter, Sample
from posecheck.session.loop import replayed, run
from posecheck.session.rises import RisesSession
from posecheck.media.frames import VideoFile


def progress(total: int, description: str, enabled: bool = True):
    """A progress bar on stderr (hidden when stderr is not a terminal unless forced)."""
    from tqdm import tqdm

    return tqdm(total=total or None, desc=description, unit="frame", disable=not enabled, file=sys.stderr, leave=False, dynamic_ncols=True)


def extract_landmarks(path: str | pathlib.Path, model: str | None = None, show_progress: bool = True, workers: int | None = None) -> LandmarkSeries:
    """The pose in every frame of a video (see `posecheck.pose.extract`), with a progress bar on stderr."""
    from posecheck.pose import extract

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
    from posecheck.pose import extract

    if pathlib.Path(path).suffix.lower() == ".npz":
        return extract.load_or_extract(path)
    return extract_landmarks(path, model, show_progress, workers)


def count_rises(series: LandmarkSeries, config: RiseConfig) -> tuple[RiseCounter, list[Sample]]:
    """The rises of a saved series, counted by the same session and loop as live mode."""
    session = RisesSession(config)
    outcome = run(replayed(series), session)
    if outcome.error is not None:
        raise outcome.error
    session.finish()
    return session.counter, session.samples
