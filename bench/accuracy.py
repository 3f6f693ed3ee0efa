#!/usr/bin/env python3
"""Accuracy of the rise count on every labelled clip, with a plot per clip.

usage: python bench/accuracy.py [--compare-single] [--sensitivity] [--plots DIR] [--no-plots] [--cache DIR] [--shared DIR]
                                [--model PATH] [--workers N] [--no-check]

Clips:
* sample_videos/X.mp4 with X.truth.json (the synthetic renderer's truth format);
* <repo>/../shared/footage/synthetic/*.mp4 with their .truth.json,
  <repo>/../shared/footage/real/*.mp4 with the hand labels in real/labels.json
  (`rises` per clip; `rises: 0` marks a negative), and
  <repo>/../shared/footage/real-negatives/*.mp4: ordinary standing exercises
  without a rise (labels.json there says what moves). Skipped, with a note,
  when ../shared is not there.

The landmarks come from posecheck's own offline analysis (`extract_landmarks`)
and are cached as .npz under --cache (default bench/.cache/, ignored by git),
keyed by the clip's and the model's content, so a rerun takes seconds.

Printed: one Markdown table (expected count, counted, partial rises, matched and
missed reps, false counts, the excursions that were not counted by reason, the
largest hold error against the truth, and whether the count stays the same when
the session sees only every 2nd or 3rd frame or random gaps, as live mode on a
slow machine does). A PNG per clip (default bench/plots/) is the picture of
`posecheck rises --plot`, with the true holds shaded.

--sensitivity counts every clip again with each threshold of the counter 20 %
lower and 20 % higher (bench/README.md keeps the table).

--compare-single also runs the single loop (--workers 1, exactly the plain
per-frame loop) on every clip and adds a column: its count, and how far the
hold times of posecheck's default (split) analysis are from it.

Then, if bench/check_accuracy.py is there, its barefoot-check tables follow.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import pathlib
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from posecheck.session.rises import count_rises
from posecheck.pose.extract import extract_landmarks
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.pose.estimator import default_model_path
from posecheck.detect.rises import RiseConfig

BENCH = REPO / "bench"


@dataclasses.dataclass
class TrueRep:
    top_s: float
    lower_s: float
    start_s: float | None = None
    end_s: float | None = None

    @property
    def hold_s(self) -> float:
        return self.lower_s - self.top_s


@dataclasses.dataclass
class Clip:
    name: str
    path: pathlib.Path
    group: str  # "sample", "synthetic", "real"
    expected: int
    reps: list[TrueRep] | None  # the true reps that count, when their times are known
    not_reps: list[TrueRep] = dataclasses.field(default_factory=list)  # rises that must not count (half rises)
    timing: str = ""  # "truth" (rendered, exact) or "hand" (labels by eye, +/- 0.25 s)


# --------------------------------------------------------------------------- finding the clips


def truth_clip(video: pathlib.Path, truth_path: pathlib.Path, group: str) -> Clip:
    events = json.loads(truth_path.read_text())["events"]
    reps, not_reps = [], []
    for rep in events.get("reps", []):
        true = TrueRep(rep["top_s"], rep["lower_s"], rep.get("start_s"), rep.get("end_s"))
        (reps if rep.get("counts_as_rep", True) else not_reps).append(true)
    return Clip(video.name, video, group, int(events["rep_count"]), reps, not_reps, "truth")


def labelled_clips(directory: pathlib.Path, group: str) -> list[Clip]:
    clips = []
    for truth in sorted(directory.glob("*.truth.json")):
        video = truth.with_name(truth.name[: -len(".truth.json")] + ".mp4")
        if video.is_file():
            clips.append(truth_clip(video, truth, group))
    return clips


def real_clips(directory: pathlib.Path, group: str = "real") -> list[Clip]:
    labels_path = directory / "labels.json"
    if not labels_path.is_file():
        return []
    labels = json.loads(labels_path.read_text())
    clips = []
    for name, label in labels.items():
        video = directory / name
        if not isinstance(label, dict) or "rises" not in label or not video.is_file() or video.suffix.lower() != ".mp4":
            continue
        reps = None
        if "tops" in label:
            reps = [TrueRep(a, b) for a, b in label["tops"]]
        elif "reps" in label:
            reps = [TrueRep(r["top"][0], r["top"][1], r.get("rise_start"), r.get("down_by")) for r in label["reps"]]
        elif label["rises"] == 0:
            reps = []
        clips.append(Clip(name, video, group, int(label["rises"]), reps, [], "hand" if reps else ""))
    return clips


def find_clips(shared: pathlib.Path) -> tuple[list[Clip], list[str]]:
    notes = []
    clips = labelled_clips(REPO / "sample_videos", "sample")
    if not clips:
        notes.append("sample_videos/: no labelled clip (X.mp4 with X.truth.json) yet")
    footage = shared / "footage"
    if footage.is_dir():
        clips += labelled_clips(footage / "synthetic", "synthetic")
        clips += real_clips(footage / "real")
        clips += real_clips(footage / "real-negatives", "real-negatives")
    else:
        notes.append(f"{footage}: not here, so the shared synthetic and real footage is skipped (only sample_videos/ ran)")
    return clips, notes


# --------------------------------------------------------------------------- landmarks, cached


def file_digest(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def plan_tag(path: pathlib.Path, workers: int | None) -> str:
    """Part of the cache key: a split video's landmarks depend on where the seams fall (the worker count and the plan)."""
    from posecheck.pose.extract import available_cores, plan_segments, probe

    n = available_cores() if not workers or workers <= 0 else workers
    if n == 1:
        return "single"
    fps, frame_count, _, _ = probe(path)
    segments = plan_segments(frame_count, fps, n)
    seams = ",".join(f"{s.start}:{s.keep_start}" for s in segments)
    return f"w{n}-{hashlib.sha256(seams.encode()).hexdigest()[:8]}"


