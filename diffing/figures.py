"""Find the figures a paragraph states and normalise them, in every language of the registry.

Two editions of one article must yield the same records for the same statement however each
writes it: "427 тисяч", "427,000" and "427 тыс." are 427000; "1,5 млн" and "1.5 million"
are 1500000; "seven" and "сімома" are 7; "понад 36 тисяч" and "more than 36,000" are 36000
with the qualifier "over".

Conventions of a record (see `Figure`):

* kind "count" (a plain number), "money" (unit is an ISO currency: UAH, USD, EUR, RUB, GBP,
  PLN), "factor" (unit "times"),
  "percent" (unit "percent", or "pp" for percentage points), "measure" (unit such as "MWh",
  "MW", "GW", "km", "km2", "t", "kg", "ha", "m3", "bbl", "°C"), "year", "date", "time".
* date value = YYYYMMDD as a number: "24 лютого 2025 року", "February 24, 2025",
  "24 февраля 2025", "24.02.2025" and "2025-02-24" are all 20250224.0. A date without a
  year is MMDD ("24 лютого" = 224.0), a month with a year is YYYYMM00 ("у лютому 2025" =
  20250200.0). "24–25 лютого" is a date range (224.0 .. 225.0).
* time value = HHMM: "17:00", "о 17.00" (dotted only after о/об/в/at/з/до/from/until...),
  "5 p.m." and "5pm" are 1700.0; "9:00–18:00" is a time range.
* year: a plain four-digit 1900–2100 with a year word after it ("2025 року", "2025 г.",
  "2025-го") or a year preposition before it ("у 2025", "in 2025", "since 2014", "mid-2025"),
  and any dash range of two such numbers ("2022–2024"). Without that context it is a count.
* a range keeps its lower end in `value` and its upper end in `high`: "30–40 тис.",
  "від 30 до 40", "з 30 до 40", "between 30 and 40", "from 30 to 40", "30 to 40 thousand".
  A multiplier or unit written once applies to both ends.
* qualifiers are normalised to English: over, under, about, almost, at least, at most, up to.
  They are attached to counts, money, percentages and measures only.

Reading digits (the rules that keep "2025 427" two numbers and "1 500" one):

* a space (also U+00A0, U+202F, U+2009) joins digit groups only as a thousands separator:
  the first group has 1–3 digits and every later group exactly 3; it never joins after a
  month name ("May 5 100 people").
* a comma or dot followed by 1, 2 or 4+ digits is a decimal separator ("1,5 млн", "1.5").
* a comma or dot followed by exactly 3 digits: when the number repeats that separator
  ("1,234,567") or also uses the other one ("1,234.5", "1.234,5") it is a thousands
  separator. When it is the only separator: in English "," is thousands ("1,234") and "."
  decimal ("1.500" = 1.5); in Ukrainian and Russian both are thousands ("3,000", "1.500" =
  3000, 1500) EXCEPT right before a multiplier word, where the local decimal reading wins:
  "1,500 млн" = 1.5 million (a Ukrainian or Russian writer means a decimal there, and the
  English edition of the same sentence says "1.5 million"). English "1,500 million" stays
  1.5 billion.
* a number with several separators of one kind that are not all 3-digit groups, or a
  separator after a decimal part ("1.2.3", "192.168.0.1") is not a figure.

Not figures: digits glued to letters or joined to a word by a hyphen (Су-34, F-16,
COVID-19, PAC-3, G7, M142, 155mm, 155-мм, 47-ма, 47th, 3-й), document numbers (№ 123,
No. 45), phone numbers, URLs and e-mail addresses, and digits around "/" or ":" that are not
a clock time (24/7, 3:1). Glued suffixes that are units or multipliers are fine ("5%", "5k",
"$5m", "10km", "5MW", "5pm"); calibres ("155mm") are not.

Signs, factors and suffixes:

* below zero: a minus sign ("−12 °C"), a minus word ("мінус 7", "минус 7", "minus 7"), or a
  below-zero phrase after a temperature ("7 градусів морозу", "9 degrees below zero"). A
  hyphen before digits is a minus only for a temperature ("-3 °C", "0…-3 °C"); "-5%" stays 5.
* a factor is kind "factor", unit "times": "у 3,5 рази", "в 1,5 раза", "3.5 times", "2.5-fold",
  "вдвічі", "вдвое", "twice". Where "times" also counts events (English, Polish: "attacked 19
  times"), it is a factor only before a comparative ("three times as many"), after a verb of
  change ("rose 3 times") or when not a whole number; in Ukrainian and Russian only after
  у/в ("19 разів" is a count). The comparison treats a factor and a count of one value alike.
* a cardinal with a case suffix is a cardinal: "3-х", "10-ти днів", "7-ми" (not "3-й", "47-ма").
* a count before a calibre stays a count: "20 152-мм снарядів" is 20 (152 is no thousands).
* "24/02/2025" is a date; "02/24/2025" too, where the day cannot come first.
* a number too long for a float (more than MAX_DIGITS digits) is skipped.

Every word list and pattern comes from the language registry (diffing.langs): a text is read
with the vocabulary of its language's `reads` (uk, ru and en read each other's words, as they
always have here; pl reads its own), so this module names no language.

Known gaps: fractions in words beyond півтора/полтора ("два з половиною мільйони") are read as
their first number; a year with no year word or preposition ("the 2022 invasion") is a count
(the comparison treats a bare count equal to a year as the same figure); ordinal numerals
written as words are skipped only when they close a compound ("двадцять п'ятого").

"2,300 т" in a language with decimal commas is ambiguous: the page's own convention decides
(`number_convention`: a page that writes "1,5 млн" means 2.3; one that writes "1,234,567"
means 2300); with no convention it is read as 2300 and the record says `ambiguous`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from diffing import langs
from diffing.langs.base import LanguageRules, RangeJoin
from diffing.langs.common import CURRENCY_BEFORE, SI_PREFIXES, UNIT_GROUPS, UNIT_SYMBOLS
from diffing.numwords import find_word_numbers

__all__ = ["DECIMAL_COMMA", "GROUPING_COMMA", "Figure", "extract_figures", "number_convention"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure as the article states it, with its normalised value."""

    raw: str
    value: float
    high: float | None
    unit: str | None
    qualifier: str | None
    kind: str
    start: int
    end: int
    # "2,300 т" where the page shows no convention: read as 2300, but it may mean 2.3
    ambiguous: bool = False

    def to_dict(self) -> dict:
        record = {
            "raw": self.raw,
            "value": self.value,
            "high": self.high,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
        }
        if self.ambiguous:
            record["ambiguous"] = True
        return record


