"""posecheck: counts heel raises and checks standing posture from a webcam or a video.

The small public API (the command line does the same through `posecheck.cli`):

    import posecheck
    report = posecheck.analyse_video("clip.mp4")            # a RiseReport: report.count, report.to_json()
    report = posecheck.count_rises(series)                   # the same from a saved LandmarkSeries (.npz)
    result = posecheck.check_frames(images, fps=30.0)        # the barefoot check of BGR frames of someone standing

Heavy libraries (OpenCV, MediaPipe) load only when one of these is called.
"""

from __future__ import annotations

import os

# Decoders and the pose graph print their own warnings to the terminal; posecheck
# reports problems itself, in one line. Set before OpenCV or MediaPipe load.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("GLOG_minloglevel", "2")

__version__ = "0.1.0"
__all__ = ["analyse_video", "count_rises", "check_frames", "__version__"]


def count_rises(series, config=None):
    """The rises in a `posecheck.pose.landmarks.LandmarkSeries`, as a `posecheck.report.rises.RiseReport`."""
    from posecheck.detect.rises import RiseConfig
    from posecheck.session.replay import count_rises as count

    config = config or RiseConfig()
    counter, _ = count(series, config)
    duration = len(series) / series.fps if series.fps else 0.0
    from posecheck.report.rises import RiseReport

    return RiseReport(series.source, duration, config.hold_target_s, counter)


def analyse_video(path, model: str | None = None, config=None, workers: int | None = None):
    """Run the pose model over a video file (on every core) and count its rises: a `RiseReport`."""
    from posecheck.session.replay import load_or_extract

    return count_rises(load_or_extract(path, model, False, workers), config)


def check_frames(images, fps: float = 30.0, model: str | None = None, stature_m: float = 1.70):
    """The barefoot check of BGR frames of one person standing still: a `CheckResult` (raises `CheckRefused` if it cannot be made)."""
    import numpy as np

    from posecheck.detect import capture, check as posture
    from posecheck.media.frames import Frame
    from posecheck.media.pictures import mean_picture
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.pose.landmarks import LandmarkSeries

    images = [np.asarray(image) for image in images]
    if not images:
        raise ValueError("check_frames needs at least one frame")
    with PoseEstimator(model, still=len(images) == 1, num_poses=3 if len(images) == 1 else 1) as estimator:
        times = [i / fps for i in range(len(images))]
        poses = [estimator.detect(Frame(image, i, t, 0.0)) for i, (image, t) in enumerate(zip(images, times))]
    height, width = images[0].shape[:2]
    series = LandmarkSeries.from_frames(times, poses, fps, width, height, "frames")
    standing = capture.Capture.from_series(series, still_image=len(images) == 1)
    return posture.check_capture(standing, seconds=min(2.0, len(images) / fps), stature_m=stature_m, source="frames",
                                 pictures=lambda indices: mean_picture(images[i] for i in indices))
