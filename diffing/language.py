"""Language check of an edition's text: a language of the registry (uk, en, ru, pl) or "other".

Script cues decide first because they are exact where n-gram models are weakest: each
language declares the letters no other registered language of its script writes (only
Ukrainian writes ї є і ґ, only Russian ы э ъ ё, only Polish ą ć ę ł ń ó ś ź ż), and Latin
letters without any marker mean English. langdetect settles what the cues leave open
(Cyrillic without markers, Latin-script text in other languages). The detector is private,
seeded and loaded once, so the same text always gets the same answer.

Cost matters: the crawl checks every edition, and langdetect takes about 8 ms on a
5,000-character article (its per-character Python loops). So when the cues are decisive
(dozens of one language's letters, few of the other's; or plenty of English function
words and no diacritics) the answer comes from the counts alone, and langdetect only ever
reads the first LANGDETECT_MAX_CHARS characters: enough for its n-gram sampling, which
stops at convergence anyway.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from functools import lru_cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from diffing import langs

OTHER = "other"

_CYRILLIC = tuple(c for c, r in langs.REGISTRY.items() if r.script == "Cyrillic")
# Latin-script languages that have marker letters (English, the default, has none)
_LATIN_MARKED = tuple(
    c for c, r in langs.REGISTRY.items() if r.script == "Latin" and r.marker_letters
)
_LATIN = tuple(c for c, r in langs.REGISTRY.items() if r.script == "Latin")


def _marker_run(code: str) -> re.Pattern[str]:
    letters = langs.REGISTRY[code].marker_letters
    return re.compile("[" + re.escape(letters + letters.upper()) + "]")


_MARKER_RUNS = {code: _marker_run(code) for code in _CYRILLIC + _LATIN_MARKED}
_CYRILLIC_PRIOR = {code: 1.0 / len(_CYRILLIC) for code in _CYRILLIC}

# langdetect profiles loaded into the private factory: the languages a news page here is
# most likely to be written in (the order is the model's; it was fixed with uk, ru, en
# first), then every registered language and the neighbours the registry names.
_NEIGHBOURHOOD = ("uk", "ru", "en", "bg", "mk", "be", "pl", "de", "fr", "es", "it", "pt", "nl")
_PROFILE_LANGS = tuple(
    dict.fromkeys(
        [
            *_NEIGHBOURHOOD,
            *langs.LANGUAGES,
            *(n for r in langs.REGISTRY.values() for n in r.langdetect_neighbours),
        ]
    )
)

MIN_LETTERS = 3  # below this there is nothing to judge
LANGDETECT_MIN_LETTERS = 20  # below this langdetect is noise
LANGDETECT_MAX_CHARS = 1500  # langdetect reads at most this much (cut at a word boundary)

# Cues are decisive — no langdetect — when the leading language has at least this many
# marker letters and at least this share of all markers. A Ukrainian article has about one
# і/ї/є/ґ per 20 letters, a Russian one an ы/э/ъ/ё per 50: any article of a few sentences
# clears the bar, while a short or genuinely mixed text still goes to the model.
DECISIVE_CUES = 20
DECISIVE_SHARE = 0.9
# English is decisive when function words that other Latin-script languages do not use
# (no "in", "is", "was", "to", "a": Dutch, German, Polish and the Romance languages have
# them) are this many and this share of the words, and letters with diacritics are rare.
DECISIVE_EN_WORDS = 12
DECISIVE_EN_SHARE = 0.08
MAX_EN_DIACRITIC_SHARE = 0.01
EN_FUNCTION_WORDS = frozenset(
    "the and of that with which said from this these those have has been were would could "
    "should their they its after about than into over also who what when where there while "
    "because against between during".split()
)

_CYRILLIC_RUN = re.compile("[\u0400-\u04ff]+")
_ASCII_LETTER_RUN = re.compile("[A-Za-z]+")
# letters that are neither ASCII nor Cyrillic; whether each is Latin is decided one by one
_OTHER_LETTER = re.compile("[^\\W\\d_A-Za-z\u0400-\u04ff]")

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


def warm_up() -> None:
    """Load the detector's profiles now (about 0.1 s), not on the first page that needs them."""
    _factory()


