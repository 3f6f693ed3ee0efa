"""The training log: every heel-raise session, barefoot check and balance hold, kept in SQLite.

Regularity matters more than intensity, so posecheck keeps each heel-raise
session (live, or offline with `--log`), each barefoot check and each balance
hold; `posecheck.log.stats` turns the entries into the streak and the week
against last week, `posecheck.log.export` into JSON, CSV and a plot.

The log is one SQLite file in the user's data folder (`POSECHECK_HOME`
overrides the folder). Each session is written in its own transaction in
SQLite's default rollback-journal mode: if the process is killed mid-write,
the next open rolls the half-written session back and every earlier session
stays readable.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import pathlib
import sqlite3
from typing import Any, Iterator, Mapping

from posecheck.errors import DatabaseError, PosecheckError
from posecheck.log.columns import balance_columns, check_columns, rises_columns

LOG_FILE_NAME = "history.sqlite3"
SCHEMA_VERSION = 2
# How long to wait for another program that holds the log before giving up.
LOCK_TIMEOUT_S = 5.0

RISES_KINDS = ("rises", "live")  # offline analysis of a file, live camera session
KINDS = RISES_KINDS + ("check", "balance")

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
class LogEntry:
    """One row of the training log. Fields that do not apply to its kind are None."""

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

    @property
    def is_rises(self) -> bool:
        return self.kind in RISES_KINDS

    def to_dict(self) -> dict[str, Any]:
        record = dataclasses.asdict(self)
        record["started_at"] = self.started_at.isoformat(timespec="seconds")
        return record

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> LogEntry:
        values = dict(row)
        values["started_at"] = dt.datetime.fromisoformat(values["started_at"])
        values["rounds"] = json.loads(values["rounds"]) if values["rounds"] else []
        return cls(**values)


# ---------------------------------------------------------------- storage


def default_log_path() -> pathlib.Path:
    """history.sqlite3 in $POSECHECK_HOME, or else in the user's data folder."""
    home = os.environ.get("POSECHECK_HOME")
    if home:
        folder = pathlib.Path(home).expanduser()
    else:
        import platformdirs  # ~16 ms, and every command (even --help) imports this module

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

    def delete(self, entry_id: int) -> None:
        """Remove one entry; raises PosecheckError when there is no such id."""
        with self._sqlite_errors(), self._transaction() as connection:
            deleted = connection.execute("DELETE FROM sessions WHERE id = ?", (entry_id,)).rowcount
        if not deleted:
            raise PosecheckError(f"no session with id {entry_id}; `posecheck history` lists the ids")

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        with self._sqlite_errors(), self._transaction() as connection:
            return connection.execute("DELETE FROM sessions").rowcount

    # -- reading

    def sessions(
        self, kind: str | None = None, since: dt.date | None = None, limit: int | None = None
    ) -> list[LogEntry]:
        """Entries oldest first; `limit` keeps the most recent ones."""
        conditions, parameters = [], []
        if kind is not None:
            conditions.append("kind = ?")
            parameters.append(kind)
        if since is not None:
            # The first ten characters of started_at are the local date.
            conditions.append("substr(started_at, 1, 10) >= ?")
            parameters.append(since.isoformat())
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        # julianday() honours the UTC offset, so entries sort right across DST changes.
        query = f"SELECT * FROM sessions {where} ORDER BY julianday(started_at) DESC, id DESC"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        with self._sqlite_errors():
            rows = self._connection.execute(query, parameters).fetchall()
        return [LogEntry.from_row(row) for row in reversed(rows)]

    def count(self) -> int:
        with self._sqlite_errors():
            return self._connection.execute("SELECT count(*) FROM sessions").fetchone()[0]


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
    """v1 (heel raises only, Unix time) -> v2 (all kinds, local ISO time). Keeps the ids.

    The v1 table: sessions(id INTEGER PRIMARY KEY, started_at REAL NOT NULL (Unix seconds),
    source TEXT NOT NULL, count INTEGER NOT NULL, avg_hold REAL).
    """
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
