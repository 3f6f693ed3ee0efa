"""The barefoot check: weight share, foot tilt and a posture snapshot from a standing capture.

Everything here is a pure function on landmark arrays, so it runs on cached
`LandmarkSeries` without a model or a video; only the foot roll also needs the
capture's picture (see `foot_roll`). Conventions:

* Image landmarks are in pixels, `(33, 3)`: x to the right, y down, z MediaPipe's
  relative depth (scaled like x). "Left" is always the person's left, whatever
  way they face; lateral directions are worked out from where the left and right
  landmarks are, never assumed from the camera.
* Lengths are turned into centimetres with an assumed stature (170 cm unless
  given): the body's own segment lengths in pixels are compared with their
  average fraction of stature. Shares and angles do not depend on it.

Weight share is a screening estimate, not a scale: the whole-body centre of mass
(de Leva 1996 segment fractions, placed on the image landmarks) is put between
the two feet's support points with the static lever rule. The image landmarks
are used, not MediaPipe's world landmarks: on the synthetic footage with exact
truth the world landmarks were 13-16 percentage points off (they are centred at
the hips and place the feet poorly sideways), the image landmarks about 1.

Foot tilt is below what MediaPipe resolves: 8 degrees of eversion moves the
ankle about 1 cm medially, about 3 px at 3.6 m, and MediaPipe follows only about
15 % of that. So the roll is read from the pixels of each foot by a small
network trained on rendered feet (`foot_roll`); the landmarks only place the
crops. See `foot_tilt`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Callable, Optional, Sequence

import numpy as np

from posecheck.detect import foot_roll
from posecheck.errors import NoPerson, PosecheckError
from posecheck.pose.landmarks import LEFT_ANKLE, LEFT_ELBOW, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, LEFT_TOE, LEFT_WRIST, NOSE, NUM_LANDMARKS, RIGHT_ANKLE, RIGHT_ELBOW, RIGHT_HEEL, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER, RIGHT_TOE, RIGHT_WRIST

LEFT_EAR, RIGHT_EAR = 7, 8
LEFT_PINKY, RIGHT_PINKY = 17, 18
LEFT_INDEX, RIGHT_INDEX = 19, 20
HEAD_POINTS = list(range(0, 11))  # nose, eyes, ears, mouth
FEET_POINTS = [LEFT_ANKLE, RIGHT_ANKLE, LEFT_HEEL, RIGHT_HEEL, LEFT_TOE, RIGHT_TOE]
# Landmarks whose movement counts as "the person moved" (the hands may fidget).
BODY_POINTS = [NOSE, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE] + FEET_POINTS

SIDES = {
    "left": dict(shoulder=LEFT_SHOULDER, elbow=LEFT_ELBOW, wrist=LEFT_WRIST, index=LEFT_INDEX, pinky=LEFT_PINKY,
                 hip=LEFT_HIP, knee=LEFT_KNEE, ankle=LEFT_ANKLE, heel=LEFT_HEEL, toe=LEFT_TOE),
    "right": dict(shoulder=RIGHT_SHOULDER, elbow=RIGHT_ELBOW, wrist=RIGHT_WRIST, index=RIGHT_INDEX, pinky=RIGHT_PINKY,
                  hip=RIGHT_HIP, knee=RIGHT_KNEE, ankle=RIGHT_ANKLE, heel=RIGHT_HEEL, toe=RIGHT_TOE),
}
OTHER = {"left": "right", "right": "left"}

# --- anthropometry ---------------------------------------------------------------------------

# de Leva P. (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters,
# J Biomech 29(9):1223-30, table 4: mass fraction of body mass, and the segment's centre of
# mass as a fraction of its length from the proximal end (head: vertex -> C7; trunk:
# C7 -> hip-joint midpoint; hand: wrist -> 3rd metacarpal head; foot: heel -> toe tip).
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

DEFAULT_STATURE_M = 1.70
# Both sides' shoulder-hip + hip-knee + knee-ankle lengths, as a multiple of stature
# (Drillis & Contini proportions: 2 x (0.29 + 0.245 + 0.246)).
BODY_LENGTH_PER_STATURE = 1.563
SUPPORT_ALONG_FOOT = 0.19  # support point: about 4.8 cm in front of the ankle on a 25 cm foot
SUPPORT_ON_SOLE = 0.40  # ... which is about 40 % of the way from the back of the heel to the big toe
ANKLE_ALONG_FOOT = 0.20  # the ankle lies above the heel-toe line about 20 % of the way from the heel
# With a neutral foot the ankle sits about 6 mm (at 1.75 m) lateral of that point, because
# MediaPipe's "foot index" is the big toe, about 2.4 cm medial of the foot's long axis.
NEUTRAL_ANKLE_OFFSET_PER_STATURE = -0.0036
# The roll is read by models/foot_roll.npz. A tilt is called from 4 degrees on: half-way
# between a neutral foot and the 6 degrees the check must tell apart. On the model's
# validation clips (not the test clips) any threshold from 3 to 5 degrees did as well.
TILT_THRESHOLD_DEG = 4.0

EVEN_BAND_PCT = 5.0  # within 45/55 reads as even
CLINICAL_BAND_PCT = 9.0  # beyond 41/59 is the usual clinical asymmetry
LIFTED_FOOT_PER_STATURE = 0.12  # a foot whose lowest point is this much above the other's is off the floor,
LIFTED_FOOT_BALANCED_PER_STATURE = 0.04  # ... or this much while the body's weight is over the other foot
LIFTED_BALANCE_SHARE = 0.85
STANDING_KNEE_DEG = 125.0  # at least one knee this straight (3D hip-knee-ankle angle; sitting read 97-109)
STANDING_LEG_VERTICAL = 0.6  # and that leg's hip-to-ankle drop in the image at least this share of its length
FRONTAL_WARN_DEG = 18.0  # MediaPipe reads a turn at about 0.6 of its size from the front (35 deg read 20)
FRONTAL_REFUSE_DEG = 55.0
SHOULDER_TO_TORSO_MIN = 0.30  # shoulder width / torso height below this is a side view
SHOULDER_TO_TORSO_MAX = 1.20  # ... and above this no real standing body (people read 0.5-0.75)
AWAY_DEG = 120.0  # turned further than this: seen from behind
STILL_TOLERANCE_PER_STATURE = 0.015  # a frame whose pose is further than this from the window's median moved
STILL_ENOUGH_FRACTION = 0.6
STILL_REFUSE_FRACTION = 0.3
CUT_OFF_FRACTION = 0.3  # refuse when head or feet are out of the picture in this share of the window's frames
TURNED_OUT_DEG = 15.0
WIDE_STANCE_RATIO = 1.5
NARROW_STANCE_RATIO = 0.6


class NotStill(PosecheckError):
    """The person moved through most of the capture."""


REFUSAL_MESSAGES = {
    "nobody": "nobody in view; stand about 3 m in front of the camera, whole body in the picture",
    "head": "the head is out of the picture; step back or aim the camera so head and feet are both visible",
    "feet": "the feet are out of the picture; step back or aim the camera so head and feet are both visible",
    "head+feet": "head and feet are out of the picture; step back until the whole body is visible",
    "sideways": "the body faces too far sideways; stand facing the camera",
    "away": "the body is not seen from the front; stand facing the camera",
    "partial": "no whole body in the picture, only part of one; step back so that head and feet are both visible",
    "not_standing": "the person does not seem to be standing; stand upright with both feet on the floor",
    "window": "the chosen window is outside the recording; check --start and --seconds",
}


class CheckRefused(NoPerson):
    """The capture cannot give a trustworthy check (out of view, sideways, nobody)."""

    def __init__(self, reason: str, message: Optional[str] = None):
        super().__init__(message or REFUSAL_MESSAGES.get(reason, reason))
        self.reason = reason


# --- small geometry --------------------------------------------------------------------------


def _mid(points: np.ndarray, a: int, b: int) -> np.ndarray:
    return (points[a] + points[b]) / 2


def _along(points: np.ndarray, a: int, b: int, fraction: float) -> np.ndarray:
    return points[a] + fraction * (points[b] - points[a])


def body_length_px(image: np.ndarray) -> float:
    """Both sides' shoulder-hip, hip-knee and knee-ankle lengths in the image (pixels)."""
    total = 0.0
    for side in SIDES.values():
        for a, b in (("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle")):
            total += float(np.linalg.norm(image[side[a], :2] - image[side[b], :2]))
    return total


