"""Language-independent text signals for cross-language paragraph alignment.

Ukrainian, Russian and English editions of one article rarely translate word for word, but
they share names, places and loanwords. These helpers turn words into keys that meet across
scripts: the official Ukrainian (2010) and a Russian transliteration into Latin, a fuzzy
consonant skeleton on top of it (so Kharkov/Kharkiv/Харків/Харьков share one key), and a
vowel-folded Cyrillic stem so the close pair uk-ru can compare ordinary words too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from diffing import langs

WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*")
SENTENCE_END_RE = re.compile(r"[.!?…:;]\s*[\"'«»“”„()\-–—\s]*$")
APOSTROPHES = "'’ʼ`"
# The run of non-letters before a word, then the word (WORD_RE).
_GAP_AND_WORD_RE = re.compile(r"([\W\d_]*)(" + WORD_RE.pattern + ")")

# Fold the letters on which Ukrainian and Russian spell cognates differently.
_CYR_FOLD = str.maketrans(
    {"і": "и", "ї": "и", "ы": "и", "й": "и", "є": "е", "э": "е", "ё": "е", "ґ": "г",
     "ь": None, "ъ": None, "'": None, "’": None, "ʼ": None, "`": None}
)  # fmt: skip

# Multi-letter sounds first, then letters that different romanisations swap.
_SKELETON_SEQUENCES = (
    ("shch", "š"), ("sch", "š"), ("tch", "č"), ("dzh", "ž"), ("zh", "ž"), ("kh", "x"),
    ("ch", "č"), ("sh", "š"), ("ts", "c"), ("tz", "c"), ("ph", "f"), ("th", "t"),
    ("ck", "k"), ("qu", "kv"), ("ks", "x"), ("dj", "ž"),
)  # fmt: skip
_SKELETON_LETTERS = str.maketrans(
    {"h": "g", "w": "v", "q": "k", "j": "ž", "z": "s", "x": "x", "c": "k",
     "a": None, "e": None, "i": None, "o": None, "u": None, "y": None,
     "'": None, "’": None, "ʼ": None, "`": None, "-": None}
)  # fmt: skip
# After the sequence pass, "c" stands for "ts" and must survive the c->k mapping.
_TS_MARK = "ç"
# English c before e, i, y sounds like Cyrillic ц; elsewhere it is k.
_SOFT_C_RE = re.compile(r"c(?=[eiy])")

_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_UK_ONLY = set(langs.REGISTRY["uk"].marker_letters)
_RU_ONLY = set(langs.REGISTRY["ru"].marker_letters)


def is_cyrillic(word: str) -> bool:
    """True when the word is written (at least partly) in Cyrillic."""
    return bool(_CYRILLIC_RE.search(word))


def transliterate_uk(text: str) -> str:
    """Romanise Ukrainian by the official 2010 table (word-initial forms included)."""
    return langs.REGISTRY["uk"].transliterate(text)


def transliterate_ru(text: str) -> str:
    """Romanise Russian by a BGN/PCGN-like table."""
    return langs.REGISTRY["ru"].transliterate(text)


def transliterate(text: str, lang: str) -> str:
    """Romanise text by its language's rules (diffing.langs); Latin text passes through.

    Cyrillic text in a Latin-script edition or of a language the registry does not know is
    read as Ukrainian when it has letters only Ukrainian writes and none only Russian writes,
    else as Russian.
    """
    rules = langs.REGISTRY.get(lang)
    cyrillic = is_cyrillic(text)
    if rules is not None and (rules.script == "Cyrillic" or not cyrillic):
        return rules.transliterate(text)
    if cyrillic:  # a Cyrillic word quoted in a Latin-script edition, or an unknown language
        lowered = text.lower()
        if any(char in _UK_ONLY for char in lowered) and not any(c in _RU_ONLY for c in lowered):
            return transliterate_uk(text)
        return transliterate_ru(text)
    return text.lower()


def latin_skeleton(latin: str) -> str:
    """A romanisation-proof consonant skeleton of a Latin word.

    Vowels go (Kharkov/Kharkiv), h and g meet (Havryliuk/Gavrilyuk), z and s meet,
    doubled letters collapse (Zaporizhzhia/Zaporozhye), digraphs become one sound.
    """
    word = latin.lower()
    for sequence, sound in _SKELETON_SEQUENCES:
        if sequence in word:
            word = word.replace(sequence, _TS_MARK if sound == "c" else sound)
    word = _SOFT_C_RE.sub(_TS_MARK, word)  # licence/ліцензія, agency/агенція, centre/центр
    word = word.translate(_SKELETON_LETTERS).replace(_TS_MARK, "c")
    collapsed: list[str] = []
    for char in word:
        if not char.isalpha():
            continue
        if not collapsed or collapsed[-1] != char:
            collapsed.append(char)
    return "".join(collapsed)


@lru_cache(maxsize=65536)
def skeleton_key(word: str, lang: str) -> str:
    """The fuzzy cross-script key of one word: transliterate, then take the skeleton."""
    return latin_skeleton(transliterate(word, lang))


# Cyrillic case endings that carry consonants (Сумах/Sumy, Зеленського/Zelensky); endings of
# vowels alone need no stripping because the skeleton drops vowels anyway.
_CASE_ENDINGS = ("ами", "ями", "ого", "ому", "ему", "ими", "ах", "ях", "ам", "ям", "ом", "ем",
                 "их", "им", "ою", "ею")  # fmt: skip


def name_keys(word: str, lang: str) -> tuple[str, ...]:
    """Keys of a name that survive inflection: the first four skeleton consonants.

    A Cyrillic word also yields the key of its form without a consonant case ending, so a
    declined Сумах meets Sumy while Харків keeps its own key.
    """
    keys = [skeleton_key(word, lang)[:4]]
    if lang != "en" and is_cyrillic(word):
        lowered = word.lower()
        for ending in _CASE_ENDINGS:
            if lowered.endswith(ending) and len(lowered) - len(ending) >= 3:
                stripped = skeleton_key(lowered[: -len(ending)], lang)[:4]
                if stripped and stripped != keys[0]:
                    keys.append(stripped)
                break
    return tuple(key for key in keys if len(key) >= 2)


@lru_cache(maxsize=65536)
def cyrillic_stem(word: str) -> str:
    """A vowel-folded prefix shared by Ukrainian and Russian cognates (області/области)."""
    folded = word.lower().translate(_CYR_FOLD)
    return folded[:5]


def words_with_gaps(text: str) -> list[tuple[str, str]]:
    """(the non-letters before the word, the word) for every word of a text, in one pass."""
    return _GAP_AND_WORD_RE.findall(text)


def opens_sentence(index: int, gap: str) -> bool:
    """Whether the index-th word, after this gap, opens a sentence (the first word does)."""
    return index == 0 or (gap != " " and SENTENCE_END_RE.search(gap) is not None)


def tokenize(text: str) -> list[tuple[str, bool]]:
    """Words of a text, each with whether it opens a sentence (capitals there are no names)."""
    return [
        (word, opens_sentence(index, gap))
        for index, (gap, word) in enumerate(words_with_gaps(text))
    ]
