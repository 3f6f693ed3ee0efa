"""`posecheck remind`: a daily reminder as an iCalendar (.ics) file any calendar app can import.

Written by hand after RFC 5545: CRLF line endings, lines folded at 75 octets,
text values escaped. The event repeats daily (RRULE:FREQ=DAILY) and carries a
VALARM so the calendar pops up a reminder at the chosen time. The time is
"floating" (no time zone): it stays 07:30 wherever the calendar is.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import pathlib

from posecheck import __version__
from posecheck.cli.options import REMINDER_TITLE
from posecheck.errors import ExitStatus
from posecheck.media.atomic import write_bytes
from posecheck.report.files import check_outputs

DEFAULT_DESCRIPTION = (
    "A few minutes of heel raises. Regularity matters more than intensity: "
    "run `posecheck rises` and keep your streak going."
)


@dataclasses.dataclass
class Reminder:
    at: dt.time  # local time of day
    first_day: dt.date
    summary: str = REMINDER_TITLE
    description: str = DEFAULT_DESCRIPTION
    duration_min: int = 10


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines start with a space."""
    encoded = line.encode("utf-8")
    chunks: list[bytes] = []
    limit = 75
    while len(encoded) > limit:
        cut = limit
        while cut > 0 and (encoded[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        chunks.append(encoded[:cut])
        encoded = encoded[cut:]
        limit = 74  # the leading space of a continuation counts
    chunks.append(encoded)
    return "\r\n ".join(chunk.decode("utf-8") for chunk in chunks)


def ics_text(reminder: Reminder, now: dt.datetime) -> str:
    """The whole .ics file as a string with CRLF line endings."""
    start = dt.datetime.combine(reminder.first_day, reminder.at)
    stamp = now.astimezone(dt.timezone.utc)
    # Same time -> same UID, so importing it again updates the event instead of duplicating it.
    uid = f"posecheck-daily-{reminder.at:%H%M}@posecheck"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//posecheck//posecheck {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%S}",
        f"DURATION:PT{reminder.duration_min}M",
        "RRULE:FREQ=DAILY",
        f"SUMMARY:{escape_text(reminder.summary)}",
        f"DESCRIPTION:{escape_text(reminder.description)}",
        "TRANSP:TRANSPARENT",  # a reminder, not a busy slot
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(reminder.summary)}",
        "TRIGGER:PT0S",  # at the start time
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def write_ics(reminder: Reminder, path: pathlib.Path, now: dt.datetime | None = None) -> None:
    # Bytes, so that our CRLFs stay as they are on every platform; written whole.
    write_bytes(path, ics_text(reminder, now or dt.datetime.now().astimezone()).encode("utf-8"))


def run(args: argparse.Namespace) -> ExitStatus:
    check_outputs({"--output": args.output})
    reminder = Reminder(at=args.at, first_day=dt.date.today(), summary=args.title)
    write_ics(reminder, args.output)
    print(
        f"Wrote a daily reminder at {args.at:%H:%M} to {args.output}; "
        "import it into your calendar app (open the file, or use its Import command)."
    )
    return ExitStatus.OK
