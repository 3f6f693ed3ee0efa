"""posecheck: counts heel raises and checks standing posture from a webcam or a video."""

import os

# Decoders and the pose graph print their own warnings to the terminal; posecheck
# reports problems itself, in one line. Set before OpenCV or MediaPipe load.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("GLOG_minloglevel", "2")

__version__ = "0.1.0"
