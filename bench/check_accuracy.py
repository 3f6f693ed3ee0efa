#!/usr/bin/env python3
"""Accuracy of the barefoot check (`posecheck check`) against rendered truth and real clips.

usage: python bench/check_accuracy.py [--render] [--windows] [--clips DIR] [--cache DIR] [--footage DIR]

* Renders the scenarios in bench/scenarios/check/*.json with the synthetic renderer
  (/work/shared/synth, `--workers 1`) into --clips (default /work/checkdata/clips; never
  the repo) when --render is given and a clip is missing.
* Runs MediaPipe once per clip and caches the landmarks (LandmarkSeries .npz) in --cache
  (default /work/checkdata/cache; /work/cache is also read).
* Runs the check on several 2 s windows of every clip ("repeated captures") and prints
  Markdown tables: weight share (with its +-) and foot tilt against the truth, by the
  camera's roll (0-5 degrees), the roll read from the room against the renderer's,
  repeatability, refusals, bare feet / socks / shoes on rendered people
  (`--footwear DIR`: clips of models/footwear/scenarios.py) and the real clips.
* With `--invariance`, also the invariances on real people (`bench/check_invariance.py`:
  mirrored, turned +-5 degrees, half size; runs the pose model on the changed frames).
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

from posecheck.detect.capture import Capture  # noqa: E402
from posecheck.detect.check import check_capture  # noqa: E402
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
    ap.add_argument("--footwear", type=pathlib.Path, default=WORK / "checkdata" / "fw_clips",
                    help="rendered footwear clips (models/footwear/scenarios.py); their landmarks are cached in DIR/../fw_cache")
    ap.add_argument("--windows", action="store_true", help="also list every window")
    ap.add_argument("--invariance", action="store_true", help="also the invariances on real people (runs the pose model)")
    args = ap.parse_args(argv)
    caches = [args.cache, WORK / "checkdata" / "realcache", WORK / "cache"]

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
    if args.footwear.is_dir():
        footwear_table(sorted(args.footwear.glob("fw_*.mp4")), [args.footwear.parent / "fw_cache"])
    if not (args.footage / "real").is_dir():
        print(f"note: {args.footage / 'real'} is not here: the real-footage table is skipped")
        return 0
    real_rows = real_clips(args.footage / "real", caches)
    print("\n## Real footage\n")
    print("| clip | window | expected | got |")
    print("| --- | --- | --- | --- |")
    print("\n".join(real_rows))
    if args.invariance:
        from check_invariance import invariance_rows, print_tables

        print_tables(*invariance_rows(args.footage, args.clips, WORK / "checkdata" / "invariance", caches[1:] + caches[:1]))
    return 0


@dataclasses.dataclass
class TiltTally:
    """Foot-tilt results of one group of clips, over all their windows."""

    rolled_right: int = 0  # feet rolled 6 deg or more, read on the right side
    rolled: int = 0
    neutral_called: int = 0  # neutral feet (frontal clips) called tilted
    neutral: int = 0
    roll_errors: list = dataclasses.field(default_factory=list)  # |read - true| in degrees


@dataclasses.dataclass
class WeightTally:
    """Weight-share results of one group of windows."""

    windows: int = 0
    within: int = 0  # within 5 points of the truth
    right_side: int = 0
    covered: int = 0  # the truth within the +-
    banded: int = 0  # a band was given
    no_share: int = 0
    refused: int = 0
    errors: list = dataclasses.field(default_factory=list)
    spreads: list = dataclasses.field(default_factory=list)

    def add(self, want: float, result, reason) -> None:
        self.windows += 1
        if result is None:
            self.refused += 1
            return
        got = result.weight_left_pct
        if got is None:
            self.no_share += 1
            return
        error = got - want
        self.errors.append(error)
        self.within += abs(error) <= 5
        self.right_side += (want - 50) * (got - 50) > 0 or abs(want - 50) < 2
        spread = result.weight.uncertainty_pct
        if spread is not None:
            self.spreads.append(spread)
            self.covered += abs(error) <= spread
        else:
            self.covered += abs(error) < 0.5
        self.banded += result.weight_band is not None

    def row(self, label: str) -> str:
        shared = len(self.errors)
        mean = f"{np.mean(np.abs(self.errors)):.1f}, {np.max(np.abs(self.errors)):.1f}" if shared else "-"
        spread = f"{np.median(self.spreads):.1f}" if self.spreads else "-"
        return (f"| {label} | {self.windows} | {shared} | {self.within} | {self.right_side} | {mean} | {spread} | {self.covered} | "
                f"{self.banded} | {self.no_share} | {self.refused} |")


def roll_bucket(name: str, roll: float) -> str:
    if name.startswith("roll_test"):
        return "held-out roll_test (roll SD 1 deg)"
    return f"camera roll {abs(roll):.0f} deg" if abs(roll) < 0.5 or abs(roll) >= 2.5 else "camera roll 1-2 deg"


def synthetic_tables(clips: list[tuple], caches: list[pathlib.Path], windows: bool) -> None:
    """Weight share, camera roll, foot tilt and refusal tables over the rendered clips."""
    weight_rows, tilt_rows, refuse_rows, repeat_rows, level_rows = [], [], [], [], []
    tilt_stats = {group: TiltTally() for group in ("roll_test", "other")}
    weight_stats: dict[str, WeightTally] = {}
    for name, video, truth_path in clips:
        truth = json.loads(truth_path.read_text())
        series = landmarks(video, caches)
        capture = Capture.from_series(series)
        pictures = pictures_of(video, series)
        group = "roll_test" if name.startswith("roll_test") else "other"
        camera_roll = float(truth["scenario_resolved"]["camera"].get("roll_deg", 0.0)) if "scenario_resolved" in truth else 0.0
        if "refuse" in name:
            result, reason = run(capture, None, pictures=pictures)
            got = "refused: " + reason if reason else "NOT refused (%s)" % (
                "no share" if result.weight_left_pct is None else "%.0f %%" % result.weight_left_pct)
            refuse_rows.append(f"| {name} | {camera_roll:+.0f} | refuse | {got} |")
            continue
        starts = still_windows(truth)
        estimates = []
        for start in starts:
            result, reason = run(capture, start, pictures=pictures)
            want = truth_in(truth, start, 2.0)
            weight_stats.setdefault(roll_bucket(name, camera_roll), WeightTally()).add(want["weight_left_pct"], result, reason)
            if result is None:
                weight_rows.append(f"| {name} | {start:.1f} | {want['weight_left_pct']:.1f} | refused: {reason} | | |")
                continue
            if start == starts[0]:
                lv = result.level
                level_rows.append(f"| {name} | {camera_roll:+.1f} | {lv.roll_deg:+.2f} ± {lv.sd_deg:.2f} ({lv.source}) | "
                                  f"{lv.roll_deg - camera_roll:+.2f} |")
            got = result.weight_left_pct
            if got is None:
                weight_rows.append(f"| {name} | {start:.1f} | {want['weight_left_pct']:.1f} | no share ({result.weight.note}) | | |")
            else:
                error = got - want["weight_left_pct"]
                side_ok = (want["weight_left_pct"] - 50) * (got - 50) > 0 or abs(want["weight_left_pct"] - 50) < 2
                spread = result.weight.uncertainty_pct
                estimates.append((want["weight_left_pct"], got, spread, result.weight_band))
                weight_rows.append(f"| {name} | {start:.1f} | {want['weight_left_pct']:.1f} | {got:.1f} ± {spread or 0:.1f} | "
                                   f"{error:+.1f} | {'yes' if side_ok else 'NO'} |")
            for side in ("left", "right"):
                foot = result.feet[side]
                ev = want["eversion"][side]
                if foot.lifted:
                    continue
                expected = side_of(ev, 6.0) if abs(ev) >= 6 or ev == 0 else None
                if start == starts[len(starts) // 2]:  # one row per clip and foot in the table
                    verdict = "-" if expected is None else "yes" if expected == foot.tilt else "NO"
                    read = "-" if foot.roll_deg is None else f"{foot.roll_deg:+.1f}"
                    tilt_rows.append(f"| {name} | {side} | {ev:+.0f} | {read} | {foot.tilt} | {verdict} | "
                                     f"{foot.fppa_deg:+.1f} | {foot.toe_out_deg:+.1f} |")
                tally = tilt_stats[group]
                if foot.roll_deg is not None:
                    tally.roll_errors.append(abs(foot.roll_deg - ev))
                if abs(ev) >= 6:
                    tally.rolled_right += foot.tilt == expected
                    tally.rolled += 1
                elif ev == 0 and "oblique" not in name:
                    tally.neutral_called += foot.tilt in ("inward", "outward")
                    tally.neutral += 1
        # one row per stance: windows whose truth lies within 4 points (footage e has three stances)
        groups: list[list[tuple]] = []
        for item in sorted(estimates):
            if groups and item[0] - groups[-1][0][0] <= 4:
                groups[-1].append(item)
            else:
                groups.append([item])
        for stance in groups:
            wants, gots = np.array([(w, g) for w, g, _, _ in stance]).T
            error = gots - wants
            sd = f"{np.std(gots, ddof=1):.2f}" if len(gots) > 1 else "-"
            spread = np.median([u for _, _, u, _ in stance if u is not None] or [0.0])
            bands = "/".join(sorted({b or "none" for _, _, _, b in stance}))
            right = all((w - 50) * (g - 50) > 0 or abs(w - 50) < 2 for w, g, _, _ in stance)
            agree = all(abs(g - np.mean(gots)) <= (u or 0.0) for _, g, u, _ in stance)
            repeat_rows.append(f"| {name} | {camera_roll:+.0f} | {np.mean(wants):.1f} | {np.mean(gots):.1f} ± {spread:.1f} | "
                               f"{np.mean(error):+.1f} ({np.min(error):+.1f} .. {np.max(error):+.1f}) | {len(gots)} | {sd} | "
                               f"{'yes' if agree else 'NO'} | {'yes' if right else 'NO'} | {bands} |")

    print("## Weight share on the left foot (%), synthetic clips\n")
    print("Each row is one stance, checked in several 2 s windows (repeated captures): the truth and the estimate are")
    print("the means over those windows (± the median uncertainty shown), the error range is over the windows, SD is the")
    print("repeatability, 'agree' whether every window lies within its ± of the mean.\n")
    print("| clip | camera roll | truth | estimate | error (range) | windows | SD | agree | right side | band |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(repeat_rows))
    print("\n## By camera roll (every window)\n")
    print("| group | windows | with a share | within ±5 | right side | mean, max abs error | median ± | truth within ± | "
          "band given | no share | refused |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label in sorted(weight_stats):
        print(weight_stats[label].row(label))
    print("\n## Camera roll read from the room (first window of each clip)\n")
    print("| clip | renderer's roll | read | error |")
    print("| --- | --- | --- | --- |")
    print("\n".join(level_rows))
    errors = [abs(float(r.split("|")[4])) for r in level_rows]
    if errors:
        print(f"\nroll error: mean {np.mean(errors):.2f} deg, max {np.max(errors):.2f} deg over {len(errors)} clips.")
    if windows:
        print("\n### Every window\n")
        print("| clip | window start (s) | truth | estimate | error | right side |")
        print("| --- | --- | --- | --- | --- | --- |")
        print("\n".join(weight_rows))
    print("\n## Foot tilt (one 2 s window per clip; roll + = inward)\n")
    print("| clip | foot | truth roll (deg) | estimate (deg) | tilt | side right | FPPA (deg) | toe-out (deg) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(tilt_rows))
    print()
    for group, label in (("roll_test", "held-out roll_test_* clips"), ("other", "the other scenarios and shared clips")):
        t = tilt_stats[group]
        if t.rolled or t.neutral:
            errors = t.roll_errors or [math.nan]
            print(f"{label}: feet rolled 6 deg or more read on the right side in {t.rolled_right} of {t.rolled} windows; "
                  f"neutral feet (frontal) called tilted in {t.neutral_called} of {t.neutral}; roll error mean "
                  f"{np.mean(errors):.1f} deg, 90th percentile {np.percentile(errors, 90):.1f} deg over "
                  f"{len(t.roll_errors)} feet and windows.")
    print()
    print("## Refusals\n")
    print("| clip | camera roll | expected | got |")
    print("| --- | --- | --- | --- |")
    print("\n".join(refuse_rows))


def near_skin(scenario: dict, colour: str) -> bool:
    """Whether a sock or shoe colour is close to the person's skin (within 60 of 255 in RGB)."""
    rgb = lambda value: np.array(value if isinstance(value, list) else [int(value[i:i + 2], 16) for i in (1, 3, 5)], float)
    skin = {"light": "#dea685", "medium": "#b57c55", "dark": "#6e4630"}.get(scenario["person"]["skin"], scenario["person"]["skin"])
    return float(np.linalg.norm(rgb(skin) - rgb(scenario["person"][colour]))) < 60


