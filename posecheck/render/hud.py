"""Annotators: draw the skeleton and the rises HUD onto a frame. They return images and never open windows."""

from __future__ import annotations

import dataclasses
import functools
import pathlib

import cv2
import numpy as np

from posecheck.pose import landmarks as lm
from posecheck.pose.landmarks import PoseFrame

# BGR colours
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
GREY = (170, 170, 170)
ORANGE = (0, 165, 255)
GREEN = (80, 200, 60)
BLUE = (230, 140, 40)
RED = (60, 60, 230)
YELLOW = (40, 220, 250)

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
    thick = max(3, round(h / 160))  # legs and feet must read from 3 m
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

    count: int  # the big number: reps in this round (with a target) or in all
    round_label: str  # e.g. "Round 2 / 3"
    phase_label: str  # e.g. "HOLD"
    hold_s: float  # seconds held so far (0 when not holding)
    hold_target_s: float
    message: str = ""  # guidance, e.g. "step back - feet not visible"
    reps_label: str = "reps"
    time_s: float | None = None
    count_target: int | None = None  # shown as "/ 10" beside the count
    total_label: str = ""  # e.g. "total 17", under the hold bar
    phase: str = ""  # "ready", "start", "rest", "rising", "hold", "lowering", "paused", "done": picks the colour
    alert: bool = False  # the message is a problem (orange) rather than a hint (white)
    flash: bool = False  # a rep was just counted: the count lights up
    keys_hint: str = ""  # small, at the foot of the panel instead of the total; lines split by "\n"


PHASE_COLOURS = {"rising": ORANGE, "hold": ORANGE, "lowering": BLUE, "rest": WHITE, "ready": YELLOW, "start": GREEN, "paused": GREY, "done": GREEN}


