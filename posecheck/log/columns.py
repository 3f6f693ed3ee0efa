"""What the training log keeps of each kind of report, as column values of its table.

Reports come from JSON-like dicts (a rises, check or balance report); any key
may be missing, null or junk, and is stored as NULL then.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable, Mapping


def _number(value: Any) -> float | None:
    """A finite float, or None for missing, null or junk values."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _mean(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def rises_columns(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the log keeps of a rises report (see posecheck.report.rises), as column values."""
    reps = [rep for rep in report.get("reps") or [] if isinstance(rep, Mapping)]
    hold_times = [_number(rep.get("hold_s")) for rep in reps]
    measured_holds = [hold for hold in hold_times if hold is not None]
    count = _integer(report.get("count"))
    rounds = [int(n) for n in report.get("rounds") or [] if _integer(n) is not None]
    return {
        "reps": count if count is not None else len(reps),
        "partial": _integer(report.get("partial")),
        "rounds": json.dumps(rounds),
        "holds": len(measured_holds),
        "holds_ok": sum(1 for rep in reps if rep.get("hold_ok") is True),
        "target_hold_s": _number(report.get("target_hold_s")),
        "avg_hold_s": _mean(measured_holds),
        "avg_lift": _mean(_number(rep.get("peak_lift")) for rep in reps),
        "left_share": _mean(_number(rep.get("left_share")) for rep in reps),
    }


def check_columns(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the log keeps of a barefoot-check report, as column values."""
    feet = report.get("feet") or {}
    left = feet.get("left") or {}
    right = feet.get("right") or {}
    return {
        "weight_left_pct": _number(report.get("weight_left_pct")),
        "left_tilt": left.get("tilt"),
        "left_roll_deg": _number(left.get("roll_deg")),
        "right_tilt": right.get("tilt"),
        "right_roll_deg": _number(right.get("roll_deg")),
        "shoulder_tilt_deg": _number(report.get("shoulder_tilt_deg")),
        "pelvis_tilt_deg": _number(report.get("pelvis_tilt_deg")),
    }


def balance_columns(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the log keeps of a single-leg balance report, as column values."""
    stand_on = report.get("stand_on")
    return {
        "stand_on": stand_on if stand_on in ("left", "right") else None,
        "hold_s": _number(report.get("hold_s")),
        "sway_cm": _number(report.get("sway_cm")),
    }
