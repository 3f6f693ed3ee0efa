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

import argparse
import dataclasses
import datetime as dt
import math
import sys
import threading

from posecheck.pose import landmarks as lm
from posecheck.errors import ExitStatus, PosecheckError
from posecheck.render.hud import HudState

VARIANTS = ("parallel", "wide", "turned_out")
PARTS = ("rises", "balance", "check")

TEXTS = {
    "en": {
        "part": "Part {n} of {of}",
        "intro": "Daily routine: rises in three stances, a single-leg stand on each side, then the barefoot check.",
        "instr.parallel": "Rises, round {round} of 3: feet parallel, hip-width apart. Rise onto the balls of your feet, hold {hold:g} s, lower — {reps} times.",
        "instr.wide": "Rises, round {round} of 3: feet wide apart, toes forward. Rise, hold {hold:g} s, lower — {reps} times.",
        "instr.turned_out": "Rises, round {round} of 3: heels close, toes turned outward. Rise, hold {hold:g} s, lower — {reps} times.",
        "instr.balance.left": "Single-leg stand: stand on your LEFT leg, on tiptoe if you can, and hold (goal {target:g} s).",
        "instr.balance.right": "Single-leg stand: now on your RIGHT leg, on tiptoe if you can (goal {target:g} s).",
        "instr.check": "Barefoot check: stand still, barefoot, feet hip-width apart, facing the camera, for {seconds:g} s.",
        "phase.instruction": "GET READY",
        "phase.check": "HOLD STILL",
        "variant.parallel": "parallel", "variant.wide": "wide", "variant.turned_out": "turned out",
        "line.part_done": "{part}: done",
        "line.part_skipped": "{part}: skipped",
        "line.part_open": "{part}: not finished",
        "line.stance_mismatch": "round {round}: asked for {asked}, the feet looked {seen}",
        "line.check_refused": "barefoot check not possible: {why}",
        "line.ended": "the routine ended early ({why}); what was done is kept",
        "summary.title": "Routine {date}: {done} of {parts} parts done",
        "summary.rises": "Rises: {count} reps in {rounds} rounds ({per_round}), stances {stances}",
        "summary.balance": "Single-leg stand on the {side} leg: {hold:.1f} s{tiptoe}{sway}",
        "summary.balance_none": "Single-leg stand on the {side} leg: not seen",
        "summary.check": "Barefoot check:",
        "on_tiptoe": ", on tiptoe", "flat": ", flat",
        "name.rises": "rises ({variant})", "name.balance": "single-leg stand ({side})", "name.check": "barefoot check",
        "side.left": "left", "side.right": "right", "short.left": "left", "short.right": "right",
        "note": "note",
    },
    "de": {
        "part": "Teil {n} von {of}",
        "intro": "Tägliche Übungen: Zehenstände in drei Fußstellungen, Einbeinstand auf jeder Seite, dann der Barfuß-Check.",
        "instr.parallel": "Zehenstand, Runde {round} von 3: Füße parallel, hüftbreit. Auf die Fußballen hoch, {hold:g} s halten, absenken — {reps} Mal.",
        "instr.wide": "Zehenstand, Runde {round} von 3: Füße weit auseinander, Zehen nach vorn. Hoch, {hold:g} s halten, absenken — {reps} Mal.",
        "instr.turned_out": "Zehenstand, Runde {round} von 3: Fersen eng, Fußspitzen nach außen. Hoch, {hold:g} s halten, absenken — {reps} Mal.",
        "instr.balance.left": "Einbeinstand: auf das LINKE Bein stellen, wenn möglich auf die Zehen, und halten (Ziel {target:g} s).",
        "instr.balance.right": "Einbeinstand: jetzt auf das RECHTE Bein, wenn möglich auf die Zehen (Ziel {target:g} s).",
        "instr.check": "Barfuß-Check: barfuß, Füße hüftbreit, ruhig zur Kamera gewandt stehen, {seconds:g} s lang.",
        "phase.instruction": "BEREIT MACHEN",
        "phase.check": "RUHIG STEHEN",
        "variant.parallel": "parallel", "variant.wide": "breit", "variant.turned_out": "Fußspitzen außen",
        "line.part_done": "{part}: geschafft",
        "line.part_skipped": "{part}: übersprungen",
        "line.part_open": "{part}: nicht beendet",
        "line.stance_mismatch": "Runde {round}: verlangt war {asked}, die Füße standen {seen}",
        "line.check_refused": "Barfuß-Check nicht möglich: {why}",
        "line.ended": "die Übungen endeten vorzeitig ({why}); das Geschaffte bleibt erhalten",
        "summary.title": "Übungen {date}: {done} von {parts} Teilen geschafft",
        "summary.rises": "Zehenstände: {count} in {rounds} Runden ({per_round}), Fußstellungen {stances}",
        "summary.balance": "Einbeinstand auf dem {side} Bein: {hold:.1f} s{tiptoe}{sway}",
        "summary.balance_none": "Einbeinstand auf dem {side} Bein: nicht erkannt",
        "summary.check": "Barfuß-Check:",
        "on_tiptoe": ", im Zehenstand", "flat": ", auf ganzer Sohle",
        "name.rises": "Zehenstände ({variant})", "name.balance": "Einbeinstand ({side})", "name.check": "Barfuß-Check",
        "side.left": "linken", "side.right": "rechten", "short.left": "links", "short.right": "rechts",
        "note": "Hinweis",
    },
}


