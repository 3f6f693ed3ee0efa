"""Recorded frame sources: a video file (decoded by FFmpeg through PyAV) and a still image.

Every source is iterated the same way and yields `Frame`s; iterating again
starts over. A video file's frames are timed by the file's own timestamps
(variable frame rate included), turned upright by its rotation tag, and can be
sought by time. Live sources (a camera, a stream) are in `posecheck.media.camera`.
"""

from __future__ import annotations

import dataclasses
import fractions
import itertools
import math
import pathlib
import shlex
import time
from typing import Iterator

import cv2
import numpy as np

from posecheck.errors import InputNotFound, InputUnreadable

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
# A frame is at or after a time when it is no more than this before it (float rounding of pts * time_base).
TIME_EPS = 1e-6
# Damaged: this many packets in a row fail to decode (at least; or a second's worth at the frame rate).
MAX_BAD_PACKETS = 30
# After a seek, the first frame must not be later than the target; if it is, seek again this much earlier (s).
SEEK_BACKOFF_S = (1.0, 5.0, 30.0)
_ROTATE = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}


@dataclasses.dataclass
class Frame:
    image: np.ndarray  # BGR uint8, upright
    index: int  # position in the source, counting dropped frames too (after a seek: time x average rate)
    t: float  # media time in seconds (from the first frame)
    captured_at: float  # time.monotonic() when it was read


def reencode_hint(path: pathlib.Path) -> str:
    out = path.with_name(path.stem + "-h264.mp4")
    return f"re-encode it: ffmpeg -i {shlex.quote(str(path))} -c:v libx264 -pix_fmt yuv420p {shlex.quote(str(out))}"