# --------------------------------------------------------------------------- vocabulary

_SPACES = " \u00a0\u202f\u2009"
_WS = "[ \u00a0\u202f\u2009]"
_HYPHENS = "-‑‐"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"

_EXPONENT = {"e3": 3, "e6": 6, "e9": 9, "e12": 12, "g3": 3, "g6": 6}
_NO_GLUE_UNITS = frozenset({"mm", "cm", "m"})  # "155mm" is a calibre, not a measure
# units that make a hyphenated compound a measure ("54-hectare"); never mm/cm ("155-мм")
_COMPOUND = frozenset(
    {"ha", "km", "t", "kg", "l", "km2", "times", "timesc"}
    | {f"{prefix}{unit}" for prefix in SI_PREFIXES for unit in ("W", "Wh")}  # "1,000-MW unit"
)
_SENTENCE_END = re.compile(r"[.!?;]\s")


def _longest_first(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _alternation(fragments: list[str]) -> str:
    return "|".join(fragment for fragment in fragments if fragment)


@dataclass(frozen=True)
class _Grammar:
    """The compiled figure grammar of one reading set of languages (see LanguageRules.reads).

    Built from the registry's rules once per set, so `extract_figures` never names a
    language: every word list and pattern below comes from diffing.langs.
    """

    month_number: dict[str, int]
    multiplier: re.Pattern[str]
    unit_after: re.Pattern[str]
    unit_of: dict[str, tuple[str, str]]
    currency_before: re.Pattern[str]
    qualifier_of: dict[str, str]
    qualifier_last_words: frozenset[str]
    qualifier_max_words: int
    year_prepositions: frozenset[str]
    year_preposition_last_words: frozenset[str]
    year_glued_prefix: re.Pattern[str]
    year_after: re.Pattern[str]
    year_suffix: re.Pattern[str]
    change_verb: re.Pattern[str]
    range_prefixes: frozenset[str]
    range_join: re.Pattern[str]
    joins: dict[str, RangeJoin]
    day_first: re.Pattern[str]
    month_first: re.Pattern[str]
    month_year: re.Pattern[str]
    hour_daypart: re.Pattern[str]
    day_part_of: dict[str, str]
    time_prepositions: frozenset[str]
    month_ending_here: re.Pattern[str]
    month_before: re.Pattern[str]
    decimal_mark: str
    slash_date_order: str
    minus_words: frozenset[str]
    minus_cased: tuple[str, ...]  # the minus words as written, lower and capitalised
    below_zero: re.Pattern[str]
    factor_prepositions: frozenset[str]
    factor_word: re.Pattern[str]
    factor_value: dict[str, float]
    factor_hints: tuple[str, ...]  # substrings one of which a factor word must contain
    factor_in_context: frozenset[str]  # factor words that also count occurrences ("twice")
    factor_comparative: re.Pattern[str]
    cardinal_suffix: re.Pattern[str]


_NEVER = "(?!)"
_FACTOR_AFTER_PREPOSITION = "timesp"  # "у 3,5 рази": a factor only after у/в
_FACTOR_IN_CONTEXT = "timesc"  # "3.5 times more", "rose 3 times": not "attacked 19 times"


def _unit_pattern(name: str, languages: list[LanguageRules]) -> str:
    """One unit group's alternation: script-bound symbols, shared symbols, then words."""
    fragments: list[str] = []
    prefix = name[0] if name[:1] in SI_PREFIXES and name[1:] in ("W", "Wh") else None
    for rules in languages:
        if prefix is not None:
            symbol = rules.energy_symbol if name.endswith("Wh") else rules.power_symbol
            if symbol and prefix in rules.si_prefix_symbols:
                fragments.append(symbol.replace("{p}", rules.si_prefix_symbols[prefix]))
        elif name in rules.unit_symbols:
            fragments.append(rules.unit_symbols[name])
    if name in UNIT_SYMBOLS:
        fragments.append(UNIT_SYMBOLS[name])
    for rules in languages:
        if prefix is not None:
            words = rules.energy_words if name.endswith("Wh") else rules.power_words
            if words and prefix in rules.si_prefix_words:
                fragments.append("(?i:" + words.replace("{p}", rules.si_prefix_words[prefix]) + ")")
        elif name in rules.units:
            fragments.append(rules.units[name])
    return _alternation(fragments) or _NEVER


@cache
def _grammar(lang: str) -> _Grammar:
    own = langs.REGISTRY[lang]
    languages = [langs.REGISTRY[code] for code in own.reads if code in langs.REGISTRY]
    month_number: dict[str, int] = {}
    insensitive: list[str] = []
    sensitive: list[str] = []
    for rules in languages:
        for number, forms in enumerate(rules.months, start=1):
            for form in forms:
                month_number.setdefault(form.lower(), number)
                (sensitive if rules.months_case_sensitive else insensitive).append(form)
    month_groups = []
    if insensitive:
        month_groups.append("(?i:" + _longest_first(insensitive) + ")")
    if sensitive:
        month_groups.append(_longest_first(sensitive))
    any_month = rf"(?:{'|'.join(month_groups)})(?![\w'])\.?"
    leading = [f for r in languages if r.month_before_day for forms in r.months for f in forms]
    leading_month = _longest_first(leading) if leading else _NEVER
    leading_span = _alternation(
        [w for r in languages if r.month_before_day for w in r.day_span_words]
    )
    stopwords = sorted(
        {w for r in languages if r.month_before_day for w in r.month_first_stopwords}
    )
    year_words = [w for r in languages for w in r.year_words]
    year_word = rf"(?:{_alternation(year_words) or _NEVER})(?!\w)"
    year_nouns = [w for r in languages for w in r.year_nouns]

    multiplier_groups = []
    for exponent in (3, 6, 9, 12):
        fragments = [r.multipliers[exponent] for r in languages if exponent in r.multipliers]
        multiplier_groups.append(f"(?P<e{exponent}>{_alternation(fragments) or _NEVER})")
    for exponent in (3, 6):
        fragments = [
            r.glued_multipliers[exponent] for r in languages if exponent in r.glued_multipliers
        ]
        multiplier_groups.append(f"(?P<g{exponent}>{_alternation(fragments) or _NEVER})")
    multiplier = re.compile(
        rf"(?P<ws>{_WS}{{0,2}})(?:" + "|".join(multiplier_groups) + rf"){_NOT_LETTER_AFTER}"
    )

    groups = list(UNIT_GROUPS) + [g for r in languages for g in r.extra_units]
    groups += [
        ("times", "times", "factor"),
        (_FACTOR_AFTER_PREPOSITION, "times", "factor"),
        (_FACTOR_IN_CONTEXT, "times", "factor"),
    ]
    unit_of = {name: (unit, kind) for name, unit, kind in groups}
    factor_units = {
        "times": [
            r.factor_units
            for r in languages
            if not r.factor_prepositions and not r.factor_comparatives
        ],
        _FACTOR_AFTER_PREPOSITION: [r.factor_units for r in languages if r.factor_prepositions],
        _FACTOR_IN_CONTEXT: [r.factor_units for r in languages if r.factor_comparatives],
    }
    unit_patterns = {
        name: _alternation(factor_units[name]) or _NEVER
        if name in factor_units
        else _unit_pattern(name, languages)
        for name in unit_of
    }
    unit_after = re.compile(
        rf"(?P<ws>{_WS}{{0,2}})(?:"
        + "|".join(f"(?P<{name}>{pattern})" for name, pattern in unit_patterns.items())
        + rf"){_NOT_LETTER_AFTER}"
    )
    factor_value = {w.lower(): v for r in languages for w, v in r.factor_words.items()}
    factor_in_context = frozenset(
        w.lower() for r in languages if r.factor_comparatives for w in r.factor_words
    )
    comparatives = [re.escape(c) for r in languages for c in r.factor_comparatives]
    below_zero = [f for r in languages for f in r.below_zero]
    cardinal_suffixes = [s for r in languages for s in r.cardinal_suffixes]
    currency_before = re.compile(
        "(?:"
        + "|".join(f"(?P<{code}>{pattern})" for code, pattern in CURRENCY_BEFORE.items())
        + rf"){_WS}?\Z"
    )

    qualifier_of = {
        phrase: normal
        for rules in languages
        for normal, phrases in rules.qualifiers.items()
        for phrase in phrases
    }
    year_prepositions = frozenset(p for r in languages for p in r.year_prepositions)
    year_prefixes = [p for r in languages for p in r.year_prefixes]
    year_suffixes = [s for r in languages for s in r.year_suffixes]
    change_verbs = [v for r in languages for v in r.change_verbs]
    joins: dict[str, RangeJoin] = {}
    for rules in languages:
        for word, join in rules.range_joins.items():
            known = joins.get(word)
            joins[word] = (
                join
                if known is None
                else RangeJoin(
                    known.prefixes | join.prefixes,
                    known.required and join.required,
                    known.may_be_change or join.may_be_change,
                )
            )
    join_words = _alternation([re.escape(word) for word in joins])
    day_span_words = _alternation(
        list(dict.fromkeys(w for r in languages for w in r.day_span_words))
    )
    day_span = rf"(?:{_WS}?[-–—]{_WS}?|{_WS}+(?i:{day_span_words or _NEVER}){_WS}+)"
    day_part_of = {word: part for r in languages for word, part in r.day_parts.items()}
    not_a_noun = "|".join(stopwords) or _NEVER
    return _Grammar(
        month_number=month_number,
        multiplier=multiplier,
        unit_after=unit_after,
        unit_of=unit_of,
        currency_before=currency_before,
        qualifier_of=qualifier_of,
        qualifier_last_words=frozenset(phrase.split()[-1] for phrase in qualifier_of),
        qualifier_max_words=max((len(p.split()) for p in qualifier_of), default=1),
        year_prepositions=year_prepositions,
        year_preposition_last_words=frozenset(p.split()[-1] for p in year_prepositions),
        year_glued_prefix=re.compile(
            rf"(?<![\w])(?i:{_alternation(year_prefixes) or _NEVER})[-‑]\Z"  # mid-2025
        ),
        year_after=re.compile(
            rf"{_WS}?(?:{year_word}|(?:{_alternation(year_nouns) or _NEVER})(?![\w]))"
        ),
        year_suffix=re.compile(rf"[-‑](?:{_alternation(year_suffixes) or _NEVER})(?![\w])"),
        change_verb=re.compile(rf"(?i:{_alternation(change_verbs) or _NEVER})"),
        range_prefixes=frozenset(p for r in languages for p in r.range_prefixes),
        range_join=re.compile(rf"{_WS}?[-–—]{_WS}?|\s+(?P<w>(?i:{join_words or _NEVER}))\s+"),
        joins=joins,
        day_first=re.compile(
            r"(?<![\w.,])(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?"
            rf"(?:{day_span}(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?"
            rf"{_WS}+(?:of{_WS}+)?(?P<mon>{any_month})"
            rf"(?:,?{_WS}+(?P<y>(?:19|20)\d\d)(?![\d])(?:{_WS}?{year_word})?)?"
        ),
        month_first=re.compile(
            rf"(?<![\w])(?P<mon>(?:{leading_month})(?![\w'])\.?){_WS}+(?P<d1>[0-3]?\d)"
            r"(?:st|nd|rd|th)?"
            rf"(?:{_WS}?[-–—]{_WS}?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?"
            # "May 3 to 11": a span unless a noun follows ("May 3 to 11 people")
            rf"|{_WS}+(?i:{leading_span or _NEVER}){_WS}+(?P<d2w>[0-3]?\d)(?:st|nd|rd|th)?"
            rf"(?!{_WS}*(?!(?:{not_a_noun})\b)[\w%]))?"
            r"(?![\d,.]\d)"
            rf"(?:,?{_WS}+(?P<y>(?:19|20)\d\d)(?![\d]))?(?![\w])"
        ),
        month_year=re.compile(
            rf"(?<![\w])(?P<mon>{any_month}),?{_WS}+(?P<y>(?:19|20)\d\d)(?![\d])"
            rf"(?:{_WS}?{year_word})?"
        ),
        hour_daypart=re.compile(
            rf"(?<![\d:.,])(?P<h>1[0-2]|0?[1-9]){_WS}+"
            rf"(?P<part>(?i:{_alternation(list(day_part_of)) or _NEVER}))(?![\w])"
        ),
        day_part_of=day_part_of,
        time_prepositions=frozenset(p for r in languages for p in r.time_prepositions),
        month_ending_here=re.compile(rf"(?<![\w]){any_month},?{_WS}+\Z"),
        month_before=re.compile(rf"{any_month}{_WS}+\Z"),
        decimal_mark=own.decimal_mark,
        slash_date_order=own.slash_date_order,
        minus_words=frozenset(w for r in languages for w in r.minus_words),
        minus_cased=tuple(
            dict.fromkeys(f for r in languages for w in r.minus_words for f in (w, w.title()))
        ),
        below_zero=re.compile(rf"{_WS}+(?i:{_alternation(below_zero) or _NEVER})(?![\w])"),
        factor_prepositions=frozenset(p for r in languages for p in r.factor_prepositions),
        factor_word=re.compile(
            rf"(?<![\w'’ʼ])(?i:{_longest_first(list(factor_value)) or _NEVER})(?![\w'’ʼ])"
        ),
        factor_value=factor_value,
        factor_hints=tuple(dict.fromkeys(w[:4] for w in factor_value)),
        factor_in_context=factor_in_context,
        factor_comparative=re.compile(rf"{_WS}+(?i:{_alternation(comparatives) or _NEVER})"),
        cardinal_suffix=re.compile(
            rf"[-‑](?:{_alternation(dict.fromkeys(cardinal_suffixes)) or _NEVER})(?![\w])"
        ),
    )


# --------------------------------------------------------------------------- masks

_LINKS = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"  # URLs
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"  # e-mail
)
_LINK_HINTS = ("://", "www.", "@")
_DOCUMENT_NUMBER = re.compile(r"(?:№|#|\bNo\.?|\bNr\.?)[\s\u00a0]?\d[\w/.\-–]*")
_DOCUMENT_HINTS = ("№", "#", "No", "Nr")
_PHONE = re.compile(  # matched where a digit run starts (or at the "+" / "(" before it)
    r"\+\d{1,3}(?:[\s\u00a0().-]{0,2}\d){7,13}"  # +380 44 123 45 67
    r"|\(\d{2,5}\)[\s\u00a0]?\d{2,4}(?:[\s\u00a0-]\d{2,4}){1,3}"  # (044) 123-45-67
    r"|(?<![\d,.\-])\d{3}-\d{2}-\d{2}(?![\d-])"  # 123-45-67
    r"|(?<![\d,.\-])\d{3}-\d{3}-\d{4}(?!\d)"  # 202-555-0143
    r"|(?<![\d,.])0\d{2}[\s\u00a0]\d{3}[\s\u00a0]\d{2}[\s\u00a0]\d{2}(?!\d)"  # 067 123 45 67
    r"|(?<![\d,.])0[\s\u00a0]?800[\s\u00a0-]?\d{3}[\s\u00a0-]?\d{3}(?!\d)"  # 0 800 500 335
)

