"""The training log: storage, migration, crash safety, streaks, weeks, exports and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pathlib
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from posecheck import cli
from posecheck.errors import DatabaseError, ExitStatus, PosecheckError
from posecheck.log import store
from posecheck.log.stats import compare_weeks, current_streak
from posecheck.log.store import LogEntry, TrainingLog

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent

RISES_REPORT = {
    "source": "clip.mp4",
    "count": 3,
    "partial": 1,
    "target_hold_s": 2.0,
    "rounds": [2, 1],
    "reps": [
        {"start_s": 1.0, "end_s": 4.0, "hold_s": 2.5, "hold_ok": True, "peak_lift": 0.06, "left_share": 0.4},
        {"start_s": 5.0, "end_s": 8.0, "hold_s": 1.5, "hold_ok": False, "peak_lift": 0.04, "left_share": None},
        {"start_s": 9.0, "end_s": 12.0, "hold_s": 2.0, "hold_ok": True, "peak_lift": 0.05, "left_share": 0.6},
    ],
    "warnings": [],
}
CHECK_REPORT = {
    "weight_left_pct": 56.0,
    "feet": {"left": {"tilt": "inward", "roll_deg": 4.5}, "right": {"tilt": "neutral", "roll_deg": 0.5}},
    "shoulder_tilt_deg": 1.2,
    "pelvis_tilt_deg": -0.8,
}
BALANCE_REPORT = {"stand_on": "left", "hold_s": 23.4, "sway_cm": 1.7}


def local(year, month, day, hour=8, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute).astimezone()


@pytest.fixture
def log_path(tmp_path) -> pathlib.Path:
    return tmp_path / "history.sqlite3"


@pytest.fixture
def log(log_path):
    with TrainingLog.open(log_path) as opened:
        yield opened


@pytest.fixture
def home(tmp_path, monkeypatch) -> pathlib.Path:
    """POSECHECK_HOME in tmp_path, and a CLI with only this issue's commands (no MediaPipe)."""
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path))
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["history", "remind"])
    return tmp_path


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# ------------------------------------------------------------ round trip


def test_rises_session_round_trip(log):
    started = local(2025, 3, 4, 7, 30)
    session_id = log.add_rises(RISES_REPORT, "clip.mp4", kind="rises", started_at=started)

    [session] = log.sessions()
    assert session.id == session_id
    assert session.kind == "rises"
    assert session.source == "clip.mp4"
    assert session.started_at == started
    assert session.reps == 3 and session.partial == 1
    assert session.rounds == [2, 1]
    assert session.holds == 3 and session.holds_ok == 2
    assert session.target_hold_s == 2.0
    assert session.avg_hold_s == pytest.approx(2.0)
    assert session.avg_lift == pytest.approx(0.05)
    assert session.left_share == pytest.approx(0.5)  # the null share is left out
    assert session.weight_left_pct is None and session.stand_on is None


def test_check_and_balance_round_trip(log):
    log.add_check(CHECK_REPORT, source="camera 0", started_at=local(2025, 3, 4))
    log.add_balance(BALANCE_REPORT, source="camera 0", started_at=local(2025, 3, 5))

    check, balance = log.sessions()
    assert check.kind == "check"
    assert check.weight_left_pct == 56.0
    assert (check.left_tilt, check.left_roll_deg) == ("inward", 4.5)
    assert (check.right_tilt, check.right_roll_deg) == ("neutral", 0.5)
    assert (check.shoulder_tilt_deg, check.pelvis_tilt_deg) == (1.2, -0.8)
    assert check.reps is None
    assert balance.kind == "balance"
    assert (balance.stand_on, balance.hold_s, balance.sway_cm) == ("left", 23.4, 1.7)


