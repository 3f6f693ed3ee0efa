"""Every word posecheck shows or prints, in English and German: one table, one lookup, one language choice.

`choose_language(arg)` takes `--lang` if given, else the system locale. `Texts(lang)`
(or `tr(lang, key)`) gives a string by its key; keys are grouped by what they
belong to ("balance.", "routine.", "check.", "stance."; live rises unprefixed).
"""

from __future__ import annotations

import locale
import os

from posecheck.report.texts_de import DE
from posecheck.report.texts_en import EN

LANGUAGES = ("en", "de")

STRINGS: dict[str, dict[str, str]] = {"en": EN, "de": DE}


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


def tr(lang: str, key: str, **values) -> str:
    return Texts(lang)(key, **values)


def stance_label(variant: str | None, lang: str = "en") -> str:
    """A stance variant ("parallel", "wide", "turned_out") in words; "-" when it could not be told."""
    return tr(lang, f"stance.{variant}") if variant else "-"


def number(lang: str, value: float, digits: int = 1, signed: bool = False) -> str:
    """A number as the language writes it: German has a decimal comma and a real minus sign."""
    value = round(float(value), digits) + 0.0  # no "-0"
    text = f"{value:+.{digits}f}" if signed and value != 0 else f"{value:.{digits}f}"
    if lang == "de":
        text = text.replace(".", ",").replace("-", "\u2212")
    return text


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
