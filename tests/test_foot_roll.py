"""The foot-roll reader: its crops, its numpy network, and the shipped model on rendered feet."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

from posecheck.detect import foot_roll
from posecheck.errors import BadModel

REPO = pathlib.Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_videos"


def landmarks(left_ankle=(700.0, 600.0), right_ankle=(580.0, 600.0), shank_px=140.0) -> np.ndarray:
    """Pixel landmarks with only the knees and ankles that the crop needs (a person facing the camera)."""
    points = np.zeros((33, 3), np.float32)
    for knee, ankle, (x, y) in ((25, 27, left_ankle), (26, 28, right_ankle)):
        points[ankle, :2] = (x, y)
        points[knee, :2] = (x, y - shank_px)
    return points


def test_crop_puts_the_medial_side_on_the_right_for_both_feet():
    picture = np.full((720, 1280, 3), 90, np.uint8)
    points = landmarks()
    # a bright mark just medial of each ankle (towards the other foot)
    picture[590:610, 665:685] = 250  # left foot: its medial side is towards the right foot, at smaller x
    picture[590:610, 595:615] = 250  # right foot: medial is at larger x
    for side in ("left", "right"):
        crop = foot_roll.crop_foot(picture, points, side).mean(axis=2)
        assert crop.shape == (foot_roll.CROP_H, foot_roll.CROP_W)
        bright = np.argwhere(crop > 170)
        assert len(bright), side
        assert bright[:, 1].min() > foot_roll.CROP_W / 2, side  # all of the mark right of the crop's middle


def test_crop_scales_with_the_shank():
    rng = np.random.default_rng(0)
    small = rng.integers(0, 255, (360, 640, 3), np.uint8)
    small = np.repeat(np.repeat(small, 4, axis=0), 4, axis=1)[:720, :1280]  # blocky texture that survives scaling
    large = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)
    near = foot_roll.crop_foot(large, landmarks((1400, 1200), (1160, 1200), 280), "left").astype(float)
    far = foot_roll.crop_foot(small, landmarks((700, 600), (580, 600), 140), "left").astype(float)
    assert np.mean(np.abs(near - far)) < 12  # the same crop, up to resampling


def test_convolution_matches_a_plain_loop():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 6, 4)).astype(np.float32)
    weight = rng.normal(size=(5, 3, 3, 3)).astype(np.float32)
    bias = rng.normal(size=5).astype(np.float32)
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    conv = np.zeros((2, 5, 6, 4), np.float32)
    for n in range(2):
        for o in range(5):
            for i in range(6):
                for j in range(4):
                    conv[n, o, i, j] = np.sum(padded[n, :, i:i + 3, j:j + 3] * weight[o]) + bias[o]
    expected = np.maximum(conv, 0).reshape(2, 5, 3, 2, 2, 2).max(axis=(3, 5))
    np.testing.assert_allclose(foot_roll._conv3x3_relu_pool(x, weight, bias), expected, rtol=1e-4, atol=1e-5)


def test_normalise_takes_out_brightness_and_most_of_contrast():
    rng = np.random.default_rng(2)
    crops = rng.integers(40, 120, (1, 8, 6, 3)).astype(np.uint8)
    brighter = crops + np.uint8(60)
    np.testing.assert_allclose(foot_roll.normalise(crops), foot_roll.normalise(brighter), atol=1e-4)
    stronger = (crops.astype(int) * 2).astype(np.uint8)  # the small floor on the spread keeps noise from being blown up
    ratio = np.abs(foot_roll.normalise(stronger)).sum() / np.abs(foot_roll.normalise(crops)).sum()
    assert 1.0 <= ratio < 1.15


def test_a_missing_model_is_a_bad_model(tmp_path):
    with pytest.raises(BadModel, match="not a foot-roll model"):
        foot_roll.RollReader(tmp_path / "nothing.npz")


def test_the_shipped_model_loads_with_its_validation_error():
    reader = foot_roll.shipped_reader()
    assert 0.5 < reader.uncertainty_deg < 5


def sample_feet(name: str):
    """The mean picture of a shipped rendered clip, MediaPipe's mean landmarks over it, and the truth."""
    from posecheck.media.pictures import mean_picture
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.media.frames import open_file

    clip = SAMPLE / f"{name}.mp4"
    frames, points = [], []
    with open_file(clip) as source, PoseEstimator() as estimator:
        for frame in source:
            if frame.t >= 2.0:
                break
            pose = estimator.detect(frame)
            if pose is not None:
                frames.append(frame.image)
                points.append(pose.image * [source.width, source.height, source.width])
    truth = json.loads((SAMPLE / f"{name}.truth.json").read_text())["frames"]["eversion_deg"]
    return mean_picture(frames), np.mean(points, axis=0), {side: truth[side][0] for side in ("left", "right")}


@pytest.mark.slow
def test_shipped_model_reads_the_rolled_sample_feet_on_the_right_side():
    picture, points, truth = sample_feet("check_feet_rolled")
    rolls = foot_roll.shipped_reader().read_feet(picture, points)
    for side in ("left", "right"):
        assert abs(truth[side]) >= 6
        assert np.sign(rolls[side]) == np.sign(truth[side]), (side, rolls, truth)
        assert abs(rolls[side] - truth[side]) < 6, (side, rolls, truth)