def test_missing_optional_keys_are_tolerated(log):
    log.add_rises({"source": "cam", "count": 0, "reps": []}, kind="live")
    log.add_check({"weight_left_pct": 50})
    log.add_balance({"stand_on": "right", "hold_s": 5, "sway_cm": None})

    live, check, balance = log.sessions()
    assert (live.source, live.reps, live.holds, live.avg_hold_s, live.rounds) == ("cam", 0, 0, None, [])
    assert (check.weight_left_pct, check.left_tilt, check.pelvis_tilt_deg) == (50.0, None, None)
    assert (balance.stand_on, balance.hold_s, balance.sway_cm) == ("right", 5.0, None)


def test_data_survives_reopening_and_sorts_by_time(log_path):
    with TrainingLog.open(log_path) as log:
        later = log.add_rises(RISES_REPORT, started_at=local(2025, 3, 5))
        earlier = log.add_rises(RISES_REPORT, started_at=local(2025, 3, 1))  # e.g. an old video logged late
    with TrainingLog.open(log_path) as log:
        assert [s.id for s in log.sessions()] == [earlier, later]
        assert [s.id for s in log.sessions(limit=1)] == [later]
        assert [s.id for s in log.sessions(since=dt.date(2025, 3, 2))] == [later]
        assert log.sessions(kind="check") == []


def test_unknown_rises_kind_is_a_programming_error(log):
    with pytest.raises(ValueError):
        log.add_rises(RISES_REPORT, kind="check")


def test_default_path_follows_posecheck_home(tmp_path, monkeypatch):
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path / "data"))
    assert store.default_log_path() == tmp_path / "data" / "history.sqlite3"
    with TrainingLog.open() as log:
        log.add_balance(BALANCE_REPORT)
    assert (tmp_path / "data" / "history.sqlite3").is_file()


# ------------------------------------------------------ streaks and weeks


def days(*dates: str) -> list[dt.date]:
    return [dt.date.fromisoformat(text) for text in dates]


def test_streak_runs_across_month_and_year_ends():
    assert current_streak(days("2025-01-30", "2025-01-31", "2025-02-01"), dt.date(2025, 2, 1)) == 3
    assert current_streak(days("2024-12-31", "2025-01-01"), dt.date(2025, 1, 1)) == 2
    assert current_streak(days("2024-02-28", "2024-02-29", "2024-03-01"), dt.date(2024, 3, 1)) == 3


def test_streak_counts_up_to_yesterday_but_breaks_on_a_gap():
    # Nothing yet today: the streak that ended yesterday still counts.
    assert current_streak(days("2025-03-01", "2025-03-02", "2025-03-03"), dt.date(2025, 3, 4)) == 3
    # Last session two days ago: the streak is over.
    assert current_streak(days("2025-03-01", "2025-03-02"), dt.date(2025, 3, 4)) == 0
    # A gap: only the days after it count.
    assert current_streak(days("2025-03-01", "2025-03-03", "2025-03-04"), dt.date(2025, 3, 4)) == 2
    # Several sessions a day count once; sessions in the future are ignored.
    assert current_streak(days("2025-03-04", "2025-03-04", "2025-03-06"), dt.date(2025, 3, 4)) == 1
    assert current_streak([], dt.date(2025, 3, 4)) == 0


def test_log_streak_uses_local_days(log):
    for day in (28, 29, 30):
        log.add_rises(RISES_REPORT, started_at=local(2025, 4, day, 23, 30))
    log.add_rises(RISES_REPORT, started_at=local(2025, 5, 1, 0, 15))
    assert current_streak((e.day for e in log.sessions()), dt.date(2025, 5, 1)) == 4
    assert current_streak((e.day for e in log.sessions()), dt.date(2025, 5, 2)) == 4
    assert current_streak((e.day for e in log.sessions()), dt.date(2025, 5, 3)) == 0


def entry(day: str, reps=None, avg_hold_s=None, holds=None, kind="rises") -> LogEntry:
    started = dt.datetime.fromisoformat(day + "T08:00:00").astimezone()
    return LogEntry(id=0, kind=kind, started_at=started, source="", reps=reps, avg_hold_s=avg_hold_s, holds=holds)


