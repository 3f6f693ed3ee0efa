"""The command line in-process: exit codes and one-line errors for bad input."""

import csv
import json

import cv2
import numpy as np
import pytest

from posecheck.cli import main
from posecheck.errors import ExitStatus
from posecheck.pose.landmarks import LandmarkSeries
from synthetic_pose import HEIGHT, WIDTH, play

SCRIPT = [("stand", 2.0), ("rise", 0.7, 3.0, 0.7, 6.0), ("stand", 1.5), ("rise", 0.7, 2.0, 0.7, 6.0), ("stand", 2.0)]


@pytest.fixture
def series_file(tmp_path):
    """Two rises as a saved landmark series: the CLI replays it without the model."""
    frames = list(play(SCRIPT))
    series = LandmarkSeries.from_frames([t for t, _ in frames], [p for _, p in frames], 30.0, WIDTH, HEIGHT, "scripted")
    path = tmp_path / "two_rises.npz"
    series.save(path)
    return path


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("posecheck: error: ")
    assert "Traceback" not in err[0]
    return err[0]


def test_replays_a_saved_series(series_file, tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["rises", str(series_file), "--json", str(out), "--csv", str(tmp_path / "f.csv")]) == ExitStatus.OK
    report = json.loads(out.read_text())
    assert report["count"] == 2
    assert report["rounds"] == [2]
    assert report["partial"] == 0
    assert [r["hold_ok"] for r in report["reps"]] == [True, False]
    assert isinstance(report["warnings"], list)
    assert "1 hold(s) shorter than the 3 s target" in report["warnings"]
    rows = list(csv.DictReader(open(tmp_path / "f.csv")))
    assert len(rows) == len(list(play(SCRIPT)))
    assert {row["phase"] for row in rows} >= {"ready", "rest", "rising", "hold"}
    assert "2 rises" in capsys.readouterr().out


def test_hold_target_option(series_file, tmp_path):
    out = tmp_path / "report.json"
    assert main(["rises", str(series_file), "--hold", "2", "--json", str(out)]) == ExitStatus.OK
    assert [r["hold_ok"] for r in json.loads(out.read_text())["reps"]] == [True, True]


def test_missing_file(capsys):
    assert main(["rises", "no/such/video.mp4"]) == ExitStatus.INPUT_NOT_FOUND
    assert "no such file" in one_error_line(capsys)


def test_corrupt_video(tmp_path, capsys):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00not a video" * 100)
    assert main(["rises", str(bad)]) == ExitStatus.INPUT_UNREADABLE
    assert "cannot be read" in one_error_line(capsys)


def test_corrupt_landmark_file(tmp_path, capsys):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"garbage")
    assert main(["rises", str(bad)]) == ExitStatus.INPUT_UNREADABLE
    one_error_line(capsys)


def test_unwritable_output_fails_before_the_work(series_file, capsys):
    assert main(["rises", str(series_file), "--json", "/no/such/folder/report.json"]) == ExitStatus.OUTPUT_UNWRITABLE
    assert "does not exist" in one_error_line(capsys)


def test_wrong_model(tmp_path, capsys):
    video = tmp_path / "empty.mp4"
    write_video(video, [np.zeros((120, 160, 3), np.uint8)] * 5)
    model = tmp_path / "model.task"
    model.write_text("not a model")
    assert main(["rises", str(video), "--model", str(model), "--no-progress"]) == ExitStatus.BAD_MODEL
    assert "--model" in one_error_line(capsys)


def test_missing_model(tmp_path, capsys):
    video = tmp_path / "empty.mp4"
    write_video(video, [np.zeros((120, 160, 3), np.uint8)] * 5)
    assert main(["rises", str(video), "--model", str(tmp_path / "nope.task"), "--no-progress"]) == ExitStatus.BAD_MODEL
    one_error_line(capsys)


def test_nobody_in_view(tmp_path, capsys):
    video = tmp_path / "empty_room.mp4"
    rng = np.random.default_rng(0)
    write_video(video, [np.full((240, 320, 3), 120, np.uint8) + rng.integers(0, 10, (240, 320, 3), dtype=np.uint8) for _ in range(30)])
    out = tmp_path / "report.json"
    assert main(["rises", str(video), "--json", str(out), "--no-progress"]) == ExitStatus.NO_PERSON
    assert "no whole person" in one_error_line(capsys)
    report = json.loads(out.read_text())
    assert report["count"] == 0 and report["warnings"]


def test_no_arguments_is_usage_error(capsys):
    assert main([]) == ExitStatus.USAGE


def write_video(path, frames, fps=30):
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for frame in frames:
        writer.write(frame)
    writer.release()
