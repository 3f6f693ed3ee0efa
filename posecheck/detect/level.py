"""Which way is up in the picture: the camera's roll, read from the straight edges of the room.

A phone turned by 5 degrees tilts the plumb line by 5 degrees and moves the centre of
mass about 8 cm sideways at hip height, which is most of the weight share. So the
check does not trust the picture's edges for the vertical; it looks for the room's:

* Vertical edges (door frames, wall corners, furniture, window frames). Seen by a
  camera that looks up or down they are not parallel but meet in a vanishing point
  below (or above) the picture; the roll is the direction from the picture's centre
  to that point. It is fitted to all the edges at once (`fit_verticals`).
* Horizontal edges that stay parallel across the picture (a wall facing the camera:
  the skirting board, the floor line, shelves), used only when there are not enough
  vertical ones. Horizontal edges of a wall seen at an angle converge and are not
  parallel; they are rejected by the spread of their angles.

The person is masked out, generously around the skeleton (not their whole box: the door
frame just behind them is the best vertical there is). Lines are found by OpenCV's line segment
detector (LSD, sub-pixel: a fast detector's segments snap to the pixel grid, and a line
1.5 degrees off the horizontal came out as level pieces) on a picture scaled to 960 px,
so half-size pictures read alike. The
uncertainty is the larger of the fit's and a jackknife over parts of the picture
(leave one strip out), so that a roll resting on one object says so.

Convention: `roll_deg` is the camera's roll as the renderer's `camera.roll_deg`: + = the
picture's content turned counter-clockwise (the true vertical leans to the left at the
top). `level_points` turns landmarks so that the true vertical becomes the picture's
vertical.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Optional

import cv2
import numpy as np

WORK_PX = 960  # the long side of the picture the lines are found in
MIN_LINE = 0.04  # shortest line, as a share of the long side
CANDIDATE_DEG = 20.0  # lines within this of the picture's vertical (horizontal) are candidates
LINE_SD_DEG = 0.25  # how far a real door frame or shelf is from true (4 mm over 1 m), plus finding its edge
PITCH_PRIOR = 0.15  # SD of the vertical vanishing point's inverse distance: about 7 degrees of camera pitch at 60 degrees of view
GUESS_LINES = 40  # the longest lines whose crossings are tried as the vanishing point
STARTS = 4  # ... and the best of them that the fit starts from
INLIER_DEG = 1.5  # a line this close to the fit counts as agreeing when the fit is started
STRIPS = 8  # the picture is cut into this many upright strips: each has one vote, and the jackknife leaves each out
MIN_STRIPS = 3  # vertical lines in at least this many strips (horizontal: 2 bands of height)
MIN_LINES = 4
MIN_AGREEMENT = 0.6  # the lines that agree with the fit must hold this share of the strips' votes
# A wall turned from the camera tilts its floor line by about (camera height / wall distance) x tan(angle):
# 0.2 degrees for 3 degrees at 1 m and 4 m. Nothing in a picture with only the floor line tells it.
WALL_ANGLE_SD_DEG = 0.2
RELIABLE_SD_DEG = 0.5  # a roll known worse than this is no vertical: 2 SD would be 8 points of share or more
ROLL_LIMIT_DEG = 7.0  # a camera tilted further is not corrected: the user is asked to level it
PERSON_LIMB = 0.10  # the person's limbs are masked this thick (share of their height in the picture): clothes and hands
PERSON_HEAD = 0.09  # ... and the head this wide (radius): hair
SHADOW_WIDTH, SHADOW_DEPTH = 0.35, 0.06  # ... and the floor around the feet, where the legs cast their shadows
# the skeleton the mask is drawn on: arms, legs with the feet, shoulders and hips
SKELETON = ((11, 13), (13, 15), (15, 19), (12, 14), (14, 16), (16, 20), (11, 12), (23, 24), (11, 23), (12, 24),
            (23, 25), (25, 27), (27, 29), (27, 31), (29, 31), (24, 26), (26, 28), (28, 30), (28, 32), (30, 32))


@dataclasses.dataclass
class Level:
    """The camera's roll and how well it is known."""

    roll_deg: float
    sd_deg: float
    source: str  # "verticals", "horizontals", "assumed" (no picture to read it from), or "none"
    lines: int = 0

    @property
    def reliable(self) -> bool:
        return self.source != "none" and self.sd_deg <= RELIABLE_SD_DEG

    def to_dict(self) -> dict:
        return {"roll_deg": round(self.roll_deg, 2), "sd_deg": round(self.sd_deg, 2), "source": self.source, "lines": self.lines}


