"""`posecheck check`: the barefoot check (weight share, foot tilt, posture snapshot) from a standing capture.

Sources: the camera (a countdown, then a few seconds of standing; `--camera N|URL|FILE`),
a still image, or a video clip (`--start`/`--seconds` choose the window, else the
stillest one). Prints a plain-language verdict in English or German, and writes an
annotated picture (`--image`) and the numbers (`--json`) on request.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from posecheck.cli.common import extract_landmarks, prepare, write_outputs
from posecheck.detect import capture
from posecheck.detect import check as posture
from posecheck.errors import ExitStatus, PosecheckError, UsageError
from posecheck.log.store import TrainingLog
from posecheck.media.frames import StillImage, open_file
from posecheck.media.pictures import kept_pictures, mean_picture
from posecheck.media.sinks import write_picture
from posecheck.pose.estimator import PoseEstimator
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.render.check import annotate
from posecheck.report.check import refusal_message, verdict_lines
from posecheck.report.files import write_json
from posecheck.report.texts import tr
from posecheck.session.live import Live
from posecheck.session.parts import CheckSession, InstructionSession


def _capture_file(path: str, args, lang: str):
    """Landmarks of a still or a clip, plus `pictures(indices)`: the mean picture of those frames, read again."""
    source = open_file(path)
    if isinstance(source, StillImage):
        with PoseEstimator(args.model, still=True, num_poses=3) as estimator:  # the tallest of up to 3 people
            frame = next(iter(source))
            pose = estimator.detect(frame)
        series = LandmarkSeries.from_frames([0.0], [pose], 0.0, source.width, source.height, str(path))
        return capture.Capture.from_series(series, still_image=True), (lambda indices: source.image)
    if args.start is not None and args.start >= source.duration:  # a wrong option, not an empty window
        source.close()
        raise UsageError(tr(lang, "check.start_after_end", start=f"{args.start:g}", duration=f"{source.duration:.1f}"))
    if args.start is None:  # the whole clip, on every core, to find its stillest window

        source.close()
        series = extract_landmarks(path, args.model, show_progress=not args.no_progress, workers=args.workers)
        if series.interrupted:  # Ctrl-C: the stillest window needs the whole clip, so nothing is measured
            raise KeyboardInterrupt
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
    lang = prepare(args.input, args.camera, {"--json": args.json, "--image": args.image}, args.lang, args.model, pictures=True)
    stature = args.height_cm / 100.0
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
        raise capture.CheckRefused(refused.reason, refusal_message(lang, refused.reason, **refused.values)) from None
    except capture.NotStill:
        raise capture.NotStill(refusal_message(lang, "moved")) from None
    print("\n".join(verdict_lines(result, lang)), flush=True)
    writers = [lambda: write_json(result.to_dict(), args.json)] if args.json else []  # one failing costs nothing else
    if args.image:
        writers.append(lambda: write_picture(args.image, annotate(pictures([result.frame_index]), result, lang)))
    failed = write_outputs(writers)
    if (args.log or not args.input) and not args.no_log:
        _log(result.to_dict(), source)
    if failed is not None:
        raise failed
    return ExitStatus.OK


def _log(report: dict, source: str) -> None:
    """Keep the check in the training log; a log problem must not cost the user the result."""
    try:
        with TrainingLog.open() as log:
            log.add_check(report, source=source)
    except PosecheckError as error:
        print(f"posecheck: warning: the check was not logged: {error}", file=sys.stderr)