def test_this_week_against_last_week():
    today = dt.date(2025, 3, 5)  # a Wednesday; the week started on Monday 3 March
    entries = [
        entry("2025-02-23", reps=99, avg_hold_s=9.0, holds=9),  # two weeks ago (Sunday)
        entry("2025-02-24", reps=10, avg_hold_s=1.0, holds=10),  # last week's Monday
        entry("2025-03-02", reps=20, avg_hold_s=2.0, holds=30),  # last week's Sunday
        entry("2025-03-02", kind="check"),
        entry("2025-03-03", reps=30, avg_hold_s=3.0, holds=30),
        entry("2025-03-05", reps=5, avg_hold_s=None, holds=0),
    ]
    comparison = compare_weeks(entries, today)

    this, last = comparison.this_week, comparison.last_week
    assert (this.first_day, this.last_day) == (dt.date(2025, 3, 3), today)
    assert (this.sessions, this.reps) == (2, 35)
    assert this.avg_hold_s == pytest.approx(3.0)
    assert (last.first_day, last.last_day) == (dt.date(2025, 2, 24), dt.date(2025, 3, 2))
    assert (last.sessions, last.reps) == (3, 30)
    # Weighted by holds: (10 * 1.0 + 30 * 2.0) / 40
    assert last.avg_hold_s == pytest.approx(1.75)


def test_empty_weeks_have_no_average_hold(log):
    comparison = compare_weeks(log.sessions(), dt.date(2025, 3, 5))
    assert comparison.this_week.sessions == 0 and comparison.this_week.avg_hold_s is None
    assert comparison.last_week.reps == 0


def test_week_summary_reads_the_log(log):
    log.add_rises(RISES_REPORT, started_at=local(2025, 3, 3))
    log.add_rises(RISES_REPORT, started_at=local(2025, 2, 28))
    log.add_rises(RISES_REPORT, started_at=local(2025, 2, 1))
    comparison = compare_weeks(log.sessions(), dt.date(2025, 3, 9))  # Sunday
    assert (comparison.this_week.sessions, comparison.this_week.reps) == (1, 3)
    assert (comparison.last_week.sessions, comparison.last_week.reps) == (1, 3)


# -------------------------------------------------------------- migration


def make_v1_log(path: pathlib.Path, rows: list[tuple[int, float, str, int, float | None]]) -> None:
    """A log as posecheck's first schema wrote it: heel raises only, Unix time."""
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at REAL NOT NULL, "
        "source TEXT NOT NULL, count INTEGER NOT NULL, avg_hold REAL)"
    )
    connection.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", rows)
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()


