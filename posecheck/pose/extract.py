"""Pose extraction over a whole video on every core.

One MediaPipe landmarker keeps about one core busy, so a long video is cut into
segments that worker threads analyse side by side, each with its own
landmarker and its own decoder (seeking straight to its segment), decoding on
a thread beside the model. MediaPipe releases the GIL while it runs, so
threads in one process use the cores as well as processes would, with the
libraries in memory once.

VIDEO mode tracks the person from frame to frame (each frame's search region
comes from the last one) and smooths the landmarks over time, so a landmarker
started part-way does not see exactly what a continuous run sees. Each segment
therefore starts `OVERLAP_S` early: those warm-up frames are analysed and
thrown away, so every kept frame comes from a tracker that has settled. Measured
on the footage, a settled tracker started elsewhere does not converge to the
very same landmarks as the continuous run, though: they keep differing by
about 0.001 of the image (median; a few thousandths on the extremities), the
same as when a video merely starts a second later. Segment 0 starts at the first
frame, exactly as the single loop does, and is identical to it; after the
first seam the counts are the same on every clip measured, hold times can
move by a frame or two. `workers=1` is the single loop, exactly.

(A single landmarker with its model on two threads (XNNPACK) would give identical
landmarks, but measured here it was slower than two landmarkers on an idle
machine and ten times slower on a busy one: its threads wait for each other.)

Seeking is checked: the frames either side of every seam are hashed by both
segments that decode them; if they disagree (a variable-frame-rate file whose
seek lands elsewhere), the video is analysed again in one pass.

The planning and merging are pure functions (`plan_segments`, `merge_segments`)
so they can be tested without a video.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import pathlib
import queue
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from typing import Callable

import numpy as np

from posecheck.errors import InputUnreadable, PosecheckError
from posecheck.pose.landmarks import NUM_LANDMARKS, LandmarkSeries, PoseFrame
from posecheck.pose.estimator import PoseEstimator

# Warm-up before each segment's first kept frame: measured on the footage, a
# fresh landmarker's landmarks settle to the continuous run's level of agreement
# (about 1e-3 of the image) within about a second; two leave a margin.
OVERLAP_S = 2.0
# Segments are at most this long: a worker holds a segment's landmarks until the
# segment is done (about 8 MB for 5 min at 30 fps), so a long video is cut
# into several segments per worker rather than one each ...
MAX_SEGMENT_S = 300.0
# ... and at least this long, so that the warm-up stays a small part of the work.
# A video shorter than two of these is analysed in one pass.
MIN_SEGMENT_S = 8.0
# A video that stops decoding this much (seconds, share) before the frame count its
# container announces is damaged, not just announced a little long.
LENGTH_TOLERANCE = (2.0, 0.1)
PROBE_READS = 10  # reads tried after a failed one, to tell damage from the end
SEAM_CHECK_FRAMES = 3  # frames hashed either side of each seam
PROGRESS_EVERY = 10  # a worker reports progress every this many frames


last_stats: list[dict] = []  # the timings of the last extraction, one dict per segment (for bench/speed.py)


def available_cores() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


# --------------------------------------------------------------------------- planning and merging


@dataclasses.dataclass(frozen=True)
class Segment:
    """Frames [start, keep_end) are analysed; [keep_start, keep_end) are kept; keep_end None: to the end."""

    index: int
    start: int
    keep_start: int
    keep_end: int | None

    @property
    def warmup(self) -> int:
        return self.keep_start - self.start


def plan_segments(
    frame_count: int,
    fps: float,
    workers: int,
    overlap_s: float = OVERLAP_S,
    min_segment_s: float = MIN_SEGMENT_S,
    max_segment_s: float = MAX_SEGMENT_S,
) -> list[Segment]:
    """Cut [0, frame_count) into segments whose kept ranges tile it exactly.

    One segment (the whole video, to its real end) when there is one worker,
    the length is unknown, or the video is too short to be worth splitting.
    Otherwise at least one segment per worker, at most `max_segment_s` long, a
    multiple of `workers` in number so that the last round keeps every worker
    busy, and never shorter than `min_segment_s`.

    The segments keep equal shares, so the first, which has no warm-up, ends a
    little early (about 3 % of a 64 s video on 2 cores). Sharing out the frames
    analysed instead was measured too: 3 % faster, but it moves every seam, and
    on one real clip of quick reps the count then changed (5 instead of 6; a
    rep read by the fresh landmarker as partial), where these seams give the
    single loop's count on every clip.
    """
    if workers <= 1 or frame_count <= 0 or fps <= 0:
        return [Segment(0, 0, 0, None)]
    min_frames = max(math.ceil(min_segment_s * fps), 1)
    max_frames = max(math.ceil(max_segment_s * fps), min_frames)
    count = max(workers, math.ceil(frame_count / max_frames))
    count = math.ceil(count / workers) * workers
    count = min(count, frame_count // min_frames)
    if count <= 1:
        return [Segment(0, 0, 0, None)]
    overlap = max(round(overlap_s * fps), 0)
    bounds = [round(k * frame_count / count) for k in range(count)] + [None]
    return [
        Segment(k, max(bounds[k] - overlap, 0), bounds[k], bounds[k + 1])
        for k in range(count)
    ]


@dataclasses.dataclass
class SegmentResult:
    """What a worker found in one segment: the kept frames only, and hashes of the frames around its seams."""

    segment: Segment
    image: np.ndarray  # (n, 33, 3) float32, NaN where nobody was found
    visibility: np.ndarray  # (n, 33)
    world: np.ndarray  # (n, 33, 3)
    people: np.ndarray  # (n,) int16
    hashes: dict[int, int]  # frame index -> hash of the decoded picture, near the seams
    ended_early: bool  # the video ran out (or stopped decoding) before keep_end
    damaged: bool = False  # after failing, the decoder read frames again: damaged part-way
    stats: dict = dataclasses.field(default_factory=dict)  # timings, for the benchmark

    def __post_init__(self) -> None:
        self.kept = len(self.people)
        self.spilled = False

    def __len__(self) -> int:
        return self.kept

    def release(self) -> None:
        """Drop the arrays once they are copied into the series (the counts and hashes stay)."""
        self.image = self.visibility = self.world = self.people = None


def empty_arrays(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Arrays for n frames with nobody found, as `LandmarkSeries.from_frames` fills them."""
    return (
        np.full((n, NUM_LANDMARKS, 3), np.nan, np.float32),
        np.zeros((n, NUM_LANDMARKS), np.float32),
        np.full((n, NUM_LANDMARKS, 3), np.nan, np.float32),
        np.zeros(n, np.int16),
    )


