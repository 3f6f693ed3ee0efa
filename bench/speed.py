#!/usr/bin/env python3
"""Speed of offline analysis: the plain single loop against posecheck, on the same clip in one run.

usage: python bench/speed.py [CLIP] [--model PATH] [--workers N] [--repeat N] [--skip-plain]
       python bench/speed.py --hour [--minutes 60] [CLIP]     # memory over a long input

Each variant runs in a child process of its own, so that its memory and CPU time
are its own (worker processes included). Printed for each: frames per second,
CPU use, peak memory of the whole process tree (RSS summed over the processes,
and PSS, which counts shared library pages once), the real-time factor (video
seconds per wall-clock second), where the time per frame goes (in the model or
outside it), and whether the counts and holds are identical.

The plain loop is the offline analysis as first written: one VideoFile, one
PoseEstimator, `detect` on every frame.

--hour loops the clip with OpenCV into a one-hour file in the temp dir (made once,
about 0.5 GB) and runs posecheck over it, printing the memory as the run goes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
DEFAULT_CLIPS = [
    SHARED / "footage" / "synthetic" / "a_front_10rises_shoes.mp4",
    REPO / "sample_videos" / "front_3rises.mp4",
]


def default_clip() -> pathlib.Path | None:
    for clip in DEFAULT_CLIPS:
        if clip.is_file():
            return clip
    sample = REPO / "sample_videos" / "front_3rises.mp4"  # the longest rises sample
    return sample if sample.is_file() else None


# --------------------------------------------------------------------------- the child: one variant


class TimedEstimator:
    """Adds up the wall time and the CPU time (all threads) spent in `PoseEstimator.detect` (colour conversion and the model)."""

    def __init__(self, estimator):
        self._estimator = estimator
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.calls = 0

    def detect(self, frame):
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return self._estimator.detect(frame)
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.process_time() - cpu
            self.calls += 1


def plain_loop(path: str, model: str | None):
    """offline.extract_landmarks as first written (commit 24ef4f1): decode, detect, next frame."""
    from posecheck.pose.landmarks import LandmarkSeries
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.media.frames import VideoFile

    with VideoFile(path) as video, PoseEstimator(model) as estimator:
        timed = TimedEstimator(estimator)
        times, poses = [], []
        for frame in video:
            times.append(frame.t)
            poses.append(timed.detect(frame))
        series = LandmarkSeries.from_frames(times, poses, video.fps, video.width, video.height, pathlib.Path(path).name)
    return series, {"model_s": timed.seconds, "model_cpu_s": timed.cpu_seconds, "frames_analysed": timed.calls}


@contextlib.contextmanager
def model_threads(threads: int):
    """While open, `PoseEstimator` builds landmarkers whose model runs on `threads` threads (XNNPACK).

    MediaPipe runs the model on one thread on desktop Linux unless told
    otherwise, and its Python options cannot say so: this swaps in a
    BaseOptions that asks for more. XNNPACK splits each layer's output between
    the threads, so the numbers are the same for any thread count.
    """
    if threads <= 1:
        yield
        return
    import importlib

    tasks_python = importlib.import_module("mediapipe.tasks.python")
    from mediapipe.calculators.tensor import inference_calculator_pb2
    from mediapipe.tasks.cc.core.proto import acceleration_pb2

    original = tasks_python.BaseOptions

    class ThreadedBaseOptions(original):
        def to_pb2(self):
            proto = super().to_pb2()
            xnnpack = inference_calculator_pb2.InferenceCalculatorOptions.Delegate.Xnnpack(num_threads=threads)
            proto.acceleration.CopyFrom(acceleration_pb2.Acceleration(xnnpack=xnnpack))
            return proto

    tasks_python.BaseOptions = ThreadedBaseOptions
    try:
        yield
    finally:
        tasks_python.BaseOptions = original


def segment_totals(stats: list[dict]) -> dict:
    """The timings of the last extraction's segments, added up."""
    return {
        "model_s": sum(s["model_s"] for s in stats),
        "frames_analysed": sum(s["frames"] for s in stats),
        "loop_s": sum(s["loop_s"] for s in stats),
        "decode_s": sum(s["decode_s"] for s in stats),
        "setup_s": max((s["setup_s"] for s in stats), default=0.0),
        "segments": len(stats),
    }


def threads_run(path: str, model: str | None, threads: int):
    """The alternative to worker threads: one landmarker, its model on `threads` XNNPACK threads."""
    from posecheck.pose import extract

    fps, frame_count, width, height = extract.probe(path)
    stats: list[dict] = []
    with model_threads(threads):
        series = extract.extract_single(path, model, fps, width, height, frame_count, stats=stats)
    return series, segment_totals(stats)


