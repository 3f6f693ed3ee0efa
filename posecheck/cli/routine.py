"""`posecheck routine`: the article's daily set, guided from the camera (see `posecheck.session.routine`)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from posecheck.errors import ExitStatus, PosecheckError
from posecheck.log.store import TrainingLog
from posecheck.report.files import check_writable, write_json
from posecheck.report.texts import choose_language, tr
from posecheck.session.live import Live
from posecheck.session.routine import Routine, RoutineResult, RoutineSettings, plan_of


def run(args: argparse.Namespace) -> ExitStatus:
    check_writable(args.json)
    plan = plan_of(args.parts)
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
