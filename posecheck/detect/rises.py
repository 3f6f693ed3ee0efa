"""Heel-raise ("rise") detection: a streaming state machine over body measures.

A rise lifts the heels and carries the whole body up by a few centimetres while
the toes stay on the floor. The main signal is the height of the trunk
(shoulders and hips) above the toes, in leg lengths, against the person's own
upright standing level. The ankles, measured against the toes, must rise with
it, and the legs must stay straight: squats and dips bend the knees and lower
the trunk; sways and weight shifts move it sideways, not up.

`RiseCounter.update` takes one frame at a time and returns what happened, so
live and offline analysis share this code. When a rise has ended, its times
are refined by looking back at the buffered signal; that is why both give the
same report.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import math

import numpy as np

from posecheck.body.measures import BodyMeasures, measure
from posecheck.body.filters import Ema, RollingQuantile
from posecheck.body.geometry import LEG_SHARE_OF_HEIGHT  # the trunk lift in cm: leg lengths x this x height
from posecheck.detect.rise_shape import shape_of_rise
from posecheck.detect.stance import StanceTracker
from posecheck.pose.landmarks import PoseFrame


class Phase(str, enum.Enum):
    CALIBRATING = "ready"
    REST = "rest"
    RISING = "rising"
    HOLD = "hold"
    LOWERING = "lowering"


class Blocked(str, enum.Enum):
    """Why a frame cannot be used for counting."""

    NO_PERSON = "no_person"
    FEET_HIDDEN = "feet_hidden"
    BODY_HIDDEN = "body_hidden"
    KNEES_BENT = "knees_bent"
    FOOT_LIFTED = "foot_lifted"
    FEET_MOVED = "feet_moved"


@dataclasses.dataclass(frozen=True)
class RiseConfig:
    hold_target_s: float = 3.0
    # Trunk lift in leg lengths (hip-ankle). Measured on rendered rises seen from
    # the front: heels up 2 cm read 0.011-0.015, 3 cm 0.023, 6 cm about 0.04.
    # A rise counts from 3 cm of heel lift.
    full_lift: float = 0.019
    partial_lift: float = 0.01  # a rise smaller than this is sway
    # Once a person has done a few rises, one much lower than their usual is a partial.
    relative_partial: float = 0.4
    enter_lift: float = 0.009  # hysteresis: a rise begins above this ...
    exit_lift: float = 0.005  # ... and ends below this,
    exit_share: float = 0.3  # or below this share of its peak, so back-to-back rises stay apart
    min_rise_s: float = 0.5  # shorter excursions are jitter
    # The weaker ankle must carry this share of the lift: one-heel raises do not
    # count. Two-heel rises read from 26/74 to 50/50 (MediaPipe sees feet unevenly).
    min_ankle_share: float = 0.12
    # Hip-ankle length against the same leg standing: a rise keeps the legs
    # straight; squats and dips shorten both, lifting a foot bends one a lot.
    bent_leg_ratio: float = 0.94
    lifted_leg_ratio: float = 0.85
    # A foot that moves this far (leg lengths) from where it stood means a step
    # or a turn: the standing level is learned again.
    stance_change: float = 0.08
    smoothing_s: float = 0.07
    baseline_window_s: float = 6.0
    calibration_s: float = 1.0
    max_gap_s: float = 0.5  # a rise survives missing frames up to this long
    round_gap_s: float = 15.0  # a pause this long between rises starts a new round
    reps_per_round: int | None = None  # or this many reps do (the article's 10)
    height_cm: float | None = None  # the person's height, to report lifts in cm


@dataclasses.dataclass
class Rep:
    start_s: float
    top_s: float
    lower_s: float
    end_s: float
    peak_lift: float  # trunk lift in leg lengths
    left_share: float | None  # share of the ankle lift on the left foot, 0..1
    full: bool
    hold_ok: bool = False
    round: int = 1
    peak_lift_cm: float | None = None
    stance: str | None = None  # "parallel", "wide", "turned_out": the majority of its frames (posecheck.detect.stance)

    @property
    def hold_s(self) -> float:
        return max(self.lower_s - self.top_s, 0.0)

    def to_json(self) -> dict:
        return {
            "start_s": round(self.start_s, 2),
            "top_s": round(self.top_s, 2),
            "lower_s": round(self.lower_s, 2),
            "end_s": round(self.end_s, 2),
            "hold_s": round(self.hold_s, 2),
            "hold_ok": self.hold_ok,
            "peak_lift": round(self.peak_lift, 4),
            "peak_lift_cm": None if self.peak_lift_cm is None else round(self.peak_lift_cm, 1),
            "left_share": None if self.left_share is None else round(self.left_share, 2),
            "round": self.round,
            "stance": self.stance,
        }


@dataclasses.dataclass(frozen=True)
class Event:
    kind: str  # "rep", "partial", "one_foot", "hold_reached", "round_done", "aborted", "ready"
    t: float
    rep: Rep | None = None
    detail: str = ""


@dataclasses.dataclass
class Sample:
    """One frame of the rise signals, for the CSV and the plots."""

    t: float
    lift: float  # trunk lift over the upright level, leg lengths, smoothed
    ankle_left: float
    ankle_right: float
    phase: Phase
    blocked: Blocked | None


# Holds are timed to about 0.15 s: do not flag a 3 s hold that read 2.9 s as short.
HOLD_TOLERANCE_S = 0.15


class RiseCounter:
    """Counts rises frame by frame. Feed `update`, read `phase`, `reps`, `hold_elapsed`."""

    def __init__(self, config: RiseConfig | None = None):
        self.config = config or RiseConfig()
        c = self.config
        self.phase = Phase.CALIBRATING
        self.reps: list[Rep] = []
        self.partials: list[Rep] = []
        self.one_foot: list[Rep] = []
        self.frames = 0
        self.blocked_frames: collections.Counter = collections.Counter()
        self.crowded_frames = 0
        self.aborted = 0
        self._legs = [RollingQuantile(10.0, 0.5), RollingQuantile(10.0, 0.5)]  # standing hip-ankle lengths, pixels
        self._stance = [RollingQuantile(c.baseline_window_s, 0.5) for _ in range(3)]
        self._feet_moving_since = math.nan
        self._baseline = RollingQuantile(c.baseline_window_s, 0.5)
        self._ankle_base = [RollingQuantile(c.baseline_window_s, 0.5), RollingQuantile(c.baseline_window_s, 0.5)]
        self._smooth = Ema(c.smoothing_s)
        self._ankle_smooth = [Ema(c.smoothing_s), Ema(c.smoothing_s)]
        self._calibrated_since = math.nan
        self._last_valid_t = math.nan
        self._last_t = math.nan
        # The rise in progress
        self._buffer: list[tuple[float, float, float, float]] = []  # t, lift, ankle left, ankle right
        self._peak = 0.0
        self._peak_t = math.nan
        self.hold_started = math.nan
        self._hold_announced = False
        self._round_open = False
        self._last_rep_end = math.nan
        self._last_rise_end = -math.inf
        self.last_sample: Sample | None = None
        self.stance = StanceTracker()  # to tag each rep with its stance variant

    # ----- public -----
    @property
    def count(self) -> int:
        return len(self.reps)

    @property
    def round(self) -> int:
        """The round in progress: after a round is done, the next one."""
        if not self.reps:
            return 1
        return self.reps[-1].round if self._round_open else self.reps[-1].round + 1

    def hold_elapsed(self, t: float) -> float:
        return t - self.hold_started if self.phase == Phase.HOLD and not math.isnan(self.hold_started) else 0.0

    def update(self, pose: PoseFrame | None, t: float) -> list[Event]:
        """Take one frame's pose (None: nobody found) at time t; return the events it completes."""
        self.stance.add(t, pose)
        return self._tag(self._count(measure(pose), t))

    def _count(self, m: BodyMeasures | None, t: float) -> list[Event]:
        c = self.config
        self.frames += 1
        self._last_t = t
        events: list[Event] = []
        blocked = self._blocked(m)
        if m is not None and m.people > 1:
            self.crowded_frames += 1
        if blocked == Blocked.FEET_MOVED:
            self._relearn_standing()
        if blocked is not None:
            self.blocked_frames[blocked] += 1
            self.last_sample = Sample(t, math.nan, math.nan, math.nan, self.phase, blocked)
            if self.phase in (Phase.RISING, Phase.HOLD, Phase.LOWERING):
                if blocked in (Blocked.KNEES_BENT, Blocked.FOOT_LIFTED) or t - self._last_valid_t > c.max_gap_s:
                    events.append(Event("aborted", t, detail=blocked.value))
                    self.aborted += 1
                    self._reset_rise()
            if t - self._last_valid_t > c.max_gap_s:
                self._calibrated_since = math.nan  # calibrate again once the person is back
            events += self._round_check(t)
            return events

        assert m is not None
        # Heights stay in pixels against the person's own resting level, and only
        # the difference is scaled by the leg: the leg's length in the image
        # itself changes a little during a rise.
        if self.phase in (Phase.CALIBRATING, Phase.REST):
            for i in (0, 1):
                self._legs[i].add(t, float(m.legs_px[i]))
            for ref, value in zip(self._stance, m.stance()):
                ref.add(t, value)
        leg = (self._legs[0].value + self._legs[1].value) / 2
        raw = (m.floor_y - m.trunk_y, m.toe[0, 1] - m.ankle[0, 1], m.toe[1, 1] - m.ankle[1, 1])
        lift_abs = self._smooth.update(t, raw[0])
        ankle_abs = [self._ankle_smooth[i].update(t, raw[1 + i]) for i in (0, 1)]
        self._last_valid_t = t

        if self.phase == Phase.CALIBRATING:
            self._add_baseline(t, lift_abs, ankle_abs)
            if math.isnan(self._calibrated_since):
                self._calibrated_since = t
            if t - self._calibrated_since >= c.calibration_s:
                self.phase = Phase.REST
                events.append(Event("ready", t))
            self.last_sample = Sample(t, 0.0, 0.0, 0.0, self.phase, None)
            return events

        lift = (lift_abs - self._baseline.value) / leg
        ankle = [(ankle_abs[i] - self._ankle_base[i].value) / leg for i in (0, 1)]
        self.last_sample = Sample(t, lift, ankle[0], ankle[1], self.phase, None)

        if self.phase == Phase.REST:
            if lift > c.enter_lift:
                self.phase = Phase.RISING
                self._buffer = []
                self._peak, self._peak_t = lift, t
            else:
                self._add_baseline(t, lift_abs, ankle_abs)
                events += self._round_check(t)
        if self.phase != Phase.REST:
            # Unsmoothed, so that the look-back can smooth without lag.
            base = (self._baseline.value, self._ankle_base[0].value, self._ankle_base[1].value)
            self._buffer.append((t, *((raw[i] - base[i]) / leg for i in range(3))))
            events += self._advance_rise(t, lift)
        self.last_sample.phase = self.phase
        return events

    def finish(self, t: float | None = None) -> list[Event]:
        """End of input: settle a rise still in progress, close the round."""
        return self._tag(self._finish(t))

    def _finish(self, t: float | None) -> list[Event]:
        t = self._last_t if t is None else t
        events: list[Event] = []
        if self.phase in (Phase.RISING, Phase.HOLD, Phase.LOWERING) and self._buffer:
            events += self._complete_rise(t, ended=False)
        if self._round_open:
            self._round_open = False
            events.append(Event("round_done", t, detail=str(self.reps[-1].round)))
        return events

    # ----- internals -----
    def _tag(self, events: list[Event]) -> list[Event]:
        """Each rep gets the stance variant that most of its frames showed."""
        for event in events:
            if event.kind == "rep" and event.rep is not None:
                event.rep.stance = self.stance.variant_between(event.rep.start_s, event.rep.end_s)
        return events

    def _blocked(self, m: BodyMeasures | None) -> Blocked | None:
        if m is None:
            return Blocked.NO_PERSON
        if not m.body_visible:
            return Blocked.BODY_HIDDEN
        if not m.feet_visible:
            return Blocked.FEET_HIDDEN
        if self._legs[0].span() >= 1.0:
            ratios = sorted(m.legs_px[i] / self._legs[i].value for i in (0, 1))
            if ratios[0] < self.config.lifted_leg_ratio and ratios[1] >= self.config.bent_leg_ratio:
                return Blocked.FOOT_LIFTED
            if ratios[0] < self.config.bent_leg_ratio:
                return Blocked.KNEES_BENT
        if self.phase in (Phase.CALIBRATING, Phase.REST) and self._stance[0].span() >= 0.5:
            moved = any(abs(value - ref.value) > self.config.stance_change for ref, value in zip(self._stance, m.stance()))
            if not moved:
                self._feet_moving_since = math.nan
            elif math.isnan(self._feet_moving_since):
                self._feet_moving_since = m.t
            elif m.t - self._feet_moving_since >= 0.3:  # a glitch of a frame or two is not a step
                return Blocked.FEET_MOVED
        return None

    def _relearn_standing(self) -> None:
        for ref in [self._baseline, *self._ankle_base, *self._stance]:
            ref.clear()
        self._feet_moving_since = math.nan
        self.phase = Phase.CALIBRATING
        self._calibrated_since = math.nan

    def _add_baseline(self, t: float, lift: float, ankles: list[float]) -> None:
        self._baseline.add(t, lift)
        for i in (0, 1):
            self._ankle_base[i].add(t, ankles[i])

    def _advance_rise(self, t: float, lift: float) -> list[Event]:
        c = self.config
        events: list[Event] = []
        if lift > self._peak:
            self._peak, self._peak_t = lift, t
        if self.phase == Phase.RISING:
            settled = t - self._peak_t >= 0.15 and lift >= 0.85 * self._peak
            if settled and self._peak >= c.partial_lift:
                self.phase = Phase.HOLD
                self.hold_started = self._peak_t
        elif self.phase == Phase.HOLD:
            if lift < 0.7 * self._peak:
                self.phase = Phase.LOWERING
            elif not self._hold_announced and self._peak >= c.full_lift and t - self.hold_started >= c.hold_target_s:
                self._hold_announced = True
                events.append(Event("hold_reached", t))
        elif self.phase == Phase.LOWERING and lift >= 0.85 * self._peak:
            self.phase = Phase.HOLD
        if lift < max(c.exit_lift, c.exit_share * self._peak):
            events += self._complete_rise(t, ended=True)
        return events

    def _complete_rise(self, t: float, ended: bool) -> list[Event]:
        c = self.config
        buffer = np.array(self._buffer) if self._buffer else np.zeros((0, 4))
        self._reset_rise()
        if len(buffer) < 3 or buffer[-1, 0] - buffer[0, 0] < c.min_rise_s:
            return []
        shape = shape_of_rise(buffer)
        if shape is None:
            return []
        rep = Rep(shape.start_s, shape.top_s, shape.lower_s, shape.end_s, shape.peak_lift, shape.left_share, full=False)
        if c.height_cm:
            rep.peak_lift_cm = rep.peak_lift * c.height_cm * LEG_SHARE_OF_HEIGHT
        if rep.peak_lift < c.partial_lift:
            return []
        # A rise cannot begin before the last one ended: this is the tail of it.
        if rep.start_s < self._last_rise_end:
            return []
        self._last_rise_end = rep.end_s
        if not ended:
            self.partials.append(rep)
            return [Event("partial", t, rep, "the video ended during a rise")]
        if rep.peak_lift < c.full_lift or rep.peak_lift < c.relative_partial * self._usual_peak():
            self.partials.append(rep)
            return [Event("partial", t, rep)]
        if rep.left_share is not None and min(rep.left_share, 1 - rep.left_share) < c.min_ankle_share:
            self.one_foot.append(rep)
            return [Event("one_foot", t, rep)]
        rep.full = True
        rep.hold_ok = rep.hold_s >= c.hold_target_s - HOLD_TOLERANCE_S
        events: list[Event] = []
        if self.reps:
            last = self.reps[-1]
            in_last_round = sum(1 for done in self.reps if done.round == last.round)
            round_full = c.reps_per_round is not None and in_last_round >= c.reps_per_round
            rep.round = last.round + 1 if round_full or rep.start_s - last.end_s >= c.round_gap_s else last.round
        self.reps.append(rep)
        self._round_open = True
        self._last_rep_end = rep.end_s
        events.append(Event("rep", t, rep))
        if c.reps_per_round is not None and sum(1 for done in self.reps if done.round == rep.round) == c.reps_per_round:
            self._round_open = False
            events.append(Event("round_done", t, detail=str(rep.round)))
        return events

    def _usual_peak(self) -> float:
        """The median height of the recent full rises (0 until there are two)."""
        recent = [rep.peak_lift for rep in self.reps[-10:]]
        return float(np.median(recent)) if len(recent) >= 2 else 0.0

    def _round_check(self, t: float) -> list[Event]:
        if self._round_open and t - self._last_rep_end >= self.config.round_gap_s:
            self._round_open = False
            return [Event("round_done", t, detail=str(self.reps[-1].round))]
        return []

    def _reset_rise(self) -> None:
        self.phase = Phase.REST
        self._buffer = []
        self._peak = 0.0
        self._peak_t = math.nan
        self.hold_started = math.nan
        self._hold_announced = False