def text(lang: str, key: str, **values) -> str:
    template = TEXTS.get(lang, TEXTS["en"]).get(key) or TEXTS["en"].get(key) or key
    return template.format(**values) if values else template


# ----- the pieces the loop runs


class PartSource:
    """The shared camera, seen by one part: iteration (and the window's `latest`) stop once the part is done."""

    def __init__(self, camera, is_done):
        self.camera = camera
        self.is_done = is_done
        self.finished = False

    def __iter__(self):
        for frame in self.camera:
            yield frame
            if self.is_done():
                self.finished = True
                return

    def latest(self, after: int = -1, timeout: float | None = None):
        if self.finished or self.is_done():
            return None
        return self.camera.latest(after, timeout)

    @property
    def done(self) -> bool:
        return self.finished or self.camera.done

    @property
    def failed(self) -> bool:
        return self.camera.failed


class _Session:
    """What the live loop needs of a session, with nothing to count."""

    def __init__(self):
        self.lock = threading.RLock()
        self.pose: lm.PoseFrame | None = None
        self.first_t: float | None = None
        self.last_t: float | None = None
        self.paused = False
        self.skipped = False

    def _clock(self, t: float) -> None:
        if self.first_t is None:
            self.first_t = t
        self.last_t = t

    def finish(self) -> list:
        return []

    def reset(self, t: float) -> list:
        return []

    def toggle_pause(self, t: float) -> list:
        self.paused = not self.paused
        return []


class InstructionSession(_Session):
    """Shows one instruction for `seconds` of media time."""

    def __init__(self, message: str, seconds: float, title: str, lang: str):
        super().__init__()
        self.message = message
        self.seconds = seconds
        self.title = title
        self.lang = lang

    def process(self, t: float, pose, width: int, height: int) -> list:
        self._clock(t)
        self.pose = pose
        return []

    @property
    def done(self) -> bool:
        return self.skipped or (self.first_t is not None and self.last_t - self.first_t >= self.seconds)

    def hud(self, t: float) -> HudState:
        left = 0.0 if self.first_t is None else max(self.seconds - (t - self.first_t), 0.0)
        return HudState(count=math.ceil(left), round_label=self.title, phase_label=text(self.lang, "phase.instruction"),
                        hold_s=0.0, hold_target_s=self.seconds, message=self.message, reps_label="s", phase="ready")


