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

The plumb line is the room's, not the picture's: the camera's roll is read from the
straight edges of the room (`level`) and the landmarks are turned by it before anything
is measured. A share is given with its uncertainty (landmark jitter over the window, the
landmarks' own error and the roll's, all divided by the stance width); a share that
puts the centre of mass outside, or on the edge of, the two planted feet is not given.

Foot tilt is below what MediaPipe resolves: 8 degrees of eversion moves the
ankle about 1 cm medially, about 3 px at 3.6 m, and MediaPipe follows only about
15 % of that. So the roll is read from the pixels of each foot by a small
network trained on rendered feet (`foot_roll`); the landmarks only place the
crops, and only bare feet are read (`footwear`). See `foot_tilt`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Callable, Optional, Sequence

import numpy as np

from posecheck.body.geometry import (  # noqa: F401 (also the check's measures and weight share, for its users)
    DEFAULT_STATURE_M, FRONTAL_DEG, LEFT_EAR, RIGHT_EAR, SIDES, ankle_offset_px, centre_of_mass, fppa_deg,
    left_direction, lever_position_left, lever_share_left, lifted_feet, line_tilt_deg, px_per_metre, share_sd_parts,
    support_point, toe_out_deg, turn_deg, weight_share_left,
)
from posecheck.detect import foot_roll, footwear
from posecheck.detect.capture import (
    Capture, AveragedPose, CheckRefused, NotStill, average_still_frames, fix_leg_swaps, out_of_view, select_window,
    view_problem, window_refusal,
)
from posecheck.detect.level import ASSUMED_LEVEL, ROLL_LIMIT_DEG, Level, camera_roll, level_points
from posecheck.pose.landmarks import LEFT_ANKLE, LEFT_HIP, LEFT_SHOULDER, RIGHT_ANKLE, RIGHT_HIP, RIGHT_SHOULDER
# With a neutral foot the ankle sits about 6 mm (at 1.75 m) lateral of that point, because
# MediaPipe's "foot index" is the big toe, about 2.4 cm medial of the foot's long axis.
NEUTRAL_ANKLE_OFFSET_PER_STATURE = -0.0036
# The roll is read by models/foot_roll.npz. A tilt is called from 4 degrees on: half-way
# between a neutral foot and the 6 degrees the check must tell apart. On the model's
# validation clips (not the test clips) any threshold from 3 to 5 degrees did as well.
TILT_THRESHOLD_DEG = 4.0

EVEN_BAND_PCT = 5.0  # within 45/55 reads as even
CLINICAL_BAND_PCT = 9.0  # beyond 41/59 is the usual clinical asymmetry
# Standing still on two flat feet keeps the centre of mass over both: a share this near 0 or 100 % is not real.
EDGE_SHARE = 0.05
STILL_ENOUGH_FRACTION = 0.6  # at least this share of the window's frames averaged: still enough
STILL_REFUSE_FRACTION = 0.3  # fewer of the window's frames still (and with the person found) than this: refused
TURNED_OUT_DEG = 15.0
WIDE_STANCE_RATIO = 1.5
NARROW_STANCE_RATIO = 0.6


# --- weight share --------------------------------------------------------------------------------


def weight_band(left_pct: float, uncertainty_pct: float = 0.0) -> Optional[str]:
    """The band that the whole interval left_pct +- uncertainty_pct lies in, or None when it crosses the line
    between 41/59 and beyond (it cannot tell whether the asymmetry is clinical).

    "even" (within 45/55), "slight" (between 45/55 and 41/59, on one side), "uneven" (beyond 41/59), or
    "within" when it lies within 41/59 but not in one of the first two.
    """
    low, high = left_pct - uncertainty_pct - 50.0, left_pct + uncertainty_pct - 50.0
    near = 0.0 if low <= 0.0 <= high else min(abs(low), abs(high))  # the interval's nearest and furthest from 50/50
    far = max(abs(low), abs(high))
    if far < EVEN_BAND_PCT:
        return "even"
    if near >= EVEN_BAND_PCT and far <= CLINICAL_BAND_PCT and low * high > 0:
        return "slight"
    if near > CLINICAL_BAND_PCT and low * high > 0:
        return "uneven"
    if far <= CLINICAL_BAND_PCT:
        return "within"
    return None


