#!/usr/bin/env python3
"""Accuracy of the barefoot check (`posecheck check`) against rendered truth and real clips.

usage: python bench/check_accuracy.py [--render] [--windows] [--clips DIR] [--cache DIR] [--footage DIR]

* Renders the scenarios in bench/scenarios/check/*.json with the synthetic renderer
  (/work/shared/synth, `--workers 1`) into --clips (default /work/checkdata/clips; never
  the repo) when --render is given and a clip is missing.
* Runs MediaPipe once per clip and caches the landmarks (LandmarkSeries .npz) in --cache
  (default /work/checkdata/cache; /work/cache is also read).
* Runs the check on several 2 s windows of every clip ("repeated captures") and prints
  Markdown tables: weight share and foot tilt against the truth, repeatability, refusals,
  image vs world landmarks for the lever rule, and the real clips.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import pathlib
import subprocess
import sys

import cv2
import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from posecheck.body.geometry import DEFAULT_STATURE_M, px_per_metre  # noqa: E402
from posecheck.detect.capture import Capture, average_still_frames, select_window  # noqa: E402
from posecheck.detect.check import check_capture, lifted_feet, weight_share_left  # noqa: E402
from posecheck.cli.check import clip_pictures  # noqa: E402
from posecheck.errors import PosecheckError  # noqa: E402
from posecheck.pose.landmarks import LandmarkSeries  # noqa: E402
from posecheck.pose.estimator import PoseEstimator  # noqa: E402
from posecheck.media.frames import open_file  # noqa: E402

WORK = REPO.parent
SCENARIOS = REPO / "bench" / "scenarios" / "check"
SYNTH = WORK / "shared" / "synth" / "render.py"
FOOTAGE = WORK / "shared" / "footage"
SEX = "average"


def landmarks(video: pathlib.Path, cache_dirs: list[pathlib.Path]) -> LandmarkSeries:
    for directory in cache_dirs:
        path = directory / (video.stem + ".npz")
        if path.is_file():
            return LandmarkSeries.load(path)
    source = open_file(video)
    still = source.fps == 0
    times, poses = [], []
    with PoseEstimator(still=still, num_poses=3 if still else 1) as estimator:
        for frame in source:
            times.append(frame.t)
            poses.append(estimator.detect(frame))
    series = LandmarkSeries.from_frames(times, poses, source.fps or 1.0, source.width, source.height, str(video))
    cache_dirs[0].mkdir(parents=True, exist_ok=True)
    series.save(cache_dirs[0] / (video.stem + ".npz"))
    return series


def render(scenario: pathlib.Path, out: pathlib.Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(SYNTH), str(scenario), str(out), "--workers", "1"], check=True, stdout=subprocess.DEVNULL)


def pictures_of(path: pathlib.Path, series: LandmarkSeries):
    """The check's `pictures(indices)` for a cached clip or still."""
    if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
        return lambda indices: cv2.imread(str(path))
    return clip_pictures(path, [float(t) for t in series.t])


def run(capture: Capture, start: float | None, seconds: float = 2.0, pictures=None):
    try:
        return check_capture(capture, seconds=seconds, start=start, sex=SEX, pictures=pictures), None
    except PosecheckError as error:
        return None, getattr(error, "reason", type(error).__name__)


def still_windows(truth: dict, seconds: float = 2.0, step: float = 1.0) -> list[float]:
    """Starts of windows in which the truth is at rest (no shift, roll or rise under way)."""
    frames = truth["frames"]
    t = np.array(frames["t"])
    weight = np.array([np.nan if w is None else w for w in frames["weight_left"]], float)
    phase = frames["phase"]
    starts = []
    s = 0.5
    while s + seconds <= t[-1] + 1e-6:
        m = (t >= s) & (t < s + seconds)
        ok = all(phase[i] in ("rest", "single_leg_hold") for i in np.flatnonzero(m))  # sway may move the weight a little
        if ok and np.all(np.isfinite(weight[m])):
            starts.append(round(s, 2))
        s += step
    return starts


