"""End to end on labelled clips: the exact count, and holds within 0.3 s of the truth."""

import json

import pytest

from footage import SHARED, expected_reps, real_clips, sample_clips, synthetic_clips, truth_of
from posecheck.cli import main
from posecheck.errors import ExitStatus

pytestmark = pytest.mark.slow  # every test here runs the pose model on whole clips

HOLD_TOLERANCE_S = 0.3


def analyse(video, tmp_path, *extra):
    out = tmp_path / "report.json"
    status = main(["rises", str(video), "--json", str(out), "--no-progress", *extra])
    report = json.loads(out.read_text())
    # The report never contradicts the exit status: "nothing counted" (6) comes with a count of 0.
    assert status != ExitStatus.NO_PERSON or report["count"] == 0
    return status, report


def check_against_truth(video, tmp_path):
    truth = truth_of(video)
    status, report = analyse(video, tmp_path)
    assert status == 0
    expected = expected_reps(truth)
    assert report["count"] == truth["events"]["rep_count"] == len(expected)
    for rep, true in zip(report["reps"], expected):
        assert rep["hold_s"] == pytest.approx(true["hold_s"], abs=HOLD_TOLERANCE_S)
        assert rep["start_s"] < true["top_s"] < rep["end_s"]


@pytest.mark.parametrize("video", sample_clips(), ids=lambda p: p.stem)
def test_sample_videos(video, tmp_path):
    check_against_truth(video, tmp_path)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/footage is not here")
@pytest.mark.parametrize("video", synthetic_clips(), ids=lambda p: p.stem)
def test_synthetic_footage(video, tmp_path):
    check_against_truth(video, tmp_path)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/footage is not here")
@pytest.mark.parametrize("video, label", real_clips(), ids=lambda c: getattr(c, "stem", ""))
def test_real_footage(video, label, tmp_path):
    status, report = analyse(video, tmp_path)
    assert report["count"] == label["rises"]
    if label["rises"] == 0:
        return
    assert status == 0
    # Every counted rise must have its top inside a labelled top (labels are +/- 0.25 s).
    tops = label.get("tops") or [rep["top"] for rep in label["reps"]]
    for rep in report["reps"]:
        middle = (rep["top_s"] + rep["lower_s"]) / 2
        assert any(start - 0.5 <= middle <= end + 0.5 for start, end in tops), rep


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/footage is not here")
@pytest.mark.parametrize("video, label", real_clips("real-negatives"), ids=lambda c: getattr(c, "stem", ""))
def test_ordinary_standing_exercises_count_nothing(video, label, tmp_path):
    """Squats, lunges, presses, raises, bends, a tree pose: the trunk goes up, the heels do not. Where nobody was
    seen standing still, head to feet in the picture (the feet below its edge, a walk), the command refuses
    (exit 6) and its report says so too."""
    status, report = analyse(video, tmp_path)
    assert report["count"] == 0, report["reps"]
    refused = any("nothing could be counted" in warning for warning in report["warnings"])
    assert status == (ExitStatus.NO_PERSON if refused else ExitStatus.OK)
    if not label.get("whole_body", True):
        assert refused


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/footage is not here")
def test_head_cut_off_is_reported_not_counted(tmp_path):
    video = SHARED / "real" / "skatefit_standing_weight_shifts.mp4"
    status, report = analyse(video, tmp_path)
    assert report["count"] == 0
    assert any("not fully visible" in warning for warning in report["warnings"])
