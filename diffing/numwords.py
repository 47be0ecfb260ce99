"""Numbers written as words in Ukrainian, English and Russian.

Editions of one article disagree on style: the Ukrainian text says "сімома дронами", the
English one "seven drones", the Russian "семью беспилотниками". This module finds such
number words (all the case forms and the collective forms like "троє", "пятеро") and reads
a run of them ("двадцять п'ять тисяч", "three hundred and twenty") as one value, so that
the figure extractor can treat them exactly like digits.

Kept deliberately small: cardinals up to the trillions, "півтора"/"полтора" (1.5) and
"a hundred/thousand/million" in English. Ordinals ("сьома", "seventh") are not numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Word categories, which decide what may follow what in one number:
UNIT = "unit"  # 1..9
TEEN = "teen"  # 10..19
TEN = "ten"  # 20..90
HUNDREDS = "hundreds"  # a one-word hundred: "двісті", "триста", "сто"
HUNDRED = "hundred"  # the English scale word "hundred"
MULT = "mult"  # thousand, million, ... (needs a number before it)
MULT_ONE = "mult1"  # a singular "тисяча", "мільйон": a number on its own
HALF = "half"  # "півтора", "полтора": 1.5
ARTICLE = "a"  # English "a" before hundred/thousand/million

_APOSTROPHES = "'ʼ’`"


def _oblique_ukr(nominative: str) -> list[str]:
    """Case forms of a Ukrainian numeral ending in -ть/-сят: п'ять, п'яти, п'ятьох..."""
    if nominative.endswith("ть"):
        stem = nominative[:-1]
        return [nominative, stem + "и", nominative + "ох", nominative + "ом", nominative + "ма"]
    return [
        nominative,
        nominative + "и",
        nominative + "ьох",
        nominative + "ьом",
        nominative + "ьма",
    ]


def _oblique_rus(nominative: str) -> list[str]:
    """Case forms of a Russian numeral ending in -ть: пять, пяти, пятью."""
    stem = nominative[:-1]
    return [nominative, stem + "и", stem + "ью"]


def _ukrainian() -> dict[str, tuple[float, str]]:
    forms: dict[str, tuple[float, str]] = {}

    def add(value: float, category: str, *words: str) -> None:
        for word in words:
            forms[word] = (value, category)

    add(1, UNIT, "один", "одна", "одне", "одного", "одному", "одним", "одній", "одну", "однієї")
    add(1, UNIT, "одною")
    add(2, UNIT, "два", "дві", "двох", "двом", "двома", "двоє", "двоїх")
    add(3, UNIT, "три", "трьох", "трьом", "трьома", "троє", "трійко")
    add(4, UNIT, "чотири", "чотирьох", "чотирьом", "чотирма", "чотирьома", "четверо")
    add(5, UNIT, *_oblique_ukr("п'ять"), "п'ятьма", "п'ятьома", "п'ятеро")
    add(6, UNIT, "шість", "шести", "шістьох", "шістьом", "шістьма", "шістьома", "шестеро")
    add(7, UNIT, "сім", "семи", "сімох", "сімом", "сімома", "семеро")
    add(8, UNIT, "вісім", "восьми", "вісьмох", "вісьмом", "вісьма", "вісьмома", "восьмеро")
    add(9, UNIT, *_oblique_ukr("дев'ять"), "дев'ятьма", "дев'ятьома", "дев'ятеро")
    add(10, TEEN, *_oblique_ukr("десять"), "десятьма", "десятьома", "десятеро")
    teens = [
        "одинадцять",
        "дванадцять",
        "тринадцять",
        "чотирнадцять",
        "п'ятнадцять",
        "шістнадцять",
        "сімнадцять",
        "вісімнадцять",
        "дев'ятнадцять",
    ]
    for offset, word in enumerate(teens, start=11):
        add(offset, TEEN, *_oblique_ukr(word), word + "ома")
    add(20, TEN, *_oblique_ukr("двадцять"), "двадцятьома")
    add(30, TEN, *_oblique_ukr("тридцять"), "тридцятьома")
    add(40, TEN, "сорок", "сорока")
    for value, word in ((50, "п'ятдесят"), (60, "шістдесят"), (70, "сімдесят"), (80, "вісімдесят")):
        add(value, TEN, *_oblique_ukr(word))
    add(90, TEN, "дев'яносто", "дев'яноста")
    add(100, HUNDREDS, "сто", "ста")
    add(200, HUNDREDS, "двісті", "двохсот", "двомстам", "двомастами")
    add(300, HUNDREDS, "триста", "трьохсот", "трьомстам", "трьомастами")
    add(400, HUNDREDS, "чотириста", "чотирьохсот", "чотирьомстам")
    for value, word, oblique in (
        (500, "п'ятсот", "п'ятисот"),
        (600, "шістсот", "шестисот"),
        (700, "сімсот", "семисот"),
        (800, "вісімсот", "восьмисот"),
        (900, "дев'ятсот", "дев'ятисот"),
    ):
        add(value, HUNDREDS, word, oblique)
    add(1.5, HALF, "півтора", "півтори")
    for value, stem in ((1e3, "тисяч"), (1e6, "мільйон"), (1e9, "мільярд"), (1e12, "трильйон")):
        if stem == "тисяч":
            add(value, MULT, "тисячі", "тисяч", "тисячею", "тисячам", "тисячами", "тисячах")
            add(value, MULT_ONE, "тисяча", "тисячу")
        else:
            add(value, MULT, *(stem + ending for ending in ("а", "и", "ів", "ом", "ам", "ами")))
            add(value, MULT_ONE, stem)
    return forms


