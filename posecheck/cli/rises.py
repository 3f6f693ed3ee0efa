"""`posecheck rises`: count heel raises from the camera (live) or in a recorded video (or a saved landmark series)."""

from __future__ import annotations

import argparse
import sys
import pathlib

from posecheck.cli.common import finish, note, positive_int, prepare, progress
from posecheck.errors import ExitStatus


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "rises",
        help="count heel raises (rises) and time each hold",
        description="Count heel raises (rises) in a video and time each hold. "
        "Stand barefoot, feet hip-width, whole body in view, and rise onto the balls of the feet.",
    )
    parser.add_argument(
        "video", nargs="?",
        help="a video file, or a landmark file (.npz) saved with --save-landmarks; "
        "without it, live mode counts from the camera (q quits, r starts over, space pauses, f full screen)",
    )
    add_rise_options(parser)
    live = parser.add_argument_group("live mode (no VIDEO)")
    live.add_argument("--camera", metavar="N|URL|FILE", help="camera index (default 0), a stream URL (e.g. a phone as webcam), or a video file played as if it were a camera")
    live.add_argument("--no-window", action="store_true", help="no window: print what happens (reps, holds, rounds) as lines")
    live.add_argument("--mute", action="store_true", help="no sounds")
    live.add_argument("--lang", choices=["en", "de"], help="language of the window and the lines (default: from the system locale)")
    live.add_argument("--rounds", type=positive_int, metavar="N", help="target number of rounds, e.g. 3")
    live.add_argument("--reps", type=positive_int, metavar="N", help="target reps per round, e.g. 10")
    live.add_argument("--no-log", action="store_true", help="do not keep this live session in the training log")
    parser.add_argument("--json", metavar="PATH", help="write the report as JSON")
    parser.add_argument("--csv", metavar="PATH", help="write the per-frame signals as CSV")
    parser.add_argument("--annotated", metavar="PATH.mp4", help="write the video with skeleton, count and hold timer")
    parser.add_argument("--save-landmarks", metavar="PATH.npz", help="save the pose of every frame, to replay without the model")
    parser.add_argument("--model", metavar="PATH", help="a Pose Landmarker .task bundle (default: the shipped full model)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--workers", type=int, metavar="N", help="analyse a video on N threads, each with its own model (default: every core; 1: one pass)")
    parser.add_argument("--log", action="store_true", help="keep this analysis in the training log (see `posecheck history`)")
    parser.set_defaults(run=run)


def add_rise_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hold", type=float, default=3.0, metavar="S", help="target hold in seconds (default 3)")
    parser.add_argument("--height-cm", type=float, metavar="CM", help="your height, to report the lift in cm")
    parser.add_argument("--round-gap", type=float, default=15.0, metavar="S", help="a pause this long starts a new round (default 15 s)")


def config_from(args: argparse.Namespace):
    from posecheck.detect.rises import RiseConfig

    return RiseConfig(hold_target_s=args.hold, height_cm=args.height_cm, round_gap_s=args.round_gap, reps_per_round=getattr(args, "reps", None))


def run(args: argparse.Namespace) -> ExitStatus:
    lang = prepare(args.video, args.camera, (args.json, args.csv, args.annotated, args.save_landmarks), args.lang)
    if args.video:
        return run_file(args, lang)
    return run_live(args, lang)


def run_file(args: argparse.Namespace, lang: str) -> ExitStatus:
    from posecheck.media.frames import VideoFile
    from posecheck.media.sinks import VideoSink
    from posecheck.report.rises import write_samples_csv
    from posecheck.session.loop import replayed, run
    from posecheck.session.replay import load_or_extract
    from posecheck.session.rises import RisesSession
    from posecheck.session.ui import compose

    series = load_or_extract(args.video, args.model, not args.no_progress, args.workers)
    if args.save_landmarks:
        series.save(args.save_landmarks)
    session = RisesSession(config_from(args), lang)
    drawing = args.annotated and pathlib.Path(args.video).suffix.lower() != ".npz"
    if args.annotated and not drawing:
        note("--annotated needs the video, not a landmark file; skipped")
    if drawing:
        # The annotated video is drawn in the same pass, with the live window's picture.
        with VideoFile(args.video) as video, VideoSink(args.annotated, video.fps) as sink, \
                progress(len(series), "drawing", not args.no_progress) as bar:
            outcome = run(replayed(series, video), session,
                          sinks=[lambda frame, s: sink.write(compose(frame.image, s, frame.t)), lambda frame, s: bar.update(1)])
    else:
        outcome = run(replayed(series), session)
    with session.lock:
        session.finish()
    if args.csv:
        write_samples_csv(session.samples, args.csv)
    duration = len(series) / series.fps if series.fps else 0.0
    report = session.report(args.video, duration)
    return finish(report, outcome, args.json, log_to("rises") if args.log else None)


def run_live(args: argparse.Namespace, lang: str) -> ExitStatus:
    import datetime as dt

    from posecheck.session.live import Live
    from posecheck.session.rises import RisesSession

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
    return finish(report, outcome, args.json, None if args.no_log else log_to("live", started_at), session.text("line.camera_failed"))


def log_to(kind: str, started_at=None):
    """Keeps a rises report in the training log."""

    def log(report) -> None:
        from posecheck.log.store import TrainingLog

        with TrainingLog.open() as training_log:
            training_log.add_rises(report.to_json(), kind=kind, started_at=started_at)

    return log
