"""How many people are in view, looked up now and then with a second model that finds up to two.

The tracking model looks for one person, exactly as offline analysis does
(asked for two, MediaPipe runs its person detector on every frame: twice the
time, and landmarks that differ from the offline ones). This one looks about
once a second, and its answer holds until the next look.
"""

from __future__ import annotations

import math
import time
from typing import Callable


class PeopleCount:
    def __init__(self, estimator, every_s: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.estimator = estimator  # a still-image estimator that finds up to two people
        self.every_s = every_s
        self.clock = clock
        self.people = 1
        self._last = -math.inf

    def count(self, frame, look: bool = True) -> int:
        """The number of people in view; looks again if it is time and `look` allows it."""
        now = self.clock()
        if look and now - self._last >= self.every_s:
            self._last = now
            found = self.estimator.detect(frame)
            self.people = found.people if found is not None else 0
        return self.people

    def close(self) -> None:
        self.estimator.close()
