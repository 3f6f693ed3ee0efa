"""The body model: where the body's mass is, where the feet bear it, how big it is, and which way it faces.

One model for every detector (the barefoot check, the single-leg stand). Pure
functions on one pose's landmarks, `(33, D)`: image pixels (x right, y down) or
MediaPipe's world landmarks (metres, x as in the picture, y down, z away from
the camera). "Left" is the person's left.
"""

from __future__ import annotations

import functools
import math
from typing import Sequence

import numpy as np

from posecheck.pose.landmarks import (
    LEFT_ANKLE, LEFT_ELBOW, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, LEFT_TOE, LEFT_WRIST, NUM_LANDMARKS,
    RIGHT_ANKLE, RIGHT_ELBOW, RIGHT_HEEL, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER, RIGHT_TOE, RIGHT_WRIST,
)

LEFT_EAR, RIGHT_EAR = 7, 8
LEFT_PINKY, RIGHT_PINKY = 17, 18
LEFT_INDEX, RIGHT_INDEX = 19, 20

SIDES = {
    "left": dict(shoulder=LEFT_SHOULDER, elbow=LEFT_ELBOW, wrist=LEFT_WRIST, index=LEFT_INDEX, pinky=LEFT_PINKY,
                 hip=LEFT_HIP, knee=LEFT_KNEE, ankle=LEFT_ANKLE, heel=LEFT_HEEL, toe=LEFT_TOE),
    "right": dict(shoulder=RIGHT_SHOULDER, elbow=RIGHT_ELBOW, wrist=RIGHT_WRIST, index=RIGHT_INDEX, pinky=RIGHT_PINKY,
                  hip=RIGHT_HIP, knee=RIGHT_KNEE, ankle=RIGHT_ANKLE, heel=RIGHT_HEEL, toe=RIGHT_TOE),
}
OTHER = {"left": "right", "right": "left"}

# --- proportions -------------------------------------------------------------------------------

DEFAULT_STATURE_M = 1.70
# Both sides' shoulder-hip + hip-knee + knee-ankle lengths, as a multiple of stature
# (Drillis & Contini proportions: 2 x (0.29 + 0.245 + 0.246)).
BODY_LENGTH_PER_STATURE = 1.563
# One leg, MediaPipe's hip landmark to the ankle, as a share of stature (the rise and sway centimetres).
LEG_SHARE_OF_HEIGHT = 0.47

# --- centre of mass ----------------------------------------------------------------------------

# de Leva P. (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters,
# J Biomech 29(9):1223-30, table 4: (mass fraction of body mass, the segment's centre of
# mass as a fraction of its length from the proximal end). Head: vertex -> C7, placed at the
# ears' midpoint; trunk: C7 (the shoulders' midpoint) -> hip-joint midpoint; hand: wrist ->
# 3rd metacarpal head (the midpoint of index and pinky); foot: heel -> toe tip. Limbs per side.
DE_LEVA = {
    "female": {
        "head": (0.0668, 0.4841), "trunk": (0.4257, 0.4964), "upper_arm": (0.0255, 0.5754),
        "forearm": (0.0138, 0.4559), "hand": (0.0056, 0.7474), "thigh": (0.1478, 0.3612),
        "shank": (0.0481, 0.4416), "foot": (0.0129, 0.4014),
    },
    "male": {
        "head": (0.0694, 0.5002), "trunk": (0.4346, 0.5138), "upper_arm": (0.0271, 0.5772),
        "forearm": (0.0162, 0.4574), "hand": (0.0061, 0.7900), "thigh": (0.1416, 0.4095),
        "shank": (0.0433, 0.4459), "foot": (0.0137, 0.4415),
    },
}
DE_LEVA["average"] = {
    name: tuple((f + m) / 2 for f, m in zip(DE_LEVA["female"][name], DE_LEVA["male"][name])) for name in DE_LEVA["male"]
}
SEXES = tuple(sorted(DE_LEVA))

# Limb segments: (name, proximal landmark(s), distal landmark(s)) of one side.
_LIMBS = (
    ("upper_arm", ("shoulder",), ("elbow",)),
    ("forearm", ("elbow",), ("wrist",)),
    ("hand", ("wrist",), ("index", "pinky")),
    ("thigh", ("hip",), ("knee",)),
    ("shank", ("knee",), ("ankle",)),
    ("foot", ("heel",), ("toe",)),
)


