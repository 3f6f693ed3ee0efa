"""The one video decoder (PyAV): codecs, timestamps (variable frame rate), rotation tags, seeking, unreadable files.

Every clip is made here with PyAV from a dozen frames of the shipped sample,
shrunk to 160x96: each takes a fraction of a second to write and read.
"""

from __future__ import annotations

import fractions
import pathlib

import cv2
import numpy as np
import pytest

av = pytest.importorskip("av")

from posecheck.errors import InputNotFound, InputUnreadable  # noqa: E402
from posecheck.media.frames import VideoFile, open_file  # noqa: E402

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "sample_videos" / "front_3rises.mp4"
WIDTH, HEIGHT = 160, 96
MS = fractions.Fraction(1, 1000)


@pytest.fixture(scope="module")
def pictures() -> list[np.ndarray]:
    """12 frames from the middle of the sample (the person in view), shrunk."""
    if not SAMPLE.is_file():
        pytest.skip("sample_videos/front_3rises.mp4 is not here")
    with VideoFile(SAMPLE) as video:
        video.seek(4.0)
        frames = [cv2.resize(frame.image, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA) for frame, _ in zip(video, range(12))]
    assert len(frames) == 12
    return frames


def has_encoder(name: str) -> bool:
    try:
        av.codec.Codec(name, "w")
        return True
    except Exception:  # noqa: BLE001 - UnknownCodecError, or a build without it
        return False