ASSUMED_LEVEL = Level(0.0, 0.0, "assumed")


# --- lines -----------------------------------------------------------------------------------------


def find_lines(picture: np.ndarray, person: Optional[np.ndarray] = None) -> np.ndarray:
    """Straight edges of a BGR picture, (N, 4) x0, y0, x1, y1 in its pixels; none on `person` (a mask of the
    picture's size, `person_mask`)."""
    height, width = picture.shape[:2]
    scale = WORK_PX / max(height, width)
    small = cv2.resize(picture, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    found = cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD).detect(gray)[0]
    lines = np.zeros((0, 4)) if found is None else found.reshape(-1, 4).astype(np.float64) / scale  # OpenCV 4: (N, 1, 4); 5: (N, 4)
    lines = lines[np.hypot(lines[:, 2] - lines[:, 0], lines[:, 3] - lines[:, 1]) >= MIN_LINE * max(height, width)]
    if person is not None and len(lines):
        # five points along each line; two of them on the person make it the person's edge
        t = np.linspace(0.0, 1.0, 5)[None, :, None]
        points = lines[:, None, :2] + t * (lines[:, None, 2:] - lines[:, None, :2])
        x = np.clip(points[..., 0].round().astype(int), 0, width - 1)
        y = np.clip(points[..., 1].round().astype(int), 0, height - 1)
        lines = lines[person[y, x].sum(axis=1) < 2]
    return lines


def person_mask(landmarks_px: np.ndarray, width: int, height: int) -> np.ndarray:
    """(height, width) bool: the person, drawn generously around the skeleton (clothes, hair, hands, feet)."""
    mask = np.zeros((height, width), np.uint8)
    points = np.asarray(landmarks_px, np.float64)[:, :2]
    known = np.all(np.isfinite(points), axis=1)
    if not known.any():
        return mask.astype(bool)
    tall = float(np.ptp(points[known, 1])) or 1.0
    thick = max(int(PERSON_LIMB * tall), 1)
    for a, b in SKELETON:
        if known[a] and known[b]:
            cv2.line(mask, tuple(int(v) for v in points[a]), tuple(int(v) for v in points[b]), 1, thick)
    torso = [i for i in (11, 12, 24, 23) if known[i]]
    if len(torso) == 4:
        cv2.fillConvexPoly(mask, points[torso].round().astype(np.int32), 1)
    head = points[[i for i in range(11) if known[i]]]
    if len(head):
        cv2.circle(mask, tuple(int(v) for v in head.mean(axis=0)), int(PERSON_HEAD * tall), 1, -1)
    feet = points[[i for i in range(27, 33) if known[i]]]
    if len(feet):  # the legs' shadows on the floor around the feet
        axes = (int(SHADOW_WIDTH * tall), int(SHADOW_DEPTH * tall))
        cv2.ellipse(mask, tuple(int(v) for v in feet.mean(axis=0)), axes, 0, 0, 360, 1, -1)
    return mask.astype(bool)


# --- fits ------------------------------------------------------------------------------------------


def _angles(lines: np.ndarray, vertical: bool) -> np.ndarray:
    """Each line's angle from the picture's vertical (+ = top to the right) or horizontal (+ = right end lower)."""
    d = lines[:, 2:] - lines[:, :2]
    if vertical:
        d = np.where((d[:, 1] > 0)[:, None], -d, d)  # pointing up
        return np.degrees(np.arctan2(d[:, 0], -d[:, 1]))
    d = np.where((d[:, 0] < 0)[:, None], -d, d)  # pointing right
    return np.degrees(np.arctan2(d[:, 1], d[:, 0]))


def _wrap(deg: np.ndarray) -> np.ndarray:
    return (deg + 90.0) % 180.0 - 90.0


def _predicted(theta: float, kappa: float, p: np.ndarray) -> np.ndarray:
    """The angle of a vertical line through points p (picture centre at 0, long side 1) when the vertical
    vanishing point lies in direction theta at distance 1/kappa (kappa 0: the lines are parallel)."""
    return np.degrees(np.arctan2(math.sin(theta) + kappa * p[:, 0], math.cos(theta) - kappa * p[:, 1]))


