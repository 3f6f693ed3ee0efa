from posecheck.session.routine import register  # noqa: F401