def _sample(text: str) -> str:
    """The text langdetect reads: at most LANGDETECT_MAX_CHARS, cut at a word boundary."""
    if len(text) <= LANGDETECT_MAX_CHARS:
        return text
    cut = text[:LANGDETECT_MAX_CHARS]
    space = cut.rfind(" ", LANGDETECT_MAX_CHARS // 2)
    return cut[:space] if space > 0 else cut


def _langdetect(text: str, prior: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """langdetect's probabilities on the text's sample, best first; empty without features."""
    detector = _factory().create()
    if prior:
        detector.set_prior_map(prior)
    detector.append(_sample(text))
    try:
        return [(p.lang, float(p.prob)) for p in detector.get_probabilities()]
    except LangDetectException:
        return []


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _saturate(count: int) -> float:
    """Confidence that grows with evidence: 1 cue → 0.5, 4 → 0.8, 19 → 0.95."""
    return count / (count + 1.0)


class _Counts:
    """Letter and marker counts of a text, by regular expressions (C speed, not a char loop)."""

    def __init__(self, text: str) -> None:
        self.cyrillic = sum(len(run) for run in _CYRILLIC_RUN.findall(text))
        self.ascii_latin = sum(len(run) for run in _ASCII_LETTER_RUN.findall(text))
        self.diacritic_latin = sum(1 for ch in _OTHER_LETTER.findall(text) if _is_latin(ch))
        self.latin = self.ascii_latin + self.diacritic_latin
        self.cues = {
            code: len(_MARKER_RUNS[code].findall(text)) if self.cyrillic else 0
            for code in _CYRILLIC
        }
        self.latin_cues = {
            code: len(_MARKER_RUNS[code].findall(text)) if self.diacritic_latin else 0
            for code in _LATIN_MARKED
        }


def detect_language(text: str) -> tuple[str | None, float]:
    """Return (language, confidence in [0, 1]) with a registered language, "other" or None.

    None means there is no text to judge (empty, digits, punctuation).
    """
    if not text:
        return None, 0.0
    counts = _Counts(text)
    cyrillic, latin = counts.cyrillic, counts.latin
    letters = cyrillic + latin
    if letters < MIN_LETTERS:
        return None, 0.0
    if latin > cyrillic:
        lang, confidence = _latin_language(text, counts)
        return lang, round(confidence * latin / letters, 3)
    lang, confidence = _cyrillic_language(text, cyrillic, counts.cues)
    return lang, round(confidence * cyrillic / letters, 3)


def _english_function_words(text: str) -> tuple[int, int]:
    """(English function words, all ASCII words) in the text."""
    words = _ASCII_LETTER_RUN.findall(text)
    return sum(1 for w in words if w.lower() in EN_FUNCTION_WORDS), len(words)


def _marked_latin(counts: _Counts) -> tuple[str, int] | None:
    """The Latin-script language whose marker letters are most of the text's diacritics."""
    if not counts.latin_cues:
        return None
    code, cues = max(counts.latin_cues.items(), key=lambda item: item[1])
    if cues == 0:
        return None
    return code, cues


def _latin_language(text: str, counts: _Counts) -> tuple[str, float]:
    latin = counts.latin
    marked = _marked_latin(counts)
    if latin < LANGDETECT_MIN_LETTERS:
        return (marked[0], 0.5) if marked else ("en", 0.5)
    if counts.diacritic_latin <= MAX_EN_DIACRITIC_SHARE * latin:
        hits, words = _english_function_words(text)
        if hits >= DECISIVE_EN_WORDS and hits >= DECISIVE_EN_SHARE * words:
            return "en", _saturate(hits)
    if marked is not None:
        code, cues = marked
        if cues >= DECISIVE_CUES and cues >= DECISIVE_SHARE * counts.diacritic_latin:
            return code, _saturate(cues)  # dozens of ą ę ł ś ż and few other diacritics
    ranked = _langdetect(text)
    if not ranked:
        return "en", 0.5
    best, prob = ranked[0]
    if best == "en":
        return "en", prob
    if best in _LATIN_MARKED and (marked is None or best != marked[0]):
        best = OTHER  # Polish without a single ą ę ł ś ż...: Czech, Slovak, not Polish
    elif best in _LATIN:
        return best, prob
    if prob >= 0.8:
        return OTHER, prob
    return "en", 0.5


def _neighbour_check(text: str, lang: str, cyrillic: int) -> tuple[str, float] | None:
    """ "ъ" alone is also Bulgarian: a text with only the markers a language shares with its
    langdetect neighbours is left to the model."""
    rules = langs.REGISTRY[lang]
    if not rules.langdetect_neighbours or cyrillic < LANGDETECT_MIN_LETTERS:
        return None
    own = set(rules.marker_letters) - set(rules.neighbour_letters)
    if any(ch.lower() in own for ch in text):
        return None
    ranked = _langdetect(text)
    if ranked and ranked[0][0] in rules.langdetect_neighbours and ranked[0][1] >= 0.8:
        return OTHER, ranked[0][1]
    return None


def _cyrillic_language(text: str, cyrillic: int, cues_by_lang: dict[str, int]) -> tuple[str, float]:
    cues = sum(cues_by_lang.values())
    ranked_cues = sorted(cues_by_lang.items(), key=lambda item: item[1], reverse=True)
    lead = ranked_cues[0][1] if ranked_cues else 0
    tie = len(ranked_cues) > 1 and ranked_cues[1][1] == lead
    if cues and not tie:
        lang = ranked_cues[0][0]
        share = lead / cues
        other = _neighbour_check(text, lang, cyrillic)
        if other is not None:
            return other
        confidence = share * _saturate(lead)
        if lead >= DECISIVE_CUES and share >= DECISIVE_SHARE:
            return lang, confidence
        if cyrillic >= LANGDETECT_MIN_LETTERS:
            # the model agrees on long text far more surely than a handful of cues can say
            ranked = _langdetect(text, prior=_CYRILLIC_PRIOR)
            if ranked and ranked[0][0] == lang:
                confidence = max(confidence, share * ranked[0][1])
        return lang, confidence
    # No cues (or a perfect tie): the model decides between our Cyrillic languages.
    if cyrillic < LANGDETECT_MIN_LETTERS and not cues:
        ranked = _langdetect(text, prior=_CYRILLIC_PRIOR)
        if ranked and ranked[0][0] in _CYRILLIC:
            return ranked[0][0], min(0.5, ranked[0][1] * 0.5)
        return OTHER, 0.2
    ranked = _langdetect(text)
    if not ranked:
        return OTHER, 0.2
    best, prob = ranked[0]
    if best in _CYRILLIC:
        return best, prob * (0.5 if cues else 0.8)
    if prob >= 0.8:
        return OTHER, prob
    for lang, lang_prob in ranked:
        if lang in _CYRILLIC:
            return lang, lang_prob * 0.5
    return OTHER, prob * 0.5