class CheckSession(_Session):
    """Records the poses and pictures of `seconds` of standing still, for the barefoot check."""

    def __init__(self, seconds: float, title: str, lang: str):
        super().__init__()
        self.seconds = seconds
        self.title = title
        self.lang = lang
        self.times: list[float] = []
        self.poses: list = []
        self.pictures: list[bytes] = []  # JPEG, one per entry of times

    def process(self, t: float, pose, width: int, height: int) -> list:
        self._clock(t)
        self.pose = pose
        self.times.append(t)
        self.poses.append(pose)
        return []

    def keep_picture(self, image) -> None:
        """The frame that `process` just saw (the feet's roll is read from the pictures)."""
        from posecheck.cli.check import jpeg

        self.pictures.append(jpeg(image))

    @property
    def done(self) -> bool:
        return self.skipped or (self.first_t is not None and self.last_t - self.first_t >= self.seconds)

    def hud(self, t: float) -> HudState:
        held = 0.0 if self.first_t is None else min(t - self.first_t, self.seconds)
        return HudState(count=0, round_label=self.title, phase_label=text(self.lang, "phase.check"), hold_s=held,
                        hold_target_s=self.seconds, reps_label="", phase="hold")


class RisesPart:
    """Live mode's rises session for one round in one stance variant, with the HUD naming the variant."""

    def __init__(self, live_session, variant: str, title: str, lang: str):
        from posecheck.detect.stance import StanceTracker

        self.inner = live_session
        self.variant = variant
        self.title = title
        self.lang = lang
        self.skipped = False
        # live mode tags each rep's stance itself; a tree without that gets it here
        self._tracker = None if getattr(live_session, "stance", None) is not None else StanceTracker()

    def __getattr__(self, name):  # lock, pose, last_t, finish, reset, toggle_pause ...
        return getattr(self.inner, name)

    def process(self, t: float, pose, width: int, height: int) -> list:
        notices = self.inner.process(t, pose, width, height)
        if self._tracker is not None:
            self._tracker.add(t, pose)
            for rep in self.inner.counter.reps:
                if rep.stance is None:
                    rep.stance = self._tracker.variant_between(rep.start_s, rep.end_s)
        return notices

    @property
    def done(self) -> bool:
        return self.skipped or self.inner.all_done

    def hud(self, t: float) -> HudState:
        state = self.inner.hud(t)
        return dataclasses.replace(state, round_label=f"{self.title} · {text(self.lang, 'variant.' + self.variant)}")


class BalancePart:
    """The balance session of `posecheck balance`, asking for one leg, done after one stand on it."""

    def __init__(self, balance_session, title: str):
        self.inner = balance_session
        self.title = title
        self.skipped = False

    def __getattr__(self, name):
        return getattr(self.inner, name)

    @property
    def done(self) -> bool:
        return self.skipped or self.inner.done

    def hud(self, t: float) -> HudState:
        state = self.inner.hud(t)
        return dataclasses.replace(state, round_label=f"{self.title} · {state.round_label}")


