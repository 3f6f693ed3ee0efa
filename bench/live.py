"""Live-mode bench: a 30 fps clip played as a camera through the real live loop.

Measures, over the run:
  shown fps        frames put in the window per second (the picture the user sees)
  inference fps    frames the pose model analysed per second (the counter's rate)
  frame age        capture -> on screen, ms (median and 95th percentile)
  analysis age     capture -> pose and count ready, ms
  skeleton lag     frames between the picture shown and the frame its skeleton came from
                   (and how far the picture ever trailed the newest analysed frame)
  dropped          camera frames the analysis skipped because a newer one had arrived
  CPU              process CPU time / wall time (100 % = one core)
  costs            then, each step alone: CPU ms per inference, per people check, per shown frame
                   (these hold whatever else the machine runs; the rates above do not)

    xvfb-run -a -s "-screen 0 1600x900x24" python bench/live.py                # window, as users run it
    python bench/live.py --no-window                                           # headless loop only
    python bench/live.py CLIP --seconds 20 --json out.json

Without a display the window run is skipped with a note (use xvfb-run).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import sys
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from posecheck.pose.people import PeopleCount  # noqa: E402
from posecheck.session import loop, ui  # noqa: E402
from posecheck.session.rises import RisesSession  # noqa: E402
from posecheck.pose.estimator import PoseEstimator  # noqa: E402
from posecheck.detect.rises import RiseConfig  # noqa: E402
from posecheck.media.camera import Camera  # noqa: E402

DEFAULT_CLIP = REPO.parent / "shared" / "footage" / "synthetic" / "a_front_10rises_shoes.mp4"


class _Limited:
    """The camera, ended after `seconds` of wall time (the bench need not play the whole clip)."""

    def __init__(self, camera: Camera, seconds: float):
        self.camera = camera
        self.deadline = time.monotonic() + seconds

    def __iter__(self):
        for frame in self.camera:
            if time.monotonic() > self.deadline:
                return
            yield frame

    def latest(self, after: int = -1, timeout: float | None = None):
        if time.monotonic() > self.deadline:
            return None
        return self.camera.latest(after, timeout)

    @property
    def failed(self) -> bool:
        return self.camera.failed


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench(clip: pathlib.Path, seconds: float, window: bool, people_check: bool) -> dict:
    estimator = PoseEstimator()
    people = PeopleCount(PoseEstimator(still=True, num_poses=2)) if people_check else None
    session = RisesSession(RiseConfig(), "en")
    stats = loop.LoopStats()
    shown_window = ui.Window("posecheck bench") if window else None
    camera = Camera(str(clip))
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    stats.started = wall0
    try:
        limited = _Limited(camera, seconds)
        steps = loop.analysed(limited, estimator, stats, people, busy=lambda: session.busy)
        if shown_window is not None:
            outcome = ui.run_windowed(limited, steps, session, lambda notices: None, shown_window, lambda key: None, stats)
        else:
            outcome = loop.run(steps, session)
    finally:
        if shown_window is not None:
            shown_window.close()
        camera.close()
        estimator.close()
        if people is not None:
            people.close()
    wall = time.monotonic() - wall0
    cpu = cpu_seconds() - cpu0

    def ms(values, q):
        return round(float(np.percentile(values, q)) * 1000, 1) if values else None

    delivered = camera.frame_count
    return {
        "clip": clip.name,
        "size": f"{camera.width}x{camera.height}",
        "camera_fps": camera.fps,
        "window": window,
        "people_check": people_check,
        "outcome": outcome.reason,
        "seconds": round(wall, 1),
        "frames_delivered": delivered,
        "shown_fps": round(stats.shown / wall, 1) if window else None,
        "inference_fps": round(stats.analysed / wall, 1),
        "inference_ms_median": ms(stats.inference_s, 50),
        "frame_age_ms_median": ms(stats.display_age_s, 50) if window else None,
        "frame_age_ms_p95": ms(stats.display_age_s, 95) if window else None,
        "analysis_age_ms_median": ms(stats.analysis_age_s, 50),
        "analysis_age_ms_p95": ms(stats.analysis_age_s, 95),
        "skeleton_lag_frames_median": float(np.median(stats.overlay_lag)) if stats.overlay_lag else None,
        "skeleton_lag_frames_max": int(max(stats.overlay_lag)) if stats.overlay_lag else None,
        "screen_behind_inference_max": int(max(0, -min(stats.overlay_lag))) if stats.overlay_lag else None,
        "dropped": camera.dropped,
        "dropped_pct": round(100 * camera.dropped / max(delivered, 1), 1),
        "cpu_pct": round(100 * cpu / wall, 0),
        "cores": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def costs(clip: pathlib.Path, frames: int, window: bool) -> dict:
    """CPU time (all threads) per step, each measured alone: what the loop costs whatever else the machine runs."""
    from posecheck.media.frames import VideoFile

    with VideoFile(clip) as video:
        images = [frame for _, frame in zip(range(frames), video)]
    result = {}
    with PoseEstimator() as estimator:
        estimator.detect(images[0])
        cpu, wall = cpu_seconds(), time.perf_counter()
        poses = [estimator.detect(frame) for frame in images]
        result["cpu_ms_per_inference"] = round((cpu_seconds() - cpu) / len(images) * 1000, 1)
        result["wall_ms_per_inference"] = round((time.perf_counter() - wall) / len(images) * 1000, 1)
    with PoseEstimator(still=True, num_poses=2) as two:
        two.detect(images[0])
        cpu = cpu_seconds()
        for frame in images[:20]:
            two.detect(frame)
        result["cpu_ms_per_people_check"] = round((cpu_seconds() - cpu) / 20 * 1000, 1)
    session = RisesSession(RiseConfig(), "en", rounds=3, reps=10)
    for frame, found in zip(images, poses):
        session.process(frame.t, found)
    shown = ui.Window("posecheck bench", fullscreen=False) if window else None
    cpu = cpu_seconds()
    for frame in images:
        image = ui.compose(frame.image, session, frame.t)
        if shown is not None:
            shown.show(image)
            shown.key(1)
    result["cpu_ms_per_shown_frame"] = round((cpu_seconds() - cpu) / len(images) * 1000, 1)
    if shown is not None:
        shown.close()
    result["costs_measured_with_window"] = window
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", default=str(DEFAULT_CLIP), help="a video played as a camera (default: the 720p 30 fps synthetic clip)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to run (default 30)")
    parser.add_argument("--no-window", action="store_true", help="only the headless loop")
    parser.add_argument("--no-people-check", action="store_true", help="without the once-a-second two-person look-up")
    parser.add_argument("--no-costs", action="store_true", help="skip the per-step CPU costs measured after the run")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    clip = pathlib.Path(args.clip)
    if not clip.is_file():
        print(f"bench: {clip}: no such clip", file=sys.stderr)
        return 2
    window = not args.no_window
    if window and not ui.display_available():
        print("bench: no display; run under xvfb-run for the window figures (measuring headless only)", file=sys.stderr)
        window = False
    result = bench(clip, args.seconds, window, not args.no_people_check)
    if not args.no_costs:
        result.update(costs(clip, 90, window))
    for key, value in result.items():
        print(f"{key:28s} {value}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
