"""The rise signals over time, with what was counted and why: `posecheck rises VIDEO --plot PATH.png`.

One picture a physiotherapist can read at a glance: the trunk's lift and each
foot's lift (heel and ankle over the toes) against standing; every counted rep
with its hold against the target; partial rises; every excursion that was not
counted, labelled with its reason; and below, the frames that could not be
used and the stretches where the standing level was stale. matplotlib is
imported only here, when a plot is asked for.
"""

from __future__ import annotations

import io
import pathlib
from typing import Sequence

import numpy as np

from posecheck.detect.rise_shape import Reason
from posecheck.detect.rises import Blocked, RiseConfig, RiseCounter, Sample
from posecheck.media.atomic import write_bytes

COUNTED, SHORT, PARTIAL, REJECTED, TRUTH = "#2ca02c", "#ff7f0e", "#9467bd", "#7f7f7f", "#1f77b4"
# The frames that could not be used, by what was in the way.
BLOCKED_COLOURS = {
    Blocked.NO_PERSON: "#bdbdbd", Blocked.BODY_HIDDEN: "#969696", Blocked.FEET_HIDDEN: "#737373",
    Blocked.KNEES_BENT: "#d62728", Blocked.FOOT_LIFTED: "#e377c2", Blocked.FEET_MOVED: "#8c564b",
    Blocked.TRUNK_BENT: "#bcbd22", Blocked.CAMERA_MOVED: "#17becf",
}


