"""Every command's options, checked as they are parsed.

Only argparse and the standard library here: `posecheck --help` builds every
parser, and the command module itself (with OpenCV and MediaPipe behind it) is
imported only when its command is chosen. A value out of its range is a usage
error (exit 2) with one line that says what would do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import pathlib
import re

from posecheck.log.store import KINDS, LOG_FILE_NAME

LANGUAGES = ["en", "de"]
ROUTINE_PARTS = "rises,balance,check"
REMINDER_FILE = "posecheck-reminder.ics"
REMINDER_TITLE = "Heel raises with posecheck"


def whole(low: int, high: int | None = None):
    """argparse type: a whole number from `low` (to `high`)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {low} or more" if high is None else f"must be from {low} to {high}")
        return value

    return parse


def number(low: float, high: float, unit: str = "", low_open: bool = False):
    """argparse type: a finite number from `low` to `high` (above `low` when `low_open`)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        too_low = value <= low if low_open else value < low
        if not math.isfinite(value) or too_low or value > high:
            unit_text = f" {unit}" if unit else ""
            span = f"above {low:g} and at most {high:g}" if low_open else f"from {low:g} to {high:g}"
            raise argparse.ArgumentTypeError(f"must be a number {span}{unit_text}")
        return value

    return parse


def time_of_day(text: str) -> dt.time:
    """"07:30" or "7:30" -> time(7, 30)."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time of day; use HH:MM, e.g. 07:30")
    return dt.time(int(match[1]), int(match[2]))


def routine_parts(text: str) -> str:
    """"rises,check": known parts, at least one."""
    known = ROUTINE_PARTS.split(",")
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in known]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"unknown part {', '.join(unknown) or '(none)'}; choose from {ROUTINE_PARTS}")
    return text


HOLD_S = number(0.5, 30.0, "s")
HEIGHT_CM = number(100.0, 230.0, "cm")
SECONDS = number(0.0, 3600.0, "s", low_open=True)
WAIT_S = number(0.0, 600.0, "s")
WORKERS = whole(1, 64)
COUNT = whole(1, 1000)
CAMERA = dict(metavar="N|URL|FILE", help="camera index (default 0), a stream URL (e.g. a phone as webcam), "
                                          "or a video file played as if it were a camera")
MODEL = dict(metavar="PATH", help="a Pose Landmarker .task bundle (default: the shipped full model)")


def live_options(parser, lines: str, lang: str = "language (default: from the system locale)") -> None:
    """The options of everything that can run from the camera."""
    parser.add_argument("--camera", **CAMERA)
    parser.add_argument("--no-window", action="store_true", help=f"no window: {lines}")
    parser.add_argument("--mute", action="store_true", help="no sounds")
    parser.add_argument("--lang", choices=LANGUAGES, help=lang)


def rises(subparsers) -> None:
    parser = subparsers.add_parser(
        "rises",
        help="count heel raises (rises) and time each hold",
        description="Count heel raises (rises) in a video and time each hold. "
        "Stand barefoot, feet hip-width, whole body in view, and rise onto the balls of the feet.",
    )
    parser.add_argument(
        "video", nargs="?",
        help="a video file, or a landmark file (.npz) saved with --save-landmarks; "
        "without it, live mode counts from the camera (q quits, r starts over, space pauses, f full screen)",
    )
    parser.add_argument("--hold", type=HOLD_S, default=3.0, metavar="S", help="target hold in seconds (default 3)")
    parser.add_argument("--height-cm", type=HEIGHT_CM, metavar="CM", help="your height, to report the lift in cm")
    parser.add_argument("--round-gap", type=SECONDS, default=15.0, metavar="S", help="a pause this long starts a new round (default 15 s)")
    live = parser.add_argument_group("live mode (no VIDEO)")
    live_options(live, "print what happens (reps, holds, rounds) as lines",
                 "language of the window, the lines and the summary (default: from the system locale)")
    live.add_argument("--rounds", type=COUNT, metavar="N", help="target number of rounds, e.g. 3")
    live.add_argument("--reps", type=COUNT, metavar="N", help="target reps per round, e.g. 10")
    live.add_argument("--no-log", action="store_true", help="do not keep this live session in the training log")
    parser.add_argument("--json", metavar="PATH", help="write the report as JSON")
    parser.add_argument("--csv", metavar="PATH", help="write the per-frame signals as CSV")
    parser.add_argument("--plot", metavar="PATH.png", help="draw the signals over time with every counted, partial and rejected rise and why")
    parser.add_argument("--annotated", metavar="PATH.mp4", help="write the video with skeleton, count and hold timer")
    parser.add_argument("--save-landmarks", metavar="PATH.npz", help="save the pose of every frame, to replay without the model")
    parser.add_argument("--model", **MODEL)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--workers", type=WORKERS, metavar="N", help="analyse a video on N threads, each with its own model (default: every core; 1: one pass)")
    parser.add_argument("--log", action="store_true", help="keep this analysis in the training log (see `posecheck history`)")


