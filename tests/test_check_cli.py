"""`posecheck check` end to end, in-process through `posecheck.cli.main`.

The tests on footage need ../shared/footage beside the repository and skip without it.
They run MediaPipe on short windows only (2 s), so the whole file takes under a minute.
"""

from __future__ import annotations

import json
import pathlib

import pytest

from posecheck.cli import main

FOOTAGE = pathlib.Path(__file__).resolve().parents[2] / "shared" / "footage"
SYNTHETIC = FOOTAGE / "synthetic"
REAL = FOOTAGE / "real"


def need(path: pathlib.Path) -> pathlib.Path:
    if not path.is_file():
        pytest.skip(f"{path} not available")
    return path


def run(capsys, *argv):
    status = main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def assert_refused(status, out, err, status_expected=6):
    assert status == status_expected
    assert out == ""  # no numbers, no verdict
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("posecheck: error: ")
    assert "%" not in err


# --- without footage ---------------------------------------------------------------------------


def test_help_lists_the_options(capsys):
    status = main(["check", "--help"])
    out = capsys.readouterr().out
    assert status == 0
    for option in ("--camera", "--start", "--seconds", "--sex", "--lang", "--image", "--json"):
        assert option in out


def test_missing_file(capsys, tmp_path):
    status, out, err = run(capsys, tmp_path / "nope.mp4")
    assert status == 3 and out == "" and "nope.mp4" in err


def test_file_and_camera_together_is_an_error(capsys, tmp_path):
    clip = tmp_path / "x.mp4"
    clip.write_bytes(b"")
    status, out, err = run(capsys, clip, "--camera", "0", "--lang", "en")
    assert status == 2 and "not both" in err  # a usage error, as in every command


def test_unreadable_image(capsys, tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a picture")
    status, out, err = run(capsys, bad)
    assert status == 4 and out == ""


def test_bad_choices_are_usage_errors(capsys):
    assert main(["check", "--sex", "robot"]) == 2
    assert main(["check", "--lang", "fr"]) == 2
    capsys.readouterr()


def test_check_speaks_the_language_rises_speaks(monkeypatch, capsys):
    """One language choice for every command: LANGUAGE=de:en wins over LANG=en_US, as gettext has it."""
    monkeypatch.setenv("LANGUAGE", "de:en")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["check", "--seconds", "0"]) != 0
    assert "--seconds" in capsys.readouterr().err
    from posecheck.report.texts import choose_language

    assert choose_language(None) == "de"


def test_every_refusal_has_a_message_in_both_languages():
    from posecheck.report.texts import STRINGS

    for reason in ("nobody", "head", "feet", "head+feet", "sideways", "not_standing", "away", "partial", "window", "moved",
                   "no_vertical", "level"):
        assert "check.refuse_" + reason in STRINGS["en"] and "check.refuse_" + reason in STRINGS["de"]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_tilted_camera_is_refused_with_its_angle(lang):
    from posecheck.detect.capture import CheckRefused
    from posecheck.report.check import refusal_message

    told = refusal_message(lang, "level", roll=9.2, limit=7.0)
    assert "9" in told and "7" in told and "{" not in told
    assert "{" not in refusal_message(lang, "level")  # the routine asks without the numbers
    assert CheckRefused("level", roll=9.2, limit=7.0).values == {"roll": 9.2, "limit": 7.0}


# --- on the shipped sample (rendered: left foot rolled in 10 deg, right out 8 deg, 56 % left) ---------


@pytest.mark.slow
def test_shipped_sample_reads_both_feet_tilts_and_the_weight(capsys, tmp_path):
    clip = pathlib.Path(__file__).resolve().parents[1] / "sample_videos" / "check_feet_rolled.mp4"
    out_json = tmp_path / "check.json"
    status, out, err = run(capsys, clip, "--lang", "en", "--json", out_json)
    assert status == 0, err
    data = json.loads(out_json.read_text())
    assert data["feet"]["left"]["tilt"] == "inward" and data["feet"]["left"]["roll_deg"] > 4
    assert data["feet"]["right"]["tilt"] == "outward" and data["feet"]["right"]["roll_deg"] < -4
    assert data["weight_left_pct"] == pytest.approx(56.4, abs=5)
    assert "Left foot: rolls inward (pronation)" in out and "Right foot: rolls outward (supination)" in out


# --- on footage --------------------------------------------------------------------------------


