"""The rises session: the rise counter plus rounds, targets, prompts, pause and reset, and its HUD.

Live mode, offline replay and the annotated video all run this session, so
they count, time and show the same.
"""

from __future__ import annotations

import math
from typing import Iterable

from posecheck.body.geometry import SIDE_ON_DEG, side_on_deg, turn_deg
from posecheck.detect.rises import Blocked, Event, Phase, RiseConfig, RiseCounter, Sample
from posecheck.pose.landmarks import LandmarkSeries, PoseFrame
from posecheck.render.hud import HudState
from posecheck.report.rises import RiseReport
from posecheck.report.texts import Texts, stance_label
from posecheck.session.base import Notice, Session
from posecheck.session.loop import replayed, run

# Guidance keys that mean something is wrong (drawn in orange) rather than a hint.
ALERTS = {"no_person", "body_hidden", "feet_hidden", "knees_bent", "foot_lifted", "feet_moved", "trunk_bent", "camera_moved", "blocked",
          "two_people", "face_camera"}


class Guidance:
    """Which prompt to show, held steady: a new one must last `settle_s`, a shown one stays `keep_s`."""

    def __init__(self, settle_s: float = 0.3, keep_s: float = 1.0):
        self.settle_s = settle_s
        self.keep_s = keep_s
        self.shown: str | None = None
        self._shown_since = -math.inf
        self._candidate: str | None = None
        self._candidate_since = math.nan

    def update(self, t: float, key: str | None) -> str | None:
        if key == self.shown:
            self._candidate = None
            return self.shown
        if key != self._candidate:
            self._candidate, self._candidate_since = key, t
        if t - self._candidate_since >= self.settle_s and t - self._shown_since >= self.keep_s:
            self.shown, self._shown_since = key, t
            self._candidate = None
        return self.shown

    def force(self, t: float, key: str | None) -> None:
        self.shown, self._shown_since, self._candidate = key, t, None


def facing_camera(pose: PoseFrame) -> bool:
    """Whether the person faces the camera rather than standing side-on (front and back alike: phone and
    virtual cameras often mirror the picture)."""
    return not side_on_deg(turn_deg(pose.world)) > SIDE_ON_DEG