def draw_rises(path: str | pathlib.Path, samples: Sequence[Sample], counter: RiseCounter, config: RiseConfig, title: str,
               truth: Sequence[tuple[float, float]] = ()) -> None:
    """Draw the signals and the verdicts to `path` (.png, .pdf or .svg). `truth`: (top, lower) of the true holds, if known."""
    import matplotlib

    matplotlib.use("Agg")  # files only: works without a display
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    t = np.array([s.t for s in samples], float)
    fig, (ax, band) = plt.subplots(2, 1, figsize=(14, 5.2), sharex=True, gridspec_kw={"height_ratios": [7, 1.2]})
    ax.plot(t, [s.foot_left for s in samples], color="#6baed6", lw=0.9, label="left foot: heel and ankle over the toes")
    ax.plot(t, [s.foot_right for s in samples], color="#fd8d3c", lw=0.9, label="right foot: heel and ankle over the toes")
    ax.plot(t, [s.lift for s in samples], color="black", lw=1.5, label="trunk (shoulders and hips)")
    for level, style, name, side in ((config.full_lift, "--", "counts from", "bottom"), (config.partial_lift, ":", "partial from", "top")):
        ax.axhline(level, color="#555555", ls=style, lw=0.8)
        ax.annotate(f"{name} {level:.3f}", (0, level), xycoords=("axes fraction", "data"), fontsize=7, color="#555555",
                    va=side, xytext=(3, 1 if side == "bottom" else -1), textcoords="offset points")
    for top, lower in truth:
        ax.axvspan(top, lower, color=TRUTH, alpha=0.10, lw=0)
    top_y = _top(samples, config)
    for number, rep in enumerate(counter.reps, 1):
        colour = COUNTED if rep.hold_ok else SHORT
        ax.axvspan(rep.start_s, rep.end_s, color=colour, alpha=0.12, lw=0)
        ax.plot([rep.top_s, rep.lower_s], [top_y * 1.02] * 2, color=colour, lw=4, solid_capstyle="butt")  # the hold
        ax.text((rep.start_s + rep.end_s) / 2, top_y * 1.08, f"#{number}\n{rep.hold_s:.1f}/{config.hold_target_s:g} s", ha="center",
                va="bottom", fontsize=8, color=colour, fontweight="bold")
    for rep in counter.partials:
        _mark(ax, rep, PARTIAL, "partial", top_y)
    for rep in counter.rejected:
        _mark(ax, rep, REJECTED, (rep.reason or Reason.HEELS).value.replace("_", " "), top_y, hatch="///")
    ax.set_ylim(min(-0.02, _low(samples)), top_y * 1.35)
    if len(t):
        ax.set_xlim(t[0], t[-1])
    ax.set_ylabel("lift over standing (leg lengths)")
    ax.set_title(f"{title}\n{_headline(counter, config)}", fontsize=10)
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(color=COUNTED, alpha=0.4, label=f"counted: bar = hold, reached {config.hold_target_s:g} s"),
                Patch(color=SHORT, alpha=0.4, label="counted, short hold"), Patch(color=PARTIAL, alpha=0.3, label="partial: too low"),
                Patch(facecolor="white", edgecolor=REJECTED, hatch="///", label="not counted: why")]
    if truth:
        handles.append(Patch(color=TRUTH, alpha=0.2, label="true holds"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7, frameon=False)
    ax.grid(alpha=0.25)
    _band(band, samples, t)
    fig.tight_layout()
    picture = io.BytesIO()
    fig.savefig(picture, format=pathlib.Path(path).suffix.lstrip(".").lower() or "png", dpi=90)
    plt.close(fig)
    write_bytes(path, picture.getvalue())  # whole or not at all


def _mark(ax, rep, colour: str, label: str, top_y: float, hatch: str | None = None) -> None:
    ax.axvspan(rep.start_s, max(rep.end_s, rep.start_s + 0.05), facecolor=colour if hatch is None else "none", alpha=0.15 if hatch is None else 0.5,
               edgecolor=colour, hatch=hatch, lw=0)
    ax.text((rep.start_s + rep.end_s) / 2, top_y * 0.9, label, ha="center", va="top", fontsize=8, color=colour, rotation=90 if hatch else 0)


def _band(band, samples: Sequence[Sample], t: np.ndarray) -> None:
    """Below: frames that could not be used (upper row) and a stale standing level (lower row)."""
    from matplotlib.patches import Patch

    if len(t) > 1:
        edges = np.append(t, t[-1] + (t[-1] - t[-2]))
        for k, sample in enumerate(samples):
            if sample.blocked is not None:
                band.axvspan(edges[k], edges[k + 1], ymin=0.5, ymax=1.0, color=BLOCKED_COLOURS[sample.blocked], lw=0)
            if sample.stale is not None or sample.phase.value == "ready":
                band.axvspan(edges[k], edges[k + 1], ymin=0.0, ymax=0.45, color="#fdd0a2" if sample.stale else "#dddddd", lw=0)
    seen = {s.blocked for s in samples if s.blocked is not None}
    handles = [Patch(color=BLOCKED_COLOURS[b], label=b.value.replace("_", " ")) for b in Blocked if b in seen]
    handles += [Patch(color="#dddddd", label="learning the standing level"), Patch(color="#fdd0a2", label="standing level stale")]
    band.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.005, 1.3), fontsize=6, frameon=False, ncol=2)
    band.set_yticks([0.22, 0.75], ["standing", "unusable"], fontsize=7)
    band.set_ylim(0, 1)
    band.set_xlabel("seconds")


def _headline(counter: RiseCounter, config: RiseConfig) -> str:
    ok = sum(rep.hold_ok for rep in counter.reps)
    line = f"{counter.count} counted ({ok} held {config.hold_target_s:g} s), {len(counter.partials)} partial"
    reasons = counter.rejected_by_reason()
    if reasons:
        line += ", not counted: " + ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in reasons.items())
    return line


def _top(samples: Sequence[Sample], config: RiseConfig) -> float:
    lifts = np.array([s.lift for s in samples], float)
    finite = lifts[np.isfinite(lifts)]
    return float(max(np.quantile(finite, 0.995) if len(finite) else 0.0, config.full_lift * 2))


def _low(samples: Sequence[Sample]) -> float:
    values = np.array([[s.lift, s.foot_left, s.foot_right] for s in samples], float)
    finite = values[np.isfinite(values)]
    return float(np.quantile(finite, 0.005)) if len(finite) else 0.0
