"""The barefoot check and the body model's pure functions on synthetic landmark arrays (no model, no video).

A stick figure of a 1.70 m person is built in metres (x = the person's left, y up,
z forward), turned about the vertical axis for oblique and side views, and projected
orthographically at 300 px/m into a 1280 x 720 picture facing the camera.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from posecheck.body import geometry
from posecheck.detect import foot_roll, footwear
from posecheck.detect.capture import LEG_PAIRS, Capture, CheckRefused, NotStill, average_still_frames, select_window
from posecheck.detect.check import analyse, ankle_offset_px, check_capture, weight_band
from posecheck.detect.level import Level
from posecheck.errors import NoPerson
from posecheck.report.texts import tr

W, H = 1280, 720
PX_PER_M = 300.0

# name: (x, y, z) in metres for a neutral stance; the right side mirrors x.
LEFT_POINTS = {
    2: (0.03, 1.62, 0.09), 1: (0.02, 1.62, 0.10), 3: (0.04, 1.62, 0.09), 7: (0.075, 1.60, 0.0), 9: (0.025, 1.54, 0.09),
    11: (0.18, 1.40, 0.0), 13: (0.20, 1.10, 0.0), 15: (0.21, 0.85, 0.02), 17: (0.22, 0.78, 0.02), 19: (0.20, 0.77, 0.04),
    21: (0.20, 0.80, 0.05), 23: (0.09, 0.90, 0.0), 25: (0.095, 0.48, 0.02), 27: (0.10, 0.07, 0.0), 29: (0.10, 0.02, -0.05),
    31: (0.077, 0.01, 0.20),
}
RIGHT_OF = {2: 5, 1: 4, 3: 6, 7: 8, 9: 10, 11: 12, 13: 14, 15: 16, 17: 18, 19: 20, 21: 22, 23: 24, 25: 26, 27: 28, 29: 30, 31: 32}
LEGS = {"left": (25, 27, 29, 31), "right": (26, 28, 30, 32)}


def figure(shift=0.0, roll=(0.0, 0.0), lift=None, toe_out=0.0, stance=0.20, knee_in=0.0, shoulder_up=0.0, head_shift=0.0,
           sitting=False) -> np.ndarray:
    """(33, 3) metres. shift: pelvis and everything above it sideways (+ = left); roll: eversion of
    (left, right) in degrees (+ = inward); lift: "left"/"right" foot 20 cm up; toe_out in degrees."""
    p = np.zeros((33, 3))
    p[0] = (0.0, 1.58, 0.11)
    for left, xyz in LEFT_POINTS.items():
        p[left] = xyz
        p[RIGHT_OF[left]] = (-xyz[0], xyz[1], xyz[2])
    for side, sign in (("left", 1), ("right", -1)):
        knee, ankle, heel, toe = LEGS[side]
        half = stance / 2
        p[ankle, 0] = p[heel, 0] = sign * half
        p[toe, 0] = sign * (half - 0.023)
        p[knee, 0] = sign * (0.09 + half) / 2
    # toe-out: turn each foot about its ankle
    for side, sign in (("left", 1), ("right", -1)):
        _, ankle, heel, toe = LEGS[side]
        a = math.radians(toe_out) * sign
        for i in (heel, toe):
            d = p[i] - p[ankle]
            p[i, 0] = p[ankle, 0] + d[0] * math.cos(a) + d[2] * math.sin(a)
            p[i, 2] = p[ankle, 2] - d[0] * math.sin(a) + d[2] * math.cos(a)
    # foot roll about the long axis on the floor: the ankle (7 cm up) moves medially
    for side, sign, angle in (("left", 1, roll[0]), ("right", -1, roll[1])):
        knee, ankle, heel, _ = LEGS[side]
        medial = -sign
        p[ankle, 0] += medial * p[ankle, 1] * math.sin(math.radians(angle))
        p[heel, 0] += medial * p[heel, 1] * math.sin(math.radians(angle))
        p[knee, 0] += medial * 0.5 * p[ankle, 1] * math.sin(math.radians(angle))
    upper = [i for i in range(33) if i not in (25, 26, 27, 28, 29, 30, 31, 32)]
    p[upper, 0] += shift
    p[[25, 26], 0] += shift / 2
    for side, sign in (("left", 1), ("right", -1)):
        p[LEGS[side][0], 0] -= sign * knee_in  # knee medially
    p[[11, 13, 15, 17, 19, 21], 1] += shoulder_up
    p[list(range(11)), 0] += head_shift
    if lift:
        knee, ankle, heel, toe = LEGS[lift]
        p[[ankle, heel, toe], 1] += 0.20
        p[knee, 1] += 0.10
        p[knee, 2] += 0.25
    if sitting:
        for side in LEGS:
            knee, ankle, heel, toe = LEGS[side]
            hip = 23 if side == "left" else 24
            p[knee] = p[hip] + (0.0, 0.0, 0.43)
            p[[ankle, heel, toe], 2] += 0.43
            p[:, 1] -= 0.0
    return p


def turned(p: np.ndarray, yaw_deg: float) -> np.ndarray:
    """The figure turned about the vertical axis (+ = turning its left side towards the camera)."""
    a = math.radians(yaw_deg)
    q = p.copy()
    q[:, 0] = p[:, 0] * math.cos(a) - p[:, 2] * math.sin(a)
    q[:, 2] = p[:, 0] * math.sin(a) + p[:, 2] * math.cos(a)
    return q


def project(p: np.ndarray, dx=0.0, dy=0.0) -> np.ndarray:
    """Normalised image landmarks of a figure facing the camera (its left is +x in the picture)."""
    image = np.zeros((33, 3), np.float32)
    image[:, 0] = (W / 2 + PX_PER_M * (p[:, 0] + dx)) / W
    image[:, 1] = (680 - PX_PER_M * (p[:, 1] + dy)) / H
    image[:, 2] = -p[:, 2] * PX_PER_M / W
    return image


def world(p: np.ndarray) -> np.ndarray:
    """MediaPipe-like world landmarks: centred at the hips, x as in the picture, y down, z away from the camera."""
    hips = (p[23] + p[24]) / 2
    w = np.empty_like(p)
    w[:, 0] = p[:, 0] - hips[0]
    w[:, 1] = -(p[:, 1] - hips[1])
    w[:, 2] = -(p[:, 2] - hips[2])
    return w.astype(np.float32)


def capture(frames: list[np.ndarray], fps=30.0, image_frames=None) -> Capture:
    n = len(frames)
    images = image_frames if image_frames is not None else [project(f) for f in frames]
    return Capture(
        t=np.arange(n) / fps, image=np.array(images, np.float32), visibility=np.full((n, 33), 0.95, np.float32),
        world=np.array([world(f) for f in frames], np.float32), width=W, height=H, people=np.ones(n, int),
    )


def still(p: np.ndarray, n=60, jitter=0.002, seed=0) -> Capture:
    rng = np.random.default_rng(seed)
    return capture([p + rng.normal(0, jitter, p.shape) for _ in range(n)])


def check(p, **kwargs):
    return check_capture(still(p), **kwargs)


# --- weight share ------------------------------------------------------------------------------


@pytest.mark.parametrize("com_x, left_x, right_x, share", [
    (0.0, 0.1, -0.1, 0.5), (0.05, 0.1, -0.1, 0.75), (-0.05, 0.1, -0.1, 0.25), (0.2, 0.1, -0.1, 1.0), (-0.3, 0.1, -0.1, 0.0),
    (700.0, 600.0, 800.0, 0.5), (650.0, 600.0, 800.0, 0.75),  # facing away: the left foot is on the picture's left
])
def test_lever_rule(com_x, left_x, right_x, share):
    assert geometry.lever_share(com_x, left_x, right_x) == pytest.approx(share)


@pytest.mark.parametrize("shift, side", [(0.04, "left"), (0.08, "left"), (-0.04, "right"), (-0.08, "right")])
def test_shifted_centre_of_mass_loads_that_foot(shift, side):
    result = check(figure(shift=shift))
    heavier = "left" if result.weight_left_pct > 50 else "right"
    assert heavier == side
    assert abs(result.weight_left_pct - 50) > 8
    assert result.com_shift_cm * shift > 0  # + = towards the left


def test_even_stance_reads_even():
    result = check(figure())
    assert result.weight_left_pct == pytest.approx(50, abs=2)
    assert result.weight_band == "even"


def test_share_grows_with_the_shift():
    shares = [check(figure(shift=s)).weight_left_pct for s in (-0.06, -0.03, 0.0, 0.03, 0.06)]
    assert shares == sorted(shares)


@pytest.mark.parametrize("pct, band", [(50, "even"), (54.9, "even"), (45.1, "even"), (56, "slight"), (41, "slight"), (59, "slight"),
                                        (60, "uneven"), (30, "uneven")])
def test_weight_bands(pct, band):
    assert weight_band(pct) == band


@pytest.mark.parametrize("lift, left_pct", [("left", 0.0), ("right", 100.0)])
def test_lifted_foot_carries_nothing(lift, left_pct):
    result = check(figure(shift=0.10 if lift == "right" else -0.10, lift=lift))
    assert result.weight_left_pct == left_pct
    assert result.feet[lift].lifted and result.feet[lift].tilt == "lifted"
    assert result.stance.type == "single leg"


def test_foot_set_back_in_an_even_stance_is_not_lifted():
    p = figure()
    image = project(p)
    image[[27, 29, 31], 1] -= 0.06 * 1.7 * PX_PER_M / H  # 6 % of stature higher in the picture, weight even
    result = check_capture(capture([p] * 30, image_frames=[image] * 30))
    assert not result.feet["left"].lifted
    assert 35 < result.weight_left_pct < 65


def test_centre_of_mass_follows_the_segments():
    p = figure()
    com = geometry.centre_of_mass(p)
    assert com[0] == pytest.approx(0.0, abs=1e-6)
    assert 0.85 < com[1] < 1.05  # about 55-60 % of stature
    with pytest.raises(ValueError):
        analyse(average_still_frames(still(p), 0, 10), sex="robot")


# --- the body model (posecheck.body.geometry) ----------------------------------------------------------


def segment_by_segment(p: np.ndarray, sex: str) -> np.ndarray:
    """de Leva's model written out segment by segment, to check the weights `centre_of_mass` uses."""
    table = geometry.DE_LEVA[sex]
    along = lambda a, b, f: a + f * (b - a)
    parts = [(table["head"][0], (p[7] + p[8]) / 2),
             (table["trunk"][0], along((p[11] + p[12]) / 2, (p[23] + p[24]) / 2, table["trunk"][1]))]
    for s in geometry.SIDES.values():
        hand = (p[s["index"]] + p[s["pinky"]]) / 2
        for name, a, b in (("upper_arm", p[s["shoulder"]], p[s["elbow"]]), ("forearm", p[s["elbow"]], p[s["wrist"]]),
                           ("hand", p[s["wrist"]], hand), ("thigh", p[s["hip"]], p[s["knee"]]),
                           ("shank", p[s["knee"]], p[s["ankle"]]), ("foot", p[s["heel"]], p[s["toe"]])):
            parts.append((table[name][0], along(a, b, table[name][1])))
    return sum(m * x for m, x in parts) / sum(m for m, _ in parts)


