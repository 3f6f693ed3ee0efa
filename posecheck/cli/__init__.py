"""The `posecheck` command: parses arguments, runs a subcommand, turns errors into exit codes.

Every command's options are in `posecheck.cli.options` (light: `--help` builds
them all); the command itself is `posecheck.cli.<name>.run(args) -> ExitStatus`,
imported only when it is chosen.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading

from posecheck import __version__
from posecheck.cli import options
from posecheck.errors import ExitStatus, PosecheckError, unexpected

# The subcommands, in the order `--help` lists them; each is `posecheck.cli.<name>`.
COMMAND_MODULES = ["rises", "check", "balance", "routine", "history", "remind"]
# Ended like Ctrl-C, so that what was done is kept: `kill` and a terminal that closes.
STOP_SIGNALS = ("SIGTERM", "SIGHUP")


class Parser(argparse.ArgumentParser):
    """A usage error is one line, like every other error, with a pointer to the help."""

    def error(self, message: str):
        self.exit(ExitStatus.USAGE, f"posecheck: error: {message}; see {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="posecheck",
        description="Counts heel raises and checks standing posture from a webcam or a video.",
    )
    parser.add_argument("--version", action="version", version=f"posecheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        getattr(options, name)(subparsers)
        subparsers.choices[name].set_defaults(command=name)
    return parser


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@contextlib.contextmanager
def stop_signals_interrupt():
    """SIGTERM and SIGHUP raise KeyboardInterrupt in the main thread while a command runs (unless they are ignored,
    as under nohup); the handlers before are restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its own message
        return ExitStatus.OK if exit_.code == 0 else ExitStatus.USAGE
    if not args.command:
        print(f"posecheck: error: choose a command: {', '.join(COMMAND_MODULES)}; see posecheck --help", file=sys.stderr)
        return ExitStatus.USAGE
    try:
        with stop_signals_interrupt():
            command = importlib.import_module(f"posecheck.cli.{args.command}")
            return int(command.run(args) or ExitStatus.OK)
    except PosecheckError as error:
        if not error.reported:
            _say(f"posecheck: error: {error}")
        return error.status
    except KeyboardInterrupt:
        _say("posecheck: interrupted")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        return ExitStatus.OK
    except Exception as error:  # a bug: still one line, the traceback on request
        if os.environ.get("POSECHECK_DEBUG"):
            raise
        _say(f"posecheck: error: {unexpected(error)}")
        return ExitStatus.ERROR


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr)
    except (OSError, ValueError):  # the terminal is gone (SIGHUP)
        pass


def entry_point() -> None:
    sys.exit(main())
