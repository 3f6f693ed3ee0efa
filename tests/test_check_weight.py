"""The weight share's uncertainty, its plausibility and its invariances (mirror, camera roll, half size),
on the synthetic stick figure of test_posture (no model, no video)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posecheck.detect import check as posture
from posecheck.detect.capture import Capture
from posecheck.detect.check import check_capture
from posecheck.detect.level import Level
from posecheck.pose.landmarks import NUM_LANDMARKS
from posecheck.report.check import verdict_lines
from test_posture import H, W, capture, figure, project, still, turned, world

LEVEL = Level(0.0, 0.05, "verticals")
# the person's left and right landmarks, pairwise: a mirror picture swaps them
PAIRS = [(1, 4), (2, 5), (3, 6), (7, 8), (9, 10)] + [(i, i + 1) for i in range(11, 33, 2)]


def swap_sides(points: np.ndarray) -> np.ndarray:
    order = np.arange(NUM_LANDMARKS)
    for a, b in PAIRS:
        order[a], order[b] = b, a
    return points[..., order, :]


def mirrored(cap: Capture) -> Capture:
    """The capture of the mirror picture: x flipped, and MediaPipe names the person's sides by what it sees."""
    image, world_ = cap.image.copy(), cap.world.copy()
    image[..., 0] = 1.0 - image[..., 0]
    image[..., 2] *= 1  # depth stays
    world_[..., 0] *= -1
    return Capture(cap.t, swap_sides(image), swap_sides(cap.visibility[..., None])[..., 0], swap_sides(world_), cap.width,
                   cap.height, cap.people)


def turned_camera(cap: Capture, roll_deg: float) -> Capture:
    """The capture of a camera turned by `roll_deg` (+ = the picture counter-clockwise) about the picture's centre."""
    a = math.radians(roll_deg)
    rotation = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])  # counter-clockwise with y down
    pixels = cap.pixels()
    centre = np.array([cap.width / 2, cap.height / 2])
    pixels[..., :2] = (pixels[..., :2] - centre) @ rotation.T + centre
    world_ = cap.world.copy()
    world_[..., :2] = world_[..., :2] @ rotation.T
    image = pixels / np.array([cap.width, cap.height, cap.width], np.float32)
    return Capture(cap.t, image.astype(np.float32), cap.visibility, world_.astype(np.float32), cap.width, cap.height, cap.people)