@pytest.mark.parametrize("sex", ["female", "male", "average"])
@pytest.mark.parametrize("pose", ["neutral", "shifted", "single leg", "turned 35"])
def test_centre_of_mass_is_de_levas_segment_model(sex, pose):
    p = {"neutral": figure(), "shifted": figure(shift=0.06, head_shift=0.03), "single leg": figure(lift="right", shift=0.1),
         "turned 35": turned(figure(), 35)}[pose]
    weights = geometry.com_weights(sex)
    assert weights.sum() == pytest.approx(1.0)
    for points in (p, project(p) * [W, H, W], world(p)):
        np.testing.assert_allclose(geometry.centre_of_mass(points, sex), segment_by_segment(points, sex), atol=1e-6)


def test_centre_of_mass_weights_are_symmetric_and_refuse_an_unknown_sex():
    w = geometry.com_weights()
    for left, right in ((7, 8), (11, 12), (15, 16), (19, 20), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32)):
        assert w[left] == pytest.approx(w[right])
    with pytest.raises(ValueError):
        geometry.com_weights("robot")


@pytest.mark.parametrize("heel, toe, ankle, support", [
    ((0, 0), (10, 0), (2, -3), (3.95, -1.5)),  # (2 + 1.9, -3) from the ankle and (4, 0) on the sole
    ((0, 0), (-10, 0), (-2, -3), (-3.95, -1.5)),  # the foot pointing the other way
    ((5, 5), (5, 5), (5, 2), (5, 3.5)),  # no foot length: between the ankle and the heel
])
def test_support_point(heel, toe, ankle, support):
    p = np.zeros((33, 2))
    for side in ("left", "right"):
        s = geometry.SIDES[side]
        p[s["heel"]], p[s["toe"]], p[s["ankle"]] = heel, toe, ankle
        np.testing.assert_allclose(geometry.support_point(p, side), support)


