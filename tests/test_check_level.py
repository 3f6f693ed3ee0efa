"""The camera's roll from the room's straight edges (posecheck.detect.level), on drawn pictures of a room."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from posecheck.detect import level
from posecheck.detect.level import Level, camera_roll, fit_lines, level_points
from test_posture import figure, project

W, H = 960, 540
CENTRE = (W / 2, H / 2)


def person() -> np.ndarray:
    """Landmarks (33, 3) of the stick figure standing in the middle of the picture, 430 px tall."""
    points = project(figure()) * [1280, 720, 1280]
    points[:, :2] = (points[:, :2] - points[:, :2].mean(axis=0)) * 0.9 + (W / 2, H / 2)
    return points


def room(roll_deg=0.0, verticals=True, floor=True, vanishing_y=None, seed=0) -> np.ndarray:
    """A wall with a door frame and a cupboard (vertical edges) and a floor line, the camera turned by `roll_deg`
    (+ = the picture turned counter-clockwise, as the renderer's camera.roll_deg). With `vanishing_y` the vertical
    edges meet at (W/2, vanishing_y), as seen by a camera looking down."""
    picture = np.full((H, W, 3), 200, np.uint8)
    rng = np.random.default_rng(seed)
    if floor:
        cv2.rectangle(picture, (-50, 430), (W + 50, H + 50), (90, 110, 140), -1)
    if verticals:
        for x in (90, 200, 700, 830, 880):
            top, bottom = (x, 40), (x, 420)
            if vanishing_y is not None:  # lean towards the vanishing point below
                bottom = (int(round(x + (W / 2 - x) * 380 / (vanishing_y - 40))), 420)
            cv2.line(picture, top, bottom, (60, 50, 40), 4, cv2.LINE_AA)
    # the person: strong edges that must not count, their legs a little apart
    body = person()
    for a, b in level.SKELETON:
        cv2.line(picture, tuple(int(v) for v in body[a, :2]), tuple(int(v) for v in body[b, :2]), (20, 20, 20), 12, cv2.LINE_AA)
    turn = cv2.getRotationMatrix2D(CENTRE, roll_deg, 1.0)  # + = counter-clockwise in the picture
    picture = cv2.warpAffine(picture, turn, (W, H), borderMode=cv2.BORDER_REFLECT)
    noise = rng.normal(0, 3, picture.shape)
    return np.clip(picture + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("roll", [-5.0, -2.0, 0.0, 3.0, 5.0])
def test_roll_from_vertical_edges(roll):
    found = camera_roll(room(roll), person())
    assert found.source == "verticals" and found.reliable
    assert found.roll_deg == pytest.approx(roll, abs=0.2)
    assert found.sd_deg < 0.5


def test_a_camera_looking_down_is_not_a_roll():
    """Vertical edges that meet far below the picture (pitch) lean both ways; the roll is still 0."""
    found = camera_roll(room(0.0, vanishing_y=3000.0), person())
    assert found.roll_deg == pytest.approx(0.0, abs=0.3)
    naive = np.mean([abs(a) for a in level._angles(level.find_lines(room(0.0, vanishing_y=3000.0)), True) if abs(a) < 20])
    assert naive > 0.5  # the edges do lean


@pytest.mark.parametrize("roll", [-4.0, 2.0])
def test_mirrored_and_half_size_pictures_read_alike(roll):
    picture = room(roll)
    mirrored = camera_roll(picture[:, ::-1].copy(), person())
    half = camera_roll(cv2.resize(picture, (W // 2, H // 2), interpolation=cv2.INTER_AREA), person() / 2)
    assert mirrored.source == half.source == "verticals"
    assert mirrored.roll_deg == pytest.approx(-roll, abs=0.2)
    assert half.roll_deg == pytest.approx(roll, abs=0.25)


def test_the_floor_line_when_there_are_no_vertical_edges():
    found = camera_roll(room(3.0, verticals=False), person())
    assert found.source == "horizontals"
    assert found.roll_deg == pytest.approx(3.0, abs=0.2)
    assert found.sd_deg >= level.WALL_ANGLE_SD_DEG  # the wall's angle to the camera is not known


def test_a_bare_picture_gives_no_vertical():
    found = camera_roll(room(0.0, verticals=False, floor=False), person())
    assert found.source == "none" and not found.reliable


def test_lines_that_disagree_are_not_reliable():
    """Edges leaning every which way (no room, clutter) give a large SD, not a confident roll."""
    rng = np.random.default_rng(3)
    picture = np.full((H, W, 3), 200, np.uint8)
    for _ in range(14):
        x, a = rng.uniform(40, 920), math.radians(rng.uniform(-15, 15))
        cv2.line(picture, (int(x), 60), (int(x + 300 * math.sin(a)), int(60 + 300 * math.cos(a))), (40, 40, 40), 3, cv2.LINE_AA)
    found = camera_roll(picture, np.full((33, 3), np.nan))
    assert not found.reliable or found.sd_deg > 1.0


def test_one_object_is_one_vote():
    """Twenty bars of one radiator leaning 6 degrees do not outvote three upright edges elsewhere."""
    lines = [[20 + 4 * i, 100, 20 + 4 * i + 300 * math.sin(math.radians(6)), 400] for i in range(20)]
    lines += [[x, 50, x, 450] for x in (300, 500, 700, 900)]
    found = fit_lines(np.array(lines, float), W, H, vertical=True)
    assert abs(found.roll_deg) < 1.5


@pytest.mark.parametrize("roll", [-5.0, 5.0])
def test_level_points_turns_the_true_vertical_upright(roll):
    turn = cv2.getRotationMatrix2D(CENTRE, roll, 1.0)
    upright = np.array([[480.0, 100.0], [480.0, 400.0]])
    seen = np.c_[upright, np.ones(2)] @ turn.T  # the vertical as the turned camera sees it
    levelled = level_points(seen, roll, CENTRE)
    np.testing.assert_allclose(levelled, upright, atol=1e-9)


def test_the_person_is_masked_out_but_not_the_room_beside_them():
    mask = level.person_mask(person(), W, H)
    body = person()
    assert mask[int(body[23, 1]), int(body[23, 0])] and mask[int(body[0, 1]), int(body[0, 0])]
    assert not mask[270, 90] and not mask[270, 880]  # the door frame and the cupboard
    lines = level.find_lines(room(0.0), mask)
    leaning = np.abs(level._angles(lines, True))
    assert not np.any((leaning > 3) & (leaning < 20))  # none of the person's legs or arms


def test_level_round_trip_and_dict():
    points = np.random.default_rng(0).uniform(0, 900, (33, 3))
    back = level_points(level_points(points, 4.0, (10.0, 20.0)), -4.0, (10.0, 20.0))
    np.testing.assert_allclose(back, points, atol=1e-9)
    assert Level(1.234, 0.456, "verticals", 9).to_dict() == {"roll_deg": 1.23, "sd_deg": 0.46, "source": "verticals", "lines": 9}
