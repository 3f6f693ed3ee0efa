"""Parallel pose extraction: the segment plan and the merge as pure functions, then one real clip end to end."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pytest

from posecheck.pose import extract as parallel
from posecheck.errors import InputUnreadable
from posecheck.pose.extract import SeamMismatch, Segment, SegmentResult, merge_segments, plan_segments
from posecheck.pose import segments as plan
from posecheck.pose.segments import in_windows, seam_windows, time_key

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent


def spans(segments):
    return [(s.start, s.keep_start, s.keep_end) for s in segments]


@pytest.mark.parametrize(
    "name, frame_count, fps, workers, kwargs, expected",
    [
        ("one worker: one pass", 1920, 30.0, 1, {}, [(0, 0, None)]),
        ("length unknown: one pass", 0, 30.0, 2, {}, [(0, 0, None)]),
        ("no frame rate: one pass", 1920, 0.0, 2, {}, [(0, 0, None)]),
        ("shorter than a segment: one pass", 180, 30.0, 2, {}, [(0, 0, None)]),
        ("shorter than two segments: one pass", 479, 30.0, 2, {}, [(0, 0, None)]),
        ("just two segments", 480, 30.0, 2, {}, [(0, 0, 240), (180, 240, None)]),
        ("64 s on two workers: the seam in the middle, 2 s warm-up", 1920, 30.0, 2, {}, [(0, 0, 960), (900, 960, None)]),
        ("odd length: seams rounded", 1001, 10.0, 2, {"overlap_s": 1.0, "min_segment_s": 1.0}, [(0, 0, 500), (490, 500, None)]),
        (
            "more segments than workers when long: a multiple of the workers",
            300, 1.0, 2, {"overlap_s": 5.0, "min_segment_s": 10.0, "max_segment_s": 100.0},
            [(0, 0, 75), (70, 75, 150), (145, 150, 225), (220, 225, None)],
        ),
        (
            "three workers",
            90, 1.0, 3, {"overlap_s": 2.0, "min_segment_s": 10.0},
            [(0, 0, 30), (28, 30, 60), (58, 60, None)],
        ),
        (
            "too short for one segment per worker: fewer segments",
            30, 1.0, 4, {"overlap_s": 2.0, "min_segment_s": 10.0},
            [(0, 0, 10), (8, 10, 20), (18, 20, None)],
        ),
        (
            "warm-up longer than the segment before: starts at frame 0",
            40, 1.0, 2, {"overlap_s": 30.0, "min_segment_s": 10.0},
            [(0, 0, 20), (0, 20, None)],
        ),
        ("no warm-up", 40, 1.0, 2, {"overlap_s": 0.0, "min_segment_s": 10.0}, [(0, 0, 20), (20, 20, None)]),
    ],
)
def test_plan_segments(name, frame_count, fps, workers, kwargs, expected):
    assert spans(plan_segments(frame_count, fps, workers, **kwargs)) == expected


@pytest.mark.parametrize("frame_count", [480, 1917, 10_000, 108_000, 108_001])
@pytest.mark.parametrize("workers", [2, 3, 8])
def test_plan_tiles_the_video(frame_count, workers):
    fps = 30.0
    segments = plan_segments(frame_count, fps, workers)
    assert segments[0].start == 0 and segments[0].keep_start == 0
    assert segments[-1].keep_end is None
    for before, after in zip(segments, segments[1:]):
        assert before.keep_end == after.keep_start  # no frame kept twice, none missed
        assert after.keep_start - after.start == min(round(plan.OVERLAP_S * fps), after.keep_start)
        assert before.keep_end - before.keep_start >= plan.MIN_SEGMENT_S * fps - 1
        assert before.keep_end - before.keep_start <= plan.MAX_SEGMENT_S * fps + 1
    assert len(segments) % workers == 0 or len(segments) == frame_count // int(plan.MIN_SEGMENT_S * fps)
    assert [s.index for s in segments] == list(range(len(segments)))


def fake_result(segment: Segment, kept: int, ended_early: bool = False, hashes: dict | None = None, fps: float = 10.0) -> SegmentResult:
    """A segment result whose landmark x is the frame index (NaN for every 7th frame: nobody found), frame i at i / fps."""
    image, visibility, world, people = parallel.empty_arrays(kept)
    t = (segment.keep_start + np.arange(kept)) / fps
    for i in range(kept):
        frame = segment.keep_start + i
        if frame % 7:
            image[i] = frame
            visibility[i] = 1.0
            world[i] = -frame
            people[i] = 1
    if hashes is None:  # the pictures around the seams, as a decoder that seeks exactly sees them
        windows = seam_windows(segment, fps)
        hashes = {time_key(f / fps): f * 31 for f in range(segment.start, segment.keep_start + kept) if in_windows(f / fps, windows)}
    return SegmentResult(segment, t, image, visibility, world, people, hashes, ended_early)


@pytest.mark.parametrize(
    "name, plan, kept, total",
    [
        ("one pass", [(0, 0, None)], [100], 100),
        ("two segments", [(0, 0, 50), (40, 50, None)], [50, 50], 100),
        ("four segments", [(0, 0, 25), (20, 25, 50), (45, 50, 75), (70, 75, None)], [25, 25, 25, 30], 105),
        ("frame count overestimated: the last segments find nothing", [(0, 0, 50), (40, 50, 100), (90, 100, None)], [50, 20, 0], 70),
        ("frame count underestimated: the last segment reads on", [(0, 0, 50), (40, 50, None)], [50, 80], 130),
        ("a segment with no warm-up", [(0, 0, 50), (50, 50, None)], [50, 50], 100),
    ],
)
def test_merge(name, plan, kept, total):
    segments = [Segment(k, *span) for k, span in enumerate(plan)]
    results = [fake_result(s, n, ended_early=(s.keep_end is None or n < s.keep_end - s.keep_start)) for s, n in zip(segments, kept)]
    series = merge_segments(results[::-1], fps=10.0, width=640, height=480, source="clip.mp4")  # any order in
    assert len(series) == total
    frames = np.arange(total)
    np.testing.assert_array_equal(series.t, frames / 10.0)
    found = frames % 7 != 0
    np.testing.assert_array_equal(series.detected, found)
    np.testing.assert_array_equal(series.image[found, 0, 0], frames[found])
    np.testing.assert_array_equal(series.world[found, 5, 2], -frames[found])
    assert np.isnan(series.image[~found]).all() and (series.people[~found] == 0).all() and (series.visibility[~found] == 0).all()
    assert (series.width, series.height, series.fps, series.source) == (640, 480, 10.0, "clip.mp4")
    assert series.image.dtype == np.float32 and series.people.dtype == np.int16 and series.t.dtype == np.float64


def test_merge_matches_a_series_built_frame_by_frame():
    """The merged arrays are exactly what LandmarkSeries.from_frames makes from the same poses."""
    from posecheck.pose.landmarks import LandmarkSeries

    segments = [Segment(0, 0, 0, 30), Segment(1, 20, 30, None)]
    results = [fake_result(segments[0], 30, fps=30.0), fake_result(segments[1], 25, ended_early=True, fps=30.0)]
    merged = merge_segments(results, fps=30.0, width=2, height=2)
    frames = [pose for pose in merged.frames()]
    rebuilt = LandmarkSeries.from_frames([i / 30.0 for i in range(55)], frames, 30.0, 2, 2)
    for name in ("t", "image", "visibility", "world", "people"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(rebuilt, name))


def test_gap_mid_video_is_an_unreadable_input():
    segments = [Segment(0, 0, 0, 50), Segment(1, 40, 50, 100), Segment(2, 90, 100, None)]
    results = [fake_result(segments[0], 50, fps=30.0), fake_result(segments[1], 10, ended_early=True, fps=30.0), fake_result(segments[2], 50, fps=30.0)]
    with pytest.raises(InputUnreadable, match="damaged.*past 2.0 s"):
        merge_segments(results, 30.0, 64, 48, path="clip.mp4")


def test_seam_mismatch_is_detected():
    segments = [Segment(0, 0, 0, 50), Segment(1, 40, 50, None)]
    first = fake_result(segments[0], 50, fps=30.0)
    shifted = fake_result(segments[1], 50, hashes={time_key(f / 30.0): (f + 1) * 31 for f in range(47, 50)}, fps=30.0)
    with pytest.raises(SeamMismatch):
        merge_segments([first, shifted], 30.0, 64, 48)


@pytest.mark.parametrize(
    "segment, expected",
    [
        (Segment(0, 0, 0, 50), [(4.7, 5.0)]),
        (Segment(1, 40, 50, 100), [(4.7, 5.0), (9.7, 10.0)]),
        (Segment(2, 90, 100, None), [(9.7, 10.0)]),
        (Segment(1, 49, 50, 51), [(4.9, 5.0), (5.0, 5.1)]),  # one warm-up frame, one kept frame
        (Segment(1, 50, 50, None), []),  # no warm-up: nothing shared with the segment before
    ],
)
def test_seam_windows(segment, expected):
    """In seconds at 10 fps: the last 3 warm-up frames and the last 3 kept ones; the two sides of a seam hash the same span."""
    windows = seam_windows(segment, 10.0)
    assert len(windows) == len(expected)
    for window, span in zip(windows, expected):
        assert window == pytest.approx(span)


def test_seam_windows_take_the_frames_by_their_times():
    windows = seam_windows(Segment(1, 40, 50, 100), 10.0)
    assert [f for f in range(40, 100) if in_windows(f / 10.0, windows)] == [47, 48, 49, 97, 98, 99]
    # variable frame rate: whatever frames fall in the span, on both sides alike
    assert [t for t in (4.65, 4.71, 4.99, 5.0, 9.69, 9.7, 9.999) if in_windows(t, windows)] == [4.71, 4.99, 9.7, 9.999]


def test_merge_keeps_the_frames_own_times():
    """Variable frame rate: the series' times are the frames' own, in order, across the seams."""
    segments = [Segment(0, 0, 0, 20), Segment(1, 15, 20, None)]
    first, second = fake_result(segments[0], 18), fake_result(segments[1], 25, ended_early=True)  # a stall before the seam
    first.t = np.sort(np.random.default_rng(1).uniform(0.0, 1.99, 18))
    first.last_t = float(first.t[-1])
    second.t = 2.0 + np.arange(25) * 0.07
    expected = np.concatenate([first.t, second.t])
    merged = merge_segments([second, first], fps=10.0, width=2, height=2)
    np.testing.assert_array_equal(merged.t, expected)
    assert len(merged) == 43


# --------------------------------------------------------------------------- end to end


def short_clip() -> pathlib.Path | None:
    sample = REPO_ROOT / "sample_videos" / "front_3rises.mp4"  # 23 s: long enough for several short segments
    if sample.is_file():
        return sample
    for shared in (REPO_ROOT.parent / "shared", pathlib.Path("/work/shared")):
        clip = shared / "footage" / "synthetic" / "f_front_barefoot_left_everted8.mp4"
        if clip.is_file():
            return clip
    return None


def probe(path) -> tuple[float, int, int, int]:
    """(fps, frame_count, width, height) of a video."""
    return parallel.probe(path)


@pytest.fixture(scope="module")
def clip():
    path = short_clip()
    if path is None:
        pytest.skip("no short clip: neither sample_videos/*.mp4 nor ../shared/footage is here")
    return path


@pytest.mark.slow  # runs the pose model over the clip
def test_parallel_counts_like_the_single_loop(clip):
    from posecheck.session.rises import count_rises
    from posecheck.detect.rises import RiseConfig

    fps, frame_count, width, height = probe(clip)
    single = parallel.extract(clip, workers=1)
    # Short segments so that even a few seconds of video is split at several seams.
    segments = plan_segments(frame_count, fps, 2, overlap_s=1.0, min_segment_s=1.0, max_segment_s=2.0)
    assert len(segments) >= 3
    split = parallel.extract_parallel(clip, None, segments, fps, width, height, frame_count, workers=2)
    assert len(split) == len(single) == frame_count
    np.testing.assert_array_equal(split.t, single.t)
    # The first segment starts where the single loop starts: identical frames.
    first = segments[0].keep_end
    np.testing.assert_array_equal(split.image[:first], single.image[:first])
    counted_single, _ = count_rises(single, RiseConfig())
    counted_split, _ = count_rises(split, RiseConfig())
    assert counted_split.count == counted_single.count
    assert len(counted_split.partials) == len(counted_single.partials)


@pytest.mark.slow  # runs the pose model over the clip
def test_each_thread_keeps_one_landmarker_and_a_fixed_share_of_segments(clip, monkeypatch):
    """Thread k reads segments k, k+2, ... with one landmarker, however fast each thread is.

    A landmarker goes on from one segment to the next, so which landmarker reads
    a segment changes its landmarks: the share must not depend on timing. Here
    the first segment is held back for a second; with first-free-takes-next the
    other thread would take segment 2 as well.
    """
    import threading
    import time

    fps, frame_count, width, height = probe(clip)
    segments = plan_segments(frame_count, fps, 2, overlap_s=0.5, min_segment_s=1.0, max_segment_s=2.0)
    assert len(segments) >= 4
    real_analyse, real_estimator = parallel.analyse_segment, parallel.PoseEstimator

    def run(delay_first: float):
        seen, started = [], []

        def analyse(*args, estimator=None, **kwargs):
            segment = args[2]
            seen.append((threading.current_thread().name, segment.index, id(estimator)))
            if segment.index == 0:
                time.sleep(delay_first)
            return real_analyse(*args, estimator=estimator, **kwargs)

        def estimator(*args, **kwargs):
            started.append(1)
            return real_estimator(*args, **kwargs)

        monkeypatch.setattr(parallel, "analyse_segment", analyse)
        monkeypatch.setattr(parallel, "PoseEstimator", estimator)
        series = parallel.extract_parallel(clip, None, segments, fps, width, height, frame_count, workers=2)
        return series, sorted(seen, key=lambda s: s[1]), len(started)

    quick, quick_seen, quick_started = run(0.0)
    slow, slow_seen, slow_started = run(1.0)
    assert quick_started == slow_started == 2
    for seen in (quick_seen, slow_seen):
        threads = {name: [i for n, i, _ in seen if n == name] for name, _, _ in seen}
        assert sorted(threads.values()) == [list(range(0, len(segments), 2)), list(range(1, len(segments), 2))]
        assert len({landmarker for _, _, landmarker in seen}) == 2
    np.testing.assert_array_equal(slow.image, quick.image)
    np.testing.assert_array_equal(slow.world, quick.world)


def test_damaged_decoder_is_an_unreadable_input(clip, tmp_path):
    """A run of packets that do not decode: the decoder itself stops with one line saying where."""
    from posecheck.media.frames import VideoFile

    with pytest.raises(InputUnreadable, match=r"damaged: .* past \d+\.\d s of \d+\.\d s") as caught:
        with VideoFile(damaged_copy(clip, tmp_path)) as video:
            for _ in video:
                pass
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "name, decoded, announced, fine",
    [
        ("as announced", 600, 600, True),
        ("a few frames short: the container announced a little long", 590, 600, True),
        ("2 s short of 10 min: still within 10 %", 17_400, 18_000, True),
        ("half the video missing", 300, 600, False),
        ("3 s short of a 20 s clip", 510, 600, False),
    ],
)
def test_video_much_shorter_than_announced_is_damaged(name, decoded, announced, fine):
    result = fake_result(Segment(0, 0, 0, None), decoded, ended_early=True, fps=30.0)
    if fine:
        assert len(merge_segments([result], 30.0, 64, 48, frame_count=announced)) == decoded
    else:
        with pytest.raises(InputUnreadable, match="damaged"):
            merge_segments([result], 30.0, 64, 48, path="clip.mp4", frame_count=announced)


def test_worker_error_is_one_clear_line(tmp_path):
    """Not a video at all: the workers' error comes back as one InputUnreadable line."""
    bad = tmp_path / "not_a_video.mp4"
    bad.write_bytes(os.urandom(4096))
    segments = [Segment(0, 0, 0, 10), Segment(1, 5, 10, None)]
    with pytest.raises(InputUnreadable) as caught:
        parallel.extract_parallel(bad, None, segments, 30.0, 64, 48, 20, workers=2)
    assert "\n" not in str(caught.value)


