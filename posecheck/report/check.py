"""The barefoot check in words: the verdict, one statement a line, and the refusals."""

from __future__ import annotations

from posecheck.report.texts import number, tr

ROLL_LIMIT_TEXT = 7  # shown when a "level" refusal comes without its numbers (posecheck.detect.level.ROLL_LIMIT_DEG)


def refusal_message(lang: str, reason: str, roll: float | None = None, limit: float = ROLL_LIMIT_TEXT) -> str:
    """The one line of a refusal; "level" says the camera's roll when it is given."""
    if reason != "level":
        return tr(lang, "check.refuse_" + reason)
    return tr(lang, "check.refuse_level", roll=("> " if roll is None else "") + number(lang, limit if roll is None else roll, 0),
              limit=number(lang, limit, 0))


def weight_line(result, lang: str) -> str:
    """The weight share with its +- and band, or why there is none."""
    n = lambda value, digits=0: number(lang, value, digits)
    weight = result.weight
    lifted = [side for side, foot in result.feet.items() if foot.lifted]
    if len(lifted) == 1:
        stance_side = "right" if lifted[0] == "left" else "left"
        return tr(lang, "check.single_leg", side=tr(lang, f"check.{stance_side}"), side_leg=tr(lang, f"check.leg.{stance_side}"))
    if weight.left_pct is None:
        return tr(lang, "check.no_share", why=tr(lang, "check.no_share_" + weight.note))
    share = dict(left=n(weight.left_pct), right=n(100.0 - weight.left_pct), unc=n(weight.uncertainty_pct))
    if weight.band is None:  # why: a narrow stance, the camera's roll, or simply near the 41/59 line
        key = {"spread_stance": "check.weight_no_band", "spread_roll": "check.weight_no_band_level"}.get(weight.note,
                                                                                                      "check.weight_near_line")
        return tr(lang, key, **share)
    heavier = "left" if weight.left_pct > 50 else "right"
    return tr(lang, "check.weight_unc", band=tr(lang, "check.band_" + weight.band, side=tr(lang, f"check.{heavier}")), **share)


def plumb_line(result, lang: str) -> str:
    level = result.level
    if level.source == "assumed":
        return tr(lang, "check.plumb_assumed")
    return tr(lang, "check.plumb", roll=number(lang, level.roll_deg, 1, signed=True), sd=number(lang, level.sd_deg, 1),
              source=tr(lang, "check.plumb_source." + level.source))


def verdict_lines(result, lang: str) -> list[str]:
    """The plain-language verdict, one statement a line."""
    n = lambda value, digits=1: number(lang, value, digits)
    side_word = lambda side: tr(lang, f"check.{side}")
    lines = [tr(lang, "check.title"), weight_line(result, lang)]
    for side in ("left", "right"):
        foot = result.feet[side]
        Side = tr(lang, f"check.{side.capitalize()}")
        if foot.lifted:
            lines.append(tr(lang, "check.foot_lifted", Side=Side))
        elif foot.tilt == "covered":
            lines.append(tr(lang, "check.foot_covered", Side=Side))
        elif foot.tilt == "unknown":
            lines.append(tr(lang, "check.foot_unknown" if foot.footwear == "unread" else "check.foot_not_bare", Side=Side))
        else:
            key = {"inward": "check.foot_inward", "outward": "check.foot_outward"}.get(foot.tilt, "check.foot_neutral")
            roll = abs(foot.roll_deg) if foot.tilt in ("inward", "outward") else foot.roll_deg
            lines.append(tr(lang, key, Side=Side, roll=number(lang, roll, 0, signed=foot.tilt == "neutral"), unc=n(foot.roll_uncertainty_deg, 0)))
        if foot.lifted:
            continue  # a lifted leg's knee angle and toe-out say nothing about standing
        knee = "check.knee_valgus" if foot.fppa_deg >= 5 else "check.knee_varus" if foot.fppa_deg <= -5 else "check.knee_straight"
        lines.append(tr(lang, "check.foot_detail", fppa=number(lang, foot.fppa_deg, 0, signed=True), knee=tr(lang, knee),
                        toe=number(lang, foot.toe_out_deg, 0)))
    for key, value in (("shoulders", result.shoulder_tilt_deg), ("pelvis", result.pelvis_tilt_deg)):
        if abs(value) < 1.0:
            text = tr(lang, "check.level", deg=number(lang, value, 1, signed=True))
        else:
            side = "left" if value > 0 else "right"
            word = tr(lang, f"check.adverb.{side}")
            text = tr(lang, "check.higher", side=word, deg=n(abs(value)))
        lines.append(tr(lang, f"check.{key}", text=text))

    def shift(cm: float) -> str:
        if abs(cm) < 0.5:
            return tr(lang, "check.shift_centre")
        side = "left" if cm > 0 else "right"
        return tr(lang, "check.shift_value", cm=n(abs(cm)), side=tr(lang, f"check.adverb.{side}"))

    lines.append(plumb_line(result, lang))
    lines.append(tr(lang, "check.shift", head=shift(result.head_shift_cm), trunk=shift(result.trunk_shift_cm)))
    if result.stance.type == "single leg":
        lines.append(tr(lang, "check.stance_single"))
    else:
        kinds = [tr(lang, "check.stance_" + part.strip()) for part in result.stance.type.split(",")]
        lines.append(tr(lang, "check.stance", width=n(result.stance.width_cm, 0), hip=n(result.stance.hip_width_cm, 0), type=", ".join(kinds)))
    q = result.quality
    if not q.frontal_enough:
        lines.append(tr(lang, "check.warn_frontal", yaw=n(abs(q.yaw_deg), 0)))
    if q.frames_used < q.frames_total:
        lines.append(tr(lang, "check.warn_still", moved=q.frames_total - q.frames_used, total=q.frames_total))
    if q.people > 1:
        lines.append(tr(lang, "check.warn_people", people=q.people))
    lines.append(tr(lang, "check.measured"))
    lines.append(tr(lang, "check.scale_note", height=n(result.stature_m * 100, 0)))
    return lines