class Cancelled(Exception):
    """A segment's analysis was stopped part-way (Ctrl-C or an error elsewhere)."""


class SeamMismatch(Exception):
    """Two segments decoded different pictures for the same frame index: seeking is not exact in this file."""


def seam_frames(segment: Segment, frame_count: int | None = None, check: int = SEAM_CHECK_FRAMES) -> set[int]:
    """The frame indices a segment hashes: the last warm-up frames before its start and its last kept frames."""
    frames = set(range(max(segment.keep_start - check, segment.start), segment.keep_start))
    if segment.keep_end is not None:
        frames |= set(range(max(segment.keep_end - check, segment.keep_start), segment.keep_end))
    return frames


def damaged(path: str, frame: int, fps: float, frame_count: int | None = None) -> InputUnreadable:
    where = f"{frame / fps:.1f} s" if fps > 0 else f"frame {frame}"
    of = f" of {frame_count / fps:.1f} s" if frame_count and fps > 0 else ""
    return InputUnreadable(f"{path}: damaged: the video cannot be decoded past {where}{of}; re-encode or trim it")


def check_order(results: Sequence[SegmentResult], path: str = "video", fps: float = 0.0, frame_count: int | None = None) -> int:
    """How many frames the merged series has; raises where the video is damaged part-way.

    Damaged: a segment stopped short of its end but a later one decoded frames,
    a decoder read frames again after failing once, or the video stopped well
    before the length its container announces (more than `LENGTH_TOLERANCE`).
    A frame count a little too high is normal for some containers: the video
    then simply ends there, as a single pass would.
    """
    total = 0
    stopped_at = None
    for result in sorted(results, key=lambda r: r.segment.index):
        seg = result.segment
        if stopped_at is not None and len(result):
            raise damaged(path, stopped_at, fps, frame_count)
        if result.damaged:
            raise damaged(path, seg.keep_start + len(result), fps, frame_count)
        total += len(result)
        expected = None if seg.keep_end is None else seg.keep_end - seg.keep_start
        if (expected is not None and len(result) < expected) or (expected is None and result.ended_early):
            stopped_at = seg.keep_start + len(result)
    if frame_count and fps > 0 and frame_count - total > max(LENGTH_TOLERANCE[0] * fps, LENGTH_TOLERANCE[1] * frame_count):
        raise damaged(path, total, fps, frame_count)
    return total


