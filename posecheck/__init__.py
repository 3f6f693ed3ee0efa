"""posecheck: counts heel raises and checks standing posture from a webcam or a video."""

__version__ = "0.1.0"