def px_per_metre(image: np.ndarray, stature_m: float = DEFAULT_STATURE_M) -> float:
    return body_length_px(image) / (BODY_LENGTH_PER_STATURE * stature_m)


def left_direction(image: np.ndarray) -> float:
    """+1 if the person's left is towards +x in the image (facing the camera), else -1."""
    d = (image[LEFT_HIP, 0] + image[LEFT_ANKLE, 0]) - (image[RIGHT_HIP, 0] + image[RIGHT_ANKLE, 0])
    return 1.0 if d >= 0 else -1.0


def line_tilt_deg(image: np.ndarray, left: int, right: int) -> float:
    """Tilt of the left-right line against the horizontal; + = the left end is higher."""
    dx = abs(image[left, 0] - image[right, 0])
    dy = image[right, 1] - image[left, 1]  # y down: positive when the left end is higher
    return float(math.degrees(math.atan2(dy, max(dx, 1e-9))))


# --- centre of mass and the lever rule ---------------------------------------------------------


def centre_of_mass(points: np.ndarray, sex: str = "average") -> np.ndarray:
    """Whole-body centre of mass from de Leva segment fractions, on image or world landmarks.

    `points` is (33, D); the result has the same D. The head's centre of mass is taken at
    the midpoint of the ears, the trunk's on the line from the shoulder midpoint (for C7)
    to the hip midpoint.
    """
    table = DE_LEVA[sex]
    head = _mid(points, LEFT_EAR, RIGHT_EAR)
    if not np.all(np.isfinite(head)):
        head = points[NOSE]
    neck = _mid(points, LEFT_SHOULDER, RIGHT_SHOULDER)
    pelvis = _mid(points, LEFT_HIP, RIGHT_HIP)
    parts = [(table["head"][0], head), (table["trunk"][0], neck + table["trunk"][1] * (pelvis - neck))]
    for s in SIDES.values():
        hand_end = (points[s["index"]] + points[s["pinky"]]) / 2
        if not np.all(np.isfinite(hand_end)):
            hand_end = points[s["wrist"]] + 0.25 * (points[s["wrist"]] - points[s["elbow"]])
        parts += [
            (table["upper_arm"][0], _along(points, s["shoulder"], s["elbow"], table["upper_arm"][1])),
            (table["forearm"][0], _along(points, s["elbow"], s["wrist"], table["forearm"][1])),
            (table["hand"][0], points[s["wrist"]] + table["hand"][1] * (hand_end - points[s["wrist"]])),
            (table["thigh"][0], _along(points, s["hip"], s["knee"], table["thigh"][1])),
            (table["shank"][0], _along(points, s["knee"], s["ankle"], table["shank"][1])),
            (table["foot"][0], _along(points, s["heel"], s["toe"], table["foot"][1])),
        ]
    mass = sum(m for m, _ in parts)
    return sum(m * p for m, p in parts) / mass


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
    """Static share of body weight on the left foot, from the lever rule, clipped to 0..1."""
    span = support_left_x - support_right_x
    if abs(span) < 1e-9:
        return 0.5
    return float(np.clip((com_x - support_right_x) / span, 0.0, 1.0))


