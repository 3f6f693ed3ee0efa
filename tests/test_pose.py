"""The pose model's import: only what the landmarker needs."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_landmarker_loads_without_mediapipe_legacy_solutions():
    """`import mediapipe` would load every legacy solution and matplotlib (36 MB); the landmarker needs none of it."""
    code = (
        "import sys\n"
        "from posecheck.pose.estimator import PoseEstimator\n"
        "with PoseEstimator() as estimator:\n"
        "    pass\n"
        "print('matplotlib' in sys.modules, 'mediapipe.python.solutions' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
