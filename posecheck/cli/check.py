"""`posecheck check`: the barefoot check (weight share, foot tilt, posture snapshot) from a standing capture.

Sources: the camera (a countdown, then a few seconds of standing; `--camera N|URL|FILE`),
a still image, or a video clip (`--start`/`--seconds` choose the window, else the
stillest one). Prints a plain-language verdict in English or German, and writes an
annotated picture (`--image`) and the numbers (`--json`) on request.
"""

from __future__ import annotations

import locale
import os
import pathlib
import sys
import time

import numpy as np

from posecheck.errors import ExitStatus, OutputUnwritable, PosecheckError
from posecheck.report.rises import check_writable

# --- messages ----------------------------------------------------------------------------------

MESSAGES = {
    "en": {
        "title": "Barefoot check - a screening estimate from the camera, not a scale and not a diagnosis.",
        "weight": "Weight: left {left} % / right {right} %: {band}.",
        "band_even": "even (within 45/55)",
        "band_slight": "slightly uneven, more on the {side} foot (within 41/59)",
        "band_uneven": "uneven, more on the {side} foot (beyond 41/59, where asymmetry is usually called clinical)",
        "single_leg": "Weight: standing on the {side} leg, so all of it is on the {side} foot.",
        "left": "left", "right": "right",
        "Left": "Left", "Right": "Right",
        "foot_inward": "{Side} foot: rolls inward (pronation), about {roll}° ± {unc}°.",
        "foot_outward": "{Side} foot: rolls outward (supination), about {roll}° ± {unc}°.",
        "foot_neutral": "{Side} foot: no clear tilt (reading {roll}° ± {unc}°).",
        "foot_unknown": "{Side} foot: tilt not read (no picture of the feet).",
        "foot_lifted": "{Side} foot: off the floor.",
        "foot_detail": "   knee alignment (FPPA) {fppa}° {knee}, toe-out {toe}°.",
        "knee_valgus": "(knee inward)", "knee_varus": "(knee outward)", "knee_straight": "(straight)",
        "shoulders": "Shoulders: {text}.",
        "pelvis": "Pelvis: {text}.",
        "level": "level ({deg}°)",
        "higher": "{side} side {deg}° higher",
        "shift": "Against the plumb line between the feet: head {head}, trunk {trunk}.",
        "shift_value": "{cm} cm to the {side}",
        "shift_centre": "centred",
        "stance": "Stance: feet {width} cm apart, hips {hip} cm wide: {type}.",
        "stance_parallel": "parallel, about hip width",
        "stance_wide": "wide",
        "stance_narrow": "narrow",
        "stance_turned out": "turned out",
        "stance_single leg": "single-leg stand",
        "stance_single": "Stance: single-leg stand.",
        "measured": "Measured from the landmarks: weight share, ankle position, knee alignment, toe-out, tilts, shifts. "
                    "Inferred: each foot's roll and tilt, read from the picture of the feet by a model trained on rendered "
                    "feet only; it has not been checked on real feet, whose arch and forefoot move differently. "
                    "Treat the foot tilt as a hint to look closer, not as a finding.",
        "scale_note": "Centimetres assume a height of {height} cm (--height-cm).",
        "warn_frontal": "Note: the body is turned about {yaw}° from the camera, so the frontal-plane angles (foot tilt, knee, "
                        "shoulders, pelvis) are not reliable; face the camera squarely for a better reading.",
        "warn_still": "Note: you moved in {moved} of {total} frames; those were left out.",
        "warn_people": "Note: {people} people in view; the nearest was checked.",
        "countdown": "Stand barefoot, facing the camera, whole body in view. Starting in {n}...",
        "capturing": "Hold still ({seconds:g} s)...",
        "analysing": "Analysing {n} frames...",
        "refuse_nobody": "nobody in view; stand about 3 m in front of the camera with the whole body in the picture",
        "refuse_head": "the head is out of the picture; step back or aim the camera so that head and feet are both visible",
        "refuse_feet": "the feet are out of the picture; step back or aim the camera so that head and feet are both visible",
        "refuse_head+feet": "head and feet are out of the picture; step back until the whole body is visible",
        "refuse_sideways": "the body faces too far sideways; stand facing the camera",
        "refuse_not_standing": "the person does not seem to be standing; stand upright with both feet on the floor",
        "refuse_away": "the body is not seen from the front, or not completely; stand facing the camera with the whole body in the picture",
        "refuse_partial": "no whole body in the picture, only part of one; step back so that head and feet are both visible",
        "refuse_window": "the chosen window lies outside the recording; check --start and --seconds",
        "refuse_moved": "you moved during most of the capture; stand still for the whole capture and try again",
        "both_sources": "give either a file or --camera, not both",
        # picture labels
        "img_title": "Barefoot check",
        "img_weight": "Weight",
        "img_screening": "screening estimate, not a scale",
        "img_in": "in", "img_out": "out", "img_neutral": "no clear tilt", "img_lifted": "lifted", "img_unknown": "tilt ?",
        "img_shoulders": "shoulders", "img_pelvis": "pelvis", "img_plumb": "plumb line",
        "img_head": "head", "img_trunk": "trunk", "img_L": "L", "img_R": "R",
        "img_stance": "stance",
        "img_roll": "roll (inferred)",
    },
    "de": {
        "title": "Barfuß-Check – eine Schätzung aus dem Kamerabild, keine Waage und keine Diagnose.",
        "weight": "Gewicht: links {left} % / rechts {right} %: {band}.",
        "band_even": "gleichmäßig (innerhalb 45/55)",
        "band_slight": "leicht ungleich, mehr auf dem {side} Fuß (innerhalb 41/59)",
        "band_uneven": "ungleich, mehr auf dem {side} Fuß (jenseits 41/59, ab wo man meist von klinischer Asymmetrie spricht)",
        "single_leg": "Gewicht: Stand auf dem {side_leg} Bein, also alles auf dem {side} Fuß.",
        "left": "linken", "right": "rechten",
        "Left": "Linker", "Right": "Rechter",
        "foot_inward": "{Side} Fuß: kippt nach innen (Pronation), etwa {roll}° ± {unc}°.",
        "foot_outward": "{Side} Fuß: kippt nach außen (Supination), etwa {roll}° ± {unc}°.",
        "foot_neutral": "{Side} Fuß: keine deutliche Kippung (Messwert {roll}° ± {unc}°).",
        "foot_unknown": "{Side} Fuß: Kippung nicht gelesen (kein Bild der Füße).",
        "foot_lifted": "{Side} Fuß: nicht am Boden.",
        "foot_detail": "   Knieachse (FPPA) {fppa}° {knee}, Fußöffnung {toe}°.",
        "knee_valgus": "(Knie nach innen)", "knee_varus": "(Knie nach außen)", "knee_straight": "(gerade)",
        "shoulders": "Schultern: {text}.",
        "pelvis": "Becken: {text}.",
        "level": "gerade ({deg}°)",
        "higher": "{side} {deg}° höher",
        "shift": "Zum Lot zwischen den Füßen: Kopf {head}, Rumpf {trunk}.",
        "shift_value": "{cm} cm nach {side}",
        "shift_centre": "mittig",
        "stance": "Stand: Füße {width} cm auseinander, Hüfte {hip} cm breit: {type}.",
        "stance_parallel": "parallel, etwa hüftbreit",
        "stance_wide": "breit",
        "stance_narrow": "eng",
        "stance_turned out": "nach außen gedreht",
        "stance_single leg": "Einbeinstand",
        "stance_single": "Stand: Einbeinstand.",
        "measured": "Gemessen aus den Körperpunkten: Gewichtsverteilung, Lage der Knöchel, Knieachse, Fußöffnung, Schiefstände, "
                    "Verschiebungen. Abgeleitet: Rollwinkel und Kippung jedes Fußes, aus dem Bild der Füße gelesen von einem "
                    "Modell, das nur an gerenderten Füßen trainiert wurde; an echten Füßen, deren Gewölbe und Vorfuß sich "
                    "anders bewegen, ist es nicht geprüft. Die Fußkippung ist ein Hinweis, genauer hinzusehen, kein Befund.",
        "scale_note": "Zentimeter gelten für eine Körpergröße von {height} cm (--height-cm).",
        "warn_frontal": "Hinweis: Der Körper ist etwa {yaw}° von der Kamera weggedreht, daher sind die Winkel in der Frontalebene "
                        "(Fußkippung, Knie, Schultern, Becken) nicht verlässlich; für eine bessere Messung frontal hinstellen.",
        "warn_still": "Hinweis: In {moved} von {total} Bildern hast du dich bewegt; sie wurden weggelassen.",
        "warn_people": "Hinweis: {people} Personen im Bild; geprüft wurde die nächste.",
        "countdown": "Barfuß hinstellen, Gesicht zur Kamera, ganzer Körper im Bild. Start in {n}...",
        "capturing": "Stillhalten ({seconds:g} s)...",
        "analysing": "Werte {n} Bilder aus...",
        "refuse_nobody": "niemand im Bild; stell dich etwa 3 m vor die Kamera, der ganze Körper im Bild",
        "refuse_head": "der Kopf ist nicht im Bild; weiter zurücktreten oder die Kamera so ausrichten, dass Kopf und Füße zu sehen sind",
        "refuse_feet": "die Füße sind nicht im Bild; weiter zurücktreten oder die Kamera so ausrichten, dass Kopf und Füße zu sehen sind",
        "refuse_head+feet": "Kopf und Füße sind nicht im Bild; so weit zurücktreten, dass der ganze Körper zu sehen ist",
        "refuse_sideways": "der Körper ist zu weit seitlich gedreht; stell dich frontal zur Kamera",
        "refuse_not_standing": "die Person scheint nicht zu stehen; aufrecht hinstellen, beide Füße am Boden",
        "refuse_away": "der Körper ist nicht von vorn oder nicht ganz zu sehen; stell dich mit dem Gesicht zur Kamera, der ganze Körper im Bild",
        "refuse_partial": "kein ganzer Körper im Bild, nur ein Teil; so weit zurücktreten, dass Kopf und Füße zu sehen sind",
        "refuse_window": "das gewählte Zeitfenster liegt außerhalb der Aufnahme; --start und --seconds prüfen",
        "refuse_moved": "du hast dich fast die ganze Aufnahme über bewegt; die ganze Zeit stillstehen und noch einmal versuchen",
        "both_sources": "entweder eine Datei oder --camera angeben, nicht beides",
        "img_title": "Barfuß-Check",
        "img_weight": "Gewicht",
        "img_screening": "Schätzung, keine Waage",
        "img_in": "innen", "img_out": "außen", "img_neutral": "unauffällig", "img_lifted": "angehoben", "img_unknown": "Kippung ?",
        "img_shoulders": "Schultern", "img_pelvis": "Becken", "img_plumb": "Lot",
        "img_head": "Kopf", "img_trunk": "Rumpf", "img_L": "L", "img_R": "R",
        "img_stance": "Stand",
        "img_roll": "Rollwinkel (abgeleitet)",
    },
}
# German needs the side as an adverb in a few places.
DE_SIDE_ADVERB = {"left": "links", "right": "rechts"}
DE_SIDE_LEG = {"left": "linken", "right": "rechten"}


