"""Bare feet or not: the foot roll is only read on a bare foot.

The roll network (`foot_roll`) has only seen bare feet; on a shoe it reads the shoe. A bare
foot has the colour of the person's own skin, a shoe or a sock almost never has, so each
foot is compared with the skin of the face (the middle of it: nose and cheeks):

* colours in CIELAB: the hue and the chroma per lightness; shade changes lightness and chroma
  together, so the feet in the floor's shadow still match the face;
* a patch over the forefoot (between the ankle and the toes, scaled by the shank's length,
  turned with the camera's roll) and the share of its pixels that match the face;
* "bare" when most of the patch matches, "covered" when little of it does, and "unknown" in
  between or when the face cannot be seen well enough to give a skin colour. Only "bare"
  feet are read. A sock or shoe in the wearer's skin tone passes as bare: colour cannot tell
  it (the renders' near-skin socks and shoes, docs/barefoot-check.md).

The thresholds were set on rendered feet (barefoot, socks, shoes on several skins, in
several lights and rooms: `models/footwear/`) and checked on held-out renders and the
real stills (docs/barefoot-check.md).
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import cv2
import numpy as np

from posecheck.body.geometry import SIDES

# forefoot patch: centred this far from the ankle towards the toe, in shank lengths around it
PATCH_ALONG = 0.65
PATCH_HALF_WIDTH = 0.07
PATCH_HALF_HEIGHT = 0.045
PATCH_GRID = (16, 10)  # samples across and down the patch
FACE_GRID = (12, 12)
MIN_FACE_PX = 6.0  # eye to eye: a smaller face gives no skin colour
# A pixel is skin-coloured when its hue is the face's and its chroma per lightness is near the face's: shade
# scales lightness and chroma together and leaves the hue, so the feet in the floor's shadow still match.
HUE_TOLERANCE_DEG = 15.0
SATURATION_RATIO = 2.5  # chroma / lightness within this factor of the face's (feet and face are often lit differently)
MIN_CHROMA = 4.0  # greyer than this (white, grey, black shoes and socks) is never skin
BARE_SHARE = 0.65  # at least this share of the patch skin-coloured: bare
COVERED_SHARE = 0.25  # at most this: covered (shoe or sock)

NOSE, LEFT_EYE, RIGHT_EYE, MOUTH_LEFT, MOUTH_RIGHT = 0, 2, 5, 9, 10


def _sample(picture: np.ndarray, centre, axis_x, axis_y, grid: tuple[int, int]) -> np.ndarray:
    """Pixels (N, 3) BGR sampled on a grid over the box centre +- axis_x +- axis_y (picture pixels)."""
    u = np.linspace(-1.0, 1.0, grid[0])
    v = np.linspace(-1.0, 1.0, grid[1])
    uu, vv = np.meshgrid(u, v)
    xy = np.asarray(centre)[None, None, :] + uu[..., None] * np.asarray(axis_x) + vv[..., None] * np.asarray(axis_y)
    maps = xy.astype(np.float32)
    samples = cv2.remap(picture, maps[..., 0], maps[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    inside = ((xy[..., 0] >= 0) & (xy[..., 0] <= picture.shape[1] - 1) & (xy[..., 1] >= 0) & (xy[..., 1] <= picture.shape[0] - 1))
    return samples[inside].reshape(-1, 3)


def to_lab(bgr: np.ndarray) -> np.ndarray:
    """(N, 3) BGR uint8 -> (N, 3) L* (0..100), a*, b*."""
    if len(bgr) == 0:
        return np.zeros((0, 3))
    lab = cv2.cvtColor(np.asarray(bgr, np.uint8).reshape(-1, 1, 3), cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float64)
    return np.c_[lab[:, 0] * 100.0 / 255.0, lab[:, 1] - 128.0, lab[:, 2] - 128.0]


def skin_reference(picture: np.ndarray, landmarks_px: np.ndarray) -> Optional[np.ndarray]:
    """The skin's colour (L*, a*, b*) from the middle of the face, or None if the face is too small to tell."""
    eyes = landmarks_px[[LEFT_EYE, RIGHT_EYE], :2]
    mouth = landmarks_px[[MOUTH_LEFT, MOUTH_RIGHT], :2].mean(axis=0)
    if not np.all(np.isfinite(eyes)) or not np.all(np.isfinite(mouth)):
        return None
    across = (eyes[0] - eyes[1]) / 2
    if np.linalg.norm(across) * 2 < MIN_FACE_PX:
        return None
    centre = (eyes.mean(axis=0) + mouth) / 2  # nose and cheeks, between the eyes and the mouth
    down = (mouth - eyes.mean(axis=0)) / 2
    lab = to_lab(_sample(picture, centre, across, down, FACE_GRID))
    return np.median(lab, axis=0) if len(lab) else None


def foot_patch(picture: np.ndarray, landmarks_px: np.ndarray, side: str, roll_deg: float = 0.0) -> np.ndarray:
    """Lab pixels over the forefoot of one foot (between the ankle and the toes)."""
    s = SIDES[side]
    ankle, toe, knee = (landmarks_px[s[k], :2].astype(np.float64) for k in ("ankle", "toe", "knee"))
    shank = float(np.linalg.norm(knee - ankle))
    a = math.radians(roll_deg)  # the patch's axes along the true horizontal and vertical
    across = np.array([math.cos(a), -math.sin(a)]) * PATCH_HALF_WIDTH * shank
    down = np.array([math.sin(a), math.cos(a)]) * PATCH_HALF_HEIGHT * shank
    return to_lab(_sample(picture, ankle + PATCH_ALONG * (toe - ankle), across, down, PATCH_GRID))


def skin_share(pixels_lab: np.ndarray, reference: np.ndarray) -> float:
    """The share of pixels whose colour is the reference skin's (hue, and chroma per lightness)."""
    if len(pixels_lab) == 0:
        return 0.0
    chroma = np.hypot(pixels_lab[:, 1], pixels_lab[:, 2])
    hue = np.degrees(np.arctan2(pixels_lab[:, 2], pixels_lab[:, 1]))
    ref_chroma = math.hypot(reference[1], reference[2])
    ref_hue = math.degrees(math.atan2(reference[2], reference[1]))
    saturation = chroma / np.maximum(pixels_lab[:, 0], 1.0)
    ref_saturation = ref_chroma / max(reference[0], 1.0)
    hue_off = np.abs((hue - ref_hue + 180.0) % 360.0 - 180.0)
    ratio = saturation / max(ref_saturation, 1e-6)
    skin = (chroma >= MIN_CHROMA) & (hue_off <= HUE_TOLERANCE_DEG) & (ratio <= SATURATION_RATIO) & (ratio >= 1.0 / SATURATION_RATIO)
    return float(np.mean(skin))


def classify(share: Optional[float]) -> str:
    if share is None:
        return "unknown"
    return "bare" if share >= BARE_SHARE else "covered" if share <= COVERED_SHARE else "unknown"


def read_feet(picture: np.ndarray, landmarks_px: np.ndarray, sides: Sequence[str] = ("left", "right"),
              roll_deg: float = 0.0) -> dict[str, str]:
    """Each foot's "bare", "covered" (shoe or sock) or "unknown", from a picture and its landmarks (pixels)."""
    reference = skin_reference(picture, landmarks_px)
    return {side: classify(None if reference is None else skin_share(foot_patch(picture, landmarks_px, side, roll_deg), reference))
            for side in sides}