def check(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="barefoot check: weight on each foot, foot tilt, posture snapshot",
        description="Barefoot check in front of the camera (the mirror check, automated): how the weight is shared "
                    "between the feet, whether a foot tilts inward or outward, and a posture snapshot. "
                    "A screening estimate, not a scale.",
    )
    parser.add_argument("input", nargs="?", metavar="FILE", help="a still image or a video clip (default: the camera)")
    parser.add_argument("--camera", **CAMERA)
    parser.add_argument("--start", type=number(0.0, 86400.0, "s"), metavar="S", help="start of the window in a clip, seconds (default: the stillest window)")
    parser.add_argument("--seconds", type=SECONDS, default=2.0, metavar="D", help="length of the standing window (default 2)")
    parser.add_argument("--countdown", type=WAIT_S, default=5.0, metavar="S", help="camera: seconds to get into place (default 5)")
    parser.add_argument("--sex", choices=["female", "male"], help="body segment proportions (default: the average of both)")
    parser.add_argument("--height-cm", type=HEIGHT_CM, default=170.0, metavar="CM", help="body height for centimetre values (default 170)")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the verdict (default: from the system locale)")
    parser.add_argument("--image", metavar="PATH", help="write an annotated picture (.png or .jpg)")
    parser.add_argument("--json", metavar="PATH", help="write the numbers as JSON")
    parser.add_argument("--model", **MODEL)
    parser.add_argument("--workers", type=WORKERS, metavar="N", help="a whole clip: analyse it on N threads, each with its own model (default: every core)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--log", action="store_true", help="keep a check of a file in the training log (camera checks are always kept)")
    parser.add_argument("--no-log", action="store_true", help="do not keep a camera check in the training log")


def balance(subparsers) -> None:
    parser = subparsers.add_parser(
        "balance",
        help="single-leg stand: which leg, how long, tiptoe or flat, and the sway",
        description="Stand on one leg (flat or on tiptoe) facing the camera, whole body in view. "
        "Finds each stand, which leg stands, whether its heel is raised and how long it lasts, and measures the sway.",
    )
    parser.add_argument("video", nargs="?", help="a video file or a landmark file (.npz); without it, live from the camera (q quits, r starts over, space pauses)")
    live_options(parser, "print each stand as a line (live)")
    parser.add_argument("--height-cm", type=HEIGHT_CM, metavar="CM", help="your height, to give the sway in cm")
    parser.add_argument("--target", type=number(1.0, 600.0, "s"), default=30.0, metavar="S", help="target time on one leg, for the HUD bar and the cue (default 30 s)")
    parser.add_argument("--min-stand", type=number(0.2, 60.0, "s"), default=1.0, metavar="S", help="shorter lifts are steps, not stands (default 1 s)")
    parser.add_argument("--json", metavar="PATH", help="write the report as JSON")
    parser.add_argument("--csv", metavar="PATH", help="write the per-frame signals as CSV")
    parser.add_argument("--save-landmarks", metavar="PATH.npz", help="save the pose of every frame (video input)")
    parser.add_argument("--model", **MODEL)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--no-log", action="store_true", help="do not keep the stands in the training log")


