"""What every session is: it takes one analysed frame at a time and says what happened as `Notice`s.

A session draws and plays nothing and knows nothing of where its frames come
from; `posecheck.session.loop` feeds it, the window or a video sink shows its
`hud`, a `Printer` prints its notices. The loop and the window run on two
threads, so every call on a session is made holding its `lock`.
"""

from __future__ import annotations

import dataclasses
import threading

import numpy as np

from posecheck.pose.landmarks import PoseFrame
from posecheck.render.hud import HudState


@dataclasses.dataclass(frozen=True)
class Notice:
    """Something to tell the user: a line for the terminal and a sound to play (either may be empty)."""

    kind: str  # a detector's event kind, or "round_done", "all_done", "guidance", "paused", ...
    t: float
    line: str
    cue: str | None = None


class Session:
    """The common part: the clock, pause, skip; subclasses implement `step` and `hud`."""

    def __init__(self):
        self.lock = threading.RLock()
        self.pose: PoseFrame | None = None  # the newest analysed pose, for the skeleton
        self.first_t: float | None = None
        self.last_t: float | None = None
        self.frames = 0  # frames analysed (not counting paused ones)
        self.paused = False
        self.skipped = False

    def process(self, t: float, pose: PoseFrame | None, image: np.ndarray | None = None) -> list[Notice]:
        """One analysed frame at its media time t; `image` is the picture it came from, where there is one."""
        if self.first_t is None:
            self.first_t = t
        self.last_t = t
        if self.paused:
            return []
        self.frames += 1
        self.pose = pose
        return self.step(t, pose, image)

    def step(self, t: float, pose: PoseFrame | None, image: np.ndarray | None) -> list[Notice]:
        return []

    def finish(self) -> list[Notice]:
        """The input has ended: settle whatever is under way."""
        return []

    def reset(self, t: float) -> list[Notice]:
        return []

    def toggle_pause(self, t: float) -> list[Notice]:
        self.paused = not self.paused
        return []

    @property
    def done(self) -> bool:
        """The session has what it wanted (a routine part moves on); a plain session runs until its input ends."""
        return self.skipped

    @property
    def busy(self) -> bool:
        """A movement is under way in which every analysed frame counts: no time for extras such as a people count."""
        return False

    @property
    def elapsed(self) -> float:
        return 0.0 if self.first_t is None or self.last_t is None else self.last_t - self.first_t

    def hud(self, t: float) -> HudState:
        raise NotImplementedError