def posecheck_run(path: str, model: str | None, workers: int | None):
    from posecheck.pose import extract

    stats: list[dict] = []
    series = extract.extract_landmarks(path, model, workers, stats=stats)
    return series, segment_totals(stats)


def cpu_seconds() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def child(args) -> int:
    from posecheck.session.rises import count_rises
    from posecheck.detect.rises import RiseConfig

    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    if args.child == "plain":
        series, stats = plain_loop(args.clip, args.model)
    elif args.child == "threads":
        series, stats = threads_run(args.clip, args.model, args.workers or os.cpu_count() or 2)
    else:
        series, stats = posecheck_run(args.clip, args.model, args.workers)
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    counter, _ = count_rises(series, RiseConfig())
    if args.landmarks:
        series.save(args.landmarks)
    report = {
        "frames": len(series), "fps_video": series.fps, "wall_s": wall, "cpu_s": cpu, **stats,
        "own_peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,  # kB on Linux
        "count": counter.count, "partials": len(counter.partials),
        "holds": [round(rep.hold_s, 3) for rep in counter.reps],
        "tops": [round(rep.top_s, 3) for rep in counter.reps],
    }
    pathlib.Path(args.report).write_text(json.dumps(report))
    return 0


# --------------------------------------------------------------------------- the parent: memory watch and the table


def process_tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes; (0, 0) once the process has gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


class MemoryWatch:
    """Samples the memory of a process and all its descendants, summed, once a second.

    Not more often: reading /proc/PID/smaps_rollup walks the process's memory
    map under its lock, and five reads a second slowed the run being measured
    by a few per cent. The exact peak RSS comes from the child itself.
    """

    def __init__(self, pid: int, interval: float = 1.0):
        self.pid = pid
        self.interval = interval
        self.samples: list[tuple[float, int, int, int]] = []  # (t, rss, pss, processes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.perf_counter()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = process_tree(self.pid)
            rss = pss = 0
            for pid in pids:
                r, p = memory_of(pid)
                rss, pss = rss + r, pss + p
            if rss:
                self.samples.append((time.perf_counter() - self._started, rss, pss, len(pids)))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_rss(self) -> int:
        return max((s[1] for s in self.samples), default=0)

    @property
    def peak_pss(self) -> int:
        return max((s[2] for s in self.samples), default=0)


def run_variant(name: str, clip: pathlib.Path, model: str | None, workers: int | None, tmp: pathlib.Path, keep_landmarks: bool = True, on_sample=None) -> dict:
    report_path = tmp / f"{name}.json"
    command = [sys.executable, __file__, str(clip), "--child", name, "--report", str(report_path)]
    if model:
        command += ["--model", model]
    if workers:
        command += ["--workers", str(workers)]
    if keep_landmarks:
        command += ["--landmarks", str(tmp / f"{name}.npz")]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    watch = MemoryWatch(process.pid)
    try:
        while process.poll() is None:
            time.sleep(0.5)
            if on_sample and watch.samples:
                on_sample(watch.samples[-1])
    except BaseException:  # Ctrl-C, or SIGTERM (below): never leave the run behind
        process.terminate()
        process.wait()
        raise
    finally:
        watch.stop()
    if process.returncode != 0:
        raise SystemExit(f"bench: the {name} run failed (exit {process.returncode})")
    report = json.loads(report_path.read_text())
    report.update(peak_rss=max(watch.peak_rss, report.get("own_peak_rss", 0)), peak_pss=watch.peak_pss, samples=watch.samples, total_s=time.perf_counter() - started)
    return report


def mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def machine_line() -> str:
    load = os.getloadavg()
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average before the run {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"


def landmark_differences(tmp: pathlib.Path) -> str:
    import numpy as np

    from posecheck.pose.landmarks import LandmarkSeries

    a, b = LandmarkSeries.load(tmp / "plain.npz"), LandmarkSeries.load(tmp / "posecheck.npz")
    if len(a) != len(b):
        return f"different lengths: {len(a)} and {len(b)} frames"
    same_detected = np.array_equal(a.detected, b.detected)
    diff = np.abs(a.image - b.image)
    per_frame = np.nanmax(np.where(np.isnan(diff), 0, diff), axis=(1, 2))
    identical = int(np.argmax(per_frame > 0)) if (per_frame > 0).any() else len(a)
    text = f"identical up to frame {identical} of {len(a)}" if identical < len(a) else "bit-identical in every frame"
    if identical < len(a):
        text += f"; after that at most {per_frame.max():.4f} of the image (median {np.median(per_frame[identical:]):.4f})"
    return text + ("" if same_detected else "; the person was found in different frames")


HEADINGS = {"plain": "plain loop", "posecheck": "posecheck", "threads": "1 process, model on threads"}


def table(rows: list[tuple], variants: list[str]) -> str:
    lines = ["| | " + " | ".join(HEADINGS[v] for v in variants) + " |", "| --- |" + " ---: |" * len(variants)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def compare(args) -> int:
    clip = pathlib.Path(args.clip) if args.clip else default_clip()
    if clip is None or not clip.is_file():
        print(f"bench: no clip: give one, or put {DEFAULT_CLIPS[0]} or sample_videos/*.mp4 in place", file=sys.stderr)
        return 2
    print(f"clip: {clip}")
    print(f"machine: {machine_line()}")
    variants = ["plain", "posecheck"] + (["threads"] if args.threads else [])
    results = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="posecheck-speed-") as tmp:
        tmp = pathlib.Path(tmp)
        for round_ in range(args.repeat):
            for name in variants:
                if name == "plain" and args.skip_plain:
                    continue
                report = run_variant(name, clip, args.model, args.workers, tmp)
                results[name].append(report)
                print(f"  run {round_ + 1} {name:9s}: {report['frames'] / report['wall_s']:6.1f} fps  (load {os.getloadavg()[0]:.2f})", flush=True)
        differences = landmark_differences(tmp) if not args.skip_plain else ""
    best = {name: min(runs, key=lambda r: r["wall_s"]) for name, runs in results.items() if runs}
    shown = [name for name in variants if name in best]
    rows = []

    def row(label, fn):
        rows.append((label, *(fn(best[name]) if name in best else "–" for name in shown)))

    cores = os.cpu_count() or 1
    row("frames", lambda r: f"{r['frames']}")
    row("frames per second", lambda r: f"{r['frames'] / r['wall_s']:.1f}")
    row("real-time factor (video s per wall s)", lambda r: f"{r['frames'] / r['fps_video'] / r['wall_s']:.2f}")
    row(f"CPU use (of {cores} cores)", lambda r: f"{r['cpu_s'] / r['wall_s'] * 100:.0f} % ({r['cpu_s'] / r['wall_s'] / cores * 100:.0f} %)")
    row("peak RSS, all processes", lambda r: mb(r["peak_rss"]))
    row("peak PSS, all processes", lambda r: mb(r["peak_pss"]))
    row("model time per analysed frame", lambda r: f"{r['model_s'] / r['frames_analysed'] * 1e3:.1f} ms")
    row("frames analysed (warm-up included)", lambda r: f"{r['frames_analysed']}")
    if "plain" in best:
        # The model's own CPU time per frame, measured in the plain loop (nothing else runs during its calls there).
        model_cpu = best["plain"]["model_cpu_s"] / best["plain"]["frames_analysed"]
        row("CPU time per frame, all processes", lambda r: f"{r['cpu_s'] / r['frames'] * 1e3:.1f} ms")
        row(
            "... of which outside the model (share of the model's)",
            lambda r: f"{r['cpu_s'] / r['frames'] * 1e3 - model_cpu * 1e3:.1f} ms ({(r['cpu_s'] / r['frames'] - model_cpu) / model_cpu * 100:.0f} %)",
        )
    if "posecheck" in best:
        p = best["posecheck"]
        outside_loop = (p["loop_s"] - p["model_s"]) / p["model_s"] * 100
        print(f"posecheck: {p['segments']} segment(s); decode {p['decode_s'] / p['frames_analysed'] * 1e3:.1f} ms/frame on the decode thread; "
              f"the model thread spends {outside_loop:.1f} % of the model's time outside it; start-up {p['setup_s']:.1f} s")
    print()
    print(table(rows, shown))
    if "plain" in best and "posecheck" in best:
        plain, ours = best["plain"], best["posecheck"]
        ratio = (ours["frames"] / ours["wall_s"]) / (plain["frames"] / plain["wall_s"])
        print()
        print(f"speed-up: {ratio:.2f}x (best of {args.repeat} run(s) each)")
        same_counts = (plain["count"], plain["partials"]) == (ours["count"], ours["partials"])
        same_holds = plain["holds"] == ours["holds"]
        print(f"counts: plain {plain['count']} (+{plain['partials']} partial), posecheck {ours['count']} (+{ours['partials']} partial): "
              f"{'IDENTICAL' if same_counts else 'DIFFERENT'}")
        worst = max((abs(a - b) for a, b in zip(plain["holds"], ours["holds"])), default=0.0)
        print(f"holds: {'identical' if same_holds else f'differ by at most {worst:.3f} s'} "
              f"(plain {plain['holds']}, posecheck {ours['holds']})")
        print(f"landmarks: {differences}")
        if "threads" in best:
            other = best["threads"]
            print(f"1 process, model on threads: {(other['frames'] / other['wall_s']) / (plain['frames'] / plain['wall_s']):.2f}x the plain loop; "
                  f"counts {other['count']} (+{other['partials']}), holds {'identical' if other['holds'] == plain['holds'] else 'different'}")
        return 0 if same_counts else 1
    return 0


# --------------------------------------------------------------------------- one hour


def hour_file(clip: pathlib.Path, minutes: float) -> pathlib.Path:
    """The clip looped for `minutes`, written once with OpenCV (mp4v) into the temp dir."""
    import cv2

    from posecheck.media.frames import VideoFile

    target = pathlib.Path(tempfile.gettempdir()) / f"posecheck-{clip.stem}-{minutes:g}min.mp4"
    if target.is_file():
        return target
    partial = target.with_suffix(".part.mp4")
    with VideoFile(clip) as video:  # the clip is looped from disk, never held in memory
        needed = int(minutes * 60 * video.fps)
        writer = cv2.VideoWriter(str(partial), cv2.VideoWriter_fourcc(*"mp4v"), video.fps, (video.width, video.height))
        print(f"writing {needed} frames to {target} (once) ...", flush=True)
        written = 0
        while written < needed:
            for frame in video:  # each pass starts over
                writer.write(frame.image)
                written += 1
                if written >= needed:
                    break
        writer.release()
    partial.rename(target)
    return target


def hour(args) -> int:
    clip = pathlib.Path(args.clip) if args.clip else default_clip()
    if clip is None or not clip.is_file():
        print("bench: no clip to loop", file=sys.stderr)
        return 2
    long_file = hour_file(clip, args.minutes)
    print(f"input: {long_file} ({args.minutes:g} min of {clip.name} looped)")
    print(f"machine: {machine_line()}")
    last = [0.0]

    def show(sample):
        t, rss, pss, processes = sample
        if t - last[0] >= 60:
            last[0] = t
            print(f"  {t / 60:5.1f} min: RSS {mb(rss)}, PSS {mb(pss)} over {processes} processes", flush=True)

    with tempfile.TemporaryDirectory(prefix="posecheck-hour-") as tmp:
        report = run_variant("posecheck", long_file, args.model, args.workers, pathlib.Path(tmp), keep_landmarks=False, on_sample=show)
    samples = report["samples"]
    print()
    print(f"frames: {report['frames']}, {report['frames'] / report['wall_s']:.1f} fps, real-time factor {report['frames'] / report['fps_video'] / report['wall_s']:.2f}, "
          f"CPU {report['cpu_s'] / report['wall_s'] * 100:.0f} %")
    print(f"peak RSS (all processes) {mb(report['peak_rss'])}, peak PSS {mb(report['peak_pss'])}")
    tenths = []
    if samples:
        end = samples[-1][0]
        for k in range(10):
            window = [s for s in samples if k * end / 10 <= s[0] < (k + 1) * end / 10] or [samples[-1]]
            tenths.append(max(s[1] for s in window))
        print("peak RSS per tenth of the run: " + ", ".join(f"{r / 2**20:.0f}" for r in tenths) + " MB")
    if args.plot and samples:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 3))
        ax.plot([s[0] / 60 for s in samples], [s[1] / 2**20 for s in samples], label="RSS, all processes")
        ax.plot([s[0] / 60 for s in samples], [s[2] / 2**20 for s in samples], label="PSS, all processes")
        ax.axhline(500, color="red", linestyle=":", label="500 MB")
        ax.set_xlabel("minutes")
        ax.set_ylabel("MB")
        ax.set_ylim(0, None)
        ax.legend(loc="lower right")
        ax.set_title(f"posecheck over {args.minutes:g} min of video")
        fig.tight_layout()
        pathlib.Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(args.plot, dpi=100)
        print(f"plot: {args.plot}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("clip", nargs="?", help="a video (default: the 64 s synthetic clip in ../shared, else a sample video)")
    ap.add_argument("--model", help="a Pose Landmarker .task bundle (default: the shipped full model)")
    ap.add_argument("--workers", type=int, help="posecheck's --workers (default: every core)")
    ap.add_argument("--repeat", type=int, default=1, help="run each variant this many times, keep the fastest (default 1)")
    ap.add_argument("--skip-plain", action="store_true", help="run posecheck only")
    ap.add_argument("--hour", action="store_true", help="memory test: posecheck over the clip looped for --minutes")
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--plot", help="with --hour: write a PNG of memory over time here")
    ap.add_argument("--threads", action="store_true", help="also run the alternative: one process with the model on --workers threads")
    ap.add_argument("--child", choices=["plain", "posecheck", "threads"], help=argparse.SUPPRESS)
    ap.add_argument("--report", help=argparse.SUPPRESS)
    ap.add_argument("--landmarks", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return hour(args) if args.hour else compare(args)
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