def lifted_feet(image: np.ndarray, stature_px: float, sex: str = "average") -> dict[str, bool]:
    """Which foot is off the floor (a single-leg stand), from the image (y down).

    A foot counts as lifted when its lowest point is more than 12 % of stature above the
    other foot's, or more than 4 % while the centre of mass stands over the other foot
    (lever rule >= 85 %). A foot merely set back looks raised in a camera from above (a
    walking stance read 5 % of stature), and MediaPipe's world landmarks were too noisy to
    tell the two apart (+-10 cm), so the balance has to agree for small lifts.
    """
    bottom = {side: max(image[s["heel"], 1], image[s["toe"], 1], image[s["ankle"], 1]) for side, s in SIDES.items()}
    com_x = float(centre_of_mass(image, sex)[0])
    share = lever_share(com_x, float(support_point(image, "left")[0]), float(support_point(image, "right")[0]))
    on = {"left": share, "right": 1.0 - share}
    lifted = {}
    for side in SIDES:
        raised = (bottom[OTHER[side]] - bottom[side]) / max(stature_px, 1e-9)
        lifted[side] = bool(raised > LIFTED_FOOT_PER_STATURE or (raised > LIFTED_FOOT_BALANCED_PER_STATURE and on[OTHER[side]] >= LIFTED_BALANCE_SHARE))
    return lifted


def weight_share_left(points: np.ndarray, sex: str = "average", lifted: Optional[dict[str, bool]] = None) -> float:
    """Share (0..1) of body weight on the left foot from landmarks (image px or world metres)."""
    lifted = lifted or {"left": False, "right": False}
    if lifted["left"] and not lifted["right"]:
        return 0.0
    if lifted["right"] and not lifted["left"]:
        return 1.0
    com = centre_of_mass(points, sex)
    return lever_share(float(com[0]), float(support_point(points, "left")[0]), float(support_point(points, "right")[0]))


def weight_band(left_pct: float) -> str:
    off = abs(left_pct - 50.0)
    if off < EVEN_BAND_PCT:
        return "even"
    if off <= CLINICAL_BAND_PCT:
        return "slight"
    return "uneven"


# --- feet ------------------------------------------------------------------------------------


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


