"""Pose extraction over a whole video, on every core.

One MediaPipe landmarker keeps about one core busy, so a long video is cut into
segments (`posecheck.pose.segments`) that worker threads analyse side by side,
each with its own landmarker and its own `VideoFile`, sought to its segment by
time, decoding on a thread beside the model. MediaPipe releases the GIL while
it runs, so threads in one process use the cores as well as processes would,
with the libraries in memory once.

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

Seeking is checked: the pictures either side of every seam are hashed by both
segments that decode them, keyed by their timestamps; if they disagree (a file
whose seek lands elsewhere), the video is analysed again in one pass.

Timings (for bench/speed.py) come back through the optional `stats` list: one
dict per segment.
"""

from __future__ import annotations

import os
import pathlib
import queue
import tempfile
import threading
import time
import zlib
from typing import Callable

import numpy as np

from posecheck.errors import InputUnreadable, PosecheckError
from posecheck.media.frames import VideoFile
from posecheck.pose.estimator import PoseEstimator
from posecheck.pose.landmarks import LandmarkSeries, PoseFrame
from posecheck.pose.memory import limit_malloc_arenas, release_memory
from posecheck.pose.segments import (
    TIME_EPS, Assembler, SeamMismatch, Segment, SegmentResult, empty_arrays, in_windows, merge_segments, plan_segments,
    seam_windows, time_key,
)

PROGRESS_EVERY = 10  # a worker reports progress every this many frames

Progress = Callable[[int], None]  # frames newly done


