"""A finished rise looked back at: its start, top, lowering and end, its height and the ankles' share, from the buffered signal.

A pure function on arrays; the centred filter has no lag, which the streaming
filters of the live count cannot avoid, so holds are timed to about 0.15 s.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from posecheck.body.filters import centred_smooth

# How far past the 10 %-90 % span a smooth (minimum-jerk-like) movement starts and ends:
# the first and last 10 % of a rise are too flat to see in the noise.
EDGE_EXTENSION = 0.35


@dataclasses.dataclass(frozen=True)
class RiseShape:
    start_s: float
    top_s: float
    lower_s: float
    end_s: float
    peak_lift: float  # trunk lift in leg lengths, the median of the plateau
    left_share: float | None  # share of the ankle lift on the left foot, 0..1


def shape_of_rise(buffer: np.ndarray) -> RiseShape | None:
    """Refine the times of a finished rise from its buffered signal (t, lift, ankle L, ankle R)."""
    t = buffer[:, 0]
    period = float(np.median(np.diff(t)))  # the buffer holds at least 3 frames
    width = max(int(round(0.15 / period)), 1)
    lift = centred_smooth(buffer[:, 1], width)
    top_i = int(np.argmax(lift))
    # The plateau is the part near the top; its median is the rise's height.
    near_top = lift >= 0.7 * lift[top_i]
    peak = float(np.median(lift[near_top]))
    if peak <= 0:
        return None
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
    ankle_left = float(np.median(buffer[near_top, 2]))
    ankle_right = float(np.median(buffer[near_top, 3]))
    total = max(ankle_left, 0.0) + max(ankle_right, 0.0)
    share = max(ankle_left, 0.0) / total if total > 1e-6 else None
    return RiseShape(
        start_s=t10_up - EDGE_EXTENSION * rise,
        top_s=t90_up + EDGE_EXTENSION * rise,
        lower_s=t90_down - EDGE_EXTENSION * fall,
        end_s=t10_down + EDGE_EXTENSION * fall,
        peak_lift=peak,
        left_share=share,
    )


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
