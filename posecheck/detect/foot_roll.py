"""Foot roll read from the pixels of the feet by a small learned model.

The ankle moves only about 0.3 px per degree of roll against the foot at 3 m, which
MediaPipe's foot landmarks do not follow (docs/barefoot-check.md). So the landmarks only
place a crop around each foot, and a small convolutional network, trained on rendered
feet with known roll (`models/foot_roll/`), reads the roll from the crop.

The crop is cut from the capture's mean picture, scaled by the shank's length in the
picture and mirrored for the right foot, so that the medial side (towards the other foot)
is always on the right of the crop.
"""

from __future__ import annotations

import functools
import math
import pathlib
from typing import Optional, Sequence

import cv2
import numpy as np

from posecheck.errors import BadModel
from posecheck.pose.landmarks import LEFT_ANKLE, LEFT_KNEE, RIGHT_ANKLE, RIGHT_KNEE
from posecheck.pose.estimator import shipped_model

KNEE = {"left": LEFT_KNEE, "right": RIGHT_KNEE}
ANKLE = {"left": LEFT_ANKLE, "right": RIGHT_ANKLE}
OTHER = {"left": "right", "right": "left"}

CROP_W, CROP_H = 80, 112  # about one crop pixel per picture pixel at 720p and 3.6 m
# The crop box in shank lengths around the ankle: x towards medial, y down the picture.
CROP_X0, CROP_X1, CROP_Y0, CROP_Y1 = -0.30, 0.30, -0.38, 0.47


MODEL_NAME = "foot_roll.npz"


def crop_foot(picture: np.ndarray, landmarks_px: np.ndarray, side: str, roll_deg: float = 0.0) -> np.ndarray:
    """A CROP_H x CROP_W BGR crop of one foot, medial side on the right, from a picture and its landmarks (pixels).

    The crop's axes follow the true horizontal and vertical (the camera's `roll_deg`, as in
    `level`), so that a tilted phone does not tilt the foot the network sees.
    """
    ankle = landmarks_px[ANKLE[side], :2].astype(np.float64)
    knee = landmarks_px[KNEE[side], :2].astype(np.float64)
    shank = float(np.linalg.norm(knee - ankle))
    medial = 1.0 if landmarks_px[ANKLE[OTHER[side]], 0] >= ankle[0] else -1.0
    a = math.radians(roll_deg)
    across = medial * np.array([math.cos(a), -math.sin(a)])  # towards medial along the true horizontal
    down = np.array([math.sin(a), math.cos(a)])
    step_x = (CROP_X1 - CROP_X0) * shank / CROP_W
    step_y = (CROP_Y1 - CROP_Y0) * shank / CROP_H
    # crop pixel (u, v) -> picture (x, y), sampled at pixel centres
    origin = ankle + CROP_X0 * shank * across + CROP_Y0 * shank * down
    to_picture = np.c_[step_x * across, step_y * down, origin]
    to_picture[:, 2] += to_picture[:, :2] @ [0.5, 0.5] - [0.5, 0.5]
    source = picture.astype(np.float32)
    if step_x > 1.0:  # shrinking: smooth first so that the crop does not alias
        source = cv2.GaussianBlur(source, (0, 0), 0.5 * step_x)
    crop = cv2.warpAffine(source, to_picture, (CROP_W, CROP_H), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_REPLICATE)
    return np.clip(crop, 0, 255).astype(np.uint8)


def normalise(crops: np.ndarray) -> np.ndarray:
    """(N, H, W, 3) uint8 -> (N, 3, H, W) float32, each crop centred per colour and scaled to unit contrast.

    This takes out exposure and skin tone; what is left is shape and shading.
    """
    x = crops.astype(np.float32) / 255.0
    x = x - x.mean(axis=(1, 2), keepdims=True)
    x = x / (x.reshape(len(x), -1).std(axis=1)[:, None, None, None] + 0.02)
    return np.ascontiguousarray(np.transpose(x, (0, 3, 1, 2)))


def _conv3x3_relu_pool(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """3x3 convolution (zero padding 1), ReLU, 2x2 max pooling: (N, C, H, W) -> (N, O, H/2, W/2)."""
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))  # N, C, H, W, 3, 3
    y = np.einsum("nchwij,ocij->nohw", windows, weight, optimize=True) + bias[None, :, None, None]
    y = np.maximum(y, 0.0)
    n, o, h, w = y.shape
    return y[:, :, : h // 2 * 2, : w // 2 * 2].reshape(n, o, h // 2, 2, w // 2, 2).max(axis=(3, 5))


class RollReader:
    """Reads each foot's roll (degrees, + = rolled inward) from foot crops."""

    def __init__(self, path: Optional[str | pathlib.Path] = None):
        path = pathlib.Path(path) if path else shipped_model(MODEL_NAME)
        try:
            with np.load(path) as weights:
                convs = sorted(int(key[4:-7]) for key in weights.files if key.startswith("conv") and key.endswith(".weight"))
                self.layers = [(weights[f"conv{i}.weight"], weights[f"conv{i}.bias"]) for i in convs]
                self.fc = [(weights[f"fc{i}.weight"], weights[f"fc{i}.bias"]) for i in (1, 2)]
                self.scale_deg = float(weights["scale_deg"])
                # the +- the check prints: twice the error SD on the validation clips (about 95 % of them)
                self.uncertainty_deg = 2.0 * float(weights["validation_sd_deg"])
        except (OSError, KeyError, ValueError) as error:
            raise BadModel(f"{path}: not a foot-roll model ({error}); reinstall posecheck or rebuild it with models/foot_roll/") from None

    def read(self, crops: np.ndarray) -> np.ndarray:
        """(N, CROP_H, CROP_W, 3) uint8 BGR crops -> (N,) roll in degrees."""
        x = normalise(crops)
        for weight, bias in self.layers:
            x = _conv3x3_relu_pool(x, weight, bias)
        x = x.reshape(len(x), -1)
        (w1, b1), (w2, b2) = self.fc
        x = np.maximum(x @ w1.T + b1, 0.0)
        return (x @ w2.T + b2)[:, 0] * self.scale_deg

    def read_feet(self, picture: np.ndarray, landmarks_px: np.ndarray, sides: Sequence[str] = ("left", "right"),
                  roll_deg: float = 0.0) -> dict[str, float]:
        """Each foot's roll from a picture and its landmarks (pixels); `roll_deg` is the camera's roll."""
        if not sides:
            return {}
        crops = np.stack([crop_foot(picture, landmarks_px, side, roll_deg) for side in sides])
        return dict(zip(sides, (float(v) for v in self.read(crops))))


@functools.lru_cache(maxsize=1)
def shipped_reader() -> RollReader:
    """The shipped model, loaded once."""
    return RollReader()
