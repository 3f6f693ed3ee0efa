"""`posecheck history`: the training log as a table with the streak and this week against last,
or exported (--json, --csv, --plot), or pruned (--delete, --clear)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Sequence

from posecheck.errors import ExitStatus, PosecheckError
from posecheck.log.export import entries_json, plot_progress, write_csv
from posecheck.log.stats import WeekComparison, compare_weeks, current_streak
from posecheck.log.store import LogEntry, TrainingLog, default_log_path
from posecheck.report.files import check_outputs

KIND_LABELS = {
    "rises": "heel raises (video)",
    "live": "heel raises (live)",
    "check": "barefoot check",
    "balance": "balance hold",
}
# `posecheck rises` without a video is the live mode.
EMPTY_LOG_TEXT = "No sessions logged yet. Run `posecheck rises`, or add --log to an analysis, to start."


# ------------------------------------------------------------------ text


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _count(n: int, word: str) -> str:
    """"1 rep", "3 reps"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(entry: LogEntry) -> str:
    """The result of a logged session in words, for the table."""
    parts: list[str] = []
    if entry.is_rises:
        reps = _count(entry.reps or 0, "rep")
        if len(entry.rounds) > 1:
            reps += f" in {len(entry.rounds)} rounds"
        if entry.partial:
            reps += f" (+{entry.partial} partial)"
        parts.append(reps)
        if entry.holds:
            target = f" >= {entry.target_hold_s:g} s" if entry.target_hold_s is not None else ""
            parts.append(f"{entry.holds_ok or 0}/{entry.holds} holds{target}")
        if entry.avg_hold_s is not None:
            parts.append(f"avg hold {entry.avg_hold_s:.1f} s")
        if entry.avg_lift is not None:
            parts.append(f"lift {entry.avg_lift * 100:.1f}% of leg")
        if entry.left_share is not None:
            parts.append(f"L {_percent(entry.left_share)} / R {_percent(1 - entry.left_share)}")
    elif entry.kind == "check":
        if entry.weight_left_pct is not None:
            parts.append(f"weight L {entry.weight_left_pct:.0f}% / R {100 - entry.weight_left_pct:.0f}%")
        for side, tilt, roll in (
            ("left", entry.left_tilt, entry.left_roll_deg),
            ("right", entry.right_tilt, entry.right_roll_deg),
        ):
            if tilt or roll is not None:
                if roll is not None and tilt in ("inward", "outward"):
                    roll = abs(roll)  # the word gives the direction: "outward 9 deg", not "outward -9 deg"
                parts.append(f"{side} foot {tilt or '?'}" + (f" {roll:.0f} deg" if roll is not None else ""))
        if entry.shoulder_tilt_deg is not None:
            parts.append(f"shoulders {entry.shoulder_tilt_deg:.1f} deg")
        if entry.pelvis_tilt_deg is not None:
            parts.append(f"pelvis {entry.pelvis_tilt_deg:.1f} deg")
    elif entry.kind == "balance":
        hold = f" {entry.hold_s:.1f} s" if entry.hold_s is not None else ""
        parts.append(f"on {entry.stand_on or '?'} leg{hold}")
        if entry.sway_cm is not None:
            parts.append(f"sway {entry.sway_cm:.1f} cm")
    return ", ".join(parts)


def _short_source(source: str, width: int = 22) -> str:
    return source if len(source) <= width else "..." + source[-(width - 3):]


def entries_table(entries: Sequence[LogEntry]) -> str:
    """A plain-text table, newest entry first."""
    header = ("ID", "When", "What", "Source", "Result")
    rows = [
        (
            str(s.id),
            f"{s.started_at:%a %d %b %Y %H:%M}",
            KIND_LABELS.get(s.kind, s.kind),
            _short_source(s.source),
            describe(s),
        )
        for s in reversed(entries)
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]

    return "\n".join([line(header), line(["-" * w for w in widths] + ["-" * 6]), *map(line, rows)])


def _hold_text(seconds: float | None) -> str:
    return f"average hold {seconds:.1f} s" if seconds is not None else "no holds measured"


def streak_text(streak: int, entries: Sequence[LogEntry], today: dt.date) -> str:
    trained_today = any(s.day == today for s in entries)
    if streak == 0:
        return "Streak: none yet - a short session today starts one."
    days = f"{streak} day{'s' if streak != 1 else ''} in a row"
    if trained_today:
        return f"Streak: {days}, today included. Well done!"
    return f"Streak: {days} - train today to keep it going."


def week_text(comparison: WeekComparison) -> str:
    this, last = comparison.this_week, comparison.last_week
    return "\n".join(
        [
            f"This week ({this.first_day:%a %d %b} - {this.last_day:%a %d %b}): "
            f"{_count(this.sessions, 'session')}, {_count(this.reps, 'rep')}, {_hold_text(this.avg_hold_s)}",
            f"Last week ({last.first_day:%a %d %b} - {last.last_day:%a %d %b}): "
            f"{_count(last.sessions, 'session')}, {_count(last.reps, 'rep')}, {_hold_text(last.avg_hold_s)}",
        ]
    )


# ------------------------------------------------------------- command


def _confirmed(question: str) -> bool:
    """Ask on the terminal; refuse outright when nobody is there to answer."""
    if not sys.stdin or not sys.stdin.isatty():
        raise PosecheckError(
            "refusing to clear the training log without confirmation: input is not a terminal; "
            "add --yes to clear it anyway"
        )
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> ExitStatus:
    check_outputs({"--csv": args.csv, "--plot": args.plot}, inputs=[default_log_path()])
    today = dt.date.today()
    with TrainingLog.open() as log:
        if args.delete is not None:
            log.delete(args.delete)
            print(f"Deleted session {args.delete}.")
            return ExitStatus.OK
        if args.clear:
            count = log.count()
            if count == 0:
                print("The training log is already empty.")
                return ExitStatus.OK
            if not args.yes and not _confirmed(f"Delete {'all ' if count > 1 else ''}{_count(count, 'session')} from {log.path}?"):
                print("Nothing deleted.")
                return ExitStatus.OK
            log.clear()
            print(f"Deleted {'all ' if count > 1 else ''}{_count(count, 'session')}.")
            return ExitStatus.OK

        entries = log.sessions(kind=args.kind)
        if args.json:
            print(entries_json(entries))
            return ExitStatus.OK
        if args.csv is not None:
            write_csv(entries, args.csv)
            print(f"Wrote {_count(len(entries), 'session')} to {args.csv}")
            return ExitStatus.OK
        if args.plot is not None:
            if not entries:
                raise PosecheckError("the training log has no sessions yet, so there is nothing to plot")
            plot_progress(entries, args.plot, today)
            print(f"Wrote the progress plot to {args.plot}")
            return ExitStatus.OK

        if not entries:
            print(EMPTY_LOG_TEXT)
            return ExitStatus.OK
        all_entries = entries if args.kind is None else log.sessions()
        recent = entries if args.limit == 0 else entries[-args.limit:]
        print(f"Recent sessions ({len(recent)} of {len(entries)}):")
        print(entries_table(recent))
        print()
        print(streak_text(current_streak((s.day for s in all_entries), today), all_entries, today))
        print(week_text(compare_weeks(all_entries, today)))
    return ExitStatus.OK