def check_seams(results: Sequence[SegmentResult]) -> None:
    """Both sides of every seam must have decoded the same pictures."""
    ordered = sorted(results, key=lambda r: r.segment.index)
    for before, after in zip(ordered, ordered[1:]):
        shared = before.hashes.keys() & after.hashes.keys()
        if any(before.hashes[i] != after.hashes[i] for i in shared):
            raise SeamMismatch(f"segment {after.segment.index} does not start where segment {before.segment.index} ends")
        before_complete = before.segment.keep_end is not None and len(before) == before.segment.keep_end - before.segment.keep_start
        if len(after) and before_complete and not shared and after.segment.warmup:
            raise SeamMismatch(f"segments {before.segment.index} and {after.segment.index} have no frame in common to compare")


class Assembler:
    """Gathers the segments' frames into the series' arrays, holding no frame twice.

    With `spill_dir`, each segment's arrays go to a file there as they arrive
    and are read back by `finish`, once the workers have exited: the landmarks
    of a long video (about 100 MB an hour) are then never in memory at the
    same time as the workers. Without it they are copied in place at once.
    """

    def __init__(self, frame_count: int = 0, spill_dir: pathlib.Path | None = None):
        self.frame_count = max(frame_count, 0)
        self.spill_dir = spill_dir
        self.arrays = None if spill_dir else empty_arrays(self.frame_count)
        self.results: list[SegmentResult] = []

    def add(self, result: SegmentResult) -> None:
        parts = (result.image, result.visibility, result.world, result.people)
        result.spilled = False
        if self.spill_dir is not None:
            try:
                np.savez(self.spill_dir / f"segment{result.segment.index}.npz", image=parts[0], visibility=parts[1], world=parts[2], people=parts[3])
                result.spilled = True
            except OSError:  # no room in the temp dir, or it was cleaned away: keep this one in memory
                pass
        if not result.spilled:
            self._copy(result.segment.keep_start, parts)
        result.release()
        self.results.append(result)

    def _copy(self, start: int, parts) -> None:
        n = len(parts[3])
        if self.arrays is None:
            self.arrays = empty_arrays(self.frame_count)
        if start + n > len(self.arrays[3]):
            grown = empty_arrays(max(start + n, int(len(self.arrays[3]) * 1.25)))
            for old, new in zip(self.arrays, grown):
                new[: len(old)] = old
            self.arrays = grown
        for target, part in zip(self.arrays, parts):
            target[start:start + n] = part

    def finish(self, fps: float, width: int, height: int, source: str = "", path: str = "video", frame_count: int | None = None) -> LandmarkSeries:
        total = check_order(self.results, path, fps, frame_count)
        check_seams(self.results)
        if self.spill_dir is not None:
            for result in self.results:
                if len(result) and result.spilled:
                    with np.load(self.spill_dir / f"segment{result.segment.index}.npz") as saved:
                        self._copy(result.segment.keep_start, (saved["image"], saved["visibility"], saved["world"], saved["people"]))
        if self.arrays is None:
            self.arrays = empty_arrays(0)
        image, visibility, world, people = (a[:total] for a in self.arrays)
        t = np.arange(total, dtype=np.float64) / fps
        return LandmarkSeries(t, image, visibility, world, people, fps, width, height, source)


def merge_segments(
    results: Sequence[SegmentResult], fps: float, width: int, height: int, source: str = "", path: str = "video", frame_count: int | None = None,
) -> LandmarkSeries:
    """The kept frames of every segment, in order, as one series (raises where damaged, or on a seam that does not match)."""
    assembler = Assembler(frame_count or sum(len(r) for r in results))
    for result in results:
        assembler.add(result)
    return assembler.finish(fps, width, height, source, path, frame_count)