# --------------------------------------------------------------------------- dates, times

_NUMERIC_DATE = re.compile(
    r"(?<![\d.,])(?P<d1>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)(?![\d]|[.,]\d)"
    r"|(?<![\d/])(?P<s1>[0-3]?\d)/(?P<s2>[0-3]?\d)/(?P<sy>(?:19|20)\d\d)(?![\d/])"
    r"|(?<![\d\-])(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d])"
)

_AMPM = r"(?P<ap>[ap]\.m\.|[ap]\.m|[ap]m|[AP]M|[AP]\.M\.)"
_CLOCK = re.compile(
    rf"(?<![\d:.,])(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)(?:{_WS}?{_AMPM})?"
    rf"(?:{_WS}?[-–—]{_WS}?(?P<h2>[01]?\d|2[0-4]):(?P<mi2>[0-5]\d)"
    rf"(?:{_WS}?(?P<ap2>[ap]\.m\.|[ap]\.m|[ap]m|[AP]M|[AP]\.M\.))?)?(?![\d:]|[.,]\d)"
)
_HOUR_AMPM = re.compile(rf"(?<![\d:.,])(?P<h>1[0-2]|0?[1-9]){_WS}?{_AMPM}(?![\w])")
_DOTTED_TIME = re.compile(r"(?P<h>[01]?\d|2[0-3])\.(?P<mi>[0-5]\d)(?![\d]|[.,]\d)")

