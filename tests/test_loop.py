"""The one frame loop: how it ends, what it hands the session and the sinks, and replay at the series' own times."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from posecheck.media.frames import Frame
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.session.base import Notice, Session
from posecheck.session.loop import replayed, run


class Counting(Session):
    """Says "seen" for every frame; done after `done_after` frames; raises at frame `fail_at`."""

    def __init__(self, done_after=None, fail_at=None, error=RuntimeError):
        super().__init__()
        self.done_after, self.fail_at, self.error = done_after, fail_at, error

    def step(self, t, pose, image):
        if self.fail_at is not None and self.frames - 1 == self.fail_at:
            raise self.error("boom")
        return [Notice("seen", t, "")]

    @property
    def done(self):
        return self.done_after is not None and self.frames >= self.done_after


def steps(n):
    return ((Frame(None, i, i / 10, 0.0), None) for i in range(n))


@pytest.mark.parametrize(
    "session, stop_after, expected_reason, expected_frames",
    [
        (Counting(), None, "ended", 20),
        (Counting(done_after=5), None, "done", 5),
        (Counting(fail_at=3, error=KeyboardInterrupt), None, "interrupted", 4),
        (Counting(fail_at=3), None, "error", 4),
        (Counting(), 7, "quit", 7),
    ],
    ids=["input ends", "session done", "ctrl-c", "error", "stop set"],
)
def test_how_the_loop_ends(session, stop_after, expected_reason, expected_frames):
    stop = threading.Event()
    emitted, drawn = [], []

    def sink(frame, s):
        drawn.append(frame.index)
        if stop_after is not None and len(drawn) >= stop_after:
            stop.set()

    outcome = run(steps(20), session, emitted.extend, sinks=[sink], stop=stop)
    assert outcome.reason == expected_reason
    assert session.frames == expected_frames
    assert (outcome.error is not None) == (expected_reason == "error")
    # every frame the session finished was emitted and drawn, in order
    finished = expected_frames if expected_reason in ("ended", "done", "quit") else expected_frames - 1
    assert [n.t for n in emitted] == [i / 10 for i in range(finished)]
    assert drawn == list(range(finished))


def test_a_paused_session_sees_no_frames_but_keeps_its_clock():
    session = Counting()
    session.toggle_pause(0.0)
    run(steps(5), session)
    assert session.frames == 0 and session.last_t == pytest.approx(0.4)


def test_replay_hands_out_poses_at_the_series_times_beside_the_pictures():
    series = LandmarkSeries.from_frames([0.0, 0.04, 0.1], [None, None, None], 25.0, 64, 48, "clip")
    plain = list(replayed(series))
    assert [frame.t for frame, _ in plain] == [0.0, 0.04, 0.1] and all(frame.image is None for frame, _ in plain)
    video = [Frame(np.zeros((48, 64, 3), np.uint8), i, i / 25, 0.0) for i in range(3)]
    drawn = list(replayed(series, video))
    assert [frame.t for frame, _ in drawn] == [0.0, 0.04, 0.1] and all(frame.image is not None for frame, _ in drawn)
