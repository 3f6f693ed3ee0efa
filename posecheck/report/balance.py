"""The single-leg stand report: what the detector found, as JSON (for the log) and a readable summary.

The words are in `posecheck.report.texts` under "balance.report." and "balance.warn."; the
JSON's warnings are always in English (the training log keeps them).
"""

from __future__ import annotations

import dataclasses

from posecheck.detect.balance import BalanceDetector, BalancePhase, Stand
from posecheck.report.rises import clock
from posecheck.report.texts import tr

WARN_SHARE = 0.10  # warn when a condition affects at least this share of the frames
SURE_OF_SIDES_SHARE = 0.5  # below this share of a stand's frames the feet were told apart by MediaPipe's label


@dataclasses.dataclass
class BalanceReport:
    source: str
    duration_s: float
    detector: BalanceDetector

    @property
    def stands(self) -> list[Stand]:
        return self.detector.stands

    @property
    def usable(self) -> bool:
        return self.detector.phase != BalancePhase.WAITING or bool(self.stands)

    def best(self, side: str | None = None) -> Stand | None:
        """The longest stand (on `side`, if given)."""
        stands = [s for s in self.stands if side is None or s.stand_on == side]
        return max(stands, key=lambda s: s.hold_s) if stands else None

    def warnings(self, lang: str = "en") -> list[str]:
        d = self.detector
        frames = max(d.frames, 1)
        warnings = []
        if d.unusable_frames / frames >= WARN_SHARE:
            warnings.append(tr(lang, "balance.warn.hidden", pct=round(100 * d.unusable_frames / frames)))
        if d.crowded_frames / frames >= WARN_SHARE:
            warnings.append(tr(lang, "balance.warn.people", pct=round(100 * d.crowded_frames / frames)))
        if self.usable and not self.stands:
            warnings.append(tr(lang, "balance.warn.no_stand", s=d.config.min_stand_s))
        for stand in self.stands:
            if stand.sides_sure_share < SURE_OF_SIDES_SHARE:
                warnings.append(tr(lang, "balance.warn.sides", t=stand.foot_off_s))
        if not self.usable:
            warnings.append(tr(lang, "balance.warn.nobody"))
        return warnings

    def to_json(self) -> dict:
        """The report; its top level (the longest stand) is what the training log keeps."""
        best = self.best()
        return {
            "source": self.source,
            "duration_s": round(self.duration_s, 2),
            "stand_on": best.stand_on if best else None,
            "hold_s": round(best.hold_s, 2) if best else None,
            "sway": None if best is None or best.sway is None else round(best.sway, 4),
            "sway_cm": None if best is None or best.sway_cm is None else round(best.sway_cm, 1),
            "on_tiptoe": best.on_tiptoe if best else None,
            "stands": [stand.to_json() for stand in self.stands],
            "per_side": {side: self._side_json(side) for side in ("left", "right")},
            "steps": self.detector.steps,
            "height_cm": self.detector.config.height_cm,
            "warnings": self.warnings("en"),
        }

    def _side_json(self, side: str) -> dict | None:
        best = self.best(side)
        if best is None:
            return None
        return {"stands": sum(1 for s in self.stands if s.stand_on == side), "longest_hold_s": round(best.hold_s, 2),
                "sway_cm": None if best.sway_cm is None else round(best.sway_cm, 1), "on_tiptoe": best.on_tiptoe}

    def summary(self, lang: str = "en") -> str:
        n = len(self.stands)
        lines = [tr(lang, "balance.report.title_one" if n == 1 else "balance.report.title", source=self.source, n=n)]
        if self.stands:
            cm = self.detector.config.height_cm is not None
            lines.append(tr(lang, "balance.report.header") + (tr(lang, "balance.report.header_cm") if cm else ""))
            for i, s in enumerate(self.stands, 1):
                if s.on_tiptoe is None:
                    tip = "   ?    "
                else:
                    tip = f"{s.tiptoe_s:4.1f} s  " if s.on_tiptoe else f"{tr(lang, 'balance.report.flat'):<8s}"
                sway = f"{s.sway:.3f}" if s.sway is not None else "  -  "
                sway_cm = f"  {s.sway_cm:4.1f}" if s.sway_cm is not None else ("     -" if cm else "")
                leg = tr(lang, f"balance.report.{s.stand_on}")
                lines.append(
                    f"{i:3d}  {leg:<6s} {clock(s.foot_off_s)}  {clock(s.foot_down_s)}  {s.hold_s:5.1f} s    "
                    f"{s.settled_to_s - s.settled_from_s:5.1f} s   {tip}   {sway}{sway_cm}"
                )
            lines.append(tr(lang, "balance.report.legend_cm" if cm else "balance.report.legend"))
        for warning in self.warnings(lang):
            lines.append(tr(lang, "balance.report.warning", text=warning))
        return "\n".join(lines)
