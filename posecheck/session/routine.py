"""`posecheck routine`: the article's daily set, guided from the camera.

1. Rises, three rounds (10 reps each by default), one per stance variant:
   parallel, wide, turned out (`posecheck.stance` checks each rep's stance).
2. A single-leg stand on the left leg, then on the right (`posecheck.balance`).
3. The barefoot check (`posecheck.posture`, as `posecheck check` does it).

A short instruction comes before each part. All parts share one camera and one
pose model and run in the live loop of `posecheck.live` (a window, or lines
with `--no-window`), each with its own session object: the rises session of
live mode, the balance session of `posecheck balance`, and two small ones of
this module (the instruction and the check capture). A part ends when its
target is met (the reps of the round, one stand on the asked leg, the capture
time); `n` skips a part, `q` or Ctrl-C ends the routine. Whatever was done is
summarised, written as JSON (`--json`) and kept in the training log.

A video file given as `--camera FILE` plays as if it were a camera, which is
how the routine is tested end to end.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
from typing import TextIO

from posecheck.detect import capture, check as posture
from posecheck.detect.balance import BalanceConfig
from posecheck.detect.rises import Phase, RiseConfig, RiseCounter
from posecheck.errors import PosecheckError
from posecheck.media.pictures import kept_pictures
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.report.check import refusal_message, verdict_lines
from posecheck.report.rises import RiseReport
from posecheck.report.texts import stance_label, tr
from posecheck.session.parts import BalancePart, CheckSession, InstructionSession, RisesPart

VARIANTS = ("parallel", "wide", "turned_out")
PARTS = ("rises", "balance", "check")


@dataclasses.dataclass(frozen=True)
class RoutineSettings:
    reps: int = 10
    hold: float = 3.0
    balance_target: float = 30.0
    check_seconds: float = 3.0
    instruction_seconds: float = 5.0
    height_cm: float | None = None


@dataclasses.dataclass
class PartResult:
    part: str  # "rises", "balance", "check"
    detail: str | None  # the variant or the side
    status: str  # "done", "skipped", "open" (not finished), "not_reached"
    data: dict | None = None

    def to_json(self) -> dict:
        return {"part": self.part, "detail": self.detail, "status": self.status, **(self.data or {})}


@dataclasses.dataclass
class RoutineResult:
    source: str
    started_at: dt.datetime
    lang: str
    parts: list[PartResult] = dataclasses.field(default_factory=list)
    rises: dict | None = None  # RiseReport JSON of all rounds
    rise_report: object = None  # the RiseReport itself
    balance: dict = dataclasses.field(default_factory=dict)  # side -> BalanceReport JSON
    balance_reports: dict = dataclasses.field(default_factory=dict)
    check: dict | None = None
    check_lines: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    ended: str = "completed"

    def to_json(self) -> dict:
        return {
            "routine": "daily",
            "source": self.source,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "ended": self.ended,
            "parts": [p.to_json() for p in self.parts],
            "rises": self.rises,
            "balance": self.balance,
            "check": self.check,
            "notes": self.notes,
        }

    def summary(self) -> str:
        lang = self.lang
        done = sum(p.status == "done" for p in self.parts)
        lines = [tr(lang, "routine.summary.title", date=f"{self.started_at:%Y-%m-%d %H:%M}", done=done, parts=len(self.parts))]
        for p in self.parts:
            name = _part_name(p, lang)
            key = {"done": "line.part_done", "skipped": "line.part_skipped"}.get(p.status, "line.part_open")
            lines.append("  " + tr(lang, "routine." + key, part=name))
        if self.rises is not None:
            stances = ", ".join(stance_label(s, lang) for s in self.rises.get("rounds_stance") or []) or "-"
            rounds = self.rises.get("rounds") or []
            lines.append(tr(lang, "routine.summary.rises", count=self.rises.get("count", 0), rounds=len(rounds),
                              per_round=" + ".join(map(str, rounds)) or "0", stances=stances))
        for side in ("left", "right"):
            if side not in self.balance:
                continue
            data = self.balance[side]
            stand = next((s for s in data.get("stands", []) if s["stand_on"] == side), None)
            side_text = tr(lang, f"routine.side.{side}")
            if stand is None:
                lines.append(tr(lang, "routine.summary.balance_none", side=side_text))
                continue
            best = max((s for s in data["stands"] if s["stand_on"] == side), key=lambda s: s["hold_s"])
            tiptoe = "" if best["on_tiptoe"] is None else tr(lang, "routine.on_tiptoe" if best["on_tiptoe"] else "flat")
            sway = f", sway {best['sway_cm']:.1f} cm" if best.get("sway_cm") is not None else ""
            lines.append(tr(lang, "routine.summary.balance", side=side_text, hold=best["hold_s"], tiptoe=tiptoe, sway=sway))
        if self.check_lines:
            lines.append(tr(lang, "routine.summary.check"))
            lines += ["  " + line for line in self.check_lines]
        for note in self.notes:
            lines.append(f"{tr(lang, 'routine.note')}: {note}")
        return "\n".join(lines)


def _part_name(p: PartResult, lang: str) -> str:
    if p.part == "rises":
        return tr(lang, "routine.name.rises", variant=tr(lang, f"routine.variant.{p.detail}"))
    if p.part == "balance":
        return tr(lang, "routine.name.balance", side=tr(lang, f"routine.short.{p.detail}"))
    return tr(lang, "routine.name.check")


def merge_rise_sessions(sessions: list, config):
    """One report of the rounds done in separate sessions: round n = the n-th variant."""
    merged = RiseCounter(config)
    merged.blocked_frames = collections.Counter()
    usable = False
    for n, session in enumerate(sessions, 1):
        c = session.counter
        for rep in c.reps:
            rep.round = n
        merged.reps += c.reps
        merged.partials += c.partials
        merged.one_foot += c.one_foot
        merged.frames += c.frames
        merged.blocked_frames.update(c.blocked_frames)
        merged.crowded_frames += c.crowded_frames
        merged.aborted += c.aborted
        usable = usable or c.phase != Phase.CALIBRATING or bool(c.reps)
    merged.phase = Phase.REST if usable else Phase.CALIBRATING
    return merged


# ----- the command


def plan_of(parts_arg: str) -> list[tuple[str, str | None]]:
    wanted = [p.strip() for p in parts_arg.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in PARTS]
    if unknown or not wanted:
        raise PosecheckError(f"--parts: unknown part {', '.join(unknown) or '(none)'}; choose from {','.join(PARTS)}")
    plan: list[tuple[str, str | None]] = []
    for part in wanted:
        if part == "rises":
            plan += [("rises", v) for v in VARIANTS]
        elif part == "balance":
            plan += [("balance", "left"), ("balance", "right")]
        else:
            plan.append(("check", None))
    return plan


class Routine:
    """Runs the parts one after another on one camera and model (`posecheck.session.live.Live`)."""

    def __init__(self, live, settings: RoutineSettings, lang: str, out: TextIO):
        self.live = live
        self.args = settings
        self.lang = lang
        self.out = out
        self.stopped: str | None = None  # why the routine ended early

    def _loop(self, session) -> str:
        """Run one part until it is done; returns how it ended: "done", "quit", "interrupted", "ended", "camera_failed"."""
        outcome = self.live.run(session)
        if outcome.error is not None:
            raise outcome.error
        return "done" if session.done else outcome.reason

    def _instruct(self, message: str, title: str) -> bool:
        print(f"{title}: {message}", file=self.out, flush=True)
        if self.args.instruction_seconds <= 0:
            return True
        session = InstructionSession(message, self.args.instruction_seconds, title, self.lang)
        # The model keeps running: its tracking stays warm and the window shows the skeleton.
        how = self._loop(session)
        return self._carry_on(how)

    def _carry_on(self, how: str) -> bool:
        if how == "done":
            return True
        self.stopped = how
        return False

    def run(self, plan, result: RoutineResult) -> None:
        args, lang = self.args, self.lang
        rise_config = RiseConfig(hold_target_s=args.hold, height_cm=args.height_cm)
        balance_config = BalanceConfig(hold_target_s=args.balance_target, height_cm=args.height_cm)
        rise_sessions = []
        total = len(plan)
        for index, (part, detail) in enumerate(plan, 1):
            title = tr(lang, "routine.part", n=index, of=total)
            if self.stopped:
                result.parts.append(PartResult(part, detail, "not_reached"))
                continue
            if part == "rises":
                round_no = VARIANTS.index(detail) + 1
                message = tr(lang, f"routine.instr.{detail}", round=round_no, hold=args.hold, reps=args.reps)
            elif part == "balance":
                message = tr(lang, f"routine.instr.balance.{detail}", target=args.balance_target)
            else:
                message = tr(lang, "routine.instr.check", seconds=args.check_seconds)
            if not self._instruct(message, title):
                result.parts.append(PartResult(part, detail, "not_reached"))
                continue
            if part == "rises":
                session = RisesPart(rise_config, lang, detail, title, args.reps)
                how = self._loop(session)
                rise_sessions.append(session)
                reps = [rep.to_json() for rep in session.counter.reps]
                result.parts.append(PartResult(part, detail, _status(how, session), {"reps": len(reps)}))
            elif part == "balance":
                session = BalancePart(balance_config, lang, detail, title)
                how = self._loop(session)
                report = session.report(result.source, session.elapsed)
                result.balance_reports[detail] = report
                result.balance[detail] = report.to_json()
                best = report.best(detail)
                result.parts.append(PartResult(part, detail, _status(how, session),
                                               {"hold_s": round(best.hold_s, 2) if best else None}))
            else:
                session = CheckSession(args.check_seconds, title, lang)
                how = self._loop(session)
                status = _status(how, session)
                if status == "done":
                    self._check(session, result)
                result.parts.append(PartResult(part, detail, status, {"ok": result.check is not None and "refused" not in result.check}))
            self._carry_on(how)
        if rise_sessions:
            merged = merge_rise_sessions(rise_sessions, rise_config)
            report = RiseReport(result.source, sum(s.elapsed for s in rise_sessions), rise_config.hold_target_s, merged)
            result.rise_report = report
            result.rises = report.to_json()
            for n, (session, seen) in enumerate(zip(rise_sessions, report.rounds_stance + [None] * 3), 1):
                if session.counter.reps and seen is not None and seen != session.variant:
                    result.notes.append(tr(lang, "routine.line.stance_mismatch", round=n, asked=stance_label(session.variant, lang), seen=stance_label(seen, lang)))
        if self.stopped:
            result.ended = self.stopped
            if self.stopped != "done":
                result.notes.append(tr(lang, "routine.line.ended", why=self.stopped.replace("_", " ")))

    def _check(self, session: CheckSession, result: RoutineResult) -> None:
        camera = self.live.camera
        series = LandmarkSeries.from_frames(session.times, session.poses, camera.fps, camera.width, camera.height, result.source)
        stature = (self.args.height_cm or 170.0) / 100.0
        pictures = kept_pictures(session.pictures) if len(session.pictures) == len(session.times) else None
        try:
            check = posture.check_capture(capture.Capture.from_series(series), seconds=min(self.args.check_seconds, 2.0),
                                          stature_m=stature, source=result.source, pictures=pictures)
        except capture.CheckRefused as refused:
            why = refusal_message(self.lang, refused.reason)
            result.check = {"refused": refused.reason, "message": why}
            print(tr(self.lang, "routine.line.check_refused", why=why), file=self.out, flush=True)
            return
        except capture.NotStill:
            why = refusal_message(self.lang, "moved")
            result.check = {"refused": "moved", "message": why}
            print(tr(self.lang, "routine.line.check_refused", why=why), file=self.out, flush=True)
            return
        result.check = check.to_dict()
        result.check_lines = verdict_lines(check, self.lang)


def _status(how: str, session) -> str:
    if getattr(session, "skipped", False):
        return "skipped"
    return "done" if how == "done" else "open"
