"""Offline analysis of a recorded video: landmarks first, then the same counting code as live mode."""

from __future__ import annotations

import pathlib
import sys
from typing import Iterator

import cv2

from posecheck.errors import OutputUnwritable
from posecheck.detect.analysis import RiseAnalysis
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.render.hud import HudState, draw_hud, draw_skeleton
from posecheck.detect.rises import RiseConfig, RiseCounter, Sample
from posecheck.media.frames import VideoFile

PHASE_LABELS = {"ready": "GET READY", "rest": "REST", "rising": "RISING", "hold": "HOLD", "lowering": "LOWERING"}


def progress(total: int, description: str, enabled: bool = True):
    """A progress bar on stderr (hidden when stderr is not a terminal unless forced)."""
    from tqdm import tqdm

    return tqdm(total=total or None, desc=description, unit="frame", disable=not enabled, file=sys.stderr, leave=False, dynamic_ncols=True)


def extract_landmarks(path: str | pathlib.Path, model: str | None = None, show_progress: bool = True, workers: int | None = None) -> LandmarkSeries:
    """Run the pose model over every frame of a video, on `workers` threads (default: every core).

    A long video is cut into overlapping segments analysed side by side (see
    `posecheck.parallel`); the counts are the same as one continuous pass.
    `workers=1` (or a short video) runs one pass.
    """
    from posecheck.pose import extract as parallel

    with VideoFile(path) as video:
        probe = (video.fps, video.frame_count, video.width, video.height)
    with progress(probe[1], "analysing", show_progress) as bar:

        def restart() -> None:
            bar.reset()

        return parallel.extract(path, model, workers, on_progress=bar.update, on_restart=restart, probe=probe)


def load_or_extract(path: str | pathlib.Path, model: str | None = None, show_progress: bool = True, workers: int | None = None) -> LandmarkSeries:
    """A saved landmark series (.npz) replays without the model; anything else is a video."""
    if pathlib.Path(path).suffix.lower() == ".npz":
        return LandmarkSeries.load(path)
    return extract_landmarks(path, model, show_progress, workers)


def count_rises(series: LandmarkSeries, config: RiseConfig) -> tuple[RiseCounter, list[Sample]]:
    analysis = RiseAnalysis(config)
    samples: list[Sample] = []
    for _ in replay(series, analysis, samples):
        pass
    return analysis.counter, samples


def replay(series: LandmarkSeries, analysis: RiseAnalysis, samples: list[Sample] | None = None) -> Iterator[int]:
    """Feed the series to the analysis frame by frame, yielding each frame index."""
    for i, pose in enumerate(series.frames()):
        analysis.step(float(series.t[i]), pose, series.width, series.height)
        if samples is not None and analysis.counter.last_sample is not None:
            samples.append(analysis.counter.last_sample)
        yield i
    analysis.finish()


def write_annotated(video_path: str | pathlib.Path, series: LandmarkSeries, config: RiseConfig, out_path: str | pathlib.Path, show_progress: bool = True) -> None:
    """The video with the skeleton, the count and the hold timer drawn on it."""
    analysis = RiseAnalysis(config)
    counter = analysis.counter
    steps = replay(series, analysis)
    with VideoFile(video_path) as video:
        writer = cv2.VideoWriter(str(out_path), cv2.VideoWriter_fourcc(*"mp4v"), video.fps, (video.width, video.height))
        if not writer.isOpened():
            raise OutputUnwritable(f"{out_path}: cannot write a video there; choose another path ending in .mp4")
        poses = list(series.frames())
        try:
            with progress(len(series), "drawing", show_progress) as bar:
                for frame in video:
                    i = next(steps, None)
                    if i is None:
                        break
                    image = draw_skeleton(frame.image, poses[i])
                    writer.write(draw_hud(image, hud_state(counter, frame.t)))
                    bar.update(1)
        finally:
            writer.release()


def hud_state(counter: RiseCounter, t: float, message: str = "", labels: dict | None = None) -> HudState:
    labels = labels or PHASE_LABELS
    return HudState(
        count=counter.count,
        round_label=f"Round {counter.round}",
        phase_label=labels.get(counter.phase.value, counter.phase.value),
        hold_s=counter.hold_elapsed(t),
        hold_target_s=counter.config.hold_target_s,
        message=message,
        time_s=t,
    )