# --------------------------------------------------------------------------- decoding and the model


def picture_hash(image: np.ndarray) -> int:
    return zlib.crc32(np.ascontiguousarray(image[::8, ::8]).data)


def video_frame(bgr: np.ndarray, index: int, fps: float):
    """A Frame as `VideoFile` yields it: BGR, timed by its index (PoseEstimator.detect converts it)."""
    from posecheck.media.frames import Frame

    return Frame(bgr, index, index / fps, time.monotonic())


_cv2 = None


def cv2_module():
    global _cv2
    if _cv2 is None:
        import cv2

        _cv2 = cv2
    return _cv2


class FrameReader:
    """Decodes on its own thread, a few frames ahead of the model (or inline).

    `nice` lowers the decode thread's priority (Linux). Left at 0: with other
    work on the machine a low-priority decoder starves and the model waits.
    """

    def __init__(self, capture, first_index: int, stop_index: int | None, fps: float, hash_frames: set[int],
                 threaded: bool = True, ahead: int = 3, nice: int = 0):
        self._capture = capture
        self._index = first_index
        self._stop = stop_index
        self._fps = fps
        self._hash_frames = hash_frames
        self._nice = nice
        self.hashes: dict[int, int] = {}
        self.ended_early = False
        self.damaged = False
        self.decode_s = 0.0  # time spent decoding (on the decode thread, when threaded)
        self.error: BaseException | None = None
        self._closed = threading.Event()
        self._thread = None
        if threaded:
            self._queue: queue.Queue = queue.Queue(maxsize=ahead)
            self._thread = threading.Thread(target=self._run, name="decode", daemon=True)
            self._thread.start()

    def _frames(self) -> Iterator:
        index = self._index
        while not self._closed.is_set() and (self._stop is None or index < self._stop):
            started = time.perf_counter()
            ok, image = self._capture.read()
            if not ok:
                self.ended_early = True
                self.damaged = any(self._capture.read()[0] for _ in range(PROBE_READS))
                return
            if index in self._hash_frames:
                self.hashes[index] = picture_hash(image)
            frame = video_frame(image, index, self._fps)
            self.decode_s += time.perf_counter() - started
            yield frame
            index += 1

    def _run(self) -> None:
        if self._nice and hasattr(os, "setpriority"):
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self._nice)
            except OSError:
                pass
        try:
            for frame in self._frames():
                self._put(frame)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer
            self.error = error
        finally:
            self._put(None)

    def _put(self, item) -> None:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self):
        if self._thread is None:
            yield from self._frames()
            return
        while True:
            item = self._queue.get()
            if item is None:
                if self.error is not None:
                    raise self.error
                return
            yield item

    def close(self) -> None:
        self._closed.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)


def open_capture(path: str | pathlib.Path, start: int = 0):
    cv2 = cv2_module()
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise InputUnreadable(f"{path}: cannot be read as a video (corrupt, or not a video file)")
    if start > 0:
        capture.set(cv2.CAP_PROP_POS_FRAMES, start)
    return capture


def analyse_segment(
    path: str | pathlib.Path,
    model: str | None,
    segment: Segment,
    fps: float,
    frame_count: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    alive: Callable[[], bool] | None = None,
    decode_thread: bool = True,
    estimator: PoseEstimator | None = None,
) -> SegmentResult:
    """Run a landmarker over one segment: warm-up frames first, then the kept frames.

    Without `estimator` a fresh landmarker is started and closed here. With
    one, it goes on from an earlier segment of the same video (timestamps must
    keep rising) and stays open for the caller.
    """
    started = time.perf_counter()
    capacity = (segment.keep_end - segment.keep_start) if segment.keep_end is not None else max((frame_count or 0) - segment.keep_start, 0)
    store = _GrowingArrays(capacity)
    capture = open_capture(path, segment.start)
    owned = estimator is None
    if owned:
        estimator = PoseEstimator(model)
    timed = _time_model(estimator)
    model_before = timed.seconds
    reader = FrameReader(capture, segment.start, segment.keep_end, fps, seam_frames(segment), threaded=decode_thread)
    pending = analysed = 0
    loop_started = time.perf_counter()
    try:
        with estimator if owned else contextlib.nullcontext():
            for frame in reader:
                pose = estimator.detect(frame)
                analysed += 1
                if alive is not None and not alive():
                    raise Cancelled
                if frame.index >= segment.keep_start:
                    store.append(pose)
                    pending += 1
                    if pending >= PROGRESS_EVERY:
                        if on_progress:
                            on_progress(pending)
                        pending = 0
    finally:
        reader.close()
        capture.release()
    if on_progress and pending:
        on_progress(pending)
    image, visibility, world, people = store.arrays()
    ended = time.perf_counter()
    stats = {
        "frames": analysed,  # warm-up included
        "model_s": timed.seconds - model_before,  # in MediaPipe's detect_for_video
        "loop_s": ended - loop_started,  # the frame loop, wall time
        "decode_s": reader.decode_s,  # decoding (on the decode thread when it has one)
        "setup_s": loop_started - started,  # opening the video and the model
    }
    return SegmentResult(segment, image, visibility, world, people, reader.hashes, reader.ended_early, reader.damaged, stats)


