"""Annotators: draw the skeleton and the rises HUD onto a frame. They return images and never open windows."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from . import pose as lm
from .pose import PoseFrame

# BGR colours
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
GREY = (170, 170, 170)
ORANGE = (0, 165, 255)
GREEN = (80, 200, 60)
BLUE = (230, 140, 40)
RED = (60, 60, 230)

LEG_BONES = [
    (lm.LEFT_HIP, lm.LEFT_KNEE), (lm.LEFT_KNEE, lm.LEFT_ANKLE), (lm.LEFT_ANKLE, lm.LEFT_HEEL),
    (lm.LEFT_HEEL, lm.LEFT_TOE), (lm.LEFT_ANKLE, lm.LEFT_TOE),
    (lm.RIGHT_HIP, lm.RIGHT_KNEE), (lm.RIGHT_KNEE, lm.RIGHT_ANKLE), (lm.RIGHT_ANKLE, lm.RIGHT_HEEL),
    (lm.RIGHT_HEEL, lm.RIGHT_TOE), (lm.RIGHT_ANKLE, lm.RIGHT_TOE),
]
UPPER_BONES = [
    (lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER), (lm.LEFT_HIP, lm.RIGHT_HIP),
    (lm.LEFT_SHOULDER, lm.LEFT_HIP), (lm.RIGHT_SHOULDER, lm.RIGHT_HIP),
    (lm.LEFT_SHOULDER, lm.LEFT_ELBOW), (lm.LEFT_ELBOW, lm.LEFT_WRIST),
    (lm.RIGHT_SHOULDER, lm.RIGHT_ELBOW), (lm.RIGHT_ELBOW, lm.RIGHT_WRIST),
]
FOOT_POINTS = (lm.LEFT_ANKLE, lm.RIGHT_ANKLE, lm.LEFT_HEEL, lm.RIGHT_HEEL, lm.LEFT_TOE, lm.RIGHT_TOE)


def draw_skeleton(image: np.ndarray, pose: PoseFrame | None, color=GREEN) -> np.ndarray:
    """The body in thin lines and the legs and feet in bold, on a copy of the image."""
    out = image.copy()
    if pose is None:
        return out
    h, w = out.shape[:2]
    thick = max(2, round(h / 240))
    points = (pose.image[:, :2] * (w, h)).round().astype(int)
    for a, b in UPPER_BONES:
        cv2.line(out, tuple(points[a]), tuple(points[b]), GREY, max(1, thick // 2), cv2.LINE_AA)
    for a, b in LEG_BONES:
        cv2.line(out, tuple(points[a]), tuple(points[b]), color, thick, cv2.LINE_AA)
    for i in FOOT_POINTS:
        cv2.circle(out, tuple(points[i]), thick + 2, WHITE, -1, cv2.LINE_AA)
        cv2.circle(out, tuple(points[i]), thick + 2, BLACK, 1, cv2.LINE_AA)
    return out


@dataclasses.dataclass(frozen=True)
class HudState:
    """What the rises HUD shows; all text already in the user's language."""

    count: int
    round_label: str  # e.g. "Round 2 / 3"
    phase_label: str  # e.g. "HOLD"
    hold_s: float  # seconds held so far (0 when not holding)
    hold_target_s: float
    message: str = ""  # guidance, e.g. "step back - feet not visible"
    reps_label: str = "reps"
    time_s: float | None = None


def draw_hud(image: np.ndarray, state: HudState) -> np.ndarray:
    """A panel readable from 3 m: big count, hold bar that fills to the target, round and phase."""
    out = image.copy()
    h, w = out.shape[:2]
    unit = h / 720  # everything scales with the frame height
    panel_w = int(min(w * 0.42, 360 * unit))
    panel_h = int(300 * unit)
    overlay = out.copy()
    cv2.rectangle(overlay, (0, 0), (panel_w, panel_h), BLACK, -1)
    cv2.addWeighted(overlay, 0.55, out, 0.45, 0, out)
    x = int(20 * unit)
    _text(out, str(state.count), (x, int(130 * unit)), 4.2 * unit, WHITE, int(9 * unit))
    _text(out, state.reps_label, (x + int(len(str(state.count)) * 95 * unit) + int(10 * unit), int(130 * unit)), 1.1 * unit, WHITE, int(2 * unit))
    _text(out, state.round_label, (x, int(180 * unit)), 1.1 * unit, WHITE, int(2 * unit))
    reached = state.hold_s >= state.hold_target_s
    phase_colour = GREEN if reached else (ORANGE if state.hold_s > 0 else WHITE)
    _text(out, state.phase_label, (x, int(225 * unit)), 1.1 * unit, phase_colour, int(3 * unit))
    # Hold bar: fills up to the target, then turns green.
    bar_x0, bar_y0 = x, int(245 * unit)
    bar_x1, bar_y1 = panel_w - x, int(280 * unit)
    fill = min(state.hold_s / state.hold_target_s, 1.0) if state.hold_target_s > 0 else 0.0
    cv2.rectangle(out, (bar_x0, bar_y0), (bar_x1, bar_y1), GREY, max(1, int(2 * unit)))
    if fill > 0:
        cv2.rectangle(out, (bar_x0, bar_y0), (bar_x0 + int((bar_x1 - bar_x0) * fill), bar_y1), GREEN if reached else ORANGE, -1)
    _text(out, f"{state.hold_s:3.1f} / {state.hold_target_s:g} s", (bar_x0 + int(8 * unit), bar_y1 - int(8 * unit)), 0.8 * unit, WHITE, int(2 * unit))
    if state.message:
        size = 1.1 * unit
        (tw, th), _ = cv2.getTextSize(state.message, cv2.FONT_HERSHEY_SIMPLEX, size, int(3 * unit))
        y = h - int(30 * unit)
        overlay = out.copy()
        cv2.rectangle(overlay, (0, y - th - int(20 * unit)), (w, h), BLACK, -1)
        cv2.addWeighted(overlay, 0.6, out, 0.4, 0, out)
        _text(out, state.message, (max((w - tw) // 2, 5), y), size, ORANGE, int(3 * unit))
    if state.time_s is not None:
        stamp = f"{int(state.time_s // 60)}:{state.time_s % 60:04.1f}"
        _text(out, stamp, (w - int(140 * unit), int(40 * unit)), 0.9 * unit, WHITE, int(2 * unit))
    return out


def _text(image, text, origin, scale, colour, thickness):
    thickness = max(thickness, 1)
    cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, BLACK, thickness + 3, cv2.LINE_AA)
    cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness, cv2.LINE_AA)
