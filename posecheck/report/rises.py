"""The rises report: what a session counted, as JSON, CSV and a readable summary."""

from __future__ import annotations

import dataclasses
import pathlib

from posecheck.detect.rises import Blocked, RiseCounter, Sample
from posecheck.detect.stance import majority
from posecheck.report.files import number, write_csv
from posecheck.report.texts import stance_label, tr

# Warn when a condition affects at least this share of the frames.
WARN_SHARE = 0.10

# Their words are in the text table (report/texts_*.py) as "rises.warn.<reason>".
BLOCKED_WARNINGS = [Blocked.NO_PERSON, Blocked.BODY_HIDDEN, Blocked.FEET_HIDDEN, Blocked.KNEES_BENT, Blocked.FOOT_LIFTED,
                    Blocked.TRUNK_BENT, Blocked.CAMERA_MOVED]


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
        """Whether the person was ever seen standing well enough to count (even if the standing level was lost again since)."""
        return getattr(self.counter, "seen_standing", False) or self.counter.phase.value != "ready"



    @property
    def warnings(self) -> list[str]:
        """In English, as the JSON keeps them."""
        return self.warnings_in("en")

    def warnings_in(self, lang: str) -> list[str]:
        c = self.counter
        frames = max(c.frames, 1)
        warnings = []
        for reason in BLOCKED_WARNINGS:
            share = c.blocked_frames.get(reason, 0) / frames
            if share >= WARN_SHARE or (reason == Blocked.NO_PERSON and c.blocked_frames.get(reason, 0) == frames):
                warnings.append(tr(lang, f"rises.warn.{reason.value}", pct=round(100 * share)))
        if not self.usable:
            warnings.append(tr(lang, "rises.warn.nothing"))
        if c.crowded_frames / frames >= WARN_SHARE:
            warnings.append(tr(lang, "rises.warn.people", pct=round(100 * c.crowded_frames / frames)))
        if c.one_foot:
            warnings.append(tr(lang, "rises.warn.one_foot", n=len(c.one_foot)))
        if c.aborted:
            warnings.append(tr(lang, "rises.warn.aborted", n=c.aborted))
        short = sum(1 for rep in c.reps if not rep.hold_ok)
        if short:
            warnings.append(tr(lang, "rises.warn.short", n=short, target=self.target_hold_s))
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
            "rejected_by_reason": c.rejected_by_reason(),
            "rejected": [rep.to_json() for rep in c.rejected],
            "warnings": self.warnings,
        }

    def summary(self, lang: str = "en") -> str:
        c = self.counter
        lines = [tr(lang, "rises.report.title_one" if self.count == 1 else "rises.report.title", source=self.source, n=self.count)]
        if c.reps:
            rounds = self.rounds
            if len(rounds) > 1:
                lines[0] += tr(lang, "rises.report.rounds", n=len(rounds), per_round=" + ".join(map(str, rounds)))
            ok = sum(rep.hold_ok for rep in c.reps)
            lines.append(tr(lang, "rises.report.holds", ok=ok, n=len(c.reps), target=self.target_hold_s))
            cm = tr(lang, "rises.report.header_cm") if c.reps[0].peak_lift_cm is not None else ""
            lines.append(tr(lang, "rises.report.header", cm=cm))
            for i, rep in enumerate(c.reps, 1):
                cm = f"  {rep.peak_lift_cm:5.1f}" if rep.peak_lift_cm is not None else ""
                feet = f"{rep.feet[0]:5.3f}/{rep.feet[1]:5.3f}" if rep.feet is not None else "-".center(11)
                flag = "" if rep.hold_ok else "  " + tr(lang, "rises.report.short_hold")
                stance = f"   {stance_label(rep.stance, lang):<10s}"
                lines.append(f"{i:3d}  {rep.round:5d}  {clock(rep.start_s)}  {rep.hold_s:4.1f} s  {rep.peak_lift:5.3f}{cm}   {feet}{stance}{flag}")
        if c.partials:
            lines.append(tr(lang, "rises.report.partials", n=len(c.partials)))
        if c.rejected:
            reasons = ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in c.rejected_by_reason().items())
            lines.append(tr(lang, "rises.report.rejected", n=len(c.rejected), reasons=reasons))
            lines += [tr(lang, "rises.report.rejected_at", clock=clock(rep.top_s).strip(), why=tr(lang, f"reason.{rep.reason.value}"))
                      for rep in c.rejected]
        for warning in self.warnings_in(lang):
            lines.append(tr(lang, "rises.report.warning", text=warning))
        return "\n".join(lines)


def clock(seconds: float) -> str:
    minutes, secs = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes):2d}:{secs:04.1f}"


def write_samples_csv(samples: list[Sample], path: str | pathlib.Path, counter: RiseCounter | None = None) -> None:
    """Every frame's rise signals, and what the excursion it belongs to became: "rep 3", "partial", or why it was not counted."""
    spans = excursions(counter) if counter is not None else []

    def excursion(t: float) -> str:
        return next((label for start, end, label in spans if start <= t <= end), "")

    rows = ([f"{s.t:.3f}", s.phase.value, number(s.lift), number(s.foot_left), number(s.foot_right), s.blocked.value if s.blocked else "",
             s.stale.value if s.stale else "", excursion(s.t)] for s in samples)
    write_csv(path, ["t_s", "phase", "lift", "foot_left", "foot_right", "blocked", "stale_after", "excursion"], rows)


def excursions(counter: RiseCounter) -> list[tuple[float, float, str]]:
    """(start, end, label) of every excursion: "rep N", "partial", or the reason it was not counted."""
    spans = [(rep.start_s, rep.end_s, f"rep {n}") for n, rep in enumerate(counter.reps, 1)]
    spans += [(rep.start_s, rep.end_s, "partial") for rep in counter.partials]
    spans += [(rep.start_s, rep.end_s, rep.reason.value) for rep in counter.rejected]
    return sorted(spans)