def landmarks(clip: Clip, model: str | None, cache: pathlib.Path, model_digest: str, workers: int | None, seed: pathlib.Path | None) -> tuple[LandmarkSeries, str]:
    """posecheck's landmarks for a clip (from the cache when it has them). `seed` is only used for the single loop."""
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# landmark cache of bench/accuracy.py\n*\n")
    tag = plan_tag(clip.path, workers)
    cached = cache / f"{clip.path.stem}-{file_digest(clip.path)}-{model_digest}-{tag}.npz"
    if cached.is_file():
        return LandmarkSeries.load(cached), "cache"
    if tag == "single" and seed is not None and (seed / f"{clip.path.stem}.npz").is_file():
        series = LandmarkSeries.load(seed / f"{clip.path.stem}.npz")
        how = "seed"
    else:
        series = extract_landmarks(clip.path, model, workers)
        how = "model"
    series.save(cached)
    return series, how


# --------------------------------------------------------------------------- scoring


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def match(counted, truth: list[TrueRep]) -> list[tuple[object, TrueRep]]:
    """Pairs (counted rep, true rep), greedily by the overlap of their holds (top to lower), then by nearest top."""
    pairs, used = [], set()
    for rep in counted:
        best, best_score = None, None
        for k, true in enumerate(truth):
            if k in used:
                continue
            common = overlap(rep.start_s, rep.end_s, true.start_s if true.start_s is not None else true.top_s - 0.8,
                             true.end_s if true.end_s is not None else true.lower_s + 0.8)
            if common <= 0:
                continue
            score = (overlap(rep.top_s, rep.lower_s, true.top_s, true.lower_s), -abs(rep.top_s - true.top_s))
            if best_score is None or score > best_score:
                best, best_score = k, score
        if best is not None:
            used.add(best)
            pairs.append((rep, truth[best]))
    return pairs


@dataclasses.dataclass
class Score:
    clip: Clip
    counted: int
    partial: int
    matched: int | None
    missed: int | None
    extra: int | None
    hold_error: float | None
    hold_errors: list[float]
    source: str
    seconds: float
    single: tuple[int, int, float | None] | None = None  # single loop: count, partials, largest hold difference to it
    rejected: dict[str, int] = dataclasses.field(default_factory=dict)  # excursions not counted, by reason
    fewer: list[int] = dataclasses.field(default_factory=list)  # the count with every 2nd, every 3rd frame, random gaps