def test_migration_from_v1_keeps_the_sessions(log_path):
    first = local(2024, 11, 2, 7, 0)
    second = local(2024, 11, 3, 18, 45)
    make_v1_log(log_path, [(4, first.timestamp(), "camera 0", 24, 2.2), (9, second.timestamp(), "a.mp4", 12, None)])

    with TrainingLog.open(log_path) as log:
        assert log.schema_version() == store.SCHEMA_VERSION == 2
        old_first, old_second = log.sessions()
        assert (old_first.id, old_first.kind, old_first.source) == (4, "rises", "camera 0")
        assert (old_first.reps, old_first.avg_hold_s) == (24, 2.2)
        assert old_first.started_at == first
        assert (old_second.id, old_second.reps, old_second.avg_hold_s) == (9, 12, None)
        assert old_second.started_at == second
        # The migrated log takes new sessions of every kind, with fresh ids.
        new_id = log.add_check(CHECK_REPORT)
        assert new_id > 9
        assert current_streak((e.day for e in log.sessions()), dt.date(2024, 11, 4)) == 2

    connection = sqlite3.connect(log_path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "sessions_v1" not in tables
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


def test_a_log_from_a_newer_posecheck_is_refused(log_path):
    connection = sqlite3.connect(log_path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    with pytest.raises(DatabaseError, match="newer posecheck"):
        TrainingLog.open(log_path)


def test_a_foreign_database_is_not_taken_over(log_path):
    connection = sqlite3.connect(log_path)
    connection.execute("CREATE TABLE photos (id INTEGER)")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="not a posecheck training log"):
        TrainingLog.open(log_path)


# ---------------------------------------------------------- crash safety

WRITER = """
import sys
from posecheck.log.store import TrainingLog

report = {"source": "loop", "count": 8, "rounds": [4, 4],
          "reps": [{"hold_s": 2.0, "hold_ok": True, "peak_lift": 0.05, "left_share": 0.5}] * 8}
log = TrainingLog.open(sys.argv[1])
while True:
    print(log.add_rises(report, source="loop"), flush=True)
"""


def test_sigkill_during_writes_keeps_every_committed_session(log_path):
    rng = random.Random(6)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    committed: set[int] = set()
    for _ in range(5):  # several kills, so some land inside a transaction
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(log_path)], stdout=subprocess.PIPE, text=True, env=env
        )
        try:
            deadline = time.monotonic() + 60
            reported = 0
            while reported < 25:
                line = writer.stdout.readline()
                assert line, "the writer died before it wrote anything"
                committed.add(int(line))
                reported += 1
                assert time.monotonic() < deadline
            time.sleep(rng.uniform(0, 0.02))  # land somewhere inside a later write
            writer.send_signal(signal.SIGKILL)
            committed.update(int(line) for line in writer.stdout.read().split())
        finally:
            writer.kill()
            writer.wait()
            writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL

        with TrainingLog.open(log_path) as log:
            stored = {s.id for s in log.sessions()}
            assert committed <= stored  # nothing the writer saw committed is lost
            assert len(stored - committed) <= 1  # at most the write that was cut off
            assert all(s.reps == 8 and s.rounds == [4, 4] for s in log.sessions())
            committed = stored
        connection = sqlite3.connect(log_path)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.close()

    with TrainingLog.open(log_path) as log:  # and the log still takes new sessions
        log.add_balance(BALANCE_REPORT)
        assert log.count() == len(committed) + 1


# ------------------------------------------------------ delete and clear


def test_delete_and_clear(log):
    first = log.add_rises(RISES_REPORT)
    second = log.add_check(CHECK_REPORT)
    log.delete(first)
    assert [s.id for s in log.sessions()] == [second]
    with pytest.raises(PosecheckError, match="no session with id"):
        log.delete(first)
    assert log.clear() == 1
    assert log.sessions() == []


def test_cli_delete(home, capsys):
    with TrainingLog.open() as log:
        keep = log.add_rises(RISES_REPORT)
        drop = log.add_rises(RISES_REPORT)
    assert cli.main(["history", "--delete", str(drop)]) == ExitStatus.OK
    assert f"Deleted session {drop}" in capsys.readouterr().out
    with TrainingLog.open() as log:
        assert [s.id for s in log.sessions()] == [keep]

    assert cli.main(["history", "--delete", "999"]) == ExitStatus.ERROR
    assert capsys.readouterr().err == "posecheck: error: no session with id 999; `posecheck history` lists the ids\n"


def fill_log(count: int = 2) -> None:
    with TrainingLog.open() as log:
        for _ in range(count):
            log.add_rises(RISES_REPORT)


def count_sessions() -> int:
    with TrainingLog.open() as log:
        return log.count()


def test_cli_clear_refuses_without_a_terminal_or_yes(home, capsys, monkeypatch):
    fill_log()
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))  # piped input is not a confirmation
    assert cli.main(["history", "--clear"]) == ExitStatus.ERROR
    err = capsys.readouterr().err
    assert err.startswith("posecheck: error: refusing to clear") and "--yes" in err
    assert err.count("\n") == 1
    assert count_sessions() == 2