def system_language() -> str:
    """'de' when the system locale (or LANG) is German, else 'en'."""
    candidates = []
    try:
        candidates.append(locale.getlocale()[0] or "")
    except ValueError:
        pass
    candidates += [os.environ.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    for value in candidates:
        if value and value not in ("C", "POSIX"):
            return "de" if value.lower().startswith("de") else "en"
    return "en"


def tr(lang: str, key: str, **values) -> str:
    table = MESSAGES.get(lang, MESSAGES["en"])
    text = table.get(key, MESSAGES["en"].get(key, key))
    return text.format(**values) if values else text


def number(lang: str, value: float, digits: int = 1, signed: bool = False) -> str:
    value = round(float(value), digits) + 0.0  # no "-0"
    if value == 0:
        value = 0.0
    text = f"{value:+.{digits}f}" if signed and value != 0 else f"{value:.{digits}f}"
    if lang == "de":
        text = text.replace(".", ",").replace("-", "−")
    return text


def refusal_message(lang: str, reason: str) -> str:
    return tr(lang, "refuse_" + reason)


# --- the verdict -------------------------------------------------------------------------------


def verdict_lines(result, lang: str) -> list[str]:
    """The plain-language verdict, one statement a line."""
    n = lambda value, digits=1: number(lang, value, digits)
    side_word = lambda side: tr(lang, side)
    lines = [tr(lang, "title")]
    lifted = [side for side, foot in result.feet.items() if foot.lifted]
    if len(lifted) == 1:
        stance_side = "right" if lifted[0] == "left" else "left"
        lines.append(tr(lang, "single_leg", side=side_word(stance_side), side_leg=DE_SIDE_LEG[stance_side] if lang == "de" else side_word(stance_side)))
    else:
        heavier = "left" if result.weight_left_pct > 50 else "right"
        band = tr(lang, "band_" + result.weight_band, side=side_word(heavier))
        lines.append(tr(lang, "weight", left=n(result.weight_left_pct, 0), right=n(result.weight_right_pct, 0), band=band))
    for side in ("left", "right"):
        foot = result.feet[side]
        Side = tr(lang, side.capitalize())
        if foot.lifted:
            lines.append(tr(lang, "foot_lifted", Side=Side))
        elif foot.tilt == "unknown":
            lines.append(tr(lang, "foot_unknown", Side=Side))
        else:
            key = {"inward": "foot_inward", "outward": "foot_outward"}.get(foot.tilt, "foot_neutral")
            roll = abs(foot.roll_deg) if foot.tilt in ("inward", "outward") else foot.roll_deg
            lines.append(tr(lang, key, Side=Side, roll=number(lang, roll, 0, signed=foot.tilt == "neutral"), unc=n(foot.roll_uncertainty_deg, 0)))
        if foot.lifted:
            continue  # a lifted leg's knee angle and toe-out say nothing about standing
        knee = "knee_valgus" if foot.fppa_deg >= 5 else "knee_varus" if foot.fppa_deg <= -5 else "knee_straight"
        lines.append(tr(lang, "foot_detail", fppa=number(lang, foot.fppa_deg, 0, signed=True), knee=tr(lang, knee),
                        toe=number(lang, foot.toe_out_deg, 0)))
    for key, value in (("shoulders", result.shoulder_tilt_deg), ("pelvis", result.pelvis_tilt_deg)):
        if abs(value) < 1.0:
            text = tr(lang, "level", deg=number(lang, value, 1, signed=True))
        else:
            side = "left" if value > 0 else "right"
            word = DE_SIDE_ADVERB[side] if lang == "de" else side
            text = tr(lang, "higher", side=word, deg=n(abs(value)))
        lines.append(tr(lang, key, text=text))

    def shift(cm: float) -> str:
        if abs(cm) < 0.5:
            return tr(lang, "shift_centre")
        side = "left" if cm > 0 else "right"
        return tr(lang, "shift_value", cm=n(abs(cm)), side=DE_SIDE_ADVERB[side] if lang == "de" else side)

    lines.append(tr(lang, "shift", head=shift(result.head_shift_cm), trunk=shift(result.trunk_shift_cm)))
    if result.stance.type == "single leg":
        lines.append(tr(lang, "stance_single"))
    else:
        kinds = [tr(lang, "stance_" + part.strip()) for part in result.stance.type.split(",")]
        lines.append(tr(lang, "stance", width=n(result.stance.width_cm, 0), hip=n(result.stance.hip_width_cm, 0), type=", ".join(kinds)))
    q = result.quality
    if not q.frontal_enough:
        lines.append(tr(lang, "warn_frontal", yaw=n(abs(q.yaw_deg), 0)))
    if q.frames_used < q.frames_total:
        lines.append(tr(lang, "warn_still", moved=q.frames_total - q.frames_used, total=q.frames_total))
    if q.people > 1:
        lines.append(tr(lang, "warn_people", people=q.people))
    lines.append(tr(lang, "measured"))
    lines.append(tr(lang, "scale_note", height=n(result.stature_m * 100, 0)))
    return lines


# --- command line --------------------------------------------------------------------------------


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="barefoot check: weight on each foot, foot tilt, posture snapshot",
        description="Barefoot check in front of the camera (the mirror check, automated): how the weight is shared "
                    "between the feet, whether a foot tilts inward or outward, and a posture snapshot. "
                    "A screening estimate, not a scale.",
    )
    parser.add_argument("input", nargs="?", metavar="FILE", help="a still image or a video clip (default: the camera)")
    parser.add_argument("--camera", metavar="N|URL|FILE", help="camera to use (default 0); a video file is played like a camera")
    parser.add_argument("--start", type=float, metavar="S", help="start of the window in a clip, seconds (default: the stillest window)")
    parser.add_argument("--seconds", type=float, default=2.0, metavar="D", help="length of the standing window (default 2)")
    parser.add_argument("--countdown", type=float, default=5.0, metavar="S", help="camera: seconds to get into place (default 5)")
    parser.add_argument("--sex", choices=["female", "male"], help="body segment proportions (default: the average of both)")
    parser.add_argument("--height-cm", type=float, default=170.0, metavar="CM", help="body height for centimetre values (default 170)")
    parser.add_argument("--lang", choices=["en", "de"], help="language of the verdict (default: from the system locale)")
    parser.add_argument("--image", metavar="PATH", help="write an annotated picture (PNG)")
    parser.add_argument("--json", metavar="PATH", help="write the numbers as JSON")
    parser.add_argument("--model", metavar="PATH", help="Pose Landmarker .task bundle (default: the shipped one)")
    parser.add_argument("--workers", type=int, metavar="N", help="a whole clip: analyse it on N threads, each with its own model (default: every core)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--log", action="store_true", help="keep a check of a file in the training log (camera checks are always kept)")
    parser.add_argument("--no-log", action="store_true", help="do not keep a camera check in the training log")
    parser.set_defaults(run=run)