@dataclasses.dataclass
class FootResult:
    side: str
    lifted: bool
    tilt: str  # "inward", "outward", "neutral"; "lifted" for a foot in the air, "unknown" without a picture
    roll_deg: Optional[float]  # + = rolled inward (eversion / pronation), read from the picture by the roll model
    roll_uncertainty_deg: Optional[float]  # twice the roll model's error SD on its validation clips
    ankle_offset_mm: Optional[float]  # measured: ankle medial (+) of the heel-toe line, neutral subtracted
    fppa_deg: float  # measured: knee frontal plane projection angle, + = valgus
    toe_out_deg: float  # measured (coarse): + = toes out
    weight_pct: float

    def to_dict(self) -> dict:
        return {
            "tilt": self.tilt,
            "roll_deg": _round(self.roll_deg, 1),
            "roll_uncertainty_deg": _round(self.roll_uncertainty_deg, 1),
            "lifted": self.lifted,
            "weight_pct": _round(self.weight_pct, 1),
            "ankle_offset_mm": _round(self.ankle_offset_mm, 1),
            "fppa_deg": _round(self.fppa_deg, 1),
            "toe_out_deg": _round(self.toe_out_deg, 1),
            "measured": ["ankle_offset_mm", "fppa_deg", "toe_out_deg"],
            "inferred": ["roll_deg", "tilt"],
        }


def foot_tilt(image: np.ndarray, world: np.ndarray, side: str, scale_px_per_m: float, stature_m: float,
              lifted: bool, weight_pct: float, roll_deg: Optional[float] = None,
              roll_uncertainty_deg: Optional[float] = None) -> FootResult:
    """One foot's tilt from its roll (read from the picture by `foot_roll`), with the landmark measures beside it.

    The ankle's offset from the heel-toe line, the knee's FPPA and the toe-out are measured
    and reported, but do not decide the tilt: MediaPipe does not follow the ankle's few
    millimetres, and knock-knees alone must not make a foot read "inward".
    """
    fppa = fppa_deg(image, side)
    toe_out = toe_out_deg(world, side)
    if lifted:
        return FootResult(side, True, "lifted", None, None, None, fppa, toe_out, weight_pct)
    offset_mm = (ankle_offset_px(image, side) / scale_px_per_m - NEUTRAL_ANKLE_OFFSET_PER_STATURE * stature_m) * 1000.0
    if roll_deg is None:
        tilt = "unknown"
    else:
        tilt = "inward" if roll_deg >= TILT_THRESHOLD_DEG else "outward" if roll_deg <= -TILT_THRESHOLD_DEG else "neutral"
    return FootResult(side, False, tilt, roll_deg, roll_uncertainty_deg, offset_mm, fppa, toe_out, weight_pct)


# --- view checks -----------------------------------------------------------------------------


def yaw_deg(world: np.ndarray) -> float:
    """How far the body is turned from facing the camera (0 = frontal, +-90 = side, 180 = back)."""
    angles = []
    for left, right in ((LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_HIP, RIGHT_HIP)):
        v = world[left] - world[right]
        angles.append(math.atan2(v[2], v[0]))
    return float(math.degrees(math.atan2(np.mean(np.sin(angles)), np.mean(np.cos(angles)))))


def shoulder_to_torso(image: np.ndarray) -> float:
    width = abs(image[LEFT_SHOULDER, 0] - image[RIGHT_SHOULDER, 0])
    torso = abs(_mid(image, LEFT_SHOULDER, RIGHT_SHOULDER)[1] - _mid(image, LEFT_HIP, RIGHT_HIP)[1])
    return float(width / max(torso, 1e-9))


def out_of_view(norm_image: np.ndarray, visibility: np.ndarray) -> list[str]:
    """Which of "head" and "feet" are outside the picture (normalised landmarks) or not seen."""
    missing = []
    for part, points in (("head", HEAD_POINTS), ("feet", FEET_POINTS)):
        xy = norm_image[points, :2]
        outside = np.any((xy < 0.0) | (xy > 1.0)) or not np.all(np.isfinite(xy))
        unseen = float(np.mean(visibility[points])) < 0.3
        if outside or unseen:
            missing.append(part)
    return missing


def view_problem(norm_image: np.ndarray, visibility: np.ndarray, world: np.ndarray, width: int, height: int) -> Optional[str]:
    """The reason this pose cannot be checked, or None.

    "head", "feet", "head+feet" (out of the picture or not seen), "partial" (a skeleton
    squeezed into part of a body), "away", "sideways", "not_standing".
    """
    missing = out_of_view(norm_image, visibility)
    if missing:
        return "+".join(missing)
    image = norm_image * np.array([width, height, width], np.float32)
    if shoulder_to_torso(image) > SHOULDER_TO_TORSO_MAX:
        return "partial"  # a squashed skeleton: MediaPipe fitted a body to part of one
    yaw = abs(yaw_deg(world))
    if yaw > AWAY_DEG:
        return "away"
    if yaw > FRONTAL_REFUSE_DEG or shoulder_to_torso(image) < SHOULDER_TO_TORSO_MIN:
        return "sideways"
    if not standing(image, world):
        return "not_standing"
    return None


