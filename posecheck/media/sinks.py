"""Where pictures go: an annotated video file, a picture file; both written whole (see `posecheck.media.atomic`)."""

from __future__ import annotations

import os
import pathlib

import cv2
import numpy as np

from posecheck.errors import OutputUnwritable
from posecheck.media.atomic import temporary_beside, write_bytes


class VideoSink:
    """An MP4 video written frame by frame; its size is the first frame's."""

    def __init__(self, path: str | pathlib.Path, fps: float):
        self.path = pathlib.Path(path)
        self.fps = fps if fps > 0 else 30.0
        self._partial = temporary_beside(self.path)
        self._writer: cv2.VideoWriter | None = None

    def write(self, image: np.ndarray) -> None:
        if self._writer is None:
            height, width = image.shape[:2]
            self._writer = cv2.VideoWriter(str(self._partial), cv2.VideoWriter_fourcc(*"mp4v"), self.fps, (width, height))
            if not self._writer.isOpened():
                raise OutputUnwritable(f"{self.path}: cannot write a video there; choose another path ending in .mp4")
        self._writer.write(image)

    def close(self) -> None:
        """Finish the file and put it in place (whatever was written so far)."""
        if self._writer is None:
            return
        self._writer.release()
        self._writer = None
        try:
            os.replace(self._partial, self.path)
        except OSError as error:
            self._partial.unlink(missing_ok=True)
            raise OutputUnwritable(f"{self.path}: cannot write ({error.strerror}); choose another path") from None

    def __enter__(self) -> "VideoSink":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_picture(path: str | pathlib.Path, image: np.ndarray) -> None:
    """A picture in the format its name asks for (.png, .jpg, ...)."""
    suffix = pathlib.Path(path).suffix.lower() or ".png"
    ok, data = cv2.imencode(suffix if suffix in (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff") else ".png", image)
    if not ok:
        raise OutputUnwritable(f"{path}: could not encode the picture; choose a name ending in .png or .jpg")
    write_bytes(path, data.tobytes())