def _tukey_cost(residual: np.ndarray) -> np.ndarray:
    """Tukey's biweight loss of standardised residuals (3 SD and beyond cost the same)."""
    u = np.minimum(np.abs(residual) / 3.0, 1.0)
    return 1.0 - (1.0 - u ** 2) ** 3


def _vanishing_starts(p: np.ndarray, phi: np.ndarray, vote: np.ndarray) -> list[tuple[float, float]]:
    """Starting points (theta, kappa) for the fit: parallel lines at the median angle, and the crossing
    points of pairs of lines that most parts of the picture agree with (`vote`: each line's say)."""
    direction = np.stack([np.sin(np.radians(phi)), -np.cos(np.radians(phi))], axis=1)
    homogeneous = np.cross(np.c_[p, np.ones(len(p))], np.c_[p + direction, np.ones(len(p))])
    pairs = np.argsort(-vote, kind="stable")[:GUESS_LINES]
    a, b = np.triu_indices(len(pairs), 1)
    crossing = np.cross(homogeneous[pairs[a]], homogeneous[pairs[b]])
    norm = np.hypot(crossing[:, 0], crossing[:, 1])
    sign = np.where(crossing[:, 1] >= 0, 1.0, -1.0)
    theta = np.arctan2(sign * crossing[:, 0], sign * crossing[:, 1])
    kappa = sign * crossing[:, 2] / np.maximum(norm, 1e-12)
    ok = (norm > 1e-12) & (np.abs(kappa) <= 3 * PITCH_PRIOR)
    theta, kappa = theta[ok], kappa[ok]
    # every candidate against every line, as in _predicted
    predicted = np.degrees(np.arctan2(np.sin(theta)[:, None] + kappa[:, None] * p[None, :, 0],
                                      np.cos(theta)[:, None] - kappa[:, None] * p[None, :, 1]))
    score = (np.abs(_wrap(phi[None, :] - predicted)) < INLIER_DEG) @ vote
    best = np.argsort(-score, kind="stable")[:STARTS]
    return [(math.radians(float(np.median(phi))), 0.0)] + [(float(theta[i]), float(kappa[i])) for i in best]


def _refine(p, phi, sd, vote, theta, kappa, vanishing: bool) -> tuple[float, float, np.ndarray, float, float]:
    """Robust (Tukey) Gauss-Newton fit of theta (and kappa): theta, kappa, the weights, theta's SD (deg) and the cost.

    `vote` is each line's share of its strip of the picture: every strip counts once, however
    many lines it holds (the bars of one radiator are one object, not twenty)."""
    prior = np.diag([1e-9, 1.0 / PITCH_PRIOR ** 2])  # (the tiny first term keeps a fit without lines solvable)
    weights = np.ones(len(phi))
    eps = 1e-5
    for _ in range(20):
        residual = _wrap(phi - _predicted(theta, kappa, p))
        weights = np.where(np.abs(residual / sd) < 3.0, (1 - (residual / sd / 3.0) ** 2) ** 2, 0.0)
        w = weights * vote / sd ** 2
        jac = np.stack([(_predicted(theta + eps, kappa, p) - _predicted(theta, kappa, p)) / eps,
                        (_predicted(theta, kappa + eps, p) - _predicted(theta, kappa, p)) / eps], axis=1)
        if not vanishing:
            jac[:, 1] = 0.0
        normal = jac.T @ (jac * w[:, None]) + prior
        step = np.linalg.solve(normal, jac.T @ (w * residual) - prior @ [theta, kappa])
        theta, kappa = theta + step[0], kappa + step[1]
        if abs(step[0]) < 1e-7 and abs(step[1]) < 1e-7:
            break
    residual = _wrap(phi - _predicted(theta, kappa, p))
    if not np.any(weights > 0):
        return theta, kappa, weights, math.inf, math.inf
    say = float(np.sum(vote[weights > 0]))  # how many strips' worth of lines agree
    chi2 = float(np.sum(weights * vote * (residual / sd) ** 2) / max(say - 2.0, 1.0))
    sd_theta = math.degrees(math.sqrt(np.linalg.inv(normal)[0, 0] * max(1.0, chi2)))
    cost = float(np.sum(vote * _tukey_cost(residual / sd)) + 0.5 * (kappa / PITCH_PRIOR) ** 2)
    return theta, kappa, weights, sd_theta, cost