def test_cli_clear_with_yes(home, capsys, monkeypatch):
    fill_log()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli.main(["history", "--clear", "--yes"]) == ExitStatus.OK
    assert "Deleted all 2 sessions" in capsys.readouterr().out
    assert count_sessions() == 0


@pytest.mark.parametrize("answer, remaining", [("y\n", 0), ("yes\n", 0), ("n\n", 2), ("\n", 2), ("", 2)])
def test_cli_clear_asks_on_a_terminal(home, capsys, monkeypatch, answer, remaining):
    fill_log()
    monkeypatch.setattr(sys, "stdin", FakeTerminal(answer))
    assert cli.main(["history", "--clear"]) == ExitStatus.OK
    out = capsys.readouterr().out
    assert "Delete all 2 sessions" in out
    assert ("Nothing deleted" in out) == (remaining == 2)
    assert count_sessions() == remaining


# --------------------------------------------------- corrupt and locked


def test_corrupt_log_gives_one_line_and_database_status(home, capsys):
    (home / "history.sqlite3").write_bytes(b"this is not SQLite at all\n" * 200)
    assert cli.main(["history"]) == ExitStatus.DATABASE
    captured = capsys.readouterr()
    assert captured.err.startswith("posecheck: error: the training log ")
    assert "damaged" in captured.err and "Traceback" not in captured.err
    assert captured.err.count("\n") == 1


