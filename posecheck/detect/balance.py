"""Single-leg stand ("Zehenstand auf einem Bein"): which leg stands, for how long, on tiptoe or flat, and the sway.

`balance_measures` is a pure function of one pose. `BalanceDetector` takes one
frame at a time, carries its state explicitly and says what happened as
`BalanceEvent`s, so the live loop and the offline analysis share it.

Signals, all in the image and in leg lengths (hip to ankle of the straight,
standing leg), so they do not depend on the distance to the camera:

- **Foot off the floor**: the height of one ankle over the other, against the
  offset the two ankles show while both feet are down (a camera that is not
  straight in front sees the feet at different heights).
- **Which leg**: MediaPipe sometimes swaps the legs of a person standing on
  one of them (on a real clip it called the lifted right leg "left" for a
  whole stand). The feet are therefore told apart by where they are, not by
  MediaPipe's label: the foot further to the person's left along the hip line
  is the left foot. Only when the two ankles are too close together along the
  hip line to tell (a side view) does the label decide.
- **Tiptoe**: the trunk (shoulders and hips) rises against its height while
  both feet were down, and the standing heel must not read lower over its toe
  than it did then. The heel and ankle landmarks alone follow a heel rise
  poorly (MediaPipe reads about a fifth of it from the front, and moves the
  standing foot's landmarks when the other foot lifts); the whole body's rise
  is what a camera sees well. Needs a steady camera and a moment on both feet
  first (until then tiptoe is "unknown").
- **Sway**: the lateral position of the centre of mass (the body model's,
  `posecheck.body.geometry`) over the standing ankle, horizontally in the picture,
  during the settled part of the stand; its 5-95 % range, in leg lengths and,
  given the person's height, in cm.

Checked on rendered single-leg clips (bench/scenarios/balance, footage h; 7
stands, front and oblique, flat and 4-5 cm tiptoe, barefoot and shoes): every
stand found, each on the correct leg, the foot leaving the floor found 0.13-0.23 s
after the lift begins and back down within 0.13 s, tiptoe right in 7 of 7
(its start read about 0.45 s after the heel begins to rise), sway 0.8-2.3 cm
against 0.6-2.8 cm true (about 20 % low from the front, half from 35
degrees). On the real clip (two flat stands on the left leg, MediaPipe
swapping the legs in the first) both stands are found on the left leg; its
trunk rose 0.02-0.04 leg lengths while standing flat, as much as a rendered
tiptoe, and only the heel veto kept them flat: tiptoe on real footage is not
validated. (The sway figures were measured with an earlier centre-of-mass
model, Winter/Dempster with the head at the nose; the de Leva model now used
reads 2-7 % less sway on footage h and the real clip, the stands unchanged.)
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import math

import numpy as np

from posecheck.body.filters import Ema, RollingQuantile
from posecheck.body.geometry import LEG_SHARE_OF_HEIGHT
from posecheck.body.measures import BalanceMeasures, balance_measures
from posecheck.pose.landmarks import PoseFrame

class BalancePhase(str, enum.Enum):
    WAITING = "ready"  # no usable view yet
    BOTH_FEET = "both_feet"
    ONE_LEG = "one_leg"
    LOWERING = "lowering"  # the lifted foot came down: is it back on the floor?


@dataclasses.dataclass(frozen=True)
class BalanceConfig:
    # Height of one ankle over the other (leg lengths) that means a foot is off
    # the floor. Rendered stands with the foot 17 cm up read 0.14-0.17 from the
    # front, a real one with the knee at hip height 0.3; one-heel raises and
    # weight shifts stay under 0.03.
    lift_enter: float = 0.07
    lift_exit: float = 0.045
    contact: float = 0.02  # below this the foot is on the floor: where a stand begins and ends
    settled_share: float = 0.85  # the leg is "up" above this share of the stand's typical lift
    # Trunk rise (leg lengths) over its level on both feet that means tiptoe.
    # Rendered 4-5 cm tiptoes read 0.024-0.032, rendered flat stands -0.003 to
    # -0.008. A real person standing flat on one leg rose 0.018-0.04 (see the
    # module notes): the heel veto below keeps those flat.
    tiptoe_enter: float = 0.015
    tiptoe_exit: float = 0.008
    # The standing foot's heel, over its toe, must not be lower than on both feet
    # by more than this (leg lengths): a heel that reads lower is not raised.
    # Rendered tiptoes read -0.002 to +0.025, the real flat stands -0.04 to -0.075.
    heel_veto: float = -0.012
    min_stand_s: float = 1.0  # shorter lifts are steps, not stands
    touch_s: float = 0.2  # the foot must stay down this long to end a stand
    smoothing_s: float = 0.1
    baseline_window_s: float = 6.0
    level_window_s: float = 10.0  # the trunk's height and each heel over its toe, standing on both feet
    settle_s: float = 0.5  # both feet down this long (legs straight) before the level is learned again
    straight_leg: float = 0.93  # both legs at least this share of their standing length: not crouching
    calibration_s: float = 0.5  # both feet down this long before tiptoe can be judged
    max_gap_s: float = 0.7  # a stand survives missing frames up to this long
    hold_target_s: float = 30.0
    height_cm: float | None = None


@dataclasses.dataclass
class Stand:
    """One single-leg stand."""

    stand_on: str  # "left" or "right": the standing leg
    foot_off_s: float  # the other foot leaves the floor
    foot_down_s: float  # ... and is back on it
    settled_from_s: float  # the lifted leg is up (the hold proper)
    settled_to_s: float
    tiptoe_s: float | None  # time on tiptoe; None when it could not be judged (no both-feet stance first)
    tiptoe_from_s: float | None
    tiptoe_to_s: float | None
    peak_tiptoe: float | None  # trunk rise over the toes, leg lengths
    sway: float | None  # 5-95 % range of the lateral centre of mass over the standing ankle, leg lengths
    sway_rms: float | None
    sway_cm: float | None
    lift: float  # typical height of the lifted ankle over the standing one, leg lengths
    label_swapped_share: float  # share of frames where MediaPipe's left/right had the legs the other way round
    sides_sure_share: float  # share of frames where the feet were far enough apart to tell them by position

    @property
    def hold_s(self) -> float:
        """Time on one leg: the foot off the floor until it is back."""
        return max(self.foot_down_s - self.foot_off_s, 0.0)

    @property
    def on_tiptoe(self) -> bool | None:
        if self.tiptoe_s is None:
            return None
        return self.tiptoe_s >= 0.5 * max(self.settled_to_s - self.settled_from_s, 1e-6)

    def to_json(self) -> dict:
        def r(x, n=2):
            return None if x is None else round(float(x), n)

        return {
            "stand_on": self.stand_on,
            "foot_off_s": r(self.foot_off_s),
            "foot_down_s": r(self.foot_down_s),
            "hold_s": r(self.hold_s),
            "settled_from_s": r(self.settled_from_s),
            "settled_to_s": r(self.settled_to_s),
            "on_tiptoe": self.on_tiptoe,
            "tiptoe_s": r(self.tiptoe_s),
            "tiptoe_from_s": r(self.tiptoe_from_s),
            "tiptoe_to_s": r(self.tiptoe_to_s),
            "peak_tiptoe": r(self.peak_tiptoe, 4),
            "lift": r(self.lift, 3),
            "sway": r(self.sway, 4),
            "sway_rms": r(self.sway_rms, 4),
            "sway_cm": r(self.sway_cm, 1),
            "label_swapped_share": r(self.label_swapped_share),
        }


@dataclasses.dataclass(frozen=True)
class BalanceEvent:
    kind: str  # "ready", "foot_off", "tiptoe_up", "tiptoe_down", "stand" (a stand ended), "step" (too short), "lost"
    t: float
    stand_on: str | None = None
    stand: Stand | None = None


@dataclasses.dataclass
class BalanceSample:
    """One frame of the balance signals, for the CSV and the plots."""

    t: float
    phase: BalancePhase
    lift: float  # + = the left foot is higher, leg lengths, smoothed
    tiptoe: float  # trunk rise over the standing foot's toes (NaN on both feet or before calibration)
    sway_x: float  # lateral centre of mass over the standing ankle (NaN on both feet)
    stand_on: str | None


class BalanceDetector:
    """Finds single-leg stands frame by frame. Feed `update`, read `phase`, `stand_on`, `hold_elapsed`, `stands`."""

    def __init__(self, config: BalanceConfig | None = None):
        self.config = config or BalanceConfig()
        c = self.config
        self.phase = BalancePhase.WAITING
        self.stands: list[Stand] = []
        self.steps = 0  # lifts too short to be stands
        self.frames = 0
        self.unusable_frames = 0
        self.crowded_frames = 0
        self.last_sample: BalanceSample | None = None
        self._leg = RollingQuantile(10.0, 0.5)  # the standing leg's length, learned on both feet
        self._offset = RollingQuantile(c.baseline_window_s, 0.5)  # ankle height difference with both feet down
        self._trunk = RollingQuantile(c.level_window_s, 0.5)  # trunk height (px) on both feet
        self._heel = {side: RollingQuantile(c.level_window_s, 0.5) for side in ("left", "right")}  # heel over toe
        self._lift = Ema(c.smoothing_s)
        self._tiptoe_smooth = Ema(c.smoothing_s)
        self._heel_smooth = Ema(c.smoothing_s)
        self._both_since = math.nan
        self._last_valid_t = math.nan
        self._last_t = math.nan
        self._recent: collections.deque = collections.deque()  # (t, |lift|) of the last seconds, to find where a lift began
        self._reset_stand()

    # ----- public
    @property
    def ready(self) -> bool:
        """Both feet have been seen down long enough to judge tiptoe."""
        return self._trunk.span() >= self.config.calibration_s

    @property
    def stand_on(self) -> str | None:
        return self._side if self.phase in (BalancePhase.ONE_LEG, BalancePhase.LOWERING) else None

    @property
    def tiptoe(self) -> bool | None:
        """On tiptoe now (None: not on one leg, or not judged)."""
        if self.stand_on is None or not self._tiptoe_known:
            return None
        return self._on_tiptoe

    def hold_elapsed(self, t: float) -> float:
        return max(t - self._off_t, 0.0) if self.stand_on is not None and not math.isnan(self._off_t) else 0.0

    def update(self, pose: PoseFrame | None, t: float) -> list[BalanceEvent]:
        """Take one frame (None: nobody found) at time t; return what it completed."""
        return self.update_measures(balance_measures(pose), t)

    def update_measures(self, m: BalanceMeasures | None, t: float) -> list[BalanceEvent]:
        c = self.config
        self.frames += 1
        self._last_t = t
        events: list[BalanceEvent] = []
        if m is not None and m.people > 1:
            self.crowded_frames += 1
        if m is None or not m.visible:
            self.unusable_frames += 1
            self.last_sample = BalanceSample(t, self.phase, math.nan, math.nan, math.nan, self.stand_on)
            if t - self._last_valid_t > c.max_gap_s:
                if self.phase in (BalancePhase.ONE_LEG, BalancePhase.LOWERING):
                    events += self._end_stand(self._last_valid_t, lost=True)
                self._both_since = math.nan
                if self.phase != BalancePhase.WAITING:
                    self.phase = BalancePhase.WAITING
            return events
        self._last_valid_t = t
        if self.phase != BalancePhase.ONE_LEG and self.phase != BalancePhase.LOWERING or not self._leg.samples:
            self._leg.add(t, m.leg_px)  # frozen during a stand: the tiptoe level is measured against it
        leg = self._leg.value
        # + when the left foot is higher (y points down)
        raw = float(m.feet["right"][0, 1] - m.feet["left"][0, 1]) / leg
        # The feet's height difference with both down is learned in the first half second
        # (again after each stand: the foot may come down somewhere else) ...
        learning = (
            self.phase in (BalancePhase.WAITING, BalancePhase.BOTH_FEET)
            and self._offset.span() < c.calibration_s
            and abs(raw) < c.lift_enter
        )
        if learning:
            self._offset.add(t, raw)
        offset = self._offset.value if self._offset.samples else 0.0
        lift = self._lift.update(t, raw - offset)
        self._recent.append((t, abs(lift)))
        while self._recent and self._recent[0][0] < t - 3.0:
            self._recent.popleft()

        if self.phase == BalancePhase.WAITING:
            self.phase = BalancePhase.BOTH_FEET
            self._both_since = t
        if self.phase == BalancePhase.BOTH_FEET:
            if abs(lift) < c.contact and not learning:  # ... and followed while the feet stay down
                self._offset.add(t, raw)
            else:
                self._both_since = t
            straight = min(m.legs_px) >= c.straight_leg * leg
            if straight and (t - self._both_since >= c.settle_s or not self._trunk.samples):
                was_ready = self.ready
                self._trunk.add(t, m.trunk_y)
                for side in ("left", "right"):
                    self._heel[side].add(t, _heel_over_toe(m.feet[side]) / leg)
                if self.ready and not was_ready:
                    events.append(BalanceEvent("ready", t))
            if abs(lift) > c.lift_enter:
                self._begin_stand(t, m, lift)
                events.append(BalanceEvent("foot_off", self._off_t, self._side))
        elif self.phase in (BalancePhase.ONE_LEG, BalancePhase.LOWERING):
            events += self._advance_stand(t, m, lift, leg)
        self.last_sample = BalanceSample(
            t, self.phase, lift,
            self._buffer[-1][2] if self._buffer and self.stand_on else math.nan,
            self._buffer[-1][3] if self._buffer and self.stand_on else math.nan,
            self.stand_on,
        )
        return events

    def finish(self, t: float | None = None) -> list[BalanceEvent]:
        """End of input: settle a stand still in progress."""
        t = self._last_t if t is None else t
        if self.phase in (BalancePhase.ONE_LEG, BalancePhase.LOWERING):
            return self._end_stand(min(t, self._last_valid_t), lost=False)
        return []

    def reset(self) -> None:
        self.__init__(self.config)

    # ----- internals
    def _reset_stand(self) -> None:
        self._side: str | None = None
        self._off_t = math.nan
        self._down_since = math.nan
        self._buffer: list[tuple] = []  # t, |lift|, tiptoe, sway x, side vote, swapped, sure
        self._votes: collections.Counter = collections.Counter()
        self._contact_t = math.nan  # when the lowered foot first reached the floor
        self._tiptoe_known = False
        self._on_tiptoe = False
        self._tiptoe_smooth.reset()
        self._heel_smooth.reset()

    def _begin_stand(self, t: float, m: BalanceMeasures, lift: float) -> None:
        self.phase = BalancePhase.ONE_LEG
        self._side = "right" if lift > 0 else "left"  # the left foot is up: standing on the right
        # The foot left the floor where the lift last was at floor level.
        off = self._recent[0][0]
        for sample_t, value in self._recent:
            if value < self.config.contact:
                off = sample_t
        self._off_t = off
        self._down_since = math.nan
        self._contact_t = math.nan
        self._buffer = []
        self._votes = collections.Counter()
        self._tiptoe_known = self.ready

    def _advance_stand(self, t: float, m: BalanceMeasures, lift: float, leg: float) -> list[BalanceEvent]:
        c = self.config
        events: list[BalanceEvent] = []
        side = "right" if lift > 0 else "left"
        standing = m.feet[side]
        tiptoe = math.nan
        if self._tiptoe_known:
            rise = self._tiptoe_smooth.update(t, (self._trunk.value - m.trunk_y) / leg)
            heel = self._heel_smooth.update(t, _heel_over_toe(standing) / leg - self._heel[side].value)
            tiptoe = rise if heel >= c.heel_veto else min(rise, 0.0)
        # Horizontal in the picture: projected on the (noisy) hip line, the tall COM-ankle vector would add its jitter.
        sway_x = math.copysign(1.0, m.lateral[0]) * float(m.com[0] - standing[0, 0]) / leg
        self._buffer.append((t, abs(lift), tiptoe, sway_x, side, m.swapped, m.sure_of_sides))
        if abs(lift) >= c.lift_exit:
            self._votes[side] += 1
            self._side = self._votes.most_common(1)[0][0]
        if side != self._side or t - self._off_t < 0.3:
            tiptoe = math.nan  # the legs are not told apart yet: the other foot's level would be used
        if not math.isnan(tiptoe):
            if not self._on_tiptoe and tiptoe > c.tiptoe_enter:
                self._on_tiptoe = True
                events.append(BalanceEvent("tiptoe_up", t, self._side))
            elif self._on_tiptoe and tiptoe < c.tiptoe_exit:
                self._on_tiptoe = False
                events.append(BalanceEvent("tiptoe_down", t, self._side))
        if abs(lift) < c.lift_exit:
            if self.phase == BalancePhase.ONE_LEG:
                self.phase = BalancePhase.LOWERING
                self._down_since = t
            if abs(lift) < c.contact and math.isnan(self._contact_t):
                self._contact_t = t
            if t - self._down_since >= c.touch_s:
                events += self._end_stand(self._contact_t if not math.isnan(self._contact_t) else self._down_since, lost=False)
        elif self.phase == BalancePhase.LOWERING and abs(lift) > c.lift_enter:
            self.phase = BalancePhase.ONE_LEG  # it did not come down after all
            self._down_since = math.nan
            self._contact_t = math.nan
        return events

    def _end_stand(self, t: float, lost: bool) -> list[BalanceEvent]:
        c = self.config
        buffer = self._buffer
        side = self._side
        off = self._off_t
        self._reset_stand()
        self.phase = BalancePhase.BOTH_FEET
        self._both_since = t
        self._offset.clear()
        buffer = [row for row in buffer if row[0] <= t]
        if not buffer or t - off < c.min_stand_s:
            self.steps += 1
            return [BalanceEvent("step", t, side)]
        stand = _summarise(buffer, side, off, t, c)
        self.stands.append(stand)
        return [BalanceEvent("stand", t, stand.stand_on, stand)]


def _summarise(buffer: list[tuple], side_at_start: str, off: float, down: float, c: BalanceConfig) -> Stand:
    t = np.array([row[0] for row in buffer])
    lift = np.array([row[1] for row in buffer])
    tiptoe = np.array([row[2] for row in buffer], dtype=float)
    sway_x = np.array([row[3] for row in buffer], dtype=float)
    votes = collections.Counter(row[4] for row in buffer)
    stand_on = votes.most_common(1)[0][0] if votes else side_at_start
    swapped = float(np.mean([row[5] for row in buffer]))
    sure = float(np.mean([row[6] for row in buffer]))
    typical = float(np.median(lift[lift >= c.lift_exit])) if np.any(lift >= c.lift_exit) else float(np.median(lift))
    up = np.nonzero(lift >= c.settled_share * typical)[0]
    settled_from, settled_to = (float(t[up[0]]), float(t[up[-1]])) if len(up) else (off, down)
    # Frames where the feet read the other way round (MediaPipe swapping the legs mid-stand) measure the wrong foot.
    settled = (t >= settled_from) & (t <= settled_to) & np.array([row[4] == stand_on for row in buffer])
    tiptoe_s = tiptoe_from = tiptoe_to = peak = None
    if not np.all(np.isnan(tiptoe)):
        on = _hysteresis(tiptoe, c.tiptoe_enter, c.tiptoe_exit) & settled
        dt = np.diff(t, append=t[-1])
        tiptoe_s = float(np.sum(dt[on]))
        peak = float(np.nanmax(np.where(settled, tiptoe, np.nan))) if np.any(settled & ~np.isnan(tiptoe)) else None
        if on.any():
            idx = np.nonzero(on)[0]
            tiptoe_from, tiptoe_to = float(t[idx[0]]), float(t[idx[-1]])
    sway = sway_rms = sway_cm = None
    held = sway_x[settled & ~np.isnan(sway_x)]
    if len(held) >= 5:
        # Only the stand's own steady part: the weight shifts onto the leg as the foot lifts.
        sway = float(np.percentile(held, 95) - np.percentile(held, 5))
        sway_rms = float(np.std(held))
        if c.height_cm:
            sway_cm = sway * c.height_cm * LEG_SHARE_OF_HEIGHT
    return Stand(
        stand_on=stand_on, foot_off_s=off, foot_down_s=down, settled_from_s=settled_from, settled_to_s=settled_to,
        tiptoe_s=tiptoe_s, tiptoe_from_s=tiptoe_from, tiptoe_to_s=tiptoe_to, peak_tiptoe=peak,
        sway=sway, sway_rms=sway_rms, sway_cm=sway_cm, lift=typical,
        label_swapped_share=swapped, sides_sure_share=sure,
    )


def _heel_over_toe(foot: np.ndarray) -> float:
    """How far the heel (row 1) sits above the toe (row 2) in the picture, pixels."""
    return float(foot[2, 1] - foot[1, 1])


def _hysteresis(x: np.ndarray, enter: float, exit_: float) -> np.ndarray:
    on = np.zeros(len(x), bool)
    state = False
    for i, value in enumerate(x):
        if math.isnan(value):
            on[i] = state
            continue
        if not state and value > enter:
            state = True
        elif state and value < exit_:
            state = False
        on[i] = state
    return on