def mean_picture(images) -> np.ndarray:
    """The mean of BGR pictures (sensor noise averages out; the roll model reads the feet from it)."""
    total, count = None, 0
    for image in images:
        total = image.astype(np.float32) if total is None else total + image
        count += 1
    if not count:
        raise PosecheckError("no frames to make a picture of")
    return np.clip(np.rint(total / count), 0, 255).astype(np.uint8)


def jpeg(image: np.ndarray) -> bytes:
    """A camera frame kept for later, compressed (2 s of 720p raw would be 160 MB)."""
    import cv2

    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise PosecheckError("could not keep a camera frame")
    return data.tobytes()


def unjpeg(data: bytes) -> np.ndarray:
    import cv2

    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def kept_pictures(kept: list[bytes]):
    """`pictures(indices)` over camera frames kept as JPEG, one per frame of the capture."""
    return lambda indices: mean_picture(unjpeg(kept[i]) for i in indices)


def _capture_file(path: str, args, lang: str):
    """Landmarks of a still or a clip, plus `pictures(indices)`: the mean picture of those frames, read again."""
    from posecheck.detect import check as posture
    from posecheck.pose.landmarks import LandmarkSeries
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.media.frames import StillImage, open_file

    source = open_file(path)
    if isinstance(source, StillImage):
        with PoseEstimator(args.model, still=True, num_poses=3) as estimator:  # the tallest of up to 3 people
            frame = next(iter(source))
            pose = estimator.detect(frame)
        series = LandmarkSeries.from_frames([0.0], [pose], 0.0, source.width, source.height, str(path))
        return posture.Capture.from_series(series, still_image=True), (lambda indices: source.image)
    if args.start is None:  # the whole clip, on every core, to find its stillest window
        from posecheck.session.replay import extract_landmarks

        source.close()
        series = extract_landmarks(path, args.model, show_progress=not args.no_progress, workers=args.workers)
        times = [float(t) for t in series.t]
    else:  # only the window asked for
        times, poses = [], []
        end = args.start + args.seconds
        with source, PoseEstimator(args.model) as estimator:
            if sys.stderr.isatty() and not args.no_progress:
                print(tr(lang, "analysing", n=source.frame_count or "?"), file=sys.stderr)
            for frame in source:
                if frame.t < args.start - 1e-6:
                    continue
                if frame.t >= end - 1e-6:
                    break
                times.append(frame.t)
                poses.append(estimator.detect(frame))
        series = LandmarkSeries.from_frames(times, poses, source.fps, source.width, source.height, str(path))
    if not times:
        raise posture.CheckRefused("window", tr(lang, "refuse_window"))

    return posture.Capture.from_series(series), clip_pictures(path, times)