def test_locked_log_gives_a_clear_message(home, capsys, monkeypatch):
    monkeypatch.setattr(store, "LOCK_TIMEOUT_S", 0.2)
    fill_log(1)
    holder = sqlite3.connect(home / "history.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert cli.main(["history"]) == ExitStatus.DATABASE
        err = capsys.readouterr().err
        assert err.startswith("posecheck: error: the training log ")
        assert "in use by another program" in err and err.count("\n") == 1
        with pytest.raises(DatabaseError, match="in use"):
            TrainingLog.open()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert count_sessions() == 1  # usable again once the other program lets go


def test_log_folder_that_cannot_be_created(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("POSECHECK_HOME", str(blocker / "posecheck"))
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["history"])
    assert cli.main(["history"]) == ExitStatus.DATABASE
    assert capsys.readouterr().err.startswith("posecheck: error: cannot create the folder")


# ---------------------------------------------------- table and exports


def test_cli_history_shows_table_streak_and_weeks(home, capsys):
    now = dt.datetime.now().astimezone()
    with TrainingLog.open() as log:
        log.add_rises(RISES_REPORT, "yesterday.mp4", started_at=now - dt.timedelta(days=1))
        log.add_check(CHECK_REPORT, "camera 0", started_at=now)
        balance_id = log.add_balance(BALANCE_REPORT, "camera 0", started_at=now)
    assert cli.main(["history"]) == ExitStatus.OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Recent sessions (3 of 3):"
    assert lines[1].split() == ["ID", "When", "What", "Source", "Result"]
    assert lines[3].startswith(str(balance_id))  # newest first
    assert "on left leg 23.4 s, sway 1.7 cm" in lines[3]
    assert "weight L 56% / R 44%, left foot inward 4 deg, right foot neutral 0 deg" in out
    assert "3 reps in 2 rounds (+1 partial), 2/3 holds >= 2 s, avg hold 2.0 s" in out
    assert "Streak: 2 days in a row, today included." in out
    assert "This week (" in out and "Last week (" in out


def test_cli_history_limit_and_empty_log(home, capsys):
    assert cli.main(["history"]) == ExitStatus.OK
    assert "No sessions logged yet" in capsys.readouterr().out
    fill_log(5)
    assert cli.main(["history", "--limit", "2"]) == ExitStatus.OK
    assert "Recent sessions (2 of 5):" in capsys.readouterr().out
    assert cli.main(["history", "--limit", "-1"]) == ExitStatus.USAGE


def test_empty_history_names_the_real_command(home, capsys):
    assert cli.main(["history"]) == ExitStatus.OK
    out = capsys.readouterr().out
    assert "`posecheck rises`" in out and "posecheck live" not in out


def test_cli_json(home, capsys):
    with TrainingLog.open() as log:
        log.add_rises(RISES_REPORT, "clip.mp4", started_at=local(2025, 3, 4, 7, 30))
        log.add_check(CHECK_REPORT, started_at=local(2025, 3, 5))
    assert cli.main(["history", "--json"]) == ExitStatus.OK
    sessions = json.loads(capsys.readouterr().out)
    assert [s["kind"] for s in sessions] == ["rises", "check"]
    assert sessions[0]["rounds"] == [2, 1] and sessions[0]["holds_ok"] == 2
    assert dt.datetime.fromisoformat(sessions[0]["started_at"]) == local(2025, 3, 4, 7, 30)
    assert sessions[1]["weight_left_pct"] == 56.0

    assert cli.main(["history", "--json", "--kind", "check"]) == ExitStatus.OK
    assert [s["kind"] for s in json.loads(capsys.readouterr().out)] == ["check"]


def test_cli_csv(home, capsys, tmp_path):
    with TrainingLog.open() as log:
        log.add_rises(RISES_REPORT, "clip.mp4")
        log.add_balance(BALANCE_REPORT)
    target = tmp_path / "sessions.csv"
    assert cli.main(["history", "--csv", str(target)]) == ExitStatus.OK
    assert "Wrote 2 sessions" in capsys.readouterr().out
    with open(target, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["kind"] for row in rows] == ["rises", "balance"]
    assert rows[0]["rounds"] == "2;1" and rows[0]["reps"] == "3" and rows[0]["source"] == "clip.mp4"
    assert rows[1]["stand_on"] == "left" and rows[1]["reps"] == ""

    assert cli.main(["history", "--csv", str(tmp_path / "no" / "such" / "dir.csv")]) == ExitStatus.OUTPUT_UNWRITABLE
    err = capsys.readouterr().err
    assert err.startswith("posecheck: error: ") and "cannot write" in err and err.count("\n") == 1


def test_only_one_action_at_a_time(home, capsys):
    assert cli.main(["history", "--json", "--clear"]) == ExitStatus.USAGE
    assert "not allowed with" in capsys.readouterr().err


# ------------------------------------------------------------------ plot


def test_plot_is_written(home, capsys, tmp_path):
    now = dt.datetime.now().astimezone()
    with TrainingLog.open() as log:
        for days_ago in (20, 12, 11, 3, 1, 0):
            log.add_rises(RISES_REPORT, started_at=now - dt.timedelta(days=days_ago))
        for days_ago, weight in ((19, 58.0), (10, 55.0), (0, 51.0)):
            log.add_check({**CHECK_REPORT, "weight_left_pct": weight}, started_at=now - dt.timedelta(days=days_ago))
    target = tmp_path / "progress.png"
    assert cli.main(["history", "--plot", str(target)]) == ExitStatus.OK
    assert f"Wrote the progress plot to {target}" in capsys.readouterr().out
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 10_000


def test_plot_without_checks_or_sessions(home, capsys, tmp_path):
    target = tmp_path / "progress.png"
    assert cli.main(["history", "--plot", str(target)]) == ExitStatus.ERROR
    assert "nothing to plot" in capsys.readouterr().err
    assert not target.exists()

    fill_log(1)
    assert cli.main(["history", "--plot", str(target)]) == ExitStatus.OK
    assert target.stat().st_size > 0


def test_plot_to_an_unwritable_path(home, capsys, tmp_path):
    fill_log(1)
    assert cli.main(["history", "--plot", str(tmp_path / "missing" / "p.png")]) == ExitStatus.OUTPUT_UNWRITABLE
    err = capsys.readouterr().err
    assert err.startswith("posecheck: error: ") and "cannot write" in err and err.count("\n") == 1


def test_history_and_remind_are_registered():
    assert {"history", "remind"} <= set(cli.COMMAND_MODULES)