def _russian() -> dict[str, tuple[float, str]]:
    forms: dict[str, tuple[float, str]] = {}

    def add(value: float, category: str, *words: str) -> None:
        for word in words:
            forms[word] = (value, category)

    add(1, UNIT, "один", "одна", "одно", "одного", "одному", "одним", "одной", "одну", "одною")
    add(2, UNIT, "два", "две", "двух", "двум", "двумя", "двое", "двоих")
    add(3, UNIT, "три", "трёх", "трех", "трём", "трем", "тремя", "трое", "троих")
    add(4, UNIT, "четыре", "четырёх", "четырех", "четырём", "четырем", "четырьмя", "четверо")
    add(4, UNIT, "четверых")
    add(5, UNIT, *_oblique_rus("пять"), "пятеро", "пятерых")
    add(6, UNIT, *_oblique_rus("шесть"), "шестеро", "шестерых")
    # "семью" is also "family" (accusative); it counts only before an instrumental noun,
    # see _SEMYU below, so it is not in the plain table.
    add(7, UNIT, "семь", "семи", "семеро", "семерых")
    add(8, UNIT, "восемь", "восьми", "восемью", "восьмью", "восьмеро", "восьмерых")
    add(9, UNIT, *_oblique_rus("девять"), "девятеро", "девятерых")
    add(10, TEEN, *_oblique_rus("десять"), "десятеро", "десятерых")
    teens = [
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ]
    for offset, word in enumerate(teens, start=11):
        add(offset, TEEN, *_oblique_rus(word))
    add(20, TEN, *_oblique_rus("двадцать"))
    add(30, TEN, *_oblique_rus("тридцать"))
    add(40, TEN, "сорок", "сорока")
    add(50, TEN, "пятьдесят", "пятидесяти", "пятьюдесятью")
    add(60, TEN, "шестьдесят", "шестидесяти", "шестьюдесятью")
    add(70, TEN, "семьдесят", "семидесяти", "семьюдесятью")
    add(80, TEN, "восемьдесят", "восьмидесяти", "восемьюдесятью")
    add(90, TEN, "девяносто", "девяноста")
    add(100, HUNDREDS, "сто", "ста")
    add(200, HUNDREDS, "двести", "двухсот", "двумстам", "двумястами")
    add(300, HUNDREDS, "триста", "трёхсот", "трехсот", "трёмстам", "тремястами")
    add(400, HUNDREDS, "четыреста", "четырёхсот", "четырехсот", "четырьмястами")
    for value, word, oblique in (
        (500, "пятьсот", "пятисот"),
        (600, "шестьсот", "шестисот"),
        (700, "семьсот", "семисот"),
        (800, "восемьсот", "восьмисот"),
        (900, "девятьсот", "девятисот"),
    ):
        add(value, HUNDREDS, word, oblique)
    add(1.5, HALF, "полтора", "полторы")
    for value, stem in ((1e3, "тысяч"), (1e6, "миллион"), (1e9, "миллиард"), (1e12, "триллион")):
        if stem == "тысяч":
            add(value, MULT, "тысячи", "тысяч", "тысячей", "тысячам", "тысячами", "тысячах")
            add(value, MULT_ONE, "тысяча", "тысячу")
        else:
            add(value, MULT, *(stem + ending for ending in ("а", "ы", "ов", "ом", "ам", "ами")))
            add(value, MULT_ONE, stem)
    return forms


def _english() -> dict[str, tuple[float, str]]:
    forms: dict[str, tuple[float, str]] = {}
    units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    for value, word in enumerate(units, start=1):
        forms[word] = (value, UNIT)
    teens = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
    for value, word in enumerate(teens, start=10):
        forms[word] = (value, TEEN)
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    for value, word in zip(range(20, 100, 10), tens, strict=True):
        forms[word] = (value, TEN)
    forms["hundred"] = (100, HUNDRED)
    for value, word in ((1e3, "thousand"), (1e6, "million"), (1e9, "billion"), (1e12, "trillion")):
        forms[word] = (value, MULT)
    forms["dozen"] = (12, MULT)  # "two dozen" = 24, "a dozen" = 12 ("dozens of" is no number)
    return forms


