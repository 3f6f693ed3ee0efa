"""Per-frame body measures and the streaming filters that turn them into rise signals.

`measure` is a pure function of one pose. The filters carry their state
explicitly and take one sample at a time, so live and offline analysis run the
same code and get the same numbers.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import math

import numpy as np

from . import pose as lm
from .pose import PoseFrame

MIN_VISIBILITY = 0.5
FEET = ((lm.LEFT_ANKLE, lm.RIGHT_ANKLE), (lm.LEFT_HEEL, lm.RIGHT_HEEL), (lm.LEFT_TOE, lm.RIGHT_TOE))
TRUNK = ((lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER), (lm.LEFT_HIP, lm.RIGHT_HIP))
LEGS = ((lm.LEFT_KNEE, lm.RIGHT_KNEE),)
IN_FRAME_MARGIN = 0.01  # a landmark this close to the border is probably clipped


@dataclasses.dataclass(frozen=True)
class BodyMeasures:
    """What one frame shows of the body, in pixels with y pointing down."""

    t: float
    feet_visible: bool
    body_visible: bool
    people: int
    toe: np.ndarray  # (2, 2): left, right foot tip x, y
    heel: np.ndarray  # (2, 2)
    ankle: np.ndarray  # (2, 2)
    trunk_y: float  # mean height of shoulders and hips
    legs_px: np.ndarray  # (2,): hip-ankle length of the left and right leg

    @property
    def leg_px(self) -> float:
        return float(self.legs_px.mean())

    def stance(self) -> tuple[float, float, float]:
        """Where the feet stand, in leg lengths, independent of where the camera points:
        the ankles' horizontal distance, and each foot's heel-to-toe direction."""
        leg = self.leg_px
        return (
            float(self.ankle[0, 0] - self.ankle[1, 0]) / leg,
            float(self.toe[0, 0] - self.heel[0, 0]) / leg,
            float(self.toe[1, 0] - self.heel[1, 0]) / leg,
        )

    @property
    def floor_y(self) -> float:
        return float(self.toe[:, 1].mean())


FEET_PAIRS = np.array(FEET)
BODY_PAIRS = np.array(TRUNK + LEGS)
TRUNK_IDS = [i for pair in TRUNK for i in pair]


def measure(pose: PoseFrame | None, width: int, height: int) -> BodyMeasures | None:
    """The body measures of one pose; None where nobody was found."""
    if pose is None:
        return None
    xy = pose.image[:, :2]
    px = xy.astype(np.float64) * (width, height)
    inside = np.all((xy > -IN_FRAME_MARGIN) & (xy < 1 + IN_FRAME_MARGIN), axis=1)
    vis = pose.visibility

    def seen(pairs: np.ndarray) -> bool:
        # In a side view the far limb is hidden but still well placed: one of each pair will do.
        return bool(inside[pairs].all() and np.maximum(vis[pairs[:, 0]], vis[pairs[:, 1]]).min() >= MIN_VISIBILITY)

    legs = np.hypot(*(px[[lm.LEFT_HIP, lm.RIGHT_HIP]] - px[[lm.LEFT_ANKLE, lm.RIGHT_ANKLE]]).T)
    return BodyMeasures(
        t=pose.t,
        feet_visible=seen(FEET_PAIRS),
        body_visible=seen(BODY_PAIRS),
        people=pose.people,
        toe=px[[lm.LEFT_TOE, lm.RIGHT_TOE]],
        heel=px[[lm.LEFT_HEEL, lm.RIGHT_HEEL]],
        ankle=px[[lm.LEFT_ANKLE, lm.RIGHT_ANKLE]],
        trunk_y=float(px[TRUNK_IDS, 1].mean()),
        legs_px=legs,
    )


@dataclasses.dataclass
class Ema:
    """First-order low-pass filter with a time constant, robust to uneven frame spacing."""

    tau: float
    value: float = math.nan
    last_t: float = math.nan

    def update(self, t: float, x: float) -> float:
        if math.isnan(self.value) or math.isnan(self.last_t):
            self.value = x
        else:
            alpha = 1.0 - math.exp(-max(t - self.last_t, 0.0) / self.tau)
            self.value += alpha * (x - self.value)
        self.last_t = t
        return self.value

    def reset(self) -> None:
        self.value = math.nan
        self.last_t = math.nan


class RollingQuantile:
    """A quantile of the samples of the last `window` seconds (by their time stamps).

    Keeps the values sorted as well, so each query is a lookup, not a sort.
    """

    def __init__(self, window: float, q: float):
        self.window = window
        self.q = q
        self.samples: collections.deque = collections.deque()
        self._sorted: list[float] = []

    def add(self, t: float, x: float) -> None:
        self.samples.append((t, x))
        bisect.insort(self._sorted, x)
        while self.samples and self.samples[0][0] < t - self.window:
            _, old = self.samples.popleft()
            del self._sorted[bisect.bisect_left(self._sorted, old)]

    def span(self) -> float:
        return self.samples[-1][0] - self.samples[0][0] if self.samples else 0.0

    @property
    def value(self) -> float:
        if not self._sorted:
            return math.nan
        # Linear interpolation between order statistics, as numpy.quantile does.
        position = self.q * (len(self._sorted) - 1)
        low = int(position)
        high = min(low + 1, len(self._sorted) - 1)
        return self._sorted[low] + (position - low) * (self._sorted[high] - self._sorted[low])

    def clear(self) -> None:
        self.samples.clear()
        self._sorted.clear()


def centred_smooth(x: np.ndarray, width: int) -> np.ndarray:
    """Moving average over `width` samples, centred (no lag), for looking back at a finished rep."""
    if width <= 1 or len(x) < 2:
        return x.copy()
    width = min(width, len(x))
    kernel = np.ones(width) / width
    padded = np.pad(x, (width // 2, width - 1 - width // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")
