"""The annotated picture of a barefoot check: plumb line, weight bar, foot-tilt marks and angles.

`annotate(image, result, lang)` returns a new BGR image and never opens a window. The
person is cropped and scaled to a fixed height, so the marks and the text stay readable
whatever the camera's resolution; a panel beside the picture repeats the numbers.
Text is drawn with Pillow and DejaVu Sans (shipped with matplotlib), so German umlauts work.
"""

from __future__ import annotations

import functools
import pathlib
from typing import TYPE_CHECKING

import cv2
import numpy as np

from posecheck.body.geometry import LEFT_EAR, OTHER, RIGHT_EAR, SIDES
from posecheck.pose.landmarks import LEFT_ANKLE, LEFT_ELBOW, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, LEFT_WRIST, RIGHT_ANKLE, RIGHT_ELBOW, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER, RIGHT_WRIST
from posecheck.report.check import verdict_lines
from posecheck.report.texts import number, tr

if TYPE_CHECKING:
    from posecheck.detect.check import CheckResult

BODY_HEIGHT_PX = 1100  # height of the cropped person picture
PANEL_WIDTH = 820
FONT_BODY = 34
FONT_PANEL = 30
FONT_TITLE = 42

# BGR
WHITE = (255, 255, 255)
DARK = (30, 30, 30)
PLUMB = (0, 215, 255)  # amber
COM_COLOUR = (255, 0, 220)  # magenta
BAND_COLOUR = {"even": (80, 200, 80), "within": (140, 200, 120), "slight": (0, 190, 255), "uneven": (60, 60, 235)}
TILT_COLOUR = {"inward": (60, 60, 235), "outward": (235, 140, 40), "neutral": (80, 200, 80), "lifted": (180, 180, 180)}
GREY = (180, 180, 180)  # no share, a foot not read, a tilt not to be trusted
LINE_COLOUR = (255, 255, 160)
FOOT_COLOUR = {"left": (235, 170, 60), "right": (90, 170, 250)}  # left foot blue, right foot orange (BGR)

SKELETON = [
    (LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_HIP, RIGHT_HIP), (LEFT_SHOULDER, LEFT_HIP), (RIGHT_SHOULDER, RIGHT_HIP),
    (LEFT_SHOULDER, LEFT_ELBOW), (LEFT_ELBOW, LEFT_WRIST), (RIGHT_SHOULDER, RIGHT_ELBOW), (RIGHT_ELBOW, RIGHT_WRIST),
    (LEFT_HIP, LEFT_KNEE), (LEFT_KNEE, LEFT_ANKLE), (RIGHT_HIP, RIGHT_KNEE), (RIGHT_KNEE, RIGHT_ANKLE),
]


@functools.lru_cache(maxsize=8)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        import matplotlib

        path = pathlib.Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
        return ImageFont.truetype(str(path), size)
    except Exception:  # no matplotlib font: Pillow's own scalable default
        try:
            return ImageFont.load_default(size)
        except TypeError:
            return ImageFont.load_default()


