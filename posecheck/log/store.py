"""The training log: every session kept in SQLite, with the streak, week against week, and plots.

Regularity matters more than intensity, so posecheck keeps each heel-raise
session (live, or offline with `--log`), each barefoot check and each balance
hold, and shows how many days in a row you trained and how this week compares
with the last.

The log is one SQLite file in the user's data folder (`POSECHECK_HOME`
overrides the folder). Each session is written in its own transaction in
SQLite's default rollback-journal mode: if the process is killed mid-write,
the next open rolls the half-written session back and every earlier session
stays readable.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import datetime as dt
import json
import math
import os
import pathlib
import sqlite3
import sys
from typing import Any, Iterable, Iterator, Mapping, Sequence

from posecheck.errors import DatabaseError, ExitStatus, OutputUnwritable, PosecheckError

LOG_FILE_NAME = "history.sqlite3"
SCHEMA_VERSION = 2
# How long to wait for another program that holds the log before giving up.
LOCK_TIMEOUT_S = 5.0

RISES_KINDS = ("rises", "live")  # offline analysis of a file, live camera session
KINDS = RISES_KINDS + ("check", "balance")
KIND_LABELS = {
    "rises": "heel raises (video)",
    "live": "heel raises (live)",
    "check": "barefoot check",
    "balance": "balance hold",
}

# Version 1 stored heel-raise sessions only, timed in Unix seconds. Kept here
# because old logs on disk still look like this and must be migrated.
SCHEMA_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    source TEXT NOT NULL,
    count INTEGER NOT NULL,
    avg_hold REAL
)
"""

# Version 2: every kind of session in one table; a column a kind does not use is NULL.
# started_at is local ISO time with its UTC offset, so "which day" is the user's day.
SCHEMA_V2 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    reps INTEGER,
    partial INTEGER,
    rounds TEXT,
    holds INTEGER,
    holds_ok INTEGER,
    target_hold_s REAL,
    avg_hold_s REAL,
    avg_lift REAL,
    left_share REAL,
    weight_left_pct REAL,
    left_tilt TEXT,
    left_roll_deg REAL,
    right_tilt TEXT,
    right_roll_deg REAL,
    shoulder_tilt_deg REAL,
    pelvis_tilt_deg REAL,
    stand_on TEXT,
    hold_s REAL,
    sway_cm REAL
);
CREATE INDEX sessions_started_at ON sessions (started_at);
"""


# ---------------------------------------------------------------- records


@dataclasses.dataclass
class Session:
    """One logged session. Fields that do not apply to its kind are None."""

    id: int
    kind: str  # one of KINDS
    started_at: dt.datetime  # local time, timezone-aware
    source: str
    # Heel raises ("rises" and "live")
    reps: int | None = None  # full rises
    partial: int | None = None
    rounds: list[int] = dataclasses.field(default_factory=list)  # reps per round
    holds: int | None = None  # reps whose hold was measured
    holds_ok: int | None = None  # of those, how many reached the target
    target_hold_s: float | None = None
    avg_hold_s: float | None = None
    avg_lift: float | None = None  # peak heel lift relative to leg length
    left_share: float | None = None  # share of the lift on the left foot, 0..1
    # Barefoot check
    weight_left_pct: float | None = None
    left_tilt: str | None = None  # "inward", "outward" or "neutral"
    left_roll_deg: float | None = None
    right_tilt: str | None = None
    right_roll_deg: float | None = None
    shoulder_tilt_deg: float | None = None
    pelvis_tilt_deg: float | None = None
    # Single-leg balance
    stand_on: str | None = None  # "left" or "right"
    hold_s: float | None = None
    sway_cm: float | None = None

    @property
    def day(self) -> dt.date:
        return self.started_at.date()

    def to_dict(self) -> dict[str, Any]:
        record = dataclasses.asdict(self)
        record["started_at"] = self.started_at.isoformat(timespec="seconds")
        return record

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Session:
        values = dict(row)
        values["started_at"] = dt.datetime.fromisoformat(values["started_at"])
        values["rounds"] = json.loads(values["rounds"]) if values["rounds"] else []
        return cls(**values)


SESSION_FIELDS = [field.name for field in dataclasses.fields(Session)]


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


# ------------------------------------------------- reading the reports


def _number(value: Any) -> float | None:
    """A finite float, or None for missing, null or junk values."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _mean(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def rises_columns(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the log keeps of a rises report (see rises_cmd), as column values."""
    reps = [rep for rep in report.get("reps") or [] if isinstance(rep, Mapping)]
    hold_times = [_number(rep.get("hold_s")) for rep in reps]
    measured_holds = [hold for hold in hold_times if hold is not None]
    count = _integer(report.get("count"))
    rounds = [int(n) for n in report.get("rounds") or [] if _integer(n) is not None]
    return {
        "reps": count if count is not None else len(reps),
        "partial": _integer(report.get("partial")),
        "rounds": json.dumps(rounds),
        "holds": len(measured_holds),
        "holds_ok": sum(1 for rep in reps if rep.get("hold_ok") is True),
        "target_hold_s": _number(report.get("target_hold_s")),
        "avg_hold_s": _mean(measured_holds),
        "avg_lift": _mean(_number(rep.get("peak_lift")) for rep in reps),
        "left_share": _mean(_number(rep.get("left_share")) for rep in reps),
    }