def score(clip: Clip, counter) -> tuple[int | None, int | None, int | None, float | None, list[float]]:
    if clip.reps is None:
        extra = counter.count if clip.expected == 0 else None
        return None, None, extra, None, []
    pairs = match(counter.reps, clip.reps)
    errors = [rep.hold_s - true.hold_s for rep, true in pairs]
    matched = len(pairs)
    worst = max((abs(e) for e in errors), default=None)
    return matched, len(clip.reps) - matched, counter.count - matched, worst, errors


# --------------------------------------------------------------------------- plots


def plot(clip: Clip, counter, samples, config: RiseConfig, out: pathlib.Path) -> None:
    """The same picture as `posecheck rises --plot`, with the true holds shaded."""
    from posecheck.render.rises_plot import draw_rises

    out.parent.mkdir(parents=True, exist_ok=True)
    truth = [(true.top_s, true.lower_s) for true in clip.reps or []]
    draw_rises(out, samples, counter, config, f"{clip.group}/{clip.name}: expected {clip.expected}", truth)


def fewer_frames(series: LandmarkSeries, config: RiseConfig) -> list[int]:
    """The count when the session sees only some frames, as live mode on a slow machine does:
    every 2nd, every 3rd, and random gaps of 1 to 4 frames (as tests/test_live.py feeds it)."""
    import numpy as np

    from posecheck.session.rises import RisesSession

    counts = []
    poses = list(series.frames())
    for steps in ([2], [3], [1, 2, 3, 4]):
        rng = np.random.default_rng(7)
        session = RisesSession(config, "en")
        i = 0
        while i < len(poses):
            session.process(float(series.t[i]), poses[i])
            i += int(rng.choice(steps))
        session.finish()
        counts.append(session.counter.count)
    return counts


# --------------------------------------------------------------------------- the table


def fmt(value, pattern="{}") -> str:
    return "–" if value is None else pattern.format(value)


def table(scores: list[Score]) -> str:
    compare = any(s.single is not None for s in scores)
    lines = [
        "| clip | expected | counted | partial | matched | missed | false counts | not counted, by reason | max hold error | fewer frames |"
        + (" single loop: count, max hold difference |" if compare else ""),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |" + (" ---: |" if compare else ""),
    ]
    for s in scores:
        negative = s.clip.expected == 0
        false_counts = fmt(s.extra) + (" (negative)" if negative else "")
        hold = fmt(s.hold_error, "{:.2f} s") + (" (hand)" if s.hold_error is not None and s.clip.timing == "hand" else "")
        mark = "" if s.counted == s.clip.expected else " ✗"
        reasons = ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in s.rejected.items()) or "–"
        fewer = "same" if all(n == s.counted for n in s.fewer) else "DIFFERENT: " + "/".join(map(str, s.fewer))
        line = (f"| {s.clip.group}/{s.clip.name} | {s.clip.expected} | {s.counted}{mark} | {s.partial} | {fmt(s.matched)} | {fmt(s.missed)} "
                f"| {false_counts} | {reasons} | {hold} | {fewer} |")
        if compare:
            count, partial, difference = s.single
            same = "same" if (count, partial) == (s.counted, s.partial) else f"DIFFERENT: {count} (+{partial} partial)"
            line += f" {same}, {fmt(difference, '{:.3f} s')} |"
        lines.append(line)
    return "\n".join(lines)


