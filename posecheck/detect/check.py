"""The barefoot check: weight share, foot tilt and a posture snapshot from a standing capture.

`check_capture` sorts the capture's frames out (`posecheck.detect.capture`: view,
window, stillness, averaging) and `analyse` reads the averaged pose into a
`CheckResult`. Everything is a pure function on landmark arrays, so it runs on cached
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
(de Leva 1996 segment fractions, placed on the image landmarks: `body.geometry`) is
put between the two feet's support points with the static lever rule. The image
landmarks are used, not MediaPipe's world landmarks: on the synthetic footage with
exact truth the world landmarks were 13-16 percentage points off (they are centred
at the hips and place the feet poorly sideways), the image landmarks about 1.

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

from posecheck.body.geometry import (
    DEFAULT_STATURE_M, FRONTAL_DEG, LEFT_EAR, OTHER, RIGHT_EAR, SIDES, centre_of_mass, lever_share, px_per_metre,
    support_point, turn_deg,
)
from posecheck.detect import foot_roll
from posecheck.detect.capture import (
    Capture, AveragedPose, CheckRefused, NotStill, average_still_frames, fix_leg_swaps, out_of_view, select_window,
    view_problem, window_refusal,
)
from posecheck.pose.landmarks import LEFT_ANKLE, LEFT_HIP, LEFT_SHOULDER, RIGHT_ANKLE, RIGHT_HIP, RIGHT_SHOULDER

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
STILL_ENOUGH_FRACTION = 0.6  # at least this share of the window's frames averaged: still enough
STILL_REFUSE_FRACTION = 0.3  # fewer of the window's frames still (and with the person found) than this: refused
TURNED_OUT_DEG = 15.0
WIDE_STANCE_RATIO = 1.5
NARROW_STANCE_RATIO = 0.6


# --- small geometry ----------------------------------------------------------------------------


def left_direction(image: np.ndarray) -> float:
    """+1 if the person's left is towards +x in the image (facing the camera), else -1."""
    d = (image[LEFT_HIP, 0] + image[LEFT_ANKLE, 0]) - (image[RIGHT_HIP, 0] + image[RIGHT_ANKLE, 0])
    return 1.0 if d >= 0 else -1.0


def line_tilt_deg(image: np.ndarray, left: int, right: int) -> float:
    """Tilt of the left-right line against the horizontal; + = the left end is higher."""
    dx = abs(image[left, 0] - image[right, 0])
    dy = image[right, 1] - image[left, 1]  # y down: positive when the left end is higher
    return float(math.degrees(math.atan2(dy, max(dx, 1e-9))))


# --- weight share --------------------------------------------------------------------------------


def lever_share_left(points: np.ndarray, sex: str = "average") -> float:
    """Share (0..1) of body weight on the left foot by the lever rule, both feet taken as down."""
    com_x = float(centre_of_mass(points, sex)[0])
    return lever_share(com_x, float(support_point(points, "left")[0]), float(support_point(points, "right")[0]))


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


def weight_band(left_pct: float) -> str:
    off = abs(left_pct - 50.0)
    if off < EVEN_BAND_PCT:
        return "even"
    if off <= CLINICAL_BAND_PCT:
        return "slight"
    return "uneven"


# --- feet ----------------------------------------------------------------------------------------


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


def _round(value: Optional[float], digits: int) -> Optional[float]:
    return None if value is None else round(float(value), digits)


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


# --- the result ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Quality:
    whole_body_visible: bool
    frontal_enough: bool
    still_enough: bool
    yaw_deg: float  # how far the body is turned from the camera (`body.geometry.turn_deg`)
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


# --- the check -----------------------------------------------------------------------------------


def _stance_type(ratio: float, toe_out: float, single_leg: bool) -> str:
    if single_leg:
        return "single leg"
    parts = ["wide" if ratio > WIDE_STANCE_RATIO else "narrow" if ratio < NARROW_STANCE_RATIO else "parallel"]
    if toe_out >= TURNED_OUT_DEG:
        parts = [p for p in parts if p != "parallel"] + ["turned out"]
    return ", ".join(parts)