class _TimedLandmarker:
    """Adds up the time spent in MediaPipe's detect_for_video (for the benchmark's accounting)."""

    def __init__(self, inner):
        self._inner = inner
        self.seconds = 0.0

    def detect_for_video(self, image, stamp):
        started = time.perf_counter()
        try:
            return self._inner.detect_for_video(image, stamp)
        finally:
            self.seconds += time.perf_counter() - started

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _time_model(estimator: PoseEstimator) -> _TimedLandmarker:
    inner = getattr(estimator, "_landmarker", None)
    if isinstance(inner, _TimedLandmarker):  # carried on from an earlier segment
        return inner
    timed = _TimedLandmarker(inner)
    if inner is not None:
        estimator._landmarker = timed
    return timed


class _GrowingArrays:
    """Per-frame landmark arrays filled in place (no per-frame Python objects kept)."""

    def __init__(self, capacity: int):
        self._arrays = empty_arrays(max(capacity, 16))
        self._n = 0

    def append(self, pose: PoseFrame | None) -> None:
        if self._n == len(self._arrays[3]):
            grown = empty_arrays(len(self._arrays[3]) * 2)
            for old, new in zip(self._arrays, grown):
                new[:self._n] = old[:self._n]
            self._arrays = grown
        if pose is not None:
            image, visibility, world, people = self._arrays
            i = self._n
            image[i], visibility[i], world[i], people[i] = pose.image, pose.visibility, pose.world, pose.people
        self._n += 1

    def arrays(self):
        return tuple(a[:self._n].copy() if self._n < len(a) else a for a in self._arrays)


# --------------------------------------------------------------------------- one pass in this process


def extract_single(path: str | pathlib.Path, model: str | None, fps: float, width: int, height: int, frame_count: int, on_progress: Callable[[int], None] | None = None) -> LandmarkSeries:
    """The whole video in one pass, decoding on a thread beside the model."""
    result = analyse_segment(path, model, Segment(0, 0, 0, None), fps, frame_count, on_progress)
    last_stats[:] = [result.stats]
    return merge_segments([result], fps, width, height, pathlib.Path(path).name, str(path), frame_count)


# --------------------------------------------------------------------------- worker threads


def _libc():
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return None


def limit_malloc_arenas(count: int = 2) -> None:
    """Let malloc keep at most `count` arenas (glibc only; elsewhere nothing).

    By default every thread that allocates may get an arena of its own, and
    memory freed in one is not reused by another: measured when every segment
    still built a fresh landmarker, 434 MB grew to 564 MB over ten one-minute
    segments; with two arenas and `release_memory` after each segment it stayed
    within 430-495 MB. Set before the worker threads start.
    """
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-8, count)  # M_ARENA_MAX


def release_memory() -> None:
    """Hand memory freed by a finished segment (its frames and arrays) back to the system (glibc only; elsewhere nothing)."""
    import gc

    gc.collect()
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def extract_parallel(
    path: str | pathlib.Path,
    model: str | None,
    segments: list[Segment],
    fps: float,
    width: int,
    height: int,
    frame_count: int,
    workers: int,
    on_progress: Callable[[int], None] | None = None,
) -> LandmarkSeries:
    """Analyse the segments on worker threads and merge them; raises SeamMismatch if seeking was not exact."""
    with tempfile.TemporaryDirectory(prefix="posecheck-") as spill:
        assembler = Assembler(frame_count, pathlib.Path(spill))
        run_segments(path, model, segments, fps, frame_count, workers, on_progress or (lambda n: None), assembler.add)
        last_stats[:] = [result.stats for result in assembler.results]
        return assembler.finish(fps, width, height, pathlib.Path(path).name, str(path), frame_count)


