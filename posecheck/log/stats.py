"""Streaks, week against week and daily totals: pure functions on training-log entries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Iterable, Sequence

from posecheck.log.store import LogEntry


@dataclasses.dataclass
class WeekStats:
    first_day: dt.date  # Monday
    last_day: dt.date  # Sunday, or today for the current week
    sessions: int
    reps: int
    avg_hold_s: float | None  # over every measured hold of the week


@dataclasses.dataclass
class WeekComparison:
    this_week: WeekStats
    last_week: WeekStats


@dataclasses.dataclass
class DayTotals:
    day: dt.date
    reps: int
    avg_hold_s: float | None


def current_streak(days: Iterable[dt.date], today: dt.date) -> int:
    """Consecutive days with a session, ending today or yesterday; 0 when neither has one."""
    trained = set(days)
    day = today if today in trained else today - dt.timedelta(days=1)
    streak = 0
    while day in trained:
        streak += 1
        day -= dt.timedelta(days=1)
    return streak


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week `day` is in."""
    return day - dt.timedelta(days=day.weekday())


def week_stats(entries: Iterable[LogEntry], first_day: dt.date, last_day: dt.date) -> WeekStats:
    in_week = [entry for entry in entries if first_day <= entry.day <= last_day]
    return WeekStats(
        first_day=first_day,
        last_day=last_day,
        sessions=len(in_week),
        reps=sum(entry.reps or 0 for entry in in_week),
        avg_hold_s=_weighted_hold(in_week),
    )


def _weighted_hold(entries: Iterable[LogEntry]) -> float | None:
    """The average over all holds, so a long session counts more than a short one."""
    total_time = total_holds = 0.0
    for entry in entries:
        if entry.avg_hold_s is not None:
            holds = entry.holds or 1
            total_time += entry.avg_hold_s * holds
            total_holds += holds
    return total_time / total_holds if total_holds else None


def compare_weeks(entries: Sequence[LogEntry], today: dt.date) -> WeekComparison:
    """This calendar week (Monday to today) against the whole of last week."""
    monday = week_start(today)
    last_monday = monday - dt.timedelta(days=7)
    return WeekComparison(
        this_week=week_stats(entries, monday, today),
        last_week=week_stats(entries, last_monday, monday - dt.timedelta(days=1)),
    )


def daily_totals(entries: Iterable[LogEntry]) -> list[DayTotals]:
    """Reps and average hold per day of heel-raise training, oldest day first."""
    by_day: dict[dt.date, list[LogEntry]] = {}
    for entry in entries:
        if entry.is_rises:
            by_day.setdefault(entry.day, []).append(entry)
    return [
        DayTotals(day, sum(entry.reps or 0 for entry in day_entries), _weighted_hold(day_entries))
        for day, day_entries in sorted(by_day.items())
    ]