@pytest.mark.parametrize("turned_by, turn, side_on", [
    (0, 0, 0), (10, -10, 10), (-35, 35, 35), (35, -35, 35), (60, -60, 60), (-90, 90, 90), (130, -130, 50), (-150, 150, 30),
])
def test_turn_from_the_camera(turned_by, turn, side_on):
    t = geometry.turn_deg(world(turned(figure(), turned_by)))
    assert t == pytest.approx(turn, abs=1e-4)
    assert geometry.side_on_deg(t) == pytest.approx(side_on, abs=1e-4)


@pytest.mark.parametrize("turn, side_on", [(0, 0), (30, 30), (-30, 30), (90, 90), (-90, 90), (120, 60), (180, 0), (-180, 0), (-150, 30)])
def test_side_on_folds_front_and_back(turn, side_on):
    assert geometry.side_on_deg(turn) == pytest.approx(side_on)


@pytest.mark.parametrize("hips, side_on", [
    ((0.3, 0.0, 0.0), 0.0), ((-0.3, 0.0, 0.0), 0.0), ((0.2, 0.0, 0.2), 45.0), ((-0.2, 0.0, 0.2), 45.0),
    ((0.1, 0.0, -0.3), math.degrees(math.atan2(0.3, 0.1))), ((0.0, 0.0, 0.3), 90.0),
])
def test_side_on_from_the_hips_alone(hips, side_on):
    """The stance's view angle: the hip line only, front and back alike (atan2(|z|, |x|))."""
    w = np.zeros((33, 3))
    w[23], w[24] = np.array(hips) / 2, -np.array(hips) / 2
    assert geometry.side_on_deg(geometry.turn_deg(w, geometry.HIPS)) == pytest.approx(side_on)


