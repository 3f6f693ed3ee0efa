"""The one frame loop: (frame, pose) steps into a session, its notices out, each frame to the sinks.

Live and offline analysis differ only in where the steps come from:
`analysed(camera, estimator)` runs the model on each frame as it arrives;
`replayed(series, video)` hands out the poses of a saved landmark series,
with the video's frames beside them when something is drawn. A window runs
this same loop on a worker thread (`posecheck.session.ui.run_windowed`).
"""

from __future__ import annotations

import collections
import dataclasses
import math
import threading
import time
from typing import Callable, Iterable, Iterator

from posecheck.media.frames import Frame
from posecheck.pose.landmarks import LandmarkSeries, PoseFrame
from posecheck.session.base import Notice, Session

STATS_KEPT = 10000

Emit = Callable[[list[Notice]], None]
Sink = Callable[[Frame, Session], None]


@dataclasses.dataclass
class Outcome:
    reason: str  # "done" (the session has what it wanted), "ended" (the input ended), "quit", "interrupted", "camera_failed", "error"
    error: BaseException | None = None
    reached_s: float | None = None  # the time of the last frame the session saw (for a report of an interruption)


def _recent() -> collections.deque:
    return collections.deque(maxlen=STATS_KEPT)


@dataclasses.dataclass
class LoopStats:
    """What the loop measured: for the bench and for the note at the end. A long session keeps the last few minutes."""

    started: float = dataclasses.field(default_factory=time.monotonic)
    ended: float = math.nan
    analysed: int = 0  # frames the model saw
    shown: int = 0  # frames put in the window
    newest_index: int = -1  # the frame the newest pose belongs to
    inference_s: collections.deque = dataclasses.field(default_factory=_recent)  # model time
    analysis_age_s: collections.deque = dataclasses.field(default_factory=_recent)  # capture -> result
    display_age_s: collections.deque = dataclasses.field(default_factory=_recent)  # capture -> screen
    overlay_lag: collections.deque = dataclasses.field(default_factory=_recent)  # picture vs skeleton, frames

    @property
    def seconds(self) -> float:
        end = self.ended if not math.isnan(self.ended) else time.monotonic()
        return max(end - self.started, 1e-9)


def analysed(frames: Iterable[Frame], estimator, stats: LoopStats | None = None, people=None,
             busy: Callable[[], bool] = lambda: False) -> Iterator[tuple[Frame, PoseFrame | None]]:
    """Each frame with the pose the model finds in it. `people` (a `PeopleCount`) looks for a second person
    now and then, but not while `busy()`: then every frame the model can analyse counts."""
    stats = stats if stats is not None else LoopStats()
    for frame in frames:
        began = time.monotonic()
        pose = estimator.detect(frame)
        stats.inference_s.append(time.monotonic() - began)
        if people is not None and pose is not None:
            count = people.count(frame, look=not busy())
            if count > pose.people:
                pose = dataclasses.replace(pose, people=count)
        stats.analysed += 1
        stats.newest_index = frame.index
        stats.analysis_age_s.append(time.monotonic() - frame.captured_at)
        yield frame, pose


def replayed(series: LandmarkSeries, video: Iterable[Frame] | None = None) -> Iterator[tuple[Frame, PoseFrame | None]]:
    """The poses of a saved series at their own times; with `video`, each beside its picture (for drawing)."""
    poses = series.frames()
    if video is None:
        for index, pose in enumerate(poses):
            yield Frame(None, index, float(series.t[index]), 0.0), pose
        return
    for frame, pose in zip(video, poses):
        yield dataclasses.replace(frame, t=float(series.t[frame.index])), pose


def run(steps: Iterable[tuple[Frame, PoseFrame | None]], session: Session, emit: Emit | None = None,
        sinks: Iterable[Sink] = (), stop: threading.Event | None = None) -> Outcome:
    """Feed every step to the session until the steps end, the session is done, or `stop` is set.

    Never raises for the ways a session ends: Ctrl-C and errors come back in the Outcome,
    so the caller can still report what was counted.
    """
    sinks = list(sinks)
    reached = None
    try:
        for frame, pose in steps:
            with session.lock:
                notices = session.process(frame.t, pose, frame.image)
            reached = frame.t
            if emit is not None and notices:
                emit(notices)
            for sink in sinks:
                sink(frame, session)
            if session.done:
                return Outcome("done", reached_s=reached)
            if stop is not None and stop.is_set():
                return Outcome("quit", reached_s=reached)
    except KeyboardInterrupt:  # SIGTERM and SIGHUP too (see posecheck.cli.main)
        return Outcome("interrupted", reached_s=reached)
    except Exception as error:  # noqa: BLE001 - the session is kept; the caller reports, then raises it
        return Outcome("error", error, reached)
    return Outcome("ended", reached_s=reached)
