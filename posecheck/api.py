"""The public API's functions (see `posecheck.__init__`); imported only when one is used, since it loads OpenCV and MediaPipe."""

from __future__ import annotations

import numpy as np

from posecheck.cli.common import load_or_extract
from posecheck.detect import capture
from posecheck.detect import check as posture
from posecheck.detect.rises import RiseConfig
from posecheck.media.frames import Frame
from posecheck.media.pictures import mean_picture
from posecheck.pose.estimator import PoseEstimator
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.report.rises import RiseReport
from posecheck.session.rises import count_rises as count


def count_rises(series, config=None):
    """The rises in a `posecheck.pose.landmarks.LandmarkSeries`, as a `posecheck.report.rises.RiseReport`."""
    config = config or RiseConfig()
    counter, _ = count(series, config)
    return RiseReport(series.source, series.duration_s, config.hold_target_s, counter)


def analyse_video(path, model: str | None = None, config=None, workers: int | None = None):
    """Run the pose model over a video file (on every core) and count its rises: a `RiseReport`."""
    return count_rises(load_or_extract(path, model, False, workers), config)


def check_frames(images, fps: float = 30.0, model: str | None = None, stature_m: float = 1.70):
    """The barefoot check of BGR frames of one person standing still: a `CheckResult` (raises `CheckRefused` if it cannot be made)."""
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
