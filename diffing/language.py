"""Language check of an edition's text: uk, ru, en or "other".

Script cues decide first because they are exact where n-gram models are weakest: only
Ukrainian writes ї є і ґ, only Russian ы э ъ ё, and Latin letters mean English for this
archive. langdetect settles what the cues leave open (Cyrillic without markers, other
Latin-script languages). The detector is private, seeded and loaded once, so the same text
always gets the same answer.
"""

from __future__ import annotations

import json
import os
import unicodedata
from functools import lru_cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

LANGUAGES = ("uk", "ru", "en")
OTHER = "other"

UK_MARKERS = frozenset("їєіґЇЄІҐ")
RU_MARKERS = frozenset("ыэъёЫЭЪЁ")

# langdetect profiles loaded into the private factory: ours plus the neighbours a news page
# in another language is most likely to be written in, so "other" can be told apart.
_PROFILE_LANGS = ("uk", "ru", "en", "bg", "mk", "be", "pl", "de", "fr", "es", "it", "pt", "nl")

MIN_LETTERS = 3  # below this there is nothing to judge
LANGDETECT_MIN_LETTERS = 20  # below this langdetect is noise

DetectorFactory.seed = 0


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    """A private factory with a subset of profiles, loaded once, seeded for determinism."""
    factory = DetectorFactory()
    profiles = []
    for lang in _PROFILE_LANGS:
        path = os.path.join(PROFILES_DIRECTORY, lang)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                profiles.append(json.dumps(json.load(handle)))
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


def _langdetect(text: str, prior: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """langdetect's probabilities, best first; empty when it finds no features."""
    detector = _factory().create()
    if prior:
        detector.set_prior_map(prior)
    detector.append(text)
    try:
        return [(p.lang, float(p.prob)) for p in detector.get_probabilities()]
    except LangDetectException:
        return []


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _saturate(count: int) -> float:
    """Confidence that grows with evidence: 1 cue → 0.5, 4 → 0.8, 19 → 0.95."""
    return count / (count + 1.0)


def detect_language(text: str) -> tuple[str | None, float]:
    """Return (language, confidence in [0, 1]) with language in uk/ru/en/"other" or None.

    None means there is no text to judge (empty, digits, punctuation).
    """
    if not text:
        return None, 0.0
    cyrillic = latin = 0
    uk_cues = ru_cues = 0
    for ch in text:
        if _is_cyrillic(ch):
            cyrillic += 1
            if ch in UK_MARKERS:
                uk_cues += 1
            elif ch in RU_MARKERS:
                ru_cues += 1
        elif ch.isalpha() and _is_latin(ch):
            latin += 1
    letters = cyrillic + latin
    if letters < MIN_LETTERS:
        return None, 0.0
    if latin > cyrillic:
        lang, confidence = _latin_language(text, latin)
        return lang, round(confidence * latin / letters, 3)
    lang, confidence = _cyrillic_language(text, cyrillic, uk_cues, ru_cues)
    return lang, round(confidence * cyrillic / letters, 3)


def _latin_language(text: str, latin: int) -> tuple[str, float]:
    if latin < LANGDETECT_MIN_LETTERS:
        return "en", 0.5
    ranked = _langdetect(text)
    if not ranked:
        return "en", 0.5
    best, prob = ranked[0]
    if best == "en":
        return "en", prob
    if prob >= 0.8:
        return OTHER, prob
    return "en", 0.5


def _cyrillic_language(text: str, cyrillic: int, uk_cues: int, ru_cues: int) -> tuple[str, float]:
    cues = uk_cues + ru_cues
    if cues and uk_cues != ru_cues:
        lang = "uk" if uk_cues > ru_cues else "ru"
        share = max(uk_cues, ru_cues) / cues
        if lang == "ru" and cyrillic >= LANGDETECT_MIN_LETTERS and not _has_russian_vowels(text):
            # ъ alone is also Bulgarian; let the model tell them apart.
            ranked = _langdetect(text)
            if ranked and ranked[0][0] in ("bg", "mk") and ranked[0][1] >= 0.8:
                return OTHER, ranked[0][1]
        confidence = share * _saturate(cues)
        if cyrillic >= LANGDETECT_MIN_LETTERS:
            # the model agrees on long text far more surely than a handful of cues can say
            ranked = _langdetect(text, prior={"uk": 0.5, "ru": 0.5})
            if ranked and ranked[0][0] == lang:
                confidence = max(confidence, share * ranked[0][1])
        return lang, confidence
    # No cues (or a perfect tie): the model decides between our two Cyrillic languages.
    if cyrillic < LANGDETECT_MIN_LETTERS and not cues:
        ranked = _langdetect(text, prior={"uk": 0.5, "ru": 0.5})
        if ranked and ranked[0][0] in ("uk", "ru"):
            return ranked[0][0], min(0.5, ranked[0][1] * 0.5)
        return OTHER, 0.2
    ranked = _langdetect(text)
    if not ranked:
        return OTHER, 0.2
    best, prob = ranked[0]
    if best in ("uk", "ru"):
        return best, prob * (0.5 if cues else 0.8)
    if prob >= 0.8:
        return OTHER, prob
    for lang, lang_prob in ranked:
        if lang in ("uk", "ru"):
            return lang, lang_prob * 0.5
    return OTHER, prob * 0.5


def _has_russian_vowels(text: str) -> bool:
    return any(ch in "ыэёЫЭЁ" for ch in text)