def summary(scores: list[Score]) -> str:
    right = sum(s.counted == s.clip.expected for s in scores)
    negatives = [s for s in scores if s.clip.expected == 0]
    false_total = sum(s.counted for s in negatives)
    truth_errors = [abs(e) for s in scores if s.clip.timing == "truth" for e in s.hold_errors]
    hand_errors = [abs(e) for s in scores if s.clip.timing == "hand" for e in s.hold_errors]
    parts = [f"exact count on {right} of {len(scores)} clips", f"{false_total} false count(s) on {len(negatives)} negative clip(s)",
             f"the same count with fewer frames on {sum(all(n == s.counted for n in s.fewer) for s in scores)} of {len(scores)}"]
    if truth_errors:
        parts.append(f"hold error vs rendered truth: max {max(truth_errors):.2f} s, mean {sum(truth_errors) / len(truth_errors):.2f} s over {len(truth_errors)} reps")
    if hand_errors:
        parts.append(f"vs hand labels (+/- 0.25 s): max {max(hand_errors):.2f} s over {len(hand_errors)} reps")
    return "; ".join(parts)


# The thresholds of the rise counter, and how each is moved by 20 %: its value, or for a ratio near 1 its distance from 1.
THRESHOLDS = ["full_lift", "partial_lift", "relative_partial", "enter_lift", "exit_lift", "exit_share", "min_rise_s", "foot_share",
              "foot_floor", "foot_follow", "arms_ratio", "taller", "bent_leg_ratio", "lifted_leg_ratio", "bend_deg", "bend_short", "zoom",
              "camera_move", "stance_change", "settle_s", "quiet_range", "fresh_s", "smoothing_s", "baseline_window_s", "max_gap_s",
              "glitch_s"]
NEAR_ONE = {"bent_leg_ratio", "lifted_leg_ratio"}


def moved(config: RiseConfig, name: str, factor: float) -> RiseConfig:
    value = getattr(config, name)
    return dataclasses.replace(config, **{name: 1 - (1 - value) * factor if name in NEAR_ONE else value * factor})


