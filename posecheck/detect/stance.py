"""Stance variants of the rise: parallel (feet under the hips), wide, turned out (toes pointing outward).

`stance_of` reads one pose; `StanceTracker` keeps the readings of the last
two minutes and gives the majority variant over any stretch of time (a rep, a
round, the last second for a HUD).

What is measured, from the image landmarks, as horizontal distances in the
picture against the horizontal distance between the two hip landmarks (so
neither the distance to the camera nor the image's aspect ratio matters):

- **width**: the ankles' distance over the hips' distance. A camera turned
  around the person shortens both alike, so the ratio holds from the front and
  from an oblique camera.
- **toe-out**: how far each foot's tip (foot index) lies outward of its heel,
  over the hip distance, turned into degrees by a calibration on rendered
  stances. Seen obliquely, the feet's forward direction adds to one foot's
  reading what it takes from the other's, so only the mean of the two feet
  decides the variant; the per-foot numbers hold from the front only.

Measured on rendered sweeps (bench/scenarios/stance/sweep_*.json: 1.5 s still
at each stance, barefoot, MediaPipe full model), median of each stance:

| stance (m, toe-out) | front: width, toe-out | oblique 35 deg: width, toe-out |
| --- | --- | --- |
| 0.20, 5 deg | 1.01, 5 | 0.78, 10 |
| 0.26, 5 deg | 1.29, 8 | 1.18, 6 |
| 0.32, 5 deg | 1.59, 11 | 1.50, 1 |
| 0.40, 5 deg | 1.94, 7 | 1.88, 0 |
| 0.50, 5 deg | 2.48, 8 | 2.31, 2 |
| 0.20, 15 deg | 0.98, 18 | 0.83, 19 |
| 0.20, 25 deg | 0.98, 28 | 0.86, 27 |
| 0.20, 35 deg | 0.97, 36 | 0.85, 36 |
| 0.22, 45 deg | 1.05, 45 | 0.93, 35 |
| 0.40, 35 deg | 1.97, 40 | 1.86, 32 |

MediaPipe's world landmarks (metres, hip-centred) were measured on the same
sweeps and read worse: the width about a quarter low (ratio 0.74 at 0.20 m
from the front, 0.60 from the oblique camera), and the toe-out at about half
its size from the front (45 deg read 23) and not at all from the oblique
camera (5 to 45 deg all read 9-14 deg). A classifier on them called the
oblique wide stance "turned out" in 80 % of its frames. So the image reading
is used, and the world landmarks serve only to tell the camera's angle: from
the side (hips more than 55 degrees from facing the camera) neither width nor
toe-out can be seen, and the variant is None.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import math

import numpy as np

from posecheck.body.geometry import HIPS, side_on_deg, turn_deg
from posecheck.pose import landmarks as lm
from posecheck.pose.landmarks import PoseFrame

VARIANTS = ("parallel", "wide", "turned_out")

# Thresholds halfway between the sweeps' readings (table above): 0.26 m reads
# 1.18-1.29 and 0.32 m 1.50-1.59; toe-out 15 deg reads 18-19 and 25 deg 27-28.
WIDE_RATIO = 1.40
TURNED_OUT_DEG = 23.0
# toe-out estimate: degrees = TOE_OFFSET_DEG + TOE_SLOPE_DEG * (outward toe-heel distance / hip distance)
TOE_SLOPE_DEG = 71.0
TOE_OFFSET_DEG = -2.8
MAX_VIEW_DEG = 55.0  # beyond this the camera sees the person too much from the side
FRONT_VIEW_DEG = 12.0  # up to this the toe-out of each foot can be read on its own
MIN_VISIBILITY = 0.5
FOOT_POINTS = (lm.LEFT_ANKLE, lm.RIGHT_ANKLE, lm.LEFT_HEEL, lm.RIGHT_HEEL, lm.LEFT_TOE, lm.RIGHT_TOE)


@dataclasses.dataclass(frozen=True)
class StanceReading:
    """The stance in one frame; `variant` is None when it cannot be told (feet hidden, side view)."""

    width_ratio: float  # ankles' distance / hips' distance (NaN if unreadable)
    toe_out_left_deg: float  # + = toes pointing outward; per foot only from the front (see `per_foot_reliable`)
    toe_out_right_deg: float
    view_deg: float  # how far the hips are turned from facing the camera (0 = front, 90 = side), from the world landmarks
    variant: str | None

    @property
    def toe_out_deg(self) -> float:
        """The mean of both feet: this one holds from an oblique camera too."""
        return (self.toe_out_left_deg + self.toe_out_right_deg) / 2

    @property
    def per_foot_reliable(self) -> bool:
        """From an oblique camera the feet's forward direction shifts one foot's reading up and the other's down."""
        return bool(self.view_deg <= FRONT_VIEW_DEG)


def classify(width_ratio: float, toe_out_deg: float) -> str | None:
    """The variant of a stance: turned out wins over wide (a turned-out stance is often a little wider)."""
    if math.isnan(width_ratio) or math.isnan(toe_out_deg):
        return None
    if toe_out_deg >= TURNED_OUT_DEG:
        return "turned_out"
    if width_ratio >= WIDE_RATIO:
        return "wide"
    return "parallel"