def check_columns(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the log keeps of a barefoot-check report, as column values."""
    feet = report.get("feet") or {}
    left = feet.get("left") or {}
    right = feet.get("right") or {}
    return {
        "weight_left_pct": _number(report.get("weight_left_pct")),
        "left_tilt": left.get("tilt"),
        "left_roll_deg": _number(left.get("roll_deg")),
        "right_tilt": right.get("tilt"),
        "right_roll_deg": _number(right.get("roll_deg")),
        "shoulder_tilt_deg": _number(report.get("shoulder_tilt_deg")),
        "pelvis_tilt_deg": _number(report.get("pelvis_tilt_deg")),
    }


def balance_columns(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the log keeps of a single-leg balance report, as column values."""
    stand_on = report.get("stand_on")
    return {
        "stand_on": stand_on if stand_on in ("left", "right") else None,
        "hold_s": _number(report.get("hold_s")),
        "sway_cm": _number(report.get("sway_cm")),
    }


# ---------------------------------------------------------------- storage


def default_log_path() -> pathlib.Path:
    """history.sqlite3 in $POSECHECK_HOME, or else in the user's data folder."""
    home = os.environ.get("POSECHECK_HOME")
    if home:
        folder = pathlib.Path(home).expanduser()
    else:
        import platformdirs

        folder = pathlib.Path(platformdirs.user_data_dir("posecheck"))
    return folder / LOG_FILE_NAME


def _explain(error: sqlite3.Error, path: pathlib.Path) -> str:
    """One line that says what is wrong with the log and what to do."""
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    if "locked" in reason or "busy" in reason:
        return (
            f"the training log {path} is in use by another program (is another posecheck "
            "running?); close it and try again"
        )
    if "not a database" in reason or "malformed" in reason or "corrupt" in reason:
        return (
            f"the training log {path} is damaged ({reason}); move it away and posecheck "
            "will start a new one"
        )
    if "readonly" in reason or "read-only" in reason:
        return f"the training log {path} is read-only ({reason}); make it writable"
    if "unable to open" in reason:
        return (
            f"cannot open the training log {path} ({reason}); check that its folder is "
            "writable, or set POSECHECK_HOME to another folder"
        )
    return f"the training log {path} cannot be used ({reason})"


class TrainingLog:
    """The SQLite training log. Use `TrainingLog.open()` as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: pathlib.Path):
        self._connection = connection
        self.path = path

    # -- opening and migrating

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, timeout_s: float | None = None) -> TrainingLog:
        """Open (creating if needed) and migrate the log; raises DatabaseError when unusable."""
        path = pathlib.Path(path) if path is not None else default_log_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(
                f"cannot create the folder for the training log {path.parent} "
                f"({error.strerror or error}); set POSECHECK_HOME to a writable folder"
            ) from None
        timeout_s = LOCK_TIMEOUT_S if timeout_s is None else timeout_s
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so every write is
            # exactly one explicit transaction.
            connection = sqlite3.connect(str(path), timeout=timeout_s, isolation_level=None)
        except sqlite3.Error as error:
            raise DatabaseError(_explain(error, path)) from None
        connection.row_factory = sqlite3.Row
        log = cls(connection, path)
        try:
            with log._sqlite_errors():
                # The default rollback journal with full sync: a kill mid-write leaves a
                # hot journal that the next open rolls back.
                connection.execute("PRAGMA synchronous = FULL")
                log.migrate()
        except BaseException:
            connection.close()
            raise
        return log

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> TrainingLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _sqlite_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise DatabaseError(_explain(error, self.path)) from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so two writers wait for each other
        # (up to the timeout) instead of failing half-way.
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield self._connection
        except BaseException:
            if self._connection.in_transaction:  # some errors end the transaction themselves
                self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    def schema_version(self) -> int:
        with self._sqlite_errors():
            return self._connection.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema to SCHEMA_VERSION, one version step per transaction."""
        with self._sqlite_errors():
            while True:
                with self._transaction() as connection:
                    # Read inside the transaction: another posecheck may have migrated meanwhile.
                    version = connection.execute("PRAGMA user_version").fetchone()[0]
                    if version == SCHEMA_VERSION:
                        return
                    if version > SCHEMA_VERSION:
                        raise DatabaseError(
                            f"the training log {self.path} was written by a newer posecheck "
                            f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade posecheck"
                        )
                    if version == 0:
                        if _has_tables(connection):
                            raise DatabaseError(
                                f"{self.path} is not a posecheck training log; move it away "
                                "or set POSECHECK_HOME to another folder"
                            )
                        # A new log starts at the current schema directly.
                        _create_current_schema(connection)
                        new_version = SCHEMA_VERSION
                    else:
                        new_version = MIGRATIONS[version](connection)
                    # PRAGMA cannot take a parameter; new_version is our own int.
                    connection.execute(f"PRAGMA user_version = {int(new_version)}")

    # -- writing

    def add_rises(
        self,
        report: Mapping[str, Any],
        source: str | None = None,
        kind: str = "rises",
        started_at: dt.datetime | None = None,
    ) -> int:
        """Log a heel-raise session (kind "rises" for a file, "live" for the camera); returns its id."""
        if kind not in RISES_KINDS:
            raise ValueError(f"kind must be one of {RISES_KINDS}, not {kind!r}")
        return self._add(kind, report, source, started_at, rises_columns(report))

    def add_check(
        self, report: Mapping[str, Any], source: str | None = None, started_at: dt.datetime | None = None
    ) -> int:
        """Log a barefoot check; returns its id."""
        return self._add("check", report, source, started_at, check_columns(report))

    def add_balance(
        self, report: Mapping[str, Any], source: str | None = None, started_at: dt.datetime | None = None
    ) -> int:
        """Log a single-leg balance hold; returns its id."""
        return self._add("balance", report, source, started_at, balance_columns(report))

    def _add(
        self,
        kind: str,
        report: Mapping[str, Any],
        source: str | None,
        started_at: dt.datetime | None,
        columns: dict[str, Any],
    ) -> int:
        when = (started_at or dt.datetime.now()).astimezone()  # naive means local time
        values = {
            "kind": kind,
            "started_at": when.isoformat(timespec="seconds"),
            "source": str(source if source is not None else report.get("source") or ""),
            **columns,
        }
        names = ", ".join(values)
        placeholders = ", ".join(f":{name}" for name in values)
        with self._sqlite_errors(), self._transaction() as connection:
            cursor = connection.execute(f"INSERT INTO sessions ({names}) VALUES ({placeholders})", values)
            return int(cursor.lastrowid)

    def delete(self, session_id: int) -> None:
        """Remove one session; raises PosecheckError when there is no such id."""
        with self._sqlite_errors(), self._transaction() as connection:
            deleted = connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
        if not deleted:
            raise PosecheckError(f"no session with id {session_id}; `posecheck history` lists the ids")

    def clear(self) -> int:
        """Remove every session; returns how many there were."""
        with self._sqlite_errors(), self._transaction() as connection:
            return connection.execute("DELETE FROM sessions").rowcount

    # -- reading

    def sessions(
        self, kind: str | None = None, since: dt.date | None = None, limit: int | None = None
    ) -> list[Session]:
        """Sessions oldest first; `limit` keeps the most recent ones."""
        conditions, parameters = [], []
        if kind is not None:
            conditions.append("kind = ?")
            parameters.append(kind)
        if since is not None:
            # The first ten characters of started_at are the local date.
            conditions.append("substr(started_at, 1, 10) >= ?")
            parameters.append(since.isoformat())
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        # julianday() honours the UTC offset, so sessions sort right across DST changes.
        query = f"SELECT * FROM sessions {where} ORDER BY julianday(started_at) DESC, id DESC"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        with self._sqlite_errors():
            rows = self._connection.execute(query, parameters).fetchall()
        return [Session.from_row(row) for row in reversed(rows)]

    def count(self) -> int:
        with self._sqlite_errors():
            return self._connection.execute("SELECT count(*) FROM sessions").fetchone()[0]

    def streak(self, today: dt.date) -> int:
        return current_streak((session.day for session in self.sessions()), today)

    def week_summary(self, today: dt.date) -> WeekComparison:
        return compare_weeks(self.sessions(since=week_start(today) - dt.timedelta(days=7)), today)


def _has_tables(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    # Not executescript(): that commits first, and a migration must stay one transaction.
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


def _create_current_schema(connection: sqlite3.Connection) -> None:
    _run_script(connection, SCHEMA_V2)


def _migrate_v1_to_v2(connection: sqlite3.Connection) -> int:
    """v1 (heel raises only, Unix time) -> v2 (all kinds, local ISO time). Keeps the ids."""
    old_rows = connection.execute("SELECT id, started_at, source, count, avg_hold FROM sessions").fetchall()
    connection.execute("ALTER TABLE sessions RENAME TO sessions_v1")
    _run_script(connection, SCHEMA_V2)
    for row in old_rows:
        started_at = dt.datetime.fromtimestamp(row[1]).astimezone()
        connection.execute(
            "INSERT INTO sessions (id, kind, started_at, source, reps, avg_hold_s) VALUES (?, ?, ?, ?, ?, ?)",
            (row[0], "rises", started_at.isoformat(timespec="seconds"), row[2], row[3], row[4]),
        )
    connection.execute("DROP TABLE sessions_v1")
    return 2


# MIGRATIONS[v] turns a version-v schema into the next one and returns the new version.
MIGRATIONS = {1: _migrate_v1_to_v2}


# ------------------------------------------------ streaks and weeks (pure)


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


def week_stats(sessions: Iterable[Session], first_day: dt.date, last_day: dt.date) -> WeekStats:
    in_week = [session for session in sessions if first_day <= session.day <= last_day]
    return WeekStats(
        first_day=first_day,
        last_day=last_day,
        sessions=len(in_week),
        reps=sum(session.reps or 0 for session in in_week),
        avg_hold_s=_weighted_hold(in_week),
    )


def _weighted_hold(sessions: Iterable[Session]) -> float | None:
    """The average over all holds, so a long session counts more than a short one."""
    total_time = total_holds = 0.0
    for session in sessions:
        if session.avg_hold_s is not None:
            holds = session.holds or 1
            total_time += session.avg_hold_s * holds
            total_holds += holds
    return total_time / total_holds if total_holds else None


def compare_weeks(sessions: Sequence[Session], today: dt.date) -> WeekComparison:
    """This calendar week (Monday to today) against the whole of last week."""
    monday = week_start(today)
    last_monday = monday - dt.timedelta(days=7)
    return WeekComparison(
        this_week=week_stats(sessions, monday, today),
        last_week=week_stats(sessions, last_monday, monday - dt.timedelta(days=1)),
    )


def daily_totals(sessions: Iterable[Session]) -> list[DayTotals]:
    """Reps and average hold per day of heel-raise training, oldest day first."""
    by_day: dict[dt.date, list[Session]] = {}
    for session in sessions:
        if session.kind in RISES_KINDS:
            by_day.setdefault(session.day, []).append(session)
    return [
        DayTotals(day, sum(s.reps or 0 for s in day_sessions), _weighted_hold(day_sessions))
        for day, day_sessions in sorted(by_day.items())
    ]


# --------------------------------------------------------------- exports


def _writing(path: pathlib.Path):
    """Open `path` for text output, turning OS errors into OutputUnwritable."""
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as error:
        raise OutputUnwritable(f"{path}: cannot write ({error.strerror or error}); choose another path") from None


def sessions_json(sessions: Iterable[Session]) -> str:
    return json.dumps([session.to_dict() for session in sessions], indent=2)


def write_csv(sessions: Iterable[Session], path: pathlib.Path) -> None:
    """One row per session, one column per Session field; rounds as "8;8;8"."""
    with _writing(path) as file:
        writer = csv.DictWriter(file, fieldnames=SESSION_FIELDS)
        writer.writeheader()
        for session in sessions:
            row = session.to_dict()
            row["rounds"] = ";".join(str(n) for n in session.rounds)
            writer.writerow(row)


# ------------------------------------------------------------------ plot


def plot_progress(sessions: Sequence[Session], path: pathlib.Path, today: dt.date) -> None:
    """Draw reps per day, average hold per day and the weight share of checks to `path`."""
    import matplotlib

    matplotlib.use("Agg")  # files only: works without a display
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    days = daily_totals(sessions)
    checks = [s for s in sessions if s.kind == "check" and s.weight_left_pct is not None]
    first = min(s.day for s in sessions)
    last = max(max(s.day for s in sessions), first)
    x_range = (first - dt.timedelta(days=1), last + dt.timedelta(days=1))

    figure, (reps_axes, hold_axes, weight_axes) = plt.subplots(3, 1, figsize=(10, 10))
    streak = current_streak((s.day for s in sessions), today)
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
        targets = [s.target_hold_s for s in sessions if s.target_hold_s is not None]
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
        raise OutputUnwritable(f"{path}: cannot write ({error.strerror or error}); choose another path") from None
    finally:
        plt.close(figure)


# ------------------------------------------------------------ the table


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def describe(session: Session) -> str:
    """The result of a session in words, for the table."""
    parts: list[str] = []
    if session.kind in RISES_KINDS:
        reps = f"{session.reps or 0} reps"
        if len(session.rounds) > 1:
            reps += f" in {len(session.rounds)} rounds"
        if session.partial:
            reps += f" (+{session.partial} partial)"
        parts.append(reps)
        if session.holds:
            target = f" >= {session.target_hold_s:g} s" if session.target_hold_s is not None else ""
            parts.append(f"{session.holds_ok or 0}/{session.holds} holds{target}")
        if session.avg_hold_s is not None:
            parts.append(f"avg hold {session.avg_hold_s:.1f} s")
        if session.avg_lift is not None:
            parts.append(f"lift {session.avg_lift * 100:.1f}% of leg")
        if session.left_share is not None:
            parts.append(f"L {_percent(session.left_share)} / R {_percent(1 - session.left_share)}")
    elif session.kind == "check":
        if session.weight_left_pct is not None:
            parts.append(f"weight L {session.weight_left_pct:.0f}% / R {100 - session.weight_left_pct:.0f}%")
        for side, tilt, roll in (
            ("left", session.left_tilt, session.left_roll_deg),
            ("right", session.right_tilt, session.right_roll_deg),
        ):
            if tilt or roll is not None:
                parts.append(f"{side} foot {tilt or '?'}" + (f" {roll:.0f} deg" if roll is not None else ""))
        if session.shoulder_tilt_deg is not None:
            parts.append(f"shoulders {session.shoulder_tilt_deg:.1f} deg")
        if session.pelvis_tilt_deg is not None:
            parts.append(f"pelvis {session.pelvis_tilt_deg:.1f} deg")
    elif session.kind == "balance":
        hold = f" {session.hold_s:.1f} s" if session.hold_s is not None else ""
        parts.append(f"on {session.stand_on or '?'} leg{hold}")
        if session.sway_cm is not None:
            parts.append(f"sway {session.sway_cm:.1f} cm")
    return ", ".join(parts)


def _short_source(source: str, width: int = 22) -> str:
    return source if len(source) <= width else "..." + source[-(width - 3):]


def sessions_table(sessions: Sequence[Session]) -> str:
    """A plain-text table, newest session first."""
    header = ("ID", "When", "What", "Source", "Result")
    rows = [
        (
            str(s.id),
            f"{s.started_at:%a %d %b %Y %H:%M}",
            KIND_LABELS.get(s.kind, s.kind),
            _short_source(s.source),
            describe(s),
        )
        for s in reversed(sessions)
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]

    return "\n".join([line(header), line(["-" * w for w in widths] + ["-" * 6]), *map(line, rows)])


def _hold_text(seconds: float | None) -> str:
    return f"average hold {seconds:.1f} s" if seconds is not None else "no holds measured"


def streak_text(streak: int, sessions: Sequence[Session], today: dt.date) -> str:
    trained_today = any(s.day == today for s in sessions)
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
            f"{this.sessions} sessions, {this.reps} reps, {_hold_text(this.avg_hold_s)}",
            f"Last week ({last.first_day:%a %d %b} - {last.last_day:%a %d %b}): "
            f"{last.sessions} sessions, {last.reps} reps, {_hold_text(last.avg_hold_s)}",
        ]
    )


