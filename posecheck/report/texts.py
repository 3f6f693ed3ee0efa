"""The words live mode shows and prints, in English and German.

`choose_language(arg)` takes `--lang` if given, else the system locale;
`texts(lang)` gives the strings, keyed by what they say.
"""

from __future__ import annotations

import locale
import os

LANGUAGES = ("en", "de")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # phases, on the HUD
        "phase.ready": "GET READY",
        "phase.start": "READY",
        "phase.rest": "REST",
        "phase.rising": "RISING",
        "phase.hold": "HOLD",
        "phase.lowering": "LOWERING",
        "phase.paused": "PAUSED",
        "phase.done": "DONE",
        "reps": "reps",
        "round": "Round {n}",
        "round_of": "Round {n} / {of}",
        "total": "total {n}",
        "keys": "q quit · space pause\nr restart · f full screen",
        # guidance
        "msg.no_person": "no one in view — stand in front of the camera",
        "msg.body_hidden": "step back — head to feet in view",
        "msg.feet_hidden": "step back — feet not visible",
        "msg.knees_bent": "keep your knees straight",
        "msg.foot_lifted": "keep both feet on the floor",
        "msg.feet_moved": "stand still on the spot",
        "msg.blocked": "cannot see you well — step back",
        "msg.face_camera": "turn to face the camera",
        "msg.two_people": "two people in view — tracking the nearest",
        "msg.calibrating": "stand still — getting ready",
        "msg.go": "ready — rise onto your toes",
        "msg.round_done": "round {n} done — rest",
        "msg.all_done": "all {n} rounds done — press q to finish",
        "msg.paused": "paused — press space to go on",
        "msg.reset": "started over",
        # event lines (--no-window)
        "line.start": "counting rises from {source}; {stop} to stop",
        "line.ready": "ready: counting starts",
        "line.rep": "rep {n} counted (round {round}{round_of}, {in_round}{reps_of} in this round), hold {hold:.1f} s",
        "line.short_hold": "short hold",
        "line.hold_reached": "hold reached {target:g} s",
        "line.round_done": "round {n} done: {reps} reps",
        "line.all_done": "all {n} rounds done",
        "line.partial": "partial rise, not counted",
        "line.one_foot": "one heel only, not counted",
        "line.aborted": "rise interrupted ({why}), not counted",
        "line.paused": "paused",
        "line.resumed": "going on",
        "line.reset": "reset: counting starts over",
        "line.camera_failed": "the camera stopped sending pictures; the session so far is kept",
    },
    "de": {
        "phase.ready": "BEREIT MACHEN",
        "phase.start": "BEREIT",
        "phase.rest": "PAUSE",
        "phase.rising": "HOCH",
        "phase.hold": "HALTEN",
        "phase.lowering": "SENKEN",
        "phase.paused": "ANGEHALTEN",
        "phase.done": "FERTIG",
        "reps": "Wiederholungen",
        "round": "Runde {n}",
        "round_of": "Runde {n} / {of}",
        "total": "gesamt {n}",
        "keys": "q Ende · Leertaste Pause\nr neu · f Vollbild",
        "msg.no_person": "niemand im Bild — vor die Kamera stellen",
        "msg.body_hidden": "zurücktreten — Kopf bis Füße ins Bild",
        "msg.feet_hidden": "zurücktreten — Füße nicht sichtbar",
        "msg.knees_bent": "Knie gestreckt lassen",
        "msg.foot_lifted": "beide Füße auf dem Boden lassen",
        "msg.feet_moved": "ruhig auf der Stelle stehen",
        "msg.blocked": "schlecht zu sehen — zurücktreten",
        "msg.face_camera": "zur Kamera drehen",
        "msg.two_people": "zwei Personen im Bild — die vordere zählt",
        "msg.calibrating": "ruhig stehen — gleich geht's los",
        "msg.go": "bereit — auf die Zehen hoch",
        "msg.round_done": "Runde {n} geschafft — Pause",
        "msg.all_done": "alle {n} Runden geschafft — q zum Beenden",
        "msg.paused": "angehalten — Leertaste zum Weitermachen",
        "msg.reset": "neu gestartet",
        "line.start": "zähle Zehenstände von {source}; {stop} zum Beenden",
        "line.ready": "bereit: das Zählen beginnt",
        "line.rep": "Wiederholung {n} gezählt (Runde {round}{round_of}, {in_round}{reps_of} in dieser Runde), gehalten {hold:.1f} s",
        "line.short_hold": "zu kurz gehalten",
        "line.hold_reached": "{target:g} s gehalten",
        "line.round_done": "Runde {n} geschafft: {reps} Wiederholungen",
        "line.all_done": "alle {n} Runden geschafft",
        "line.partial": "halber Zehenstand, nicht gezählt",
        "line.one_foot": "nur eine Ferse gehoben, nicht gezählt",
        "line.aborted": "Zehenstand abgebrochen ({why}), nicht gezählt",
        "line.paused": "angehalten",
        "line.resumed": "weiter",
        "line.reset": "zurückgesetzt: das Zählen beginnt neu",
        "line.camera_failed": "die Kamera liefert keine Bilder mehr; das Bisherige bleibt erhalten",
    },
}


class Texts:
    """The strings of one language; a missing key falls back to English, then to the key itself."""

    def __init__(self, lang: str):
        self.lang = lang if lang in STRINGS else "en"
        self._strings = STRINGS[self.lang]

    def __call__(self, key: str, **values) -> str:
        text = self._strings.get(key) or STRINGS["en"].get(key) or key
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._strings


def texts(lang: str) -> Texts:
    return Texts(lang)


def choose_language(arg: str | None = None, environ: dict | None = None) -> str:
    """'en' or 'de': the --lang argument if given, else the system locale (German if it says so)."""
    if arg:
        code = arg.strip().lower()[:2]
        return code if code in LANGUAGES else "en"
    env = os.environ if environ is None else environ
    # The same order gettext uses; LANGUAGE may list several, the first wins.
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return _language_of(value.split(":")[0])
    if environ is None:
        try:
            current = locale.getlocale()[0] or ""
        except ValueError:
            current = ""
        if current:
            return _language_of(current)
    return "en"


def _language_of(name: str) -> str:
    name = name.strip().lower()
    # POSIX "de_DE.UTF-8", Windows "German_Germany"
    if name.startswith("de") or name.startswith("german"):
        return "de"
    return "en"
