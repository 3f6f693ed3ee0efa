"""A standing figure built in metres and seen by a camera from any side, for the stance and balance tests.

Unlike `synthetic_pose` (pixels of a fixed front view), this one places the
feet by stance width and toe-out, lifts one foot, rises onto the toes and
sways, and projects the body for a camera at any azimuth (0 = in front, + =
towards the person's left), giving image landmarks as MediaPipe does
(normalised x, y) and world landmarks (metres, hip-centred, y down, axes
turned with the camera, as MediaPipe's are).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from posecheck.pose import landmarks as lm
from posecheck.pose.landmarks import LandmarkSeries, PoseFrame

WIDTH, HEIGHT = 1280, 720
PX_PER_M = 350.0
FLOOR_Y = 680.0
ELEVATION_DEG = 10.0  # the camera looks slightly down, so nearer points sit lower in the picture
LEG_CHAIN = ((lm.LEFT_KNEE, lm.RIGHT_KNEE), (lm.LEFT_ANKLE, lm.RIGHT_ANKLE), (lm.LEFT_HEEL, lm.RIGHT_HEEL), (lm.LEFT_TOE, lm.RIGHT_TOE))


@dataclasses.dataclass
class Body:
    """What the figure does in one frame (metres, degrees)."""

    stance_width_m: float = 0.20  # between the ankles
    toe_out_deg: float = 5.0
    lift: str | None = None  # "left" / "right": that foot is off the floor
    lift_fraction: float = 1.0  # 0..1 of a 17 cm ankle lift
    tiptoe_m: float = 0.0  # heel rise of the standing foot(s)
    shift_m: float = 0.0  # lateral shift of the body above the ankles (+ = to the person's left)
    crouch_m: float = 0.0  # hips lowered with bent knees


def skeleton(body: Body) -> np.ndarray:
    """(33, 3) points in metres: x = the person's left, y up, z the way the person faces."""
    p = np.zeros((lm.NUM_LANDMARKS, 3))
    half = body.stance_width_m / 2
    up = 0.7 * body.tiptoe_m  # the ankle and everything above rise by about 70 % of the heel
    shift = body.shift_m
    top = up - body.crouch_m
    p[lm.NOSE] = (shift, 1.62 + top, 0.09)
    for side, sign in (("left", 1), ("right", -1)):
        shoulder, elbow, wrist, hip, knee, ankle, heel, toe = (
            (lm.LEFT_SHOULDER, lm.LEFT_ELBOW, lm.LEFT_WRIST, lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_TOE)
            if side == "left" else
            (lm.RIGHT_SHOULDER, lm.RIGHT_ELBOW, lm.RIGHT_WRIST, lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_TOE)
        )
        p[shoulder] = (sign * 0.19 + shift, 1.43 + top, 0.0)
        p[elbow] = (sign * 0.22 + shift, 1.15 + top, 0.0)
        p[wrist] = (sign * 0.24 + shift, 0.90 + top, 0.03)
        p[hip] = (sign * 0.11 + shift, 0.92 + top, 0.0)
        angle = math.radians(body.toe_out_deg)
        forward = np.array([sign * math.sin(angle), 0.0, math.cos(angle)])
        lifted = body.lift == side
        a = np.array([sign * half, 0.08, 0.0])
        if lifted:
            f = body.lift_fraction
            a = a + np.array([0.0, 0.17 * f, -0.04 * f])
            p[ankle] = a
            p[heel] = a + np.array([0.0, -0.02, -0.06])
            p[toe] = a + np.array([sign * 0.15 * math.sin(angle), -0.08, 0.12])
            p[knee] = (sign * 0.10 + shift, 0.50 + 0.22 * f, 0.16 * f)
        else:
            rise = body.tiptoe_m
            p[toe] = a + 0.15 * forward + np.array([0.0, -0.07, 0.0])
            p[ankle] = a + np.array([0.0, 0.7 * rise, 0.0])
            p[heel] = a - 0.06 * forward + np.array([0.0, -0.06 + rise, 0.0])
            p[knee] = ((p[hip][0] + a[0]) / 2, 0.50 + up - body.crouch_m / 2, 0.02 + 0.5 * body.crouch_m)
    return p


