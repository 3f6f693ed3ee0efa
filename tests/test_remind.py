"""`posecheck remind`: the iCalendar file follows RFC 5545 and the CLI handles bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from posecheck import cli
from posecheck.errors import ExitStatus
from posecheck.cli.options import time_of_day as parse_time_of_day
from posecheck.cli.remind import Reminder, escape_text, fold, ics_text

NOW = dt.datetime(2025, 3, 4, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def only_remind(monkeypatch):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["history", "remind"])


def unfold(text: str) -> list[str]:
    """The logical content lines of an .ics text (RFC 5545 section 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_ics_has_a_daily_event_with_an_alarm():
    text = ics_text(Reminder(at=dt.time(7, 30), first_day=dt.date(2025, 3, 5)), NOW)
    lines = unfold(text)

    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    event = lines[lines.index("BEGIN:VEVENT"): lines.index("END:VEVENT") + 1]
    assert "DTSTART:20250305T073000" in event
    assert "RRULE:FREQ=DAILY" in event
    assert "DTSTAMP:20250304T120000Z" in event
    assert any(line.startswith("UID:") for line in event)
    assert any(line.startswith("SUMMARY:") for line in event)
    alarm = event[event.index("BEGIN:VALARM"): event.index("END:VALARM") + 1]
    assert "ACTION:DISPLAY" in alarm and "TRIGGER:PT0S" in alarm
    assert any(line.startswith("DESCRIPTION:") for line in alarm)  # required for DISPLAY alarms


def test_description_names_a_real_command():
    description = next(
        line for line in unfold(ics_text(Reminder(at=dt.time(7, 30), first_day=dt.date(2025, 3, 5)), NOW))
        if line.startswith("DESCRIPTION:")
    )
    assert "`posecheck rises`" in description and "posecheck live" not in description


def test_ics_uses_crlf_and_short_lines():
    reminder = Reminder(at=dt.time(18, 5), first_day=dt.date(2025, 3, 5), summary="Heel raises, then stretch; " * 6)
    text = ics_text(reminder, NOW)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # no bare line feeds
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    summary = next(line for line in unfold(text) if line.startswith("SUMMARY:"))
    assert summary == "SUMMARY:" + escape_text(reminder.summary)


def test_text_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    long_line = "DESCRIPTION:" + "é" * 80  # two octets each: folding must not split one
    folded = fold(long_line)
    parts = folded.split("\r\n ")
    assert len(parts) > 1 and "".join(parts) == long_line
    assert all(len(part.encode("utf-8")) <= 74 for part in parts[1:])
    assert len(parts[0].encode("utf-8")) <= 75
    assert fold("SHORT:line") == "SHORT:line"


@pytest.mark.parametrize("text, expected", [("07:30", dt.time(7, 30)), ("7:05", dt.time(7, 5)), ("23:59", dt.time(23, 59))])
def test_time_of_day_parsing(text, expected):
    assert parse_time_of_day(text) == expected


def test_cli_writes_the_file(tmp_path, capsys):
    target = tmp_path / "reminder.ics"
    assert cli.main(["remind", "--at", "07:30", "-o", str(target)]) == ExitStatus.OK
    assert str(target) in capsys.readouterr().out
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"RRULE:FREQ=DAILY\r\n" in data and b"BEGIN:VALARM\r\n" in data
    start = next(line for line in data.decode().split("\r\n") if line.startswith("DTSTART:"))
    assert start.endswith("T073000")


def test_cli_default_output_in_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["remind", "--at", "6:45"]) == ExitStatus.OK
    assert b"DTSTART:" in (tmp_path / "posecheck-reminder.ics").read_bytes()


@pytest.mark.parametrize("bad", ["25:00", "07:60", "7.30", "noon", ""])
def test_cli_rejects_bad_times(tmp_path, capsys, bad):
    assert cli.main(["remind", "--at", bad, "-o", str(tmp_path / "r.ics")]) == ExitStatus.USAGE
    assert "use HH:MM" in capsys.readouterr().err
    assert not (tmp_path / "r.ics").exists()


def test_cli_needs_a_time(capsys):
    assert cli.main(["remind"]) == ExitStatus.USAGE
    assert "--at" in capsys.readouterr().err


def test_cli_unwritable_output(tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "r.ics"
    assert cli.main(["remind", "--at", "07:30", "-o", str(target)]) == ExitStatus.OUTPUT_UNWRITABLE
    err = capsys.readouterr().err
    assert err.startswith(f"posecheck: error: {target}: cannot write") and err.count("\n") == 1