@dataclasses.dataclass
class WeightShare:
    """The left foot's share with its uncertainty, or why there is none."""

    left_pct: Optional[float]  # None: no share can be given (see note)
    uncertainty_pct: Optional[float]  # +- (about 95 %): twice the combined SD below; None on one leg
    band: Optional[str]  # "even", "slight", "uneven", "within" (`weight_band`); None when the +- is too wide to decide it
    note: Optional[str] = None  # why no share ("turned", "moving", "narrow", "level") or no band ("spread_stance",
    #                             "spread_roll": the +- is too wide, mostly for that reason; "near_line": near 41/59)
    sd_pct: dict = dataclasses.field(default_factory=dict)  # the SD's parts: "jitter", "landmarks", "roll"

    def to_dict(self) -> dict:
        return {"left_pct": _round(self.left_pct, 1), "uncertainty_pct": _round(self.uncertainty_pct, 1), "band": self.band,
                "note": self.note, "sd_parts_pct": {k: round(v, 2) for k, v in self.sd_pct.items()}}


def weight_share(image: np.ndarray, lifted: dict[str, bool], quality: "Quality", stance_ratio: float, sd_parts: dict,
                 sex: str = "average") -> WeightShare:
    """The weight share of a levelled pose, its +- and band, or why it cannot be given."""
    if lifted["left"] or lifted["right"]:
        return WeightShare(0.0 if lifted["left"] else 100.0, None, "uneven")
    position = lever_position_left(image, sex)
    sd = math.sqrt(sum(v ** 2 for v in sd_parts.values()))
    parts_pct = {k: 100.0 * v for k, v in sd_parts.items()}
    on_edge = not EDGE_SHARE <= position <= 1.0 - EDGE_SHARE
    if not quality.frontal_enough or on_edge:
        # both feet on the floor and still: the centre of mass cannot be over one foot. Say what is likely off.
        why = ("turned" if not quality.frontal_enough else "moving" if not quality.still_enough
               else "narrow" if stance_ratio < NARROW_STANCE_RATIO else "level")
        return WeightShare(None, None, None, why, parts_pct)
    left_pct, uncertainty = 100.0 * position, 200.0 * sd
    band = weight_band(left_pct, uncertainty)
    if band:
        return WeightShare(left_pct, uncertainty, band, None, parts_pct)
    # no band: just near the 41/59 line (a +- this small could lie within 41/59), or a +- too wide for any band
    # but "uneven": then mostly from the feet too close together or from the camera's roll
    why = ("near_line" if uncertainty <= CLINICAL_BAND_PCT else "spread_stance" if stance_ratio < NARROW_STANCE_RATIO
           or sd_parts["roll"] ** 2 <= sd ** 2 / 2 else "spread_roll")
    return WeightShare(left_pct, uncertainty, None, why, parts_pct)


# --- feet ----------------------------------------------------------------------------------------


def _round(value: Optional[float], digits: int) -> Optional[float]:
    return None if value is None else round(float(value), digits)


@dataclasses.dataclass
class FootResult:
    side: str
    lifted: bool
    tilt: str  # "inward", "outward", "neutral"; "lifted" for a foot in the air; "covered" (shoe or sock) or
    #            "unknown" (no picture, or a bare foot not recognised): not read
    roll_deg: Optional[float]  # + = rolled inward (eversion / pronation), read from the picture by the roll model
    roll_uncertainty_deg: Optional[float]  # twice the roll model's error SD on its validation clips
    ankle_offset_mm: Optional[float]  # measured: ankle medial (+) of the heel-toe line, neutral subtracted
    fppa_deg: float  # measured: knee frontal plane projection angle, + = valgus
    toe_out_deg: float  # measured (coarse): + = toes out
    weight_pct: Optional[float]
    footwear: str = "unread"  # "bare", "covered", "unknown" (`footwear`), or "unread" without a picture

    def to_dict(self) -> dict:
        return {
            "tilt": self.tilt,
            "roll_deg": _round(self.roll_deg, 1),
            "roll_uncertainty_deg": _round(self.roll_uncertainty_deg, 1),
            "lifted": self.lifted,
            "footwear": self.footwear,
            "weight_pct": _round(self.weight_pct, 1),
            "ankle_offset_mm": _round(self.ankle_offset_mm, 1),
            "fppa_deg": _round(self.fppa_deg, 1),
            "toe_out_deg": _round(self.toe_out_deg, 1),
            "measured": ["ankle_offset_mm", "fppa_deg", "toe_out_deg"],
            "inferred": ["roll_deg", "tilt", "footwear"],
        }