_APOSTROPHE_TO_ASCII = str.maketrans({apostrophe: "'" for apostrophe in _APOSTROPHES[1:]})


_TABLES: dict[str, dict[str, tuple[float, str]]] = {
    "uk": _ukrainian(),
    "ru": _russian(),
    "en": _english(),
}
# Words that are numbers only in some contexts, checked by a look at the next word:
# "семью" is also "family" (accusative) and counts only before an instrumental plural
# ("семью дронами"); English "a" counts only before a scale word ("a million").
_CONTEXTUAL: dict[str, dict[str, tuple[re.Pattern[str], tuple[float, str]]]] = {
    "uk": {},
    "ru": {"семью": (re.compile(r"\s+[а-яё]+(?:ами|ями|ьми|ми)(?!\w)", re.I), (7, UNIT))},
    "en": {
        "a": (
            re.compile(r"\s+(?:hundred|thousand|million|billion|trillion|dozen)\b", re.I),
            (1, ARTICLE),
        )
    },
}
for _lang, _words in _CONTEXTUAL.items():
    _TABLES[_lang].update({word: entry for word, (_, entry) in _words.items()})

# A word is a run of letters, apostrophes inside (п'ять, п’ять, пʼять).
_WORD = re.compile(r"[^\W\d_]+(?:['ʼ’`][^\W\d_]+)*")
# Every spelling of every form, lowercased, for a quick "is there any number word" check.
_SPELLINGS: dict[str, frozenset[str]] = {
    lang: frozenset(
        word.replace("'", apostrophe)
        for word, (_, category) in table.items()
        if category != ARTICLE  # "a" alone says nothing; its scale word is in the set
        for apostrophe in _APOSTROPHES
    )
    for lang, table in _TABLES.items()
}
_GAP = {
    "en": re.compile(r"(?:[ \u00a0]+|[ \u00a0]*-[ \u00a0]*|[ \u00a0]+and[ \u00a0]+)\Z", re.I),
    "uk": re.compile(r"[ \u00a0]+\Z"),
    "ru": re.compile(r"[ \u00a0]+\Z"),
}
_COMPOUND_AFTER = re.compile(r"[-‑][^\W\d_]")
# An ordinal closing a compound numeral ("дві тисячі двадцять п'ятого року", "двадцять
# другого") makes the whole run an ordinal, not a count.
_ORDINAL_AFTER = re.compile(
    r"[ \u00a0]+(?:перш|друг|трет|четверт|п['ʼ’]ят|шост|сьом|седьм|восьм|дев['ʼ’]ят|девят|десят"
    r"|двадцят|тридцят|тридцат|сороков|пятидесят|сотн|тисячн|тысячн)[а-яіїєё]*(?:ого|ому|ий|ій"
    r"|ої|ою|ая|ое|ей|ом|ым|ый|ий|ої)(?![\w'ʼ’])",
    re.IGNORECASE,
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


_AND_A_HALF = re.compile(
    r"(?<![\w'])(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|a)[ \u00a0]+and[ \u00a0]+"
    r"a[ \u00a0]+half[ \u00a0]+(?P<scale>thousand|million|billion|trillion)(?![\w'])",
    re.IGNORECASE,
)


def _and_a_half(text: str, taken: bytearray) -> list[WordNumber]:
    """ "one and a half million" = 1.5 million, as "півтора мільйона" is."""
    found = []
    for match in _AND_A_HALF.finditer(text):
        if taken.find(1, match.start(), match.end()) != -1:
            continue
        word = match["n"].lower()
        whole = 1 if word == "a" else _TABLES["en"][word][0]
        scale = _TABLES["en"][match["scale"].lower()][0]
        found.append(WordNumber(match.start(), match.end(), (whole + 0.5) * scale, 6))
        taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return found


def find_word_numbers(text: str, lang: str, taken: bytearray | None = None) -> list[WordNumber]:
    """Numbers written as words in `text`, in order; spans marked in `taken` are skipped."""
    table = _TABLES.get(lang)
    if table is None:
        return []
    halves: list[WordNumber] = []
    if lang == "en" and "half" in text.lower():
        taken = taken if taken is not None else bytearray(len(text))
        halves = _and_a_half(text, taken)
    spellings = _SPELLINGS[lang]
    if not any(word in spellings for word in _WORD.findall(text.lower())):
        return halves  # the common case, settled by one findall and set lookups
    contextual = _CONTEXTUAL[lang]
    gap = _GAP[lang]
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
            if ordinal_may_follow and _ORDINAL_AFTER.match(text, number.end):
                continue  # "двадцять п'ятого": an ordinal
            numbers.append(number)
    return sorted(halves + numbers, key=lambda number: number.start)
