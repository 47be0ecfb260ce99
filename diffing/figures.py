"""Find the figures a paragraph states and normalise them, in Ukrainian, English and Russian.

Two editions of one article must yield the same records for the same statement however each
writes it: "427 тисяч", "427,000" and "427 тыс." are 427000; "1,5 млн" and "1.5 million"
are 1500000; "seven" and "сімома" are 7; "понад 36 тисяч" and "more than 36,000" are 36000
with the qualifier "over".

Conventions of a record (see `Figure`):

* kind "count" (a plain number), "money" (unit is an ISO currency: UAH, USD, EUR, RUB, GBP),
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

Known gaps: signs are ignored (-5 °C is 5 °C); "24/02/2025" is not read as a date;
fractions in words beyond півтора/полтора ("два з половиною мільйони") are read as their
first number; a year with no year word or preposition ("the 2022 invasion") is a count (the
comparison treats a bare count equal to a year as the same figure); ordinal numerals
written as words are skipped only when they close a compound ("двадцять п'ятого").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diffing.numwords import find_word_numbers

__all__ = ["Figure", "extract_figures"]


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

    def to_dict(self) -> dict:
        return {
            "raw": self.raw,
            "value": self.value,
            "high": self.high,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
        }


# --------------------------------------------------------------------------- vocabulary

_SPACES = " \u00a0\u202f\u2009"
_WS = "[ \u00a0\u202f\u2009]"
_HYPHENS = "-‑‐"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"

_MONTHS: dict[int, tuple[str, str]] = {  # month -> (Cyrillic forms, English forms)
    1: ("січень січня січні январь января январе", "January Jan"),
    2: ("лютий лютого лютому февраль февраля феврале", "February Feb"),
    3: ("березень березня березні март марта марте", "March Mar"),
    4: ("квітень квітня квітні апрель апреля апреле", "April Apr"),
    5: ("травень травня травні май мая мае", "May"),
    6: ("червень червня червні июнь июня июне", "June Jun"),
    7: ("липень липня липні июль июля июле", "July Jul"),
    8: ("серпень серпня серпні август августа августе", "August Aug"),
    9: ("вересень вересня вересні сентябрь сентября сентябре", "September Sept Sep"),
    10: ("жовтень жовтня жовтні октябрь октября октябре", "October Oct"),
    11: ("листопад листопада листопаді ноябрь ноября ноябре", "November Nov"),
    12: ("грудень грудня грудні декабрь декабря декабре", "December Dec"),
}
_MONTH_NUMBER: dict[str, int] = {}
for _number, (_cyrillic, _english) in _MONTHS.items():
    for _form in _cyrillic.split():
        _MONTH_NUMBER[_form] = _number
    for _form in _english.split():
        _MONTH_NUMBER[_form.lower()] = _number


def _longest_first(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_CYRILLIC_MONTH = "(?i:" + _longest_first([f for c, _ in _MONTHS.values() for f in c.split()]) + ")"
_ENGLISH_MONTH = _longest_first([f for _, e in _MONTHS.values() for f in e.split()])
_ANY_MONTH = rf"(?:{_CYRILLIC_MONTH}|{_ENGLISH_MONTH})(?![\w'])\.?"
_YEAR_WORD = (
    r"(?:року|році|рік|роком|роках|роки|рр\.|р\.|года|году|годом|годах|годы|год|гг\.|г\.)(?!\w)"
)

_MULTIPLIER = re.compile(
    rf"(?P<ws>{_WS}{{0,2}})(?:"
    r"(?P<e3>тис(?:яч[а-яії]*|\.|(?![а-яії]))|тыс(?:яч[а-я]*|\.|(?![а-я]))|(?i:thousand))"
    r"|(?P<e6>млн\.?|мільйон[а-яії]*|миллион[а-я]*|(?i:million)|mln|mn)"
    r"|(?P<e9>млрд\.?|мільярд[а-яії]*|миллиард[а-я]*|(?i:billion)|bn|bln)"
    r"|(?P<e12>трлн\.?|трильйон[а-яії]*|триллион[а-я]*|(?i:trillion)|tn)"
    r"|(?P<g3>[kK])|(?P<g6>m)"  # glued only: "5k", "$5m"
    rf"){_NOT_LETTER_AFTER}"
)
_EXPONENT = {"e3": 3, "e6": 6, "e9": 9, "e12": 12, "g3": 3, "g6": 6}


def _energy(prefix_cyr: str, prefix_lat: str, word_uk: str, word_ru: str, word_en: str) -> str:
    return (
        rf"{prefix_cyr}Вт{_WS}?[·⋅•*/\-]?{_WS}?(?:год|ч)(?![\w])|{prefix_lat}W{_WS}?[·⋅•]?h"
        rf"|(?i:{word_uk}ват[а-яії]*[- ]?годин[а-яії]*|{word_ru}ватт?[а-я]*[- ]?час[а-я]*"
        rf"|{word_en}watt[- ]hours?)"
    )


def _power(prefix_cyr: str, prefix_lat: str, word_uk: str, word_ru: str, word_en: str) -> str:
    words = rf"{word_uk}ват[а-яії]*|{word_ru}ватт?[а-я]*|{word_en}watts?"
    return rf"{prefix_cyr}Вт|{prefix_lat}W|(?i:{words})"


_PREFIXES = {
    "T": ("Т", "T", "тера", "тера", "tera"),
    "G": ("Г", "G", "гіга", "гига", "giga"),
    "M": ("М", "M", "мега", "мега", "mega"),
    "k": ("к", "k", "кіло", "кило", "kilo"),
}

# (group name, unit, kind, pattern) -- order matters: longer and more specific first.
_UNIT_TABLE: list[tuple[str, str, str, str]] = [
    (
        "pp",
        "pp",
        "percent",
        r"(?i:відсотков[а-яії]*\s+пункт[а-яії]*|процентн[а-я]*\s+пункт[а-я]*|percentage\s+points?)"
        r"|в\.\s?п\.|п\.\s?п\.|pp",
    ),
    ("percent", "percent", "percent", r"%|(?i:відсот[а-яії]*|відс\.|процент[а-я]*|per\s?cent|pct)"),
    ("UAH", "UAH", "money", r"(?i:грн\.?|гривень|гривен|гривн[а-яії]*|hryvn[a-z]*)|UAH|₴"),
    (
        "USD",
        "USD",
        "money",
        r"(?i:(?:долар[а-яії]*|доллар[а-я]*|дол\.|долл\.)(?:\s+США)?|(?:US\s+)?dollars?)"
        r"|USD|US\$|\$",
    ),
    ("EUR", "EUR", "money", r"(?i:євро|евро|euros?)|EUR|€"),
    ("RUB", "RUB", "money", r"(?i:рубл[а-яії]*|руб\.?|roubles?|rubles?)|RUB|₽"),
    (
        "GBP",
        "GBP",
        "money",
        r"(?i:фунт[а-яії]*\s+стерлінг[а-яії]*|фунт[а-я]*\s+стерлинг[а-я]*|pounds?\s+sterling)"
        r"|GBP|£",
    ),
    *((f"{p}Wh", f"{p}Wh", "measure", _energy(*forms)) for p, forms in _PREFIXES.items()),
    *((f"{p}W", f"{p}W", "measure", _power(*forms)) for p, forms in _PREFIXES.items()),
    (
        "km2",
        "km2",
        "measure",
        r"км²|км2|кв\.\s?км|km²|km2|sq\.?\s?km|(?i:square\s+kilomet[a-z]+"
        r"|квадратн[а-яії]*\s+кілометр[а-яії]*|квадратн[а-я]*\s+километр[а-я]*)",
    ),
    ("kmh", "km/h", "measure", r"км/год|км/ч|km/h|kph|(?i:kilomet(?:re|er)s?\s+per\s+hour)"),
    ("km", "km", "measure", r"км|km|(?i:кілометр[а-яії]*|километр[а-я]*|kilomet(?:re|er)s?)"),
    ("mi", "mi", "measure", r"(?i:miles?)"),
    (
        "m3",
        "m3",
        "measure",
        r"м³|m³|(?i:кубометр[а-яії]*|куб\.\s?м|кубічн[а-яії]*\s+метр[а-яії]*"
        r"|кубическ[а-я]*\s+метр[а-я]*|cubic\s+met(?:re|er)s?)",
    ),
    ("mm", "mm", "measure", r"мм|mm|(?i:міліметр[а-яії]*|миллиметр[а-я]*|millimet(?:re|er)s?)"),
    ("cm", "cm", "measure", r"см|cm|(?i:сантиметр[а-яії]*|centimet(?:re|er)s?)"),
    (
        "m",
        "m",
        "measure",
        r"(?i:метр(?:ів|и|а|ах|ами)?|метров|metres?|meters?)",
    ),
    ("t", "t", "measure", r"(?i:тонн[а-яії]*|тон|tonnes?|tons?)|т|t(?![-‑])"),
    ("kg", "kg", "measure", r"кг|kg|(?i:кілограм[а-яії]*|килограмм[а-я]*|kilograms?|kilos?)"),
    ("ha", "ha", "measure", r"га|ha|(?i:гектар[а-яії]*|hectares?)"),
    ("l", "l", "measure", r"(?i:літр[а-яії]*|литр[а-я]*|litres?|liters?)"),
    ("bbl", "bbl", "measure", r"(?i:барел[а-яії]*|баррел[а-я]*|barrels?)"),
    (
        "C",
        "°C",
        "measure",
        r"°\s?[CС]|°|(?i:градус[а-яії]*(?:\s+(?:за\s+)?Цельсі[а-яії]*)?|degrees?(?:\s+Celsius)?)",
    ),
]
_UNIT_OF = {name: (unit, kind) for name, unit, kind, _ in _UNIT_TABLE}
_UNIT_AFTER = re.compile(
    rf"(?P<ws>{_WS}{{0,2}})(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, _, _, pattern in _UNIT_TABLE)
    + rf"){_NOT_LETTER_AFTER}"
)
_NO_GLUE_UNITS = frozenset({"mm", "cm", "m"})  # "155mm" is a calibre, not a measure
# units that make a hyphenated compound a measure ("54-hectare"); never mm/cm ("155-мм")
_COMPOUND = frozenset(
    {"ha", "km", "t", "kg", "l", "km2"}
    | {f"{prefix}{unit}" for prefix in _PREFIXES for unit in ("W", "Wh")}  # "1,000-MW unit"
)
_CURRENCY_BEFORE = re.compile(
    r"(?:(?P<USD>US\$|\$|(?<![\w])USD)|(?P<EUR>€|(?<![\w])EUR)|(?P<GBP>£|(?<![\w])GBP)"
    r"|(?P<UAH>₴|(?<![\w])UAH)|(?P<RUB>₽|(?<![\w])RUB))"
    rf"{_WS}?\Z"
)

_QUALIFIER_WORDS: dict[str, list[str]] = {
    "over": [
        "понад",
        "більш ніж",
        "більше ніж",
        "більш як",
        "більше як",
        "більше",
        "трохи більше",
        "свыше",
        "более чем",
        "больше чем",
        "более",
        "больше",
        "немногим более",
        "more than",
        "over",
        "just over",
        "well over",
        "upwards of",
        "in excess of",
        "above",
    ],
    "under": [
        "менш ніж",
        "менше ніж",
        "менш як",
        "менше",
        "трохи менше",
        "менее чем",
        "меньше чем",
        "менее",
        "меньше",
        "fewer than",
        "less than",
        "under",
        "just under",
        "below",
    ],
    "about": [
        "близько",
        "приблизно",
        "орієнтовно",
        "около",
        "примерно",
        "порядка",
        "приблизительно",
        "ориентировочно",
        "about",
        "around",
        "approximately",
        "approx.",
        "roughly",
        "some",
        "an estimated",
        "estimated",
    ],
    "almost": ["майже", "ледь не", "мало не", "почти", "nearly", "almost", "close to"],
    "at least": [
        "щонайменше",
        "принаймні",
        "не менше ніж",
        "не менш ніж",
        "не менш як",
        "не менше як",
        "не менше",
        "мінімум",
        "как минимум",
        "не менее чем",
        "не менее",
        "по меньшей мере",
        "по крайней мере",
        "минимум",
        "at least",
        "no fewer than",
        "no less than",
        "not less than",
        "a minimum of",
    ],
    "at most": [
        "не більше ніж",
        "не більш ніж",
        "не більше як",
        "не більше",
        "максимум",
        "не более чем",
        "не более",
        "не больше",
        "at most",
        "no more than",
        "not more than",
        "a maximum of",
    ],
    "up to": ["до", "up to", "as many as", "as much as"],
}
_QUALIFIER_OF = {word: normal for normal, words in _QUALIFIER_WORDS.items() for word in words}
_QUALIFIER_LAST_WORDS = frozenset(phrase.split()[-1] for phrase in _QUALIFIER_OF)
_QUALIFIER_MAX_WORDS = max(len(phrase.split()) for phrase in _QUALIFIER_OF)

# words before a plain four-digit number that make it a year ("у 2025", "in 2025")
_YEAR_PREPOSITIONS = (
    frozenset(
        "у в во з із зі с со до від от по після после перед протягом впродовж наприкінці к "
        "in since from by until till before after during early late".split()
    )
    | frozenset(
        f"{part} of"
        for part in "end start beginning middle half spring summer autumn fall winter".split()
    )
    | frozenset({"на початку", "в течение"})
)
_YEAR_PREPOSITION_LAST_WORDS = frozenset(phrase.split()[-1] for phrase in _YEAR_PREPOSITIONS)
_YEAR_GLUED_PREFIX = re.compile(r"(?<![\w])(?i:mid|pre|post)[-‑]\Z")  # mid-2025
_YEAR_AFTER = re.compile(rf"{_WS}?(?:{_YEAR_WORD}|(?i:year)(?![\w]))")
_YEAR_SUFFIX = re.compile(r"[-‑](?:го|му|й|ий|ому|м)(?![\w])")

# verbs that make "from X to Y" a change between two values rather than a range
_CHANGE_VERB = re.compile(
    r"(?i:зрост|зрос|зріс|виріс|збільш|підвищ|підня|знизи|зниж|зменш|скорот|скороч|подорожч|подешевш"
    r"|впа[вл]|упа[вл]|зміни|змін"
    r"|вырос|вырас|рост|увелич|повыс|подня|снизи|сниж|уменьш|сократ|сокращ|подорож|подешев"
    r"|упа[лв]|измен"
    r"|\brose\b|\brise[ns]?\b|\brising\b|increas|\braised?\b|\bgrew\b|\bgrow|\bfell\b"
    r"|\bfall|\bdrop|decreas|\bcut\b|reduc|went up|went down|climb|jump|doubl|lower|hike"
    r"|expand|shrink|slump|soar|surge|plung|declin|\bchang|revis)"
)
_SENTENCE_END = re.compile(r"[.!?;]\s")
_RANGE_PREFIXES = frozenset({"від", "з", "із", "от", "с", "from", "between", "між", "между"})
_RANGE_JOIN = re.compile(rf"{_WS}?[-–—]{_WS}?|\s+(?P<w>(?i:до|по|to|and|і|й|и|through))\s+")
_JOIN_NEEDS = {  # connector word -> range prefixes it needs ("to" needs none)
    "до": {"від", "з", "із", "от", "с"},
    "по": {"від", "з", "із", "от", "с"},
    "and": {"between"},
    "і": {"між"},
    "й": {"між"},
    "и": {"между"},
    "through": {"from"},
}

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

# "24–25", "з 3 по 11", "from 3 to 11": a span of days in one month ("3 і 11" is two dates)
_DAY_SPAN = rf"(?:{_WS}?[-–—]{_WS}?|{_WS}+(?i:по|до|to|through|till|until){_WS}+)"
_DAY_FIRST = re.compile(
    r"(?<![\w.,])(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:{_DAY_SPAN}(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?"
    rf"{_WS}+(?:of{_WS}+)?(?P<mon>{_ANY_MONTH})"
    rf"(?:,?{_WS}+(?P<y>(?:19|20)\d\d)(?![\d])(?:{_WS}?{_YEAR_WORD})?)?"
)
_MONTH_FIRST = re.compile(
    rf"(?<![\w])(?P<mon>(?:{_ENGLISH_MONTH})(?![\w'])\.?){_WS}+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:{_WS}?[-–—]{_WS}?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?"
    # "May 3 to 11": a span unless a noun follows ("May 3 to 11 people")
    rf"|{_WS}+(?i:to|through|till|until){_WS}+(?P<d2w>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?!{_WS}*(?!(?:in|at|on|and|of|the|for|with|when|while|as|this|last|next)\b)[\w%]))?"
    r"(?![\d,.]\d)"
    rf"(?:,?{_WS}+(?P<y>(?:19|20)\d\d)(?![\d]))?(?![\w])"
)
_MONTH_YEAR = re.compile(
    rf"(?<![\w])(?P<mon>{_ANY_MONTH}),?{_WS}+(?P<y>(?:19|20)\d\d)(?![\d])"
    rf"(?:{_WS}?{_YEAR_WORD})?"
)
_NUMERIC_DATE = re.compile(
    r"(?<![\d.,])(?P<d1>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)(?![\d]|[.,]\d)"
    r"|(?<![\d\-])(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d])"
)

_AMPM = r"(?P<ap>[ap]\.m\.|[ap]\.m|[ap]m|[AP]M|[AP]\.M\.)"
_CLOCK = re.compile(
    rf"(?<![\d:.,])(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)(?:{_WS}?{_AMPM})?"
    rf"(?:{_WS}?[-–—]{_WS}?(?P<h2>[01]?\d|2[0-4]):(?P<mi2>[0-5]\d)"
    rf"(?:{_WS}?(?P<ap2>[ap]\.m\.|[ap]\.m|[ap]m|[AP]M|[AP]\.M\.))?)?(?![\d:]|[.,]\d)"
)
_HOUR_AMPM = re.compile(rf"(?<![\d:.,])(?P<h>1[0-2]|0?[1-9]){_WS}?{_AMPM}(?![\w])")
# "8 ранку" = "8 утра" = 8 a.m.; "10 вечора" = 10 p.m.; "2 дня" = 2 p.m.; "11 ночі" = 11 p.m.
_HOUR_DAYPART = re.compile(
    rf"(?<![\d:.,])(?P<h>1[0-2]|0?[1-9]){_WS}+"
    r"(?P<part>(?i:ранку|зранку|вечора|дня|ночі|утра|вечера|ночи))(?![\w])"
)
_DOTTED_TIME = re.compile(r"(?P<h>[01]?\d|2[0-3])\.(?P<mi>[0-5]\d)(?![\d]|[.,]\d)")
_TIME_PREPOSITIONS = frozenset("о об в во з із до с со по at from until till by".split())
_MONTH_ENDING_HERE = re.compile(rf"(?<![\w]){_ANY_MONTH},?{_WS}+\Z")

# --------------------------------------------------------------------------- numbers

_DIGIT_RUN = re.compile(r"[0-9]+")
# A number of more digits than this is no quantity a float can hold once a multiplier (up
# to 10**12) applies; it is skipped rather than allowed to overflow (issue 12).
MAX_DIGITS = 290
_NUMBER_TOKEN = re.compile(r"[0-9]+(?:[.,\u00a0\u202f\u2009 ][0-9]+)*")
_GROUP_SPLIT = re.compile(r"([.,\u00a0\u202f\u2009 ])")
_MONTH_BEFORE = re.compile(rf"{_ANY_MONTH}{_WS}+\Z")
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


def _qualifier_before(text: str, start: int) -> tuple[str, int] | None:
    if _last_word(text, start) not in _QUALIFIER_LAST_WORDS:
        return None  # the common case, settled without splitting phrases
    for phrase, phrase_start in _phrases_before(text, start, _QUALIFIER_MAX_WORDS):
        qualifier = _QUALIFIER_OF.get(phrase)
        if qualifier is not None:
            return qualifier, phrase_start
    return None


def _year_context_before(text: str, start: int) -> bool:
    if _last_word(text, start) not in _YEAR_PREPOSITION_LAST_WORDS:
        return False
    return any(phrase in _YEAR_PREPOSITIONS for phrase, _ in _phrases_before(text, start, 2))


def _range_prefix_before(text: str, start: int) -> tuple[str, int] | None:
    for phrase, phrase_start in _phrases_before(text, start, 1):
        if phrase in _RANGE_PREFIXES:
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


def _month(name: str) -> int:
    return _MONTH_NUMBER[name.rstrip(".").lower()]


def _date_at(text: str, start: int, end: int) -> tuple[int, int, float, float | None] | None:
    """(start, end, value, high) of a date whose first digit run is text[start:end]."""
    after = text[end : end + 1]
    match = _NUMERIC_DATE.match(text, start) if after in (".", "-") else None
    if match is not None:
        if match["iy"]:
            year, month, day = int(match["iy"]), int(match["im"]), _day(match["id"])
        else:
            year, month, day = int(match["y"]), int(match["m"]), _day(match["d1"])
        if day is not None and 1 <= month <= 12:
            return *match.span(), _date_value(year, month, day), None
    candidates = [_DAY_FIRST.match(text, start) if end - start <= 2 else None]
    if start and text[start - 1] in _SPACES and end - start <= 4:
        month_before = _MONTH_ENDING_HERE.search(text, max(0, start - 16), start)
        if month_before is not None:
            candidates.append(_MONTH_FIRST.match(text, month_before.start()))
            candidates.append(_MONTH_YEAR.match(text, month_before.start()))
    for match in candidates:
        if match is None:
            continue
        month = _month(match["mon"])
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


def _time_at(text: str, start: int, end: int) -> tuple[int, int, float, float | None] | None:
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
    match = _HOUR_DAYPART.match(text, start)
    if match is not None:
        hour, part = int(match["h"]), match["part"].lower()
        if part in ("ранку", "зранку", "утра"):
            hour = 0 if hour == 12 else hour
        elif part in ("ночі", "ночи"):
            hour = hour if hour <= 5 else (hour + 12) % 24
        elif part == "дня":
            hour = hour + 12 if hour <= 6 else hour
        else:  # вечора, вечера
            hour = hour + 12 if hour < 12 else hour
        return *match.span(), float(hour * 100), None
    match = _DOTTED_TIME.match(text, start)
    if match is not None and any(
        phrase in _TIME_PREPOSITIONS for phrase, _ in _phrases_before(text, start, 1)
    ):
        return *match.span(), _clock(match["h"], match["mi"], None), None
    return None


def _dates_and_times(
    text: str, runs: list[tuple[int, int]], taken: bytearray, found: list[Figure]
) -> None:
    for start, run_end in runs:
        if taken[start] or _mask_phone(text, start, taken):
            continue
        kind = "date"
        span = _date_at(text, start, run_end)
        if span is None:
            kind = "time"
            span = _time_at(text, start, run_end)
        if span is None or not _free(taken, span[0], span[1]):
            continue
        begin, end, value, high = span
        found.append(Figure(text[begin:end], value, high, None, None, kind, begin, end))
        _mark(taken, begin, end)


# ---- step 3: numbers in digits ------------------------------------------------------------


def _read_digits(text: str, start: int, lang: str) -> tuple[int, str, str] | None:
    """(end, integer digits, fraction digits) of the number token at `start`, or None."""
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
                after_month = bool(_MONTH_BEFORE.search(text, max(0, start - 14), start))
            if (
                len(group) != 3
                or len(parts[0]) > 3
                or thousands not in (None, "space")
                or after_month
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
            elif lang == "en":
                if kind == ",":
                    integer.append(group)
                    thousands = kind
                else:
                    fraction = group
            elif _multiplier_follows(text, end + 1 + len(group)):
                fraction = group  # 1,500 млн = 1.5 million
            else:
                integer.append(group)
                thousands = kind
        end += len(separator) + len(group)
    return end, "".join(integer), fraction


def _multiplier_word(match: re.Match[str]) -> bool:
    """A multiplier that may follow this number: glued-only forms need no space before."""
    return not (match["g3"] or match["g6"]) or not match["ws"]


def _multiplier_follows(text: str, position: int) -> bool:
    match = _MULTIPLIER.match(text, position)
    return match is not None and not match["g6"] and _multiplier_word(match)


def _digit_items(
    text: str, runs: list[tuple[int, int]], lang: str, taken: bytearray
) -> list[_Item]:
    items: list[_Item] = []
    resume = 0
    length = len(text)
    for start, _ in runs:
        if start < resume or taken[start]:
            continue
        read = _read_digits(text, start, lang)
        if read is None:
            resume = _NUMBER_TOKEN.match(text, start).end()
            continue
        end, integer, fraction = read
        if len(integer) + len(fraction) > MAX_DIGITS:
            resume = end  # no float holds it (and int() refuses past 4,300 digits): skipped
            continue
        if not _free(taken, start, end):  # the token ran into a masked or date span
            end = _DIGIT_RUN.match(text, start).end()
            integer, fraction = text[start:end], ""
        resume = end
        item = _digit_item(text, start, end, integer, fraction, length)
        if item is not None:
            items.append(item)
            resume = item.end
    return items


def _digit_item(
    text: str, start: int, end: int, integer: str, fraction: str, length: int
) -> _Item | None:
    """Check the token's surroundings and attach currency, multiplier and unit."""
    before = text[start - 1] if start else ""
    year_like = not fraction and len(integer) == 4 and 1900 <= int(integer) <= 2100
    forced_year = False
    if _is_letter(before) or before == "_":
        return None  # G7, M142, v2
    if before in _HYPHENS and start >= 2 and _is_letter(text[start - 2]):
        if not (year_like and _YEAR_GLUED_PREFIX.search(text, max(0, start - 6), start)):
            return None  # Су-34, F-16, COVID-19
        forced_year = True  # mid-2025
    if before in "/:" and start >= 2 and _is_digit(text[start - 2]):
        return None  # 24/7, 3:1
    after = text[end] if end < length else ""
    if after in "/:" and end + 1 < length and _is_digit(text[end + 1]):
        return None
    if after in _HYPHENS and end + 1 < length and _is_letter(text[end + 1]):
        suffix = _YEAR_SUFFIX.match(text, end) if year_like else None
        if suffix is None:
            compound = _UNIT_AFTER.match(text, end + 1)
            if compound is not None and not compound["ws"] and compound.lastgroup in _COMPOUND:
                # "a 54-hectare plot", "54-гектарна ділянка": a measure, as "54 гектари" is
                item = _Item(
                    start, compound.end(), int(integer + fraction), scale=10 ** len(fraction)
                )
                item.unit, item.kind = _UNIT_OF[compound.lastgroup]
                return item
            return None  # 47-ма, 3-й, 155-мм, 5-year
        return _Item(start, suffix.end(), int(integer), plain=True, forced_year=True)

    item = _Item(start, end, int(integer + fraction), scale=10 ** len(fraction))
    currency = _CURRENCY_BEFORE.search(text, max(0, start - 4), start)
    if currency is not None:
        item.unit, item.kind, item.start = currency.lastgroup, "money", currency.start()
    position = end
    glued = _is_letter(after)
    multiplier = _MULTIPLIER.match(text, position)
    if multiplier is not None and (multiplier["g6"] and currency is None):
        multiplier = None
    if multiplier is not None and _multiplier_word(multiplier):
        item.exponent = _EXPONENT[multiplier.lastgroup]
        item.has_multiplier = True
        position = multiplier.end()
        glued = False
    unit = _UNIT_AFTER.match(text, position)
    if unit is not None and not (glued and (unit["ws"] or unit.lastgroup in _NO_GLUE_UNITS)):
        if item.unit is None or _UNIT_OF[unit.lastgroup][0] == item.unit:
            item.unit, item.kind = _UNIT_OF[unit.lastgroup]
            position = unit.end()
            glued = False
    if glued:
        return None  # 155mm, 47th, 1st, 5G
    item.end = position
    item.plain = end - start == len(integer) and position == end and currency is None
    item.forced_year = forced_year
    return item


