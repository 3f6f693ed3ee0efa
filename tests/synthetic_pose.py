"""Landmark series of a standing stick figure doing scripted moves, for testing the counter without video.

Pixels for a 1280x720 frame with the person about 530 px tall, seen from the front.
A script is a list of (seconds, move) pieces played one after another.
"""

from __future__ import annotations

import math

import numpy as np

from posecheck.pose import landmarks as lm
from posecheck.pose.landmarks import PoseFrame

WIDTH, HEIGHT = 1280, 720
LEG_PX = 300.0  # hip-ankle

STANDING = {
    lm.NOSE: (640, 120), lm.LEFT_SHOULDER: (680, 180), lm.RIGHT_SHOULDER: (600, 180),
    lm.LEFT_ELBOW: (690, 260), lm.RIGHT_ELBOW: (590, 260), lm.LEFT_WRIST: (695, 330), lm.RIGHT_WRIST: (585, 330),
    lm.LEFT_HIP: (660, 330), lm.RIGHT_HIP: (620, 330), lm.LEFT_KNEE: (662, 480), lm.RIGHT_KNEE: (618, 480),
    lm.LEFT_ANKLE: (664, 630), lm.RIGHT_ANKLE: (616, 630), lm.LEFT_HEEL: (666, 642), lm.RIGHT_HEEL: (614, 642),
    lm.LEFT_TOE: (672, 652), lm.RIGHT_TOE: (608, 652),
}
TRUNK = [lm.NOSE, lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER, lm.LEFT_ELBOW, lm.RIGHT_ELBOW, lm.LEFT_WRIST, lm.RIGHT_WRIST, lm.LEFT_HIP, lm.RIGHT_HIP]


def ease(u: float) -> float:
    u = min(max(u, 0.0), 1.0)
    return 0.5 - 0.5 * math.cos(math.pi * u)


def rise_profile(u_time: float, up: float, hold: float, down: float) -> float:
    """0..1 height of a rise at time u_time into it."""
    if u_time < up:
        return ease(u_time / up)
    if u_time < up + hold:
        return 1.0
    return 1.0 - ease((u_time - up - hold) / down)


def body_at(lift_cm: float = 0.0, left_heel_only: bool = False, squat: float = 0.0, shift_px: float = 0.0, foot_up: float = 0.0) -> np.ndarray:
    """(33, 2) pixel positions.

    lift_cm: heel rise in cm (the trunk rises about 2/3 of it; 85 cm of leg is LEG_PX).
    squat: 0..1, hips down by 30 % of the leg with the knees bent.
    shift_px: the trunk moves sideways (a weight shift).
    foot_up: 0..1, the right foot lifts off the floor (single-leg stand).
    """
    px_per_cm = LEG_PX / 85.0
    points = np.zeros((lm.NUM_LANDMARKS, 2))
    for i, xy in STANDING.items():
        points[i] = xy
    trunk_up = lift_cm * 0.66 * px_per_cm * (0.5 if left_heel_only else 1.0)
    ankle_up = lift_cm * 0.66 * px_per_cm
    for i in TRUNK + [lm.LEFT_KNEE, lm.RIGHT_KNEE]:
        points[i, 1] -= trunk_up
    for side, (ankle, heel) in {"left": (lm.LEFT_ANKLE, lm.LEFT_HEEL), "right": (lm.RIGHT_ANKLE, lm.RIGHT_HEEL)}.items():
        if left_heel_only and side == "right":
            continue
        points[ankle, 1] -= ankle_up
        points[heel, 1] -= lift_cm * px_per_cm
    drop = squat * 0.3 * LEG_PX
    for i in TRUNK:
        points[i, 1] += drop
    points[[lm.LEFT_KNEE, lm.RIGHT_KNEE], 1] += drop / 2
    for i in TRUNK:
        points[i, 0] += shift_px
    lift_foot = foot_up * 0.4 * LEG_PX
    for i in (lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_TOE):
        points[i, 1] -= lift_foot
    points[lm.RIGHT_KNEE, 1] -= lift_foot / 2
    return points


def to_pose(points: np.ndarray, t: float, visibility: float = 0.95) -> PoseFrame:
    image = np.zeros((lm.NUM_LANDMARKS, 3), np.float32)
    image[:, 0] = points[:, 0] / WIDTH
    image[:, 1] = points[:, 1] / HEIGHT
    world = np.zeros((lm.NUM_LANDMARKS, 3), np.float32)
    world[:, :2] = (points - points[[lm.LEFT_HIP, lm.RIGHT_HIP]].mean(0)) / LEG_PX * 0.85
    return PoseFrame(t, image, np.full(lm.NUM_LANDMARKS, visibility, np.float32), world, WIDTH, HEIGHT)


def play(script: list, fps: float = 30.0, jitter_px: float = 0.6, seed: int = 0, drop_every: int = 0):
    """Yield (t, PoseFrame | None) for a script of pieces.

    Pieces: ("stand", s), ("rise", up, hold, down, cm), ("left_heel", up, hold, down, cm),
    ("squat", down, hold, up), ("shift", over, px, back_after), ("foot_up", over, hold),
    ("away", s) (nobody in view), ("feet_cut", s) (feet outside the frame).
    """
    rng = np.random.default_rng(seed)
    t = 0.0
    frame = 0
    for piece in script:
        kind, args = piece[0], piece[1:]
        duration = {
            "stand": lambda: args[0], "away": lambda: args[0], "feet_cut": lambda: args[0],
            "rise": lambda: args[0] + args[1] + args[2], "left_heel": lambda: args[0] + args[1] + args[2],
            "squat": lambda: args[0] + args[1] + args[2], "shift": lambda: 2 * args[0] + args[2], "foot_up": lambda: 2 * args[0] + args[1],
        }[kind]()
        start = t
        while t < start + duration - 1e-9:
            u = t - start
            if kind == "rise":
                points = body_at(lift_cm=args[3] * rise_profile(u, *args[:3]))
            elif kind == "left_heel":
                points = body_at(lift_cm=args[3] * rise_profile(u, *args[:3]), left_heel_only=True)
            elif kind == "squat":
                points = body_at(squat=rise_profile(u, *args[:3]))
            elif kind == "shift":
                points = body_at(shift_px=args[1] * rise_profile(u, args[0], args[2], args[0]))
            elif kind == "foot_up":
                points = body_at(foot_up=rise_profile(u, args[0], args[1], args[0]))
            else:
                points = body_at()
            points = points + rng.normal(0, jitter_px, points.shape)
            if kind == "feet_cut":
                points[[lm.LEFT_TOE, lm.RIGHT_TOE, lm.LEFT_HEEL, lm.RIGHT_HEEL], 1] = HEIGHT + 30
            dropped = kind == "away" or (drop_every and frame % drop_every == drop_every - 1)
            yield t, (None if dropped else to_pose(points, t))
            frame += 1
            t = frame / fps
