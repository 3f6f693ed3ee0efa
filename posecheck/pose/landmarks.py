"""MediaPipe Pose landmarks: their indices, one frame's pose, and the series of a whole clip.

`LandmarkSeries` holds the pose of every frame of a clip as arrays; it saves to
`.npz` and loads without the model, so tests and debugging need no video.
"""

from __future__ import annotations

import dataclasses
import pathlib
import zipfile
from typing import Iterable, Iterator

import numpy as np

from posecheck.errors import InputNotFound, InputUnreadable

NOSE = 0
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
LEFT_ELBOW, RIGHT_ELBOW = 13, 14
LEFT_WRIST, RIGHT_WRIST = 15, 16
LEFT_HIP, RIGHT_HIP = 23, 24
LEFT_KNEE, RIGHT_KNEE = 25, 26
LEFT_ANKLE, RIGHT_ANKLE = 27, 28
LEFT_HEEL, RIGHT_HEEL = 29, 30
LEFT_TOE, RIGHT_TOE = 31, 32  # "foot index": the tip of the big toe
NUM_LANDMARKS = 33



@dataclasses.dataclass
class PoseFrame:
    """One person's pose in one frame."""

    t: float
    image: np.ndarray  # (33, 3): x, y normalised to the image width and height, z relative depth
    visibility: np.ndarray  # (33,) in 0..1
    world: np.ndarray  # (33, 3) metres, origin between the hips, y down
    width: int  # the picture's size in pixels: `image` is normalised to it
    height: int
    people: int = 1  # how many people the model saw; this is the nearest

    @property
    def pixels(self) -> np.ndarray:
        """(33, 2) image positions in pixels."""
        return self.image[:, :2].astype(np.float64) * (self.width, self.height)


@dataclasses.dataclass
class LandmarkSeries:
    """The pose in every frame of a clip; NaN rows where nobody was found."""

    t: np.ndarray  # (N,) seconds
    image: np.ndarray  # (N, 33, 3)
    visibility: np.ndarray  # (N, 33)
    world: np.ndarray  # (N, 33, 3)
    people: np.ndarray  # (N,) int
    fps: float
    width: int
    height: int
    source: str = ""

    def __len__(self) -> int:
        return len(self.t)

    @property
    def detected(self) -> np.ndarray:
        return ~np.isnan(self.image[:, 0, 0])

    def frames(self) -> Iterator[PoseFrame | None]:
        """Replay as the estimator produced it: a PoseFrame, or None where nobody was found."""
        for i in range(len(self.t)):
            if np.isnan(self.image[i, 0, 0]):
                yield None
            else:
                yield PoseFrame(float(self.t[i]), self.image[i], self.visibility[i], self.world[i], self.width, self.height, int(self.people[i]))

    @classmethod
    def from_frames(cls, times: Iterable[float], poses: Iterable[PoseFrame | None], fps: float, width: int, height: int, source: str = "") -> "LandmarkSeries":
        times = list(times)
        poses = list(poses)
        n = len(times)
        image = np.full((n, NUM_LANDMARKS, 3), np.nan, np.float32)
        visibility = np.zeros((n, NUM_LANDMARKS), np.float32)
        world = np.full((n, NUM_LANDMARKS, 3), np.nan, np.float32)
        people = np.zeros(n, np.int16)
        for i, pose in enumerate(poses):
            if pose is not None:
                image[i], visibility[i], world[i], people[i] = pose.image, pose.visibility, pose.world, pose.people
        return cls(np.asarray(times, np.float64), image, visibility, world, people, fps, width, height, source)

    def save(self, path: str | pathlib.Path) -> None:
        np.savez_compressed(
            path, t=self.t, image=self.image, visibility=self.visibility, world=self.world, people=self.people,
            fps=self.fps, width=self.width, height=self.height, source=self.source,
        )

    @classmethod
    def load(cls, path: str | pathlib.Path) -> "LandmarkSeries":
        path = pathlib.Path(path)
        if not path.is_file():
            raise InputNotFound(f"{path}: no such file; check the path")
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(
                    data["t"], data["image"], data["visibility"], data["world"], data["people"],
                    float(data["fps"]), int(data["width"]), int(data["height"]), str(data["source"]),
                )
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
            raise InputUnreadable(f"{path}: not a posecheck landmark file ({error})") from None