# --------------------------------------------------------------------------- numbers

_DIGIT_RUN = re.compile(r"[0-9]+")
# A number of more digits than this is no quantity a float can hold once a multiplier (up
# to 10**12) applies; it is skipped rather than allowed to overflow (issue 12).
MAX_DIGITS = 290
_NUMBER_TOKEN = re.compile(r"[0-9]+(?:[.,\u00a0\u202f\u2009 ][0-9]+)*")
_GROUP_SPLIT = re.compile(r"([.,\u00a0\u202f\u2009 ])")
_EDGE_PUNCTUATION = "([«\"„“”'‘’—–-"


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _is_letter(char: str) -> bool:
    return char.isalpha()


@dataclass(slots=True)
class _Item:
    """A number being built up: digits or words, then multiplier, unit, range, qualifier."""

    start: int
    end: int
    numerator: int | float  # value before the multiplier, times `scale`
    scale: int = 1
    exponent: int = 0  # the multiplier's power of ten
    has_multiplier: bool = False
    unit: str | None = None
    kind: str = "count"
    plain: bool = False  # digits only: no separator, multiplier or unit
    high: float | None = None
    forced_year: bool = False
    ambiguous: bool = False

    @property
    def value(self) -> float:
        return float(self.numerator * 10**self.exponent / self.scale)

    @property
    def base(self) -> float:
        return self.numerator / self.scale


def _mark(taken: bytearray, start: int, end: int) -> None:
    taken[start:end] = b"\x01" * (end - start)


def _free(taken: bytearray, start: int, end: int) -> bool:
    return taken.find(1, start, end) == -1


def _phrases_before(text: str, end: int, most: int) -> list[tuple[str, int]]:
    """The last 1..`most` words before `end` (which must follow a space), longest first.

    Each phrase comes lowercased with single spaces, with the offset where it starts; looking
    words up in a table is much faster than running a big regex over a window of text.
    """
    if end == 0 or not text[end - 1].isspace():
        return []
    window_start = max(0, end - 40)
    window = text[window_start:end]
    words = window.split()[-most:]
    if not words:
        return []
    offsets = []
    cursor = len(window)
    for word in reversed(words):
        cursor = window.rfind(word, 0, cursor)
        offsets.append(cursor)
    offsets.reverse()
    if offsets[0] == 0 and window_start > 0 and not text[window_start - 1].isspace():
        words, offsets = words[1:], offsets[1:]  # a word cut by the window
    phrases = []
    for first in range(len(words)):
        phrase_words = words[first:]
        lead = phrase_words[0]
        stripped = lead.lstrip(_EDGE_PUNCTUATION)
        if not stripped:
            continue
        if any(not word[-1].isalnum() and word[-1] != "." for word in phrase_words[:-1]):
            continue  # "over, 5": punctuation between the words breaks the phrase
        phrase = " ".join([stripped, *phrase_words[1:]]).lower()
        phrases.append((phrase, window_start + offsets[first] + len(lead) - len(stripped)))
    return phrases


