"""Pictures kept from a capture: frames compressed while they come in, and their mean for reading the feet."""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import cv2
import numpy as np

from posecheck.errors import PosecheckError


def mean_picture(images: Iterable[np.ndarray]) -> np.ndarray:
    """The mean of BGR pictures (sensor noise averages out; the roll model reads the feet from it)."""
    total, count = None, 0
    for image in images:
        total = image.astype(np.float32) if total is None else total + image
        count += 1
    if not count:
        raise PosecheckError("no frames to make a picture of")
    return np.clip(np.rint(total / count), 0, 255).astype(np.uint8)


def jpeg(image: np.ndarray) -> bytes:
    """A camera frame kept for later, compressed (2 s of 720p raw would be 160 MB)."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise PosecheckError("could not keep a camera frame")
    return data.tobytes()


def unjpeg(data: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def kept_pictures(kept: Sequence[bytes]) -> Callable[[Sequence[int]], np.ndarray]:
    """`pictures(indices)` over frames kept as JPEG, one per frame of the capture."""
    return lambda indices: mean_picture(unjpeg(kept[i]) for i in indices)