def analyse(pose: AveragedPose, sex: str = "average", stature_m: float = DEFAULT_STATURE_M, still_image: bool = False,
            people: int = 1, picture: Optional[np.ndarray] = None) -> CheckResult:
    """The barefoot check on an averaged standing pose.

    `picture` is the mean of the averaged frames (BGR); the feet's roll is read from it.
    Without one, every standing foot's tilt is "unknown". An unknown `sex` is a ValueError.
    """
    image, world = pose.image, pose.world
    scale = px_per_metre(image, stature_m)
    lifted = lifted_feet(image, scale * stature_m, sex)
    left_pct = 100.0 * weight_share_left(image, sex, lifted)
    com = centre_of_mass(image, sex)
    supports = {side: support_point(image, side) for side in SIDES}
    planted = [side for side in SIDES if not lifted[side]]
    plumb_x = float(np.mean([supports[side][0] for side in planted]))
    left_dir = left_direction(image)
    to_cm = lambda x: float(left_dir * (x - plumb_x) / scale * 100.0)
    weights = {"left": left_pct, "right": 100.0 - left_pct}
    rolls, uncertainty = {}, None
    if picture is not None:
        reader = foot_roll.shipped_reader()
        rolls = reader.read_feet(picture, image, planted)
        uncertainty = reader.uncertainty_deg
    feet = {side: foot_tilt(image, world, side, scale, stature_m, lifted[side], weights[side], rolls.get(side), uncertainty)
            for side in SIDES}
    width_cm = abs(image[LEFT_ANKLE, 0] - image[RIGHT_ANKLE, 0]) / scale * 100.0
    hip_cm = abs(image[LEFT_HIP, 0] - image[RIGHT_HIP, 0]) / scale * 100.0
    ratio = width_cm / max(hip_cm, 1e-6)
    toe_out = float(np.mean([feet[s].toe_out_deg for s in SIDES]))
    yaw = turn_deg(world)
    quality = Quality(
        whole_body_visible=not out_of_view(pose.norm_image, pose.visibility),
        frontal_enough=abs(yaw) <= FRONTAL_DEG,
        still_enough=True if still_image else pose.frames_used >= STILL_ENOUGH_FRACTION * pose.frames_total,
        yaw_deg=yaw, frames_total=pose.frames_total, frames_used=pose.frames_used, motion_mm=pose.motion_mm, people=people,
    )
    return CheckResult(
        weight_left_pct=left_pct, weight_band=weight_band(left_pct), feet=feet,
        shoulder_tilt_deg=line_tilt_deg(image, LEFT_SHOULDER, RIGHT_SHOULDER),
        pelvis_tilt_deg=line_tilt_deg(image, LEFT_HIP, RIGHT_HIP),
        head_shift_cm=to_cm((image[LEFT_EAR, 0] + image[RIGHT_EAR, 0]) / 2),
        trunk_shift_cm=to_cm((image[LEFT_SHOULDER, 0] + image[RIGHT_SHOULDER, 0]) / 2),
        com_shift_cm=to_cm(com[0]),
        stance=Stance(width_cm, hip_cm, ratio, toe_out, _stance_type(ratio, toe_out, any(lifted.values()))),
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
    if not capture.detected.any():
        raise CheckRefused("nobody")
    fix_leg_swaps(capture)
    i0, i1, problems = select_window(capture, seconds, start)
    refusal = window_refusal(problems[i0:i1])
    if refusal:
        raise CheckRefused(refusal)
    pose = average_still_frames(capture, i0, i1, stature_m)
    problem = view_problem(pose.norm_image, pose.visibility, pose.world, capture.width, capture.height)
    if problem:
        raise CheckRefused(problem)
    if not capture.still_image and pose.frames_used < STILL_REFUSE_FRACTION * (i1 - i0):
        raise NotStill()
    people = int(np.max(capture.people[i0:i1])) if capture.people is not None and len(capture.people) else 1
    picture = pictures(pose.used) if pictures is not None else None
    result = analyse(pose, sex, stature_m, still_image=capture.still_image, people=people, picture=picture)
    result.source = source
    result.window_start_s = float(capture.t[i0])
    result.window_seconds = float(capture.t[i1 - 1] - capture.t[i0] + (capture.t[1] - capture.t[0] if len(capture) > 1 else 0.0))
    return result