def available_cores() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, SIGHUP) during the analysis; `series` holds the frames from the start up to then."""

    def __init__(self, series: LandmarkSeries):
        super().__init__()
        self.series = series


def picture_hash(image: np.ndarray) -> int:
    return zlib.crc32(np.ascontiguousarray(image[::8, ::8]).data)


# --------------------------------------------------------------------------- one segment


class FrameReader:
    """A video's frames up to `stop_t`, decoded on a thread of their own a few frames ahead of the model (or inline).

    Hashes the pictures whose times fall in `seam`. `ended_early`: the video
    ran out before `stop_t`.
    """

    def __init__(self, video: VideoFile, stop_t: float | None, seam: list[tuple[float, float]], threaded: bool = True, ahead: int = 3):
        self._video = video
        self._stop_t = stop_t
        self._seam = seam
        self.hashes: dict[int, int] = {}
        self.ended_early = False
        self.decode_s = 0.0  # time spent decoding (on the decode thread, when threaded)
        self.error: BaseException | None = None
        self._closed = threading.Event()
        self._thread = None
        if threaded:
            self._queue: queue.Queue = queue.Queue(maxsize=ahead)
            self._thread = threading.Thread(target=self._run, name="decode", daemon=True)
            self._thread.start()

    def _frames(self):
        frames = iter(self._video)
        while not self._closed.is_set():
            started = time.perf_counter()
            frame = next(frames, None)
            if frame is None:
                self.ended_early = self._stop_t is not None
                return
            if self._stop_t is not None and frame.t >= self._stop_t - TIME_EPS:
                return
            if in_windows(frame.t, self._seam):
                self.hashes[time_key(frame.t)] = picture_hash(frame.image)
            self.decode_s += time.perf_counter() - started
            yield frame

    def _run(self) -> None:
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


class _GrowingArrays:
    """Per-frame times and landmark arrays filled in place (no per-frame Python objects kept)."""

    def __init__(self, capacity: int):
        self._arrays = (np.zeros(max(capacity, 16), np.float64), *empty_arrays(max(capacity, 16)))
        self._n = 0

    def append(self, t: float, pose: PoseFrame | None) -> None:
        if self._n == len(self._arrays[0]):
            size = len(self._arrays[0]) * 2
            grown = (np.zeros(size, np.float64), *empty_arrays(size))
            for old, new in zip(self._arrays, grown):
                new[:self._n] = old[:self._n]
            self._arrays = grown
        i = self._n
        times, image, visibility, world, people = self._arrays
        times[i] = t
        if pose is not None:
            image[i], visibility[i], world[i], people[i] = pose.image, pose.visibility, pose.world, pose.people
        self._n += 1

    def arrays(self):
        return tuple(a[:self._n].copy() if self._n < len(a) else a for a in self._arrays)


def analyse_segment(
    path: str | pathlib.Path,
    model: str | None,
    segment: Segment,
    fps: float,
    frame_count: int | None = None,
    on_progress: Progress | None = None,
    alive: Callable[[], bool] | None = None,
    decode_thread: bool = True,
    estimator: PoseEstimator | None = None,
) -> SegmentResult:
    """Run a landmarker over one segment: warm-up frames first, then the kept frames.

    When `alive()` turns false, or on Ctrl-C (one pass, main thread), it returns the frames kept so far, `cut`.
    Without `estimator` a fresh landmarker is started and closed here. With one, it goes on from an
    earlier segment of the same video (timestamps must keep rising) and stays open for the caller.
    """
    if estimator is None:
        with PoseEstimator(model) as own:
            return analyse_segment(path, model, segment, fps, frame_count, on_progress, alive, decode_thread, own)
    started = time.perf_counter()
    keep_start_t = segment.keep_start / fps if segment.keep_start else 0.0
    stop_t = segment.keep_end / fps if segment.keep_end is not None else None
    capacity = (segment.keep_end - segment.keep_start) if segment.keep_end is not None else max((frame_count or 0) - segment.keep_start, 0)
    store = _GrowingArrays(capacity)
    model_s = 0.0
    pending = analysed = 0
    cut = False
    with VideoFile(path) as video:
        if segment.start > 0:
            video.seek(segment.start / fps)
        reader = FrameReader(video, stop_t, seam_windows(segment, fps) if fps > 0 else [], threaded=decode_thread)
        loop_started = time.perf_counter()
        try:
            for frame in reader:
                if alive is not None and not alive():
                    cut = True
                    break
                before = time.perf_counter()
                pose = estimator.detect(frame)
                model_s += time.perf_counter() - before
                analysed += 1
                if frame.t >= keep_start_t - TIME_EPS:
                    store.append(frame.t, pose)
                    pending += 1
                    if pending >= PROGRESS_EVERY:
                        if on_progress:
                            on_progress(pending)
                        pending = 0
        except KeyboardInterrupt:
            cut = True
        finally:
            reader.close()
    if on_progress and pending:
        on_progress(pending)
    ended = time.perf_counter()
    stats = {
        "frames": analysed,  # warm-up included
        "model_s": model_s,  # in PoseEstimator.detect (colour conversion and MediaPipe's detect_for_video)
        "loop_s": ended - loop_started,  # the frame loop, wall time
        "decode_s": reader.decode_s,  # decoding (on the decode thread when it has one)
        "setup_s": loop_started - started,  # opening and seeking the video
    }
    return SegmentResult(segment, *store.arrays(), reader.hashes, reader.ended_early, stats, cut)


# --------------------------------------------------------------------------- one pass, or worker threads


def extract_single(path: str | pathlib.Path, model: str | None, fps: float, width: int, height: int, frame_count: int,
                   on_progress: Progress | None = None, stats: list | None = None) -> LandmarkSeries:
    """The whole video in one pass, decoding on a thread beside the model."""
    result = analyse_segment(path, model, Segment(0, 0, 0, None), fps, frame_count, on_progress)
    if stats is not None:
        stats.append(result.stats)
    if result.cut:
        assembler = Assembler(frame_count)
        assembler.add(result)
        raise Interrupted(assembler.so_far(fps, width, height, pathlib.Path(path).name))
    return merge_segments([result], fps, width, height, pathlib.Path(path).name, str(path), frame_count)


def extract_parallel(
    path: str | pathlib.Path,
    model: str | None,
    segments: list[Segment],
    fps: float,
    width: int,
    height: int,
    frame_count: int,
    workers: int,
    on_progress: Progress | None = None,
    stats: list | None = None,
) -> LandmarkSeries:
    """Analyse the segments on worker threads and merge them; raises SeamMismatch if seeking was not exact."""
    with tempfile.TemporaryDirectory(prefix="posecheck-") as spill:
        assembler = Assembler(frame_count, pathlib.Path(spill))
        try:
            run_segments(path, model, segments, fps, frame_count, workers, on_progress or (lambda n: None), assembler.add)
        except KeyboardInterrupt:  # read back before the spill folder goes
            raise Interrupted(assembler.so_far(fps, width, height, pathlib.Path(path).name)) from None
        if stats is not None:
            stats.extend(result.stats for result in sorted(assembler.results, key=lambda r: r.segment.index))
        return assembler.finish(fps, width, height, pathlib.Path(path).name, str(path), frame_count)


def run_segments(path, model, segments: list[Segment], fps: float, frame_count: int, workers: int,
                 on_progress: Progress, on_result: Callable[[SegmentResult], None]) -> None:
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
    locks and Ctrl-C lands there: the workers are then told to stop, hand back
    what they have within a frame, and Ctrl-C goes on up.
    """
    threads_count = min(workers, len(segments))
    reports: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def work(mine: list[Segment]) -> None:
        segment = mine[0]
        try:
            with PoseEstimator(model) as estimator:
                for segment in mine:
                    if stop.is_set():
                        break
                    result = analyse_segment(
                        path, model, segment, fps, frame_count,
                        on_progress=lambda n: reports.put(("progress", n)),
                        alive=lambda: not stop.is_set(),
                        estimator=estimator,
                    )
                    reports.put(("done", result))
                    del result
                    release_memory()
        except PosecheckError as error:
            reports.put(("error", error))
        except Exception as error:  # noqa: BLE001 - reported as one line below
            first_line = (str(error).strip().splitlines() or [""])[0]
            reports.put(("error", InputUnreadable(
                f"{path}: analysis failed in segment {segment.index} ({type(error).__name__}: {first_line}); try --workers 1")))
        finally:
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
    except KeyboardInterrupt:
        stop.set()  # the workers hand back what they have: keep it, for the count so far
        while running:
            kind, payload = reports.get()
            if kind == "done":
                on_result(payload)
            elif kind == "exit":
                running -= 1
        raise
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def probe(path: str | pathlib.Path) -> tuple[float, int, int, int]:
    """(fps, frame_count, width, height) of a video: the average rate, the announced (or estimated) count, the upright size."""
    with VideoFile(path) as video:
        return video.fps, video.frame_count, video.width, video.height