def _last_word(text: str, end: int) -> str:
    """The lowercased word right before `end` and the space after it ("" if none)."""
    if end == 0 or not text[end - 1].isspace():
        return ""
    words = text[max(0, end - 24) : end].rsplit(None, 1)
    return words[-1].lower() if words else ""


def _qualifier_before(g: _Grammar, text: str, start: int) -> tuple[str, int] | None:
    if _last_word(text, start) not in g.qualifier_last_words:
        return None  # the common case, settled without splitting phrases
    for phrase, phrase_start in _phrases_before(text, start, g.qualifier_max_words):
        qualifier = g.qualifier_of.get(phrase)
        if qualifier is not None:
            return qualifier, phrase_start
    return None


def _year_context_before(g: _Grammar, text: str, start: int) -> bool:
    if _last_word(text, start) not in g.year_preposition_last_words:
        return False
    return any(phrase in g.year_prepositions for phrase, _ in _phrases_before(text, start, 2))


def _range_prefix_before(g: _Grammar, text: str, start: int) -> tuple[str, int] | None:
    for phrase, phrase_start in _phrases_before(text, start, 1):
        if phrase in g.range_prefixes:
            return phrase, phrase_start
    return None


# ---- step 1: masks ---------------------------------------------------------------------


def _mask_links(text: str, taken: bytearray) -> None:
    """URLs, e-mail addresses and document numbers hold digits that are no figures."""
    if any(hint in text for hint in _LINK_HINTS):
        for match in _LINKS.finditer(text):
            _mark(taken, *match.span())
    if any(hint in text for hint in _DOCUMENT_HINTS):
        for match in _DOCUMENT_NUMBER.finditer(text):
            _mark(taken, *match.span())


def _mask_phone(text: str, start: int, taken: bytearray) -> bool:
    """Mask a phone number starting at the digit run at `start` (or its "+" / "(")."""
    if start and text[start - 1] in "+(":
        start -= 1
    elif text[start] != "0" and text[start + 3 : start + 4] != "-":
        return False  # every pattern but "+..." and "(...)" starts 0 or NNN-
    match = _PHONE.match(text, start)
    if match is None:
        return False
    _mark(taken, *match.span())
    return True


# ---- step 2: dates and times ------------------------------------------------------------
# Both are tried only where a digit run starts, so a paragraph costs a few regex matches
# per number instead of several scans of the whole text.


def _day(text: str | None) -> int | None:
    if text is None:
        return None
    day = int(text)
    return day if 1 <= day <= 31 else None


def _date_value(year: int | None, month: int, day: int | None) -> float:
    if year is None:
        return float(month * 100 + (day or 0))
    return float(year * 10000 + month * 100 + (day or 0))


def _month(g: _Grammar, name: str) -> int:
    return g.month_number[name.rstrip(".").lower()]


def _date_at(
    g: _Grammar, text: str, start: int, end: int
) -> tuple[int, int, float, float | None] | None:
    """(start, end, value, high) of a date whose first digit run is text[start:end]."""
    after = text[end : end + 1]
    match = _NUMERIC_DATE.match(text, start) if after in (".", "-", "/") else None
    if match is not None:
        if match["iy"]:
            year, month, day = int(match["iy"]), int(match["im"]), _day(match["id"])
        elif match["sy"]:  # 24/02/2025; 02/24/2025 only where the day cannot be first
            first, second, year = int(match["s1"]), int(match["s2"]), int(match["sy"])
            day_first = g.slash_date_order == "dmy" if max(first, second) <= 12 else first > 12
            day, month = (first, second) if day_first else (second, first)
            day = _day(str(day))
        else:
            year, month, day = int(match["y"]), int(match["m"]), _day(match["d1"])
        if day is not None and 1 <= month <= 12:
            return *match.span(), _date_value(year, month, day), None
    candidates = [g.day_first.match(text, start) if end - start <= 2 else None]
    if start and text[start - 1] in _SPACES and end - start <= 4:
        month_before = g.month_ending_here.search(text, max(0, start - 16), start)
        if month_before is not None:
            candidates.append(g.month_first.match(text, month_before.start()))
            candidates.append(g.month_year.match(text, month_before.start()))
    for match in candidates:
        if match is None:
            continue
        month = _month(g, match["mon"])
        if "d1" not in match.groupdict():  # month and year
            return *match.span(), _date_value(int(match["y"]), month, 0), None
        second_day = match["d2"] or match.groupdict().get("d2w")
        first, second = _day(match["d1"]), _day(second_day)
        if first is None or (second_day is not None and (second is None or second <= first)):
            continue
        year = int(match["y"]) if match["y"] else None
        high = _date_value(year, month, second) if second is not None else None
        return *match.span(), _date_value(year, month, first), high
    return None


def _clock(hour: str, minute: str | None, ampm: str | None) -> float | None:
    hours = int(hour)
    if ampm:
        if hours > 12:
            return None
        afternoon = ampm[0] in "pP"
        hours = hours % 12 + (12 if afternoon else 0)
    return float(hours * 100 + (int(minute) if minute else 0))


def _time_at(
    g: _Grammar, text: str, start: int, end: int
) -> tuple[int, int, float, float | None] | None:
    """(start, end, value, high) of a clock time whose hour is text[start:end]."""
    if end - start > 2:
        return None
    match = _CLOCK.match(text, start)
    if match is not None:
        value = _clock(match["h"], match["mi"], match["ap"])
        high = _clock(match["h2"], match["mi2"], match["ap2"]) if match["h2"] else None
        if value is not None:
            return *match.span(), value, high
    match = _HOUR_AMPM.match(text, start)
    if match is not None:
        value = _clock(match["h"], None, match["ap"])
        if value is not None:
            return *match.span(), value, None
    match = g.hour_daypart.match(text, start)
    if match is not None:
        hour, part = int(match["h"]), g.day_part_of[match["part"].lower()]
        if part == "morning":  # "8 ранку" = "8 утра" = 8 a.m.
            hour = 0 if hour == 12 else hour
        elif part == "night":  # "11 ночі" = 11 p.m., "2 ночі" = 2 a.m.
            hour = hour if hour <= 5 else (hour + 12) % 24
        elif part == "afternoon":  # "2 дня" = 2 p.m.
            hour = hour + 12 if hour <= 6 else hour
        else:  # evening: "10 вечора" = 10 p.m.
            hour = hour + 12 if hour < 12 else hour
        return *match.span(), float(hour * 100), None
    match = _DOTTED_TIME.match(text, start)
    if match is not None and any(
        phrase in g.time_prepositions for phrase, _ in _phrases_before(text, start, 1)
    ):
        return *match.span(), _clock(match["h"], match["mi"], None), None
    return None


