"""`posecheck rises`: count heel raises in a recorded video (or a saved landmark series)."""

from __future__ import annotations

import argparse
import sys

from posecheck.errors import ExitStatus, NoPerson
from posecheck.session.live import positive_int
from posecheck.session.replay import count_rises, load_or_extract, write_annotated
from posecheck.report.rises import RiseReport, check_writable, write_json, write_samples_csv
from posecheck.detect.rises import RiseConfig


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


def config_from(args: argparse.Namespace) -> RiseConfig:
    return RiseConfig(
        hold_target_s=args.hold, height_cm=args.height_cm, round_gap_s=args.round_gap, reps_per_round=getattr(args, "reps", None)
    )


def log_session(report: dict, kind: str) -> None:
    from posecheck.log.store import TrainingLog

    with TrainingLog.open() as log:
        log.add_rises(report, kind=kind)


def run(args: argparse.Namespace) -> ExitStatus:
    if not args.video or args.camera is not None:
        if args.video:
            print("posecheck: error: give either a video or --camera, not both", file=sys.stderr)
            return ExitStatus.USAGE
        from posecheck.session import live

        return live.run(args, config_from(args))
    for path in (args.json, args.csv, args.annotated, args.save_landmarks):
        check_writable(path)
    show_progress = not args.no_progress
    series = load_or_extract(args.video, args.model, show_progress, args.workers)
    if args.save_landmarks:
        series.save(args.save_landmarks)
    config = config_from(args)
    counter, samples = count_rises(series, config)
    report = RiseReport(args.video, len(series) / series.fps if series.fps else 0.0, config.hold_target_s, counter)
    if args.json:
        write_json(report.to_json(), args.json)
    if args.csv:
        write_samples_csv(samples, args.csv)
    if args.annotated:
        if str(args.video).lower().endswith(".npz"):
            print("posecheck: note: --annotated needs the video, not a landmark file; skipped", file=sys.stderr)
        else:
            write_annotated(args.video, series, config, args.annotated, show_progress)
    print(report.summary())
    if args.log and report.usable:
        log_session(report.to_json(), kind="rises")
    if not report.usable:
        raise NoPerson(f"{args.video}: no whole person (head to feet) was found standing in view; nothing was counted")
    return ExitStatus.OK