def truth_in(truth: dict, start: float, seconds: float) -> dict:
    frames = truth["frames"]
    t = np.array(frames["t"])
    m = (t >= start) & (t < start + seconds)
    weight = np.array([np.nan if w is None else w for w in frames["weight_left"]], float)[m]
    return {
        "weight_left_pct": 100 * float(np.nanmean(weight)),
        "eversion": {side: float(np.mean(np.array(frames["eversion_deg"][side], float)[m])) for side in ("left", "right")},
        "valgus": float(np.mean(np.array(frames["knee_valgus_deg"]["left"], float)[m])),
        "toe_out": float(np.mean(np.array(frames["toe_out_deg"]["left"], float)[m])),
        "trunk_tilt": float(np.mean(np.array(frames["trunk_tilt_deg"], float)[m])),
    }


def side_of(value: float, dead: float) -> str:
    return "neutral" if abs(value) < dead else "inward" if value > 0 else "outward"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--render", action="store_true", help="render missing scenario clips (single worker)")
    ap.add_argument("--clips", type=pathlib.Path, default=WORK / "checkdata" / "clips")
    ap.add_argument("--cache", type=pathlib.Path, default=WORK / "checkdata" / "cache")
    ap.add_argument("--footage", type=pathlib.Path, default=FOOTAGE)
    ap.add_argument("--windows", action="store_true", help="also list every window")
    args = ap.parse_args(argv)
    caches = [args.cache, WORK / "cache"]

    clips = []  # (name, video, truth path)
    missing = []
    for scenario in sorted(SCENARIOS.glob("*.json")):
        video = args.clips / (scenario.stem + ".mp4")
        if not video.is_file() and args.render and SYNTH.is_file():
            print(f"rendering {scenario.name} ...", file=sys.stderr)
            render(scenario, video)
        if video.is_file():
            clips.append((scenario.stem, video, video.with_suffix(".truth.json")))
        else:
            missing.append(scenario.stem)
    if missing:
        how = "use --render" if SYNTH.is_file() else f"the renderer {SYNTH} is not here"
        print(f"note: {len(missing)} of the check scenarios are not rendered in {args.clips} ({how}); skipped: "
              + ", ".join(missing), file=sys.stderr)
    for name in ("e_front_barefoot_weight_shift", "f_front_barefoot_left_everted8", "h_front_single_leg_tiptoe_left"):
        video = args.footage / "synthetic" / (name + ".mp4")
        if video.is_file():
            clips.append((name, video, video.with_name(name + ".truth.json")))

    if clips:
        synthetic_tables(clips, caches, args.windows)
    else:
        print("note: no rendered check scenarios and no shared synthetic footage here: the synthetic tables are skipped "
              f"(render them with --render where {SYNTH} exists)\n")
    if not (args.footage / "real").is_dir():
        print(f"note: {args.footage / 'real'} is not here: the real-footage table is skipped")
        return 0
    real_rows = real_clips(args.footage / "real", caches)
    print("\n## Real footage\n")
    print("| clip | window | expected | got |")
    print("| --- | --- | --- | --- |")
    print("\n".join(real_rows))
    return 0


@dataclasses.dataclass
class TiltTally:
    """Foot-tilt results of one group of clips, over all their windows."""

    rolled_right: int = 0  # feet rolled 6 deg or more, read on the right side
    rolled: int = 0
    neutral_called: int = 0  # neutral feet (frontal clips) called tilted
    neutral: int = 0
    roll_errors: list = dataclasses.field(default_factory=list)  # |read - true| in degrees