def _dates_and_times(
    g: _Grammar, text: str, runs: list[tuple[int, int]], taken: bytearray, found: list[Figure]
) -> None:
    for start, run_end in runs:
        if taken[start] or _mask_phone(text, start, taken):
            continue
        kind = "date"
        span = _date_at(g, text, start, run_end)
        if span is None:
            kind = "time"
            span = _time_at(g, text, start, run_end)
        if span is None or not _free(taken, span[0], span[1]):
            continue
        begin, end, value, high = span
        found.append(Figure(text[begin:end], value, high, None, None, kind, begin, end))
        _mark(taken, begin, end)


# ---- step 3: numbers in digits ------------------------------------------------------------


def _read_digits(
    g: _Grammar, text: str, start: int, decimal_mark: str, convention: str | None = None
) -> tuple[int, str, str, bool] | None:
    """(end, integer digits, fraction digits, ambiguous) of the number token at `start`.

    None when the token is no number. `ambiguous`: a lone comma before three digits in a
    language that writes decimal commas ("2,300 т"), read as thousands with no page
    convention (`number_convention`) to say otherwise.
    """
    ambiguous = False
    parts = _GROUP_SPLIT.split(_NUMBER_TOKEN.match(text, start).group())
    integer = [parts[0]]
    fraction = ""
    thousands: str | None = None  # "space", "," or "."
    end = start + len(parts[0])
    after_month = None
    for index in range(1, len(parts), 2):
        separator, group = parts[index], parts[index + 1]
        kind = "space" if separator in _SPACES else separator
        if fraction:
            if kind == "space":
                break
            return None  # 1.2.3, 192.168.0.1
        if kind == "space":
            if after_month is None:
                after_month = bool(g.month_before.search(text, max(0, start - 14), start))
            if (
                len(group) != 3
                or len(parts[0]) > 3
                or thousands not in (None, "space")
                or after_month
                or _calibre_at(g, text, end + len(separator))
            ):
                break
            integer.append(group)
            thousands = "space"
        elif thousands == kind:
            if len(group) != 3:
                return None  # 1,234,56
            integer.append(group)
        elif thousands is not None:
            fraction = group  # 1,234.5 / 1.234,5 / 1 234,5
        elif len(group) != 3 or len(parts[0]) > 3 or parts[0] == "0":
            fraction = group
        else:
            following = parts[index + 2] if index + 2 < len(parts) else None
            if following in (".", ","):
                integer.append(group)  # 1,234,567 or 1,234.5
                thousands = kind
            elif decimal_mark == ".":
                if kind == ",":
                    integer.append(group)
                    thousands = kind
                else:
                    fraction = group
            elif _multiplier_follows(g, text, end + 1 + len(group)):
                fraction = group  # 1,500 млн = 1.5 million
            elif kind == "," and (convention := _decided(convention, text)) == DECIMAL_COMMA:
                fraction = group  # "2,300 т" on a page that writes "1,5 млн": 2.3
            else:
                integer.append(group)
                thousands = kind
                ambiguous = kind == "," and convention is None
        end += len(separator) + len(group)
    return end, "".join(integer), fraction, ambiguous


DECIMAL_COMMA = "decimal comma"
GROUPING_COMMA = "grouping comma"
_OWN_TEXT = "the text's own"  # no page convention given: the paragraph's numbers decide


def _decided(convention: str | None, text: str) -> str | None:
    """The convention to apply, read from the text itself only when one is needed."""
    return number_convention([text]) if convention == _OWN_TEXT else convention


_DECIMAL_COMMA_SEEN = re.compile(r"(?<![\d,.])\d+,(?:\d{1,2}|\d{4,})(?![\d,.])")
_GROUPING_COMMA_SEEN = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3}){2,}(?![\d])|\d,\d{3}\.\d")


def number_convention(paragraphs: Iterable[str]) -> str | None:
    """How a page writes numbers, from its unambiguous ones: DECIMAL_COMMA when it writes
    "1,5" or "2,75", GROUPING_COMMA when it writes "1,234,567" or "1,234.5"; None when it
    shows neither, or both. Decides "2,300 т" in a language with decimal commas."""
    decimal = grouping = False
    for text in paragraphs:
        if "," not in text:
            continue
        decimal = decimal or _DECIMAL_COMMA_SEEN.search(text) is not None
        grouping = grouping or _GROUPING_COMMA_SEEN.search(text) is not None
    if decimal == grouping:
        return None
    return DECIMAL_COMMA if decimal else GROUPING_COMMA


_GLUED_WORD_AFTER = re.compile(r"[0-9]*[-‑‐][^\W\d_]")


def _calibre_at(g: _Grammar, text: str, position: int) -> bool:
    """ "20 152-мм снарядів": a group glued by a hyphen to a word that is no measure is a
    calibre or a compound of its own, not the thousands of the number before it."""
    glued = _GLUED_WORD_AFTER.match(text, position)
    if glued is None:
        return False
    compound = g.unit_after.match(text, glued.end() - 1)
    return compound is None or bool(compound["ws"]) or compound.lastgroup not in _COMPOUND


def _multiplier_word(match: re.Match[str]) -> bool:
    """A multiplier that may follow this number: glued-only forms need no space before."""
    return not (match["g3"] or match["g6"]) or not match["ws"]


def _multiplier_follows(g: _Grammar, text: str, position: int) -> bool:
    match = g.multiplier.match(text, position)
    return match is not None and not match["g6"] and _multiplier_word(match)


def _digit_items(
    g: _Grammar,
    text: str,
    runs: list[tuple[int, int]],
    decimal_mark: str,
    taken: bytearray,
    convention: str | None = None,
) -> list[_Item]:
    items: list[_Item] = []
    resume = 0
    length = len(text)
    for start, _ in runs:
        if start < resume or taken[start]:
            continue
        read = _read_digits(g, text, start, decimal_mark, convention)
        if read is None:
            resume = _NUMBER_TOKEN.match(text, start).end()
            continue
        end, integer, fraction, ambiguous = read
        if len(integer) + len(fraction) > MAX_DIGITS:
            resume = end  # no float holds it (and int() refuses past 4,300 digits): skipped
            continue
        if not _free(taken, start, end):  # the token ran into a masked or date span
            end = _DIGIT_RUN.match(text, start).end()
            integer, fraction = text[start:end], ""
        resume = end
        item = _digit_item(g, text, start, end, integer, fraction, length)
        if item is not None:
            item.ambiguous = ambiguous
            items.append(item)
            resume = item.end
    return items