class _Texts:
    """Text to draw after the shapes, with Pillow."""

    def __init__(self):
        self.items = []

    def add(self, xy, text, size=FONT_BODY, colour=WHITE, anchor="la", bold=False, box=False):
        self.items.append((tuple(map(float, xy)), text, size, colour, anchor, bold, box))

    def draw(self, image: np.ndarray) -> np.ndarray:
        from PIL import Image, ImageDraw

        pil = Image.fromarray(image[:, :, ::-1].copy())
        draw = ImageDraw.Draw(pil)
        for xy, text, size, colour, anchor, bold, box in self.items:
            font = _font(size, bold)
            rgb = tuple(int(c) for c in colour[::-1])
            left, top, right, bottom = draw.textbbox(xy, text, font=font, anchor=anchor)
            shift = (8 - left) if left < 8 else (pil.width - 8 - right) if right > pil.width - 8 else 0
            xy = (xy[0] + shift, xy[1])  # keep labels inside the picture
            if box:
                left, top, right, bottom = draw.textbbox(xy, text, font=font, anchor=anchor)
                draw.rectangle((left - 6, top - 4, right + 6, bottom + 4), fill=(20, 20, 20))
                draw.text(xy, text, font=font, fill=rgb, anchor=anchor)
            else:
                draw.text(xy, text, font=font, fill=rgb, anchor=anchor, stroke_width=max(2, size // 12), stroke_fill=(15, 15, 15))
        return np.asarray(pil)[:, :, ::-1].copy()


def _dashed_line(image, p0, p1, colour, thickness, dash=18, gap=12):
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    length = float(np.linalg.norm(p1 - p0))
    if length < 1:
        return
    direction = (p1 - p0) / length
    s = 0.0
    while s < length:
        a = p0 + direction * s
        b = p0 + direction * min(s + dash, length)
        cv2.line(image, _pt(a), _pt(b), colour, thickness, cv2.LINE_AA)
        s += dash + gap


def _pt(p) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _crop_box(points: np.ndarray, width: int, height: int) -> tuple[int, int, int, int]:
    """A box around the person (landmarks in pixels), with room above the head and below the feet."""
    xs, ys = points[:, 0], points[:, 1]
    body = max(float(ys.max() - ys.min()), 1.0)
    top = ys.min() - 0.22 * body
    bottom = ys.max() + 0.12 * body
    centre = (xs.min() + xs.max()) / 2
    half = max((xs.max() - xs.min()) / 2 + 0.18 * body, 0.36 * (bottom - top))
    x0, x1 = int(max(0, centre - half)), int(min(width, centre + half))
    y0, y1 = int(max(0, top)), int(min(height, bottom))
    if x1 - x0 < 10 or y1 - y0 < 10:
        return 0, 0, width, height
    return x0, y0, x1, y1


def annotate(image: np.ndarray, result: "CheckResult", lang: str = "en") -> np.ndarray:
    """The picture of `result` drawn over `image` (BGR) with a panel of numbers; a new BGR image."""
    height, width = image.shape[:2]
    points = np.asarray(result.landmarks_px, float)[:, :2]
    x0, y0, x1, y1 = _crop_box(points, width, height)
    scale = BODY_HEIGHT_PX / float(y1 - y0)
    picture = cv2.resize(image[y0:y1, x0:x1], (max(1, int(round((x1 - x0) * scale))), BODY_HEIGHT_PX),
                         interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    to_pic = lambda p: (np.asarray(p, float)[..., :2] - [x0, y0]) * scale
    P = to_pic(points)
    picture = (picture.astype(np.float32) * 0.82).astype(np.uint8)  # dim a little so the marks stand out
    texts = _Texts()
    n = lambda value, digits=1, signed=False: number(lang, value, digits, signed)
    thick = 3

    # skeleton, faint
    overlay = picture.copy()
    for a, b in SKELETON:
        cv2.line(overlay, _pt(P[a]), _pt(P[b]), WHITE, 2, cv2.LINE_AA)
    picture = cv2.addWeighted(overlay, 0.45, picture, 0.55, 0)

    floor_y = float(max(P[SIDES[s][k]][1] for s in SIDES for k in ("heel", "toe")))
    head_y = float(min(P[:11, 1]))
    left_dir = 1.0 if P[LEFT_ANKLE, 0] >= P[RIGHT_ANKLE, 0] else -1.0
    # the true vertical in the picture: the camera's roll leans it (posecheck.detect.level)
    roll = np.radians(result.level.roll_deg)
    up = np.array([-np.sin(roll), -np.cos(roll)])
    base = to_pic(result.plumb_px)
    on_plumb = lambda point: base + up * float(np.dot(np.asarray(point, float) - base, up))  # the same true height

    # plumb line through the midpoint between the feet, along the true vertical
    top = base + up * (base[1] - max(0.0, head_y - 90)) / max(-up[1], 1e-6)
    _dashed_line(picture, top, base + up * -10, PLUMB, thick + 1)
    label = tr(lang, "check.img_plumb")
    if result.level.source != "assumed":
        label += " (" + tr(lang, "check.img_camera", roll=n(result.level.roll_deg, 1, signed=True)) + ")"
    texts.add((top[0] + 8, max(4.0, top[1] - 30)), label, FONT_BODY - 6, PLUMB)

    # shoulder and pelvis lines with their tilt
    for (a, b), value, key in (((LEFT_SHOULDER, RIGHT_SHOULDER), result.shoulder_tilt_deg, "img_shoulders"),
                               ((LEFT_HIP, RIGHT_HIP), result.pelvis_tilt_deg, "img_pelvis")):
        pa, pb = P[a], P[b]
        d = pb - pa
        cv2.line(picture, _pt(pa - 0.35 * d), _pt(pb + 0.35 * d), LINE_COLOUR, thick, cv2.LINE_AA)
        end = pa - 0.35 * d if pa[0] < pb[0] else pb + 0.35 * d
        label = f"{tr(lang, f'check.{key}')} {n(value, 1, signed=True)}°"
        texts.add((end[0] - 10, end[1]), label, FONT_BODY - 4, LINE_COLOUR, anchor="rm")

    # head and trunk against the plumb line
    for centre, value, key in (((P[LEFT_EAR] + P[RIGHT_EAR]) / 2, result.head_shift_cm, "img_head"),
                               ((P[LEFT_SHOULDER] + P[RIGHT_SHOULDER]) / 2, result.trunk_shift_cm, "img_trunk")):
        cv2.line(picture, _pt(on_plumb(centre)), _pt(centre), PLUMB, thick, cv2.LINE_AA)
        cv2.circle(picture, _pt(centre), 8, PLUMB, -1, cv2.LINE_AA)
        side = tr(lang, "check.img_L") if value > 0 else tr(lang, "check.img_R")
        texts.add((max(on_plumb(centre)[0], centre[0]) + 16, centre[1] - 6), f"{tr(lang, f'check.{key}')} {n(abs(value))} cm {side}", FONT_BODY - 6, PLUMB, anchor="lb")

    # centre of mass and its drop to the floor
    com = to_pic(result.com_px)
    band_colour = BAND_COLOUR.get(result.weight_band, GREY)
    if any(f.lifted for f in result.feet.values()):
        band_colour = BAND_COLOUR["uneven"]
    _dashed_line(picture, com, com - up * float(np.dot(com - base, up)), COM_COLOUR, 2, dash=8, gap=8)
    cv2.circle(picture, _pt(com), 14, COM_COLOUR, 3, cv2.LINE_AA)
    cv2.line(picture, _pt(com - (14, 0)), _pt(com + (14, 0)), COM_COLOUR, 2, cv2.LINE_AA)
    cv2.line(picture, _pt(com - (0, 14)), _pt(com + (0, 14)), COM_COLOUR, 2, cv2.LINE_AA)
    texts.add((com[0] + 22, com[1]), "COM" if lang == "en" else "KSP", FONT_BODY - 8, COM_COLOUR, anchor="lm")

    # knees: FPPA
    for side, knee in (("left", LEFT_KNEE), ("right", RIGHT_KNEE)):
        foot = result.feet[side]
        if foot.lifted:
            continue
        outward = 1.0 if (side == "left") == (left_dir > 0) else -1.0  # image direction away from the body
        texts.add((P[knee][0] + outward * 26, P[knee][1]), f"FPPA {n(foot.fppa_deg, 0, signed=True)}°", FONT_BODY - 8, WHITE,
                  anchor="lm" if outward > 0 else "rm")

    # feet: support points, tilt marks and the weight on each
    bar_y = floor_y + 60
    for side in ("left", "right"):
        foot = result.feet[side]
        s = SIDES[side]
        ankle = P[s["ankle"]]
        colour = TILT_COLOUR.get(foot.tilt, GREY)
        if not result.quality.frontal_enough and not foot.lifted:
            colour = TILT_COLOUR["lifted"]  # grey: not reliable with the body turned
        support = to_pic(result.supports_px[side])
        medial = 1.0 if P[SIDES[OTHER[side]]["ankle"]][0] >= ankle[0] else -1.0
        outward = -medial
        if foot.lifted:
            label = tr(lang, "check.img_lifted")
        else:
            cv2.circle(picture, _pt(support), 9, band_colour, -1, cv2.LINE_AA)
            if foot.tilt in ("inward", "outward"):
                direction = medial if foot.tilt == "inward" else -medial
                start = ankle - (direction * 30, 0)
                cv2.arrowedLine(picture, _pt(start), _pt(ankle + (direction * 50, 0)), colour, 6, cv2.LINE_AA, tipLength=0.4)
                label = f"{tr(lang, 'check.img_in' if foot.tilt == 'inward' else 'check.img_out')} {n(abs(foot.roll_deg), 0)}°"
            else:
                cv2.circle(picture, _pt(ankle), 16, colour, 4, cv2.LINE_AA)
                label = tr(lang, {"unknown": "check.img_unknown", "covered": "check.img_covered"}.get(foot.tilt, "check.img_neutral"))
        texts.add((ankle[0] + outward * 34, ankle[1] - 34), label, FONT_BODY - 4, colour, anchor="lm" if outward > 0 else "rm", box=True)
        pct = "–" if foot.weight_pct is None else n(foot.weight_pct, 0)
        letter = tr(lang, "check.img_L") if side == "left" else tr(lang, "check.img_R")
        # each foot's share below it, pushed outward so that close feet do not overlap
        texts.add((support[0] + outward * 6, bar_y), f"{letter} {pct} %", FONT_BODY + 8, FOOT_COLOUR[side],
                  anchor="lt" if outward > 0 else "rt", bold=True)

    # extend the picture below the feet if the weight labels need room
    needed = int(bar_y + FONT_BODY + 30)
    if needed > picture.shape[0]:
        picture = cv2.copyMakeBorder(picture, 0, needed - picture.shape[0], 0, 0, cv2.BORDER_CONSTANT, value=DARK)
    picture = texts.draw(picture)

    panel = _panel(result, lang, picture.shape[0])
    height = max(picture.shape[0], panel.shape[0])
    pad = lambda im: cv2.copyMakeBorder(im, 0, height - im.shape[0], 0, 0, cv2.BORDER_CONSTANT, value=(32, 28, 28))
    return np.hstack([pad(picture), pad(panel)])


def _wrap(text: str, font, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = (line + " " + word).strip()
        if font.getlength(trial) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _weight_bar(draw, result: "CheckResult", lang: str, margin: int, y: int) -> int:
    """The weight bar (the left foot's share on the side where the left foot is in the picture) with its +-
    and band; a grey bar when no share can be given. Returns the y below it."""
    bar_w, bar_h = PANEL_WIDTH - 2 * margin, 64
    left_pct = result.weight_left_pct
    big = _font(FONT_PANEL + 4, bold=True)
    if left_pct is None:
        draw.rectangle((margin, y, margin + bar_w, y + bar_h), fill=(90, 90, 90))
        draw.text((margin + bar_w / 2, y + bar_h / 2), tr(lang, "check.img_no_share"), font=big, fill=(235, 235, 235), anchor="mm")
        return y + bar_h + FONT_PANEL + 24
    points = np.asarray(result.landmarks_px)
    left_first = points[LEFT_ANKLE, 0] < points[RIGHT_ANKLE, 0]  # left foot appears on the picture's left
    first_pct = left_pct if left_first else 100 - left_pct
    first, second = ("left", "right") if left_first else ("right", "left")
    at = lambda pct: margin + int(round(bar_w * min(max(pct, 0.0), 100.0) / 100))
    draw.rectangle((margin, y, margin + bar_w, y + bar_h), fill=FOOT_COLOUR[second][::-1])
    draw.rectangle((margin, y, at(first_pct), y + bar_h), fill=FOOT_COLOUR[first][::-1])
    mid = margin + bar_w // 2
    draw.line((mid, y - 8, mid, y + bar_h + 8), fill=(255, 255, 255), width=3)
    for v in (41, 45, 55, 59):
        draw.line((at(v), y + bar_h - 14, at(v), y + bar_h), fill=(230, 230, 230), width=2)
    unc = result.weight.uncertainty_pct
    if unc:  # the +- as a bracket under the bar
        lo, hi = at(first_pct - unc), at(first_pct + unc)
        draw.line((lo, y + bar_h + 6, hi, y + bar_h + 6), fill=(255, 255, 255), width=3)
        for x in (lo, hi):
            draw.line((x, y + bar_h, x, y + bar_h + 12), fill=(255, 255, 255), width=3)
    names = (tr(lang, "check.img_L"), tr(lang, "check.img_R")) if left_first else (tr(lang, "check.img_R"), tr(lang, "check.img_L"))
    draw.text((margin + 12, y + bar_h / 2), f"{names[0]} {number(lang, first_pct, 0)} %", font=big, fill=(255, 255, 255),
              anchor="lm", stroke_width=2, stroke_fill=(20, 20, 20))
    draw.text((margin + bar_w - 12, y + bar_h / 2), f"{names[1]} {number(lang, 100 - first_pct, 0)} %", font=big,
              fill=(255, 255, 255), anchor="rm", stroke_width=2, stroke_fill=(20, 20, 20))
    y += bar_h + 18
    band = "uneven" if any(f.lifted for f in result.feet.values()) else result.weight_band
    spread = "" if not unc else f"± {number(lang, unc, 0)}   "
    tag = "" if band is None else {"even": "≤ 45/55", "within": "≤ 41/59", "slight": "≤ 41/59", "uneven": "> 41/59"}[band]
    draw.text((margin, y), spread + tag, font=_font(FONT_PANEL - 4, bold=True), fill=BAND_COLOUR.get(band, GREY)[::-1])
    return y + FONT_PANEL + 14


def _panel(result: "CheckResult", lang: str, height: int) -> np.ndarray:
    from PIL import Image, ImageDraw

    panel = Image.new("RGB", (PANEL_WIDTH, max(height, 900) * 3), (28, 28, 32))  # cropped to the text below
    draw = ImageDraw.Draw(panel)
    margin = 28
    y = margin
    title = _font(FONT_TITLE, bold=True)
    draw.text((margin, y), tr(lang, "check.img_title"), font=title, fill=(255, 255, 255))
    y += FONT_TITLE + 8
    small = _font(FONT_PANEL - 6)
    draw.text((margin, y), tr(lang, "check.img_screening"), font=small, fill=(190, 190, 190))
    y += FONT_PANEL + 12

    y = _weight_bar(draw, result, lang, margin, y)

    body = _font(FONT_PANEL)
    for line in verdict_lines(result, lang)[1:]:
        indent = margin + (30 if line.startswith("   ") else 0)
        font = small if line.startswith("   ") or line.startswith(tr(lang, "check.measured")[:12]) or line.startswith(tr(lang, "check.scale_note", height="")[:10]) else body
        for part in _wrap(line.strip(), font, PANEL_WIDTH - indent - margin):
            draw.text((indent, y), part, font=font, fill=(235, 235, 235))
            y += int(font.size * 1.25)
        y += 6
    bottom = max(height, y + margin)
    return np.asarray(panel)[:bottom, :, ::-1].copy()
