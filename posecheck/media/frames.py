"""Frame sources: a video file, a camera (index, URL, or a file played as a camera), a still image.

Every source is iterated the same way and yields `Frame`s. Offline analysis reads
every frame of a file; a camera yields only the newest frame and drops stale ones.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pathlib
import sys
import threading
import time
from typing import Iterator

import cv2
import numpy as np

from posecheck.errors import CameraUnavailable, InputNotFound, InputUnreadable

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}


@dataclasses.dataclass
class Frame:
    image: np.ndarray  # BGR, as OpenCV decodes it
    index: int  # position in the source, counting dropped frames too
    t: float  # media time in seconds
    captured_at: float  # time.monotonic() when it was read


class VideoFile:
    """Every frame of a video file, timed by its index and the file's frame rate."""

    def __init__(self, path: str | pathlib.Path):
        self.path = pathlib.Path(path)
        if not self.path.is_file():
            raise InputNotFound(f"{self.path}: no such file; check the path")
        self._capture = cv2.VideoCapture(str(self.path))
        ok, first = self._capture.read() if self._capture.isOpened() else (False, None)
        if not ok:
            raise InputUnreadable(f"{self.path}: cannot be read as a video (corrupt, or not a video file)")
        self._first = first
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = fps if 1.0 <= fps <= 1000.0 else 30.0
        self.frame_count = max(int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
        self.height, self.width = first.shape[:2]

    @property
    def duration(self) -> float:
        return self.frame_count / self.fps

    def __iter__(self) -> Iterator[Frame]:
        index = 0
        image = self._first
        self._first = None
        if image is None:  # iterated a second time: start over
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._capture.read()
            if not ok:
                return
        while image is not None:
            yield Frame(image, index, index / self.fps, time.monotonic())
            index += 1
            ok, image = self._capture.read()
            if not ok:
                image = None

    def close(self) -> None:
        self._capture.release()

    def __enter__(self) -> "VideoFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class StillImage:
    """A single picture, yielded once."""

    fps = 0.0
    frame_count = 1

    def __init__(self, path: str | pathlib.Path):
        self.path = pathlib.Path(path)
        if not self.path.is_file():
            raise InputNotFound(f"{self.path}: no such file; check the path")
        self.image = cv2.imread(str(self.path))
        if self.image is None:
            raise InputUnreadable(f"{self.path}: cannot be read as an image (corrupt, or not an image)")
        self.height, self.width = self.image.shape[:2]

    def __iter__(self) -> Iterator[Frame]:
        yield Frame(self.image, 0, 0.0, time.monotonic())

    def close(self) -> None:
        pass

    def __enter__(self) -> "StillImage":
        return self

    def __exit__(self, *exc) -> None:
        pass


class Camera:
    """A live source that always hands out the newest frame.

    A thread reads the device as fast as it delivers and keeps only the newest
    frame, so latency never builds up. Iterating takes frames in order of
    arrival, skipping to the newest; the ones it never took are counted in
    `dropped`. `latest()` lets a second reader (the window) look at the newest
    frame without taking it. A video file given here is played at its own
    frame rate, as if it were a camera (that is how live mode is tested).

    When the device stops delivering (unplugged, the stream died, or no
    picture for `stall_s` seconds) iteration ends and `failed` is set; at the
    end of a file it just ends.
    """

    def __init__(self, spec: int | str, open_timeout: float = 5.0, stall_s: float = 5.0):
        self.spec = spec
        self.is_file = isinstance(spec, str) and pathlib.Path(spec).is_file()
        if isinstance(spec, str) and not self.is_file and "://" not in spec:
            raise CameraUnavailable(f"camera {spec!r}: no such file or camera; use --camera N, a URL, or a video file")
        _quiet_opencv()
        with quiet_native_stderr():  # OpenCV and FFmpeg print their own lines when a device is missing
            self._capture = cv2.VideoCapture(spec)
            opened = self._capture.isOpened()
        if not opened:
            self._capture.release()
            raise CameraUnavailable(
                f"camera {spec} could not be opened (absent, in use, or no permission); try another with --camera N|URL|FILE"
            )
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
    def done(self) -> bool:
        """No more frames will come: end of file, failure, or closed."""
        return self._done

    def _read_loop(self) -> None:
        index = 0
        started = time.monotonic()
        try:
            while not self._stop.is_set():
                if self.is_file:  # play at the file's own pace
                    delay = started + index / self.fps - time.monotonic()
                    if delay > 0 and self._stop.wait(delay):
                        break
                ok, image = self._capture.read()
                captured_at = time.monotonic()
                if not ok or image is None:
                    self.failed = not self.is_file and not self._stop.is_set()
                    break
                t = index / self.fps if self.is_file else captured_at - started
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
            self._capture.release()
        with self._ready:
            self._done = True
            self._ready.notify_all()

    def __enter__(self) -> "Camera":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _quiet_opencv() -> None:
    """OpenCV's own warnings (a missing /dev/videoN, a backend it tried) are not for the user."""
    try:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    except AttributeError:  # an OpenCV build without the logging module
        pass


class _StderrSilencer:
    """fd 2 pointed at /dev/null while anyone wants it quiet.

    fd 2 belongs to the whole process, so threads that quieten it at the same
    time (two landmarkers starting side by side) share one redirection: the
    first in saves the terminal, the last out puts it back.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._users = 0
        self._saved: int | None = None

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = None
                try:
                    sys.stderr.flush()
                    self._saved = os.dup(2)
                except (OSError, ValueError):  # no real fd 2 (e.g. captured by a test runner)
                    pass
                if self._saved is not None:
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(devnull, 2)
                    os.close(devnull)
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._saved is not None:
                os.dup2(self._saved, 2)
                os.close(self._saved)
                self._saved = None


_stderr_silencer = _StderrSilencer()


@contextlib.contextmanager
def quiet_native_stderr():
    """Native libraries (FFmpeg, V4L2, MediaPipe's graph) write straight to fd 2; keep that off the user's terminal."""
    _stderr_silencer.enter()
    try:
        yield
    finally:
        _stderr_silencer.leave()


def parse_camera(spec: str | int) -> int | str:
    """'0' -> 0 (a device index); anything else stays a URL or file path."""
    if isinstance(spec, int):
        return spec
    return int(spec) if spec.strip().isdigit() else spec


def open_file(path: str | pathlib.Path) -> VideoFile | StillImage:
    """A recorded input: a still image by its suffix, otherwise a video."""
    if pathlib.Path(path).suffix.lower() in IMAGE_SUFFIXES:
        return StillImage(path)
    return VideoFile(path)
