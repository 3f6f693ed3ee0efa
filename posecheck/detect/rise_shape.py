"""A finished excursion of the trunk looked back at: its times, its height, what the feet and the body did at its top, and
whether that makes it a rise. Pure functions on arrays.

The centred filter has no lag, which the streaming filters of the live count
cannot avoid, so holds are timed to about 0.15 s.
"""

from __future__ import annotations

import dataclasses
import enum

import numpy as np

from posecheck.body.filters import centred_smooth

# How far past the 10 %-90 % span a smooth (minimum-jerk-like) movement starts and ends:
# the first and last 10 % of a rise are too flat to see in the noise.
EDGE_EXTENSION = 0.35

# The buffer's columns: every value but the time is against the standing level, in leg lengths
# (legs and torso: their length's change as a share of the standing length).
T, LIFT, FOOT_LEFT, FOOT_RIGHT, HIPS, SHOULDERS, LEGS, TORSO = range(8)
COLUMNS = 8


class Reason(str, enum.Enum):
    """Why an excursion of the trunk was not counted as a rise."""

    FRAMING = "framing"  # the body or the feet left the picture, or reached its edge
    CAMERA = "camera"  # a cut, or the camera moved or zoomed
    STEP = "step"  # a foot moved on the floor: a step or a turn
    SQUAT = "squat"  # knees bent just before or during it: standing up, not rising
    BEND = "bend"  # the trunk was bent (hinge, side bend) just before or during it: straightening up
    ONE_FOOT = "one_foot"  # one heel only, or one foot off the floor
    ARMS = "arms"  # the shoulders went up with the arms; the heels stayed down
    STRAIGHTENING = "straightening"  # standing taller (longer legs or trunk); the heels stayed down
    HEELS = "heels"  # the trunk went up, but no lift of the heels was seen


@dataclasses.dataclass(frozen=True)
class RiseShape:
    start_s: float
    top_s: float
    lower_s: float
    end_s: float
    peak_lift: float  # trunk lift in leg lengths, the median of the plateau
    feet: tuple[float, float]  # left, right foot: heel and ankle over the toes at the top, leg lengths
    hips: float  # the hips' lift at the top
    shoulders: float  # the shoulders' lift at the top
    legs: float  # the legs' length change at the top, share of standing
    torso: float  # the torso's length change at the top, share of standing
    follow: tuple[float, float] = (0.0, 0.0)  # how closely each foot's lift followed the trunk's over the excursion (correlation)


@dataclasses.dataclass(frozen=True)
class Evidence:
    """What the feet and the body must show for an excursion to be a rise (see `judge`)."""

    foot_share: float  # each foot's lift at least this share of the trunk's ...
    foot_floor: float  # ... and at least this, leg lengths (MediaPipe's noise on a standing foot),
    follow: float  # and must have followed the trunk up and down: correlation over the excursion
    arms_ratio: float  # shoulders up this many times as far as the hips: the arms lifted them
    taller: float  # legs or torso this much longer (share): standing taller


def shape_of_rise(buffer: np.ndarray) -> RiseShape | None:
    """Refine the times of a finished excursion from its buffered signals (see the columns above)."""
    t = buffer[:, T]
    period = float(np.median(np.diff(t)))  # the buffer holds at least 3 frames
    width = max(int(round(0.15 / period)), 1)
    lift = centred_smooth(buffer[:, LIFT], width)
    top_i = int(np.argmax(lift))
    if lift[top_i] <= 0:  # it never went up, once smoothed
        return None
    # The plateau is the part near the top; its median is the rise's height.
    near_top = lift >= 0.7 * lift[top_i]
    peak = float(np.median(lift[near_top]))
    up = np.nonzero(lift >= 0.9 * peak)[0]
    first_high, last_high = int(up[0]), int(up[-1])
    # The buffer starts and ends at the hysteresis thresholds, which can cut off
    # the 10 % points of a small rise: take the 50 %-90 % half of each edge and
    # double it (smooth movements are symmetric about their midpoint).
    t50_up = _crossing(t, lift, 0.5 * peak, 0, first_high)
    t90_up = _crossing(t, lift, 0.9 * peak, 0, first_high)
    t90_down = _crossing(t, lift, 0.9 * peak, len(t) - 1, last_high)
    t50_down = _crossing(t, lift, 0.5 * peak, len(t) - 1, last_high)
    rise = 2 * max(t90_up - t50_up, 0.0)  # the 10 %-90 % span
    fall = 2 * max(t50_down - t90_down, 0.0)
    t10_up, t10_down = t50_up - rise / 2, t50_down + fall / 2
    # What the feet and the body did at the top, each smoothed like the lift: a short plateau has few frames.
    smooth = np.column_stack([t] + [centred_smooth(buffer[:, k], width) for k in range(1, COLUMNS)])
    at_top = np.median(smooth[near_top], axis=0)
    return RiseShape(
        start_s=t10_up - EDGE_EXTENSION * rise,
        top_s=t90_up + EDGE_EXTENSION * rise,
        lower_s=t90_down - EDGE_EXTENSION * fall,
        end_s=t10_down + EDGE_EXTENSION * fall,
        peak_lift=peak,
        feet=(float(at_top[FOOT_LEFT]), float(at_top[FOOT_RIGHT])),
        hips=float(at_top[HIPS]),
        shoulders=float(at_top[SHOULDERS]),
        legs=float(at_top[LEGS]),
        torso=float(at_top[TORSO]),
        follow=(_correlation(smooth[:, FOOT_LEFT], lift), _correlation(smooth[:, FOOT_RIGHT], lift)),
    )


def judge(shape: RiseShape, evidence: Evidence, both_feet: bool = True) -> Reason | None:
    """None when the feet carried the excursion (`both_feet`, or at least one of them); else why it was no rise.

    A rise is a movement of the heels: the trunk's lift only says how high. When
    the feet did not rise, the body says what lifted the trunk instead. A low
    rise may show on one foot only (MediaPipe under-reads small heel lifts, one
    foot more than the other), so a partial needs one.
    """
    need = max(evidence.foot_share * shape.peak_lift, evidence.foot_floor)
    lifted = [foot >= need and follow >= evidence.follow for foot, follow in zip(shape.feet, shape.follow)]
    if all(lifted) or (any(lifted) and not both_feet):
        return None
    if any(lifted):
        return Reason.ONE_FOOT
    if shape.shoulders > evidence.arms_ratio * max(shape.hips, 0.0):
        return Reason.ARMS
    if max(shape.legs, shape.torso) > evidence.taller:
        return Reason.STRAIGHTENING
    return Reason.HEELS


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 3 or np.std(a) < 1e-9 or np.std(b) < 1e-9:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def _crossing(t: np.ndarray, x: np.ndarray, level: float, outer: int, inner: int) -> float:
    """Time where x crosses `level`, searching from index `inner` (above it) out towards `outer`."""
    step = -1 if outer < inner else 1
    i = inner
    while i != outer and x[i + step] >= level:
        i += step
    if i == outer:
        return float(t[i])
    j = i + step  # x[j] < level <= x[i]
    frac = (x[i] - level) / (x[i] - x[j]) if x[i] != x[j] else 0.0
    return float(t[i] + frac * (t[j] - t[i]))