class VideoFile:
    """Every frame of a video file, any codec FFmpeg decodes, timed by its presentation timestamps.

    `t` is pts x time_base relative to the first frame, so a variable frame
    rate gives the real times. A rotation tag (the display matrix) is applied:
    `width` and `height` are those of the upright picture. `seek(t)` makes the
    next frame yielded the first one at or after `t` (seeking to the keyframe
    before and decoding forward). Packets that fail to decode are skipped while
    they are few; a run of them raises `InputUnreadable` ("damaged").
    """

    def __init__(self, path: str | pathlib.Path, threads: bool = True):
        self.path = pathlib.Path(path)
        if not self.path.is_file():
            raise InputNotFound(f"{self.path}: no such file; check the path")
        self._threads = threads
        self._container = None
        self._seek_to: float | None = None
        self._generation = 0
        self._pts0 = None
        self._first = None
        self._open()
        stream = self._stream
        self.container_name = self._container.format.name.split(",")[0]
        self.codec_name = stream.codec_context.name
        self.time_base = stream.time_base or fractions.Fraction(1, 90000)
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        self.fps = fps if 1.0 <= fps <= 1000.0 else 30.0
        self._source = self._decoded()
        try:
            first = next(self._source, None)
        except InputUnreadable:
            first = None
        if first is None:
            self.close()
            raise self._unreadable("no frame of its video could be decoded")
        self._pts0 = first.pts if first.pts is not None else 0
        self._first = first  # handed out by the first iteration, so that opening costs no second decode
        self.rotation = (round(float(getattr(first, "rotation", 0) or 0) / 90.0) % 4) * 90  # counter-clockwise
        self.height, self.width = self._picture(first).shape[:2]
        if stream.duration:
            self.duration = float(stream.duration * self.time_base)
        elif self._container.duration:
            self.duration = self._container.duration / 1_000_000
        else:
            self.duration = 0.0
        self.frame_count = int(stream.frames) if stream.frames and stream.frames > 0 else round(self.duration * self.fps)
        if not self.duration:
            self.duration = self.frame_count / self.fps

    # ------------------------------------------------------------------ opening and decoding

    def _open(self) -> None:
        import av

        if self._container is not None:
            self._container.close()
        self._container = None
        try:
            try:  # PyAV before 19 fails on metadata that is not UTF-8 unless told to ignore it
                container = av.open(str(self.path), metadata_errors="ignore")
            except TypeError:  # PyAV 19 has no such option
                container = av.open(str(self.path))
        except Exception as error:  # noqa: BLE001 - FFmpeg's errors, OSError, UnicodeDecodeError...
            reason = getattr(error, "strerror", None) or (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise InputUnreadable(f"{self.path}: cannot be read as a video ({reason}); {reencode_hint(self.path)}") from None
        if not container.streams.video:
            name = container.format.name.split(",")[0]
            container.close()
            raise InputUnreadable(f"{self.path}: no video stream in this {name} file; {reencode_hint(self.path)}")
        self._container = container
        self._stream = container.streams.video[0]
        if getattr(self._stream, "codec_context", None) is None:  # a codec this FFmpeg has no decoder for
            name = container.format.name.split(",")[0]
            container.close()
            self._container = None
            raise InputUnreadable(f"{self.path}: cannot be read as a video ({name} container, a codec FFmpeg cannot decode); {reencode_hint(self.path)}")
        if self._threads:
            self._stream.codec_context.thread_type = "AUTO"  # frame and slice threads in FFmpeg's decoder

    def _unreadable(self, what: str) -> InputUnreadable:
        container = getattr(self, "container_name", None) or "unknown"
        codec = getattr(self, "codec_name", None) or "unknown"
        return InputUnreadable(f"{self.path}: cannot be read as a video ({container} container, {codec} codec: {what}); {reencode_hint(self.path)}")

    def _damaged(self, last_t: float | None) -> InputUnreadable:
        where = f"{last_t:.1f} s" if last_t is not None else "its start"
        of = f" of {self.duration:.1f} s" if getattr(self, "duration", 0) else ""
        return InputUnreadable(f"{self.path}: damaged: the video cannot be decoded past {where}{of}; re-encode or trim it")

    def _decoded(self):
        """PyAV frames from the demuxer's position on, in presentation order; raises where the file is damaged."""
        import av

        limit = max(MAX_BAD_PACKETS, int(getattr(self, "fps", 30.0)))
        bad = 0
        last = None
        packets = self._container.demux(self._stream)
        while True:
            try:
                packet = next(packets)
                frames = packet.decode()
            except (StopIteration, EOFError):
                return
            except av.error.FFmpegError:  # a packet that does not demux or decode: skipped, unless many in a row
                bad += 1
                if bad > limit:
                    raise self._damaged(self._time(last) if last is not None and self._pts0 is not None else None) from None
                continue
            for frame in frames:
                bad = 0
                last = frame
                yield frame

    def _time(self, frame) -> float:
        return float((frame.pts - self._pts0) * self.time_base) if frame.pts is not None else math.nan

    def _picture(self, frame) -> np.ndarray:
        """The frame as upright BGR, converted with swscale's default (BT.601) matrix, as OpenCV's FFmpeg reader does.

        Measured: converting a BT.709-tagged phone clip with its own matrix
        instead changes the landmarks enough to move counts on the real
        footage (3 of 18 clips), so the pictures stay exactly those that the
        earlier OpenCV decoder gave and the benchmarks were made with.
        """
        image = frame.to_ndarray(format="bgr24", src_colorspace="ITU601")
        turn = self.rotation // 90
        return cv2.rotate(image, _ROTATE[turn]) if turn else np.ascontiguousarray(image)

    def _positioned(self, start: float):
        """PyAV frames from the first one at or after `start` (earlier ones may come first: the caller skips them)."""
        if start <= TIME_EPS:
            if self._first is None:  # iterated before: start over
                self._open()
                self._source = self._decoded()
            return self._source
        self._first = None
        for back in (0.0, *SEEK_BACKOFF_S):
            target = start - back
            if target <= 0:
                break
            pts = self._pts0 + math.floor(fractions.Fraction(target) / self.time_base)
            try:
                self._container.seek(pts, stream=self._stream, backward=True, any_frame=False)
            except Exception:  # noqa: BLE001 - a container that cannot seek: decode from the start
                break
            source = self._decoded()
            first = next(source, None)
            if first is not None and self._time(first) <= start + TIME_EPS:
                return itertools.chain([first], source)
        self._open()  # the seek landed late every time: decode from the first frame
        return self._decoded()

    # ------------------------------------------------------------------ the interface

    def seek(self, t: float) -> None:
        """The next frame yielded (by the running iteration, or by the next one started) is the first at or after `t` seconds."""
        self._seek_to = max(float(t), 0.0)

    def __iter__(self) -> Iterator[Frame]:
        start, self._seek_to = (self._seek_to or 0.0), None
        self._generation += 1
        return self._frames(start, self._generation)

    def _frames(self, start: float, generation: int) -> Iterator[Frame]:
        while True:
            first, source = self._first, self._positioned(start)
            if start <= TIME_EPS and first is not None:
                self._first = None
                source = itertools.chain([first], source)
            index = None if start > TIME_EPS else 0
            last_t = None
            for av_frame in source:
                t = self._time(av_frame)
                if t != t:  # no timestamp: the one after the last
                    t = start if last_t is None else last_t + 1.0 / self.fps
                if t < start - TIME_EPS:
                    continue
                if index is None:
                    index = round(t * self.fps)
                image = self._picture(av_frame)
                yield Frame(image, index, t, time.monotonic())
                if generation != self._generation:  # a newer iteration took over the decoder
                    return
                last_t = t
                index += 1
                if self._seek_to is not None:
                    break
            else:
                return
            start, self._seek_to = self._seek_to, None

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None

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


def open_file(path: str | pathlib.Path) -> VideoFile | StillImage:
    """A recorded input: a still image by its suffix, otherwise a video."""
    if pathlib.Path(path).suffix.lower() in IMAGE_SUFFIXES:
        return StillImage(path)
    return VideoFile(path)