@pytest.mark.parametrize("broken", ["nan", "zero"])
def test_turn_is_unknown_without_a_body_line(broken):
    w = np.full((33, 3), np.nan) if broken == "nan" else np.zeros((33, 3))
    assert math.isnan(geometry.turn_deg(w))


@pytest.mark.parametrize("zoom, stature_m, px_per_m", [(1.0, 1.70, 302.2), (2.0, 1.70, 604.3), (1.0, 1.90, 270.4)])
def test_scale_from_the_body_s_own_lengths(zoom, stature_m, px_per_m):
    image = project(figure()) * [W, H, W] * zoom  # 300 px/m; the figure is 1.71 m by Drillis & Contini
    assert geometry.px_per_metre(image, stature_m) == pytest.approx(px_per_m, abs=0.2)


# --- feet --------------------------------------------------------------------------------------


class FixedReader:
    """Stands in for the roll model: reads the given roll for each foot (the model itself is tested on rendered feet)."""

    uncertainty_deg = 2.0

    def __init__(self, rolls):
        self.rolls = dict(zip(("left", "right"), rolls))
        self.asked = []

    def read_feet(self, picture, landmarks_px, sides=("left", "right"), roll_deg=0.0):
        self.asked.append((picture.shape, list(sides)))
        return {side: self.rolls[side] for side in sides}