# ------------------------------------------------------------------- CLI


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


def run_history(args: argparse.Namespace) -> ExitStatus:
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
            if not args.yes and not _confirmed(f"Delete all {count} sessions from {log.path}?"):
                print("Nothing deleted.")
                return ExitStatus.OK
            log.clear()
            print(f"Deleted all {count} sessions.")
            return ExitStatus.OK

        sessions = log.sessions(kind=args.kind)
        if args.json:
            print(sessions_json(sessions))
            return ExitStatus.OK
        if args.csv is not None:
            write_csv(sessions, args.csv)
            print(f"Wrote {len(sessions)} sessions to {args.csv}")
            return ExitStatus.OK
        if args.plot is not None:
            if not sessions:
                raise PosecheckError("the training log has no sessions yet, so there is nothing to plot")
            plot_progress(sessions, args.plot, today)
            print(f"Wrote the progress plot to {args.plot}")
            return ExitStatus.OK

        if not sessions:
            print("No sessions logged yet. Run `posecheck live`, or add --log to an analysis, to start.")
            return ExitStatus.OK
        all_sessions = sessions if args.kind is None else log.sessions()
        recent = sessions if args.limit == 0 else sessions[-args.limit:]
        print(f"Recent sessions ({len(recent)} of {len(sessions)}):")
        print(sessions_table(recent))
        print()
        print(streak_text(current_streak((s.day for s in all_sessions), today), all_sessions, today))
        print(week_text(compare_weeks(all_sessions, today)))
    return ExitStatus.OK


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "history",
        help="show the training log: recent sessions, streak, this week against last",
        description=(
            "Shows the sessions posecheck has logged, the streak of days in a row with a session, "
            f"and this week against last week. The log is {LOG_FILE_NAME} in the user data folder "
            "($POSECHECK_HOME overrides the folder)."
        ),
    )
    parser.add_argument("--limit", type=_non_negative_int, default=10, metavar="N",
                        help="how many recent sessions the table shows (default 10, 0 = all)")
    parser.add_argument("--kind", choices=KINDS, help="only sessions of this kind")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--plot", type=pathlib.Path, metavar="PATH.png",
                        help="draw reps per day, average hold and weight share over time to an image")
    action.add_argument("--json", action="store_true", help="print every session as JSON")
    action.add_argument("--csv", type=pathlib.Path, metavar="PATH", help="export every session to a CSV file")
    action.add_argument("--delete", type=int, metavar="ID", help="delete the session with this id")
    action.add_argument("--clear", action="store_true", help="delete every session (asks first)")
    parser.add_argument("--yes", action="store_true", help="with --clear: do not ask for confirmation")
    parser.set_defaults(run=run_history)
