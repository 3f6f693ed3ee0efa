"""MediaPipe Pose landmarks: their indices, one frame's pose, and the series of a whole clip.

`LandmarkSeries` holds the pose of every frame of a clip as arrays; it saves to
`.npz` and loads without the model, so tests and debugging need no video.
"""

from __future__ import annotations

import dataclasses
import io
import math
import pathlib
import zipfile
from typing import Iterable, Iterator

import numpy as np

from posecheck.errors import InputNotFound, InputUnreadable
from posecheck.media.atomic import write_bytes

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
    interrupted: bool = False  # the analysis was stopped (Ctrl-C): these are the frames from the start up to then

    def __len__(self) -> int:
        return len(self.t)

    @property
    def duration_s(self) -> float:
        """How long the clip runs: to the end of its last frame (real times, so a variable frame rate is right too)."""
        if len(self.t) == 0:
            return 0.0
        period = float(np.median(np.diff(self.t))) if len(self.t) > 1 else (1 / self.fps if self.fps else 0.0)
        return float(self.t[-1]) + period

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
        buffer = io.BytesIO()  # written whole, and under exactly this name (np.savez would add .npz)
        np.savez_compressed(
            buffer, t=self.t, image=self.image, visibility=self.visibility, world=self.world, people=self.people,
            fps=self.fps, width=self.width, height=self.height, source=self.source,
        )
        write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, path: str | pathlib.Path) -> "LandmarkSeries":
        path = pathlib.Path(path)
        if path.is_dir():
            raise InputUnreadable(f"{path}: is a folder; give a landmark file (.npz) saved with --save-landmarks")
        if not path.is_file():
            raise InputNotFound(f"{path}: no such file; check the path")
        try:
            with np.load(path, allow_pickle=False) as data:
                series = cls(
                    data["t"], data["image"], data["visibility"], data["world"], data["people"],
                    float(data["fps"]), int(data["width"]), int(data["height"]), str(data["source"]),
                )
        except (OSError, KeyError, ValueError, TypeError, EOFError, zipfile.BadZipFile) as error:
            raise InputUnreadable(f"{path}: not a posecheck landmark file ({error}); save it again with --save-landmarks") from None
        problem = series.problem()
        if problem:
            raise InputUnreadable(f"{path}: not a usable landmark file ({problem}); save it again with --save-landmarks")
        return series

    def problem(self) -> str | None:
        """What makes a loaded series unusable, in words; None when it is sound."""
        n = len(self.t) if np.ndim(self.t) == 1 else -1
        shapes = {"t": (n,), "image": (n, NUM_LANDMARKS, 3), "visibility": (n, NUM_LANDMARKS),
                  "world": (n, NUM_LANDMARKS, 3), "people": (n,)}
        for name, shape in shapes.items():
            array = getattr(self, name)
            if not np.issubdtype(array.dtype, np.number) or array.shape != shape:
                return f"{name} has shape {array.shape} ({array.dtype}) where {shape} numbers were expected"
        if not np.isfinite(self.t).all() or (np.diff(self.t) < 0).any():
            return "the frame times are not finite and rising"
        if np.isinf(self.image).any() or np.isinf(self.world).any():
            return "landmarks out of range"
        if not (math.isfinite(self.fps) and self.fps >= 0 and self.width > 0 and self.height > 0):
            return f"frame rate {self.fps:g} or picture size {self.width}x{self.height} out of range"
        return None
