"""What one language module declares: the rules object every language-aware part reads.

A language is data, not code spread over the project: its script and letters, how it
writes numbers, its months (every case form), multipliers, units, currency words,
qualifiers, number words, its lexicon column and transliteration. The figure grammar, the
number-word reader, the aligner's pairs, the language check, the crawler's code aliases,
the CLI's choices and Datasette's columns are all built from these objects, so adding a
language means adding one module to `diffing.langs` (and its tests).

Regular-expression fragments are written as the language writes them; the figure grammar
joins the fragments of the languages a text is read with (`reads`) into one alternation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Categories of number words (diffing.numwords decides what may follow what with them).
UNIT = "unit"  # 1..9
TEEN = "teen"  # 10..19
TEN = "ten"  # 20..90
HUNDREDS = "hundreds"  # a one-word hundred: "двісті", "триста", "сто"
HUNDRED = "hundred"  # the English scale word "hundred"
MULT = "mult"  # thousand, million, ... (needs a number before it)
MULT_ONE = "mult1"  # a singular "тисяча", "мільйон": a number on its own
HALF = "half"  # "півтора", "полтора": 1.5
ARTICLE = "a"  # English "a" before hundred/thousand/million

# Whitespace that may stand between a number and its word (also as a digit group separator).
WS = "[ \u00a0\u202f\u2009]"


class WordForms(dict[str, tuple[float, str]]):
    """A number-word table being written: every form of a word gets its value and category."""

    def add(self, value: float, category: str, *words: str) -> None:
        for word in words:
            self[word] = (value, category)


@dataclass(frozen=True)
class RangeJoin:
    """A word that joins two numbers into a range ("від 30 до 40", "between 30 and 40").

    `prefixes`: the words before the first number it goes with; `required`: whether the range
    needs one of them ("і" needs "між", English "to" needs none); `may_be_change`: "з 17 до
    21" after a verb of change states an old and a new value, not a range.
    """

    prefixes: frozenset[str]
    required: bool = True
    may_be_change: bool = False


@dataclass(frozen=True)
class NumberWords:
    """Cardinals written as words: every form, with its value and category."""

    table: dict[str, tuple[float, str]]
    # words that are numbers only before a matching next word ("семью дронами", "a million")
    contextual: dict[str, tuple[str, tuple[float, str]]] = field(default_factory=dict)
    # what may stand between two words of one number ("twenty-five", "hundred and ten")
    gap: str = r"[ \u00a0]+\Z"
    # ordinal stems and endings: "двадцять п'ятого" is an ordinal, not a count
    ordinal_stems: tuple[str, ...] = ()
    ordinal_endings: tuple[str, ...] = ()
    # "one and a half million": (pattern with groups n and scale) or None
    and_a_half: str | None = None


@dataclass(frozen=True)
class LanguageRules:
    """Everything the project knows about one language."""

    code: str  # ISO 639-1, as <html lang> and hreflang write it
    name: str  # in English, for help texts
    order: int  # the registry's order: columns, rows and pairs read uk, en, ru, then the rest
    script: str  # "Cyrillic" or "Latin"
    letters: str  # the alphabet, lowercase
    # letters no other registered language of the same script writes (the language check)
    marker_letters: str
    word_class: str  # a regex class body of the language's lowercase letters: "а-яіїє"
    decimal_mark: str  # "," or "."
    group_separator: str  # " " or ","
    # whose vocabulary a text in this language is read with (itself included): editions quote
    # their neighbours' words, and uk/ru/en have always been read together
    reads: tuple[str, ...]
    months: tuple[tuple[str, ...], ...]  # twelve entries, January first: every case form
    months_case_sensitive: bool = False  # English capitalises months ("may" is a verb)
    month_before_day: bool = False  # "May 5"
    month_first_stopwords: tuple[str, ...] = ()  # "May 3 to 11 people": no span before a noun
    day_span_words: tuple[str, ...] = ()  # "24 по 26 лютого", "May 3 through 11"
    year_words: tuple[str, ...] = ()  # after a date's year: "2025 року"
    year_nouns: tuple[str, ...] = ()  # after a bare number, making it a year: "2025 year"
    year_suffixes: tuple[str, ...] = ()  # glued by a hyphen: "2025-го"
    year_prefixes: tuple[str, ...] = ()  # "mid-2025"
    year_prepositions: tuple[str, ...] = ()  # "у 2025", "since 2014"
    multipliers: dict[int, str] = field(default_factory=dict)  # power of ten -> fragment
    glued_multipliers: dict[int, str] = field(default_factory=dict)  # "5k", "$5m"
    units: dict[str, str] = field(default_factory=dict)  # unit group -> words (fragment)
    # unit groups only this language brings (name, unit, kind): a currency such as PLN
    extra_units: tuple[tuple[str, str, str], ...] = ()
    si_prefix_words: dict[str, str] = field(default_factory=dict)  # "k" -> "кіло"
    energy_words: str = ""  # "{p}" stands for the prefix word: "{p}ват[а-яії]*-годин..."
    power_words: str = ""
    unit_symbols: dict[str, str] = field(default_factory=dict)  # script-bound symbols: "км"
    si_prefix_symbols: dict[str, str] = field(default_factory=dict)  # "k" -> "к"
    energy_symbol: str = ""  # "{p}" for the prefix symbol: "{p}Вт...год"
    power_symbol: str = ""
    # signed numbers: "мінус 7", and what after a temperature puts it below zero ("морозу")
    minus_words: tuple[str, ...] = ()
    below_zero: tuple[str, ...] = ()  # regex fragments
    # multiplicative factors ("у 3,5 рази", "3.5 times", "вдвічі"): unit "times", kind factor
    factor_units: str = ""  # after a number; needs a factor preposition when one is given
    factor_prepositions: tuple[str, ...] = ()  # "у", "в": "у 3 рази" (without: "3 рази")
    factor_words: dict[str, float] = field(default_factory=dict)  # "вдвічі" -> 2
    # where "times" also counts occurrences ("attacked 19 times"): a factor only before one
    # of these comparatives, after a verb of change, or when not a whole number
    factor_comparatives: tuple[str, ...] = ()
    # a cardinal written with a case suffix: "3-х", "10-ти", "7-ми" (not an ordinal)
    cardinal_suffixes: tuple[str, ...] = ()
    slash_date_order: str = "dmy"  # "24/02/2025"; an unambiguous day or month overrides it
    qualifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # normal -> phrases
    range_prefixes: tuple[str, ...] = ()
    range_joins: dict[str, RangeJoin] = field(default_factory=dict)
    change_verbs: tuple[str, ...] = ()  # stems (regex) of verbs of change
    time_prepositions: tuple[str, ...] = ()  # "о 17.00": a dotted time only after these
    day_parts: dict[str, str] = field(default_factory=dict)  # "ранку" -> "morning"
    number_words: NumberWords | None = None
    lexicon: str = ""  # its lexicon column: "concept | forms" lines (diffing.lexicon)
    lexicon_word_forms: Callable[[str], list[str]] | None = None  # regular inflections
    transliterate: Callable[[str], str] = str.lower  # into Latin, for names across scripts
    # crawled when a site profile names no languages, and always given a column: the
    # archive's mission (uk, en, ru); another language is crawled where a profile names it
    default: bool = False
    aliases: tuple[str, ...] = ()  # other codes pages use: "ua", "ukr"
    switcher_labels: tuple[str, ...] = ()  # visible language-switcher labels
    langdetect_neighbours: tuple[str, ...] = ()  # profiles that only the model tells apart
    neighbour_letters: str = ""  # marker letters those neighbours write too (Bulgarian ъ)