def write_clip(path: pathlib.Path, pictures, codec: str = "libx264", pts=None, rate: int = 10, pix_fmt: str = "yuv420p",
               rotation: float | None = None, options: dict | None = None) -> pathlib.Path:
    """Encode BGR pictures; `pts` in milliseconds gives any timing (frames dropped, the rest kept where they were)."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, options=options or {})
        stream.width, stream.height = pictures[0].shape[1], pictures[0].shape[0]
        stream.pix_fmt = pix_fmt
        if pts is not None:
            stream.codec_context.time_base = MS
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for i, image in enumerate(pictures):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="bgr24")
            frame.pts = i if pts is None else pts[i]
            if pts is not None:
                frame.time_base = MS
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def close_to(decoded: np.ndarray, original: np.ndarray, tolerance: float = 8.0) -> bool:
    """The same picture after lossy coding: mean absolute difference in 0..255."""
    return decoded.shape == original.shape and float(np.abs(decoded.astype(np.int16) - original).mean()) < tolerance


AV1 = next((name for name in ("libsvtav1", "libaom-av1") if has_encoder(name)), None)
CODECS = [
    pytest.param(AV1 or "libsvtav1", "mp4", "yuv420p", {"preset": "12"} if AV1 == "libsvtav1" else {"cpu-used": "8"}, id="av1",
                 marks=pytest.mark.skipif(AV1 is None, reason="this PyAV has no AV1 encoder")),
    pytest.param("libx265", "mp4", "yuv420p", {"x265-params": "log-level=none"}, id="hevc"),
    pytest.param("libvpx-vp9", "webm", "yuv420p", {"deadline": "realtime", "cpu-used": "8"}, id="vp9"),
    pytest.param("libx264", "mkv", "yuv420p", {}, id="h264-mkv"),
    pytest.param("mjpeg", "avi", "yuvj420p", {}, id="mjpeg"),
]


@pytest.mark.parametrize("codec, suffix, pix_fmt, options", CODECS)
def test_decodes_every_codec(tmp_path, pictures, codec, suffix, pix_fmt, options):
    if not has_encoder(codec):
        pytest.skip(f"this PyAV cannot encode {codec}")
    clip = write_clip(tmp_path / f"clip.{suffix}", pictures, codec, pix_fmt=pix_fmt, options=options)
    with VideoFile(clip) as video:
        assert (video.width, video.height, video.fps, video.rotation) == (WIDTH, HEIGHT, 10.0, 0)
        assert video.frame_count in (12, 13)  # announced, or estimated from the duration
        assert video.duration == pytest.approx(1.2, abs=0.11)
        frames = list(video)
    assert [f.index for f in frames] == list(range(12))
    assert [f.t for f in frames] == pytest.approx([i / 10 for i in range(12)])
    for frame, original in zip(frames, pictures):
        assert frame.image.dtype == np.uint8 and frame.image.flags["C_CONTIGUOUS"]
        assert close_to(frame.image, original)


def test_iterating_again_starts_over(tmp_path, pictures):
    with VideoFile(write_clip(tmp_path / "clip.mp4", pictures)) as video:
        first = [(f.index, f.t, f.image) for f in video]
        again = [(f.index, f.t, f.image) for f in video]
    assert len(first) == len(again) == 12
    for (i, t, image), (j, u, other) in zip(first, again):
        assert (i, t) == (j, u) and np.array_equal(image, other)


@pytest.mark.parametrize(
    "rotation, turn, size",
    [
        (90, cv2.ROTATE_90_COUNTERCLOCKWISE, (HEIGHT, WIDTH)),
        (-90, cv2.ROTATE_90_CLOCKWISE, (HEIGHT, WIDTH)),  # a phone held upright: its tag says turn a quarter clockwise
        (180, cv2.ROTATE_180, (WIDTH, HEIGHT)),
    ],
)
def test_rotation_tag_turns_the_picture_upright(tmp_path, pictures, rotation, turn, size):
    if not hasattr(av.video.stream.VideoStream, "set_display_rotation"):
        pytest.skip("this PyAV cannot write a display matrix")
    clip = write_clip(tmp_path / "portrait.mp4", pictures[:4], rotation=rotation)
    with VideoFile(clip) as video:
        assert (video.width, video.height) == size
        frames = list(video)
    assert len(frames) == 4
    for frame, original in zip(frames, pictures):
        assert frame.image.shape[:2] == (size[1], size[0])
        assert close_to(frame.image, cv2.rotate(original, turn))
        assert not close_to(frame.image, cv2.rotate(original, cv2.ROTATE_180)) if rotation != 180 else True


VFR_MS = [0, 100, 200, 450, 500, 600, 850, 900, 1000, 1100, 1150, 1200]  # 10 fps with frames dropped


@pytest.mark.parametrize("suffix", ["mp4", "mkv"])
def test_variable_frame_rate_gives_the_real_times(tmp_path, pictures, suffix):
    clip = write_clip(tmp_path / f"vfr.{suffix}", pictures, pts=VFR_MS)
    with VideoFile(clip) as video:
        frames = list(video)
        assert video.duration == pytest.approx(1.25, abs=0.06)
    assert [f.t for f in frames] == pytest.approx([ms / 1000 for ms in VFR_MS])
    for frame, original in zip(frames, pictures):
        assert close_to(frame.image, original)


@pytest.mark.parametrize("target, expected_ms", [(0.0, 0), (0.2, 200), (0.21, 450), (0.3, 450), (0.45, 450), (0.8501, 900), (1.2, 1200)])
def test_seek_on_a_variable_rate_clip(tmp_path, pictures, target, expected_ms):
    clip = write_clip(tmp_path / "vfr.mp4", pictures, pts=VFR_MS, options={"g": "4"})  # a keyframe every 4 frames
    with VideoFile(clip) as video:
        reference = {round(f.t * 1000): f.image for f in video}
        video.seek(target)
        rest = list(video)
    assert round(rest[0].t * 1000) == expected_ms
    assert [round(f.t * 1000) for f in rest] == [ms for ms in VFR_MS if ms >= expected_ms]
    for frame in rest:
        assert np.array_equal(frame.image, reference[round(frame.t * 1000)])  # the very pictures a plain pass decodes


@pytest.mark.parametrize(
    "codec, suffix, options",
    [("libx264", "mp4", {"g": "5", "bf": "2"}), ("libx264", "mkv", {"g": "5", "bf": "2"}), ("libvpx-vp9", "webm", {"g": "5", "deadline": "realtime"})],
)
def test_seek_lands_on_every_frame_exactly(tmp_path, pictures, codec, suffix, options):
    """Each frame time, and a little after it, between keyframes (B-frames on): the next frame is the one at or after it."""
    clip = write_clip(tmp_path / f"gop.{suffix}", pictures, codec, options=options)
    with VideoFile(clip) as video:
        plain = list(video)
        for k, frame in enumerate(plain):
            for target, expected in ((frame.t, k), (frame.t + 0.01, k + 1)):
                video.seek(target)
                got = next(iter(video), None)
                if expected == len(plain):
                    assert got is None
                else:
                    assert got.t == plain[expected].t and got.index == expected
                    assert np.array_equal(got.image, plain[expected].image)
        video.seek(99.0)
        assert list(video) == []  # past the end
        assert len(list(video)) == len(plain)  # the seek was used up: from the start again


def test_seek_while_iterating(tmp_path, pictures):
    with VideoFile(write_clip(tmp_path / "clip.mp4", pictures, options={"g": "5"})) as video:
        frames = iter(video)
        assert next(frames).t == 0.0
        video.seek(0.7)
        assert [round(f.t, 3) for f in frames] == [0.7, 0.8, 0.9, 1.0, 1.1]
        video.seek(0.3)
        frames = iter(video)
        assert next(frames).t == pytest.approx(0.3)
        video.seek(0.0)
        assert next(frames).index == 0


def test_not_a_video_is_one_line_with_a_fix(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputUnreadable) as caught:
        VideoFile(junk)
    message = str(caught.value)
    assert "\n" not in message and "ffmpeg -i" in message and "libx264" in message and str(junk) in message


def test_no_video_stream_names_the_container(tmp_path):
    sound = tmp_path / "sound.m4a"
    with av.open(str(sound), "w") as out:
        stream = out.add_stream("aac", rate=16000)
        for i in range(5):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 16000, i * 1024
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with pytest.raises(InputUnreadable, match=r"no video stream in this mov file; re-encode it: ffmpeg -i") as caught:
        open_file(sound)
    assert "\n" not in str(caught.value)


def test_a_codec_it_cannot_decode_names_container_and_codec(tmp_path, pictures):
    """A stream whose packets are all garbage: nothing decodes, and the line says what the file claims to be."""
    clip = write_clip(tmp_path / "clip.mkv", pictures)
    data = bytearray(clip.read_bytes())
    start = len(data) // 5  # the header stays, the coded pictures are zeroed
    data[start:] = bytes(len(data) - start)
    broken = tmp_path / "broken.mkv"
    broken.write_bytes(bytes(data))
    with pytest.raises(InputUnreadable) as caught:
        with VideoFile(broken) as video:
            list(video)
    message = str(caught.value)
    assert "\n" not in message and str(broken) in message and "matroska container, h264 codec" in message and "ffmpeg -i" in message


def test_missing_file():
    with pytest.raises(InputNotFound):
        VideoFile("/nonexistent/clip.mp4")


@pytest.mark.slow
def test_extraction_keeps_the_real_times_across_seams(tmp_path):
    """A variable-rate clip, analysed in one pass and cut at seams sought by time: the same frames, at their own times."""
    from posecheck.pose import extract

    pictures, pts = [], []
    with VideoFile(SAMPLE) as video:
        for frame, i in zip(video, range(180)):  # 6 s at 30 fps, every 4th and 7th frame dropped
            if i % 4 != 3 and i % 7 != 6:
                pictures.append(cv2.resize(frame.image, (320, 180), interpolation=cv2.INTER_AREA))
                pts.append(round(frame.t * 1000))
    assert len(pictures) > 100
    clip = write_clip(tmp_path / "vfr.mp4", pictures, pts=pts, rate=30, options={"g": "15"})
    fps, frame_count, width, height = extract.probe(clip)
    single = extract.extract(clip, workers=1)
    np.testing.assert_allclose(single.t, np.array(pts) / 1000, atol=1e-6)
    segments = extract.plan_segments(frame_count, fps, 2, overlap_s=0.5, min_segment_s=1.0, max_segment_s=2.0)
    assert len(segments) >= 3
    stats: list = []
    split = extract.extract_parallel(clip, None, segments, fps, width, height, frame_count, workers=2, stats=stats)
    np.testing.assert_array_equal(split.t, single.t)
    first = int(np.searchsorted(single.t, segments[0].keep_end / fps - 1e-6))
    np.testing.assert_array_equal(split.image[:first], single.image[:first])
    assert len(stats) == len(segments) and all(s["frames"] > 0 and s["model_s"] > 0 for s in stats)