def footwear_table(videos: list[pathlib.Path], caches: list[pathlib.Path]) -> None:
    """Bare feet, socks and shoes on rendered people: what the check made of each standing foot."""
    seen: dict[str, dict[str, int]] = {}
    for video in videos:
        scenario = json.loads(video.with_suffix(".truth.json").read_text())["scenario"]
        series = landmarks(video, caches)
        result, reason = run(Capture.from_series(series), None, pictures=pictures_of(video, series))
        truth = scenario["person"]["footwear"]
        kind = truth if truth == "barefoot" else truth + (" (near skin colour)" if near_skin(scenario, truth) else "")
        if seed_of(video) < 7032:
            kind += ", thresholds set"
        counts = seen.setdefault(kind, {})
        states = [reason or "refused"] if result is None else [result.feet[s].footwear for s in ("left", "right")]
        for state in states:
            counts[state] = counts.get(state, 0) + 1
    print("\n## Bare feet, socks and shoes (rendered people, models/footwear/scenarios.py)\n")
    print("Feet counted one by one; a refused capture counts once, by its reason. Seeds 7000-7031 set the thresholds.\n")
    print("| footwear | bare | covered | unknown | refused |")
    print("| --- | --- | --- | --- | --- |")
    for kind in sorted(seen):
        c = seen[kind]
        refused = sum(v for k, v in c.items() if k not in ("bare", "covered", "unknown"))
        print(f"| {kind} | {c.get('bare', 0)} | {c.get('covered', 0)} | {c.get('unknown', 0)} | {refused} |")


