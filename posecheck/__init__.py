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
API = ("analyse_video", "count_rises", "check_frames")


def __getattr__(name: str):
    if name in API:
        from posecheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'posecheck' has no attribute {name!r}")
