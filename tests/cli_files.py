"""Files and a runner for the command-line fault tests: a scripted landmark series, a few-frame clip, a picture."""

from __future__ import annotations

import hashlib
import os
import pathlib

import cv2
import numpy as np
import pytest

from posecheck.cli import main
from posecheck.pose.landmarks import LandmarkSeries
from synthetic_pose import HEIGHT, WIDTH, play

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPT = [("stand", 2.0), ("rise", 0.7, 3.0, 0.7, 6.0), ("stand", 1.5), ("rise", 0.7, 2.0, 0.7, 6.0), ("stand", 2.0)]


def write_clip(path, frames: int, size=(32, 24), fps=30):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), (i * 7) % 255, np.uint8))
    writer.release()


def save_series(path, script=SCRIPT):
    frames = list(play(script))
    LandmarkSeries.from_frames([t for t, _ in frames], [p for _, p in frames], 30.0, WIDTH, HEIGHT, "scripted").save(path)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """The working folder with the inputs; the training log in home/; English."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path / "home"))
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    save_series(tmp_path / "two.npz")
    write_clip(tmp_path / "clip.mp4", 5)
    cv2.imwrite(str(tmp_path / "photo.jpg"), np.zeros((24, 32, 3), np.uint8))
    (tmp_path / "folder").mkdir()
    os.link(tmp_path / "two.npz", tmp_path / "linked.json")
    (tmp_path / "alias.npz").symlink_to(tmp_path / "two.npz")
    np.savez(tmp_path / "mismatch.npz", t=np.arange(10) / 30, image=np.zeros((9, 33, 3)), visibility=np.zeros((10, 33)),
             world=np.zeros((10, 33, 3)), people=np.ones(10), fps=30.0, width=640, height=480, source="x")
    return tmp_path


def checksums(root: pathlib.Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def run(argv, capsys):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err