def with_reader(monkeypatch, rolls, cover="bare") -> FixedReader:
    """The roll model replaced by `FixedReader`, and every foot taken as `cover` (footwear is tested on its own)."""
    reader = FixedReader(rolls)
    monkeypatch.setattr(foot_roll, "shipped_reader", lambda: reader)
    monkeypatch.setattr(footwear, "read_feet", lambda picture, landmarks, sides, roll_deg=0.0: {side: cover for side in sides})
    return reader


def blank_pictures(indices):
    return np.zeros((H, W, 3), np.uint8)


LEVEL = Level(0.0, 0.05, "horizontals")  # a blank picture shows no room: its level is given


@pytest.mark.parametrize("rolls, left, right", [
    ((0.0, 0.0), "neutral", "neutral"),
    ((3.9, -3.9), "neutral", "neutral"),
    ((4.0, 0.0), "inward", "neutral"),
    ((0.0, 9.0), "neutral", "inward"),
    ((-4.0, 0.0), "outward", "neutral"),
    ((12.0, -12.0), "inward", "outward"),
])
def test_the_read_roll_decides_the_tilt(monkeypatch, rolls, left, right):
    reader = with_reader(monkeypatch, rolls)
    result = check_capture(still(figure()), pictures=blank_pictures, level=LEVEL)
    assert (result.feet["left"].tilt, result.feet["right"].tilt) == (left, right)
    assert (result.feet["left"].roll_deg, result.feet["right"].roll_deg) == rolls
    assert result.feet["left"].roll_uncertainty_deg == 2.0
    assert reader.asked == [((H, W, 3), ["left", "right"])]


def test_without_pictures_the_tilt_is_unknown_and_the_rest_is_measured():
    result = check(figure(knee_in=0.03))
    for side in ("left", "right"):
        foot = result.feet[side]
        assert (foot.tilt, foot.roll_deg, foot.roll_uncertainty_deg) == ("unknown", None, None)
        assert foot.fppa_deg > 3 and foot.ankle_offset_mm is not None


def test_a_lifted_foot_is_not_read(monkeypatch):
    reader = with_reader(monkeypatch, (7.0, 7.0))
    result = check_capture(still(figure(lift="right")), pictures=blank_pictures, level=LEVEL)
    assert result.feet["right"].tilt == "lifted" and result.feet["right"].roll_deg is None
    assert result.feet["left"].tilt == "inward"
    assert reader.asked[0][1] == ["left"]


def test_the_pictures_asked_for_are_the_averaged_frames(monkeypatch):
    with_reader(monkeypatch, (0.0, 0.0))
    asked = []

    def pictures(indices):
        asked.append(list(indices))
        return blank_pictures(indices)

    result = check_capture(still(figure(), n=60), seconds=1.0, start=0.5, pictures=pictures, level=LEVEL)
    assert result.quality.frames_used == len(asked[0]) == 30
    assert asked[0][0] == 15


def test_foot_tilt_is_independent_of_facing_direction():
    p = figure(roll=(10, -10))
    mirrored = project(p)
    mirrored[:, 0] = 1.0 - mirrored[:, 0]  # seen from behind in a mirror image: left appears on the picture's left
    w = world(p)
    w[:, 0] *= -1
    image = mirrored * [W, H, W]
    assert ankle_offset_px(image, "left") > 0 > ankle_offset_px(image, "right")


def test_knee_valgus_gives_positive_fppa_but_no_foot_tilt(monkeypatch):
    with_reader(monkeypatch, (0.0, 0.0))
    result = check_capture(still(figure(knee_in=0.03)), pictures=blank_pictures, level=LEVEL)
    for side in ("left", "right"):
        assert result.feet[side].fppa_deg > 3
        assert result.feet[side].tilt == "neutral"
    bowed = check(figure(knee_in=-0.03))
    assert bowed.feet["left"].fppa_deg < -3