# ----- results


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
        lines = [text(lang, "summary.title", date=f"{self.started_at:%Y-%m-%d %H:%M}", done=done, parts=len(self.parts))]
        for p in self.parts:
            name = _part_name(p, lang)
            key = {"done": "line.part_done", "skipped": "line.part_skipped"}.get(p.status, "line.part_open")
            lines.append("  " + text(lang, key, part=name))
        if self.rises is not None:
            from posecheck.detect.stance import label

            stances = ", ".join(label(s, lang) for s in self.rises.get("rounds_stance") or []) or "-"
            rounds = self.rises.get("rounds") or []
            lines.append(text(lang, "summary.rises", count=self.rises.get("count", 0), rounds=len(rounds),
                              per_round=" + ".join(map(str, rounds)) or "0", stances=stances))
        for side in ("left", "right"):
            if side not in self.balance:
                continue
            data = self.balance[side]
            stand = next((s for s in data.get("stands", []) if s["stand_on"] == side), None)
            side_text = text(lang, f"side.{side}")
            if stand is None:
                lines.append(text(lang, "summary.balance_none", side=side_text))
                continue
            best = max((s for s in data["stands"] if s["stand_on"] == side), key=lambda s: s["hold_s"])
            tiptoe = "" if best["on_tiptoe"] is None else text(lang, "on_tiptoe" if best["on_tiptoe"] else "flat")
            sway = f", sway {best['sway_cm']:.1f} cm" if best.get("sway_cm") is not None else ""
            lines.append(text(lang, "summary.balance", side=side_text, hold=best["hold_s"], tiptoe=tiptoe, sway=sway))
        if self.check_lines:
            lines.append(text(lang, "summary.check"))
            lines += ["  " + line for line in self.check_lines]
        for note in self.notes:
            lines.append(f"{text(lang, 'note')}: {note}")
        return "\n".join(lines)


def _part_name(p: PartResult, lang: str) -> str:
    if p.part == "rises":
        return text(lang, "name.rises", variant=text(lang, f"variant.{p.detail}"))
    if p.part == "balance":
        return text(lang, "name.balance", side=text(lang, f"short.{p.detail}"))
    return text(lang, "name.check")


def merge_rise_sessions(sessions: list, config):
    """One report of the rounds done in separate sessions: round n = the n-th variant."""
    import collections

    from posecheck.detect.rises import Phase, RiseCounter

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


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "routine",
        help="the daily set, guided: rises in three stances, a single-leg stand each side, the barefoot check",
        description="The article's daily set, guided from the camera: 3 rounds of rises (parallel, wide, turned out), "
        "a single-leg stand on each side, then the barefoot check. An instruction comes before each part; "
        "n skips a part, q ends the routine. The session is kept in the training log.",
    )
    parser.add_argument("--camera", metavar="N|URL|FILE", help="camera index (default 0), a stream URL, or a video file played as if it were a camera")
    parser.add_argument("--no-window", action="store_true", help="no window: print the instructions and what happens as lines")
    parser.add_argument("--mute", action="store_true", help="no sounds")
    parser.add_argument("--lang", choices=["en", "de"], help="language (default: from the system locale)")
    parser.add_argument("--reps", type=_positive_int, default=10, metavar="N", help="rises per round (default 10)")
    parser.add_argument("--hold", type=float, default=3.0, metavar="S", help="hold at the top of each rise (default 3 s)")
    parser.add_argument("--balance-target", type=float, default=30.0, metavar="S", help="goal for each single-leg stand (default 30 s)")
    parser.add_argument("--check-seconds", type=float, default=3.0, metavar="S", help="standing time for the barefoot check (default 3 s)")
    parser.add_argument("--instruction-seconds", type=float, default=5.0, metavar="S", help="how long each instruction is shown (default 5 s)")
    parser.add_argument("--parts", default=",".join(PARTS), metavar="LIST", help="which parts, in order: rises,balance,check (default all)")
    parser.add_argument("--height-cm", type=float, metavar="CM", help="your height, for cm values (sway, check)")
    parser.add_argument("--json", metavar="PATH", help="write the whole session as JSON")
    parser.add_argument("--model", metavar="PATH", help="a Pose Landmarker .task bundle (default: the shipped full model)")
    parser.add_argument("--no-log", action="store_true", help="do not keep this session in the training log")
    parser.set_defaults(run=run)


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


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