# ---- step 4: numbers in words -----------------------------------------------------------


def _word_items(text: str, lang: str, taken: bytearray) -> list[_Item]:
    items = []
    for number in find_word_numbers(text, lang, taken):
        value = number.value
        scale = 2 if value != int(value) else 1  # 1.5 -> 3/2 keeps the arithmetic exact
        item = _Item(number.start, number.end, int(value * scale), scale=scale)
        item.has_multiplier = value >= 1000
        unit = _UNIT_AFTER.match(text, number.end)
        if unit is not None:
            item.unit, item.kind = _UNIT_OF[unit.lastgroup]
            item.end = unit.end()
        currency = _CURRENCY_BEFORE.search(text, max(0, number.start - 4), number.start)
        if currency is not None and item.unit is None:
            item.unit, item.kind, item.start = currency.lastgroup, "money", currency.start()
        items.append(item)
    return items


# ---- step 5: ranges, years, qualifiers ----------------------------------------------------


def _is_year_number(item: _Item) -> bool:
    return item.plain and item.scale == 1 and 1900 <= item.numerator <= 2100


def _merge_ranges(text: str, items: list[_Item]) -> list[_Item]:
    merged: list[_Item] = []
    index = 0
    while index < len(items):
        low = items[index]
        if index + 1 < len(items):
            high = items[index + 1]
            joined = _join_range(text, low, high)
            if joined is not None:
                merged.append(joined)
                index += 2
                continue
        merged.append(low)
        index += 1
    return merged