def _digit_item(
    g: _Grammar, text: str, start: int, end: int, integer: str, fraction: str, length: int
) -> _Item | None:
    """Check the token's surroundings and attach currency, multiplier and unit."""
    before = text[start - 1] if start else ""
    year_like = not fraction and len(integer) == 4 and 1900 <= int(integer) <= 2100
    forced_year = False
    if _is_letter(before) or before == "_":
        return None  # G7, M142, v2
    if before in _HYPHENS and start >= 2 and _is_letter(text[start - 2]):
        if not (year_like and g.year_glued_prefix.search(text, max(0, start - 6), start)):
            return None  # Су-34, F-16, COVID-19
        forced_year = True  # mid-2025
    if before in "/:" and start >= 2 and _is_digit(text[start - 2]):
        return None  # 24/7, 3:1
    after = text[end] if end < length else ""
    if after in "/:" and end + 1 < length and _is_digit(text[end + 1]):
        return None
    if after in _HYPHENS and end + 1 < length and _is_letter(text[end + 1]):
        suffix = g.year_suffix.match(text, end) if year_like else None
        if suffix is None:
            compound = g.unit_after.match(text, end + 1)
            if compound is not None and not compound["ws"] and compound.lastgroup in _COMPOUND:
                # "a 54-hectare plot", "54-гектарна ділянка": a measure, as "54 гектари" is
                item = _Item(
                    start, compound.end(), int(integer + fraction), scale=10 ** len(fraction)
                )
                item.unit, item.kind = g.unit_of[compound.lastgroup]
                return _signed(g, text, item)
            cardinal = None if year_like else g.cardinal_suffix.match(text, end)
            if cardinal is None:
                return None  # 47-ма, 3-й, 155-мм, 5-year
            suffix_end = cardinal.end()  # "3-х", "10-ти днів": a cardinal in an oblique case
            after = text[suffix_end] if suffix_end < length else ""
        else:
            return _Item(start, suffix.end(), int(integer), plain=True, forced_year=True)
    else:
        suffix_end = end

    item = _Item(start, end, int(integer + fraction), scale=10 ** len(fraction))
    currency = g.currency_before.search(text, max(0, start - 4), start)
    if currency is not None:
        item.unit, item.kind, item.start = currency.lastgroup, "money", currency.start()
    position = suffix_end
    glued = _is_letter(after)
    multiplier = g.multiplier.match(text, position)
    if multiplier is not None and (multiplier["g6"] and currency is None):
        multiplier = None
    if multiplier is not None and _multiplier_word(multiplier):
        item.exponent = _EXPONENT[multiplier.lastgroup]
        item.has_multiplier = True
        position = multiplier.end()
        glued = False
    unit = _unit_at(g, text, position, item.start, not fraction)
    if unit is not None and not (glued and (unit["ws"] or unit.lastgroup in _NO_GLUE_UNITS)):
        if item.unit is None or g.unit_of[unit.lastgroup][0] == item.unit:
            item.unit, item.kind = g.unit_of[unit.lastgroup]
            position = unit.end()
            glued = False
            if unit.lastgroup == _FACTOR_AFTER_PREPOSITION:
                item.start = _factor_preposition_before(g, text, item.start)
    if glued:
        return None  # 155mm, 47th, 1st, 5G
    item.end = position
    item.plain = end - start == len(integer) and position == end and currency is None
    item.forced_year = forced_year
    return _signed(g, text, item)


def _factor_preposition_before(g: _Grammar, text: str, start: int) -> int | None:
    """Where the "у"/"в" of "у 3,5 рази" starts, or None when there is none."""
    for phrase, phrase_start in _phrases_before(text, start, 1):
        if phrase in g.factor_prepositions:
            return phrase_start
    return None


def _unit_at(
    g: _Grammar, text: str, position: int, start: int, whole: bool
) -> re.Match[str] | None:
    """The unit after a number; "3 рази" is a factor only as "у 3 рази" ("3 рази" = 3 times)."""
    unit = g.unit_after.match(text, position)
    if unit is not None and unit.lastgroup == _FACTOR_AFTER_PREPOSITION:
        if _factor_preposition_before(g, text, start) is None:
            return None
    if unit is not None and unit.lastgroup == _FACTOR_IN_CONTEXT:
        if whole and not _factor_context(g, text, start, unit.end()):
            return None
    return unit


def _factor_context(g: _Grammar, text: str, start: int, end: int) -> bool:
    """ "3 times more", "twice as many", "rose three times": a factor, not occurrences."""
    return g.factor_comparative.match(text, end) is not None or _is_change(g, text, start)


def _signed(g: _Grammar, text: str, item: _Item) -> _Item:
    """A number below zero: "−12 °C" (a minus sign), "мінус 7", "-5 °C", "7 градусів морозу".

    A hyphen before digits is a minus only for a temperature: elsewhere ("-5%", "- 5 people")
    it is as often a dash or a bullet.
    """
    start = item.start
    before = text[start - 1] if start else ""
    sign_start = None
    if before == "\u2212" and (start < 2 or not _is_digit(text[start - 2])):
        sign_start = start - 1
    elif (
        before == "-"
        and item.unit == "°C"
        and (start < 2 or not (text[start - 2].isalnum() or text[start - 2] in _HYPHENS))
    ):  # "-3 °C", "0…-3 °C"; never the dash of "30-40 °C"
        sign_start = start - 1
    elif (
        g.minus_words
        and before.isspace()
        and any(text.rfind(word, max(0, start - 12), start) != -1 for word in g.minus_cased)
        and _last_word(text, start) in g.minus_words
    ):
        sign_start = _phrases_before(text, start, 1)[0][1]
    if item.unit == "°C":
        below = g.below_zero.match(text, item.end)
        if below is not None:
            item.end = below.end()
            sign_start = item.start if sign_start is None else sign_start
    if sign_start is not None and item.numerator > 0:
        item.numerator = -item.numerator
        item.start = sign_start
        item.plain = False
    return item


# ---- step 4: numbers in words -----------------------------------------------------------


def _word_items(g: _Grammar, text: str, lang: str, taken: bytearray) -> list[_Item]:
    items = []
    for number in find_word_numbers(text, lang, taken):
        value = number.value
        scale = 2 if value != int(value) else 1  # 1.5 -> 3/2 keeps the arithmetic exact
        item = _Item(number.start, number.end, int(value * scale), scale=scale)
        item.has_multiplier = value >= 1000
        unit = _unit_at(g, text, number.end, number.start, value == int(value))
        if unit is not None:
            item.unit, item.kind = g.unit_of[unit.lastgroup]
            item.end = unit.end()
            if unit.lastgroup == _FACTOR_AFTER_PREPOSITION:
                item.start = _factor_preposition_before(g, text, item.start)
        currency = g.currency_before.search(text, max(0, number.start - 4), number.start)
        if currency is not None and item.unit is None:
            item.unit, item.kind, item.start = currency.lastgroup, "money", currency.start()
        items.append(_signed(g, text, item))
    return items


