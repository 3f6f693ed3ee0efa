"""Streaming filters with explicit state, one sample at a time, so live and offline analysis get the same numbers."""

from __future__ import annotations

import bisect
import collections
import dataclasses
import math

import numpy as np


@dataclasses.dataclass
class Ema:
    """First-order low-pass filter with a time constant, robust to uneven frame spacing."""

    tau: float
    value: float = math.nan
    last_t: float = math.nan

    def update(self, t: float, x: float) -> float:
        if math.isnan(self.value) or math.isnan(self.last_t):
            self.value = x
        else:
            alpha = 1.0 - math.exp(-max(t - self.last_t, 0.0) / self.tau)
            self.value += alpha * (x - self.value)
        self.last_t = t
        return self.value

    def reset(self) -> None:
        self.value = math.nan
        self.last_t = math.nan


class RollingQuantile:
    """A quantile of the samples of the last `window` seconds (by their time stamps).

    Keeps the values sorted as well, so each query is a lookup, not a sort.
    """

    def __init__(self, window: float, q: float):
        self.window = window
        self.q = q
        self.samples: collections.deque = collections.deque()
        self._sorted: list[float] = []

    def add(self, t: float, x: float) -> None:
        self.samples.append((t, x))
        bisect.insort(self._sorted, x)
        while self.samples and self.samples[0][0] < t - self.window:
            _, old = self.samples.popleft()
            del self._sorted[bisect.bisect_left(self._sorted, old)]

    def span(self) -> float:
        return self.samples[-1][0] - self.samples[0][0] if self.samples else 0.0

    @property
    def value(self) -> float:
        if not self._sorted:
            return math.nan
        # Linear interpolation between order statistics, as numpy.quantile does.
        position = self.q * (len(self._sorted) - 1)
        low = int(position)
        high = min(low + 1, len(self._sorted) - 1)
        return self._sorted[low] + (position - low) * (self._sorted[high] - self._sorted[low])

    def clear(self) -> None:
        self.samples.clear()
        self._sorted.clear()


def centred_smooth(x: np.ndarray, width: int) -> np.ndarray:
    """Moving average over `width` samples, centred (no lag), for looking back at a finished rep."""
    if width <= 1 or len(x) < 2:
        return x.copy()
    width = min(width, len(x))
    kernel = np.ones(width) / width
    padded = np.pad(x, (width // 2, width - 1 - width // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")
