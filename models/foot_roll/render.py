#!/usr/bin/env python3
"""Render the foot-roll training scenarios and find the pose in them.

usage: python models/foot_roll/render.py SCENARIOS CLIPS [--shard K/N] [--synth DIR]

For each SCENARIOS/NAME.json without a CLIPS/NAME.lm.npz: render NAME.mp4 (and the
renderer's NAME.truth.json) with the key light from NAME.light.json, run the shipped
pose model on every frame (IMAGE mode) and save the mean landmarks in pixels as
NAME.lm.npz. Run two shards side by side to use both cores. Rerunning resumes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import pathlib
import sys

import cv2
import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from posecheck.pose.estimator import PoseEstimator  # noqa: E402
from posecheck.media.frames import Frame  # noqa: E402


def read_frames(path: pathlib.Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, image = capture.read()
        if not ok:
            return frames
        frames.append(image)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", type=pathlib.Path)
    parser.add_argument("clips", type=pathlib.Path)
    parser.add_argument("--shard", default="0/1", help="K/N: this process takes every N-th scenario from the K-th")
    parser.add_argument("--synth", type=pathlib.Path, default=REPO.parent / "shared" / "synth")
    args = parser.parse_args(argv)
    shard, shards = (int(v) for v in args.shard.split("/"))
    sys.path.insert(0, str(args.synth))
    import render as synth_render  # the renderer's own entry point
    from synthkit import room
    from synthkit.geometry import unit

    args.clips.mkdir(parents=True, exist_ok=True)
    scenarios = sorted((p for p in args.scenarios.glob("*.json") if not p.name.endswith(".light.json")),
                       key=lambda p: (len(p.stem), p.stem))[shard::shards]
    with PoseEstimator(still=True) as estimator:
        for scenario in scenarios:
            name = scenario.stem
            video, marks = args.clips / f"{name}.mp4", args.clips / f"{name}.lm.npz"
            if marks.exists():
                continue
            if not video.exists():
                light = scenario.with_name(f"{name}.light.json")
                # the renderer takes its key light from this module constant, read at render time
                room.KEY_CAMERA_FRAME = unit(np.array(json.loads(light.read_text()), float))
                with contextlib.redirect_stdout(io.StringIO()):
                    if synth_render.main([str(scenario), str(video), "--workers", "1"]):
                        print(f"{name}: render failed", flush=True)
                        continue
            frames = read_frames(video)
            height, width = frames[0].shape[:2]
            poses = [estimator.detect(Frame(image=image, index=i, t=i / 30.0, captured_at=0.0)) for i, image in enumerate(frames)]
            poses = [pose for pose in poses if pose is not None]
            if not poses:
                np.savez(marks, found=False)
                print(f"{name}: nobody found", flush=True)
                continue
            image = np.mean([pose.image for pose in poses], axis=0) * [width, height, width]
            np.savez(marks, found=True, image=image, frames=len(poses))
            print(f"{name}: done", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