@pytest.mark.parametrize("toe_out", [0.0, 15.0, 30.0])
def test_toe_out_from_world_landmarks(toe_out):
    result = check(figure(toe_out=toe_out))
    # the big toe sits 2.3 cm medial of the foot axis, which reads about 6 degrees less
    assert result.feet["left"].toe_out_deg == pytest.approx(toe_out - 6, abs=3)
    assert result.feet["right"].toe_out_deg == pytest.approx(toe_out - 6, abs=3)


# --- posture and stance ------------------------------------------------------------------------


def test_shoulder_and_pelvis_tilt_signs():
    result = check(figure(shoulder_up=0.0))
    assert abs(result.shoulder_tilt_deg) < 0.5 and abs(result.pelvis_tilt_deg) < 0.5
    p = figure()
    p[11, 1] += 0.03  # left shoulder up 3 cm over 36 cm
    p[24, 1] += 0.02  # right hip up 2 cm over 18 cm
    result = check(p)
    assert result.shoulder_tilt_deg == pytest.approx(math.degrees(math.atan2(0.03, 0.36)), abs=0.5)
    assert result.pelvis_tilt_deg == pytest.approx(-math.degrees(math.atan2(0.02, 0.18)), abs=0.5)


def test_head_and_trunk_shift_from_the_plumb_line():
    result = check(figure(head_shift=0.04))
    assert result.head_shift_cm == pytest.approx(4.0 * 1.70 / 1.70, abs=1.5)
    assert abs(result.trunk_shift_cm) < 1.0
    result = check(figure(shift=-0.05))
    assert result.trunk_shift_cm < -3 and result.head_shift_cm < -3


@pytest.mark.parametrize("stance, toe_out, kind", [
    (0.20, 5.0, "parallel"), (0.40, 5.0, "wide"), (0.05, 5.0, "narrow"), (0.20, 30.0, "turned out"), (0.40, 30.0, "wide, turned out"),
])
def test_stance_type(stance, toe_out, kind):
    assert check(figure(stance=stance, toe_out=toe_out)).stance.type == kind


def test_centimetres_follow_the_given_height():
    small = check(figure(shift=0.05), stature_m=1.50)
    tall = check(figure(shift=0.05), stature_m=1.90)
    assert tall.com_shift_cm / small.com_shift_cm == pytest.approx(1.90 / 1.50, rel=0.01)
    assert tall.weight_left_pct == pytest.approx(small.weight_left_pct)


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, make, reason", [
    ("side view", lambda: capture([turned(figure(), 90)] * 30), "sideways"),
    ("turned 60 degrees", lambda: capture([turned(figure(), 60)] * 30), "sideways"),
    ("turned 130 degrees", lambda: capture([turned(figure(), -130)] * 30), "away"),
    ("from behind", lambda: capture([turned(figure(), 180)] * 30), "away"),
    ("feet cut off", lambda: capture([figure()] * 30, image_frames=[project(figure(), dy=-0.3)] * 30), "feet"),
    ("head cut off", lambda: capture([figure()] * 30, image_frames=[project(figure(), dy=0.8)] * 30), "head"),
    ("sitting", lambda: capture([figure(sitting=True)] * 30), "not_standing"),
])
def test_refusals(name, make, reason):
    with pytest.raises(CheckRefused) as refused:
        check_capture(make())
    assert refused.value.reason == reason
    assert isinstance(refused.value, NoPerson)
    assert "\n" not in str(refused.value) and not any(ch.isdigit() for ch in str(refused.value))


@pytest.mark.parametrize("reason", ["nobody", "head", "feet", "head+feet", "sideways", "away", "partial", "not_standing", "window"])
def test_refusals_say_the_table_s_words(reason):
    assert str(CheckRefused(reason)) == tr("en", "check.refuse_" + reason)
    assert str(CheckRefused(reason, "in other words")) == "in other words"
    assert CheckRefused(reason).reason == reason
    assert str(NotStill()) == tr("en", "check.refuse_moved")


