"""Pose estimation with MediaPipe's PoseLandmarker: frames in, `PoseFrame`s out."""

from __future__ import annotations

import contextlib
import importlib.util
import pathlib
import sys
import sysconfig
import threading
import types
import zipfile

import cv2
import numpy as np

from posecheck.errors import BadModel
from posecheck.media.frames import Frame
from posecheck.media.quiet import quiet_native_stderr
from posecheck.pose.landmarks import PoseFrame

MODEL_NAME = "pose_landmarker_full.task"


def shipped_model(name: str) -> pathlib.Path:
    """A shipped model file: beside the source checkout, or where `pip install` put it."""
    candidates = [
        pathlib.Path(__file__).resolve().parents[2] / "models" / name,
        pathlib.Path(sysconfig.get_paths()["data"]) / "share" / "posecheck" / "models" / name,
        pathlib.Path(sys.prefix) / "share" / "posecheck" / "models" / name,
    ]
    for path in candidates:
        if path.is_file():
            return path
    return candidates[0]


def default_model_path() -> pathlib.Path:
    return shipped_model(MODEL_NAME)


# Worker threads start their landmarkers side by side: none may see the package half made, or see it
# taken apart by another for the fallback (MediaPipe 1.x has no _framework_bindings).
_IMPORTING = threading.Lock()


def import_mediapipe():
    """MediaPipe with only what the pose landmarker needs: the package, its Image and ImageFormat.

    `import mediapipe` loads every legacy solution, and matplotlib with them:
    measured, 36 MB of memory that posecheck never uses. This installs the
    package without running its __init__; the Tasks API under it imports as
    usual. Anything unexpected (another MediaPipe layout): the ordinary import.
    """
    with _IMPORTING:
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
            width=frame.image.shape[1],
            height=frame.image.shape[0],
            people=len(result.pose_landmarks),
        )

    def close(self) -> None:
        # Explicitly, not at interpreter exit (where MediaPipe 1.x raises in __del__); quietly, as it logs to fd 2.
        with quiet_native_stderr():
            self._landmarker.close()

    def __enter__(self) -> "PoseEstimator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _height_of(landmarks) -> float:
    ys = [p.y for p in landmarks]
    return max(ys) - min(ys)