def foot_tilt(image: np.ndarray, world: np.ndarray, side: str, scale_px_per_m: float, stature_m: float,
              lifted: bool, weight_pct: Optional[float], roll_deg: Optional[float] = None,
              roll_uncertainty_deg: Optional[float] = None, cover: str = "unknown") -> FootResult:
    """One foot's tilt from its roll (read from the picture by `foot_roll`), with the landmark measures beside it.

    The ankle's offset from the heel-toe line, the knee's FPPA and the toe-out are measured
    and reported, but do not decide the tilt: MediaPipe does not follow the ankle's few
    millimetres, and knock-knees alone must not make a foot read "inward". A foot in a shoe
    or sock is never read (`cover`).
    """
    fppa = fppa_deg(image, side)
    toe_out = toe_out_deg(world, side)
    if lifted:
        return FootResult(side, True, "lifted", None, None, None, fppa, toe_out, weight_pct, cover)
    offset_mm = (ankle_offset_px(image, side) / scale_px_per_m - NEUTRAL_ANKLE_OFFSET_PER_STATURE * stature_m) * 1000.0
    if cover == "covered":
        tilt, roll_deg = "covered", None
    elif roll_deg is None:
        tilt = "unknown"
    else:
        tilt = "inward" if roll_deg >= TILT_THRESHOLD_DEG else "outward" if roll_deg <= -TILT_THRESHOLD_DEG else "neutral"
    if roll_deg is None:
        roll_uncertainty_deg = None
    return FootResult(side, False, tilt, roll_deg, roll_uncertainty_deg, offset_mm, fppa, toe_out, weight_pct, cover)


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
    weight: WeightShare
    feet: dict  # side -> FootResult
    shoulder_tilt_deg: float  # + = left shoulder higher, against the true horizontal
    pelvis_tilt_deg: float  # + = left hip higher
    head_shift_cm: float  # + = towards the person's left of the plumb line
    trunk_shift_cm: float
    com_shift_cm: float
    stance: Stance
    quality: Quality
    level: Level  # the camera's roll that was corrected
    sex: str
    stature_m: float
    px_per_m: float
    # for the picture, in its pixels (not levelled): averaged landmarks, the plumb line's foot, the COM and supports
    landmarks_px: np.ndarray
    plumb_px: np.ndarray
    com_px: np.ndarray
    supports_px: dict
    source: str = ""
    window_start_s: float = 0.0
    window_seconds: float = 0.0
    frame_index: int = 0

    @property
    def weight_left_pct(self) -> Optional[float]:
        return self.weight.left_pct

    @property
    def weight_right_pct(self) -> Optional[float]:
        return None if self.weight.left_pct is None else 100.0 - self.weight.left_pct

    @property
    def weight_band(self) -> Optional[str]:
        return self.weight.band

    def to_dict(self) -> dict:
        return {
            "check": "barefoot",
            "note": "screening estimate from a camera, not a scale or a diagnosis",
            "source": self.source,
            "window": {"start_s": round(self.window_start_s, 2), "seconds": round(self.window_seconds, 2)},
            "weight_left_pct": _round(self.weight_left_pct, 1),
            "weight_right_pct": _round(self.weight_right_pct, 1),
            "weight_uncertainty_pct": _round(self.weight.uncertainty_pct, 1),
            "weight_band": self.weight_band,
            "weight_note": self.weight.note,
            "weight_sd_parts_pct": {k: round(v, 2) for k, v in self.weight.sd_pct.items()},
            "weight_method": "centre of mass (de Leva 1996, %s) between the feet's support points, lever rule, image landmarks "
                             "turned by the camera's roll" % self.sex,
            "camera_roll": self.level.to_dict(),
            "feet": {side: foot.to_dict() for side, foot in self.feet.items()},
            "shoulder_tilt_deg": round(self.shoulder_tilt_deg, 1),
            "pelvis_tilt_deg": round(self.pelvis_tilt_deg, 1),
            "head_shift_cm": round(self.head_shift_cm, 1),
            "trunk_shift_cm": round(self.trunk_shift_cm, 1),
            "com_shift_cm": round(self.com_shift_cm, 1),
            "stance": self.stance.to_dict(),
            "quality": self.quality.to_dict(),
            "conventions": {
                "tilt_deg": "+ = the person's left side higher, against the true horizontal (the camera's roll corrected)",
                "shift_cm": "+ = towards the person's left of the plumb line through the midpoint between the feet",
                "weight_uncertainty_pct": "+- about 95 %: twice the SD from landmark jitter, landmark error and the roll's SD",
                "camera_roll_deg": "+ = the picture turned counter-clockwise (the true vertical leans left at the top)",
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


def level_pose(points: np.ndarray, level: Level, centre) -> np.ndarray:
    """(..., 33, D) landmarks turned about `centre` so that the true vertical is the picture's; world landmarks about 0."""
    return level_points(points, level.roll_deg, centre) if level.roll_deg else np.array(points, np.float64)


def analyse(pose: AveragedPose, sex: str = "average", stature_m: float = DEFAULT_STATURE_M, still_image: bool = False,
            people: int = 1, picture: Optional[np.ndarray] = None, level: Level = ASSUMED_LEVEL,
            frames: Optional[np.ndarray] = None) -> CheckResult:
    """The barefoot check on an averaged standing pose.

    `picture` is the mean of the averaged frames (BGR); the feet's roll and footwear are read
    from it. Without one, every standing foot's tilt is "unknown". `level` is the camera's
    roll (`level.camera_roll`); the landmarks are turned by it before anything is measured.
    `frames` are the averaged frames' landmarks (pixels), for the share's jitter. An unknown
    `sex` is a ValueError.
    """
    picture_px = np.asarray(pose.image, np.float64)
    base = np.mean([support_point(picture_px, side)[:2] for side in SIDES], axis=0)
    image = level_pose(picture_px, level, base)
    world = level_pose(pose.world, level, (0.0, 0.0))
    scale = px_per_metre(image, stature_m)
    lifted = lifted_feet(image, scale * stature_m, sex)
    planted = [side for side in SIDES if not lifted[side]]
    supports = {side: support_point(image, side) for side in SIDES}
    plumb_x = float(np.mean([supports[side][0] for side in planted]))
    com = centre_of_mass(image, sex)
    left_dir = left_direction(image)
    to_cm = lambda x: float(left_dir * (x - plumb_x) / scale * 100.0)
    width_cm = abs(image[LEFT_ANKLE, 0] - image[RIGHT_ANKLE, 0]) / scale * 100.0
    hip_cm = abs(image[LEFT_HIP, 0] - image[RIGHT_HIP, 0]) / scale * 100.0
    ratio = width_cm / max(hip_cm, 1e-6)
    yaw = turn_deg(world)
    quality = Quality(
        whole_body_visible=not out_of_view(pose.norm_image, pose.visibility),
        frontal_enough=abs(yaw) <= FRONTAL_DEG,
        still_enough=True if still_image else pose.frames_used >= STILL_ENOUGH_FRACTION * pose.frames_total,
        yaw_deg=yaw, frames_total=pose.frames_total, frames_used=pose.frames_used, motion_mm=pose.motion_mm, people=people,
    )
    levelled_frames = None if frames is None else level_pose(frames, level, base)
    weight = weight_share(image, lifted, quality, ratio, share_sd_parts(image, levelled_frames, level.sd_deg, sex), sex)
    weights = {"left": weight.left_pct, "right": None if weight.left_pct is None else 100.0 - weight.left_pct}
    rolls, uncertainty, covers = {}, None, {side: "unread" for side in SIDES}
    if picture is not None:
        covers.update(footwear.read_feet(picture, picture_px, SIDES, level.roll_deg))
        reader = foot_roll.shipped_reader()
        rolls = reader.read_feet(picture, picture_px, [side for side in planted if covers[side] == "bare"], level.roll_deg)
        uncertainty = reader.uncertainty_deg
    feet = {side: foot_tilt(image, world, side, scale, stature_m, lifted[side], weights[side], rolls.get(side), uncertainty,
                            covers[side]) for side in SIDES}
    toe_out = float(np.mean([feet[s].toe_out_deg for s in SIDES]))
    unlevel = lambda point: level_points(np.asarray(point, np.float64)[None, :2], -level.roll_deg, base)[0]
    return CheckResult(
        weight=weight, feet=feet,
        shoulder_tilt_deg=line_tilt_deg(image, LEFT_SHOULDER, RIGHT_SHOULDER),
        pelvis_tilt_deg=line_tilt_deg(image, LEFT_HIP, RIGHT_HIP),
        head_shift_cm=to_cm((image[LEFT_EAR, 0] + image[RIGHT_EAR, 0]) / 2),
        trunk_shift_cm=to_cm((image[LEFT_SHOULDER, 0] + image[RIGHT_SHOULDER, 0]) / 2),
        com_shift_cm=to_cm(com[0]),
        stance=Stance(width_cm, hip_cm, ratio, toe_out, _stance_type(ratio, toe_out, any(lifted.values()))),
        quality=quality, level=level, sex=sex, stature_m=stature_m, px_per_m=scale, landmarks_px=picture_px,
        plumb_px=unlevel((plumb_x, float(np.max([supports[side][1] for side in planted])))), com_px=unlevel(com),
        supports_px={side: unlevel(point) for side, point in supports.items()}, frame_index=pose.frame_index,
    )


def level_refusal(level: Level) -> Optional[str]:
    """Why the camera's roll stops the check ("no_vertical", "level"), or None."""
    if not level.reliable:
        return "no_vertical"
    if abs(level.roll_deg) > ROLL_LIMIT_DEG:
        return "level"
    return None


def check_capture(capture: Capture, seconds: float = 2.0, start: Optional[float] = None, sex: str = "average",
                  stature_m: float = DEFAULT_STATURE_M, source: str = "",
                  pictures: Optional[Callable[[Sequence[int]], np.ndarray]] = None,
                  level: Optional[Level] = None) -> CheckResult:
    """Window, movement rejection, view checks, the camera's roll, averaging and analysis, in that order.

    `pictures(indices)` gives the mean BGR picture of those frames of the capture; the camera's
    roll, the footwear and the feet's roll are read from the mean of the averaged frames.
    Without it the tilt is "unknown" and, unless `level` is given, the camera is taken as level.

    Raises `CheckRefused` (a `NoPerson`, with `.reason` "nobody", "head", "feet", "head+feet",
    "partial", "away", "sideways", "not_standing", "window", "no_vertical" or "level") or
    `NotStill` instead of giving numbers that cannot be trusted.
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
    if level is None:
        level = camera_roll(picture, pose.image) if picture is not None else ASSUMED_LEVEL
    refusal = level_refusal(level)
    if refusal:
        raise CheckRefused(refusal, roll=abs(level.roll_deg), limit=ROLL_LIMIT_DEG)
    frames = capture.pixels()[pose.used] if len(pose.used) > 1 else None
    result = analyse(pose, sex, stature_m, still_image=capture.still_image, people=people, picture=picture, level=level,
                     frames=frames)
    result.source = source
    result.window_start_s = float(capture.t[i0])
    result.window_seconds = float(capture.t[i1 - 1] - capture.t[i0] + (capture.t[1] - capture.t[0] if len(capture) > 1 else 0.0))
    return result