def _factor_word_items(g: _Grammar, text: str, taken: bytearray) -> list[_Item]:
    """ "вдвічі", "вдвое", "twice", "dwukrotnie": a factor written as one word."""
    items: list[_Item] = []
    lowered = text.lower()
    if not any(word in lowered for word in g.factor_hints):
        return items  # the common case, settled by substring checks in C
    for match in g.factor_word.finditer(text):
        if not _free(taken, *match.span()):
            continue
        word = match.group().lower().replace("’", "'")
        if word in g.factor_in_context and not _factor_context(g, text, *match.span()):
            continue  # "halted twice by air-raid alerts"
        value = g.factor_value[word]
        item = _Item(*match.span(), int(value), unit="times", kind="factor")
        items.append(item)
    return items


# ---- step 5: ranges, years, qualifiers ----------------------------------------------------


def _is_year_number(item: _Item) -> bool:
    return item.plain and item.scale == 1 and 1900 <= item.numerator <= 2100


def _merge_ranges(g: _Grammar, text: str, items: list[_Item]) -> list[_Item]:
    merged: list[_Item] = []
    index = 0
    while index < len(items):
        low = items[index]
        if index + 1 < len(items):
            high = items[index + 1]
            joined = _join_range(g, text, low, high)
            if joined is not None:
                merged.append(joined)
                index += 2
                continue
        merged.append(low)
        index += 1
    return merged


def _is_change(g: _Grammar, text: str, prefix_start: int) -> bool:
    """ "зросла з 17 500 до 21 000 грн" states two values, an old and a new one, not a range."""
    window = text[max(0, prefix_start - 60) : prefix_start]
    window = _SENTENCE_END.split(window)[-1]
    return g.change_verb.search(window) is not None


def _share_scale(low: _Item, high: _Item) -> None:
    """ "з 17 до 21 тис. грн": the multiplier and unit written once belong to both values."""
    if not low.has_multiplier and high.has_multiplier and low.base <= high.base:
        low.exponent, low.has_multiplier = high.exponent, True
    if low.unit is None and high.unit is not None:
        low.unit, low.kind = high.unit, high.kind


def _join_range(g: _Grammar, text: str, low: _Item, high: _Item) -> _Item | None:
    if low.high is not None or high.high is not None or low.end >= high.start:
        return None
    join = g.range_join.fullmatch(text, low.end, high.start)
    if join is None:
        return None
    prefix = _range_prefix_before(g, text, low.start)
    word = join["w"].lower() if join["w"] else None
    join_rule = g.joins[word] if word is not None else None
    if join_rule is not None and join_rule.required:
        if prefix is None or prefix[0] not in join_rule.prefixes:
            return None
    if prefix is not None and (join_rule is None or prefix[0] not in join_rule.prefixes):
        prefix = None
    if low.unit is not None and high.unit is not None and low.unit != high.unit:
        return None
    if (
        join_rule is not None
        and join_rule.may_be_change
        and prefix is not None
        and not (_is_year_number(low) and _is_year_number(high))
    ):
        descending = float(low.numerator * 10**low.exponent / low.scale) >= high.value
        if descending or _is_change(g, text, prefix[1]):
            _share_scale(low, high)
            return None
    if _is_year_number(low) and _is_year_number(high):
        if low.numerator >= high.numerator:
            return None
        years = _Item(low.start, high.end, low.numerator, plain=True, forced_year=True)
        years.high = float(high.numerator)
        if prefix is not None:
            years.start = prefix[1]
        return years
    exponent = low.exponent
    if not low.has_multiplier and high.has_multiplier and low.base <= high.base:
        exponent = high.exponent
    low_value = float(low.numerator * 10**exponent / low.scale)
    if not low_value < high.value:
        return None
    joined = _Item(
        low.start if prefix is None else prefix[1],
        high.end,
        low.numerator,
        scale=low.scale,
        exponent=exponent,
        has_multiplier=low.has_multiplier or high.has_multiplier,
        unit=low.unit or high.unit,
        kind=low.kind if low.unit else high.kind,
    )
    joined.high = high.value
    joined.ambiguous = low.ambiguous or high.ambiguous
    return joined


def _finish(g: _Grammar, text: str, item: _Item) -> Figure:
    """Decide year or not, attach the qualifier, and freeze the item into a Figure."""
    kind = item.kind
    start, end = item.start, item.end
    if item.forced_year or (
        _is_year_number(item)
        and (g.year_after.match(text, end) or _year_context_before(g, text, start))
    ):
        kind = "year"
        year_word = g.year_after.match(text, end)
        if year_word is not None:
            end = year_word.end()
        return Figure(text[start:end], item.value, item.high, None, None, kind, start, end)
    qualifier = None
    found = _qualifier_before(g, text, start)
    if found is not None:
        qualifier, start = found
    return Figure(
        text[start:end],
        item.value,
        item.high,
        item.unit,
        qualifier,
        kind,
        start,
        end,
        item.ambiguous,
    )


# --------------------------------------------------------------------------- entry point


def extract_figures(text: str, lang: str, *, convention: str | None = None) -> list[Figure]:
    """All the figures `text` states, normalised, in order of appearance.

    `lang` picks the rules from the registry (diffing.langs); a language it does not know
    is read with the fallback's. `convention` is the page's (`number_convention` of all its
    paragraphs); without one, the text's own numbers decide.
    """
    if not text:
        return []
    if lang not in langs.REGISTRY:
        lang = langs.FALLBACK
    g = _grammar(lang)
    taken = bytearray(len(text))
    found: list[Figure] = []
    items: list[_Item] = []
    _mask_links(text, taken)
    runs = [run.span() for run in _DIGIT_RUN.finditer(text)]
    if runs:
        _dates_and_times(g, text, runs, taken, found)
        items = _digit_items(g, text, runs, g.decimal_mark, taken, convention or _OWN_TEXT)
        for item in items:
            _mark(taken, item.start, item.end)
    items.extend(_word_items(g, text, lang, taken))
    if g.factor_value:
        items.extend(_factor_word_items(g, text, taken))
    items.sort(key=lambda item: item.start)
    for item in _merge_ranges(g, text, items):
        found.append(_finish(g, text, item))
    found.sort(key=lambda figure: figure.start)
    return found
