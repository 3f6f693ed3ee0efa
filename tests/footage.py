"""Where the labelled clips are: the shipped samples, and ../shared/footage when it exists."""

from __future__ import annotations

import json
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_videos"
SHARED = REPO.parent / "shared" / "footage"


def truth_of(video: pathlib.Path) -> dict | None:
    path = video.with_suffix(".truth.json")
    return json.loads(path.read_text()) if path.is_file() else None


def sample_clips() -> list[pathlib.Path]:
    return sorted(SAMPLES.glob("*.mp4"))


def synthetic_clips() -> list[pathlib.Path]:
    return sorted((SHARED / "synthetic").glob("*.mp4"))


def real_clips(folder: str = "real") -> list[tuple[pathlib.Path, dict]]:
    """The labelled real clips of a folder of ../shared/footage ("real", or "real-negatives": ordinary standing
    exercises without a rise), each with its label from the folder's labels.json."""
    labels_path = SHARED / folder / "labels.json"
    if not labels_path.is_file():
        return []
    labels = json.loads(labels_path.read_text())
    return [(SHARED / folder / name, label) for name, label in sorted(labels.items()) if name.endswith(".mp4") and "rises" in label]


def expected_reps(truth: dict) -> list[dict]:
    return [rep for rep in truth["events"]["reps"] if rep["counts_as_rep"]]
