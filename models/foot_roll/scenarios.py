#!/usr/bin/env python3
"""Randomised barefoot standing scenarios for the foot-roll model (renderer: ../shared/synth).

usage: python models/foot_roll/scenarios.py train OUT_DIR [--first 1000 --count 2000]
       python models/foot_roll/scenarios.py test bench/scenarios/check [--first 9000 --count 24]

train: short (0.3 s) clips without sway, one distinct pose each, so one renders in about
       a second; each also gets a key-light direction (NAME.light.json) for render.py.
test:  5.5 s clips with the renderer's normal sway and light, written as `roll_test_SEED.json`
       into the check's bench scenarios, so bench/check_accuracy.py renders and reads them
       like the other check scenarios. Other seeds, so other people, rooms and cameras.

Every draw is from the seed alone, so a seed always gives the same scenario.
"""

from __future__ import annotations

import argparse
import json
import pathlib

import numpy as np

RESOLUTIONS = [(1280, 720), (1280, 720), (1280, 720), (1920, 1080), (960, 540)]
DEFAULT_KEY_LIGHT = [0.45, 0.85, 0.75]


def colour(rgb) -> str:
    return "#%02x%02x%02x" % tuple(int(np.clip(c, 0, 255)) for c in rgb)


def training_roll(rng: np.random.Generator) -> float:
    return 0.0 if rng.random() < 0.25 else round(float(rng.uniform(-12, 12)), 1)


def test_roll(rng: np.random.Generator) -> float:
    return float(rng.choice([0, 0, 6, -6, 8, -8, 10, -10, 12, -12]))


def scenario(seed: int, test: bool) -> tuple[dict, list[float]]:
    """One standing scenario and its key-light direction."""
    rng = np.random.default_rng(seed)
    skin = str(rng.choice(["light", "medium", "dark", "other"]))
    if skin == "other":
        skin = colour(np.array([230, 190, 160]) * rng.uniform(0.3, 1.05) + rng.normal(0, 8, 3))
    toe = rng.uniform(0, 28)
    toe_out = {side: round(float(np.clip(toe + rng.normal(0, 4), -3, 32)), 1) for side in ("left", "right")}
    width, height = RESOLUTIONS[int(rng.choice(len(RESOLUTIONS)))]
    hfov = float(rng.uniform(50, 68))
    stature = float(rng.uniform(1.52, 1.98))
    vfov = 2 * np.arctan(np.tan(np.radians(hfov) / 2) * height / width)
    nearest = 1.12 * stature / (2 * np.tan(vfov / 2)) + 0.3  # the whole body in the picture, with a margin
    distance = float(rng.uniform(max(2.0, nearest), max(nearest + 0.8, 4.2)))
    roll = test_roll if test else training_roll
    name = f"roll_test_{seed}" if test else f"r{seed}"
    spec = {
        "name": name, "fps": 30, "width": width, "height": height, "seed": seed,
        "camera": {"azimuth_deg": round(float(rng.normal(0, 5)), 1), "height_m": round(float(rng.uniform(0.5, 1.5)), 2),
                   "distance_m": round(distance, 2), "target_height_m": round(float(rng.uniform(0.8, 0.95)) * stature / 1.75, 2),
                   "hfov_deg": round(hfov, 1), "roll_deg": round(float(rng.normal(0, 1)), 1)},
        "person": {"height_m": round(stature, 2), "build": str(rng.choice(["slim", "average", "broad"])),
                   "footwear": "barefoot", "arm_abduction_deg": round(float(rng.uniform(3, 14)), 1), "skin": skin,
                   "shirt": colour(rng.uniform(20, 235, 3)), "shorts": colour(rng.uniform(15, 200, 3))},
        "room": {"floor": str(rng.choice(["wood", "plain"])), "floor_rgb": colour(rng.uniform(40, 225) * rng.uniform(0.8, 1.1, 3)),
                 "wall_rgb": colour(rng.uniform(150, 240) * rng.uniform(0.9, 1.05, 3)),
                 "wall_distance_m": round(float(rng.uniform(0.8, 2.0)), 2)},
        "start": {"stance_width_m": round(float(rng.uniform(0.10, 0.34)), 3), "toe_out_deg": toe_out,
                  "eversion_deg": {"left": roll(rng), "right": roll(rng)},
                  "knee_valgus_deg": ({side: round(float(rng.normal(0, 3)), 1) for side in ("left", "right")}
                                      if rng.random() < 0.4 else 0.0),
                  "com_shift_m": round(float(rng.uniform(-0.05, 0.05)), 3) if rng.random() < 0.5 else 0.0,
                  "trunk_tilt_deg": round(float(rng.normal(0, 2)), 1) if rng.random() < 0.3 else 0.0},
        "render": {"noise_sigma": round(float(rng.uniform(1, 4)), 1), "exposure": round(float(rng.uniform(0.8, 1.2)), 2),
                   "workers": 1},
        "timeline": [{"rest": 5.5 if test else 0.3}],
    }
    if test:
        spec["description"] = "held-out foot-roll test: random person, room and camera (models/foot_roll/scenarios.py)"
    else:
        spec["sway"] = {"ml_mm": 0, "ap_mm": 0}
    light = [float(rng.uniform(-1, 1)), float(rng.uniform(0.3, 1.0)), float(rng.uniform(0.1, 0.9))] if rng.random() < 0.6 else DEFAULT_KEY_LIGHT
    return spec, light


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set", choices=["train", "test"])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--first", type=int)
    parser.add_argument("--count", type=int)
    args = parser.parse_args(argv)
    test = args.set == "test"
    first = args.first if args.first is not None else (9000 if test else 1000)
    count = args.count if args.count is not None else (24 if test else 2000)
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in range(first, first + count):
        spec, light = scenario(seed, test)
        (args.out / f"{spec['name']}.json").write_text(json.dumps(spec, indent=None if not test else 1) + "\n")
        if not test:
            (args.out / f"{spec['name']}.light.json").write_text(json.dumps(light) + "\n")
    print(f"wrote {count} {args.set} scenarios to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
