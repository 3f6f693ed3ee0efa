"""`posecheck check`: the barefoot check (weight share, foot tilt, posture snapshot) from a standing capture.

Sources: the camera (a countdown, then a few seconds of standing; `--camera N|URL|FILE`),
a still image, or a video clip (`--start`/`--seconds` choose the window, else the
stillest one). Prints a plain-language verdict in English or German, and writes an
annotated picture (`--image`) and the numbers (`--json`) on request.
"""

from __future__ import annotations

import math
import sys

from posecheck.errors import ExitStatus, PosecheckError, UsageError
from posecheck.report.check import refusal_message, verdict_lines
from posecheck.report.files import check_writable
from posecheck.report.texts import choose_language, tr

# --- command line --------------------------------------------------------------------------------


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="barefoot check: weight on each foot, foot tilt, posture snapshot",
        description="Barefoot check in front of the camera (the mirror check, automated): how the weight is shared "
                    "between the feet, whether a foot tilts inward or outward, and a posture snapshot. "
                    "A screening estimate, not a scale.",
    )
    parser.add_argument("input", nargs="?", metavar="FILE", help="a still image or a video clip (default: the camera)")
    parser.add_argument("--camera", metavar="N|URL|FILE", help="camera to use (default 0); a video file is played like a camera")
    parser.add_argument("--start", type=float, metavar="S", help="start of the window in a clip, seconds (default: the stillest window)")
    parser.add_argument("--seconds", type=float, default=2.0, metavar="D", help="length of the standing window (default 2)")
    parser.add_argument("--countdown", type=float, default=5.0, metavar="S", help="camera: seconds to get into place (default 5)")
    parser.add_argument("--sex", choices=["female", "male"], help="body segment proportions (default: the average of both)")
    parser.add_argument("--height-cm", type=float, default=170.0, metavar="CM", help="body height for centimetre values (default 170)")
    parser.add_argument("--lang", choices=["en", "de"], help="language of the verdict (default: from the system locale)")
    parser.add_argument("--image", metavar="PATH", help="write an annotated picture (PNG)")
    parser.add_argument("--json", metavar="PATH", help="write the numbers as JSON")
    parser.add_argument("--model", metavar="PATH", help="Pose Landmarker .task bundle (default: the shipped one)")
    parser.add_argument("--workers", type=int, metavar="N", help="a whole clip: analyse it on N threads, each with its own model (default: every core)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--log", action="store_true", help="keep a check of a file in the training log (camera checks are always kept)")
    parser.add_argument("--no-log", action="store_true", help="do not keep a camera check in the training log")
    parser.set_defaults(run=run)


def _capture_file(path: str, args, lang: str):
    """Landmarks of a still or a clip, plus `pictures(indices)`: the mean picture of those frames, read again."""
    from posecheck.detect import capture
    from posecheck.pose.landmarks import LandmarkSeries
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.media.frames import StillImage, open_file

    source = open_file(path)
    if isinstance(source, StillImage):
        with PoseEstimator(args.model, still=True, num_poses=3) as estimator:  # the tallest of up to 3 people
            frame = next(iter(source))
            pose = estimator.detect(frame)
        series = LandmarkSeries.from_frames([0.0], [pose], 0.0, source.width, source.height, str(path))
        return capture.Capture.from_series(series, still_image=True), (lambda indices: source.image)
    if args.start is None:  # the whole clip, on every core, to find its stillest window
        from posecheck.session.replay import extract_landmarks

        source.close()
        series = extract_landmarks(path, args.model, show_progress=not args.no_progress, workers=args.workers)
        times = [float(t) for t in series.t]
    else:  # only the window asked for
        times, poses = [], []
        end = args.start + args.seconds
        with source, PoseEstimator(args.model) as estimator:
            if sys.stderr.isatty() and not args.no_progress:
                print(tr(lang, "check.analysing", n=source.frame_count or "?"), file=sys.stderr)
            for frame in source:
                if frame.t < args.start - 1e-6:
                    continue
                if frame.t >= end - 1e-6:
                    break
                times.append(frame.t)
                poses.append(estimator.detect(frame))
        series = LandmarkSeries.from_frames(times, poses, source.fps, source.width, source.height, str(path))
    if not times:
        raise capture.CheckRefused("window", tr(lang, "check.refuse_window"))

    return capture.Capture.from_series(series), clip_pictures(path, times)