def routine(subparsers) -> None:
    parser = subparsers.add_parser(
        "routine",
        help="the daily set, guided: rises in three stances, a single-leg stand each side, the barefoot check",
        description="The article's daily set, guided from the camera: 3 rounds of rises (parallel, wide, turned out), "
        "a single-leg stand on each side, then the barefoot check. An instruction comes before each part; "
        "n skips a part, q ends the routine. The session is kept in the training log.",
    )
    live_options(parser, "print the instructions and what happens as lines")
    parser.add_argument("--reps", type=COUNT, default=10, metavar="N", help="rises per round (default 10)")
    parser.add_argument("--hold", type=HOLD_S, default=3.0, metavar="S", help="hold at the top of each rise (default 3 s)")
    parser.add_argument("--balance-target", type=number(1.0, 600.0, "s"), default=30.0, metavar="S", help="goal for each single-leg stand (default 30 s)")
    parser.add_argument("--check-seconds", type=SECONDS, default=3.0, metavar="S", help="standing time for the barefoot check (default 3 s)")
    parser.add_argument("--instruction-seconds", type=WAIT_S, default=5.0, metavar="S", help="how long each instruction is shown (default 5 s)")
    parser.add_argument("--parts", type=routine_parts, default=ROUTINE_PARTS, metavar="LIST", help=f"which parts, in order: {ROUTINE_PARTS} (default all)")
    parser.add_argument("--height-cm", type=HEIGHT_CM, metavar="CM", help="your height, for cm values (sway, check)")
    parser.add_argument("--json", metavar="PATH", help="write the whole session as JSON")
    parser.add_argument("--model", **MODEL)
    parser.add_argument("--no-log", action="store_true", help="do not keep this session in the training log")


def history(subparsers) -> None:
    parser = subparsers.add_parser(
        "history",
        help="show the training log: recent sessions, streak, this week against last",
        description=(
            "Shows the sessions posecheck has logged, the streak of days in a row with a session, "
            f"and this week against last week. The log is {LOG_FILE_NAME} in the user data folder "
            "($POSECHECK_HOME overrides the folder)."
        ),
    )
    parser.add_argument("--limit", type=whole(0), default=10, metavar="N",
                        help="how many recent sessions the table shows (default 10, 0 = all)")
    parser.add_argument("--kind", choices=KINDS, help="only sessions of this kind")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--plot", type=pathlib.Path, metavar="PATH.png",
                        help="draw reps per day, average hold and weight share over time to an image")
    action.add_argument("--json", action="store_true", help="print every session as JSON")
    action.add_argument("--csv", type=pathlib.Path, metavar="PATH", help="export every session to a CSV file")
    action.add_argument("--delete", type=whole(1), metavar="ID", help="delete the session with this id")
    action.add_argument("--clear", action="store_true", help="delete every session (asks first)")
    parser.add_argument("--yes", action="store_true", help="with --clear: do not ask for confirmation")


def remind(subparsers) -> None:
    parser = subparsers.add_parser(
        "remind",
        help="write a daily reminder (.ics) to import into any calendar",
        description="Writes an iCalendar file with a daily repeating event and an alarm at the given time.",
    )
    parser.add_argument("--at", type=time_of_day, required=True, metavar="HH:MM",
                        help="time of day for the reminder, e.g. 07:30")
    parser.add_argument("-o", "--output", type=pathlib.Path, default=pathlib.Path(REMINDER_FILE), metavar="PATH",
                        help=f"where to write the .ics file (default {REMINDER_FILE})")
    parser.add_argument("--title", default=REMINDER_TITLE, help=f'event title (default "{REMINDER_TITLE}")')