def knee_angle_deg(world: np.ndarray, side: str) -> float:
    s = SIDES[side]
    a, b = world[s["hip"]] - world[s["knee"]], world[s["ankle"]] - world[s["knee"]]
    cos = float(np.dot(a, b) / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-9))
    return float(math.degrees(math.acos(np.clip(cos, -1.0, 1.0))))


def standing(image: np.ndarray, world: np.ndarray) -> bool:
    """At least one leg is nearly straight and upright under its hip (not sitting, kneeling or lying)."""
    for side, s in SIDES.items():
        length = np.linalg.norm(image[s["knee"], :2] - image[s["hip"], :2]) + np.linalg.norm(image[s["ankle"], :2] - image[s["knee"], :2])
        drop = image[s["ankle"], 1] - image[s["hip"], 1]
        if knee_angle_deg(world, side) >= STANDING_KNEE_DEG and drop >= STANDING_LEG_VERTICAL * max(length, 1e-9):
            return True
    return False


# --- capture: window, movement rejection, averaging -------------------------------------------


@dataclasses.dataclass
class Capture:
    """The landmarks of a standing capture (every frame of a clip, the frames of a camera capture, or one still)."""

    t: np.ndarray  # (N,) seconds
    image: np.ndarray  # (N, 33, 3) normalised, NaN where nobody was found
    visibility: np.ndarray  # (N, 33)
    world: np.ndarray  # (N, 33, 3)
    width: int
    height: int
    people: Optional[np.ndarray] = None
    still_image: bool = False

    @classmethod
    def from_series(cls, series, still_image: bool = False) -> "Capture":
        return cls(np.asarray(series.t, float), np.asarray(series.image, np.float32), np.asarray(series.visibility, np.float32),
                   np.asarray(series.world, np.float32), int(series.width), int(series.height),
                   np.asarray(series.people), still_image)

    def __len__(self) -> int:
        return len(self.t)

    @property
    def detected(self) -> np.ndarray:
        return np.isfinite(self.image[:, 0, 0])

    def pixels(self) -> np.ndarray:
        return self.image * np.array([self.width, self.height, self.width], np.float32)


LEG_PAIRS = [(LEFT_KNEE, RIGHT_KNEE), (LEFT_ANKLE, RIGHT_ANKLE), (LEFT_HEEL, RIGHT_HEEL), (LEFT_TOE, RIGHT_TOE)]
SWAP_RATIO = 0.5


def legs_swapped(image: np.ndarray) -> bool:
    """MediaPipe sometimes gives the legs each other's labels (the body says left, the legs right).

    The feet are compared with the hips sideways: if each foot lies much nearer the other
    side's hip than its own, the leg labels are crossed.
    """
    hip_l, hip_r = image[LEFT_HIP, 0], image[RIGHT_HIP, 0]
    same = crossed = 0.0
    for left, right in LEG_PAIRS[1:]:
        same += abs(image[left, 0] - hip_l) + abs(image[right, 0] - hip_r)
        crossed += abs(image[left, 0] - hip_r) + abs(image[right, 0] - hip_l)
    return bool(crossed < SWAP_RATIO * same)


def fix_leg_swaps(capture: "Capture") -> int:
    """Swap the leg labels back where MediaPipe crossed them; returns how many frames it fixed."""
    fixed = 0
    order = np.arange(NUM_LANDMARKS)
    for left, right in LEG_PAIRS:
        order[left], order[right] = right, left
    for i in np.flatnonzero(capture.detected):
        if legs_swapped(capture.image[i]):
            capture.image[i] = capture.image[i][order]
            capture.world[i] = capture.world[i][order]
            capture.visibility[i] = capture.visibility[i][order]
            fixed += 1
    return fixed


def _frame_problems(capture: Capture) -> list[Optional[str]]:
    problems: list[Optional[str]] = []
    for i in range(len(capture)):
        if not capture.detected[i]:
            problems.append("nobody")
        else:
            problems.append(view_problem(capture.image[i], capture.visibility[i], capture.world[i], capture.width, capture.height))
    return problems


def _speeds(capture: Capture) -> np.ndarray:
    """Per-frame movement of the body landmarks, in statures per second (NaN where unknown)."""
    px = capture.pixels()
    speed = np.full(len(capture), np.nan)
    for i in range(1, len(capture)):
        if capture.detected[i] and capture.detected[i - 1]:
            stature = body_length_px(px[i]) / BODY_LENGTH_PER_STATURE
            dt = max(capture.t[i] - capture.t[i - 1], 1e-3)
            move = np.mean(np.linalg.norm(px[i, BODY_POINTS, :2] - px[i - 1, BODY_POINTS, :2], axis=1))
            speed[i] = move / max(stature, 1e-6) / dt
    return speed


