#!/usr/bin/env python3
"""Invariances of the barefoot check on real people (no scale needed): the same capture mirrored, turned by
+-5 degrees and at half size must give the same result (mirrored for the mirror), or ask to level the camera.

usage: python bench/check_invariance.py [--cache DIR] [--footage DIR] [--clips DIR]

For every real still and one standing window of every real clip (the stillest 2 s in which the check
does not refuse for the view, from the cached landmarks of the whole clip) and for the rendered clips
with a rolled camera, the frames are transformed, the pose model is run on them (nice it: one job at a
time; landmarks cached in --cache) and the check is run on each version. A turned version is the
picture turned about its centre and cut to the largest upright rectangle inside it (a phone held at
an angle sees less of the same room; no black corners that would add straight edges of their own).
Prints Markdown tables; `check_accuracy.py` prints them too.
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys
from typing import Optional

import cv2
import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from posecheck.detect.capture import Capture, select_window, window_refusal  # noqa: E402
from posecheck.detect.check import check_capture  # noqa: E402
from posecheck.errors import PosecheckError  # noqa: E402
from posecheck.media.frames import open_file  # noqa: E402
from posecheck.media.pictures import mean_picture  # noqa: E402
from posecheck.pose.estimator import PoseEstimator  # noqa: E402
from posecheck.pose.landmarks import LandmarkSeries  # noqa: E402
from posecheck.media.frames import Frame  # noqa: E402

WORK = REPO.parent
FOOTAGE = WORK / "shared" / "footage"
VERSIONS = ("original", "mirror", "turned +5", "turned -5", "half")
SHARE_TOLERANCE = 4.0  # points
LEVEL_REASONS = ("no_vertical", "level")
# standing windows named in the footage's labels (both feet down, whole body), besides each clip's stillest window
LABELLED = {"skatefit_single_leg_balance_hold": 1.0, "gymnai_front_raise": 0.5, "yflex_tree_pose_barefoot": 0.5}
VIEW_REASONS = ("head", "feet", "head+feet", "partial", "away", "sideways", "not_standing", "nobody")


def turned(image: np.ndarray, degrees: float) -> np.ndarray:
    """The picture turned about its centre (+ = counter-clockwise) and cut to the largest upright rectangle of
    the same shape inside it."""
    height, width = image.shape[:2]
    a = math.radians(abs(degrees))
    k = min(width / (width * math.cos(a) + height * math.sin(a)), height / (width * math.sin(a) + height * math.cos(a)))
    rotation = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    out = cv2.warpAffine(image, rotation, (width, height), flags=cv2.INTER_LINEAR)
    w, h = int(width * k) // 2 * 2, int(height * k) // 2 * 2
    x0, y0 = (width - w) // 2, (height - h) // 2
    return out[y0:y0 + h, x0:x0 + w].copy()


def version(image: np.ndarray, name: str) -> np.ndarray:
    if name == "mirror":
        return image[:, ::-1].copy()
    if name.startswith("turned"):
        return turned(image, float(name.split()[1]))
    if name == "half":
        return cv2.resize(image, (image.shape[1] // 2, image.shape[0] // 2), interpolation=cv2.INTER_AREA)
    return image


def window_frames(path: pathlib.Path, start: float, seconds: float) -> tuple[list[float], list[np.ndarray], float]:
    """The frames of [start, start + seconds) of a clip (times from the window's start), or the still."""
    times, frames = [], []
    with open_file(path) as source:
        fps = source.fps
        for frame in source:
            if fps and frame.t < start - 1e-6:
                continue
            if fps and frame.t >= start + seconds - 1e-6:
                break
            times.append(frame.t - start if fps else 0.0)
            frames.append(frame.image)
    return times, frames, fps


def landmarks_of(frames, times, fps, key: str, cache: pathlib.Path) -> LandmarkSeries:
    path = cache / (key.replace(" ", "_") + ".npz")
    if path.is_file():
        return LandmarkSeries.load(path)
    still = not fps
    with PoseEstimator(still=still, num_poses=3 if still else 1) as estimator:
        poses = [estimator.detect(Frame(image, i, t, 0.0)) for i, (image, t) in enumerate(zip(frames, times))]
    height, width = frames[0].shape[:2]
    series = LandmarkSeries.from_frames(times, poses, fps or 1.0, width, height, key)
    cache.mkdir(parents=True, exist_ok=True)
    series.save(path)
    return series


def run_check(series: LandmarkSeries, frames: list[np.ndarray]):
    """(result, refusal reason) of the check on a whole window."""
    capture = Capture.from_series(series, still_image=len(frames) == 1)
    try:
        return check_capture(capture, seconds=max(series.t[-1] - series.t[0], 0.0) + 1e-3 if len(frames) > 1 else 2.0,
                             pictures=lambda indices: mean_picture(frames[i] for i in indices)), None
    except PosecheckError as error:
        return None, getattr(error, "reason", type(error).__name__)


def standing_window(series: LandmarkSeries, seconds: float = 2.0) -> float | None:
    """The start of the stillest window of a clip in which the check does not refuse for the view, or None."""
    capture = Capture.from_series(series)
    i0, i1, problems = select_window(capture, seconds)
    if window_refusal(problems[i0:i1]) or sum(p is None for p in problems[i0:i1]) < 0.7 * (i1 - i0):
        return None
    return float(series.t[i0])


def cell(result, reason) -> str:
    if result is None:
        return "refused: " + reason
    w = result.weight
    if w.left_pct is None:
        return f"no share ({w.note}); roll {result.level.roll_deg:+.1f}"
    spread = "" if w.uncertainty_pct is None else f" ± {w.uncertainty_pct:.0f}"
    return f"{w.left_pct:.0f}{spread}; roll {result.level.roll_deg:+.1f}"


def compare(original, result, reason, name: str) -> tuple[str, Optional[bool]]:
    """The difference to the original, and whether the invariance holds: the same share within 4 points, no share
    in either, or the changed version asks to level the camera. None when the turned picture cut the body off (a
    phone turned that far would not see the feet either)."""
    if result is None and name.startswith("turned") and reason in VIEW_REASONS and original is not None:
        return "the turn cut the body off", None
    shares = [None if r is None else r.weight_left_pct for r in (original, result)]
    if None in shares:
        if shares == [None, None]:
            return "no share in either", True
        if result is None and reason in LEVEL_REASONS:
            return "asks to level", True
        return "a share in one only", False
    expected = 100.0 - original.weight_left_pct if name == "mirror" else original.weight_left_pct
    diff = result.weight_left_pct - expected
    ok = abs(diff) <= SHARE_TOLERANCE
    text = f"{diff:+.1f}"
    if name == "mirror":
        feet = all(result.feet[s].tilt == original.feet[o].tilt for s, o in (("left", "right"), ("right", "left")))
        toe = max(abs(result.feet[s].toe_out_deg - original.feet[o].toe_out_deg) for s, o in (("left", "right"), ("right", "left")))
        text += f", feet {'swapped' if feet else 'NOT swapped'}, toe-out {toe:.1f} deg"
        ok = ok and feet
    return text, ok


def inputs(footage: pathlib.Path, clips: pathlib.Path, caches: list[pathlib.Path]) -> list[tuple[str, pathlib.Path, float]]:
    """(name, file, window start) of every real still, one standing window of every real clip, and the rolled renders."""
    found = [(p.name, p, 0.0) for p in sorted((footage / "real").glob("*.jpg"))]
    for folder in ("real", "real-negatives"):
        for video in sorted((footage / folder).glob("*.mp4")):
            cached = [c / (video.stem + ".npz") for c in caches if (c / (video.stem + ".npz")).is_file()]
            if not cached:
                print(f"note: no cached landmarks for {video.name}; skipped", file=sys.stderr)
                continue
            starts = {standing_window(LandmarkSeries.load(cached[0])), LABELLED.get(video.stem)} - {None}
            for start in sorted(starts):
                found.append((f"{video.stem} {start:.1f}-{start + 2:.1f} s", video, start))
    for video in sorted(clips.glob("chk_camroll*.mp4")):
        if "refuse" not in video.stem:
            found.append((f"{video.stem} 0.5-2.5 s", video, 0.5))
    return found


def invariance_rows(footage: pathlib.Path, clips: pathlib.Path, cache: pathlib.Path, caches: list[pathlib.Path]):
    """Markdown rows of the invariance table, the footwear seen on each real input, and a tally per version."""
    rows, feet, tally = [], [], {name: [0, 0, 0] for name in VERSIONS[1:]}  # held, counted, shares compared
    for label, path, start in inputs(footage, clips, caches):
        times, frames, fps = window_frames(path, start, 2.0)
        results = {}
        for name in VERSIONS:
            changed = [version(image, name) for image in frames]
            series = landmarks_of(changed, times, fps, f"{path.stem}_{start:.1f}_{name}", cache)
            results[name] = run_check(series, changed)
        original, reason = results["original"]
        cells = [cell(original, reason)]
        for name in VERSIONS[1:]:
            text, ok = compare(original, *results[name], name)
            cells.append(f"{cell(*results[name])} ({text})")
            if ok is not None:
                tally[name][0] += ok
                tally[name][1] += 1
                tally[name][2] += text[:1] in "+-"
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
        if original is not None and not label.startswith("chk_"):
            feet.append(f"| {label} | {original.feet['left'].footwear} / {original.feet['right'].footwear} | "
                        f"{original.feet['left'].tilt} / {original.feet['right'].tilt} |")
    return rows, feet, tally


def print_tables(rows, feet, tally) -> None:
    print("\n## Invariances on real people and rolled renders\n")
    print("Each cell: the left foot's share ± its uncertainty (or why there is none) and the camera roll read; in "
          "brackets the difference to the original (mirror: to 100 minus the original) and, for the mirror, whether "
          "the foot verdicts and the toe-out swapped.\n")
    print("| input | " + " | ".join(VERSIONS) + " |")
    print("| --- " * (len(VERSIONS) + 1) + "|")
    print("\n".join(rows))
    print()
    for name, (ok, total, compared) in tally.items():
        print(f"{name}: the invariance holds for {ok} of {total} inputs ({compared} with a share in both, within "
              f"{SHARE_TOLERANCE:.0f} points; the others without a share in either or asking to level the camera); "
              "inputs whose turned picture cut the body off are not counted")
    print("\n## Footwear on the real inputs (original version)\n")
    print("| input | footwear left / right | tilt left / right |")
    print("| --- | --- | --- |")
    print("\n".join(feet))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=pathlib.Path, default=WORK / "checkdata" / "invariance")
    ap.add_argument("--landmarks", type=pathlib.Path, action="append", default=[WORK / "checkdata" / "realcache", WORK / "checkdata" / "cache"],
                    help="folders with the cached landmarks of the whole real clips (NAME.npz)")
    ap.add_argument("--footage", type=pathlib.Path, default=FOOTAGE)
    ap.add_argument("--clips", type=pathlib.Path, default=WORK / "checkdata" / "clips")
    args = ap.parse_args(argv)
    print_tables(*invariance_rows(args.footage, args.clips, args.cache, args.landmarks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