def clip_pictures(path, times):
    """`pictures(indices)`: the mean picture of those frames of a clip (`times` of its frames), read again from the file."""
    from posecheck.media.frames import open_file
    import numpy as np

    from posecheck.media.pictures import mean_picture

    def pictures(indices) -> np.ndarray:
        wanted = np.sort([times[i] for i in indices])

        def frames():
            with open_file(path) as again:
                for frame in again:
                    if frame.t > wanted[-1] + 1e-3:
                        return
                    if np.min(np.abs(wanted - frame.t)) < 1e-3:
                        yield frame.image

        try:
            return mean_picture(frames())
        except PosecheckError:
            raise PosecheckError(f"{path}: could not read the frames at {wanted[0]:.2f}-{wanted[-1]:.2f} s again") from None

    return pictures


def _capture_camera(spec, args, lang: str):
    """A countdown to get into place, then `--seconds` of standing, through the one frame loop."""
    from posecheck.detect import capture
    from posecheck.media.pictures import kept_pictures
    from posecheck.pose.landmarks import LandmarkSeries
    from posecheck.session.live import Live
    from posecheck.session.parts import CheckSession, InstructionSession

    with Live(spec, args.model, "check", no_window=True, mute=True) as live:
        print(tr(lang, "check.countdown", n=math.ceil(max(args.countdown, 0.0))), file=sys.stderr, flush=True)
        countdown = InstructionSession(tr(lang, "check.countdown", n=""), max(args.countdown, 0.0), "check", lang)
        standing = CheckSession(args.seconds, "check", lang)
        outcome = live.run(countdown) if args.countdown > 0 else None
        if outcome is None or outcome.reason == "done":
            print(tr(lang, "check.capturing", seconds=args.seconds), file=sys.stderr, flush=True)
            outcome = live.run(standing)
        if outcome.error is not None:
            raise outcome.error
        if outcome.reason == "interrupted":
            raise KeyboardInterrupt
        camera = live.camera
        series = LandmarkSeries.from_frames(standing.times, standing.poses, camera.fps, camera.width, camera.height, str(spec))
    return capture.Capture.from_series(series), kept_pictures(standing.pictures)


def run(args) -> ExitStatus:
    from posecheck.detect import capture, check as posture

    lang = choose_language(args.lang)
    if args.input and args.camera is not None:
        raise UsageError(tr(lang, "check.both_sources"))
    if args.seconds <= 0:
        raise PosecheckError("--seconds must be positive")
    for path in (args.json, args.image):
        check_writable(path)
    stature = args.height_cm / 100.0
    if not 0.5 <= stature <= 2.5:
        raise PosecheckError("--height-cm must be between 50 and 250")
    if args.input:
        standing, pictures = _capture_file(args.input, args, lang)
        source = args.input
    else:
        spec = args.camera if args.camera is not None else "0"
        standing, pictures = _capture_camera(spec, args, lang)
        source = f"camera {spec}"
    try:
        # A clip is read only within --start/--seconds when --start is given, and a camera
        # capture is that long anyway: both are analysed whole. Otherwise the stillest window.
        result = posture.check_capture(standing, seconds=args.seconds, start=None, sex=args.sex or "average",
                                       stature_m=stature, source=source, pictures=pictures)
    except capture.CheckRefused as refused:
        raise capture.CheckRefused(refused.reason, refusal_message(lang, refused.reason)) from None
    except capture.NotStill:
        raise capture.NotStill(refusal_message(lang, "moved")) from None
    lines = verdict_lines(result, lang)
    if args.json:
        from posecheck.media.atomic import write_bytes

        write_bytes(args.json, (result.to_json() + "\n").encode("utf-8"))
    if args.image:
        from posecheck.media.sinks import write_picture
        from posecheck.render.check import annotate

        write_picture(args.image, annotate(pictures([result.frame_index]), result, lang))
    print("\n".join(lines))
    if (args.log or not args.input) and not args.no_log:
        _log(result.to_dict(), source)
    return ExitStatus.OK


def _log(report: dict, source: str) -> None:
    """Keep the check in the training log; a log problem must not cost the user the result."""
    from posecheck.log.store import TrainingLog

    try:
        with TrainingLog.open() as log:
            log.add_check(report, source=source)
    except PosecheckError as error:
        print(f"posecheck: warning: the check was not logged: {error}", file=sys.stderr)
