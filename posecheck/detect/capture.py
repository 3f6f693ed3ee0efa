"""A standing capture for the barefoot check: which frames can be checked, which window, and their average.

A capture is the landmarks of every frame of a clip, of a camera capture, or of one
still. Before the check reads anything, the frames are sorted out here: MediaPipe's
crossed leg labels are swapped back, each frame's view is judged (whole body in the
picture, facing the camera, standing), the stillest window is chosen, and the frames
in which the person moved are left out of the average. A capture that cannot give a
trustworthy check raises `CheckRefused` with its reason (texts: `check.refuse_<reason>`
in `posecheck.report.texts`).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Optional

import numpy as np

from posecheck.body.geometry import AWAY_DEG, DEFAULT_STATURE_M, SIDE_ON_DEG, SIDES, stature_px, turn_deg
from posecheck.errors import NoPerson, PosecheckError
from posecheck.pose.landmarks import (
    LEFT_ANKLE, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, LEFT_TOE, NOSE, NUM_LANDMARKS,
    RIGHT_ANKLE, RIGHT_HEEL, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER, RIGHT_TOE,
)
from posecheck.report.check import refusal_message
from posecheck.report.texts import tr

HEAD_POINTS = list(range(0, 11))  # nose, eyes, ears, mouth
FEET_POINTS = [LEFT_ANKLE, RIGHT_ANKLE, LEFT_HEEL, RIGHT_HEEL, LEFT_TOE, RIGHT_TOE]
# Landmarks whose movement counts as "the person moved" (the hands may fidget).
BODY_POINTS = [NOSE, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE] + FEET_POINTS
LEG_PAIRS = [(LEFT_KNEE, RIGHT_KNEE), (LEFT_ANKLE, RIGHT_ANKLE), (LEFT_HEEL, RIGHT_HEEL), (LEFT_TOE, RIGHT_TOE)]

SWAP_RATIO = 0.5  # the feet are this much nearer the other side's hips: the leg labels are crossed
MIN_SEEN = 0.3  # mean visibility of the head's or the feet's landmarks below this: not seen
SHOULDER_TO_TORSO_MIN = 0.30  # shoulder width / torso height below this is a side view
SHOULDER_TO_TORSO_MAX = 1.20  # ... and above this no real standing body (people read 0.5-0.75)
STANDING_KNEE_DEG = 125.0  # at least one knee this straight (3D hip-knee-ankle angle; sitting read 97-109)
STANDING_LEG_VERTICAL = 0.6  # and that leg's hip-to-ankle drop in the image at least this share of its length
STILL_TOLERANCE_PER_STATURE = 0.015  # a frame whose pose is further than this from the window's median moved
CUT_OFF_PROBLEMS = ("head", "feet", "head+feet", "partial")
CUT_OFF_FRACTION = 0.3  # refuse when head or feet are out of the picture in this share of the window's frames


class CheckRefused(NoPerson):
    """The capture cannot give a trustworthy check; `reason` is one of "nobody", "head", "feet", "head+feet",
    "partial", "away", "sideways", "not_standing", "window", "no_vertical", "level". `values` fill the message
    (the camera's roll for "level")."""

    def __init__(self, reason: str, message: Optional[str] = None, **values):
        super().__init__(message or refusal_message("en", reason, **values))
        self.reason = reason
        self.values = values


class NotStill(PosecheckError):
    """The person moved through most of the capture."""

    def __init__(self, message: Optional[str] = None):
        super().__init__(message or tr("en", "check.refuse_moved"))


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


# --- crossed leg labels ---------------------------------------------------------------------------


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


def fix_leg_swaps(capture: Capture) -> int:
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


# --- can this pose be checked? ---------------------------------------------------------------------


def out_of_view(norm_image: np.ndarray, visibility: np.ndarray) -> list[str]:
    """Which of "head" and "feet" are outside the picture (normalised landmarks) or not seen."""
    missing = []
    for part, points in (("head", HEAD_POINTS), ("feet", FEET_POINTS)):
        xy = norm_image[points, :2]
        outside = np.any((xy < 0.0) | (xy > 1.0)) or not np.all(np.isfinite(xy))
        if outside or float(np.mean(visibility[points])) < MIN_SEEN:
            missing.append(part)
    return missing


def shoulder_to_torso(image: np.ndarray) -> float:
    """Shoulder width over torso height in the picture: the skeleton's proportions, a second opinion on
    the view (narrow from the side, too wide when MediaPipe squeezed a body into part of one)."""
    width = abs(image[LEFT_SHOULDER, 0] - image[RIGHT_SHOULDER, 0])
    torso = abs((image[LEFT_SHOULDER, 1] + image[RIGHT_SHOULDER, 1]) / 2 - (image[LEFT_HIP, 1] + image[RIGHT_HIP, 1]) / 2)
    return float(width / max(torso, 1e-9))


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


def view_problem(norm_image: np.ndarray, visibility: np.ndarray, world: np.ndarray, width: int, height: int) -> Optional[str]:
    """The reason this pose cannot be checked, or None.

    "head", "feet", "head+feet" (out of the picture or not seen), "partial" (a skeleton
    squeezed into part of a body), "away", "sideways", "not_standing".
    """
    missing = out_of_view(norm_image, visibility)
    if missing:
        return "+".join(missing)
    image = norm_image * np.array([width, height, width], np.float32)
    proportion = shoulder_to_torso(image)
    if proportion > SHOULDER_TO_TORSO_MAX:
        return "partial"
    turn = abs(turn_deg(world))
    if turn > AWAY_DEG:
        return "away"
    if turn > SIDE_ON_DEG or proportion < SHOULDER_TO_TORSO_MIN:
        return "sideways"
    if not standing(image, world):
        return "not_standing"
    return None


def _frame_problems(capture: Capture) -> list[Optional[str]]:
    """Each frame's `view_problem`, "nobody" where nobody was found."""
    return [view_problem(capture.image[i], capture.visibility[i], capture.world[i], capture.width, capture.height)
            if capture.detected[i] else "nobody" for i in range(len(capture))]


def window_refusal(problems: list[Optional[str]]) -> Optional[str]:
    """Why a window cannot be checked from its frames' problems, or None.

    Nobody in any frame; or a body cut off by the frame's edge in a good part of the frames
    (`CUT_OFF_FRACTION`), even when their average looks complete: MediaPipe guesses the
    missing part, and the guess also makes the body look turned.
    """
    seen = [p for p in problems if p != "nobody"]
    if not seen:
        return "nobody"
    cut = [p for p in seen if p in CUT_OFF_PROBLEMS]
    if len(cut) >= CUT_OFF_FRACTION * len(seen):
        return max(set(cut), key=cut.count)
    return None


# --- window and stillness ------------------------------------------------------------------------


def _speeds(capture: Capture) -> np.ndarray:
    """Per-frame movement of the body landmarks, in statures per second (NaN where unknown)."""
    px = capture.pixels()
    speed = np.full(len(capture), np.nan)
    for i in range(1, len(capture)):
        if capture.detected[i] and capture.detected[i - 1]:
            dt = max(capture.t[i] - capture.t[i - 1], 1e-3)
            move = np.mean(np.linalg.norm(px[i, BODY_POINTS, :2] - px[i - 1, BODY_POINTS, :2], axis=1))
            speed[i] = move / max(stature_px(px[i]), 1e-6) / dt
    return speed


def select_window(capture: Capture, seconds: float = 2.0, start: Optional[float] = None) -> tuple[int, int, list]:
    """Frame range [i0, i1) of a capture (at least one frame) to analyse, and the per-frame problems.

    With `start`, the window is [start, start + seconds). Without it, the stillest window
    of that length in which the person is fully in view; a capture shorter than the window
    is used whole.
    """
    n = len(capture)
    problems = _frame_problems(capture)
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
    best = (math.inf, 0, n)
    step = max(1, int(round(0.1 * n / (t[-1] - t[0]))))  # about every 0.1 s
    for i0 in range(0, n, step):
        i1 = int(np.searchsorted(t, t[i0] + seconds - 1e-6))
        if i1 == n and t[-1] - t[i0] < seconds * 0.95:
            break
        window_speed = speed[i0 + 1:i1]
        valid = np.isfinite(window_speed)
        score = (np.mean(window_speed[valid]) if valid.any() else 1e3) + 10.0 * float(np.mean(bad[i0:i1]))
        if score < best[0]:
            best = (score, i0, i1)
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
    pixels = capture.pixels()
    px = pixels[idx]
    median = np.median(px, axis=0)
    height_px = stature_px(median)
    # the mean over the body's points: with the feet planted, a median would miss the trunk moving
    deviation = np.mean(np.linalg.norm(px[:, BODY_POINTS, :2] - median[None, BODY_POINTS, :2], axis=2), axis=1)
    keep = deviation <= STILL_TOLERANCE_PER_STATURE * height_px
    if not keep.any():
        keep = deviation <= np.min(deviation)
    used = idx[keep]
    mean_px = pixels[used].mean(axis=0)
    dev_used = np.mean(np.linalg.norm(pixels[used][:, BODY_POINTS, :2] - mean_px[None, BODY_POINTS, :2], axis=2), axis=1)
    return AveragedPose(
        image=mean_px, norm_image=capture.image[used].mean(axis=0), visibility=capture.visibility[used].mean(axis=0),
        world=capture.world[used].mean(axis=0), frames_total=int(i1 - i0), frames_used=int(len(used)),
        motion_mm=float(np.median(dev_used) / (height_px / stature_m) * 1000.0), frame_index=int(used[np.argmin(dev_used)]),
        used=used,
    )