def run(args: argparse.Namespace) -> ExitStatus:
    from posecheck.session import live
    from posecheck.session.cues import Cues
    from posecheck.report.texts import choose_language
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.report.rises import check_writable
    from posecheck.media.frames import parse_camera

    check_writable(args.json)
    plan = plan_of(args.parts)
    if args.height_cm is not None and not 50 <= args.height_cm <= 250:
        raise PosecheckError("--height-cm must be between 50 and 250")
    lang = choose_language(args.lang)
    spec = parse_camera(args.camera if args.camera is not None else 0)
    want_window = live.wants_window(args.no_window)
    estimator = PoseEstimator(args.model)
    camera = live.open_camera(spec, estimator)
    cues = Cues(enabled=not args.mute)
    out = sys.stdout
    emit = live.Printer(out if not want_window else None, cues)
    result = RoutineResult(live.source_label(spec), dt.datetime.now().astimezone(), lang)
    window = None
    try:
        if want_window:
            window = live.Window("posecheck routine")
        print(text(lang, "intro"), file=out, flush=True)
        runner = _Runner(args, lang, camera, estimator, emit, window, out)
        runner.run(plan, result)
    finally:
        if window is not None:
            window.close()
        camera.close()
        estimator.close()
        cues.close()
    print(result.summary(), file=out, flush=True)
    data = result.to_json()
    if args.json:
        from posecheck.report.rises import write_json

        write_json(data, args.json)
    if not args.no_log:
        _log(result)
    if result.ended == "interrupted":
        return ExitStatus.INTERRUPTED
    if result.ended == "camera_failed":
        return ExitStatus.NO_CAMERA
    return ExitStatus.OK


