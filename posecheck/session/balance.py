"""The single-leg stand session: the balance detector, a target time, prompts, pause and reset, and its HUD."""

from __future__ import annotations

import math

from posecheck.detect.balance import BalanceConfig, BalanceDetector, BalancePhase, BalanceSample
from posecheck.report.balance import BalanceReport
from posecheck.pose.landmarks import PoseFrame
from posecheck.render.hud import HudState
from posecheck.report.texts import tr
from posecheck.session.base import Notice, Session


def _sway_text(stand, lang: str) -> str:
    if stand.sway_cm is not None:
        return tr(lang, "balance.line.sway_part", sway=f"{stand.sway_cm:.1f} cm")
    if stand.sway is not None:
        return tr(lang, "balance.line.sway_part", sway=f"{stand.sway:.3f} leg")
    return ""


def stand_line(stand, lang: str = "en") -> str:
    tiptoe = tr(lang, "balance.line.tiptoe_part", s=stand.tiptoe_s) if stand.tiptoe_s else ""
    leg = tr(lang, f"balance.title.{stand.stand_on}")
    return tr(lang, "balance.line.stand", leg=leg, hold=stand.hold_s, tiptoe=tiptoe, sway=_sway_text(stand, lang))


class BalanceSession(Session):
    """The single-leg stand detector plus a target time, the asked-for leg (routine), pause, reset and the HUD."""

    def __init__(self, config: BalanceConfig | None = None, lang: str = "en", side: str | None = None, stop_after: int | None = None):
        super().__init__()
        self.config = config or BalanceConfig()
        self.lang = lang
        self.side = side  # the leg asked for (routine), or None
        self.stop_after = stop_after  # done after this many stands (on `side`, if given)
        self.detector = BalanceDetector(self.config)
        self.samples: list[BalanceSample] = []  # every frame's signals, for the CSV
        self._reached = False
        self._message_key: str | None = None

    def step(self, t: float, pose: PoseFrame | None, image=None) -> list[Notice]:
        notices = []
        events = self.detector.update(pose, t)
        if self.detector.last_sample is not None:
            self.samples.append(self.detector.last_sample)
        for event in events:
            if event.kind == "foot_off":
                self._reached = False
                leg = tr(self.lang, f"balance.leg.{event.stand_on}")
                notices.append(Notice("foot_off", event.t, tr(self.lang, "balance.line.foot_off", leg=leg), "ready"))
            elif event.kind in ("tiptoe_up", "tiptoe_down"):
                notices.append(Notice(event.kind, event.t, tr(self.lang, f"balance.line.{event.kind}")))
            elif event.kind == "stand" and event.stand is not None:
                notices.append(Notice("stand", event.t, stand_line(event.stand, self.lang), "rep"))
            elif event.kind == "step":
                notices.append(Notice("step", event.t, ""))
        if not self._reached and self.detector.hold_elapsed(t) >= self.config.hold_target_s:
            self._reached = True
            notices.append(Notice("hold_reached", t, tr(self.lang, "balance.line.reached", target=self.config.hold_target_s), "hold"))
        self._message_key = self._wanted_message(pose)
        return notices

    def finish(self) -> list[Notice]:
        notices = []
        for event in self.detector.finish():
            if event.kind == "stand" and event.stand is not None:
                notices.append(Notice("stand", event.t, stand_line(event.stand, self.lang)))
        return notices

    def toggle_pause(self, t: float) -> list[Notice]:
        self.paused = not self.paused
        kind = "paused" if self.paused else "resumed"
        return [Notice(kind, t, tr(self.lang, f"balance.line.{kind}"))]

    def reset(self, t: float) -> list[Notice]:
        self.detector = BalanceDetector(self.config)
        self.paused = False
        self._reached = False
        return [Notice("reset", t, tr(self.lang, "balance.line.reset"))]

    @property
    def done(self) -> bool:
        """Skipped, or the asked-for number of stands is complete."""
        if self.skipped:
            return True
        if self.stop_after is None:
            return False
        stands = [s for s in self.detector.stands if self.side is None or s.stand_on == self.side]
        return len(stands) >= self.stop_after

    def phase_key(self) -> str:
        d = self.detector
        if self.paused:
            return "paused"
        if d.phase == BalancePhase.WAITING:
            return "ready"
        if d.phase == BalancePhase.LOWERING:
            return "lowering"
        if d.stand_on is not None:
            return "tiptoe" if d.tiptoe else "flat"
        return "both_feet"

    def hud(self, t: float) -> HudState:
        d = self.detector
        key = self.phase_key()
        title = tr(self.lang, f"balance.title.{d.stand_on}") if d.stand_on else tr(self.lang, "balance.leg.none")
        best = {side: max((s.hold_s for s in d.stands if s.stand_on == side), default=None) for side in ("left", "right")}
        best_text = tr(self.lang, "balance.best", **{side: f"{v:.1f} s" if v is not None else "-" for side, v in best.items()}) if d.stands else ""
        message = tr(self.lang, f"balance.msg.{self._message_key}", target=self.config.hold_target_s, side=tr(self.lang, f"balance.leg.{self.side}") if self.side else "") if self._message_key else ""
        return HudState(
            count=len(d.stands),
            round_label=title,
            phase_label=tr(self.lang, f"balance.phase.{key}"),
            hold_s=0.0 if self.paused else d.hold_elapsed(t),
            hold_target_s=self.config.hold_target_s,
            message=message,
            reps_label=tr(self.lang, "balance.stands"),
            total_label=best_text,
            phase={"flat": "hold", "tiptoe": "hold", "both_feet": "rest"}.get(key, key),
            alert=self._message_key in ("no_person", "hidden"),
        )

    def _wanted_message(self, pose) -> str | None:
        d = self.detector
        if pose is None:
            return "no_person"
        sample: BalanceSample | None = d.last_sample
        if sample is not None and math.isnan(sample.lift):
            return "hidden"
        if d.stand_on is not None:
            return "reached" if self._reached else None
        return "go_side" if self.side else "go"

    def report(self, source: str, duration_s: float) -> BalanceReport:
        return BalanceReport(source, duration_s, self.detector)