def select_window(capture: Capture, seconds: float = 2.0, start: Optional[float] = None) -> tuple[int, int, list]:
    """Frame range [i0, i1) of the capture to analyse, and the per-frame problems.

    With `start`, the window is [start, start + seconds). Without it, the stillest window
    of that length in which the person is fully in view; a capture shorter than the window
    is used whole.
    """
    n = len(capture)
    problems = _frame_problems(capture)
    if n == 0:
        raise CheckRefused("nobody")
    t = capture.t
    if start is not None:
        i0 = int(np.searchsorted(t, start - 1e-6))
        i1 = int(np.searchsorted(t, start + seconds - 1e-6))
        if i0 >= n:
            raise CheckRefused("window")
        return i0, max(i1, i0 + 1), problems
    if n == 1 or t[-1] - t[0] <= seconds:
        return 0, n, problems
    speed = _speeds(capture)
    bad = np.array([p is not None for p in problems])
    best = None
    step = max(1, int(round(0.1 * n / max(t[-1] - t[0], 1e-6))))  # about every 0.1 s
    for i0 in range(0, n, step):
        i1 = int(np.searchsorted(t, t[i0] + seconds - 1e-6))
        if i1 > n or (i1 == n and t[-1] - t[i0] < seconds * 0.95):
            break
        window_speed = speed[i0 + 1:i1]
        valid = np.isfinite(window_speed)
        score = (np.mean(window_speed[valid]) if valid.any() else 1e3) + 10.0 * float(np.mean(bad[i0:i1]))
        if best is None or score < best[0]:
            best = (score, i0, i1)
    if best is None:
        return 0, n, problems
    return best[1], best[2], problems


@dataclasses.dataclass
class AveragedPose:
    image: np.ndarray  # (33, 3) pixels
    norm_image: np.ndarray  # (33, 3) normalised
    visibility: np.ndarray  # (33,)
    world: np.ndarray  # (33, 3)
    frames_total: int
    frames_used: int
    motion_mm: float  # median deviation of the used frames from their mean pose
    frame_index: int  # the used frame nearest to the mean pose (for the picture)
    used: np.ndarray  # indices of the frames that were averaged


def average_still_frames(capture: Capture, i0: int, i1: int, stature_m: float = DEFAULT_STATURE_M) -> AveragedPose:
    """Average the window's frames in which the person stood still; the others are rejected."""
    idx = np.arange(i0, i1)
    idx = idx[capture.detected[idx]]
    if len(idx) == 0:
        raise CheckRefused("nobody")
    px = capture.pixels()[idx]
    median = np.median(px, axis=0)
    stature_px = body_length_px(median) / BODY_LENGTH_PER_STATURE
    # the mean over the body's points: with the feet planted, a median would miss the trunk moving
    deviation = np.mean(np.linalg.norm(px[:, BODY_POINTS, :2] - median[None, BODY_POINTS, :2], axis=2), axis=1)
    keep = deviation <= STILL_TOLERANCE_PER_STATURE * stature_px
    if not keep.any():
        keep = deviation <= np.min(deviation)
    used = idx[keep]
    mean_px = capture.pixels()[used].mean(axis=0)
    mean_norm = capture.image[used].mean(axis=0)
    dev_used = np.mean(np.linalg.norm(capture.pixels()[used][:, BODY_POINTS, :2] - mean_px[None, BODY_POINTS, :2], axis=2), axis=1)
    scale = stature_px / stature_m
    nearest = int(used[np.argmin(dev_used)])
    return AveragedPose(
        image=mean_px, norm_image=mean_norm, visibility=capture.visibility[used].mean(axis=0), world=capture.world[used].mean(axis=0),
        frames_total=int(i1 - i0), frames_used=int(len(used)), motion_mm=float(np.median(dev_used) / scale * 1000.0),
        frame_index=nearest, used=used,
    )


# --- the result ------------------------------------------------------------------------------


def _round(value: Optional[float], digits: int) -> Optional[float]:
    return None if value is None else round(float(value), digits)


@dataclasses.dataclass
class Quality:
    whole_body_visible: bool
    frontal_enough: bool
    still_enough: bool
    yaw_deg: float
    frames_total: int
    frames_used: int
    motion_mm: float
    people: int = 1

    def to_dict(self) -> dict:
        return {
            "whole_body_visible": self.whole_body_visible,
            "frontal_enough": self.frontal_enough,
            "still_enough": self.still_enough,
            "yaw_deg": round(self.yaw_deg, 1),
            "frames_total": self.frames_total,
            "frames_used": self.frames_used,
            "motion_mm": round(self.motion_mm, 1),
            "people": self.people,
        }


