"""The per-frame step that live and offline analysis share: a pose into the rise counter, and each rep's stance."""

from __future__ import annotations

from posecheck.pose.landmarks import PoseFrame
from posecheck.detect.rises import Event, RiseConfig, RiseCounter
from posecheck.body.measures import measure
from posecheck.detect.stance import StanceTracker


class RiseAnalysis:
    """Feed it one pose per frame, in order; read `counter` for the count so far."""

    def __init__(self, config: RiseConfig | None = None):
        self.counter = RiseCounter(config)
        self.stance = StanceTracker()

    def step(self, t: float, pose: PoseFrame | None, width: int, height: int) -> list[Event]:
        self.stance.add(t, pose)
        return self._tag(self.counter.update(measure(pose, width, height), t))

    def gap(self, t: float) -> list[Event]:
        """A frame with nobody in it, e.g. to end a rise that a pause interrupted."""
        return self._tag(self.counter.update(None, t))

    def finish(self) -> list[Event]:
        return self._tag(self.counter.finish())

    def _tag(self, events: list[Event]) -> list[Event]:
        """Each rep gets the stance variant that most of its frames showed."""
        for event in events:
            if event.kind == "rep" and event.rep is not None:
                event.rep.stance = self.stance.variant_between(event.rep.start_s, event.rep.end_s)
        return events
