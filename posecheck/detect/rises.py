"""Heel-raise ("rise") detection: a streaming state machine over body measures.

A rise is a movement of the heels: both heels and ankles go up over the toes,
and the whole body goes up with them. The trunk (shoulders and hips) is the
steadiest signal of how high and for how long, so it finds the excursions; the
feet decide whether an excursion was a rise (`rise_shape.judge`). The trunk
also goes up for other reasons: standing up from a squat or a bend, the arms
lifting the shoulders, standing taller, the camera moving. Each excursion that
is not counted keeps its reason (`Reason`).

Every level is the person's own standing level, learned from quiet standing
and followed between rises (`standing.Standing`). After a squat, a bend or a
foot off the floor that level is stale until the person has stood still again,
and an excursion that begins within `fresh_s` of it is standing up, not rising.
After a cut, a camera move, a step or a spell out of view everything is learned
afresh.

`RiseCounter.update` takes one frame at a time and returns what happened, so
live and offline analysis share this code. When an excursion has ended, its
times are refined by looking back at the buffered signal; that is why both give
the same report.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import math

import numpy as np

from posecheck.body.filters import Ema
from posecheck.body.geometry import LEG_SHARE_OF_HEIGHT  # the trunk lift in cm: leg lengths x this x height
from posecheck.body.measures import BodyMeasures, measure
from posecheck.detect import rise_shape as col
from posecheck.detect.rise_shape import Evidence, Reason, judge, shape_of_rise
from posecheck.detect.stance import StanceTracker
from posecheck.detect.standing import (FEET, FOOT_LEFT, FOOT_RIGHT, HIDDEN, HIPS, LEGS, SHOULDERS, SMOOTHED, TORSO, TRUNK, Blocked,
                                       Standing, standing_values)
from posecheck.pose.landmarks import PoseFrame


class Phase(str, enum.Enum):
    CALIBRATING = "ready"
    REST = "rest"
    RISING = "rising"
    HOLD = "hold"
    LOWERING = "lowering"


# What a blocked frame says about an excursion it interrupts, and whether everything must be learned afresh after it
# (the picture changed) or only the standing level (the body moved).
BLOCK_REASON = {
    Blocked.NO_PERSON: Reason.FRAMING, Blocked.FEET_HIDDEN: Reason.FRAMING, Blocked.BODY_HIDDEN: Reason.FRAMING,
    Blocked.KNEES_BENT: Reason.SQUAT, Blocked.FOOT_LIFTED: Reason.ONE_FOOT, Blocked.TRUNK_BENT: Reason.BEND,
    Blocked.FEET_MOVED: Reason.STEP, Blocked.CAMERA_MOVED: Reason.CAMERA,
}
RELEARN_ALL = {Reason.FRAMING, Reason.STEP, Reason.CAMERA}
BENT = {Blocked.KNEES_BENT, Blocked.FOOT_LIFTED, Blocked.TRUNK_BENT}


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
    # Each foot's heel and ankle must rise over its toes by this share of the trunk's lift and by `foot_floor`
    # (leg lengths), and follow the trunk up and down (correlation over the excursion). On the weaker foot 720p
    # renders read 0.11-0.69 of the lift, real rises 0.43-0.93; they follow at 0.42-0.99, a step or a weight
    # shift that lifts the trunk at 0.13 or less (bench/README.md).
    foot_share: float = 0.07
    foot_floor: float = 0.003
    foot_follow: float = 0.3
    # When the heels stayed down, what lifted the trunk: the shoulders rising this many times as far
    # as the hips (the arms took them), or legs or torso longer by this share (standing taller).
    arms_ratio: float = 1.5
    taller: float = 0.03
    # Hip-ankle length against the same leg standing: a rise keeps the legs
    # straight; squats and dips shorten both, lifting a foot bends one a lot.
    bent_leg_ratio: float = 0.94
    lifted_leg_ratio: float = 0.85
    # The trunk bent (a hinge, a side bend): leaning this much more than standing, or this much shorter in the picture.
    bend_deg: float = 15.0
    bend_short: float = 0.15
    # The picture changed: both legs this much longer (a zoom, a cut to a close-up), or the
    # toes this far from where they stood (leg lengths; a pan, a cut).
    zoom: float = 0.15
    camera_move: float = 0.3
    # A foot that moves this far (leg lengths) from where it stood means a step or a turn.
    stance_change: float = 0.08
    # Quiet standing, from which the standing level is learned: the trunk within this
    # (leg lengths) for this long, and each leg's length within twice as much.
    settle_s: float = 0.3
    quiet_range: float = 0.012
    # An excursion that begins this soon after a squat, a bend or a foot off the floor is standing up from it.
    fresh_s: float = 1.0
    smoothing_s: float = 0.07
    baseline_window_s: float = 6.0
    max_gap_s: float = 0.5  # a rise survives missing frames up to this long
    glitch_s: float = 0.1  # ... and bent knees or trunk, or a lifted foot, shorter than this (a glitch of the landmarks)
    round_gap_s: float = 15.0  # a pause this long between rises starts a new round
    reps_per_round: int | None = None  # or this many reps do (the article's 10)
    height_cm: float | None = None  # the person's height, to report lifts in cm

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.foot_share, self.foot_floor, self.foot_follow, self.arms_ratio, self.taller)


@dataclasses.dataclass
class Rep:
    start_s: float
    top_s: float
    lower_s: float
    end_s: float
    peak_lift: float  # trunk lift in leg lengths
    full: bool
    hold_ok: bool = False
    round: int = 1
    peak_lift_cm: float | None = None
    stance: str | None = None  # "parallel", "wide", "turned_out": the majority of its frames (posecheck.detect.stance)
    reason: Reason | None = None  # why it was not counted (a rejected excursion)
    feet: tuple[float, float] | None = None  # left, right foot's lift at the top, leg lengths

    @property
    def hold_s(self) -> float:
        return max(self.lower_s - self.top_s, 0.0)

    def to_json(self) -> dict:
        data = {name: round(getattr(self, name), 2) for name in ("start_s", "top_s", "lower_s", "end_s", "hold_s")}
        data.update(hold_ok=self.hold_ok, peak_lift=round(self.peak_lift, 4),
                    peak_lift_cm=None if self.peak_lift_cm is None else round(self.peak_lift_cm, 1),
                    feet_lift=None if self.feet is None else [round(foot, 4) for foot in self.feet], round=self.round, stance=self.stance)
        if self.reason is not None:
            data["reason"] = self.reason.value
        return data


@dataclasses.dataclass(frozen=True)
class Event:
    kind: str  # "rep", "partial", "one_foot", "rejected", "hold_reached", "round_done", "aborted", "ready"
    t: float
    rep: Rep | None = None
    detail: str = ""


@dataclasses.dataclass
class Sample:
    """One frame of the rise signals, for the CSV and the plots."""

    t: float
    lift: float  # trunk lift over the standing level, leg lengths, smoothed
    foot_left: float  # heel and ankle over the toes against standing, leg lengths, smoothed
    foot_right: float
    phase: Phase
    blocked: Blocked | None
    stale: Reason | None = None  # the standing level is not trusted since this happened


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
        self.one_foot: list[Rep] = []  # one-heel raises (also in `rejected`)
        self.rejected: list[Rep] = []  # excursions that were no rise, each with its reason
        self.frames = 0
        self.blocked_frames: collections.Counter = collections.Counter()
        self.crowded_frames = 0
        self.aborted = 0
        self.seen_standing = False  # the standing level was learned at least once
        self.stale: Reason | None = None
        self._standing = Standing(c)
        self._moved: tuple[float, Reason] = (-math.inf, Reason.HEELS)  # the last squat, bend or foot off the floor
        self._smooth = [Ema(c.smoothing_s) for _ in SMOOTHED]
        self._last_valid_t = math.nan
        self._blocked_since = math.nan  # the first of the blocked frames in a row
        self._last_t = math.nan
        # The excursion in progress
        self._buffer: list[tuple[float, ...]] = []
        self._reason: Reason | None = None  # it began while the level was stale, or was disturbed
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

    @property
    def rising(self) -> bool:
        return self.phase in (Phase.RISING, Phase.HOLD, Phase.LOWERING)

    def rejected_by_reason(self) -> dict[str, int]:
        """How many excursions were not counted, by reason, the most frequent first."""
        return dict(collections.Counter(rep.reason.value for rep in self.rejected).most_common())

    def hold_elapsed(self, t: float) -> float:
        return t - self.hold_started if self.phase == Phase.HOLD and not math.isnan(self.hold_started) else 0.0

    def update(self, pose: PoseFrame | None, t: float) -> list[Event]:
        """Take one frame's pose (None: nobody found) at time t; return the events it completes."""
        self.stance.add(t, pose)
        return self._tag(self._count(measure(pose), t))

    def finish(self, t: float | None = None) -> list[Event]:
        """End of input: settle a rise still in progress, close the round."""
        t = self._last_t if t is None else t
        events: list[Event] = []
        if self.rising and self._buffer:
            events += self._complete_rise(t, ended=False)
        if self._round_open:
            self._round_open = False
            events.append(Event("round_done", t, detail=str(self.reps[-1].round)))
        return self._tag(events)

    # ----- one frame -----
    def _count(self, m: BodyMeasures | None, t: float) -> list[Event]:
        c = self.config
        self.frames += 1
        self._last_t = t
        if m is not None and m.people > 1:
            self.crowded_frames += 1
        values = standing_values(m) if m is not None else None
        blocked = self._standing.blocked(m, values, self.rising)
        if blocked is not None:
            return self._blocked_frame(blocked, t)
        assert m is not None and values is not None
        self._last_valid_t = t
        self._blocked_since = math.nan
        smooth = np.array([ema.update(t, float(x)) for ema, x in zip(self._smooth, values[SMOOTHED])])
        self._standing.add(t, values, smooth)
        events: list[Event] = []
        if (self.phase == Phase.CALIBRATING or self.stale is not None) and self._standing.quiet():
            events += self._learn_standing(t)
        if self.phase == Phase.CALIBRATING:
            self.last_sample = Sample(t, math.nan, math.nan, math.nan, self.phase, None)
            return events
        ref, leg = self._standing.levels.value, self._standing.leg_px
        lift, foot_left, foot_right = (smooth[:3] - ref[[TRUNK, *FEET]]) / leg
        self.last_sample = Sample(t, lift, foot_left, foot_right, self.phase, None, self.stale)
        if self.phase == Phase.REST:
            if lift > c.enter_lift:
                self.phase = Phase.RISING
                moved_t, moved = self._moved
                self._buffer, self._reason = [], self.stale or (moved if t - moved_t < c.fresh_s else None)
                self._peak, self._peak_t = lift, t
            else:
                if self.stale is None:
                    self._standing.levels.add(t, values)
                events += self._round_check(t)
        if self.rising:
            # Unsmoothed, so that the look-back can smooth without lag.
            relative = (values - ref) / leg
            lengths = (values[LEGS].sum() / ref[LEGS].sum() - 1, values[TORSO] / ref[TORSO] - 1)
            self._buffer.append((t, *relative[[TRUNK, FOOT_LEFT, FOOT_RIGHT, HIPS, SHOULDERS]], *lengths))
            events += self._advance_rise(t, lift)
        self.last_sample.phase = self.phase
        return events

    def _blocked_frame(self, blocked: Blocked, t: float) -> list[Event]:
        c = self.config
        self.blocked_frames[blocked] += 1
        self.last_sample = Sample(t, math.nan, math.nan, math.nan, self.phase, blocked, self.stale)
        if math.isnan(self._blocked_since):
            self._blocked_since = t
        # A frame or two out of view, or of bent knees or trunk, is forgiven (the feet and the picture have their own checks).
        if t - self._last_valid_t > c.max_gap_s or (blocked not in HIDDEN and (blocked not in BENT or t - self._blocked_since >= c.glitch_s)):
            events = self._disturbed(BLOCK_REASON[blocked], t, blocked.value)
        else:
            events = []
        return events + self._round_check(t)

    # ----- the standing level -----
    def _learn_standing(self, t: float) -> list[Event]:
        """Quiet standing: its level is the standing level from now on."""
        events: list[Event] = []
        if self.rising:
            events += self._complete_rise(t, ended=True)
        self._standing.learn()
        self.stale = None
        if self.phase == Phase.CALIBRATING:
            self.phase = Phase.REST
            self.seen_standing = True
            events.append(Event("ready", t))
        return events

    def _disturbed(self, reason: Reason, t: float, detail: str) -> list[Event]:
        """The body or the picture moved: an excursion in progress ends, the standing level is stale or gone."""
        events: list[Event] = []
        if self.rising:
            self._reason = reason
            events += self._complete_rise(t, ended=False)
            events.append(Event("aborted", t, detail=detail))
            self.aborted += 1
        self._standing.disturbed(forget=reason in RELEARN_ALL)
        if reason in RELEARN_ALL:
            self.phase, self.stale = Phase.CALIBRATING, None
        else:
            self._moved = (t, reason)
            if self.phase != Phase.CALIBRATING:
                self.stale = reason
        return events

    # ----- an excursion -----
    def _advance_rise(self, t: float, lift: float) -> list[Event]:
        c = self.config
        events: list[Event] = []
        if lift > self._peak:
            self._peak, self._peak_t = lift, t
        if self.phase == Phase.RISING:
            settled = t - self._peak_t >= 0.15 and lift >= 0.85 * self._peak
            if settled and self._peak >= c.partial_lift and self._a_rise_so_far():  # the hold timer runs for rises only
                self.phase = Phase.HOLD
                self.hold_started = self._peak_t
        elif self.phase == Phase.HOLD:
            if lift < 0.7 * self._peak:
                self.phase = Phase.LOWERING
            elif (not self._hold_announced and self._peak >= c.full_lift and t - self.hold_started >= c.hold_target_s
                  and self._a_rise_so_far()):
                self._hold_announced = True
                events.append(Event("hold_reached", t))
        elif self.phase == Phase.LOWERING and lift >= 0.85 * self._peak:
            self.phase = Phase.HOLD
        # Down again: below the exit line, or standing still near the standing level.
        if lift < max(c.exit_lift, c.exit_share * self._peak) or (lift < c.enter_lift and self._standing.quiet()):
            events += self._complete_rise(t, ended=True)
        return events

    def _a_rise_so_far(self) -> bool:
        """What the excursion has shown so far is a rise: nothing before it disqualified it, and the feet carry it."""
        if self._reason is not None or len(self._buffer) < 3:
            return False
        shape = shape_of_rise(np.array(self._buffer))
        return shape is not None and judge(shape, self.config.evidence, both_feet=shape.peak_lift >= self.config.full_lift) is None

    def _complete_rise(self, t: float, ended: bool) -> list[Event]:
        """The excursion is over: a rep, a partial, or rejected with its reason (`ended`: it came down by itself)."""
        c = self.config
        buffer = np.array(self._buffer) if self._buffer else np.zeros((0, col.COLUMNS))
        reason = self._reason
        self._reset_rise()
        # Shorter than a rise is jitter; but an excursion already known to be none (standing up from a squat, cut
        # short when the new standing level was learned) is kept, with its reason.
        shortest = c.min_rise_s if reason is None else 0.0
        if len(buffer) < 3 or buffer[-1, 0] - buffer[0, 0] < shortest:
            return []
        shape = shape_of_rise(buffer)
        if shape is None or shape.peak_lift < c.partial_lift or shape.end_s - shape.start_s < shortest:
            return []
        rep = Rep(shape.start_s, shape.top_s, shape.lower_s, shape.end_s, shape.peak_lift, full=False, feet=shape.feet)
        if c.height_cm:
            rep.peak_lift_cm = rep.peak_lift * c.height_cm * LEG_SHARE_OF_HEIGHT
        # A rise cannot begin before the last one ended: this is the tail of it.
        if rep.start_s < self._last_rise_end:
            return []
        self._last_rise_end = rep.end_s
        rep.reason = reason or judge(shape, c.evidence, both_feet=shape.peak_lift >= c.full_lift)
        if rep.reason is not None:
            self.rejected.append(rep)
            if rep.reason == Reason.ONE_FOOT and reason is None:
                self.one_foot.append(rep)
                return [Event("one_foot", t, rep)]
            return [Event("rejected", t, rep, rep.reason.value)] if ended else []
        if not ended:
            self.partials.append(rep)
            return [Event("partial", t, rep, "the video ended during a rise")]
        if rep.peak_lift < c.full_lift or rep.peak_lift < c.relative_partial * self._usual_peak():
            self.partials.append(rep)
            return [Event("partial", t, rep)]
        return self._counted(rep, t)

    def _counted(self, rep: Rep, t: float) -> list[Event]:
        c = self.config
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

    def _tag(self, events: list[Event]) -> list[Event]:
        """Each rep gets the stance variant that most of its frames showed."""
        for event in events:
            if event.kind == "rep" and event.rep is not None:
                event.rep.stance = self.stance.variant_between(event.rep.start_s, event.rep.end_s)
        return events

    def _reset_rise(self) -> None:
        self.phase = Phase.REST
        self._buffer = []
        self._reason = None
        self._peak = 0.0
        self._peak_t = math.nan
        self.hold_started = math.nan
        self._hold_announced = False
