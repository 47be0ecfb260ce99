"""Numbers written as words, in every language of the registry (diffing.langs).

Editions of one article disagree on style: the Ukrainian text says "сімома дронами", the
English one "seven drones", the Russian "семью беспилотниками". This module finds such
number words (all the case forms and the collective forms like "троє", "пятеро") and reads
a run of them ("двадцять п'ять тисяч", "three hundred and twenty") as one value, so that
the figure extractor can treat them exactly like digits.

Kept deliberately small: cardinals up to the trillions, "півтора"/"полтора" (1.5) and
"a hundred/thousand/million" in English. Ordinals ("сьома", "seventh") are not numbers.
The words themselves live in each language's rules (`NumberWords`); this module reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from diffing import langs
from diffing.langs.base import (
    ARTICLE,
    HALF,
    HUNDRED,
    HUNDREDS,
    MULT,
    MULT_ONE,
    TEEN,
    TEN,
    UNIT,
    LanguageRules,
)

_APOSTROPHES = "'ʼ’`"
_APOSTROPHE_TO_ASCII = str.maketrans({apostrophe: "'" for apostrophe in _APOSTROPHES[1:]})
# A word is a run of letters, apostrophes inside (п'ять, п’ять, пʼять).
_WORD = re.compile(r"[^\W\d_]+(?:['ʼ’`][^\W\d_]+)*")
_COMPOUND_AFTER = re.compile(r"[-‑][^\W\d_]")


@dataclass(frozen=True)
class _Reader:
    """One language's number words, compiled from its rules (diffing.langs)."""

    table: dict[str, tuple[float, str]]
    spellings: frozenset[str]  # every spelling of every form, for a quick "any?" check
    contextual: dict[str, tuple[re.Pattern[str], tuple[float, str]]]
    gap: re.Pattern[str]
    ordinal_after: re.Pattern[str] | None
    and_a_half: re.Pattern[str] | None


def _ordinal_after(readers: list[LanguageRules]) -> re.Pattern[str] | None:
    """An ordinal closing a compound numeral ("дві тисячі двадцять п'ятого року", "двадцять
    другого") makes the whole run an ordinal, not a count."""
    with_ordinals = [r for r in readers if r.number_words and r.number_words.ordinal_stems]
    if not with_ordinals:
        return None
    stems = [stem for r in with_ordinals for stem in r.number_words.ordinal_stems]
    endings = [ending for r in with_ordinals for ending in r.number_words.ordinal_endings]
    letters = _merge_classes([r.word_class for r in with_ordinals])
    return re.compile(
        rf"[ \u00a0]+(?:{'|'.join(dict.fromkeys(stems))})[{letters}]*"
        rf"(?:{'|'.join(dict.fromkeys(endings))})(?![\w'ʼ’])",
        re.IGNORECASE,
    )


def _merge_classes(classes: list[str]) -> str:
    """Regex class bodies joined without repeating a range or letter ("а-яіїє" + "а-яё")."""
    parts: list[str] = []
    for body in classes:
        index = 0
        while index < len(body):
            part = body[index : index + 3] if body[index + 1 : index + 2] == "-" else body[index]
            if part not in parts:
                parts.append(part)
            index += len(part)
    return "".join(parts)


@cache
def _reader(lang: str) -> _Reader | None:
    rules = langs.REGISTRY.get(lang)
    if rules is None or rules.number_words is None:
        return None
    words = rules.number_words
    contextual = {
        word: (re.compile(pattern, re.IGNORECASE), entry)
        for word, (pattern, entry) in words.contextual.items()
    }
    table = dict(words.table)
    table.update({word: entry for word, (_, entry) in contextual.items()})
    spellings = frozenset(
        word.replace("'", apostrophe)
        for word, (_, category) in table.items()
        if category != ARTICLE  # "a" alone says nothing; its scale word is in the set
        for apostrophe in _APOSTROPHES
    )
    readers = [langs.REGISTRY[code] for code in rules.reads if code in langs.REGISTRY]
    return _Reader(
        table,
        spellings,
        contextual,
        re.compile(words.gap, re.IGNORECASE),
        _ordinal_after(readers),
        re.compile(words.and_a_half, re.IGNORECASE) if words.and_a_half else None,
    )