def _is_change(text: str, prefix_start: int) -> bool:
    """ "зросла з 17 500 до 21 000 грн" states two values, an old and a new one, not a range."""
    window = text[max(0, prefix_start - 60) : prefix_start]
    window = _SENTENCE_END.split(window)[-1]
    return _CHANGE_VERB.search(window) is not None


def _share_scale(low: _Item, high: _Item) -> None:
    """ "з 17 до 21 тис. грн": the multiplier and unit written once belong to both values."""
    if not low.has_multiplier and high.has_multiplier and low.base <= high.base:
        low.exponent, low.has_multiplier = high.exponent, True
    if low.unit is None and high.unit is not None:
        low.unit, low.kind = high.unit, high.kind


def _join_range(text: str, low: _Item, high: _Item) -> _Item | None:
    if low.high is not None or high.high is not None or low.end >= high.start:
        return None
    join = _RANGE_JOIN.fullmatch(text, low.end, high.start)
    if join is None:
        return None
    prefix = _range_prefix_before(text, low.start)
    word = join["w"].lower() if join["w"] else None
    if word is not None and word != "to":
        if prefix is None or prefix[0] not in _JOIN_NEEDS[word]:
            return None
    if prefix is not None and (word is None or (word == "to" and prefix[0] != "from")):
        prefix = None
    if low.unit is not None and high.unit is not None and low.unit != high.unit:
        return None
    if (
        word in ("до", "по", "to")
        and prefix is not None
        and not (_is_year_number(low) and _is_year_number(high))
    ):
        descending = float(low.numerator * 10**low.exponent / low.scale) >= high.value
        if descending or _is_change(text, prefix[1]):
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
    return joined