def synthetic_tables(clips: list[tuple], caches: list[pathlib.Path], windows: bool) -> None:
    """Weight share, lever rule, foot tilt and refusal tables over the rendered clips."""
    weight_rows, tilt_rows, refuse_rows, method_rows, repeat_rows = [], [], [], [], []
    tilt_stats = {group: TiltTally() for group in ("roll_test", "other")}
    weight_errors = {"other": [], "roll_test": []}
    camera_roll_errors = []  # (camera roll in the scenario, signed weight error) on the roll_test clips
    for name, video, truth_path in clips:
        truth = json.loads(truth_path.read_text())
        series = landmarks(video, caches)
        capture = Capture.from_series(series)
        pictures = pictures_of(video, series)
        group = "roll_test" if name.startswith("roll_test") else "other"
        camera_roll = json.loads((SCENARIOS / f"{name}.json").read_text())["camera"]["roll_deg"] if group == "roll_test" else None
        if "refuse" in name:
            result, reason = run(capture, None, pictures=pictures)
            refuse_rows.append(f"| {name} | refuse | {'refused: ' + reason if reason else 'NOT refused (%.0f %%)' % result.weight_left_pct} |")
            continue
        starts = still_windows(truth)
        estimates = []
        for start in starts:
            result, reason = run(capture, start, pictures=pictures)
            want = truth_in(truth, start, 2.0)
            if result is None:
                weight_rows.append(f"| {name} | {start:.1f} | {want['weight_left_pct']:.1f} | refused: {reason} | | |")
                weight_errors[group].append(math.inf)
                continue
            got = result.weight_left_pct
            error = got - want["weight_left_pct"]
            side_ok = (want["weight_left_pct"] - 50) * (got - 50) > 0 or abs(want["weight_left_pct"] - 50) < 2
            weight_errors[group].append(abs(error))
            if group == "roll_test":
                camera_roll_errors.append((camera_roll, error))
            estimates.append((want["weight_left_pct"], got))
            weight_rows.append(f"| {name} | {start:.1f} | {want['weight_left_pct']:.1f} | {got:.1f} | {error:+.1f} | {'yes' if side_ok else 'NO'} |")
            # image landmarks vs world landmarks for the same lever rule
            pose = average_still_frames(capture, *select_window(capture, 2.0, start)[:2])
            lifted = lifted_feet(pose.image, px_per_metre(pose.image) * DEFAULT_STATURE_M, SEX)
            world_pct = 100 * weight_share_left(pose.world, SEX, lifted)
            method_rows.append((want["weight_left_pct"], got, world_pct))
            for side in ("left", "right"):
                foot = result.feet[side]
                ev = want["eversion"][side]
                if foot.lifted:
                    continue
                expected = side_of(ev, 6.0) if abs(ev) >= 6 or ev == 0 else None
                if start == starts[len(starts) // 2]:  # one row per clip and foot in the table
                    verdict = "-" if expected is None else "yes" if expected == foot.tilt else "NO"
                    tilt_rows.append(
                        f"| {name} | {side} | {ev:+.0f} | {foot.roll_deg:+.1f} | {foot.tilt} | {verdict} | "
                        f"{foot.ankle_offset_mm:+.1f} | {foot.fppa_deg:+.1f} | {foot.toe_out_deg:+.1f} |")
                tally = tilt_stats[group]
                tally.roll_errors.append(abs(foot.roll_deg - ev))
                if abs(ev) >= 6:
                    tally.rolled_right += foot.tilt == expected
                    tally.rolled += 1
                elif ev == 0 and "oblique" not in name:
                    tally.neutral_called += foot.tilt != "neutral"
                    tally.neutral += 1
        # one row per stance: windows whose truth lies within 4 points (footage e has three stances)
        groups: list[list[tuple[float, float]]] = []
        for want, got in sorted(estimates):
            if groups and want - groups[-1][0][0] <= 4:
                groups[-1].append((want, got))
            else:
                groups.append([(want, got)])
        for group in groups:
            wants, gots = np.array(group).T
            error = gots - wants
            sd = f"{np.std(gots, ddof=1):.2f}" if len(gots) > 1 else "-"
            right = all((w - 50) * (g - 50) > 0 or abs(w - 50) < 2 for w, g in group)
            repeat_rows.append(f"| {name} | {np.mean(wants):.1f} | {np.mean(gots):.1f} | {np.mean(error):+.1f} "
                               f"({np.min(error):+.1f} .. {np.max(error):+.1f}) | {len(gots)} | {sd} | {'yes' if right else 'NO'} |")

    print("## Weight share on the left foot (%), synthetic clips\n")
    print("Each row is one stance, checked in several 2 s windows (repeated captures): the truth and the estimate are")
    print("the means over those windows, the error range is over the windows, SD is the repeatability.\n")
    print("| clip | truth | estimate | error (range) | windows | SD | right side |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(repeat_rows))
    for group, label in (("other", "check scenarios and shared clips"), ("roll_test", "held-out roll_test_* clips")):
        errors = weight_errors[group]
        finite = [e for e in errors if math.isfinite(e)]
        if finite:
            print(f"\n{label}: {sum(e <= 5 for e in finite)} of {len(errors)} windows within +-5 points; "
                  f"mean |error| {np.mean(finite):.1f}, max {np.max(finite):.1f}.")
    if len(camera_roll_errors) > 2:
        roll, error = np.array(camera_roll_errors).T
        slope = np.polyfit(roll, error, 1)[0]
        print(f"roll_test clips: their cameras are rolled (tilted phone, SD 1 deg); the weight error follows it by "
              f"{slope:+.1f} points per degree (correlation {np.corrcoef(roll, error)[0, 1]:+.2f}).")
    print()
    if windows:
        print("### Every window\n")
        print("| clip | window start (s) | truth | estimate | error | right side |")
        print("| --- | --- | --- | --- | --- | --- |")
        print("\n".join(weight_rows))
        print()
    rows = np.array(method_rows)
    print("\n## Lever rule on image vs world landmarks (all windows above)\n")
    print("| landmarks | bias (points) | SD | max abs error |")
    print("| --- | --- | --- | --- |")
    for label, col in (("image (used)", 1), ("world", 2)):
        err = rows[:, col] - rows[:, 0]
        print(f"| {label} | {np.mean(err):+.1f} | {np.std(err):.1f} | {np.max(np.abs(err)):.1f} |")
    print("\n## Foot tilt (one 2 s window per clip; roll + = inward)\n")
    print("| clip | foot | truth roll (deg) | estimate (deg) | tilt | side right | ankle offset (mm) | FPPA (deg) | toe-out (deg) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(tilt_rows))
    print()
    for group, label in (("roll_test", "held-out roll_test_* clips"), ("other", "the other scenarios and shared clips")):
        t = tilt_stats[group]
        if t.rolled or t.neutral:
            print(f"{label}: feet rolled 6 deg or more read on the right side in {t.rolled_right} of {t.rolled} windows; "
                  f"neutral feet (frontal) called tilted in {t.neutral_called} of {t.neutral}; roll error mean "
                  f"{np.mean(t.roll_errors):.1f} deg, 90th percentile {np.percentile(t.roll_errors, 90):.1f} deg over "
                  f"{len(t.roll_errors)} feet and windows.")
    print()
    print("## Refusals\n")
    print("| clip | expected | got |")
    print("| --- | --- | --- |")
    print("\n".join(refuse_rows))


def real_clips(real: pathlib.Path, caches: list[pathlib.Path]) -> list[str]:
    rows = []
    clip = real / "skatefit_single_leg_balance_hold.mp4"
    if clip.is_file():
        series = landmarks(clip, caches)
        capture, pictures = Capture.from_series(series), pictures_of(clip, series)
        for start in (5.5, 6.5, 7.5, 12.5, 13.5, 14.5):
            result, reason = run(capture, start, pictures=pictures)
            got = "refused: " + reason if result is None else (
                f"left {result.weight_left_pct:.0f} % ({result.stance.type}, yaw {result.quality.yaw_deg:.0f} deg)")
            rows.append(f"| {clip.stem} | {start:.1f}-{start + 2:.1f} s | on the left leg: left >= 80 % | {got} |")
        result, reason = run(capture, 1.0, pictures=pictures)
        got = "refused: " + reason if result is None else f"left {result.weight_left_pct:.0f} % ({result.stance.type})"
        rows.append(f"| {clip.stem} | 1.0-3.0 s | both feet down | {got} |")
    clip = real / "skatefit_standing_weight_shifts.mp4"
    if clip.is_file():
        capture = Capture.from_series(landmarks(clip, caches))
        result, reason = run(capture, None)
        rows.append(f"| {clip.stem} | stillest 2 s | refuse (head cut off) | {'refused: ' + reason if reason else 'NOT refused'} |")
    for still in sorted(real.glob("*.jpg")):
        series = landmarks(still, caches)
        capture = Capture.from_series(series, still_image=True)
        result, reason = run(capture, None, pictures=pictures_of(still, series))
        if result is None:
            got = "refused: " + reason
        else:
            got = (f"left {result.weight_left_pct:.0f} %, feet L {result.feet['left'].tilt} / R {result.feet['right'].tilt}, "
                   f"shoulders {result.shoulder_tilt_deg:+.1f} deg, pelvis {result.pelvis_tilt_deg:+.1f} deg, {result.stance.type}, "
                   f"yaw {result.quality.yaw_deg:.0f} deg")
        rows.append(f"| {still.name} | still | (no truth) | {got} |")
    return rows


if __name__ == "__main__":
    sys.exit(main())
