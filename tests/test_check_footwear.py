"""Bare feet or not (posecheck.detect.footwear), on painted pictures: a face and two feet in given colours."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posecheck.detect import footwear
from posecheck.detect.check import check_capture
from posecheck.detect.level import Level
from posecheck.report.check import verdict_lines
from test_posture import H, W, figure, project, still, with_reader

SKINS = {"light": (133, 166, 222), "medium": (85, 124, 181), "dark": (48, 70, 110)}  # BGR, the renderer's tones


def painted(face, left_foot, right_foot, shade=1.0) -> tuple[np.ndarray, np.ndarray]:
    """A picture of the stick figure with the face and the forefeet painted (feet darkened by `shade`), and its landmarks."""
    points = project(figure()) * [W, H, W]
    picture = np.full((H, W, 3), (120, 140, 90), np.uint8)
    eyes = points[[footwear.LEFT_EYE, footwear.RIGHT_EYE], :2]
    centre = points[[0, 9, 10], :2].mean(axis=0)
    size = int(np.linalg.norm(eyes[0] - eyes[1]) * 1.5)
    cv2.circle(picture, tuple(int(v) for v in centre), size, face, -1)
    for (ankle, toe), colour in (((27, 31), left_foot), ((28, 32), right_foot)):
        middle = (points[ankle, :2] + points[toe, :2]) / 2
        cv2.ellipse(picture, tuple(int(v) for v in middle), (18, 12), 0, 0, 360, tuple(int(c * shade) for c in colour), -1)
    return picture, points


@pytest.mark.parametrize("skin", sorted(SKINS))
@pytest.mark.parametrize("shade", [1.0, 0.6])
def test_bare_feet_match_the_face(skin, shade):
    picture, points = painted(SKINS[skin], SKINS[skin], SKINS[skin], shade)
    assert footwear.read_feet(picture, points) == {"left": "bare", "right": "bare"}


@pytest.mark.parametrize("shoe", [(245, 245, 245), (25, 25, 25), (60, 60, 200), (160, 90, 40), (128, 128, 128)])
def test_shoes_and_socks_do_not(shoe):
    picture, points = painted(SKINS["medium"], shoe, SKINS["medium"])
    assert footwear.read_feet(picture, points) == {"left": "covered", "right": "bare"}


def test_no_face_no_skin_colour():
    picture, points = painted(SKINS["light"], SKINS["light"], SKINS["light"])
    points[[footwear.LEFT_EYE, footwear.RIGHT_EYE], 0] = points[0, 0]  # eyes on one spot: no face to read
    assert footwear.read_feet(picture, points) == {"left": "unknown", "right": "unknown"}


@pytest.mark.parametrize("share, state", [(None, "unknown"), (0.0, "covered"), (footwear.COVERED_SHARE, "covered"),
                                          (0.45, "unknown"), (footwear.BARE_SHARE, "bare"), (1.0, "bare")])
def test_classify(share, state):
    assert footwear.classify(share) == state


def test_a_shoe_is_never_read_for_tilt(monkeypatch):
    reader = with_reader(monkeypatch, (9.0, -9.0), cover="covered")
    result = check_capture(still(figure()), pictures=lambda indices: np.zeros((H, W, 3), np.uint8), level=Level(0.0, 0.05, "verticals"))
    assert reader.asked == [((H, W, 3), [])]
    for side in ("left", "right"):
        assert (result.feet[side].tilt, result.feet[side].roll_deg, result.feet[side].footwear) == ("covered", None, "covered")
        assert result.feet[side].fppa_deg is not None  # the knee line is still measured
    lines = verdict_lines(result, "en")
    assert sum("covered" in line for line in lines) == 2 and not any("rolls" in line for line in lines)