def half_size(cap: Capture) -> Capture:
    return Capture(cap.t, cap.image, cap.visibility, cap.world, cap.width // 2, cap.height // 2, cap.people)


@pytest.mark.parametrize("shift", [-0.05, 0.0, 0.03])
def test_mirror_picture_mirrors_the_result(shift):
    cap = still(figure(shift=shift, toe_out=(12.0)), seed=1)
    cap.world[..., 31, 2] += 0.03  # the left foot turned out more than the right
    original = check_capture(cap, level=LEVEL)
    mirror = check_capture(mirrored(cap), level=LEVEL)
    assert mirror.weight_left_pct == pytest.approx(100 - original.weight_left_pct, abs=0.5)
    assert mirror.weight.uncertainty_pct == pytest.approx(original.weight.uncertainty_pct, rel=0.05)
    assert mirror.feet["left"].toe_out_deg == pytest.approx(original.feet["right"].toe_out_deg, abs=0.5)
    assert mirror.feet["right"].toe_out_deg == pytest.approx(original.feet["left"].toe_out_deg, abs=0.5)
    assert mirror.shoulder_tilt_deg == pytest.approx(-original.shoulder_tilt_deg, abs=0.3)


@pytest.mark.parametrize("roll", [-5.0, -2.0, 3.0, 5.0])
def test_a_turned_camera_is_corrected_by_its_roll(roll):
    cap = still(figure(shift=0.03), seed=2)
    level = check_capture(cap, level=LEVEL)
    corrected = check_capture(turned_camera(cap, roll), level=Level(roll, 0.05, "verticals"))
    uncorrected = check_capture(turned_camera(cap, roll), level=LEVEL)
    assert corrected.weight_left_pct == pytest.approx(level.weight_left_pct, abs=0.5)
    assert corrected.shoulder_tilt_deg == pytest.approx(level.shoulder_tilt_deg, abs=0.3)
    assert corrected.head_shift_cm == pytest.approx(level.head_shift_cm, abs=0.3)
    # not corrected, the same stance reads several points per degree off (or no share at all)
    assert uncorrected.weight_left_pct is None or abs(uncorrected.weight_left_pct - level.weight_left_pct) > 4 * abs(roll)


def test_half_size_reads_alike():
    cap = still(figure(shift=-0.02), seed=3)
    full, half = check_capture(cap, level=LEVEL), check_capture(half_size(cap), level=LEVEL)
    assert half.weight_left_pct == pytest.approx(full.weight_left_pct, abs=0.2)
    assert half.weight.uncertainty_pct == pytest.approx(full.weight.uncertainty_pct, rel=0.02)


def test_a_narrow_stance_widens_the_uncertainty_and_loses_the_band():
    wide = check_capture(still(figure(stance=0.30)), level=LEVEL)
    narrow = check_capture(still(figure(stance=0.08)), level=LEVEL)
    assert narrow.weight.uncertainty_pct > 2.5 * wide.weight.uncertainty_pct
    assert wide.weight_band == "even" and wide.weight.uncertainty_pct < posture.EVEN_BAND_PCT
    assert narrow.weight_band is None and narrow.weight.note == "spread_stance"
    line = verdict_lines(narrow, "en")[1]
    assert "hip-width" in line and "±" in line


@pytest.mark.parametrize("pct, spread, band", [
    (50, 0, "even"), (53, 1.9, "even"), (53, 2.1, "within"), (57, 1, "slight"), (43, 1.9, "slight"), (56, 3, "within"), (57, 3, None),
    (50, 9, "within"), (50, 9.5, None), (62, 2.9, "uneven"), (62, 3.1, None), (38, 3.1, None), (25, 10, "uneven"),
])
def test_a_band_only_when_the_whole_spread_lies_in_it(pct, spread, band):
    assert posture.weight_band(pct, spread) == band


def test_the_roll_s_uncertainty_widens_the_share():
    sharp = check_capture(still(figure(stance=0.16)), level=Level(0.0, 0.05, "verticals"))
    vague = check_capture(still(figure(stance=0.16)), level=Level(0.0, 0.45, "verticals"))
    assert vague.weight.sd_pct["roll"] == pytest.approx(9 * sharp.weight.sd_pct["roll"], rel=0.01)  # in proportion
    assert vague.weight_band is None and vague.weight.note == "spread_roll"
    assert "camera" in verdict_lines(vague, "en")[1]


def test_jitter_over_the_window_widens_the_share():
    calm = check_capture(still(figure(), jitter=0.001), level=LEVEL)
    shaky = check_capture(still(figure(), jitter=0.006), level=LEVEL)
    assert shaky.weight.sd_pct["jitter"] > 3 * calm.weight.sd_pct["jitter"] > 0


@pytest.mark.parametrize("stance, note", [(0.20, "level"), (0.08, "narrow")])
def test_both_feet_down_never_carry_all_the_weight(stance, note):
    """A centre of mass over one planted foot, or beyond it, standing still on both: no share, and why."""
    result = check_capture(still(figure(shift=0.14 if stance > 0.1 else 0.07, stance=stance)), level=LEVEL)
    assert not any(foot.lifted for foot in result.feet.values())
    assert result.weight_left_pct is None and result.weight.note == note
    assert result.feet["left"].weight_pct is None
    for lang in ("en", "de"):
        assert "100" not in verdict_lines(result, lang)[1]


def test_a_turned_body_gives_no_share():
    result = check_capture(capture([turned(figure(shift=0.03), 35)] * 30), level=LEVEL)
    assert result.weight_left_pct is None and result.weight.note == "turned"


def test_one_leg_is_all_the_weight_without_a_spread():
    result = check_capture(still(figure(shift=0.10, lift="right")), level=LEVEL)
    assert result.weight_left_pct == 100.0 and result.weight.uncertainty_pct is None


def test_repeat_captures_agree_within_their_spread():
    shares = [check_capture(still(figure(shift=0.02), jitter=0.003, seed=seed), level=LEVEL).weight for seed in range(6)]
    mean = np.mean([w.left_pct for w in shares])
    assert all(abs(w.left_pct - mean) <= w.uncertainty_pct for w in shares)


def test_json_reports_the_spread_and_the_roll():
    data = check_capture(still(figure(shift=0.02)), level=Level(2.5, 0.3, "verticals", 12)).to_dict()
    assert data["camera_roll"] == {"roll_deg": 2.5, "sd_deg": 0.3, "source": "verticals", "lines": 12}
    assert data["weight_uncertainty_pct"] > 0 and set(data["weight_sd_parts_pct"]) == {"jitter", "landmarks", "roll"}
    narrow = check_capture(still(figure(shift=0.07, stance=0.08)), level=LEVEL).to_dict()
    assert narrow["weight_left_pct"] is None and narrow["weight_band"] is None and narrow["weight_note"] == "narrow"


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("case", ["band", "no band", "no band, roll", "near the line", "narrow", "level", "turned", "one leg",
                                  "assumed level"])
def test_every_verdict_reads_in_both_languages(lang, case):
    make = {
        "band": lambda: check_capture(still(figure(shift=0.02)), level=Level(1.5, 0.05, "horizontals")),
        "no band": lambda: check_capture(still(figure(stance=0.08)), level=LEVEL),
        "no band, roll": lambda: check_capture(still(figure(stance=0.16)), level=Level(-2.0, 0.45, "verticals")),
        "near the line": lambda: check_capture(still(figure(shift=0.017)), level=LEVEL),
        "narrow": lambda: check_capture(still(figure(shift=0.07, stance=0.08)), level=LEVEL),
        "level": lambda: check_capture(still(figure(shift=0.14)), level=LEVEL),
        "turned": lambda: check_capture(capture([turned(figure(), 35)] * 30), level=LEVEL),
        "one leg": lambda: check_capture(still(figure(shift=0.1, lift="left")), level=LEVEL),
        "assumed level": lambda: check_capture(still(figure())),
    }[case]
    lines = verdict_lines(make(), lang)
    assert all("{" not in line and "}" not in line for line in lines)
    plumb = [line for line in lines if line.startswith(("Plumb line", "Lot:"))]
    assert len(plumb) == 1
    if case == "band":
        assert ("+1.5" if lang == "en" else "+1,5") in plumb[0]
    if case == "near the line":
        assert ("too near the 41/59" if lang == "en" else "zu nah an der Grenze 41/59") in lines[1]
