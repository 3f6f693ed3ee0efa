#!/usr/bin/env python3
"""Scenarios for the footwear check: barefoot, socks and shoes on random people, rooms and cameras.

usage: python models/footwear/scenarios.py OUT_DIR [--first 7000] [--count 96]

Writes one short standing clip scenario per seed (1.2 s, rendered with ../shared/synth):
a third barefoot, a third in socks, a third in shoes, in turn. Skin, clothes, sock and
shoe colours (some close to the skin: beige socks, tan shoes), floor, camera height,
distance and resolution are drawn from the seed. Seeds 7000-7031 set the thresholds
(`bench/check_accuracy.py --footwear`), 7032-7095 are held out.
"""

from __future__ import annotations

import argparse
import json
import pathlib

import numpy as np

SKINS = ["light", "medium", "dark"]
RESOLUTIONS = [(1280, 720), (1920, 1080), (960, 540)]


def hex_colour(rgb) -> str:
    return "#%02x%02x%02x" % tuple(int(np.clip(c, 0, 255)) for c in rgb)


def near_skin(rng, skin_hex: str) -> str:
    """A colour close to the skin (beige socks, tan leather): the hard case."""
    rgb = np.array([int(skin_hex[i:i + 2], 16) for i in (1, 3, 5)], float)
    return hex_colour(rgb * rng.uniform(0.85, 1.15) + rng.normal(0, 12, 3))


def scenario(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    footwear = ["barefoot", "socks", "shoes"][seed % 3]
    skin = SKINS[int(rng.integers(3))] if rng.random() < 0.8 else hex_colour(rng.uniform([90, 50, 30], [240, 190, 160]))
    skin_hex = {"light": "#dea685", "medium": "#b57c55", "dark": "#6e4630"}.get(skin, skin)
    width, height = RESOLUTIONS[int(rng.integers(3))]
    hard = rng.random() < 0.25
    socks = near_skin(rng, skin_hex) if hard else hex_colour(rng.choice([[242, 242, 242], [30, 30, 34], [120, 120, 125], [40, 60, 140]]) + rng.normal(0, 10, 3))
    shoes = near_skin(rng, skin_hex) if hard else hex_colour(rng.choice([[217, 219, 224], [25, 25, 28], [150, 40, 40], [60, 90, 160]]) + rng.normal(0, 10, 3))
    camera_height = float(rng.uniform(0.6, 1.3))
    return {
        "name": f"fw_{seed}_{footwear}",
        "description": "footwear check: barefoot, socks or shoes on a random person (models/footwear/scenarios.py)",
        "fps": 30, "width": width, "height": height, "seed": seed,
        "camera": {"azimuth_deg": round(float(rng.normal(0, 6)), 1), "height_m": round(camera_height, 2),
                   "distance_m": round(float(rng.uniform(3.2, 4.5)), 2), "target_height_m": round(float(rng.uniform(0.8, 0.95)), 2),
                   "hfov_deg": round(float(rng.uniform(54, 66)), 1), "roll_deg": round(float(rng.normal(0, 2)), 1)},
        "person": {"height_m": round(float(rng.uniform(1.55, 1.95)), 2), "build": ["slim", "average", "broad"][int(rng.integers(3))],
                   "footwear": footwear, "skin": skin, "socks": socks, "shoes": shoes,
                   "shirt": hex_colour(rng.uniform(20, 235, 3)), "shorts": hex_colour(rng.uniform(20, 235, 3))},
        "room": {"floor": ["wood", "plain"][int(rng.integers(2))], "floor_rgb": hex_colour(rng.uniform(60, 220, 3)),
                 "wall_rgb": hex_colour(rng.uniform(150, 240, 3)), "wall_distance_m": round(float(rng.uniform(0.8, 1.6)), 2)},
        "start": {"stance_width_m": round(float(rng.uniform(0.14, 0.34)), 3), "toe_out_deg": round(float(rng.uniform(0, 20)), 1),
                  "com_shift_m": round(float(rng.normal(0, 0.02)), 3)},
        "render": {"noise_sigma": round(float(rng.uniform(1.5, 3.5)), 1), "exposure": round(float(rng.uniform(0.85, 1.15)), 2), "workers": 1},
        "timeline": [{"rest": 1.2}],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--first", type=int, default=7000)
    ap.add_argument("--count", type=int, default=96)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in range(args.first, args.first + args.count):
        s = scenario(seed)
        (args.out / f"{s['name']}.json").write_text(json.dumps(s, indent=1))


if __name__ == "__main__":
    main()