def sensitivity(replays: list[tuple[Clip, LandmarkSeries]], config: RiseConfig, fewer: bool = False) -> str:
    """Every threshold 20 % lower and higher: on how many clips the count stays exact, the false counts on the
    negatives, the missed reps, whether the reasons for what was not counted change, and the largest hold error
    against the rendered truth. `fewer`: also the clips whose count is not exact with fewer frames (`fewer_frames`)."""
    cell = "exact, false, missed, reasons, hold" + (", fewer frames" if fewer else "")
    lines = [f"| threshold | value | -20 %: {cell} | +20 %: {cell} |", "| --- | ---: | --- | --- |"]
    base = {clip.name: count_rises(series, config)[0].rejected_by_reason() for clip, series in replays}
    for name in THRESHOLDS:
        cells = []
        for factor in (0.8, 1.2):
            changed = moved(config, name, factor)
            exact = false = missed = relabelled = 0
            holds: list[float] = []
            for clip, series in replays:
                counter, _ = count_rises(series, changed)
                exact += counter.count == clip.expected
                false += max(counter.count - clip.expected, 0)
                missed += max(clip.expected - counter.count, 0)
                relabelled += counter.rejected_by_reason() != base[clip.name]
                holds += [abs(e) for e in score(clip, counter)[4]] if clip.timing == "truth" else []
            cells.append(f"{exact}/{len(replays)}, {false}, {missed}, {relabelled} clip(s) differ, {max(holds, default=0):.2f} s")
            if fewer:
                off = [clip.name for clip, series in replays if any(n != clip.expected for n in fewer_frames(series, changed))]
                cells[-1] += f", {len(off)} clip(s) off" + (f" ({', '.join(name.removesuffix('.mp4') for name in off)})" if off else "")
        lines.append(f"| {name} | {getattr(moved(config, name, 1.0), name):g} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def run_check_accuracy(argv: list[str]) -> None:
    """The barefoot-check tables, from bench/check_accuracy.py (written separately) when it is there."""
    path = BENCH / "check_accuracy.py"
    if not path.is_file():
        print("\nbarefoot check: bench/check_accuracy.py is not here yet; skipped")
        return
    sys.path.insert(0, str(BENCH))
    try:
        import check_accuracy
    except Exception as error:  # noqa: BLE001 - a broken neighbour must not hide this table
        print(f"\nbarefoot check: bench/check_accuracy.py could not be loaded ({type(error).__name__}: {error}); skipped")
        return
    print("\n## Barefoot check (bench/check_accuracy.py)\n", flush=True)
    try:
        check_accuracy.main(argv)
    except SystemExit:
        pass
    except Exception as error:  # noqa: BLE001
        print(f"barefoot check: bench/check_accuracy.py failed ({type(error).__name__}: {error})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plots", type=pathlib.Path, default=BENCH / "plots", help="where the PNG per clip goes (default bench/plots/)")
    ap.add_argument("--cache", type=pathlib.Path, default=BENCH / ".cache", help="landmark cache (default bench/.cache/)")
    ap.add_argument("--shared", type=pathlib.Path, default=REPO.parent / "shared", help="the shared footage (default <repo>/../shared)")
    ap.add_argument("--model", help="a Pose Landmarker .task bundle (default: the shipped full model)")
    ap.add_argument("--workers", type=int, help="processes for the analysis (default: every core)")
    ap.add_argument("--seed-cache", type=pathlib.Path, help="a folder of single-loop landmark files named <clip>.npz made with the same model (e.g. /work/cache), used for --workers 1 instead of running it")
    ap.add_argument("--only", help="run the clips whose name contains this")
    ap.add_argument("--compare-single", action="store_true", help="also run the single loop (--workers 1) on every clip and compare counts and holds")
    ap.add_argument("--no-check", action="store_true", help="skip the barefoot-check tables of bench/check_accuracy.py")
    ap.add_argument("--no-plots", action="store_true", help="draw no plots")
    ap.add_argument("--sensitivity", action="store_true", help="also count every clip with each threshold 20 %% lower and higher")
    ap.add_argument("--fewer-frames", action="store_true", help="with --sensitivity: also with every 2nd, every 3rd frame and random gaps (slow)")
    args = ap.parse_args(argv)

    clips, notes = find_clips(args.shared)
    if args.only:
        clips = [c for c in clips if args.only in c.name]
    for note in notes:
        print(f"note: {note}")
    if not clips:
        print("no labelled clip found")
        return 1
    model_path = pathlib.Path(args.model) if args.model else default_model_path()
    model_digest = file_digest(model_path)
    config = RiseConfig()
    scores, replays = [], []
    for clip in clips:
        started = time.perf_counter()
        series, source = landmarks(clip, args.model, args.cache, model_digest, args.workers, args.seed_cache)
        counter, samples = count_rises(series, config)
        matched, missed, extra, worst, errors = score(clip, counter)
        single = None
        if args.compare_single:
            one, _ = landmarks(clip, args.model, args.cache, model_digest, 1, args.seed_cache)
            reference, _ = count_rises(one, config)
            differences = [abs(a.hold_s - b.hold_s) for a, b in zip(counter.reps, reference.reps)]
            single = (reference.count, len(reference.partials), max(differences, default=0.0) if reference.count == counter.count else None)
        scores.append(Score(clip, counter.count, len(counter.partials), matched, missed, extra, worst, errors, source, time.perf_counter() - started, single,
                            counter.rejected_by_reason(), fewer_frames(series, config)))
        if not args.no_plots:
            plot(clip, counter, samples, config, args.plots / f"{clip.group}_{clip.path.stem}.png")
        replays.append((clip, series))
        print(f"  {clip.group}/{clip.name}: counted {counter.count}, expected {clip.expected} "
              f"(landmarks from {source}, {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)
    print()
    print("## Rise count\n")
    print(table(scores))
    print()
    print(summary(scores))
    print(f"\nplots: {args.plots}/<group>_<clip>.png; landmarks cached in {args.cache}")
    print("hold error: counted hold (top to lower) minus the true one, largest absolute value over the matched reps; "
          "(hand): against labels by eye, +/- 0.25 s. false counts: counted reps that match no true rep (all of them on a negative clip).")
    if args.sensitivity:
        print("\n## Threshold sensitivity\n")
        print(sensitivity(replays, config, args.fewer_frames))
    if not args.no_check:
        run_check_accuracy([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
