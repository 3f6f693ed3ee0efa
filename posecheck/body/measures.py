"""Per-frame body measures, pure functions of one pose: for the rise signals (`measure`) and the single-leg stand (`balance_measures`)."""

from __future__ import annotations

import dataclasses

import numpy as np

from posecheck.body.geometry import centre_of_mass
from posecheck.pose import landmarks as lm
from posecheck.pose.landmarks import PoseFrame

MIN_VISIBILITY = 0.5
FEET = ((lm.LEFT_ANKLE, lm.RIGHT_ANKLE), (lm.LEFT_HEEL, lm.RIGHT_HEEL), (lm.LEFT_TOE, lm.RIGHT_TOE))
TRUNK = ((lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER), (lm.LEFT_HIP, lm.RIGHT_HIP))
LEGS = ((lm.LEFT_KNEE, lm.RIGHT_KNEE),)
IN_FRAME_MARGIN = 0.01  # a landmark this close to the border (or beyond it) is probably clipped


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
    hip_y: float  # mean height of the hips
    shoulder_y: float  # mean height of the shoulders
    torso: np.ndarray  # (2,): from the hips' midpoint to the shoulders' midpoint
    legs_px: np.ndarray  # (2,): hip-ankle length of the left and right leg

    @property
    def leg_px(self) -> float:
        return float(self.legs_px.mean())

    @property
    def trunk_y(self) -> float:
        """Mean height of shoulders and hips."""
        return (self.hip_y + self.shoulder_y) / 2

    @property
    def torso_px(self) -> float:
        return float(np.hypot(*self.torso))

    @property
    def torso_deg(self) -> float:
        """The trunk's lean in the picture, degrees from upright (+ = its top to the right)."""
        return float(np.degrees(np.arctan2(self.torso[0], -self.torso[1])))

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

    @property
    def floor_x(self) -> float:
        return float(self.toe[:, 0].mean())

    def feet_up(self) -> np.ndarray:
        """(2,): how far each foot's heel and ankle are above its toes, their mean, pixels.
        A rise lifts both; MediaPipe under-reads each (the ankle better from the front,
        the heel from the side), so the mean of the two is steadier than either."""
        return self.toe[:, 1] - (self.heel[:, 1] + self.ankle[:, 1]) / 2


FEET_PAIRS = np.array(FEET)
BODY_PAIRS = np.array(TRUNK + LEGS)
HIP_IDS = [lm.LEFT_HIP, lm.RIGHT_HIP]
SHOULDER_IDS = [lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER]


def measure(pose: PoseFrame | None) -> BodyMeasures | None:
    """The body measures of one pose; None where nobody was found."""
    if pose is None:
        return None
    xy = pose.image[:, :2]
    px = pose.pixels
    # At the border or beyond it is not seen: MediaPipe places clipped limbs there, and invents what lies outside.
    inside = np.all((xy > IN_FRAME_MARGIN) & (xy < 1 - IN_FRAME_MARGIN), axis=1)
    vis = pose.visibility

    def seen(pairs: np.ndarray) -> bool:
        # In a side view the far limb is hidden but still well placed: one of each pair will do.
        return bool(inside[pairs].all() and np.maximum(vis[pairs[:, 0]], vis[pairs[:, 1]]).min() >= MIN_VISIBILITY)

    legs = np.hypot(*(px[HIP_IDS] - px[[lm.LEFT_ANKLE, lm.RIGHT_ANKLE]]).T)
    hips, shoulders = px[HIP_IDS].mean(axis=0), px[SHOULDER_IDS].mean(axis=0)
    return BodyMeasures(
        t=pose.t,
        feet_visible=seen(FEET_PAIRS),
        body_visible=seen(BODY_PAIRS),
        people=pose.people,
        toe=px[[lm.LEFT_TOE, lm.RIGHT_TOE]],
        heel=px[[lm.LEFT_HEEL, lm.RIGHT_HEEL]],
        ankle=px[[lm.LEFT_ANKLE, lm.RIGHT_ANKLE]],
        hip_y=float(hips[1]),
        shoulder_y=float(shoulders[1]),
        torso=shoulders - hips,
        legs_px=legs,
    )


_FEET = {"left": (lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_TOE), "right": (lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_TOE)}


@dataclasses.dataclass(frozen=True)
class BalanceMeasures:
    """What one frame shows for a single-leg stand, in pixels (y down), with the feet told apart by position.

    `feet["left"]` is the person's left foot as judged from where it is (see
    `posecheck.detect.balance`), `swapped` says MediaPipe's labels had them the other
    way round.
    """

    t: float
    visible: bool  # trunk and both ankles in view
    people: int
    leg_px: float  # the longer hip-ankle length (the standing leg is straight)
    lateral: np.ndarray  # (2,) unit vector along the hips, towards the person's left
    hip_width_px: float
    legs_px: tuple  # hip-ankle length of each leg (MediaPipe's labels)
    feet: dict  # side -> (3, 2) ankle, heel, toe
    swapped: bool
    sure_of_sides: bool  # the feet were far enough apart along the hip line to tell them apart
    trunk_y: float  # mean height of shoulders and hips
    com: np.ndarray  # (2,) centre of mass


def balance_measures(pose: PoseFrame | None) -> BalanceMeasures | None:
    """The single-leg measures of one pose; None where nobody was found."""
    if pose is None:
        return None
    px = pose.pixels
    vis = pose.visibility
    trunk_ids = [lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER, lm.LEFT_HIP, lm.RIGHT_HIP]
    ankles = [lm.LEFT_ANKLE, lm.RIGHT_ANKLE]
    inside = np.all((pose.image[trunk_ids + ankles, :2] > -IN_FRAME_MARGIN) & (pose.image[trunk_ids + ankles, :2] < 1 + IN_FRAME_MARGIN))
    seen = min(max(vis[lm.LEFT_HIP], vis[lm.RIGHT_HIP]), max(vis[lm.LEFT_SHOULDER], vis[lm.RIGHT_SHOULDER]), max(vis[lm.LEFT_ANKLE], vis[lm.RIGHT_ANKLE]))
    hips = px[lm.LEFT_HIP] - px[lm.RIGHT_HIP]
    hip_width = float(np.linalg.norm(hips))
    lateral = hips / hip_width if hip_width > 1e-6 else np.array([1.0, 0.0])
    legs = [float(np.linalg.norm(px[lm.LEFT_HIP] - px[lm.LEFT_ANKLE])), float(np.linalg.norm(px[lm.RIGHT_HIP] - px[lm.RIGHT_ANKLE]))]
    labelled = {side: px[list(ids)] for side, ids in _FEET.items()}
    # Tell the feet apart by where they are along the hip line.
    along = float((labelled["left"][0] - labelled["right"][0]) @ lateral)
    sure = abs(along) >= 0.25 * max(hip_width, 1e-6) and hip_width >= 0.1 * max(legs)
    swapped = sure and along < 0
    feet = {"left": labelled["right"], "right": labelled["left"]} if swapped else labelled
    return BalanceMeasures(
        t=pose.t,
        visible=bool(inside and seen >= MIN_VISIBILITY),
        people=pose.people,
        leg_px=max(legs),
        legs_px=tuple(legs),
        lateral=lateral,
        hip_width_px=hip_width,
        feet=feet,
        swapped=swapped,
        sure_of_sides=sure,
        trunk_y=float(px[trunk_ids, 1].mean()),
        com=centre_of_mass(px),
    )