def project(points: np.ndarray, azimuth_deg: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Image landmarks (normalised) and world landmarks for a camera at this azimuth."""
    az = math.radians(azimuth_deg)
    el = math.radians(ELEVATION_DEG)
    right = np.array([math.cos(az), 0.0, -math.sin(az)])
    towards = np.array([math.sin(az), 0.0, math.cos(az)])
    u = points @ right
    depth = points @ towards
    v = -points[:, 1] * math.cos(el) + depth * math.sin(el)
    image = np.zeros((len(points), 3), np.float32)
    image[:, 0] = (WIDTH / 2 + u * PX_PER_M) / WIDTH
    image[:, 1] = (FLOOR_Y + v * PX_PER_M) / HEIGHT
    image[:, 2] = -depth
    hips = (points[lm.LEFT_HIP] + points[lm.RIGHT_HIP]) / 2
    rel = points - hips
    world = np.stack([rel @ right, -rel[:, 1], -(rel @ towards)], axis=1).astype(np.float32)
    return image, world


def pose_of(body: Body, t: float = 0.0, azimuth_deg: float = 0.0, visibility: float = 0.95, swap_legs: bool = False,
            jitter_px: float = 0.0, rng: np.random.Generator | None = None) -> PoseFrame:
    image, world = project(skeleton(body), azimuth_deg)
    if jitter_px and rng is not None:
        image[:, :2] += rng.normal(0, jitter_px, (lm.NUM_LANDMARKS, 2)) / (WIDTH, HEIGHT)
    if swap_legs:  # MediaPipe's mistake: the leg chains labelled the other way round, the hips right
        for a, b in LEG_CHAIN:
            image[[a, b]] = image[[b, a]]
            world[[a, b]] = world[[b, a]]
    return PoseFrame(t, image, np.full(lm.NUM_LANDMARKS, visibility, np.float32), world, WIDTH, HEIGHT)


def ease(u: float) -> float:
    u = min(max(u, 0.0), 1.0)
    return 0.5 - 0.5 * math.cos(math.pi * u)


def single_leg_script(stand_on: str = "left", before_s: float = 2.0, shift_s: float = 0.6, lift_s: float = 0.5, hold_s: float = 5.0,
                      tiptoe_m: float = 0.0, after_s: float = 2.0, sway_m: float = 0.0, shift_m: float = 0.06):
    """A function t -> Body for one stand, and the true (foot off, foot down) times."""
    lifted = "right" if stand_on == "left" else "left"
    sign = 1 if stand_on == "left" else -1
    t_off = before_s + shift_s
    t_up = t_off + lift_s
    t_tip = t_up + 0.5
    t_lower = t_up + hold_s
    t_down = t_lower + lift_s
    total = t_down + shift_s + after_s

    def at(t: float) -> Body:
        body = Body()
        body.shift_m = sign * shift_m * (ease((t - before_s) / shift_s) if t < t_down else 1 - ease((t - t_down) / shift_s))
        body.shift_m += sway_m * math.sin(2 * math.pi * 0.4 * t) if t_up <= t <= t_lower else 0.0
        if t_off <= t < t_down:
            body.lift = lifted
            body.lift_fraction = ease((t - t_off) / lift_s) if t < t_up else (1 - ease((t - t_lower) / lift_s) if t >= t_lower else 1.0)
            if tiptoe_m and t_tip <= t < t_lower:
                body.tiptoe_m = tiptoe_m * min(ease((t - t_tip) / 0.5), 1 - ease((t - t_lower + 0.5) / 0.5))
        return body

    return at, (t_off, t_down), total


def series_of(at, total_s: float, fps: float = 30.0, azimuth_deg: float = 0.0, swap=None, jitter_px: float = 0.5, seed: int = 0,
              drop=None) -> LandmarkSeries:
    """A LandmarkSeries of the function t -> Body; `swap(t)` says when MediaPipe mixes up the legs, `drop(t)` when nobody is found."""
    rng = np.random.default_rng(seed)
    times, poses = [], []
    n = int(round(total_s * fps))
    for i in range(n):
        t = i / fps
        times.append(t)
        if drop is not None and drop(t):
            poses.append(None)
            continue
        poses.append(pose_of(at(t), t, azimuth_deg, swap_legs=bool(swap and swap(t)), jitter_px=jitter_px, rng=rng))
    return LandmarkSeries.from_frames(times, poses, fps, WIDTH, HEIGHT, "synthetic")
