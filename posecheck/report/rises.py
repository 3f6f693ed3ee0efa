"""The rises report: what a session counted, as JSON, CSV and a readable summary."""

from __future__ import annotations

import dataclasses
import pathlib

from posecheck.detect.rises import Blocked, RiseCounter, Sample
from posecheck.detect.stance import majority
from posecheck.report.files import number, write_csv

# Warn when a condition affects at least this share of the frames.
WARN_SHARE = 0.10

BLOCKED_WARNINGS = {
    Blocked.NO_PERSON: "no person in view for {pct}% of the video",
    Blocked.BODY_HIDDEN: "body not fully visible for {pct}% of the video (step back so head to feet are in view)",
    Blocked.FEET_HIDDEN: "feet not visible for {pct}% of the video (step back or tilt the camera down)",
    Blocked.KNEES_BENT: "knees bent (squats or dips) for {pct}% of the video; these are not rises",
    Blocked.FOOT_LIFTED: "one foot off the floor for {pct}% of the video; single-leg stands are not counted as rises",
}


@dataclasses.dataclass
class RiseReport:
    source: str
    duration_s: float
    target_hold_s: float
    counter: RiseCounter

    @property
    def count(self) -> int:
        return self.counter.count

    @property
    def rounds(self) -> list[int]:
        rounds: list[int] = []
        for rep in self.counter.reps:
            while len(rounds) < rep.round:
                rounds.append(0)
            rounds[rep.round - 1] += 1
        return rounds

    @property
    def rounds_stance(self) -> list[str | None]:
        """The stance variant of each round: the most frequent among its reps (see posecheck.stance)."""
        return [majority(rep.stance for rep in self.counter.reps if rep.round == n) for n in range(1, len(self.rounds) + 1)]

    @property
    def usable(self) -> bool:
        """Whether the person was ever seen well enough to count."""
        return self.counter.phase.value != "ready"

    @property
    def warnings(self) -> list[str]:
        c = self.counter
        frames = max(c.frames, 1)
        warnings = []
        for reason, text in BLOCKED_WARNINGS.items():
            share = c.blocked_frames.get(reason, 0) / frames
            if share >= WARN_SHARE or (reason == Blocked.NO_PERSON and c.blocked_frames.get(reason, 0) == frames):
                warnings.append(text.format(pct=round(100 * share)))
        if not self.usable:
            warnings.append("no whole person was seen standing still for a second; nothing could be counted")
        if c.crowded_frames / frames >= WARN_SHARE:
            warnings.append(f"more than one person in view for {round(100 * c.crowded_frames / frames)}% of the video; the nearest was tracked")
        if c.one_foot:
            warnings.append(f"{len(c.one_foot)} one-heel raise(s) not counted: lift both heels together")
        if c.aborted:
            warnings.append(f"{c.aborted} rise(s) interrupted (body out of view, knees bent or a foot lifted) and not counted")
        short = sum(1 for rep in c.reps if not rep.hold_ok)
        if short:
            warnings.append(f"{short} hold(s) shorter than the {self.target_hold_s:g} s target")
        return warnings

    def to_json(self) -> dict:
        c = self.counter
        holds = [rep.hold_s for rep in c.reps]
        return {
            "source": self.source,
            "duration_s": round(self.duration_s, 2),
            "count": self.count,
            "rounds": self.rounds,
            "rounds_stance": self.rounds_stance,
            "partial": len(c.partials),
            "one_foot": len(c.one_foot),
            "target_hold_s": self.target_hold_s,
            "holds_ok": sum(rep.hold_ok for rep in c.reps),
            "average_hold_s": round(sum(holds) / len(holds), 2) if holds else None,
            "reps": [rep.to_json() for rep in c.reps],
            "partials": [rep.to_json() for rep in c.partials],
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        c = self.counter
        lines = [f"{self.source}: {self.count} rise{'s' if self.count != 1 else ''}"]
        if c.reps:
            rounds = self.rounds
            if len(rounds) > 1:
                lines[0] += f" in {len(rounds)} rounds ({' + '.join(map(str, rounds))})"
            ok = sum(rep.hold_ok for rep in c.reps)
            lines.append(f"holds: {ok} of {len(c.reps)} reached {self.target_hold_s:g} s")
            lines.append("  #  round   start    hold   lift" + ("   (cm)" if c.reps[0].peak_lift_cm is not None else "") + "   left/right   stance")
            for i, rep in enumerate(c.reps, 1):
                cm = f"  {rep.peak_lift_cm:5.1f}" if rep.peak_lift_cm is not None else ""
                share = f"{100 * rep.left_share:3.0f}/{100 - 100 * rep.left_share:3.0f}" if rep.left_share is not None else "   -   "
                flag = "" if rep.hold_ok else "  short hold"
                stance = f"   {(rep.stance or '-').replace('_', ' '):<10s}"
                lines.append(f"{i:3d}  {rep.round:5d}  {clock(rep.start_s)}  {rep.hold_s:4.1f} s  {rep.peak_lift:5.3f}{cm}   {share}{stance}{flag}")
        if c.partials:
            lines.append(f"partial rises (too low to count): {len(c.partials)}")
        for warning in self.warnings:
            lines.append(f"warning: {warning}")
        return "\n".join(lines)


def clock(seconds: float) -> str:
    minutes, secs = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes):2d}:{secs:04.1f}"


def write_samples_csv(samples: list[Sample], path: str | pathlib.Path) -> None:
    """Every frame's rise signals."""
    rows = ([f"{s.t:.3f}", s.phase.value, number(s.lift), number(s.ankle_left), number(s.ankle_right), s.blocked.value if s.blocked else ""]
            for s in samples)
    write_csv(path, ["t_s", "phase", "lift", "ankle_left", "ankle_right", "blocked"], rows)