def run_segments(path, model, segments: list[Segment], fps: float, frame_count: int, workers: int,
                 on_progress: Callable[[int], None], on_result: Callable[[SegmentResult], None]) -> None:
    """Thread k analyses segments k, k + workers, k + 2 workers, ... with one landmarker.

    MediaPipe lets go of the GIL while its graph runs, so landmarkers on two
    threads keep two cores busy in one process, which holds the libraries once:
    on the 64 s clip of bench/speed.py, 399 MB against 568 MB summed over a
    parent and two worker processes, at about the same speed (1.83x the single
    loop against 1.85x, best runs).

    A thread's landmarker goes on from one of its segments to the next (later
    in the video, after that segment's warm-up): every landmarker started left
    10-20 MB behind when closed, so an hour of video with a fresh one per
    segment crept up to 498 MB; carried on, it stays at 413-426 MB. The
    segments are dealt out in a fixed order, so which landmarker reads which
    segment, and so the landmarks, do not depend on how fast each thread runs.

    Progress and results come back to the calling thread, so callbacks need no
    locks and Ctrl-C lands there: the workers are then told to stop and finish
    within a few frames.
    """
    threads_count = min(workers, len(segments))
    reports: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def work(mine: list[Segment]) -> None:
        estimator = None
        try:
            for segment in mine:
                if stop.is_set():
                    break
                try:
                    estimator = estimator or PoseEstimator(model)
                    result = analyse_segment(
                        path, model, segment, fps, frame_count,
                        on_progress=lambda n: reports.put(("progress", n)),
                        alive=lambda: not stop.is_set(),
                        estimator=estimator,
                    )
                except Cancelled:
                    break
                except PosecheckError as error:
                    reports.put(("error", error))
                    break
                except Exception as error:  # noqa: BLE001 - reported as one line below
                    first_line = (str(error).strip().splitlines() or [""])[0]
                    reports.put(("error", InputUnreadable(
                        f"{path}: analysis failed in segment {segment.index} ({type(error).__name__}: {first_line}); try --workers 1")))
                    break
                reports.put(("done", result))
                del result
                release_memory()
        finally:
            if estimator is not None:
                estimator.close()
            reports.put(("exit", None))

    limit_malloc_arenas()
    threads = [threading.Thread(target=work, args=(segments[k::threads_count],), name=f"segment-worker-{k}", daemon=True)
               for k in range(threads_count)]
    for thread in threads:
        thread.start()
    running = len(threads)
    try:
        while running:
            try:
                kind, payload = reports.get(timeout=0.5)  # a timeout, so that Ctrl-C is seen at once
            except queue.Empty:
                continue
            if kind == "progress":
                on_progress(payload)
            elif kind == "done":
                on_result(payload)
            elif kind == "error":
                raise payload
            else:
                running -= 1
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def extract(
    path: str | pathlib.Path,
    model: str | None = None,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_restart: Callable[[], None] | None = None,
    probe: tuple[float, int, int, int] | None = None,
) -> LandmarkSeries:
    """The pose in every frame of a video, on `workers` threads (default: every core).

    `probe` is (fps, frame_count, width, height) when the caller has already opened the video.
    """
    if probe is None:
        from posecheck.media.frames import VideoFile

        with VideoFile(path) as video:
            probe = (video.fps, video.frame_count, video.width, video.height)
    fps, frame_count, width, height = probe
    workers = available_cores() if workers is None or workers <= 0 else workers
    segments = plan_segments(frame_count, fps, workers)
    if len(segments) > 1:
        try:
            return extract_parallel(path, model, segments, fps, width, height, frame_count, workers, on_progress)
        except SeamMismatch:
            if on_restart:
                on_restart()  # seeking is not exact in this file: start again in one pass
    return extract_single(path, model, fps, width, height, frame_count, on_progress)
