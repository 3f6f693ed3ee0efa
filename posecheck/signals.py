"""Per-frame body measures and the streaming filters that turn them into rise signals.

`measure` is a pure function of one pose. The filters carry their state
explicitly and take one sample at a time, so live and offline analysis run the
same code and get the same numbers.
"""

from __future__ import annotations

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
    leg_px: float  # hip-ankle length, mean of both legs

    @property
    def floor_y(self) -> float:
        return float(self.toe[:, 1].mean())

    @property
    def toe_step(self) -> float:
        """Height difference of the two foot tips, in pixels (one foot lifted, or stepping)."""
        return float(self.toe[0, 1] - self.toe[1, 1])


def measure(pose: PoseFrame | None, width: int, height: int) -> BodyMeasures | None:
    """The body measures of one pose; None where nobody was found."""
    if pose is None:
        return None
    px = pose.image[:, :2].astype(np.float64) * (width, height)
    vis = pose.visibility

    def seen(pairs) -> bool:
        # In a side view the far limb is hidden but still well placed: one of each pair will do.
        ids = [i for pair in pairs for i in pair]
        return _inside(pose, ids) and all(max(vis[a], vis[b]) >= MIN_VISIBILITY for a, b in pairs)

    legs = (np.linalg.norm(px[lm.LEFT_HIP] - px[lm.LEFT_ANKLE]) + np.linalg.norm(px[lm.RIGHT_HIP] - px[lm.RIGHT_ANKLE])) / 2
    return BodyMeasures(
        t=pose.t,
        # Feet are often partly occluded by the other foot: judge them on the tips and ankles.
        feet_visible=seen(FEET),
        body_visible=seen(TRUNK + LEGS),
        people=pose.people,
        toe=px[[lm.LEFT_TOE, lm.RIGHT_TOE]],
        heel=px[[lm.LEFT_HEEL, lm.RIGHT_HEEL]],
        ankle=px[[lm.LEFT_ANKLE, lm.RIGHT_ANKLE]],
        trunk_y=float(px[[i for pair in TRUNK for i in pair], 1].mean()),
        leg_px=float(legs),
    )


def _inside(pose: PoseFrame, ids) -> bool:
    xy = pose.image[list(ids), :2]
    return bool(np.all((xy > -IN_FRAME_MARGIN) & (xy < 1 + IN_FRAME_MARGIN)))


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


@dataclasses.dataclass
class RollingQuantile:
    """A quantile of the samples of the last `window` seconds (by their time stamps)."""

    window: float
    q: float
    samples: collections.deque = dataclasses.field(default_factory=collections.deque)

    def add(self, t: float, x: float) -> None:
        self.samples.append((t, x))
        while self.samples and self.samples[0][0] < t - self.window:
            self.samples.popleft()

    def span(self) -> float:
        return self.samples[-1][0] - self.samples[0][0] if self.samples else 0.0

    @property
    def value(self) -> float:
        if not self.samples:
            return math.nan
        return float(np.quantile([x for _, x in self.samples], self.q))

    def clear(self) -> None:
        self.samples.clear()


def centred_smooth(x: np.ndarray, width: int) -> np.ndarray:
    """Moving average over `width` samples, centred (no lag), for looking back at a finished rep."""
    if width <= 1 or len(x) < 2:
        return x.copy()
    width = min(width, len(x))
    kernel = np.ones(width) / width
    padded = np.pad(x, (width // 2, width - 1 - width // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")