def view_angle_deg(pose: PoseFrame) -> float:
    """0 when the hips face the camera (or face away from it), 90 from the side; from the world landmarks."""
    return side_on_deg(turn_deg(pose.world, HIPS))


def stance_of(pose: PoseFrame | None) -> StanceReading:
    """Stance width, toe-out per foot and the variant, from one pose."""
    nan = math.nan
    if pose is None:
        return StanceReading(nan, nan, nan, nan, None)
    x = pose.image[:, 0].astype(np.float64)
    view = view_angle_deg(pose)
    hip_dx = x[lm.LEFT_HIP] - x[lm.RIGHT_HIP]
    visible = bool(np.all(pose.visibility[list(FOOT_POINTS)] >= MIN_VISIBILITY) or _both_of_each(pose))
    if abs(hip_dx) < 1e-4 or not visible or not (view <= MAX_VIEW_DEG):
        return StanceReading(nan, nan, nan, view, None)
    out = math.copysign(1.0, hip_dx)  # image direction of the person's left
    hip = abs(hip_dx)
    width = abs(x[lm.LEFT_ANKLE] - x[lm.RIGHT_ANKLE]) / hip
    left = out * (x[lm.LEFT_TOE] - x[lm.LEFT_HEEL]) / hip
    right = -out * (x[lm.RIGHT_TOE] - x[lm.RIGHT_HEEL]) / hip
    toe_left = TOE_OFFSET_DEG + TOE_SLOPE_DEG * left
    toe_right = TOE_OFFSET_DEG + TOE_SLOPE_DEG * right
    variant = classify(width, (toe_left + toe_right) / 2)
    return StanceReading(float(width), float(toe_left), float(toe_right), view, variant)


def _both_of_each(pose: PoseFrame) -> bool:
    """Feet partly hidden by each other still count if one of each pair is clearly seen."""
    vis = pose.visibility
    pairs = ((lm.LEFT_ANKLE, lm.RIGHT_ANKLE), (lm.LEFT_HEEL, lm.RIGHT_HEEL), (lm.LEFT_TOE, lm.RIGHT_TOE))
    return all(min(vis[a], vis[b]) >= 0.3 and max(vis[a], vis[b]) >= MIN_VISIBILITY for a, b in pairs)


def majority(variants) -> str | None:
    """The most frequent variant (None readings ignored); ties go to the order of VARIANTS."""
    counts = collections.Counter(v for v in variants if v is not None)
    if not counts:
        return None
    return max(VARIANTS, key=lambda v: (counts.get(v, 0), -VARIANTS.index(v))) if counts else None


class StanceTracker:
    """The stance of every frame of the last `keep_s` seconds, to ask for the majority over a rep or a round.

    >>> tracker = StanceTracker()
    >>> tracker.add(t, pose)                     # every frame (pose may be None)
    >>> tracker.variant_between(rep.start_s, rep.end_s)
    """

    def __init__(self, keep_s: float = 120.0, min_share: float = 0.3):
        self.keep_s = keep_s
        self.min_share = min_share  # at least this share of the frames must have a reading
        self._t: collections.deque = collections.deque()
        self._readings: collections.deque = collections.deque()

    def add(self, t: float, pose: PoseFrame | None) -> StanceReading:
        reading = stance_of(pose)
        self.add_reading(t, reading)
        return reading

    def add_reading(self, t: float, reading: StanceReading) -> None:
        self._t.append(t)
        self._readings.append(reading)
        while self._t and self._t[0] < t - self.keep_s:
            self._t.popleft()
            self._readings.popleft()

    def readings_between(self, t0: float, t1: float) -> list[StanceReading]:
        times = list(self._t)
        i0 = bisect.bisect_left(times, t0)
        i1 = bisect.bisect_right(times, t1)
        return [self._readings[i] for i in range(i0, i1)]

    def variant_between(self, t0: float, t1: float) -> str | None:
        """The majority variant of the frames from t0 to t1; None if too few frames could be read."""
        readings = self.readings_between(t0, t1)
        if not readings:
            return None
        known = [r.variant for r in readings if r.variant is not None]
        if len(known) < self.min_share * len(readings):
            return None
        return majority(known)

    def current(self, t: float, window_s: float = 1.0) -> str | None:
        """The variant of the last `window_s` seconds up to t: for a HUD."""
        return self.variant_between(t - window_s, t)

    def summary_between(self, t0: float, t1: float) -> dict | None:
        """Median width ratio and toe-out over a stretch, with the majority variant (for JSON)."""
        readings = [r for r in self.readings_between(t0, t1) if not math.isnan(r.width_ratio)]
        if not readings:
            return None
        per_foot = float(np.median([r.view_deg for r in readings])) <= FRONT_VIEW_DEG
        return {
            "variant": self.variant_between(t0, t1),
            "width_ratio": round(float(np.median([r.width_ratio for r in readings])), 2),
            "toe_out_deg": round(float(np.median([r.toe_out_deg for r in readings])), 1),
            "toe_out_left_deg": round(float(np.median([r.toe_out_left_deg for r in readings])), 1) if per_foot else None,
            "toe_out_right_deg": round(float(np.median([r.toe_out_right_deg for r in readings])), 1) if per_foot else None,
        }