@pytest.mark.slow
def test_synthetic_weight_shift_json_and_picture(capsys, tmp_path):
    clip = need(SYNTHETIC / "e_front_barefoot_weight_shift.mp4")
    out_json, out_png = tmp_path / "check.json", tmp_path / "check.png"
    status, out, err = run(capsys, clip, "--start", 8, "--seconds", 2, "--lang", "en", "--json", out_json, "--image", out_png)
    assert status == 0, err
    data = json.loads(out_json.read_text())
    assert data["weight_left_pct"] == pytest.approx(74, abs=5)  # truth 0.74
    assert data["feet"]["left"]["tilt"] in ("inward", "outward", "neutral")
    assert data["quality"]["whole_body_visible"] and data["quality"]["still_enough"]
    assert "Weight: left 7" in out and "not a scale" in out
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_german_verdict(capsys):
    clip = need(SYNTHETIC / "f_front_barefoot_left_everted8.mp4")
    status, out, err = run(capsys, clip, "--start", 1, "--lang", "de", "--sex", "female")
    assert status == 0, err
    assert "Gewicht: links" in out and "Linker Fuß" in out and "keine Waage" in out


@pytest.mark.slow
def test_real_single_leg_stance_reads_on_the_stance_leg(capsys, tmp_path):
    clip = need(REAL / "skatefit_single_leg_balance_hold.mp4")
    out_json = tmp_path / "single.json"
    status, out, err = run(capsys, clip, "--start", 13, "--json", out_json, "--lang", "en")
    assert status == 0, err
    data = json.loads(out_json.read_text())
    assert data["weight_left_pct"] >= 80  # standing on the left leg
    assert data["feet"]["left"]["roll_deg"] is None  # shoes: no tilt


@pytest.mark.slow
def test_real_head_cut_off_is_refused(capsys):
    clip = need(REAL / "skatefit_standing_weight_shifts.mp4")
    status, out, err = run(capsys, clip, "--start", 3, "--lang", "en")
    assert_refused(status, out, err)


@pytest.mark.slow
def test_side_view_is_refused(capsys):
    clip = need(SYNTHETIC / "d_side_4rises.mp4")
    status, out, err = run(capsys, clip, "--start", 0.5, "--lang", "en")
    assert_refused(status, out, err)
    assert "sideways" in err


@pytest.mark.slow
def test_real_still_with_three_people_in_socks_turned_away(capsys, tmp_path):
    """The balance-board photo: three people, socks, the body turned 40 degrees. The nearest is checked and
    said so; no share (turned), no tilt read off a sock; the camera's roll from the room is reported."""
    still = need(REAL / "openpose_coco241_man_on_balance_board.jpg")
    out_json = tmp_path / "still.json"
    status, out, err = run(capsys, still, "--json", out_json, "--lang", "en")
    assert status == 0, err
    data = json.loads(out_json.read_text())
    assert data["weight_left_pct"] is None and data["weight_note"] == "turned" and data["weight_band"] is None
    assert data["quality"]["people"] == 3 and "nearest was checked" in out
    for side in ("left", "right"):
        assert data["feet"][side]["tilt"] in ("covered", "unknown") and data["feet"][side]["roll_deg"] is None
    assert data["camera_roll"]["source"] == "verticals" and abs(data["camera_roll"]["roll_deg"]) < 1.5
    assert "rolls" not in out and "clinical" not in out


@pytest.mark.slow
def test_no_tilt_is_ever_read_off_a_shoe_on_the_real_stills(capsys):
    for name in ("mmpose_h36m_S7_greeting_standing.jpg", "mmpose_h36m_S8_tpose_standing.jpg"):
        status, out, err = run(capsys, need(REAL / name), "--lang", "en")
        assert "rolls inward" not in out and "rolls outward" not in out, name
        if status != 0:  # no reliable vertical in that lab: asked to level the camera, one line
            assert_refused(status, out, err)
            assert "level" in err


@pytest.mark.slow
def test_camera_given_a_file(capsys):
    clip = need(SYNTHETIC / "f_front_barefoot_left_everted8.mp4")
    status, out, err = run(capsys, "--camera", clip, "--countdown", 0.2, "--seconds", 1, "--lang", "en")
    assert status == 0, err
    assert "Weight: left" in out and "Hold still" in err


@pytest.mark.slow
def test_whole_clip_on_two_threads_reads_like_one_pass(capsys, tmp_path):
    """Without --start the whole clip is analysed on every core; the seam must not change the check."""
    clip = pathlib.Path(__file__).resolve().parents[1] / "sample_videos" / "front_3rises.mp4"  # 23 s: two segments
    results = {}
    for workers in (1, 2):
        out_json = tmp_path / f"w{workers}.json"
        status, out, err = run(capsys, clip, "--workers", workers, "--no-progress", "--lang", "en", "--json", out_json)
        assert status == 0, err
        assert "Traceback" not in err
        results[workers] = json.loads(out_json.read_text())
    assert results[2]["weight_left_pct"] == pytest.approx(results[1]["weight_left_pct"], abs=1.0)
    assert results[2]["shoulder_tilt_deg"] == pytest.approx(results[1]["shoulder_tilt_deg"], abs=0.5)