@dataclasses.dataclass
class Stance:
    width_cm: float  # ankle to ankle
    hip_width_cm: float  # MediaPipe's hip landmarks
    ratio: float
    toe_out_deg: float  # mean of both feet
    type: str  # "parallel", "wide", "narrow", "turned out", "wide, turned out", ... or "single leg"

    def to_dict(self) -> dict:
        return {"width_cm": round(self.width_cm, 1), "hip_width_cm": round(self.hip_width_cm, 1), "ratio": round(self.ratio, 2),
                "toe_out_deg": round(self.toe_out_deg, 1), "type": self.type}


@dataclasses.dataclass
class CheckResult:
    weight_left_pct: float
    weight_band: str  # "even", "slight", "uneven"
    feet: dict  # side -> FootResult
    shoulder_tilt_deg: float  # + = left shoulder higher
    pelvis_tilt_deg: float  # + = left hip higher
    head_shift_cm: float  # + = towards the person's left of the plumb line
    trunk_shift_cm: float
    com_shift_cm: float
    stance: Stance
    quality: Quality
    sex: str
    stature_m: float
    px_per_m: float
    # for the picture: averaged landmarks (pixels), the plumb line's x, the COM and supports
    landmarks_px: np.ndarray
    plumb_x: float
    com_px: np.ndarray
    supports_px: dict
    source: str = ""
    window_start_s: float = 0.0
    window_seconds: float = 0.0
    frame_index: int = 0

    @property
    def weight_right_pct(self) -> float:
        return 100.0 - self.weight_left_pct

    def to_dict(self) -> dict:
        return {
            "check": "barefoot",
            "note": "screening estimate from a camera, not a scale or a diagnosis",
            "source": self.source,
            "window": {"start_s": round(self.window_start_s, 2), "seconds": round(self.window_seconds, 2)},
            "weight_left_pct": round(self.weight_left_pct, 1),
            "weight_right_pct": round(self.weight_right_pct, 1),
            "weight_band": self.weight_band,
            "weight_method": "centre of mass (de Leva 1996, %s) between the feet's support points, lever rule, image landmarks" % self.sex,
            "feet": {side: foot.to_dict() for side, foot in self.feet.items()},
            "shoulder_tilt_deg": round(self.shoulder_tilt_deg, 1),
            "pelvis_tilt_deg": round(self.pelvis_tilt_deg, 1),
            "head_shift_cm": round(self.head_shift_cm, 1),
            "trunk_shift_cm": round(self.trunk_shift_cm, 1),
            "com_shift_cm": round(self.com_shift_cm, 1),
            "stance": self.stance.to_dict(),
            "quality": self.quality.to_dict(),
            "conventions": {
                "tilt_deg": "+ = the person's left side higher",
                "shift_cm": "+ = towards the person's left of the plumb line through the midpoint between the feet",
                "roll_deg": "+ = rolled inward (eversion, pronation), - = outward (inversion, supination)",
                "fppa_deg": "+ = knee medial of the hip-ankle line (valgus)",
                "lengths": "centimetres assume a stature of %.0f cm" % (self.stature_m * 100),
            },
        }

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def analyse(pose: AveragedPose, sex: str = "average", stature_m: float = DEFAULT_STATURE_M, yaw: Optional[float] = None,
            still_image: bool = False, people: int = 1, picture: Optional[np.ndarray] = None) -> CheckResult:
    """The barefoot check on an averaged standing pose.

    `picture` is the mean of the averaged frames (BGR); the feet's roll is read from it.
    Without one, every standing foot's tilt is "unknown".
    """
    if sex not in DE_LEVA:
        raise ValueError(f"sex must be one of {sorted(DE_LEVA)}")
    image, world = pose.image, pose.world
    scale = px_per_metre(image, stature_m)
    stature_px = scale * stature_m
    lifted = lifted_feet(image, stature_px, sex)
    share = weight_share_left(image, sex, lifted)
    left_pct = 100.0 * share
    com = centre_of_mass(image, sex)
    supports = {side: support_point(image, side) for side in SIDES}
    left_dir = left_direction(image)
    planted = [side for side in SIDES if not lifted[side]] or list(SIDES)
    plumb_x = float(np.mean([supports[side][0] for side in planted]))
    to_cm = lambda x: float(left_dir * (x - plumb_x) / scale * 100.0)
    weights = {"left": left_pct, "right": 100.0 - left_pct}
    rolls, uncertainty = {}, None
    if picture is not None:
        reader = foot_roll.shipped_reader()
        rolls = reader.read_feet(picture, image, [side for side in SIDES if not lifted[side]])
        uncertainty = reader.uncertainty_deg
    feet = {side: foot_tilt(image, world, side, scale, stature_m, lifted[side], weights[side], rolls.get(side), uncertainty)
            for side in SIDES}
    width_cm = abs(image[LEFT_ANKLE, 0] - image[RIGHT_ANKLE, 0]) / scale * 100.0
    hip_cm = abs(image[LEFT_HIP, 0] - image[RIGHT_HIP, 0]) / scale * 100.0
    ratio = width_cm / max(hip_cm, 1e-6)
    toe_out = float(np.mean([feet[s].toe_out_deg for s in SIDES]))
    if any(lifted.values()):
        kind = "single leg"
    else:
        parts = ["wide" if ratio > WIDE_STANCE_RATIO else "narrow" if ratio < NARROW_STANCE_RATIO else "parallel"]
        if toe_out >= TURNED_OUT_DEG:
            parts = [p for p in parts if p != "parallel"] + ["turned out"]
        kind = ", ".join(parts)
    yaw = yaw_deg(world) if yaw is None else yaw
    quality = Quality(
        whole_body_visible=not out_of_view(pose.norm_image, pose.visibility),
        frontal_enough=abs(yaw) <= FRONTAL_WARN_DEG,
        still_enough=True if still_image else pose.frames_used >= STILL_ENOUGH_FRACTION * pose.frames_total,
        yaw_deg=yaw, frames_total=pose.frames_total, frames_used=pose.frames_used, motion_mm=pose.motion_mm, people=people,
    )
    return CheckResult(
        weight_left_pct=left_pct, weight_band=weight_band(left_pct), feet=feet,
        shoulder_tilt_deg=line_tilt_deg(image, LEFT_SHOULDER, RIGHT_SHOULDER),
        pelvis_tilt_deg=line_tilt_deg(image, LEFT_HIP, RIGHT_HIP),
        head_shift_cm=to_cm(_mid(image, LEFT_EAR, RIGHT_EAR)[0]),
        trunk_shift_cm=to_cm(_mid(image, LEFT_SHOULDER, RIGHT_SHOULDER)[0]),
        com_shift_cm=to_cm(com[0]),
        stance=Stance(width_cm, hip_cm, ratio, toe_out, kind),
        quality=quality, sex=sex, stature_m=stature_m, px_per_m=scale,
        landmarks_px=image, plumb_x=plumb_x, com_px=com, supports_px=supports, frame_index=pose.frame_index,
    )