def fit_lines(lines: np.ndarray, width: int, height: int, vertical: bool) -> Optional[Level]:
    """The roll from the picture's vertical (or parallel horizontal) lines, or None if they do not tell it."""
    phi = _angles(lines, vertical)
    near = np.abs(phi) < CANDIDATE_DEG
    lines, phi = lines[near], phi[near]
    if len(lines) < (MIN_LINES if vertical else 2):
        return None
    long_side = max(width, height)
    p = np.stack([(lines[:, 0] + lines[:, 2]) / 2 - width / 2, (lines[:, 1] + lines[:, 3]) / 2 - height / 2], axis=1) / long_side
    length = np.hypot(lines[:, 2] - lines[:, 0], lines[:, 3] - lines[:, 1])
    sd = np.sqrt(LINE_SD_DEG ** 2 + np.degrees(1.5 / length) ** 2)  # 1.5 px at the ends
    strip = np.clip(((p[:, 0] * long_side / width + 0.5) * STRIPS).astype(int), 0, STRIPS - 1)
    vote = length / np.bincount(strip, weights=length, minlength=STRIPS)[strip]  # each strip's lines share one vote
    # horizontal lines: only a set of parallel ones (kappa 0)
    starts = _vanishing_starts(p, phi, vote) if vertical else [(math.radians(float(np.median(phi))), 0.0)]
    fits = [_refine(p, phi, sd, vote, theta, kappa, vertical) for theta, kappa in starts]
    theta, kappa, weights, sd_fit, _ = min(fits, key=lambda fit: fit[4])
    used = weights > 0.1
    strips = [s for s in range(STRIPS) if np.any(used & (strip == s))]
    if int(used.sum()) < (MIN_LINES if vertical else 2) or len(strips) < (MIN_STRIPS if vertical else 2):
        return None
    if float(np.sum(vote[used])) < MIN_AGREEMENT * float(np.sum(vote)):  # most of the picture disagrees: no vertical
        return Level(-math.degrees(theta), math.inf, "verticals" if vertical else "horizontals", int(used.sum()))
    # jackknife over the strips: a roll that rests on one object is not known well
    leave_out = []
    for s in strips:
        keep = strip != s
        leave_out.append(_refine(p[keep], phi[keep], sd[keep], vote[keep], theta, kappa, vertical)[0])
    n = len(leave_out)
    sd_jack = math.degrees(math.sqrt((n - 1) / n * float(np.sum((np.array(leave_out) - np.mean(leave_out)) ** 2))))
    # theta is the true vertical's lean to the right; the camera's roll leans it to the left
    return Level(-math.degrees(theta), max(sd_fit, sd_jack), "verticals" if vertical else "horizontals", int(used.sum()))


def camera_roll(picture: np.ndarray, landmarks_px: np.ndarray) -> Level:
    """The camera's roll from a picture of the room (landmarks in its pixels mask the person out).

    Vertical edges when there are enough of them, reliable or not: where they disagree the scene
    is no help, and horizontal edges, which also tilt with the wall's angle, would be worse.
    Horizontal ones only when there are no vertical ones (a bare wall and its floor line).
    """
    height, width = picture.shape[:2]
    lines = find_lines(picture, person_mask(landmarks_px, width, height))
    level = fit_lines(lines, width, height, vertical=True)
    if level is None:
        level = fit_lines(lines, width, height, vertical=False)
        if level is not None:
            level.sd_deg = math.hypot(level.sd_deg, WALL_ANGLE_SD_DEG)
    return level if level is not None else Level(0.0, math.inf, "none", 0)


def level_points(points: np.ndarray, roll_deg: float, centre: tuple[float, float]) -> np.ndarray:
    """(N, >=2) points turned about `centre` so that the true vertical (`roll_deg` in the picture) is vertical."""
    a = math.radians(roll_deg)
    rotation = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    out = np.array(points, np.float64, copy=True)
    out[..., :2] = (out[..., :2] - centre) @ rotation.T + centre
    return out
