"""Pose estimation with MediaPipe's PoseLandmarker, and landmark series you can save and replay.

`PoseEstimator` turns frames into `PoseFrame`s. `LandmarkSeries` holds the pose
of every frame of a clip as arrays; it saves to `.npz` and loads without the
model, so tests and debugging need no video.
"""

from __future__ import annotations

import contextlib
import dataclasses
import pathlib
import sys
import sysconfig
import zipfile
from typing import Iterable, Iterator

import cv2
import numpy as np

from .errors import BadModel, InputNotFound, InputUnreadable
from .sources import Frame, quiet_native_stderr

# MediaPipe Pose landmark indices (left = the person's left).
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

MODEL_NAME = "pose_landmarker_full.task"


def shipped_model(name: str) -> pathlib.Path:
    """A shipped model file: beside the source checkout, or where `pip install` put it."""
    candidates = [
        pathlib.Path(__file__).resolve().parent.parent / "models" / name,
        pathlib.Path(sysconfig.get_paths()["data"]) / "share" / "posecheck" / "models" / name,
        pathlib.Path(sys.prefix) / "share" / "posecheck" / "models" / name,
    ]
    for path in candidates:
        if path.is_file():
            return path
    return candidates[0]


def default_model_path() -> pathlib.Path:
    return shipped_model(MODEL_NAME)


def import_mediapipe():
    """MediaPipe with only what the pose landmarker needs: the package, its Image and ImageFormat.

    `import mediapipe` loads every legacy solution, and matplotlib with them:
    measured, 36 MB of memory that posecheck never uses. This installs the
    package without running its __init__; the Tasks API under it imports as
    usual. Anything unexpected (another MediaPipe layout): the ordinary import.
    """
    import importlib.util
    import types

    if "mediapipe" in sys.modules:
        return sys.modules["mediapipe"]
    try:
        spec = importlib.util.find_spec("mediapipe")
        package = types.ModuleType("mediapipe")
        package.__path__ = list(spec.submodule_search_locations)
        package.__spec__ = spec
        package.__file__ = spec.origin
        sys.modules["mediapipe"] = package
        from mediapipe.python._framework_bindings import image, image_frame

        package.Image = image.Image
        package.ImageFormat = image_frame.ImageFormat
        return package
    except Exception:  # noqa: BLE001 - fall back to the whole package
        for name in [name for name in sys.modules if name == "mediapipe" or name.startswith("mediapipe.")]:
            del sys.modules[name]
        import mediapipe

        return mediapipe


@dataclasses.dataclass
class PoseFrame:
    """One person's pose in one frame."""

    t: float
    image: np.ndarray  # (33, 3): x, y normalised to the image width and height, z relative depth
    visibility: np.ndarray  # (33,) in 0..1
    world: np.ndarray  # (33, 3) metres, origin between the hips, y down
    people: int = 1  # how many people the model saw; this is the nearest


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
                yield PoseFrame(float(self.t[i]), self.image[i], self.visibility[i], self.world[i], int(self.people[i]))

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


class PoseEstimator:
    """MediaPipe PoseLandmarker in VIDEO mode (or IMAGE mode for stills), nearest person first."""

    def __init__(self, model_path: str | pathlib.Path | None = None, still: bool = False, num_poses: int = 1):
        mp = import_mediapipe()  # imported here: replaying a saved series needs no model
        from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        path = pathlib.Path(model_path) if model_path else default_model_path()
        if not path.is_file():
            raise BadModel(f"{path}: no pose model there; pass --model PATH to a Pose Landmarker .task bundle")
        if not zipfile.is_zipfile(path):
            raise BadModel(f"{path}: not a Pose Landmarker .task bundle (lite, full or heavy); pass --model PATH")
        mode = vision.RunningMode.IMAGE if still else vision.RunningMode.VIDEO
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(path)),
            running_mode=mode,
            num_poses=num_poses,
            min_pose_detection_confidence=0.5,
            min_pose_presence_confidence=0.5,
            min_tracking_confidence=0.5,
        )
        try:
            with quiet_native_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            raise BadModel(f"{path}: not a usable Pose Landmarker bundle ({str(error).splitlines()[0]}); pass --model PATH") from None
        self.still = still
        self._last_ms = -1
        self._first = True

    def detect(self, frame: Frame) -> PoseFrame | None:
        rgb = cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB)  # a reversed numpy view would cost a copy 100x slower
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb)
        # The graph logs a warning to fd 2 when it first finds a person; keep it off the terminal.
        with quiet_native_stderr() if self._first else contextlib.nullcontext():
            if self.still:
                result = self._landmarker.detect(image)
            else:
                stamp = max(int(round(frame.t * 1000)), self._last_ms + 1)  # VIDEO mode needs rising stamps
                self._last_ms = stamp
                result = self._landmarker.detect_for_video(image, stamp)
        self._first = self._first and not result.pose_landmarks  # it comes with the first person found
        if not result.pose_landmarks:
            return None
        sizes = [_height_of(landmarks) for landmarks in result.pose_landmarks]
        nearest = int(np.argmax(sizes))
        landmarks = result.pose_landmarks[nearest]
        world = result.pose_world_landmarks[nearest]
        return PoseFrame(
            t=frame.t,
            image=np.array([(p.x, p.y, p.z) for p in landmarks], np.float32),
            visibility=np.array([p.visibility for p in landmarks], np.float32),
            world=np.array([(p.x, p.y, p.z) for p in world], np.float32),
            people=len(result.pose_landmarks),
        )

    def close(self) -> None:
        self._landmarker.close()

    def __enter__(self) -> "PoseEstimator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _height_of(landmarks) -> float:
    ys = [p.y for p in landmarks]
    return max(ys) - min(ys)
