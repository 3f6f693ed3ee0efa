#!/usr/bin/env python3
"""Accuracy of the rise count on every labelled clip, with a plot per clip.

usage: python bench/accuracy.py [--compare-single] [--plots DIR] [--cache DIR] [--shared DIR] [--model PATH] [--workers N] [--no-check]

Clips:
* sample_videos/X.mp4 with X.truth.json (the synthetic renderer's truth format);
* <repo>/../shared/footage/synthetic/*.mp4 with their .truth.json, and
  <repo>/../shared/footage/real/*.mp4 with the hand labels in real/labels.json
  (`rises` per clip; `rises: 0` marks a negative). Skipped, with a note, when
  ../shared is not there.

The landmarks come from posecheck's own offline analysis (`extract_landmarks`)
and are cached as .npz under --cache (default bench/.cache/, ignored by git),
keyed by the clip's and the model's content, so a rerun takes seconds.

Printed: one Markdown table (expected count, counted, partial rises, matched and
missed reps, false counts, and the largest hold error against the truth). A PNG
per clip (default bench/plots/) shows the lift signal with the counted reps and
the true reps, so you can see why it counted what it counted.

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


def real_clips(directory: pathlib.Path) -> list[Clip]:
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
        clips.append(Clip(name, video, "real", int(label["rises"]), reps, [], "hand" if reps else ""))
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


def plot(clip: Clip, counter, samples, series: LandmarkSeries, config: RiseConfig, out: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    t = np.array([s.t for s in samples])
    lift = np.array([s.lift for s in samples], float)
    left = np.array([s.ankle_left for s in samples], float)
    right = np.array([s.ankle_right for s in samples], float)
    blocked = np.array([s.blocked is not None for s in samples])
    fig, (ax, band) = plt.subplots(2, 1, figsize=(13, 4.2), sharex=True, gridspec_kw={"height_ratios": [6, 1]})
    for true in clip.reps or []:
        if true.start_s is not None and true.end_s is not None:
            ax.axvspan(true.start_s, true.end_s, color="#2ca02c", alpha=0.10, lw=0)
        ax.axvspan(true.top_s, true.lower_s, color="#2ca02c", alpha=0.22, lw=0)
    for true in clip.not_reps:
        ax.axvspan(true.top_s, true.lower_s, color="#7f7f7f", alpha=0.18, lw=0, hatch="//")
    ax.plot(t, left, color="#9ecae1", lw=0.8, label="ankle lift, left")
    ax.plot(t, right, color="#fdae6b", lw=0.8, label="ankle lift, right")
    ax.plot(t, lift, color="black", lw=1.4, label="trunk lift (leg lengths)")
    for level, style, name in ((config.full_lift, "--", "full"), (config.partial_lift, ":", "partial")):
        ax.axhline(level, color="#555555", ls=style, lw=0.8)
        ax.text(t[0] if len(t) else 0, level, f" {name} {level:.3f}", va="bottom" if name == "full" else "top", fontsize=7, color="#555555")
    top = np.nanmax(np.concatenate([lift[np.isfinite(lift)], [config.full_lift * 1.6]]))
    for number, rep in enumerate(counter.reps, 1):
        ax.axvspan(rep.top_s, rep.lower_s, ymin=0.955, ymax=1.0, color="#d62728", alpha=0.9, lw=0)
        ax.plot([rep.top_s, rep.lower_s], [rep.peak_lift] * 2, color="#d62728", lw=2.2)
        ax.text((rep.top_s + rep.lower_s) / 2, top * 1.08, f"#{number} {rep.hold_s:.1f}s", ha="center", va="bottom", fontsize=8, color="#d62728")
    for rep in counter.partials:
        ax.plot([rep.top_s, rep.lower_s], [rep.peak_lift] * 2, color="#9467bd", lw=2.2)
        ax.text((rep.top_s + rep.lower_s) / 2, rep.peak_lift, "partial", ha="center", va="bottom", fontsize=7, color="#9467bd")
    for rep in getattr(counter, "one_foot", []):
        ax.plot([rep.top_s, rep.lower_s], [rep.peak_lift] * 2, color="#8c564b", lw=2.2)
        ax.text((rep.top_s + rep.lower_s) / 2, rep.peak_lift, "one foot", ha="center", va="bottom", fontsize=7, color="#8c564b")
    ax.set_ylim(min(-0.01, np.nanmin(lift[np.isfinite(lift)]) if np.isfinite(lift).any() else -0.01), top * 1.3)
    ax.set_ylabel("lift")
    truth_text = f"expected {clip.expected}" + (" (truth shaded green)" if clip.reps else "")
    ax.set_title(f"{clip.name}: counted {counter.count}, {truth_text}; red: the counted holds", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7, frameon=False)
    # The band: why frames could not be used, and the counter's phase.
    phases = ["ready", "rest", "rising", "hold", "lowering"]
    colours = {"ready": "#dddddd", "rest": "#ffffff", "rising": "#fdd0a2", "hold": "#fc8d59", "lowering": "#c6dbef"}
    if len(t) > 1:
        edges = np.append(t, t[-1] + (t[-1] - t[-2]))
        for k, s in enumerate(samples):
            colour = "#444444" if blocked[k] else colours.get(getattr(s.phase, "value", str(s.phase)), "#ffffff")
            band.axvspan(edges[k], edges[k + 1], color=colour, lw=0)
    band.set_yticks([])
    band.set_xlabel("seconds")
    handles = [matplotlib.patches.Patch(color=colours[p], label=p) for p in phases] + [matplotlib.patches.Patch(color="#444444", label="unusable frame")]
    band.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.005, 1.6), ncol=1, fontsize=6, frameon=False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=90)
    plt.close(fig)


# --------------------------------------------------------------------------- the table


def fmt(value, pattern="{}") -> str:
    return "–" if value is None else pattern.format(value)


def table(scores: list[Score]) -> str:
    compare = any(s.single is not None for s in scores)
    lines = [
        "| clip | expected | counted | partial | matched | missed | false counts | max hold error |" + (" single loop: count, max hold difference |" if compare else ""),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if compare else ""),
    ]
    for s in scores:
        negative = s.clip.expected == 0
        false_counts = fmt(s.extra) + (" (negative)" if negative else "")
        hold = fmt(s.hold_error, "{:.2f} s") + (" (hand)" if s.hold_error is not None and s.clip.timing == "hand" else "")
        mark = "" if s.counted == s.clip.expected else " ✗"
        line = f"| {s.clip.group}/{s.clip.name} | {s.clip.expected} | {s.counted}{mark} | {s.partial} | {fmt(s.matched)} | {fmt(s.missed)} | {false_counts} | {hold} |"
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
    parts = [f"exact count on {right} of {len(scores)} clips", f"{false_total} false count(s) on {len(negatives)} negative clip(s)"]
    if truth_errors:
        parts.append(f"hold error vs rendered truth: max {max(truth_errors):.2f} s, mean {sum(truth_errors) / len(truth_errors):.2f} s over {len(truth_errors)} reps")
    if hand_errors:
        parts.append(f"vs hand labels (+/- 0.25 s): max {max(hand_errors):.2f} s over {len(hand_errors)} reps")
    return "; ".join(parts)


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
    scores = []
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
        scores.append(Score(clip, counter.count, len(counter.partials), matched, missed, extra, worst, errors, source, time.perf_counter() - started, single))
        plot(clip, counter, samples, series, config, args.plots / f"{clip.group}_{clip.path.stem}.png")
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
    if not args.no_check:
        run_check_accuracy([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
