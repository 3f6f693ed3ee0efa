"""Cutting a video into overlapping segments and merging what was found in them: pure functions, no video.

A segment's bounds are counted in frames of the video's average rate: bound
n is the time n / fps, and a frame belongs to [a, b) by its own timestamp. On a
constant-rate file these are exactly frames a .. b-1; on a variable-rate one
they are whatever frames fall in that time, and the merged series is the kept
frames of every segment in order, each with its real time.
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
from collections.abc import Sequence

import numpy as np

from posecheck.errors import InputUnreadable
from posecheck.pose.landmarks import NUM_LANDMARKS, LandmarkSeries

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
SEAM_CHECK_FRAMES = 3  # frames hashed either side of each seam
TIME_EPS = 1e-6  # a frame at bound - TIME_EPS is at the bound (float rounding of pts x time base)


@dataclasses.dataclass(frozen=True)
class Segment:
    """Frames in [start, keep_end) are analysed; [keep_start, keep_end) are kept; keep_end None: to the end.

    Bounds are in frames of the average rate (bound n is the time n / fps).
    """

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


def seam_windows(segment: Segment, fps: float, check: int = SEAM_CHECK_FRAMES) -> list[tuple[float, float]]:
    """The spans of time (seconds, [a, b)) whose frames a segment hashes: its last warm-up frames and its last kept ones.

    The segment before hashes its last kept frames over the same span as this
    one's last warm-up frames, so both decode and hash the same pictures.
    """
    windows = []
    if segment.keep_start > segment.start:
        windows.append((max(segment.keep_start - check, segment.start) / fps, segment.keep_start / fps))
    if segment.keep_end is not None:
        windows.append((max(segment.keep_end - check, segment.keep_start) / fps, segment.keep_end / fps))
    return windows


def in_windows(t: float, windows: Sequence[tuple[float, float]]) -> bool:
    return any(a - TIME_EPS <= t < b - TIME_EPS for a, b in windows)


def time_key(t: float) -> int:
    """A frame's time as a dict key that two decoders of the same file agree on (microseconds)."""
    return round(t * 1_000_000)


@dataclasses.dataclass
class SegmentResult:
    """What a worker found in one segment: the kept frames only, and hashes of the pictures around its seams."""

    segment: Segment
    t: np.ndarray  # (n,) float64 seconds, the kept frames' own times
    image: np.ndarray  # (n, 33, 3) float32, NaN where nobody was found
    visibility: np.ndarray  # (n, 33)
    world: np.ndarray  # (n, 33, 3)
    people: np.ndarray  # (n,) int16
    hashes: dict[int, int]  # time_key(frame time) -> hash of the decoded picture, near the seams
    ended_early: bool = False  # the video ran out before keep_end
    stats: dict = dataclasses.field(default_factory=dict)  # timings, for the benchmark
    cut: bool = False  # stopped part-way (Ctrl-C): the kept frames up to then

    def __post_init__(self) -> None:
        self.kept = len(self.people)
        self.last_t = float(self.t[-1]) if self.kept else None
        self.spilled = False

    def __len__(self) -> int:
        return self.kept

    def parts(self) -> tuple[np.ndarray, ...]:
        return self.t, self.image, self.visibility, self.world, self.people

    def release(self) -> None:
        """Drop the arrays once they are stored elsewhere (the counts, times and hashes stay)."""
        self.t = self.image = self.visibility = self.world = self.people = None