def test_ctrl_c_stops_the_worker_threads(clip):
    """Ctrl-C lands in the calling thread (here: in the progress callback); the workers stop and none is left running."""
    import threading

    fps, frame_count, width, height = probe(clip)
    segments = plan_segments(frame_count, fps, 2, overlap_s=0.5, min_segment_s=1.0, max_segment_s=2.0)
    progress = []

    def interrupt(n):
        progress.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel.extract_parallel(clip, None, segments, fps, width, height, frame_count, workers=2, on_progress=interrupt)
    assert progress == [parallel.PROGRESS_EVERY]
    assert not [t for t in threading.enumerate() if t.name.startswith("segment-worker")]


def damaged_copy(clip: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    """The clip with a fifth of its bytes zeroed in the middle: it stops decoding there, later frames still decode."""
    data = bytearray(clip.read_bytes())
    start, length = int(len(data) * 0.45), int(len(data) * 0.2)
    data[start:start + length] = bytes(length)
    damaged = tmp_path / ("damaged" + clip.suffix)
    damaged.write_bytes(bytes(data))
    return damaged


def test_video_damaged_part_way_is_one_clear_line(clip, tmp_path, capsys):
    from posecheck import cli
    from posecheck.errors import ExitStatus

    damaged = damaged_copy(clip, tmp_path)
    fps, frame_count, width, height = probe(damaged)
    segments = plan_segments(frame_count, fps, 2, overlap_s=0.5, min_segment_s=1.0)
    with pytest.raises(InputUnreadable, match="damaged"):
        parallel.extract_parallel(damaged, None, segments, fps, width, height, frame_count, workers=2)
    capsys.readouterr()  # a clip this short is one pass in the process itself: the CLI covers the single loop
    assert cli.main(["rises", str(damaged), "--no-progress"]) == ExitStatus.INPUT_UNREADABLE
    err = capsys.readouterr().err
    assert "posecheck: error:" in err and "damaged" in err and "Traceback" not in err


def test_spilled_segments_merge_the_same(tmp_path):
    """Segments parked on disk while the workers run come back exactly as if they had been kept in memory."""
    segments = [Segment(0, 0, 0, 25), Segment(1, 20, 25, 50), Segment(2, 45, 50, None)]
    in_memory = merge_segments([fake_result(s, 25, fps=30.0) for s in segments], 30.0, 64, 48, frame_count=75)
    assembler = parallel.Assembler(75, spill_dir=tmp_path)
    for segment in reversed(segments):
        assembler.add(fake_result(segment, 25, fps=30.0))
    spilled = assembler.finish(30.0, 64, 48, frame_count=75)
    for name in ("t", "image", "visibility", "world", "people"):
        np.testing.assert_array_equal(getattr(spilled, name), getattr(in_memory, name))


def test_spill_dir_gone_keeps_segments_in_memory(tmp_path):
    """If the temp dir vanishes mid-run (a cleaner, a full disk), the segments are kept in memory instead."""
    segments = [Segment(0, 0, 0, 25), Segment(1, 20, 25, None)]
    gone = tmp_path / "gone"
    assembler = parallel.Assembler(50, spill_dir=gone)
    for segment in segments:
        assembler.add(fake_result(segment, 25, fps=30.0))
    series = assembler.finish(30.0, 64, 48, frame_count=50)
    found = np.arange(50) % 7 != 0
    np.testing.assert_array_equal(series.image[found, 0, 0], np.arange(50)[found])