class _Runner:
    """Runs the parts one after another on the shared camera and model."""

    def __init__(self, args, lang, camera, estimator, emit, window, out):
        self.args = args
        self.lang = lang
        self.camera = camera
        self.estimator = estimator
        self.emit = emit
        self.window = window
        self.out = out
        self.stopped: str | None = None  # why the routine ended early

    def _loop(self, session) -> str:
        """Run one session until it is done; returns how the loop ended."""
        from posecheck.session import live

        source = PartSource(self.camera, lambda: session.done)
        stats = live.LoopStats()
        analyse = live.Analyser(self.estimator, session, self.camera.width, self.camera.height, stats)

        def on_key(key: int) -> str | None:
            if key in (ord("q"), ord("Q"), 27):
                return "quit"
            with session.lock:
                t = session.last_t or 0.0
                if key in (ord("n"), ord("N")):
                    session.skipped = True
                elif key == ord(" "):
                    self.emit(session.toggle_pause(t))
                elif key in (ord("r"), ord("R")):
                    self.emit(session.reset(t))
            if key in (ord("f"), ord("F")) and self.window is not None:
                self.window.toggle_fullscreen()
            return None

        outcome = live.run_loop(source, analyse, self.emit, self.window, on_key)
        with session.lock:
            self.emit(session.finish())
        if outcome.error is not None:
            raise outcome.error
        if session.done:
            return "done"
        return outcome.reason  # "quit", "interrupted", "ended", "camera_failed"

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
        from posecheck.detect.balance import BalanceConfig, BalanceReport
        from posecheck.cli.balance import BalanceSession
        from posecheck.session.live import LiveSession
        from posecheck.detect.rises import RiseConfig

        args, lang = self.args, self.lang
        rise_config = RiseConfig(hold_target_s=args.hold, height_cm=args.height_cm)
        balance_config = BalanceConfig(hold_target_s=args.balance_target, height_cm=args.height_cm)
        rise_sessions = []
        total = len(plan)
        for index, (part, detail) in enumerate(plan, 1):
            title = text(lang, "part", n=index, of=total)
            if self.stopped:
                result.parts.append(PartResult(part, detail, "not_reached"))
                continue
            if part == "rises":
                round_no = VARIANTS.index(detail) + 1
                message = text(lang, f"instr.{detail}", round=round_no, hold=args.hold, reps=args.reps)
            elif part == "balance":
                message = text(lang, f"instr.balance.{detail}", target=args.balance_target)
            else:
                message = text(lang, "instr.check", seconds=args.check_seconds)
            if not self._instruct(message, title):
                result.parts.append(PartResult(part, detail, "not_reached"))
                continue
            if part == "rises":
                session = RisesPart(LiveSession(rise_config, lang, rounds=1, reps=args.reps), detail, title, lang)
                how = self._loop(session)
                rise_sessions.append(session)
                reps = [rep.to_json() for rep in session.counter.reps]
                result.parts.append(PartResult(part, detail, _status(how, session), {"reps": len(reps)}))
            elif part == "balance":
                session = BalancePart(BalanceSession(balance_config, lang, side=detail, stop_after=1), title)
                how = self._loop(session)
                report = BalanceReport(result.source, (session.last_t or 0.0) - (session.first_t or 0.0), session.detector)
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
            from posecheck.report.rises import RiseReport

            merged = merge_rise_sessions([s.inner for s in rise_sessions], rise_config)
            report = RiseReport(result.source, sum((s.last_t or 0.0) - (s.first_t or 0.0) for s in rise_sessions), rise_config.hold_target_s, merged)
            result.rise_report = report
            result.rises = report.to_json()
            from posecheck.detect.stance import label

            for n, (session, seen) in enumerate(zip(rise_sessions, report.rounds_stance + [None] * 3), 1):
                if session.counter.reps and seen is not None and seen != session.variant:
                    result.notes.append(text(lang, "line.stance_mismatch", round=n, asked=label(session.variant, lang), seen=label(seen, lang)))
        if self.stopped:
            result.ended = self.stopped
            if self.stopped != "done":
                result.notes.append(text(lang, "line.ended", why=self.stopped.replace("_", " ")))

    def _check(self, session: CheckSession, result: RoutineResult) -> None:
        from posecheck.detect import check as posture
        from posecheck.cli.check import kept_pictures, refusal_message, verdict_lines
        from posecheck.pose.landmarks import LandmarkSeries

        camera = self.camera
        series = LandmarkSeries.from_frames(session.times, session.poses, camera.fps, camera.width, camera.height, result.source)
        stature = (self.args.height_cm or 170.0) / 100.0
        pictures = kept_pictures(session.pictures) if len(session.pictures) == len(session.times) else None
        try:
            check = posture.check_capture(posture.Capture.from_series(series), seconds=min(self.args.check_seconds, 2.0),
                                          stature_m=stature, source=result.source, pictures=pictures)
        except posture.CheckRefused as refused:
            why = refusal_message(self.lang, refused.reason)
            result.check = {"refused": refused.reason, "message": why}
            print(text(self.lang, "line.check_refused", why=why), file=self.out, flush=True)
            return
        except posture.NotStill:
            why = refusal_message(self.lang, "moved")
            result.check = {"refused": "moved", "message": why}
            print(text(self.lang, "line.check_refused", why=why), file=self.out, flush=True)
            return
        result.check = check.to_dict()
        result.check_lines = verdict_lines(check, self.lang)


def _status(how: str, session) -> str:
    if getattr(session, "skipped", False):
        return "skipped"
    return "done" if how == "done" else "open"


def _log(result: RoutineResult) -> None:
    """Each part in the training log as its own kind of session: rises (live), balance per leg, check."""
    from posecheck.log.store import TrainingLog

    try:
        with TrainingLog.open() as log:
            if result.rises is not None and result.rises.get("count"):
                log.add_rises(result.rises, source=result.source, kind="live", started_at=result.started_at)
            for side, report in result.balance_reports.items():
                best = report.best(side)
                if best is not None:
                    log.add_balance({"stand_on": side, "hold_s": round(best.hold_s, 2), "sway_cm": best.sway_cm},
                                    source=result.source, started_at=result.started_at)
            if result.check is not None and "refused" not in result.check:
                log.add_check(result.check, source=result.source, started_at=result.started_at)
    except PosecheckError as error:
        print(f"posecheck: warning: the routine was not added to the training log ({error})", file=sys.stderr)
