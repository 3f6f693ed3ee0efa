from posecheck.log.store import register  # noqa: F401
