"""The body model: where the body's mass is, where the feet bear it, how big it is, and which way it faces.

One model for every detector (the barefoot check, the single-leg stand). Pure
functions on one pose's landmarks, `(33, D)`: image pixels (x right, y down) or
MediaPipe's world landmarks (metres, x as in the picture, y down, z away from
the camera). "Left" is the person's left.
"""

from __future__ import annotations

import functools
import math
from typing import Optional, Sequence

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


def lever_position(com_x: float, support_left_x: float, support_right_x: float) -> float:
    """Where the centre of mass lies between the supports: 0 over the right one, 1 over the left one, beyond
    them outside 0..1; 0.5 when the supports coincide."""
    span = support_left_x - support_right_x
    if abs(span) < 1e-9:
        return 0.5
    return float((com_x - support_right_x) / span)


def lever_share(com_x: float, support_left_x: float, support_right_x: float) -> float:
    """Static share (0..1) of body weight on the left foot, from the lever rule; 0.5 when the supports coincide."""
    return float(np.clip(lever_position(com_x, support_left_x, support_right_x), 0.0, 1.0))


# --- weight on the feet --------------------------------------------------------------------------

LIFTED_FOOT_PER_STATURE = 0.12  # a foot whose lowest point is this much above the other's is off the floor,
LIFTED_FOOT_BALANCED_PER_STATURE = 0.04  # ... or this much while the body's weight is over the other foot
LIFTED_BALANCE_SHARE = 0.85
# How far the landmarks place body and feet sideways, beyond their jitter (SD, share of stature): the lever
# rule's error on the rendered scenarios (RMS 0.0028, SD 0.0025 over 87 windows; docs/barefoot-check.md).
LANDMARK_SD_PER_STATURE = 0.0025
JITTER_FRAMES = 10  # MediaPipe's tracking smooths: about this many frames make one independent reading
# A still's one reading: the sideways scatter of the centre of mass against the feet over a 2 s window of the
# real clips (SD, share of stature: median 0.0006, the largest 0.004).
FRAME_SD_PER_STATURE = 0.003


def lever_share_left(points: np.ndarray, sex: str = "average") -> float:
    """Share (0..1) of body weight on the left foot by the lever rule, both feet taken as down."""
    return float(np.clip(lever_position_left(points, sex), 0.0, 1.0))


def lever_position_left(points: np.ndarray, sex: str = "average") -> float:
    """The centre of mass between the feet's support points: 0 over the right one, 1 over the left (not clipped)."""
    com_x = float(centre_of_mass(points, sex)[0])
    return lever_position(com_x, float(support_point(points, "left")[0]), float(support_point(points, "right")[0]))


def lifted_feet(image: np.ndarray, stature_px: float, sex: str = "average") -> dict[str, bool]:
    """Which foot is off the floor (a single-leg stand), from the image (y down); at most one.

    A foot counts as lifted when its lowest point is more than 12 % of stature above the
    other foot's, or more than 4 % while the centre of mass stands over the other foot
    (lever rule >= 85 %). A foot merely set back looks raised in a camera from above (a
    walking stance read 5 % of stature), and MediaPipe's world landmarks were too noisy to
    tell the two apart (+-10 cm), so the balance has to agree for small lifts.
    """
    bottom = {side: max(image[s["heel"], 1], image[s["toe"], 1], image[s["ankle"], 1]) for side, s in SIDES.items()}
    share = lever_share_left(image, sex)
    on = {"left": share, "right": 1.0 - share}
    lifted = {}
    for side in SIDES:
        raised = (bottom[OTHER[side]] - bottom[side]) / max(stature_px, 1e-9)
        lifted[side] = bool(raised > LIFTED_FOOT_PER_STATURE or (raised > LIFTED_FOOT_BALANCED_PER_STATURE and on[OTHER[side]] >= LIFTED_BALANCE_SHARE))
    return lifted


def weight_share_left(points: np.ndarray, sex: str = "average", lifted: Optional[dict[str, bool]] = None) -> float:
    """Share (0..1) of body weight on the left foot from landmarks (image px or world metres)."""
    if lifted and lifted["left"]:
        return 0.0
    if lifted and lifted["right"]:
        return 1.0
    return lever_share_left(points, sex)