def clip_pictures(path, times):
    """`pictures(indices)`: the mean picture of those frames of a clip (`times` of its frames), read again from the file."""
    from posecheck.media.frames import open_file

    def pictures(indices) -> np.ndarray:
        wanted = np.sort([times[i] for i in indices])

        def frames():
            with open_file(path) as again:
                for frame in again:
                    if frame.t > wanted[-1] + 1e-3:
                        return
                    if np.min(np.abs(wanted - frame.t)) < 1e-3:
                        yield frame.image

        try:
            return mean_picture(frames())
        except PosecheckError:
            raise PosecheckError(f"{path}: could not read the frames at {wanted[0]:.2f}-{wanted[-1]:.2f} s again") from None

    return pictures


def _capture_camera(spec, args, lang: str):
    from posecheck.detect import check as posture
    from posecheck.pose.landmarks import LandmarkSeries
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.media.frames import Camera, parse_camera

    with Camera(parse_camera(spec)) as camera, PoseEstimator(args.model) as estimator:
        detect = estimator.detect
        frames = iter(camera)
        deadline = time.monotonic() + max(args.countdown, 0.0)
        shown = None
        while time.monotonic() < deadline:
            left = int(np.ceil(deadline - time.monotonic()))
            if left != shown:
                print(tr(lang, "countdown", n=left) if shown is None else f"{left}...", file=sys.stderr, flush=True)
                shown = left
            if next(frames, None) is None:
                break
        print(tr(lang, "capturing", seconds=args.seconds), file=sys.stderr, flush=True)
        times, poses, kept = [], [], []
        start = None
        for frame in frames:
            start = frame.t if start is None else start
            if frame.t - start >= args.seconds:
                break
            times.append(frame.t - start)
            poses.append(detect(frame))
            kept.append(jpeg(frame.image))
        width, height = camera.width, camera.height
        if kept:
            height, width = unjpeg(kept[0]).shape[:2]
        series = LandmarkSeries.from_frames(times, poses, camera.fps, width, height, str(spec))
    return posture.Capture.from_series(series), kept_pictures(kept)