def empty_arrays(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Arrays for n frames with nobody found, as `LandmarkSeries.from_frames` fills them."""
    return (
        np.full((n, NUM_LANDMARKS, 3), np.nan, np.float32),
        np.zeros((n, NUM_LANDMARKS), np.float32),
        np.full((n, NUM_LANDMARKS, 3), np.nan, np.float32),
        np.zeros(n, np.int16),
    )


class SeamMismatch(Exception):
    """Two segments decoded different pictures for the same frame time: seeking is not exact in this file."""


def damaged(path: str, t: float, duration: float | None = None) -> InputUnreadable:
    of = f" of {duration:.1f} s" if duration else ""
    return InputUnreadable(f"{path}: damaged: the video cannot be decoded past {t:.1f} s{of}; re-encode or trim it")


def check_order(results: Sequence[SegmentResult], path: str = "video", fps: float = 0.0, frame_count: int | None = None) -> int:
    """How many frames the merged series has; raises where the video is damaged part-way.

    Damaged: a segment ran out of video before its end but a later one found
    frames, or the video stopped well before the length its container
    announces (more than `LENGTH_TOLERANCE`). A frame count a little too high
    is normal for some containers: the video then simply ends there, as a
    single pass would. (Packets that fail to decode part-way are caught by
    the decoder itself: `VideoFile` raises.)
    """
    step = 1.0 / fps if fps > 0 else 0.0
    duration = frame_count / fps if frame_count and fps > 0 else None
    total = 0
    last_t = None
    stopped_at = None
    for result in sorted(results, key=lambda r: r.segment.index):
        if stopped_at is not None and len(result):
            raise damaged(path, stopped_at, duration)
        total += len(result)
        last_t = result.last_t if result.last_t is not None else last_t
        if result.ended_early and result.segment.keep_end is not None:
            stopped_at = last_t + step if last_t is not None else result.segment.keep_start * step
    if frame_count and fps > 0 and frame_count - total > max(LENGTH_TOLERANCE[0] * fps, LENGTH_TOLERANCE[1] * frame_count):
        raise damaged(path, last_t + step if last_t is not None else 0.0, duration)
    return total


def check_seams(results: Sequence[SegmentResult]) -> None:
    """Both sides of every seam must have decoded the same pictures at the same times."""
    ordered = sorted(results, key=lambda r: r.segment.index)
    for before, after in zip(ordered, ordered[1:]):
        shared = before.hashes.keys() & after.hashes.keys()
        if any(before.hashes[k] != after.hashes[k] for k in shared):
            raise SeamMismatch(f"segment {after.segment.index} does not start where segment {before.segment.index} ends")
        before_complete = before.segment.keep_end is not None and len(before) > 0 and not before.ended_early
        if len(after) and before_complete and not shared and after.segment.warmup:
            raise SeamMismatch(f"segments {before.segment.index} and {after.segment.index} have no frame in common to compare")


class Assembler:
    """Gathers the segments' frames into the series' arrays, in order.

    With `spill_dir`, each segment's arrays go to a file there as they arrive
    and are read back by `finish`, once the workers have exited: the landmarks
    of a long video (about 100 MB an hour) are then never in memory at the
    same time as the workers. Without it (or when a file cannot be written)
    they are kept in memory until `finish`.
    """

    def __init__(self, frame_count: int = 0, spill_dir: pathlib.Path | None = None):
        self.frame_count = max(frame_count, 0)
        self.spill_dir = spill_dir
        self.results: list[SegmentResult] = []
        self._kept: dict[int, tuple[np.ndarray, ...]] = {}

    def add(self, result: SegmentResult) -> None:
        parts = result.parts()
        result.spilled = False
        if self.spill_dir is not None:
            try:
                np.savez(self._spill_path(result), t=parts[0], image=parts[1], visibility=parts[2], world=parts[3], people=parts[4])
                result.spilled = True
            except OSError:  # no room in the temp dir, or it was cleaned away: keep this one in memory
                pass
        if not result.spilled:
            self._kept[result.segment.index] = parts
        result.release()
        self.results.append(result)

    def _spill_path(self, result: SegmentResult) -> pathlib.Path:
        return self.spill_dir / f"segment{result.segment.index}.npz"

    def _parts(self, result: SegmentResult) -> tuple[np.ndarray, ...]:
        if not result.spilled:
            return self._kept.pop(result.segment.index)
        with np.load(self._spill_path(result)) as saved:
            return tuple(saved[name] for name in ("t", "image", "visibility", "world", "people"))

    def finish(self, fps: float, width: int, height: int, source: str = "", path: str = "video", frame_count: int | None = None) -> LandmarkSeries:
        total = check_order(self.results, path, fps, frame_count)
        check_seams(self.results)
        return self._series(sorted(self.results, key=lambda r: r.segment.index), total, fps, width, height, source)

    def so_far(self, fps: float, width: int, height: int, source: str = "") -> LandmarkSeries:
        """After Ctrl-C: the frames from the start, up to the first segment that was cut short or is missing."""
        kept = []
        for index, result in enumerate(sorted(self.results, key=lambda r: r.segment.index)):
            if result.segment.index != index:
                break
            kept.append(result)
            if result.cut:
                break
        series = self._series(kept, sum(len(r) for r in kept), fps, width, height, source)
        series.interrupted = True
        return series

    def _series(self, ordered: list[SegmentResult], total: int, fps: float, width: int, height: int, source: str) -> LandmarkSeries:
        if len(ordered) == 1 and not ordered[0].spilled:  # one pass: its arrays are the series
            t, image, visibility, world, people = self._parts(ordered[0])
        else:
            t = np.zeros(total, np.float64)
            image, visibility, world, people = empty_arrays(total)
            at = 0
            for result in ordered:
                if len(result):
                    for target, part in zip((t, image, visibility, world, people), self._parts(result)):
                        target[at:at + len(result)] = part
                    at += len(result)
        return LandmarkSeries(t, image, visibility, world, people, fps, width, height, source)


def merge_segments(
    results: Sequence[SegmentResult], fps: float, width: int, height: int, source: str = "", path: str = "video", frame_count: int | None = None,
) -> LandmarkSeries:
    """The kept frames of every segment, in order, as one series (raises where damaged, or on a seam that does not match)."""
    assembler = Assembler(frame_count or sum(len(r) for r in results))
    for result in results:
        assembler.add(result)
    return assembler.finish(fps, width, height, source, path, frame_count)
