"""The person's standing level, and what a frame shows against it: the state the rise counter keeps between rises.

Every measure with a standing level (`standing_values`: heights over the toes
in pixels, leg and torso lengths, the trunk's lean, where the feet stand) is
followed as a rolling median over standing frames (`Levels`). It is learned
from quiet standing: the trunk and the legs still for `settle_s` (`Standing`).
Against it a frame is unusable (`Blocked`) when the knees are bent, a foot is
off the floor, the trunk is bent, the feet have moved or the picture has
changed. Streaming state, one frame at a time, so live and offline agree.
"""

from __future__ import annotations

import collections
import enum
import math

import numpy as np

from posecheck.body.filters import RollingQuantile
from posecheck.body.measures import BodyMeasures


class Blocked(str, enum.Enum):
    """Why a frame cannot be used for counting."""

    NO_PERSON = "no_person"
    FEET_HIDDEN = "feet_hidden"
    BODY_HIDDEN = "body_hidden"
    KNEES_BENT = "knees_bent"
    FOOT_LIFTED = "foot_lifted"
    FEET_MOVED = "feet_moved"
    TRUNK_BENT = "trunk_bent"
    CAMERA_MOVED = "camera_moved"


HIDDEN = {Blocked.NO_PERSON, Blocked.FEET_HIDDEN, Blocked.BODY_HIDDEN}

# The standing measures (`standing_values`), each followed as a rolling median.
TRUNK, FOOT_LEFT, FOOT_RIGHT, HIPS, SHOULDERS, LEG_LEFT, LEG_RIGHT, TORSO, TORSO_DEG, WIDTH, DIR_LEFT, DIR_RIGHT = range(12)
TOES_X, TOES_Y = [12, 13], [14, 15]  # the left and right toe's x, then their y
MEASURES = 16
FEET, LEGS, STANCE = [FOOT_LEFT, FOOT_RIGHT], [LEG_LEFT, LEG_RIGHT], [WIDTH, DIR_LEFT, DIR_RIGHT]
SMOOTHED = [TRUNK, FOOT_LEFT, FOOT_RIGHT, LEG_LEFT, LEG_RIGHT]  # low-passed: the lift, the feet's lift, and stillness


def standing_values(m: BodyMeasures) -> np.ndarray:
    """One frame's measures that have a standing level, pixels (heights over the toes) and leg lengths (stance)."""
    return np.array([m.floor_y - m.trunk_y, *m.feet_up(), m.floor_y - m.hip_y, m.floor_y - m.shoulder_y, *m.legs_px,
                     m.torso_px, m.torso_deg, *m.stance(), *m.toe[:, 0], *m.toe[:, 1]])


class Levels:
    """The person's standing level of each measure: rolling medians over the standing frames."""

    def __init__(self, window_s: float):
        self._medians = [RollingQuantile(window_s, 0.5) for _ in range(MEASURES)]
        self.value = np.full(MEASURES, np.nan)

    @property
    def known(self) -> bool:
        return bool(self._medians[0].samples)

    def add(self, t: float, values: np.ndarray) -> None:
        for median, value in zip(self._medians, values):
            median.add(t, float(value))
        self.value = np.array([median.value for median in self._medians])

    def clear(self) -> None:
        for median in self._medians:
            median.clear()
        self.value[:] = np.nan


class Standing:
    """The standing level (`levels`), the recent usable frames it is learned from, and the checks against it.

    `config` is a `posecheck.detect.rises.RiseConfig` (its thresholds are documented there).
    """

    def __init__(self, config):
        self.config = config
        self.levels = Levels(config.baseline_window_s)
        self._recent: collections.deque = collections.deque()  # (t, standing values, smoothed SMOOTHED values)
        self._feet_moving_since = math.nan

    @property
    def leg_px(self) -> float:
        return float(self.levels.value[LEGS].mean())

    def blocked(self, m: BodyMeasures | None, values: np.ndarray | None, rising: bool) -> Blocked | None:
        """Why this frame cannot be counted, or None. `rising`: an excursion is in progress (the feet are not checked for steps then)."""
        c = self.config
        if m is None or values is None:
            return Blocked.NO_PERSON
        if not m.body_visible:
            return Blocked.BODY_HIDDEN
        if not m.feet_visible:
            return Blocked.FEET_HIDDEN
        if not self.levels.known:
            return None
        ref = self.levels.value
        ratios = sorted(values[LEGS] / ref[LEGS])
        # Both toes away from where they stood: the picture moved (one toe alone is a step, below).
        toes_moved = np.hypot(values[TOES_X] - ref[TOES_X], values[TOES_Y] - ref[TOES_Y])
        if ratios[0] > 1 + c.zoom or toes_moved.min() > c.camera_move * self.leg_px:
            return Blocked.CAMERA_MOVED
        if ratios[0] < c.lifted_leg_ratio and ratios[1] >= c.bent_leg_ratio:
            return Blocked.FOOT_LIFTED
        if ratios[0] < c.bent_leg_ratio:
            return Blocked.KNEES_BENT
        if abs(values[TORSO_DEG] - ref[TORSO_DEG]) > c.bend_deg or values[TORSO] < (1 - c.bend_short) * ref[TORSO]:
            return Blocked.TRUNK_BENT
        moved = not rising and bool(np.any(np.abs(values[STANCE] - ref[STANCE]) > c.stance_change))
        if not moved:
            self._feet_moving_since = math.nan
        elif math.isnan(self._feet_moving_since):
            self._feet_moving_since = m.t
        elif m.t - self._feet_moving_since >= 0.3:  # a glitch of a frame or two is not a step
            return Blocked.FEET_MOVED
        return None

    def add(self, t: float, values: np.ndarray, smooth: np.ndarray) -> None:
        """A usable frame: the recent ones reach `settle_s` back."""
        self._recent.append((t, values, smooth))
        while len(self._recent) > 1 and t - self._recent[1][0] >= self.config.settle_s:
            self._recent.popleft()

    def quiet(self) -> bool:
        """The last `settle_s` of usable frames: the trunk and the legs still."""
        c = self.config
        if not self._recent or self._recent[-1][0] - self._recent[0][0] < c.settle_s:
            return False
        smooth = np.array([row[2] for row in self._recent])
        ranges = (smooth.max(axis=0) - smooth.min(axis=0)) / np.median(smooth[:, 3:].mean(axis=1))
        return bool(ranges[0] <= c.quiet_range and ranges[3:].max() <= 2 * c.quiet_range)

    def learn(self) -> None:
        """The quiet standing just seen is the standing level from now on."""
        self.levels.clear()
        for t, values, _ in self._recent:
            self.levels.add(t, values)

    def disturbed(self, forget: bool) -> None:
        """The body moved: quiet standing must come after it. `forget`: the picture changed, so the levels are gone too."""
        self._recent.clear()
        if forget:
            self.levels.clear()
            self._feet_moving_since = math.nan
