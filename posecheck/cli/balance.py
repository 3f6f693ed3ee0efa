"""`posecheck balance`: the single-leg stand ("Zehenstand auf einem Bein"), live from the camera or from a video.

Finds when one foot leaves the floor, says which leg stands, whether its heel
is raised (tiptoe) and how long the stand lasts, and measures the sway (see
`posecheck.balance`). Live mode reuses the rises loop of `posecheck.live`
(window or `--no-window` lines, q quits, r starts over, space pauses) with a
`BalanceSession` in place of the rises session.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import threading

from posecheck.pose import landmarks as lm
from posecheck.detect.balance import BalanceConfig, BalanceDetector, BalancePhase, BalanceReport, BalanceSample
from posecheck.errors import ExitStatus, NoPerson, OutputUnwritable, PosecheckError
from posecheck.render.hud import HudState

TEXTS = {
    "en": {
        "leg.left": "left leg", "leg.right": "right leg", "leg.none": "both feet down",
        "phase.ready": "GET READY", "phase.both_feet": "LIFT ONE FOOT", "phase.flat": "ON ONE LEG", "phase.tiptoe": "ON TIPTOE",
        "phase.lowering": "FOOT DOWN?", "phase.paused": "PAUSED", "phase.done": "DONE",
        "stands": "stands", "best": "best L {left} · R {right}",
        "msg.no_person": "no one in view — stand in front of the camera",
        "msg.hidden": "step back — head to feet in view",
        "msg.go": "stand on one leg", "msg.go_side": "stand on your {side}",
        "msg.tiptoe": "now rise onto the toes", "msg.reached": "{target:g} s — well done",
        "msg.paused": "paused — press space to go on", "msg.reset": "started over",
        "line.start": "single-leg stand from {source}; {stop} to stop",
        "line.foot_off": "standing on the {leg}",
        "line.tiptoe_up": "on tiptoe", "line.tiptoe_down": "heel down",
        "line.stand": "{leg}: {hold:.1f} s on one leg{tiptoe}{sway}",
        "line.tiptoe_part": ", {s:.1f} s on tiptoe", "line.sway_part": ", sway {sway}",
        "line.step": "foot down after {hold:.1f} s (too short to count)",
        "line.reached": "{target:g} s reached",
        "line.paused": "paused", "line.resumed": "going on", "line.reset": "reset",
    },
    "de": {
        "leg.left": "linken Bein", "leg.right": "rechten Bein", "leg.none": "beide Füße am Boden",
        "phase.ready": "BEREIT MACHEN", "phase.both_feet": "EIN BEIN HEBEN", "phase.flat": "AUF EINEM BEIN", "phase.tiptoe": "ZEHENSTAND",
        "phase.lowering": "FUSS UNTEN?", "phase.paused": "ANGEHALTEN", "phase.done": "FERTIG",
        "stands": "Standphasen", "best": "beste L {left} · R {right}",
        "msg.no_person": "niemand im Bild — vor die Kamera stellen",
        "msg.hidden": "zurücktreten — Kopf bis Füße ins Bild",
        "msg.go": "auf ein Bein stellen", "msg.go_side": "auf das {side} stellen",
        "msg.tiptoe": "jetzt auf die Zehen hoch", "msg.reached": "{target:g} s — gut gemacht",
        "msg.paused": "angehalten — Leertaste zum Weitermachen", "msg.reset": "neu gestartet",
        "line.start": "Einbeinstand von {source}; {stop} zum Beenden",
        "line.foot_off": "Stand auf dem {leg}",
        "line.tiptoe_up": "im Zehenstand", "line.tiptoe_down": "Ferse unten",
        "line.stand": "{leg}: {hold:.1f} s auf einem Bein{tiptoe}{sway}",
        "line.tiptoe_part": ", davon {s:.1f} s im Zehenstand", "line.sway_part": ", Schwanken {sway}",
        "line.step": "Fuß nach {hold:.1f} s wieder unten (zu kurz)",
        "line.reached": "{target:g} s erreicht",
        "line.paused": "angehalten", "line.resumed": "weiter", "line.reset": "zurückgesetzt",
    },
}
# "the left leg" in a sentence vs. as a HUD title
LEG_TITLE = {"en": {"left": "Left leg", "right": "Right leg"}, "de": {"left": "Linkes Bein", "right": "Rechtes Bein"}}


def text(lang: str, key: str, **values) -> str:
    strings = TEXTS.get(lang, TEXTS["en"])
    template = strings.get(key) or TEXTS["en"].get(key) or key
    return template.format(**values) if values else template


def _sway_text(stand, lang: str) -> str:
    if stand.sway_cm is not None:
        return text(lang, "line.sway_part", sway=f"{stand.sway_cm:.1f} cm")
    if stand.sway is not None:
        return text(lang, "line.sway_part", sway=f"{stand.sway:.3f} leg")
    return ""


def stand_line(stand, lang: str = "en") -> str:
    tiptoe = text(lang, "line.tiptoe_part", s=stand.tiptoe_s) if stand.tiptoe_s else ""
    leg = LEG_TITLE.get(lang, LEG_TITLE["en"])[stand.stand_on]
    return text(lang, "line.stand", leg=leg, hold=stand.hold_s, tiptoe=tiptoe, sway=_sway_text(stand, lang))


# ----- live


class BalanceSession:
    """The detector plus what live mode adds (pause, reset, a target time, the HUD).

    It has the interface `posecheck.live`'s loop expects of a session (`lock`,
    `process`, `finish`, `reset`, `toggle_pause`, `hud`, `pose`, `last_t`), so
    that loop, window and key handling run it unchanged.
    """

    def __init__(self, config: BalanceConfig | None = None, lang: str = "en", side: str | None = None, stop_after: int | None = None):
        self.config = config or BalanceConfig()
        self.lang = lang
        self.side = side  # the leg asked for (routine), or None
        self.stop_after = stop_after  # done after this many stands (on `side`, if given)
        self.lock = threading.RLock()
        self.detector = BalanceDetector(self.config)
        self.paused = False
        self.pose: lm.PoseFrame | None = None
        self.first_t: float | None = None
        self.last_t: float | None = None
        self.frames = 0
        self._reached = False
        self._message_key: str | None = None

    # the loop's interface
    def process(self, t: float, pose: lm.PoseFrame | None, width: int, height: int) -> list:
        from posecheck.session.live import Notice

        if self.first_t is None:
            self.first_t = t
        self.last_t = t
        if self.paused:
            return []
        self.frames += 1
        self.pose = pose
        notices = []
        for event in self.detector.update(pose, t, width, height):
            if event.kind == "foot_off":
                self._reached = False
                leg = text(self.lang, f"leg.{event.stand_on}")
                notices.append(Notice("foot_off", event.t, text(self.lang, "line.foot_off", leg=leg), "ready"))
            elif event.kind in ("tiptoe_up", "tiptoe_down"):
                notices.append(Notice(event.kind, event.t, text(self.lang, f"line.{event.kind}")))
            elif event.kind == "stand" and event.stand is not None:
                notices.append(Notice("stand", event.t, stand_line(event.stand, self.lang), "rep"))
            elif event.kind == "step":
                notices.append(Notice("step", event.t, ""))
        if not self._reached and self.detector.hold_elapsed(t) >= self.config.hold_target_s:
            self._reached = True
            notices.append(Notice("hold_reached", t, text(self.lang, "line.reached", target=self.config.hold_target_s), "hold"))
        self._message_key = self._wanted_message(pose)
        return notices

    def finish(self) -> list:
        from posecheck.session.live import Notice

        notices = []
        for event in self.detector.finish():
            if event.kind == "stand" and event.stand is not None:
                notices.append(Notice("stand", event.t, stand_line(event.stand, self.lang)))
        return notices

    def toggle_pause(self, t: float) -> list:
        from posecheck.session.live import Notice

        self.paused = not self.paused
        return [Notice("paused" if self.paused else "resumed", t, text(self.lang, "line.paused" if self.paused else "line.resumed"))]

    def reset(self, t: float) -> list:
        from posecheck.session.live import Notice

        self.detector = BalanceDetector(self.config)
        self.paused = False
        self._reached = False
        return [Notice("reset", t, text(self.lang, "line.reset"))]

    @property
    def done(self) -> bool:
        """The asked-for number of stands is complete."""
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
        titles = LEG_TITLE.get(self.lang, LEG_TITLE["en"])
        title = titles[d.stand_on] if d.stand_on else text(self.lang, "leg.none")
        best = {side: max((s.hold_s for s in d.stands if s.stand_on == side), default=None) for side in ("left", "right")}
        best_text = text(self.lang, "best", **{side: f"{v:.1f} s" if v is not None else "-" for side, v in best.items()}) if d.stands else ""
        message = text(self.lang, f"msg.{self._message_key}", target=self.config.hold_target_s, side=text(self.lang, f"leg.{self.side}") if self.side else "") if self._message_key else ""
        return HudState(
            count=len(d.stands),
            round_label=title,
            phase_label=text(self.lang, f"phase.{key}"),
            hold_s=0.0 if self.paused else d.hold_elapsed(t),
            hold_target_s=self.config.hold_target_s,
            message=message,
            reps_label=text(self.lang, "stands"),
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


# ----- the command


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "balance",
        help="single-leg stand: which leg, how long, tiptoe or flat, and the sway",
        description="Stand on one leg (flat or on tiptoe) facing the camera, whole body in view. "
        "Finds each stand, which leg stands, whether its heel is raised and how long it lasts, and measures the sway.",
    )
    parser.add_argument("video", nargs="?", help="a video file or a landmark file (.npz); without it, live from the camera (q quits, r starts over, space pauses)")
    parser.add_argument("--camera", metavar="N|URL|FILE", help="camera index (default 0), a stream URL, or a video file played as if it were a camera")
    parser.add_argument("--no-window", action="store_true", help="live: no window; print each stand as a line")
    parser.add_argument("--mute", action="store_true", help="live: no sounds")
    parser.add_argument("--lang", choices=["en", "de"], help="language (default: from the system locale)")
    parser.add_argument("--height-cm", type=float, metavar="CM", help="your height, to give the sway in cm")
    parser.add_argument("--target", type=float, default=30.0, metavar="S", help="target time on one leg, for the HUD bar and the cue (default 30 s)")
    parser.add_argument("--min-stand", type=float, default=1.0, metavar="S", help="shorter lifts are steps, not stands (default 1 s)")
    parser.add_argument("--json", metavar="PATH", help="write the report as JSON")
    parser.add_argument("--csv", metavar="PATH", help="write the per-frame signals as CSV")
    parser.add_argument("--save-landmarks", metavar="PATH.npz", help="save the pose of every frame (video input)")
    parser.add_argument("--model", metavar="PATH", help="a Pose Landmarker .task bundle (default: the shipped full model)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--no-log", action="store_true", help="do not keep the stands in the training log")
    parser.set_defaults(run=run)


def config_from(args: argparse.Namespace) -> BalanceConfig:
    return BalanceConfig(height_cm=args.height_cm, hold_target_s=args.target, min_stand_s=args.min_stand)


def run(args: argparse.Namespace) -> ExitStatus:
    from posecheck.report.texts import choose_language
    from posecheck.report.rises import check_writable

    if args.video and args.camera is not None:
        print("posecheck: error: give either a video or --camera, not both", file=sys.stderr)
        return ExitStatus.USAGE
    for path in (args.json, args.csv, args.save_landmarks):
        check_writable(path)
    lang = choose_language(args.lang)
    config = config_from(args)
    if not args.video:
        return run_live(args, config, lang)
    from posecheck.session.replay import load_or_extract

    series = load_or_extract(args.video, args.model, not args.no_progress)
    if args.save_landmarks and not str(args.video).lower().endswith(".npz"):
        series.save(args.save_landmarks)
    detector, samples = analyse_series(series, config)
    report = BalanceReport(str(args.video), len(series) / series.fps if series.fps else 0.0, detector)
    return finish(report, args, lang, samples)


def analyse_series(series, config: BalanceConfig) -> tuple[BalanceDetector, list[BalanceSample]]:
    detector = BalanceDetector(config)
    samples = []
    for i, pose in enumerate(series.frames()):
        detector.update(pose, float(series.t[i]), series.width, series.height)
        if detector.last_sample is not None:
            samples.append(detector.last_sample)
    detector.finish()
    return detector, samples


def finish(report: BalanceReport, args, lang: str, samples: list[BalanceSample] | None = None, started_at: dt.datetime | None = None) -> ExitStatus:
    from posecheck.report.rises import write_json

    print(report.summary())
    data = report.to_json()
    if args.json:
        write_json(data, args.json)
    if getattr(args, "csv", None) and samples is not None:
        write_samples_csv(samples, args.csv)
    if not args.no_log and report.stands:
        try:
            log_stands(report, started_at)
        except PosecheckError as error:
            print(f"posecheck: warning: the stands were not added to the training log ({error})", file=sys.stderr)
    if not report.usable:
        raise NoPerson(f"{report.source}: no whole person (head to feet) was found in view; nothing was measured")
    return ExitStatus.OK


def log_entries(report: BalanceReport) -> list[dict]:
    """What the training log keeps: the longest stand on each leg, as `TrainingLog.add_balance` takes it."""
    entries = []
    for side in ("left", "right"):
        best = report.best(side)
        if best is not None:
            entries.append({
                "source": report.source, "stand_on": side, "hold_s": round(best.hold_s, 2),
                "sway_cm": None if best.sway_cm is None else round(best.sway_cm, 1), "on_tiptoe": best.on_tiptoe,
            })
    return entries


def log_stands(report: BalanceReport, started_at: dt.datetime | None = None) -> int:
    from posecheck.log.store import TrainingLog

    entries = log_entries(report)
    with TrainingLog.open() as log:
        for entry in entries:
            log.add_balance(entry, started_at=started_at)
    return len(entries)


def write_samples_csv(samples: list[BalanceSample], path) -> None:
    import csv

    def num(x: float) -> str:
        return "" if x is None or math.isnan(x) else f"{x:.5f}"

    try:
        with open(path, "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["t_s", "phase", "lift", "tiptoe", "sway_x", "stand_on"])
            for s in samples:
                writer.writerow([f"{s.t:.3f}", s.phase.value, num(s.lift), num(s.tiptoe), num(s.sway_x), s.stand_on or ""])
    except OSError as error:
        raise OutputUnwritable(f"{path}: cannot write the CSV ({error.strerror}); choose another path") from None


def run_live(args: argparse.Namespace, config: BalanceConfig, lang: str) -> ExitStatus:
    from posecheck.session import live
    from posecheck.session.cues import Cues
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.media.frames import parse_camera

    spec = parse_camera(args.camera if args.camera is not None else 0)
    want_window = live.wants_window(args.no_window)
    estimator = PoseEstimator(args.model)
    camera = live.open_camera(spec, estimator)
    session = BalanceSession(config, lang)
    cues = Cues(enabled=not args.mute)
    started_at = dt.datetime.now().astimezone()
    stats = live.LoopStats()
    emit = live.Printer(sys.stdout if not want_window else None, cues)
    label = live.source_label(spec)
    window = None
    try:
        if want_window:
            window = live.Window("posecheck balance")
        else:
            print(text(lang, "line.start", source=label, stop="Ctrl-C"), file=sys.stderr, flush=True)
        analyse = live.Analyser(estimator, session, camera.width, camera.height, stats)
        clock = lambda: session.last_t if session.last_t is not None else 0.0  # noqa: E731
        outcome = live.run_loop(camera, analyse, emit, window, live.key_handler(session, emit, window, clock))
    finally:
        if window is not None:
            window.close()
        camera.close()
        estimator.close()
    with session.lock:
        emit(session.finish())
    cues.close()
    duration = camera.frame_count / camera.fps if camera.is_file else (session.last_t or 0.0)
    report = session.report(label, duration)
    status = finish(report, args, lang, None, started_at)
    if outcome.error is not None:
        raise outcome.error
    if outcome.reason == "interrupted":
        return ExitStatus.INTERRUPTED
    if outcome.reason == "camera_failed":
        return ExitStatus.NO_CAMERA
    return status