def run(args) -> ExitStatus:
    from posecheck.detect import check as posture

    lang = args.lang or system_language()
    if args.input and args.camera is not None:
        raise PosecheckError(tr(lang, "both_sources"))
    if args.seconds <= 0:
        raise PosecheckError("--seconds must be positive")
    for path in (args.json, args.image):
        check_writable(path)
    stature = args.height_cm / 100.0
    if not 0.5 <= stature <= 2.5:
        raise PosecheckError("--height-cm must be between 50 and 250")
    if args.input:
        capture, pictures = _capture_file(args.input, args, lang)
        source = args.input
    else:
        spec = args.camera if args.camera is not None else "0"
        capture, pictures = _capture_camera(spec, args, lang)
        source = f"camera {spec}"
    try:
        # A clip is read only within --start/--seconds when --start is given, and a camera
        # capture is that long anyway: both are analysed whole. Otherwise the stillest window.
        result = posture.check_capture(capture, seconds=args.seconds, start=None, sex=args.sex or "average",
                                       stature_m=stature, source=source, pictures=pictures)
    except posture.CheckRefused as refused:
        raise posture.CheckRefused(refused.reason, refusal_message(lang, refused.reason)) from None
    except posture.NotStill:
        raise posture.NotStill(refusal_message(lang, "moved")) from None
    lines = verdict_lines(result, lang)
    if args.json:
        _write(args.json, (result.to_json() + "\n").encode("utf-8"))
    if args.image:
        import cv2

        from posecheck.render.check import annotate

        ok, png = cv2.imencode(".png", annotate(pictures([result.frame_index]), result, lang))
        if not ok:
            raise OutputUnwritable(f"{args.image}: could not encode the picture")
        _write(args.image, png.tobytes())
    print("\n".join(lines))
    if (args.log or not args.input) and not args.no_log:
        _log(result.to_dict(), source)
    return ExitStatus.OK


def _log(report: dict, source: str) -> None:
    """Keep the check in the training log; a log problem must not cost the user the result."""
    from posecheck.log.store import TrainingLog

    try:
        with TrainingLog.open() as log:
            log.add_check(report, source=source)
    except PosecheckError as error:
        print(f"posecheck: warning: the check was not logged: {error}", file=sys.stderr)


def _write(path: str, data: bytes) -> None:
    target = pathlib.Path(path)
    try:
        target.write_bytes(data)
    except OSError as error:
        raise OutputUnwritable(f"{target}: cannot write ({error.strerror}); choose another path") from None
