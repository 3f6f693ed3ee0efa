"""The training log as JSON, as CSV, and as a progress plot (reps, holds and weight share over time)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import pathlib
from typing import Iterable, Sequence

from posecheck.errors import OutputUnwritable
from posecheck.log.stats import current_streak, daily_totals
from posecheck.log.store import LogEntry

CSV_FIELDS = [field.name for field in dataclasses.fields(LogEntry)]


def _unwritable(path: pathlib.Path, error: OSError) -> OutputUnwritable:
    return OutputUnwritable(f"{path}: cannot write ({error.strerror or error}); choose another path")


def entries_json(entries: Iterable[LogEntry]) -> str:
    return json.dumps([entry.to_dict() for entry in entries], indent=2)


def write_csv(entries: Iterable[LogEntry], path: pathlib.Path) -> None:
    """One row per entry, one column per LogEntry field; rounds as "8;8;8"."""
    try:
        file = open(path, "w", encoding="utf-8", newline="")
    except OSError as error:
        raise _unwritable(path, error) from None
    with file:
        writer = csv.DictWriter(file, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for entry in entries:
            row = entry.to_dict()
            row["rounds"] = ";".join(str(n) for n in entry.rounds)
            writer.writerow(row)


def plot_progress(entries: Sequence[LogEntry], path: pathlib.Path, today: dt.date) -> None:
    """Draw reps per day, average hold per day and the weight share of checks to `path`."""
    # Imported here: matplotlib takes a good part of a second, and only --plot needs it.
    import matplotlib

    matplotlib.use("Agg")  # files only: works without a display
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    days = daily_totals(entries)
    checks = [s for s in entries if s.kind == "check" and s.weight_left_pct is not None]
    first = min(s.day for s in entries)
    last = max(max(s.day for s in entries), first)
    x_range = (first - dt.timedelta(days=1), last + dt.timedelta(days=1))

    figure, (reps_axes, hold_axes, weight_axes) = plt.subplots(3, 1, figsize=(10, 10))
    streak = current_streak((s.day for s in entries), today)
    figure.suptitle(
        f"Your heel-raise training, {first:%d %b %Y} to {last:%d %b %Y}"
        f"  (streak: {streak} day{'s' if streak != 1 else ''})",
        fontsize=14,
        fontweight="bold",
    )

    def no_data(axes, text: str) -> None:
        axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", fontsize=12, color="gray")

    reps_axes.set_title("Heel raises per day")
    reps_axes.set_ylabel("full heel raises")
    if days:
        reps_axes.bar([d.day for d in days], [d.reps for d in days], width=0.8, color="tab:blue")
        reps_axes.set_ylim(bottom=0)
    else:
        no_data(reps_axes, "No heel-raise sessions yet")

    hold_axes.set_title("Average hold at the top")
    hold_axes.set_ylabel("seconds")
    held = [d for d in days if d.avg_hold_s is not None]
    if held:
        hold_axes.plot([d.day for d in held], [d.avg_hold_s for d in held], marker="o", color="tab:green")
        targets = [s.target_hold_s for s in entries if s.target_hold_s is not None]
        if targets:
            hold_axes.axhline(targets[-1], color="gray", linestyle="--", label=f"target {targets[-1]:g} s")
            hold_axes.legend(loc="upper left")
        highest = max([d.avg_hold_s for d in held] + targets[-1:])
        hold_axes.set_ylim(0, highest * 1.2 or 1)  # room above the line for the legend
    else:
        no_data(hold_axes, "No holds measured yet")

    weight_axes.set_title("Barefoot check: weight on the left foot")
    weight_axes.set_ylabel("% of body weight")
    if checks:
        weight_axes.plot(
            [s.started_at.replace(tzinfo=None) for s in checks],
            [s.weight_left_pct for s in checks],
            marker="o",
            color="tab:orange",
            label="weight on the left foot",
        )
        weight_axes.axhline(50, color="gray", linestyle="--", label="even (50 %)")
        spread = max(abs(s.weight_left_pct - 50) for s in checks)
        margin = max(10.0, spread + 5)
        weight_axes.set_ylim(50 - margin, 50 + margin)
        weight_axes.legend(loc="upper left")
        weight_axes.text(
            0.99, 0.03, "above 50 %: more weight on the left foot; below: on the right",
            transform=weight_axes.transAxes, ha="right", va="bottom", fontsize=9, color="gray",
        )
    else:
        no_data(weight_axes, "No barefoot checks yet")

    for axes in (reps_axes, hold_axes, weight_axes):
        axes.set_xlim(*x_range)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        axes.set_xlabel("date")
        axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()

    suffix = path.suffix.lower().lstrip(".")
    image_format = suffix if suffix in figure.canvas.get_supported_filetypes() else "png"
    try:
        figure.savefig(path, dpi=100, format=image_format)
    except OSError as error:
        raise _unwritable(path, error) from None
    finally:
        plt.close(figure)
