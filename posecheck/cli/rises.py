"""`posecheck rises`: count heel raises from the camera (live) or in a recorded video (or a saved landmark series)."""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys

from posecheck.cli.common import finish, load_or_extract, note, prepare, progress
from posecheck.detect.rises import RiseConfig
from posecheck.errors import ExitStatus
from posecheck.log.store import TrainingLog
from posecheck.media.frames import VideoFile
from posecheck.media.sinks import VideoSink
from posecheck.report.rises import write_samples_csv
from posecheck.session import loop
from posecheck.session.live import Live
from posecheck.session.loop import replayed
from posecheck.session.rises import RisesSession
from posecheck.session.ui import compose


def config_from(args: argparse.Namespace):
    return RiseConfig(hold_target_s=args.hold, height_cm=args.height_cm, round_gap_s=args.round_gap, reps_per_round=getattr(args, "reps", None))


def run(args: argparse.Namespace) -> ExitStatus:
    outputs = {"--json": args.json, "--csv": args.csv, "--plot": args.plot, "--annotated": args.annotated, "--save-landmarks": args.save_landmarks}
    lang = prepare(args.video, args.camera, outputs, args.lang, args.model)
    if args.video:
        return run_file(args, lang)
    return run_live(args, lang)


def run_file(args: argparse.Namespace, lang: str) -> ExitStatus:
    series = load_or_extract(args.video, args.model, not args.no_progress, args.workers)
    outputs = [lambda: series.save(args.save_landmarks)] if args.save_landmarks else []  # written after the summary
    session = RisesSession(config_from(args), lang)
    drawing = args.annotated and pathlib.Path(args.video).suffix.lower() != ".npz"
    if args.annotated and not drawing:
        note("--annotated needs the video, not a landmark file; skipped")
    if drawing:
        # The annotated video is drawn in the same pass, with the live window's picture.
        with VideoFile(args.video) as video, VideoSink(args.annotated, video.fps) as sink, \
                progress(len(series), "drawing", not args.no_progress) as bar:
            outcome = loop.run(replayed(series, video), session,
                          sinks=[lambda frame, s: sink.write(compose(frame.image, s, frame.t), frame.t), lambda frame, s: bar.update(1)])
        outputs.append(sink.finished)
    else:
        outcome = loop.run(replayed(series), session)
    with session.lock:
        session.finish()
    if args.csv:
        outputs.append(lambda: write_samples_csv(session.samples, args.csv, session.counter))
    outputs += plot_of(session, args.plot, args.video)
    report = session.report(args.video, series.duration_s)
    return finish(report, outcome, args.json, log_to("rises") if args.log else None, also=outputs, cut_short=series.interrupted, lang=lang)


def run_live(args: argparse.Namespace, lang: str) -> ExitStatus:
    offline_only = [flag for flag, value in (("--csv", args.csv), ("--annotated", args.annotated), ("--save-landmarks", args.save_landmarks)) if value]
    if offline_only:
        note(f"{', '.join(offline_only)} only work on a video file; ignored in live mode")
    started_at = dt.datetime.now().astimezone()
    session = RisesSession(config_from(args), lang, rounds=args.rounds, reps=args.reps)
    with Live(args.camera, args.model, "rises", args.no_window, args.mute, count_people=True) as live:
        if live.window is None:
            print(session.text("line.start", source=live.label, stop="Ctrl-C"), file=sys.stderr, flush=True)
        outcome = live.run(session)
    slow = live.slow_note()
    if slow:
        note(slow)
    report = session.report(live.label, live.duration_s)
    outputs = plot_of(session, args.plot, live.label)
    return finish(report, outcome, args.json, None if args.no_log else log_to("live", started_at), session.text("line.camera_failed"),
                  also=outputs, lang=lang)


def plot_of(session: RisesSession, path: str | None, title: str) -> list:
    """The --plot writer, if one was asked for (matplotlib is loaded only then)."""
    if not path:
        return []

    def draw() -> None:
        from posecheck.render.rises_plot import draw_rises

        draw_rises(path, session.samples, session.counter, session.config, title)

    return [draw]


def log_to(kind: str, started_at=None):
    """Keeps a rises report in the training log."""
    def log(report) -> None:

        with TrainingLog.open() as training_log:
            training_log.add_rises(report.to_json(), kind=kind, started_at=started_at)

    return log
