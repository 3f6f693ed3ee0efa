"""A session from the camera: the model, the camera, the window or printed lines, and the cues, opened and closed together.

`Live` is what `rises`, `balance`, `check` and `routine` share when they work
from a camera (or a video file played as if it were one, which is how live mode
is tested). `Live.run(session)` runs the one frame loop until the session is
done, the input ends, or the user quits; it can run several sessions in turn on
the same camera and model (the routine's parts).
"""

from __future__ import annotations

import sys
from typing import Callable

from posecheck.media.camera import Camera, parse_camera
from posecheck.pose.estimator import PoseEstimator
from posecheck.pose.people import PeopleCount
from posecheck.session.base import Session
from posecheck.session.cues import Cues
from posecheck.session.loop import LoopStats, Outcome, analysed, run
from posecheck.session.ui import Printer, Window, key_handler, run_windowed, source_label, wants_window

SLOW_ANALYSIS_FPS = 8.0  # below this many analysed frames a second, say that counts may suffer


class Live:
    def __init__(self, camera: str | int | None, model: str | None, title: str, no_window: bool = False,
                 mute: bool = False, count_people: bool = False):
        self.spec = parse_camera(camera if camera is not None else 0)
        self.label = source_label(self.spec)
        want_window = wants_window(no_window)
        self._closing: list = []
        try:
            # The models first: a file played as a camera starts playing when it is opened.
            self.estimator = self._keep(PoseEstimator(model))  # one person, as offline analysis: the same landmarks
            self.people = self._keep(PeopleCount(PoseEstimator(model, still=True, num_poses=2))) if count_people else None
            self.camera = self._keep(Camera(self.spec))
            self.cues = self._keep(Cues(enabled=not mute))
            self.window = self._keep(Window(f"posecheck {title}")) if want_window else None
        except BaseException:
            self.close()
            raise
        self.emit = Printer(None if want_window else sys.stdout, self.cues)
        self.stats = LoopStats()

    def _keep(self, thing):
        self._closing.append(thing)
        return thing

    def run(self, session: Session, on_key: Callable[[int], str | None] | None = None) -> Outcome:
        """Until the session is done, the input ends, or the user quits; then the session settles what was under way."""
        steps = analysed(self.camera, self.estimator, self.stats, self.people, busy=lambda: session.busy)
        if self.window is not None:
            keys = on_key or key_handler(session, self.emit, self.window)
            outcome = run_windowed(self.camera, steps, session, self.emit, self.window, keys, self.stats)
        else:
            outcome = run(steps, session, self.emit)
        with session.lock:
            notices = session.finish()
        try:
            self.emit(notices)
        except OSError:  # the terminal has gone (SIGHUP): the report is still to be written
            pass
        if outcome.reason == "ended" and self.camera.failed:
            return Outcome("camera_failed")
        return outcome

    @property
    def duration_s(self) -> float:
        """How much of the input was seen: a file's length, or the camera's running time."""
        return self.camera.reached_s if self.camera.is_file else self.stats.seconds

    def slow_note(self) -> str | None:
        rate = self.stats.analysed / self.stats.seconds
        if self.stats.seconds > 10 and rate < SLOW_ANALYSIS_FPS:
            return (f"this computer analysed only {rate:.0f} frames a second; rises and holds are timed "
                    "less exactly below about 8 (close other programs)")
        return None

    def close(self) -> None:
        """Everything opened, last first; each is closed even if another fails."""
        while self._closing:
            try:
                self._closing.pop().close()
            except Exception:  # noqa: BLE001 - closing must not hide what ended the session
                pass

    def __enter__(self) -> "Live":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
