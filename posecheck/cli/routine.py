"""`posecheck routine`: the article's daily set, guided from the camera (see `posecheck.session.routine`)."""

from __future__ import annotations

import argparse
import sys

from posecheck.cli.common import positive_int
from posecheck.errors import ExitStatus, PosecheckError

PARTS = ("rises", "balance", "check")  # as posecheck.session.routine.PARTS; kept here so --help loads no model code


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "routine",
        help="the daily set, guided: rises in three stances, a single-leg stand each side, the barefoot check",
        description="The article's daily set, guided from the camera: 3 rounds of rises (parallel, wide, turned out), "
        "a single-leg stand on each side, then the barefoot check. An instruction comes before each part; "
        "n skips a part, q ends the routine. The session is kept in the training log.",
    )
    parser.add_argument("--camera", metavar="N|URL|FILE", help="camera index (default 0), a stream URL, or a video file played as if it were a camera")
    parser.add_argument("--no-window", action="store_true", help="no window: print the instructions and what happens as lines")
    parser.add_argument("--mute", action="store_true", help="no sounds")
    parser.add_argument("--lang", choices=["en", "de"], help="language (default: from the system locale)")
    parser.add_argument("--reps", type=positive_int, default=10, metavar="N", help="rises per round (default 10)")
    parser.add_argument("--hold", type=float, default=3.0, metavar="S", help="hold at the top of each rise (default 3 s)")
    parser.add_argument("--balance-target", type=float, default=30.0, metavar="S", help="goal for each single-leg stand (default 30 s)")
    parser.add_argument("--check-seconds", type=float, default=3.0, metavar="S", help="standing time for the barefoot check (default 3 s)")
    parser.add_argument("--instruction-seconds", type=float, default=5.0, metavar="S", help="how long each instruction is shown (default 5 s)")
    parser.add_argument("--parts", default=",".join(PARTS), metavar="LIST", help="which parts, in order: rises,balance,check (default all)")
    parser.add_argument("--height-cm", type=float, metavar="CM", help="your height, for cm values (sway, check)")
    parser.add_argument("--json", metavar="PATH", help="write the whole session as JSON")
    parser.add_argument("--model", metavar="PATH", help="a Pose Landmarker .task bundle (default: the shipped full model)")
    parser.add_argument("--no-log", action="store_true", help="do not keep this session in the training log")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitStatus:
    import datetime as dt

    from posecheck.report.files import check_writable, write_json
    from posecheck.report.texts import choose_language, tr
    from posecheck.session.live import Live
    from posecheck.session.routine import Routine, RoutineResult, RoutineSettings, plan_of

    check_writable(args.json)
    plan = plan_of(args.parts)
    if args.height_cm is not None and not 50 <= args.height_cm <= 250:
        raise PosecheckError("--height-cm must be between 50 and 250")
    lang = choose_language(args.lang)
    settings = RoutineSettings(args.reps, args.hold, args.balance_target, args.check_seconds, args.instruction_seconds, args.height_cm)
    out = sys.stdout
    with Live(args.camera, args.model, "routine", args.no_window, args.mute) as live:
        result = RoutineResult(live.label, dt.datetime.now().astimezone(), lang)
        print(tr(lang, "routine.intro"), file=out, flush=True)
        Routine(live, settings, lang, out).run(plan, result)
    print(result.summary(), file=out, flush=True)
    if args.json:
        write_json(result.to_json(), args.json)
    if not args.no_log:
        _log(result)
    if result.ended == "interrupted":
        return ExitStatus.INTERRUPTED
    if result.ended == "camera_failed":
        return ExitStatus.NO_CAMERA
    return ExitStatus.OK


def _log(result) -> None:
    """Each part in the training log as its own kind of session: rises (live), balance per leg, check."""
    from posecheck.log.store import TrainingLog

    try:
        with TrainingLog.open() as log:
            if result.rises is not None and result.rises.get("count"):
                log.add_rises(result.rises, source=result.source, kind="live", started_at=result.started_at)
            for side, report in result.balance_reports.items():
                best = report.best(side)
                if best is not None:
                    log.add_balance({"stand_on": side, "hold_s": round(best.hold_s, 2), "sway_cm": best.sway_cm},
                                    source=result.source, started_at=result.started_at)
            if result.check is not None and "refused" not in result.check:
                log.add_check(result.check, source=result.source, started_at=result.started_at)
    except PosecheckError as error:
        print(f"posecheck: warning: the routine was not added to the training log ({error})", file=sys.stderr)
