"""`posecheck balance`: the single-leg stand ("Zehenstand auf einem Bein"), live from the camera or from a video.

Finds when one foot leaves the floor, says which leg stands, whether its heel
is raised (tiptoe) and how long the stand lasts, and measures the sway (see
`posecheck.detect.balance`), with the `BalanceSession` in the one frame loop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from posecheck.cli.common import finish, load_or_extract, prepare
from posecheck.detect.balance import BalanceConfig
from posecheck.errors import ExitStatus
from posecheck.log.store import TrainingLog
from posecheck.report.files import number, write_csv
from posecheck.report.texts import tr
from posecheck.session import loop
from posecheck.session.balance import BalanceSession
from posecheck.session.live import Live
from posecheck.session.loop import replayed


def config_from(args: argparse.Namespace):
    return BalanceConfig(height_cm=args.height_cm, hold_target_s=args.target, min_stand_s=args.min_stand)


def run(args: argparse.Namespace) -> ExitStatus:
    outputs = {"--json": args.json, "--csv": args.csv, "--save-landmarks": args.save_landmarks}
    lang = prepare(args.video, args.camera, outputs, args.lang, args.model)
    if args.video:
        return run_file(args, lang)
    return run_live(args, lang)


def run_file(args: argparse.Namespace, lang: str) -> ExitStatus:
    series = load_or_extract(args.video, args.model, not args.no_progress)
    outputs = []  # written after the summary, so that one failing costs nothing else
    if args.save_landmarks and not str(args.video).lower().endswith(".npz"):
        outputs.append(lambda: series.save(args.save_landmarks))
    session, outcome = analyse_series(series, config_from(args), lang)
    if args.csv:
        outputs.append(lambda: write_samples_csv(session.samples, args.csv))
    report = session.report(str(args.video), series.duration_s)
    return finish(report, outcome, args.json, None if args.no_log else log_stands, nothing="nothing was measured",
                  also=outputs, cut_short=series.interrupted, lang=lang)


def analyse_series(series, config, lang: str = "en"):
    """The balance session over a saved series, as live mode would run it; and how the loop ended."""
    session = BalanceSession(config, lang)
    outcome = loop.run(replayed(series), session)
    session.finish()
    return session, outcome


def run_live(args: argparse.Namespace, lang: str) -> ExitStatus:
    started_at = dt.datetime.now().astimezone()
    session = BalanceSession(config_from(args), lang)
    with Live(args.camera, args.model, "balance", args.no_window, args.mute) as live:
        if live.window is None:
            print(tr(lang, "balance.line.start", source=live.label, stop="Ctrl-C"), file=sys.stderr, flush=True)
        outcome = live.run(session)
    report = session.report(live.label, live.duration_s)
    log = None if args.no_log else (lambda report: log_stands(report, started_at))
    return finish(report, outcome, args.json, log, tr(lang, "line.camera_failed"), nothing="nothing was measured", lang=lang)


def log_entries(report) -> list[dict]:
    """What the training log keeps: the longest stand on each leg, as `TrainingLog.add_balance` takes it."""
    entries = []
    for side in ("left", "right"):
        best = report.best(side)
        if best is not None:
            entries.append({
                "source": report.source, "stand_on": side, "hold_s": round(best.hold_s, 2),
                "sway_cm": None if best.sway_cm is None else round(best.sway_cm, 1), "on_tiptoe": best.on_tiptoe,
            })
    return entries


def log_stands(report, started_at=None) -> int:
    entries = log_entries(report)
    with TrainingLog.open() as log:
        for entry in entries:
            log.add_balance(entry, started_at=started_at)
    return len(entries)


def write_samples_csv(samples, path) -> None:
    rows = ([f"{s.t:.3f}", s.phase.value, number(s.lift), number(s.tiptoe), number(s.sway_x), s.stand_on or ""] for s in samples)
    write_csv(path, ["t_s", "phase", "lift", "tiptoe", "sway_x", "stand_on"], rows)