def extract(
    path: str | pathlib.Path,
    model: str | None = None,
    workers: int | None = None,
    on_progress: Progress | None = None,
    on_restart: Callable[[], None] | None = None,
    probe_result: tuple[float, int, int, int] | None = None,
    stats: list | None = None,
) -> LandmarkSeries:
    """The pose in every frame of a video, on `workers` threads (default: every core).

    `probe_result` is (fps, frame_count, width, height) when the caller has
    already opened the video. `on_progress(n)` is told of n more frames done;
    `on_restart()` that the count starts again from 0. `stats`, when given, gets
    one dict of timings per segment.
    """
    fps, frame_count, width, height = probe_result or probe(path)
    workers = available_cores() if workers is None or workers <= 0 else workers
    segments = plan_segments(frame_count, fps, workers)
    if len(segments) > 1:
        try:
            return extract_parallel(path, model, segments, fps, width, height, frame_count, workers, on_progress, stats)
        except SeamMismatch:
            if stats is not None:
                stats.clear()
            if on_restart:
                on_restart()  # seeking is not exact in this file: start again in one pass
    return extract_single(path, model, fps, width, height, frame_count, on_progress, stats)


# --------------------------------------------------------------------------- for the commands


def extract_landmarks(
    path: str | pathlib.Path,
    model: str | None = None,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    stats: list | None = None,
) -> LandmarkSeries:
    """Run the pose model over every frame of a video, on `workers` threads (default: every core).

    A long video is cut into overlapping segments analysed side by side; the
    counts are the same as one continuous pass. `workers=1` (or a short video)
    runs one pass. `on_progress(done, total)` is called as frames are done:
    `total` is the frame count the container announces (0 when unknown, and
    never below `done`); `done` goes back to 0 if the analysis starts over.
    Ctrl-C raises `Interrupted` with the frames analysed up to then.
    """
    fps, frame_count, width, height = probe(path)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, max(frame_count, done) if frame_count else 0)

    def restart() -> None:
        nonlocal done
        done = 0
        advance(0)

    try:
        return extract(path, model, workers, advance, restart, (fps, frame_count, width, height), stats)
    except Interrupted:
        raise
    except KeyboardInterrupt:  # before any frame was kept
        raise Interrupted(Assembler().so_far(fps, width, height, pathlib.Path(path).name)) from None