def share_sd_parts(image: np.ndarray, frames: Optional[np.ndarray], roll_sd_deg: float, sex: str = "average") -> dict:
    """The share's SD (0..1 units) in three parts, from the geometry of a levelled pose (pixels).

    * jitter: the spread of the frames' own shares (levelled `frames`), over the independent readings; a
      still (no `frames`) has one reading, with MediaPipe's frame-to-frame scatter;
    * landmarks: how far MediaPipe places body and feet sideways, a fixed share of stature;
    * roll: the roll's SD swings the centre of mass sideways by its height above the feet.
    Each is a sideways distance divided by the distance between the feet, so a narrow stance widens all three.
    """
    span = abs(float(support_point(image, "left")[0] - support_point(image, "right")[0]))
    span = max(span, 1e-6)
    com = centre_of_mass(image, sex)
    height = float(np.mean([support_point(image, side)[1] for side in SIDES]) - com[1])
    if frames is not None and len(frames) > 1:
        shares = [lever_position_left(frame, sex) for frame in frames]
        jitter = float(np.std(shares, ddof=1)) / math.sqrt(max(len(frames) / JITTER_FRAMES, 1.0))
    else:
        jitter = FRAME_SD_PER_STATURE * stature_px(image) / span
    return {"jitter": jitter, "landmarks": LANDMARK_SD_PER_STATURE * stature_px(image) / span,
            "roll": abs(height) * math.radians(roll_sd_deg) / span}


# --- lines and angles in the frontal plane -------------------------------------------------------

ANKLE_ALONG_FOOT = 0.20  # the ankle lies above the heel-toe line about 20 % of the way from the heel


def left_direction(image: np.ndarray) -> float:
    """+1 if the person's left is towards +x in the image (facing the camera), else -1."""
    d = (image[LEFT_HIP, 0] + image[LEFT_ANKLE, 0]) - (image[RIGHT_HIP, 0] + image[RIGHT_ANKLE, 0])
    return 1.0 if d >= 0 else -1.0


def line_tilt_deg(image: np.ndarray, left: int, right: int) -> float:
    """Tilt of the left-right line against the horizontal; + = the left end is higher."""
    dx = abs(image[left, 0] - image[right, 0])
    dy = image[right, 1] - image[left, 1]  # y down: positive when the left end is higher
    return float(math.degrees(math.atan2(dy, max(dx, 1e-9))))


def medial_sign(image: np.ndarray, side: str) -> float:
    """+1 if medial (towards the other foot) is +x in the image for this foot."""
    other = image[SIDES[OTHER[side]]["ankle"], 0]
    return 1.0 if other >= image[SIDES[side]["ankle"], 0] else -1.0


def ankle_offset_px(image: np.ndarray, side: str) -> float:
    """The ankle's medial (+) offset from the heel-toe line, at the ankle's place along the foot."""
    s = SIDES[side]
    on_line = image[s["heel"], 0] + ANKLE_ALONG_FOOT * (image[s["toe"], 0] - image[s["heel"], 0])
    return float(medial_sign(image, side) * (image[s["ankle"], 0] - on_line))


def fppa_deg(image: np.ndarray, side: str) -> float:
    """Frontal plane projection angle at the knee: 180 minus the hip-knee-ankle angle in the image.

    + = valgus (knee medial of the hip-ankle line, "knock-knee"), - = varus.
    """
    s = SIDES[side]
    hip, knee, ankle = image[s["hip"], :2], image[s["knee"], :2], image[s["ankle"], :2]
    thigh, shank = knee - hip, ankle - knee
    angle = math.degrees(math.atan2(abs(thigh[0] * shank[1] - thigh[1] * shank[0]), float(np.dot(thigh, shank))))
    # Where is the knee relative to the hip-ankle line, measured towards medial?
    t = float(np.dot(knee - hip, ankle - hip) / max(np.dot(ankle - hip, ankle - hip), 1e-9))
    on_line = hip + t * (ankle - hip)
    medial = medial_sign(image, side) * (knee[0] - on_line[0])
    return float(angle if medial >= 0 else -angle)


def toe_out_deg(world: np.ndarray, side: str) -> float:
    """Toe-out of the foot (heel -> toe against the body's forward direction), from world landmarks.

    The forward direction is perpendicular to the hip line in the floor plane, so a camera
    that is not straight in front does not bias it. + = toes out.
    """
    s = SIDES[side]
    hips = world[LEFT_HIP] - world[RIGHT_HIP]
    lateral = np.array([hips[0], hips[2]], float)  # towards the person's left, in the x-z plane
    lateral /= max(np.linalg.norm(lateral), 1e-9)
    foot = world[s["toe"]] - world[s["heel"]]
    foot2 = np.array([foot[0], foot[2]], float)
    length = np.linalg.norm(foot2)
    if length < 1e-6:
        return 0.0
    sideways = float(np.dot(foot2, lateral)) / length  # + = towards the person's left
    outward = sideways if side == "left" else -sideways
    return float(math.degrees(math.asin(np.clip(outward, -1.0, 1.0))))


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
