"""Where pictures go: an annotated video file, a picture file; both written whole (see `posecheck.media.atomic`)."""

from __future__ import annotations

import pathlib

import cv2
import numpy as np

from posecheck.errors import OutputUnwritable
from posecheck.media.atomic import replace, temporary_beside, write_bytes

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg")


class VideoSink:
    """An MP4 video written frame by frame; its size is the first frame's.

    A failure does not stop the analysis it is drawn in: the sink stops
    writing and keeps the error, and `finished()` raises it once every other
    output is written.
    """

    def __init__(self, path: str | pathlib.Path, fps: float):
        self.path = pathlib.Path(path)
        self.fps = fps if fps > 0 else 30.0
        self._partial = temporary_beside(self.path.resolve())  # beside the target of a link, renamed over it
        self._writer: cv2.VideoWriter | None = None
        self._written = 0  # frames in the file so far, at `fps`
        self.error: OutputUnwritable | None = None

    def write(self, image: np.ndarray, t: float | None = None) -> None:
        """One picture; with its time `t`, repeated or left out so that the video keeps real time
        at a constant rate (a clip with a variable frame rate plays at its own pace)."""
        if self.error is not None:
            return
        copies = 1 if t is None else round(t * self.fps) + 1 - self._written
        if copies < 1:
            return
        if self._writer is None:
            height, width = image.shape[:2]
            self._writer = cv2.VideoWriter(str(self._partial), cv2.VideoWriter_fourcc(*"mp4v"), self.fps, (width, height))
            if not self._writer.isOpened():
                self.error = OutputUnwritable(f"{self.path}: cannot write a video there; choose another path ending in .mp4")
                self.close()
                return
        for _ in range(copies):
            self._writer.write(image)
        self._written += copies

    def close(self) -> None:
        """Finish the file and put it in place (whatever was written so far)."""
        if self._writer is None:
            return
        self._writer.release()
        self._writer = None
        if self.error is not None:
            self._partial.unlink(missing_ok=True)
            return
        try:
            replace(self._partial, self.path)
        except OutputUnwritable as error:
            self.error = error

    def finished(self) -> None:
        """Raise what went wrong while writing, if anything."""
        if self.error is not None:
            raise self.error

    def __enter__(self) -> "VideoSink":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_picture(path: str | pathlib.Path, image: np.ndarray) -> None:
    """A picture in the format its name asks for: PNG or JPEG."""
    suffix = pathlib.Path(path).suffix.lower()
    if suffix not in PICTURE_SUFFIXES:
        raise OutputUnwritable(f"{path}: give a picture name ending in .png or .jpg")
    ok, data = cv2.imencode(suffix, image)
    if not ok:
        raise OutputUnwritable(f"{path}: could not encode the picture; choose a name ending in .png or .jpg")
    write_bytes(path, data.tobytes())