def draw_hud(image: np.ndarray, state: HudState) -> np.ndarray:
    """A panel readable from 3 m: big count, hold bar that fills to the target, round and phase.

    Sizes follow the frame height (a 720-line frame is the reference); the
    panel sits on the left, the message across the top, so the feet at the
    bottom of the picture stay clear.
    """
    out = image.copy()
    h, w = out.shape[:2]
    u = h / 720
    panel_w = int(min(w * 0.36, 420 * u))
    pad = int(22 * u)
    inner = panel_w - 2 * pad
    _shade(out, 0, 0, panel_w, h, 0.62)
    reached = state.hold_target_s > 0 and state.hold_s >= state.hold_target_s
    y = pad
    # Round, on top
    y += _put_fit(out, state.round_label, pad, y, 62 * u, inner, WHITE)
    # The count, as large as the panel allows; its digits start right under the round
    count = str(state.count)
    target = f"/{state.count_target}" if state.count_target else ""
    big, target_px = 270 * u, 100 * u
    count_w = _text_width(count, big)
    while big > 60 * u and count_w + (_text_width(target, target_px) + 10 * u if target else 0) > inner:
        big *= 0.9
        target_px *= 0.9
        count_w = _text_width(count, big)
    top, bottom = _ink(count, big)
    y += int(14 * u)
    count_y = y - top
    _put(out, count, pad, count_y, big, GREEN if state.flash else WHITE)
    if target:  # on the count's baseline
        _put(out, target, pad + count_w + int(10 * u), count_y + _ascent(big) - _ascent(target_px), target_px, GREY)
    y = count_y + bottom + int(12 * u)
    y += _put_fit(out, state.reps_label, pad, y, 40 * u, inner, GREY)
    y += int(18 * u)
    # The phase, in its colour
    phase_colour = GREEN if reached else PHASE_COLOURS.get(state.phase, ORANGE if state.hold_s > 0 else WHITE)
    y += _put_fit(out, state.phase_label, pad, y, 92 * u, inner, phase_colour)
    y += int(10 * u)
    # Hold bar: fills up to the target, then turns green.
    bar_h = int(72 * u)
    fill = min(state.hold_s / state.hold_target_s, 1.0) if state.hold_target_s > 0 else 0.0
    cv2.rectangle(out, (pad, y), (pad + inner, y + bar_h), (60, 60, 60), -1)
    if fill > 0:
        cv2.rectangle(out, (pad, y), (pad + int(inner * fill), y + bar_h), GREEN if reached else ORANGE, -1)
    cv2.rectangle(out, (pad, y), (pad + inner, y + bar_h), WHITE if not reached else GREEN, max(2, int(3 * u)))
    hold_text = f"{state.hold_s:.1f} / {state.hold_target_s:g} s"
    text_px = 50 * u
    tw = _text_width(hold_text, text_px)
    _put(out, hold_text, pad + (inner - tw) // 2, y + (bar_h - _line_height(text_px)) // 2, text_px, WHITE)
    y += bar_h + int(16 * u)
    if state.total_label and not state.keys_hint:  # the hint takes the foot of the panel while it shows
        y += _put_fit(out, state.total_label, pad, y, 44 * u, inner, WHITE)
    if state.keys_hint:
        lines = state.keys_hint.split("\n")
        line_h = _line_height(28 * u)
        for i, line in enumerate(lines):
            _put_fit(out, line, pad, h - pad - (len(lines) - i) * line_h, 28 * u, inner, GREY)
    if state.time_s is not None:
        stamp = f"{int(state.time_s // 60)}:{state.time_s % 60:04.1f}"
        _put(out, stamp, pad, h - pad - _line_height(30 * u), 30 * u, GREY)
    if state.message:
        _banner(out, state.message, panel_w, w, u, ORANGE if state.alert else WHITE)
    return out


def _banner(out: np.ndarray, message: str, x0: int, w: int, u: float, colour) -> None:
    """The message across the top right of the panel, wrapped to two lines if it must be."""
    pad = int(16 * u)
    room = w - x0 - 2 * pad
    px = 50 * u
    lines = [message]
    if _text_width(message, px) > room:
        words = message.split()
        best = None
        for i in range(1, len(words)):
            a, b = " ".join(words[:i]), " ".join(words[i:])
            width = max(_text_width(a, px), _text_width(b, px))
            if best is None or width < best[0]:
                best = (width, [a, b])
        if best is not None:
            lines = best[1]
        widest = max(_text_width(line, px) for line in lines)
        if widest > room:
            px *= room / widest
    line_h = _line_height(px)
    height = len(lines) * line_h + 2 * pad
    _shade(out, x0, 0, w, height, 0.7)
    y = pad
    for line in lines:
        tw = _text_width(line, px)
        _put(out, line, x0 + pad + max((room - tw) // 2, 0), y, px, colour)
        y += line_h


def _shade(image: np.ndarray, x0: int, y0: int, x1: int, y1: int, strength: float) -> None:
    """Darken a rectangle in place (cheaper than blending a copy of the whole frame)."""
    roi = image[max(y0, 0):y1, max(x0, 0):x1]
    if roi.size:
        cv2.convertScaleAbs(roi, roi, 1.0 - strength)


# ----- text: a real font (umlauts, dashes) drawn with Pillow, cached per string; Hershey if there is none

FONT_FILE = "DejaVuSans-Bold.ttf"


@functools.lru_cache(maxsize=1)
def _font_path() -> str | None:
    """DejaVu Sans Bold, which matplotlib (a dependency) ships; None if it cannot be found."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = pathlib.Path(folder) / "mpl-data" / "fonts" / "ttf" / FONT_FILE
        if path.is_file():
            return str(path)
    return None


@functools.lru_cache(maxsize=64)
def _font(px: int):
    from PIL import ImageFont

    return ImageFont.truetype(_font_path(), px)


@functools.lru_cache(maxsize=1)
def _use_pillow() -> bool:
    if _font_path() is None:
        return False
    try:
        import PIL.ImageFont  # noqa: F401
    except ImportError:
        return False
    return True


def _size(px: float) -> int:
    return max(int(round(px)), 8)


def _ascent(px: float) -> int:
    if _use_pillow():
        return _font(_size(px)).getmetrics()[0]
    return int(px * 0.75)


def _ink(text: str, px: float) -> tuple[int, int]:
    """Where the letters themselves start and end, from the top of their line box."""
    if _use_pillow():
        stroke = _stroke(px)
        _, top, _, bottom = _font(_size(px)).getbbox(text)
        return top, bottom + 2 * stroke
    return int(px * 0.1), int(px * 0.85)


def _line_height(px: float) -> int:
    if _use_pillow():
        ascent, descent = _font(_size(px)).getmetrics()
        return ascent + descent + 2 * _stroke(px)
    return int(px * 1.1)


def _stroke(px: float) -> int:
    return max(1, int(round(px / 22)))


def _text_width(text: str, px: float) -> int:
    if not text:
        return 0
    if _use_pillow():
        return _glyphs(text, _size(px), (255, 255, 255))[0].shape[1]
    scale, thick = _hershey(px)
    return cv2.getTextSize(_ascii(text), cv2.FONT_HERSHEY_SIMPLEX, scale, thick + 2)[0][0]


@functools.lru_cache(maxsize=512)
def _glyphs(text: str, px: int, colour: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The text in `colour` with a dark outline, one line high: the BGR patch times its alpha, and 255 - alpha."""
    from PIL import Image, ImageDraw

    font = _font(px)
    stroke = _stroke(px)
    ascent, descent = font.getmetrics()
    width = int(font.getlength(text)) + 2 * stroke + 2
    canvas = Image.new("RGBA", (width, ascent + descent + 2 * stroke), (0, 0, 0, 0))
    b, g, r = colour
    ImageDraw.Draw(canvas).text((stroke, stroke), text, font=font, fill=(r, g, b, 255), stroke_width=stroke, stroke_fill=(0, 0, 0, 255))
    rgba = np.asarray(canvas)
    alpha = np.repeat(rgba[:, :, 3:], 3, axis=2)
    premultiplied = cv2.multiply(np.ascontiguousarray(rgba[:, :, 2::-1]), alpha, scale=1 / 255)
    return premultiplied, 255 - alpha


def _put(image: np.ndarray, text: str, x: int, y: int, px: float, colour) -> tuple[int, int]:
    """Draw text with its line box's top-left at (x, y); returns the box (width, height)."""
    if not text:
        return 0, 0
    if not _use_pillow():
        scale, thick = _hershey(px)
        baseline = y + int(px * 0.8)
        plain = _ascii(text)
        cv2.putText(image, plain, (x, baseline), cv2.FONT_HERSHEY_SIMPLEX, scale, BLACK, thick + 3, cv2.LINE_AA)
        cv2.putText(image, plain, (x, baseline), cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA)
        return _text_width(text, px), _line_height(px)
    premultiplied, inverse = _glyphs(text, _size(px), tuple(int(c) for c in colour))
    h, w = inverse.shape[:2]
    H, W = image.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, W), min(y + h, H)
    if x1 <= x0 or y1 <= y0:
        return w, h
    keep = np.ascontiguousarray(inverse[y0 - y:y1 - y, x0 - x:x1 - x])
    patch = np.ascontiguousarray(premultiplied[y0 - y:y1 - y, x0 - x:x1 - x])
    roi = image[y0:y1, x0:x1]
    roi[:] = cv2.add(cv2.multiply(np.ascontiguousarray(roi), keep, scale=1 / 255), patch)
    return w, h


def _put_fit(image: np.ndarray, text: str, x: int, y: int, px: float, max_width: int, colour) -> int:
    """Draw text no wider than max_width (shrinking it if needed); returns the height used."""
    if not text:
        return 0
    width = _text_width(text, px)
    if width > max_width:
        px *= max_width / width
    return _put(image, text, x, y, px, colour)[1]


def _hershey(px: float) -> tuple[float, int]:
    return px / 42, max(1, int(px / 18))


def _ascii(text: str) -> str:
    """Hershey fonts have no umlauts or dashes."""
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss"), ("—", "-"), ("–", "-"), ("…", "...")):
        text = text.replace(a, b)
    return text.encode("ascii", "replace").decode()