def seed_of(video: pathlib.Path) -> int:
    return int(video.stem.split("_")[1])


def describe(result, reason) -> str:
    """A real capture's result in one cell."""
    if result is None:
        return "refused: " + reason
    w = result.weight
    share = (f"no share ({w.note})" if w.left_pct is None else f"left {w.left_pct:.0f} %"
             + ("" if w.uncertainty_pct is None else f" ± {w.uncertainty_pct:.0f}") + f" ({w.band or 'no band'})")
    feet = "/".join(f"{result.feet[s].tilt}" for s in ("left", "right"))
    return (f"{share}, roll {result.level.roll_deg:+.1f} ± {result.level.sd_deg:.1f}, feet L/R {feet}, {result.stance.type}, "
            f"yaw {result.quality.yaw_deg:.0f} deg, {result.quality.people} people")


def real_clips(real: pathlib.Path, caches: list[pathlib.Path]) -> list[str]:
    rows = []
    clip = real / "skatefit_single_leg_balance_hold.mp4"
    if clip.is_file():
        series = landmarks(clip, caches)
        capture, pictures = Capture.from_series(series), pictures_of(clip, series)
        for start in (5.5, 6.5, 7.5, 12.5, 13.5, 14.5):
            rows.append(f"| {clip.stem} | {start:.1f}-{start + 2:.1f} s | on the left leg: left >= 80 % | "
                        f"{describe(*run(capture, start, pictures=pictures))} |")
        rows.append(f"| {clip.stem} | 1.0-3.0 s | both feet down: no 100/0 | {describe(*run(capture, 1.0, pictures=pictures))} |")
    clip = real / "skatefit_standing_weight_shifts.mp4"
    if clip.is_file():
        result, reason = run(Capture.from_series(landmarks(clip, caches)), None)
        rows.append(f"| {clip.stem} | stillest 2 s | refuse (head cut off) | {'refused: ' + reason if reason else 'NOT refused'} |")
    for still in sorted(real.glob("*.jpg")):
        series = landmarks(still, caches)
        result = run(Capture.from_series(series, still_image=True), None, pictures=pictures_of(still, series))
        rows.append(f"| {still.name} | still | (no truth; shoes or socks: no tilt) | {describe(*result)} |")
    return rows


if __name__ == "__main__":
    sys.exit(main())