def _finish(text: str, item: _Item) -> Figure:
    """Decide year or not, attach the qualifier, and freeze the item into a Figure."""
    kind = item.kind
    start, end = item.start, item.end
    if item.forced_year or (
        _is_year_number(item)
        and (_YEAR_AFTER.match(text, end) or _year_context_before(text, start))
    ):
        kind = "year"
        year_word = _YEAR_AFTER.match(text, end)
        if year_word is not None:
            end = year_word.end()
        return Figure(text[start:end], item.value, item.high, None, None, kind, start, end)
    qualifier = None
    found = _qualifier_before(text, start)
    if found is not None:
        qualifier, start = found
    return Figure(text[start:end], item.value, item.high, item.unit, qualifier, kind, start, end)


# --------------------------------------------------------------------------- entry point


def extract_figures(text: str, lang: str) -> list[Figure]:
    """All the figures `text` states, normalised, in order of appearance."""
    if not text:
        return []
    if lang not in ("uk", "en", "ru"):
        lang = "en"
    taken = bytearray(len(text))
    found: list[Figure] = []
    items: list[_Item] = []
    _mask_links(text, taken)
    runs = [run.span() for run in _DIGIT_RUN.finditer(text)]
    if runs:
        _dates_and_times(text, runs, taken, found)
        items = _digit_items(text, runs, lang, taken)
        for item in items:
            _mark(taken, item.start, item.end)
    items.extend(_word_items(text, lang, taken))
    items.sort(key=lambda item: item.start)
    for item in _merge_ranges(text, items):
        found.append(_finish(text, item))
    found.sort(key=lambda figure: figure.start)
    return found
