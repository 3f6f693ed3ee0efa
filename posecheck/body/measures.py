"""Per-frame body measures for the rise signals: a pure function of one pose."""

from __future__ import annotations

import dataclasses

import numpy as np

from posecheck.pose import landmarks as lm
from posecheck.pose.landmarks import PoseFrame

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


def measure(pose: PoseFrame | None) -> BodyMeasures | None:
    """The body measures of one pose; None where nobody was found."""
    if pose is None:
        return None
    xy = pose.image[:, :2]
    px = pose.pixels
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