def check_capture(capture: Capture, seconds: float = 2.0, start: Optional[float] = None, sex: str = "average",
                  stature_m: float = DEFAULT_STATURE_M, source: str = "",
                  pictures: Optional[Callable[[Sequence[int]], np.ndarray]] = None) -> CheckResult:
    """Window, movement rejection, view checks, averaging and analysis, in that order.

    `pictures(indices)` gives the mean BGR picture of those frames of the capture; the feet's
    roll is read from the mean of the averaged frames. Without it the tilt is "unknown".

    Raises `CheckRefused` (a `NoPerson`, with `.reason` "nobody", "head", "feet",
    "head+feet", "partial", "away", "sideways", "not_standing" or "window") or `NotStill` instead of giving numbers that
    cannot be trusted.
    """
    if len(capture) == 0 or not capture.detected.any():
        raise CheckRefused("nobody")
    fix_leg_swaps(capture)
    i0, i1, problems = select_window(capture, seconds, start)
    window_problems = [problems[i] for i in range(i0, i1)]
    if all(p == "nobody" for p in window_problems):
        raise CheckRefused("nobody")
    # A body cut off by the frame edge in a good part of the window is refused as such, even
    # when the average looks complete: MediaPipe guesses the missing part, and the guess
    # also makes the body look turned.
    seen = [p for p in window_problems if p != "nobody"]
    cut = [p for p in seen if p in ("head", "feet", "head+feet", "partial")]
    if seen and len(cut) >= CUT_OFF_FRACTION * len(seen):
        raise CheckRefused(max(set(cut), key=cut.count))
    pose = average_still_frames(capture, i0, i1, stature_m)
    problem = view_problem(pose.norm_image, pose.visibility, pose.world, capture.width, capture.height)
    if problem:
        raise CheckRefused(problem)
    if not capture.still_image:
        detected = int(np.sum(capture.detected[i0:i1]))
        if pose.frames_used < STILL_REFUSE_FRACTION * (i1 - i0) or detected < STILL_REFUSE_FRACTION * (i1 - i0):
            raise NotStill("you moved during most of the capture; stand still for the whole capture and try again")
    people = int(np.max(capture.people[i0:i1])) if capture.people is not None and len(capture.people) else 1
    picture = pictures(pose.used) if pictures is not None else None
    result = analyse(pose, sex, stature_m, still_image=capture.still_image, people=people, picture=picture)
    result.source = source
    result.window_start_s = float(capture.t[i0])
    result.window_seconds = float(capture.t[i1 - 1] - capture.t[i0] + (capture.t[1] - capture.t[0] if len(capture) > 1 else 0.0))
    return result
