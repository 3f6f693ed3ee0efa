#!/usr/bin/env python3
"""Train the foot-roll model (models/foot_roll.npz) on rendered clips.

usage: python models/foot_roll/train.py CLIPS [CLIPS ...] [--out models/foot_roll.npz] [--epochs 40]

Needs PyTorch, which posecheck itself does not: pip install "torch==2.13.0+cpu".
CLIPS are folders made by render.py (NAME.mp4, NAME.truth.json, NAME.lm.npz). Each clip
gives two crops per foot (its mean picture and its first frame, so that stills are seen
too), labelled with the foot's rendered roll. One clip in six is held out for validation,
by clip, and the validation error is stored with the weights. The weights are saved as
plain arrays for posecheck/foot_roll.py, which runs the network with numpy.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from posecheck.detect.foot_roll import CROP_H, CROP_W, crop_foot, normalise  # noqa: E402

SCALE_DEG = 10.0  # the network predicts roll / 10
VIEW_POINTS = [0, 27, 28, 29, 30, 31, 32]  # nose, ankles, heels, toes


class RollNet(nn.Module):
    """Four 3x3 convolutions with ReLU and 2x2 max pooling, then two dense layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 12, 3, padding=1)
        self.conv2 = nn.Conv2d(12, 24, 3, padding=1)
        self.conv3 = nn.Conv2d(24, 32, 3, padding=1)
        self.conv4 = nn.Conv2d(32, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * (CROP_H // 16) * (CROP_W // 16), 64)
        self.fc2 = nn.Linear(64, 1)

    def forward(self, x):
        for conv in (self.conv1, self.conv2, self.conv3, self.conv4):
            x = F.max_pool2d(F.relu(conv(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))[:, 0]


def augment(x: torch.Tensor) -> torch.Tensor:
    """Shift (MediaPipe's ankle wanders by a few pixels), scale, contrast, colour cast and noise."""
    n = x.shape[0]
    theta = torch.zeros(n, 2, 3)
    scale = 1 + (torch.rand(n) - 0.5) * 0.16
    theta[:, 0, 0] = scale
    theta[:, 1, 1] = scale
    theta[:, 0, 2] = (torch.rand(n) - 0.5) * 2 * 4 / (CROP_W / 2)
    theta[:, 1, 2] = (torch.rand(n) - 0.5) * 2 * 4 / (CROP_H / 2)
    x = F.grid_sample(x, F.affine_grid(theta, list(x.shape), align_corners=False), padding_mode="border", align_corners=False)
    x = x * (1 + (torch.rand(n, 1, 1, 1) - 0.5) * 0.4) + (torch.rand(n, 3, 1, 1) - 0.5) * 0.4
    return x + torch.randn_like(x) * 0.05


def in_view(points: np.ndarray, width: int, height: int) -> bool:
    """Head and feet well inside the picture (the check refuses anything else)."""
    xs, ys = points[VIEW_POINTS, 0], points[VIEW_POINTS, 1]
    return points[0, 1] > 0.02 * height and ys.max() < 0.97 * height and xs.min() > 0.02 * width and xs.max() < 0.98 * width


def load_crops(folders: list[pathlib.Path]):
    crops, rolls, clips = [], [], []
    for folder in folders:
        for marks_path in sorted(folder.glob("*.lm.npz")):
            name = marks_path.name[: -len(".lm.npz")]
            with np.load(marks_path) as marks:
                if not marks["found"]:
                    continue
                points = marks["image"]
            capture = cv2.VideoCapture(str(folder / f"{name}.mp4"))
            frames = []
            while True:
                ok, image = capture.read()
                if not ok:
                    break
                frames.append(image.astype(np.float32))
            height, width = frames[0].shape[:2]
            if not in_view(points, width, height):
                continue
            truth = json.loads((folder / f"{name}.truth.json").read_text())["frames"]["eversion_deg"]
            for picture in (np.mean(frames, axis=0), frames[0]):
                for side in ("left", "right"):
                    crops.append(crop_foot(picture, points, side))
                    rolls.append(truth[side][0])
                    clips.append(f"{folder}/{name}")
    return np.array(crops), np.array(rolls, np.float32), np.array(clips)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clips", type=pathlib.Path, nargs="+")
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "models" / "foot_roll.npz")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    crops, rolls, clips = load_crops(args.clips)
    names = np.unique(clips)
    held_out = set(rng.choice(names, len(names) // 6, replace=False))
    val = np.array([c in held_out for c in clips])
    x = torch.tensor(normalise(crops))
    y = torch.tensor(rolls / SCALE_DEG)
    print(f"{len(names)} clips, {len(crops)} crops; {int(val.sum())} crops of {len(held_out)} clips held out", flush=True)

    net = RollNet()
    train_idx = np.flatnonzero(~val)
    steps = args.epochs * (len(train_idx) // 64 + 1)
    optimiser = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, 3e-3, total_steps=steps)
    started = time.time()

    def predict(idx):
        net.eval()
        with torch.no_grad():
            return np.concatenate([net(x[idx[i:i + 256]]).numpy() for i in range(0, len(idx), 256)]) * SCALE_DEG

    val_idx = np.flatnonzero(val)
    for epoch in range(args.epochs):
        net.train()
        order = rng.permutation(train_idx)
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            loss = F.smooth_l1_loss(net(augment(x[batch])), y[batch], beta=0.3)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        if (epoch + 1) % 5 == 0 or epoch + 1 == args.epochs:
            error = predict(val_idx) - rolls[val_idx]
            print(f"epoch {epoch + 1}/{args.epochs} ({time.time() - started:.0f} s): validation MAE {np.mean(np.abs(error)):.2f} deg", flush=True)

    error = predict(val_idx) - rolls[val_idx]
    weights = {key: value.detach().numpy() for key, value in net.state_dict().items()}
    np.savez(args.out, scale_deg=np.float32(SCALE_DEG), validation_mae_deg=np.float32(np.mean(np.abs(error))),
             validation_sd_deg=np.float32(np.std(error)), training_clips=np.int32(len(names) - len(held_out)), **weights)
    print(f"wrote {args.out}: validation MAE {np.mean(np.abs(error)):.2f} deg, SD {np.std(error):.2f} deg")
    # for posture.TILT_THRESHOLD_DEG: how the validation feet fare at each threshold
    read, truth = error + rolls[val_idx], rolls[val_idx]
    rolled, neutral = np.abs(truth) >= 6, truth == 0
    for threshold in (3.0, 3.5, 4.0, 4.5, 5.0):
        right = (np.sign(read) == np.sign(truth)) & (np.abs(read) >= threshold)
        print(f"  tilt from {threshold} deg: rolled >= 6 deg read on the right side {right[rolled].mean():.1%} of {rolled.sum()}, "
              f"neutral called tilted {(np.abs(read[neutral]) >= threshold).mean():.1%} of {neutral.sum()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