_FOLLOWERS: dict[str | None, frozenset[str]] = {
    None: frozenset({UNIT, TEEN, TEN, HUNDREDS, MULT_ONE, HALF, ARTICLE}),
    ARTICLE: frozenset({HUNDRED, MULT, MULT_ONE}),
    HALF: frozenset({MULT, MULT_ONE}),
    UNIT: frozenset({HUNDRED, MULT, MULT_ONE}),
    TEEN: frozenset({HUNDRED, MULT, MULT_ONE}),
    TEN: frozenset({UNIT, MULT, MULT_ONE}),
    HUNDRED: frozenset({UNIT, TEEN, TEN, MULT, MULT_ONE}),
    HUNDREDS: frozenset({UNIT, TEEN, TEN, MULT, MULT_ONE}),
    MULT: frozenset({UNIT, TEEN, TEN, HUNDREDS, ARTICLE}),
    MULT_ONE: frozenset({UNIT, TEEN, TEN, HUNDREDS, ARTICLE}),
}


@dataclass(frozen=True, slots=True)
class WordNumber:
    """A run of number words read as one value."""

    start: int
    end: int
    value: float
    words: int = 1  # how many words the number took
    open_ended: bool = False  # it ends in a word a compound numeral would continue after


@dataclass(slots=True)
class _Word:
    start: int
    end: int
    value: float
    category: str


def _read(words: list[_Word]) -> list[WordNumber]:
    """Split a run of adjacent number words into numbers and read each one."""
    numbers: list[WordNumber] = []
    index = 0
    while index < len(words):
        total = 0.0
        current = 0.0
        last: str | None = None
        last_scale = float("inf")
        position = index
        while position < len(words):
            word = words[position]
            category = word.category
            if category not in _FOLLOWERS[last]:
                break
            if category in (MULT, MULT_ONE):
                if word.value >= last_scale:
                    break
                total += (current or 1) * word.value
                current = 0.0
                last_scale = word.value
                category = MULT
            elif category == HUNDRED:
                current = (current or 1) * 100
            else:
                current += word.value
            last = category
            position += 1
        if position == index:  # a lone word that is no number by itself ("тисячі", "hundred")
            index += 1
            continue
        if last == ARTICLE:  # "a" whose scale word was taken by something else
            index = position
            continue
        numbers.append(
            WordNumber(
                words[index].start,
                words[position - 1].end,
                total + current,
                position - index,
                last in (TEN, HUNDRED, HUNDREDS, MULT),
            )
        )
        index = position
    return numbers


def _and_a_half(reader: _Reader, text: str, taken: bytearray) -> list[WordNumber]:
    """ "one and a half million" = 1.5 million, as "півтора мільйона" is."""
    found = []
    assert reader.and_a_half is not None
    for match in reader.and_a_half.finditer(text):
        if taken.find(1, match.start(), match.end()) != -1:
            continue
        word = match["n"].lower()
        whole = 1 if word == "a" else reader.table[word][0]
        scale = reader.table[match["scale"].lower()][0]
        found.append(WordNumber(match.start(), match.end(), (whole + 0.5) * scale, 6))
        taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return found


def find_word_numbers(text: str, lang: str, taken: bytearray | None = None) -> list[WordNumber]:
    """Numbers written as words in `text`, in order; spans marked in `taken` are skipped."""
    reader = _reader(lang)
    if reader is None:
        return []
    table = reader.table
    halves: list[WordNumber] = []
    if reader.and_a_half is not None and "half" in text.lower():
        taken = taken if taken is not None else bytearray(len(text))
        halves = _and_a_half(reader, text, taken)
    spellings = reader.spellings
    if not any(word in spellings for word in _WORD.findall(text.lower())):
        return halves  # the common case, settled by one findall and set lookups
    contextual = reader.contextual
    gap = reader.gap
    runs: list[list[_Word]] = []
    for match in _WORD.finditer(text):
        lowered = match.group().lower()
        if lowered not in spellings and lowered not in contextual:
            continue
        key = lowered.translate(_APOSTROPHE_TO_ASCII)
        entry = table[key]
        start, end = match.span()
        if taken is not None and taken.find(1, start, end) != -1:
            continue
        if key in contextual and contextual[key][0].match(text, end) is None:
            continue
        word = _Word(start, end, entry[0], entry[1])
        if runs and gap.match(text, runs[-1][-1].end, start):
            runs[-1].append(word)
        else:
            runs.append([word])
    numbers: list[WordNumber] = []
    for run in runs:
        for number in _read(run):
            if _COMPOUND_AFTER.match(text, number.end):
                continue  # "five-year", "one-off": part of a compound word
            ordinal_may_follow = number.words > 1 or number.open_ended
            ordinal_after = reader.ordinal_after
            if ordinal_may_follow and ordinal_after and ordinal_after.match(text, number.end):
                continue  # "двадцять п'ятого": an ordinal
            numbers.append(number)
    return sorted(halves + numbers, key=lambda number: number.start)