@functools.lru_cache(maxsize=None)
def com_weights(sex: str = "average") -> np.ndarray:
    """(33,) weights that sum to 1: the centre of mass is `com_weights(sex) @ points` (every segment's centre is
    a fixed mix of its end landmarks)."""
    if sex not in DE_LEVA:
        raise ValueError(f"sex must be one of {list(SEXES)}")
    table = DE_LEVA[sex]
    w = np.zeros(NUM_LANDMARKS)

    def add(mass: float, fraction: float, proximal: Sequence[int], distal: Sequence[int]) -> None:
        w[list(proximal)] += mass * (1 - fraction) / len(proximal)
        w[list(distal)] += mass * fraction / len(distal)

    w[[LEFT_EAR, RIGHT_EAR]] += table["head"][0] / 2
    add(*table["trunk"], (LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_HIP, RIGHT_HIP))
    for s in SIDES.values():
        for name, proximal, distal in _LIMBS:
            add(*table[name], [s[k] for k in proximal], [s[k] for k in distal])
    w /= w.sum()
    w.flags.writeable = False
    return w


def centre_of_mass(points: np.ndarray, sex: str = "average") -> np.ndarray:
    """Whole-body centre of mass (de Leva segments) of (33, D) landmarks; the result has the same D."""
    return com_weights(sex) @ np.asarray(points, np.float64)


# --- support and the lever rule -----------------------------------------------------------------

SUPPORT_ALONG_FOOT = 0.19  # support point: about 4.8 cm in front of the ankle on a 25 cm foot
SUPPORT_ON_SOLE = 0.40  # ... which is about 40 % of the way from the back of the heel to the big toe


def support_point(points: np.ndarray, side: str) -> np.ndarray:
    """Where a flat foot bears weight: on the foot's axis about 5 cm in front of the ankle.

    Two estimates of that point are averaged: one hung from the ankle, one on the heel-toe
    line (40 % of the way from the heel). The second does not follow the ankle when the
    foot rolls; on the synthetic footage the mean had the smallest worst-case error.
    """
    s = SIDES[side]
    foot = points[s["toe"]] - points[s["heel"]]
    from_ankle = points[s["ankle"]] + SUPPORT_ALONG_FOOT * foot
    on_sole = points[s["heel"]] + SUPPORT_ON_SOLE * foot
    return (from_ankle + on_sole) / 2


def lever_share(com_x: float, support_left_x: float, support_right_x: float) -> float:
    """Static share (0..1) of body weight on the left foot, from the lever rule; 0.5 when the supports coincide."""
    span = support_left_x - support_right_x
    if abs(span) < 1e-9:
        return 0.5
    return float(np.clip((com_x - support_right_x) / span, 0.0, 1.0))


# --- size in the picture ------------------------------------------------------------------------


def body_length_px(image: np.ndarray) -> float:
    """Both sides' shoulder-hip, hip-knee and knee-ankle lengths in the picture (pixels)."""
    total = 0.0
    for s in SIDES.values():
        for a, b in (("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle")):
            total += float(np.linalg.norm(image[s[a], :2] - image[s[b], :2]))
    return total


def stature_px(image: np.ndarray) -> float:
    """The person's height in the picture (pixels), from the body's own segment lengths."""
    return body_length_px(image) / BODY_LENGTH_PER_STATURE


def px_per_metre(image: np.ndarray, stature_m: float = DEFAULT_STATURE_M) -> float:
    return stature_px(image) / stature_m


# --- facing the camera --------------------------------------------------------------------------

SHOULDERS_AND_HIPS = ((LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_HIP, RIGHT_HIP))
HIPS = ((LEFT_HIP, RIGHT_HIP),)
# MediaPipe reads a turn at about 0.6 of its size from the front (35 degrees read 20).
FRONTAL_DEG = 18.0  # up to this the frontal-plane angles (foot tilt, knees, shoulders, pelvis) hold
SIDE_ON_DEG = 55.0  # beyond this the body is side-on: no check, no stance variant, "face the camera"
AWAY_DEG = 120.0  # beyond this the body is seen from behind


def turn_deg(world: np.ndarray, lines: Sequence[tuple[int, int]] = SHOULDERS_AND_HIPS) -> float:
    """How far the body is turned from facing the camera, from world landmarks: 0 facing it, +-90 side-on,
    180 the back to it (+ = the left side turned away). The mean direction of the left-to-right lines
    given (shoulders and hips); NaN when none of them can be seen."""
    angles = []
    for left, right in lines:
        v = world[left] - world[right]
        if np.all(np.isfinite(v)) and (v[0] != 0 or v[2] != 0):
            angles.append(math.atan2(float(v[2]), float(v[0])))
    if not angles:
        return math.nan
    return float(math.degrees(math.atan2(np.mean(np.sin(angles)), np.mean(np.cos(angles)))))


def side_on_deg(turn: float) -> float:
    """A turn folded to 0..90, front and back alike (a mirrored picture swaps them): 0 square to the camera, 90 side-on."""
    return 90.0 - abs(90.0 - abs(turn))