def test_nobody_there():
    empty = capture([figure()] * 20)
    empty.image[:] = np.nan
    with pytest.raises(CheckRefused) as refused:
        check_capture(empty)
    assert refused.value.reason == "nobody"


def test_oblique_view_is_checked_but_flagged():
    result = check_capture(capture([turned(figure(), 35)] * 30))
    assert not result.quality.frontal_enough
    assert abs(result.quality.yaw_deg) == pytest.approx(35, abs=3)
    frontal = check_capture(capture([turned(figure(), 10)] * 30))
    assert frontal.quality.frontal_enough


# --- capture: movement rejection and windows ---------------------------------------------------


def test_frames_where_the_person_moved_are_rejected():
    p = figure()
    frames = [p.copy() for _ in range(40)]
    for i in range(30, 40):
        frames[i] = figure(shift=0.10)  # stepped aside
    cap = capture(frames)
    pose = average_still_frames(cap, 0, 40)
    assert pose.frames_used == 30 and pose.frames_total == 40
    result = check_capture(cap, seconds=40 / 30)
    assert result.weight_left_pct == pytest.approx(50, abs=2)
    assert result.quality.still_enough


def test_movement_is_flagged_and_too_much_refused():
    swaying = [figure(shift=0.1 * math.sin(i / 3)) for i in range(40)]
    assert not check_capture(capture(swaying), seconds=40 / 30).quality.still_enough
    walking = [figure(shift=0.25 * math.sin(i / 3)) for i in range(40)]
    with pytest.raises(NotStill):
        check_capture(capture(walking), seconds=40 / 30)


def test_stillest_window_is_chosen():
    frames = [figure(shift=0.08 * math.sin(i / 2)) for i in range(60)] + [figure(shift=0.05)] * 60 + \
             [figure(shift=-0.08 * math.sin(i / 2)) for i in range(60)]
    cap = capture(frames)
    i0, i1, _ = select_window(cap, seconds=2.0)
    assert 55 <= i0 <= 65 and i1 - i0 == 60
    result = check_capture(cap, seconds=2.0)
    assert result.weight_left_pct > 65  # the stance held still (5 cm to the left)
    chosen = check_capture(cap, seconds=1.0, start=0.0)  # the moving start, when asked for
    assert chosen.window_start_s == 0.0


def test_window_outside_the_clip_is_refused():
    with pytest.raises(CheckRefused) as refused:
        check_capture(still(figure(), n=30), start=5.0)
    assert refused.value.reason == "window"


def test_crossed_leg_labels_are_swapped_back():
    p = figure(shift=0.08, lift="right")
    image = project(p)
    crossed = image.copy()
    for left, right in LEG_PAIRS:
        crossed[[left, right]] = crossed[[right, left]]
    cap = capture([p] * 30, image_frames=[crossed] * 30)
    result = check_capture(cap)
    assert result.feet["right"].lifted and result.weight_left_pct == 100.0


# --- result ------------------------------------------------------------------------------------


def test_json_has_the_documented_fields(monkeypatch):
    with_reader(monkeypatch, (10.0, 0.0))
    result = check_capture(still(figure(shift=0.03, roll=(10, 0))), pictures=blank_pictures, level=LEVEL)
    data = json.loads(result.to_json())
    assert isinstance(data["weight_left_pct"], float)
    assert data["weight_left_pct"] + data["weight_right_pct"] == pytest.approx(100)
    for side in ("left", "right"):
        assert data["feet"][side]["tilt"] in ("inward", "outward", "neutral")
        assert isinstance(data["feet"][side]["roll_deg"], float)
        assert "roll_deg" in data["feet"][side]["inferred"] and "ankle_offset_mm" in data["feet"][side]["measured"]
    for key in ("shoulder_tilt_deg", "pelvis_tilt_deg", "head_shift_cm", "trunk_shift_cm"):
        assert isinstance(data[key], float)
    assert set(data["quality"]) >= {"whole_body_visible", "frontal_enough", "still_enough"}
    assert data["quality"]["whole_body_visible"] is True
    assert "not a scale" in data["note"]
    assert data["feet"]["left"]["tilt"] == "inward"
