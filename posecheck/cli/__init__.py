"""The `posecheck` command: parses arguments, runs a subcommand, turns errors into exit codes.

Every command's options are in `posecheck.cli.options` (light: `--help` builds
them all); the command itself is `posecheck.cli.<name>.run(args) -> ExitStatus`,
imported only when it is chosen.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from posecheck import __version__
from posecheck.cli import options
from posecheck.errors import ExitStatus, PosecheckError

# The subcommands, in the order `--help` lists them; each is `posecheck.cli.<name>`.
COMMAND_MODULES = ["rises", "check", "balance", "routine", "history", "remind"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posecheck",
        description="Counts heel raises and checks standing posture from a webcam or a video.",
    )
    parser.add_argument("--version", action="version", version=f"posecheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        getattr(options, name)(subparsers)
        subparsers.choices[name].set_defaults(command=name)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its own message
        return ExitStatus.OK if exit_.code == 0 else ExitStatus.USAGE
    if not args.command:
        parser.print_help(sys.stderr)
        return ExitStatus.USAGE
    try:
        command = importlib.import_module(f"posecheck.cli.{args.command}")
        return int(command.run(args) or ExitStatus.OK)
    except PosecheckError as error:
        print(f"posecheck: error: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print("posecheck: interrupted", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        return ExitStatus.OK


def entry_point() -> None:
    sys.exit(main())
