"""Clips as phones and apps write them count like the original: AV1, HEVC, VP9, a portrait clip with a rotation tag,
a variable frame rate. Each is made here with PyAV from the shipped sample (the whole clip, its own size and rate),
then analysed through the command line; the counts must agree and the holds be within 0.3 s of the original's.
"""

from __future__ import annotations

import json
import pathlib

import av
import cv2
import pytest

from posecheck.cli import main
from posecheck.media.frames import VideoFile
from test_media import AV1, SAMPLE, has_encoder, write_clip

pytestmark = pytest.mark.slow  # each clip is encoded and then analysed by the pose model
SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "footage"
HOLD_TOLERANCE_S = 0.3


def report_of(clip: pathlib.Path, tmp_path: pathlib.Path) -> dict:
    out = tmp_path / f"{clip.stem}.json"
    assert main(["rises", str(clip), "--json", str(out), "--no-progress"]) == 0
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    if not SAMPLE.is_file():
        pytest.skip("sample_videos/front_3rises.mp4 is not here")
    with VideoFile(SAMPLE) as video:
        frames = [(frame.image, frame.t) for frame in video]
    return frames, report_of(SAMPLE, tmp_path_factory.mktemp("original"))


def assert_counts_like(report: dict, reference: dict) -> None:
    assert report["count"] == reference["count"]
    for rep, expected in zip(report["reps"], reference["reps"]):
        assert abs(rep["hold_s"] - expected["hold_s"]) <= HOLD_TOLERANCE_S


@pytest.mark.parametrize(
    "codec, suffix, options",
    [
        pytest.param(AV1 or "libsvtav1", "mp4", {"preset": "12"} if AV1 == "libsvtav1" else {"cpu-used": "8"}, id="av1"),
        pytest.param("libx265", "mp4", {"x265-params": "log-level=none", "preset": "ultrafast"}, id="hevc"),
        pytest.param("libvpx-vp9", "webm", {"deadline": "realtime", "cpu-used": "8", "b": "2M"}, id="vp9"),
    ],
)
def test_codecs_count_like_the_original(tmp_path, original, codec, suffix, options):
    if not has_encoder(codec):
        pytest.skip(f"this PyAV cannot encode {codec}")
    frames, reference = original
    clip = write_clip(tmp_path / f"clip.{suffix}", [image for image, _ in frames], codec, rate=30, options=options)
    assert_counts_like(report_of(clip, tmp_path), reference)


def test_portrait_clip_with_a_rotation_tag_is_analysed_upright(tmp_path, original):
    """Stored sideways with a tag that says "turn a quarter": every player shows it upright, and so must posecheck."""
    if not hasattr(av.video.stream.VideoStream, "set_display_rotation"):
        pytest.skip("this PyAV cannot write a display matrix (reading one is tested in test_media)")
    frames, reference = original
    sideways = [cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE) for image, _ in frames]
    clip = write_clip(tmp_path / "portrait.mp4", sideways, rate=30, rotation=-90)
    with VideoFile(clip) as video:
        assert (video.width, video.height) == (1280, 720)
    assert_counts_like(report_of(clip, tmp_path), reference)


def test_variable_frame_rate_is_timed_by_the_stamps(tmp_path, original):
    """Every frame for 9 s, then every third, stamps kept (phones in low light): the holds keep their real length."""
    frames, reference = original
    kept = [(image, t) for i, (image, t) in enumerate(frames) if t < 9.0 or i % 3 == 0]
    clip = write_clip(tmp_path / "vfr.mp4", [image for image, _ in kept], rate=30, pts=[round(t * 1000) for _, t in kept])
    report = report_of(clip, tmp_path)
    assert_counts_like(report, reference)
    assert report["duration_s"] == pytest.approx(reference["duration_s"], abs=0.15)


def test_a_real_clip_in_av1_counts_like_its_original(tmp_path):
    """A real person (umali, 3 labelled rises), re-encoded to AV1 as phones and web apps save clips."""
    real = SHARED / "real" / "umali_standing_calf_raises.mp4"
    if not real.is_file() or AV1 is None:
        pytest.skip("the shared real footage or an AV1 encoder is not here")
    with VideoFile(real) as video:
        frames = [frame.image for frame in video]
        rate = round(video.fps)
    clip = write_clip(tmp_path / "real_av1.mp4", frames, AV1, rate=rate, options={"preset": "12"} if AV1 == "libsvtav1" else {"cpu-used": "8"})
    with av.open(str(clip)) as written:
        assert written.streams.video[0].codec_context.name in ("av1", "libdav1d")
    # Counted alike; the holds of a real clip move with the coding loss more than a render's (hand labels are +/- 0.25 s).
    assert report_of(clip, tmp_path)["count"] == report_of(real, tmp_path)["count"]
