"""A live source: a camera by index or a stream URL (OpenCV), or a video file played as a camera (the file decoder).

A thread reads the device as fast as it delivers and keeps only the newest
frame; iteration takes the newest and counts the ones it skipped.
"""

from __future__ import annotations

import pathlib
import threading
import time
from typing import Iterator

import cv2

from posecheck.errors import CameraUnavailable
from posecheck.media.frames import Frame, VideoFile
from posecheck.media.quiet import quiet_native_stderr


class Camera:
    """A live source that always hands out the newest frame.

    A thread reads the device as fast as it delivers and keeps only the newest
    frame, so latency never builds up. Iterating takes frames in order of
    arrival, skipping to the newest; the ones it never took are counted in
    `dropped`. `latest()` lets a second reader (the window) look at the newest
    frame without taking it. A video file given here is played at the pace of
    its own time stamps, as if it were a camera (that is how live mode is
    tested); it is read with `VideoFile`, so every codec and a variable frame
    rate play as offline analysis reads them.

    When the device stops delivering (unplugged, the stream died, or no
    picture for `stall_s` seconds) iteration ends and `failed` is set; at the
    end of a file it just ends.
    """

    def __init__(self, spec: int | str, open_timeout: float = 5.0, stall_s: float = 5.0):
        self.spec = spec
        self.is_file = isinstance(spec, str) and pathlib.Path(spec).is_file()
        if isinstance(spec, str) and not self.is_file and "://" not in spec:
            raise CameraUnavailable(f"camera {spec!r}: no such file or camera; use --camera N, a URL, or a video file")
        self._capture = None
        self._video = None
        if self.is_file:
            self._video = VideoFile(spec)
            self.fps, self.width, self.height = self._video.fps, self._video.width, self._video.height
        else:
            self._capture = _open_device(spec)
            fps = self._capture.get(cv2.CAP_PROP_FPS)
            self.fps = fps if 1.0 <= fps <= 240.0 else 30.0
            self.width = int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH))
            self.height = int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        self.stall_s = stall_s
        self.frame_count = 0  # frames delivered by the device so far
        self.dropped = 0  # frames iteration skipped because a newer one had arrived
        self.failed = False  # the device stopped delivering before it was closed
        self._latest: Frame | None = None
        self._taken_index = -1
        self._done = False
        self._stop = threading.Event()
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._read_loop, name="camera", daemon=True)
        self._thread.start()
        with self._ready:
            self._ready.wait_for(lambda: self._latest is not None or self._done, timeout=open_timeout)
        if self._latest is None:
            self.close()
            raise CameraUnavailable(f"camera {spec} opened but sent no picture; check it or use --camera N|URL|FILE")
        self.height, self.width = self._latest.image.shape[:2]

    @property
    def reached_s(self) -> float:
        """How far into the source the newest frame is, to the end of that frame."""
        return self._latest.t + 1 / self.fps if self._latest is not None else 0.0

    @property
    def done(self) -> bool:
        """No more frames will come: end of file, failure, or closed."""
        return self._done

    def _read_loop(self) -> None:
        index = 0
        started = time.monotonic()
        recorded = iter(self._video) if self._video is not None else None
        try:
            while not self._stop.is_set():
                if recorded is not None:  # a file: each frame at the time its stamp says
                    frame = next(recorded, None)
                    if frame is None:
                        break
                    delay = started + frame.t - time.monotonic()
                    if delay > 0 and self._stop.wait(delay):
                        break
                    image, t = frame.image, frame.t
                    captured_at = time.monotonic()
                else:
                    ok, image = self._capture.read()
                    captured_at = time.monotonic()
                    if not ok or image is None:
                        self.failed = not self._stop.is_set()
                        break
                    t = captured_at - started
                frame = Frame(image, index, t, captured_at)
                with self._ready:
                    self._latest = frame
                    self.frame_count = index + 1
                    self._ready.notify_all()
                index += 1
        except Exception:  # a driver error mid-stream: end like an unplugged camera
            self.failed = not self._stop.is_set()
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def latest(self, after: int = -1, timeout: float | None = None) -> Frame | None:
        """The newest frame if it is newer than index `after` (waiting up to `timeout`), else None. Takes nothing."""
        with self._ready:
            self._ready.wait_for(lambda: (self._latest is not None and self._latest.index > after) or self._done, timeout=timeout)
            frame = self._latest
        return frame if frame is not None and frame.index > after else None

    def __iter__(self) -> Iterator[Frame]:
        while True:
            with self._ready:
                fresh = lambda: (self._latest is not None and self._latest.index > self._taken_index) or self._done  # noqa: E731
                if not self._ready.wait_for(fresh, timeout=self.stall_s):
                    self.failed = True  # no picture for stall_s seconds: treat the device as gone
                    return
                frame = self._latest
                if frame is None or frame.index <= self._taken_index:
                    return
            self.dropped += frame.index - self._taken_index - 1
            self._taken_index = frame.index
            yield frame

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
        if not self._thread.is_alive():  # never release under a read that is still blocked
            if self._capture is not None:
                self._capture.release()
            if self._video is not None:
                self._video.close()
        with self._ready:
            self._done = True
            self._ready.notify_all()

    def __enter__(self) -> "Camera":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _open_device(spec: int | str) -> cv2.VideoCapture:
    _quiet_opencv()
    with quiet_native_stderr():  # OpenCV and FFmpeg print their own lines when a device is missing
        capture = cv2.VideoCapture(spec)
        opened = capture.isOpened()
    if not opened:
        capture.release()
        raise CameraUnavailable(f"camera {spec} could not be opened (absent, in use, or no permission); try another with --camera N|URL|FILE")
    return capture


def _quiet_opencv() -> None:
    """OpenCV's own warnings (a missing /dev/videoN, a backend it tried) are not for the user."""
    try:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    except AttributeError:  # an OpenCV build without the logging module
        pass


def parse_camera(spec: str | int) -> int | str:
    """'0' -> 0 (a device index); anything else stays a URL or file path."""
    if isinstance(spec, int):
        return spec
    return int(spec) if spec.strip().isdigit() else spec