class RisesSession(Session):
    """The rise counter and what a session adds: round and rep targets, prompts, pause, reset; the HUD."""

    def __init__(self, config: RiseConfig | None = None, lang: str = "en", rounds: int | None = None, reps: int | None = None):
        super().__init__()
        self.config = config or RiseConfig()
        self.text = Texts(lang)
        self.rounds_target = rounds if rounds and rounds > 0 else None
        self.reps_target = reps if reps and reps > 0 else None
        self.counter = RiseCounter(self.config)
        self.samples: list[Sample] = []  # every frame's signals, for the CSV and the plot
        self._resume_gap = False
        self._start_state()

    def _start_state(self) -> None:
        self.guidance = Guidance()
        self.rounds_done: list[int] = []  # rounds announced as done, in order
        self._ready_t = math.nan
        self._round_done_t = math.nan
        self._last_rep_t = math.nan
        self._people = 0
        self._facing = True

    # ----- per frame
    def step(self, t: float, pose: PoseFrame | None, image=None) -> list[Notice]:
        self._people = pose.people if pose is not None else 0
        self._facing = pose is None or facing_camera(pose)
        events: list[Event] = []
        if self._resume_gap:
            # After a pause: the counter sees one empty frame, so a rise that was going on is not stretched over the pause.
            self._resume_gap = False
            events += self.counter.update(None, t - 1e-3)
        events += self.counter.update(pose, t)
        if self.counter.last_sample is not None:
            self.samples.append(self.counter.last_sample)
        notices = self._notices(events)
        notices += self._guide(t)
        return notices

    def finish(self) -> list[Notice]:
        """End of the session: settle a rise in progress and close the round."""
        return self._notices(self.counter.finish())

    def toggle_pause(self, t: float) -> list[Notice]:
        self.paused = not self.paused
        if self.paused:
            self.guidance.force(t, "paused")
            return [Notice("paused", t, self.text("line.paused"))]
        self._resume_gap = True
        self.guidance.force(t, None)
        return [Notice("resumed", t, self.text("line.resumed"))]

    def reset(self, t: float) -> list[Notice]:
        """Start over: a new counter (it calibrates again) and no rounds done."""
        self.counter = RiseCounter(self.config)
        self.samples = []
        self.paused = False
        self._resume_gap = False
        self._start_state()
        self.guidance.force(t, "reset")
        return [Notice("reset", t, self.text("line.reset"))]

    # ----- what to show
    @property
    def busy(self) -> bool:
        return self.counter.phase in (Phase.RISING, Phase.HOLD, Phase.LOWERING)

    @property
    def all_done(self) -> bool:
        return self.rounds_target is not None and len(self.rounds_done) >= self.rounds_target

    def reps_in_round(self, n: int) -> int:
        return sum(1 for rep in self.counter.reps if rep.round == n)

    def phase_key(self) -> str:
        if self.paused:
            return "paused"
        phase = self.counter.phase
        if phase == Phase.REST:
            if self.all_done:
                return "done"
            if self.reps_in_round(self.counter.round) == 0:
                return "start"  # calibrated, nothing counted in this round yet: go
        return phase.value

    def hud(self, t: float) -> HudState:
        """The HUD at time t (the shown frame's time: the hold bar moves between analysed frames)."""
        c = self.counter
        targets = self.rounds_target is not None or self.reps_target is not None
        shown_round = c.round
        if self.all_done:
            shown_round = min(shown_round, self.rounds_target)
        key = self.phase_key()
        message_key = self.guidance.shown
        message = self._message(message_key) if message_key else ""
        return HudState(
            count=self.reps_in_round(shown_round) if targets else c.count,
            round_label=self.text("round_of", n=shown_round, of=self.rounds_target) if self.rounds_target else self.text("round", n=shown_round),
            phase_label=self.text(f"phase.{key}"),
            hold_s=0.0 if self.paused else max(c.hold_elapsed(t), 0.0),
            hold_target_s=self.config.hold_target_s,
            message=message,
            reps_label=self.text("reps"),
            count_target=self.reps_target,
            total_label=" · ".join(filter(None, [self.text("total", n=c.count) if targets else "", self._stance_shown(t)])),
            phase=key,
            alert=message_key in ALERTS,
            flash=0.0 <= t - self._last_rep_t < 1.0,
            keys_hint=self.text("keys") if key in ("ready", "paused") else "",
        )

    def _stance_shown(self, t: float) -> str:
        variant = self.counter.stance.current(t)
        return stance_label(variant, self.text.lang) if variant else ""

    def report(self, source: str, duration_s: float) -> RiseReport:
        return RiseReport(source, duration_s, self.config.hold_target_s, self.counter)

    # ----- internals
    def _message(self, key: str) -> str:
        if key == "round_done":
            return self.text("msg.round_done", n=self.rounds_done[-1] if self.rounds_done else self.counter.round)
        if key == "all_done":
            return self.text("msg.all_done", n=self.rounds_target or len(self.rounds_done))
        return self.text(f"msg.{key}")

    def _guide(self, t: float) -> list[Notice]:
        before = self.guidance.shown
        wanted = self._wanted_prompt(t)
        if wanted == "calibrating" and before in ALERTS:
            self.guidance.force(t, wanted)  # the problem is gone: say at once what comes next (it may take only a moment)
        shown = self.guidance.update(t, wanted)
        if shown != before and shown in ALERTS:
            return [Notice("guidance", t, self._message(shown))]
        return []

    def _wanted_prompt(self, t: float) -> str | None:
        c = self.counter
        sample = c.last_sample
        blocked = sample.blocked if sample is not None else None
        if blocked is not None:
            value = blocked.value if isinstance(blocked, Blocked) else str(blocked)
            return value if self.text.has(f"msg.{value}") else "blocked"
        if self._people >= 2:
            return "two_people"
        getting_ready = c.phase == Phase.CALIBRATING or t - self._ready_t < 2.5  # the standing level is learned in a moment
        if getting_ready and not self._facing:
            return "face_camera"
        if c.phase == Phase.CALIBRATING:
            return "calibrating"
        if self.all_done:
            return "all_done"
        if getting_ready:
            return "go"
        if self.rounds_done and c.phase == Phase.REST and (self.rounds_done[-1] == c.round or t - self._round_done_t < 5.0):
            return "round_done"  # the round's target is met (or its pause began): rest
        return None

    def _notices(self, events: Iterable[Event]) -> list[Notice]:
        text = self.text
        notices: list[Notice] = []
        for event in events:
            if event.kind == "ready":
                self._ready_t = event.t
                self.guidance.force(event.t, self._wanted_prompt(event.t))
                notices.append(Notice("ready", event.t, text("line.ready"), "ready"))
            elif event.kind == "hold_reached":
                notices.append(Notice("hold_reached", event.t, text("line.hold_reached", target=self.config.hold_target_s), "hold"))
            elif event.kind == "rep" and event.rep is not None:
                rep = event.rep
                self._last_rep_t = event.t
                in_round = self.reps_in_round(rep.round)
                line = text(
                    "line.rep", n=self.counter.count, round=rep.round,
                    round_of=f"/{self.rounds_target}" if self.rounds_target else "",
                    in_round=in_round, reps_of=f"/{self.reps_target}" if self.reps_target else "", hold=rep.hold_s,
                )
                if not rep.hold_ok:
                    line += f" — {text('line.short_hold')}"
                target_met = self.reps_target is not None and in_round == self.reps_target and rep.round not in self.rounds_done
                notices.append(Notice("rep", event.t, line, None if target_met else "rep"))
                if target_met:
                    notices += self._round_done(rep.round, event.t)
            elif event.kind == "round_done":
                n = int(event.detail) if event.detail.isdigit() else self.counter.round
                if n not in self.rounds_done:
                    notices += self._round_done(n, event.t)
            elif event.kind == "partial":
                notices.append(Notice("partial", event.t, text("line.partial")))
            elif event.kind == "one_foot":
                notices.append(Notice("one_foot", event.t, text("line.one_foot")))
            elif event.kind == "rejected":
                notices.append(Notice("rejected", event.t, text("line.rejected", why=text(f"reason.{event.detail}"))))
            elif event.kind == "aborted":
                why = text(f"msg.{event.detail}") if text.has(f"msg.{event.detail}") else event.detail.replace("_", " ")
                notices.append(Notice("aborted", event.t, text("line.aborted", why=why)))
        return notices

    def _round_done(self, n: int, t: float) -> list[Notice]:
        self.rounds_done.append(n)
        self._round_done_t = t
        self.guidance.force(t, "all_done" if self.all_done else "round_done")
        notices = [Notice("round_done", t, self.text("line.round_done", n=n, reps=self.reps_in_round(n)), "round")]
        if self.all_done:
            notices.append(Notice("all_done", t, self.text("line.all_done", n=self.rounds_target)))
        return notices


def count_rises(series: LandmarkSeries, config: RiseConfig) -> tuple[RiseCounter, list[Sample]]:
    """The rises of a saved series, counted by the same session and loop as live mode."""
    session = RisesSession(config)
    outcome = run(replayed(series), session)
    if outcome.error is not None:
        raise outcome.error
    session.finish()
    return session.counter, session.samples
