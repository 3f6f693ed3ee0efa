"""`posecheck routine`: the article's daily set, guided from the camera (see `posecheck.session.routine`)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from posecheck.cli.common import ended_status, prepare, say, write_outputs
from posecheck.errors import ExitStatus, PosecheckError
from posecheck.log.store import TrainingLog
from posecheck.report.files import write_json
from posecheck.report.texts import tr
from posecheck.session.live import Live
from posecheck.session.routine import Routine, RoutineResult, RoutineSettings, plan_of


def run(args: argparse.Namespace) -> ExitStatus:
    lang = prepare(None, args.camera, {"--json": args.json}, args.lang, args.model)
    plan = plan_of(args.parts)
    settings = RoutineSettings(args.reps, args.hold, args.balance_target, args.check_seconds, args.instruction_seconds, args.height_cm)
    out = sys.stdout
    with Live(args.camera, args.model, "routine", args.no_window, args.mute) as live:
        result = RoutineResult(live.label, dt.datetime.now().astimezone(), lang)
        say(tr(lang, "routine.intro"), out)
        try:
            Routine(live, settings, lang, out).run(plan, result)
        except KeyboardInterrupt:  # between parts (a part's own loop reports it as its outcome)
            result.ended = "interrupted"
        reached = live.duration_s
    say(result.summary(), out)
    data = result.to_json()
    if result.ended == "interrupted":
        data.update(interrupted=True, reached_s=round(reached, 2))
    failed = write_outputs([lambda: write_json(data, args.json)] if args.json else [])
    if not args.no_log:
        _log(result)
    if failed is not None:
        raise failed
    return ended_status(result.ended) or ExitStatus.OK


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
        say(f"posecheck: warning: the routine was not added to the training log ({error})")
