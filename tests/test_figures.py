"""Figure extraction: the tricky ways three languages write the same numbers."""

from __future__ import annotations

import random

import pytest

from diffing.figures import Figure, extract_figures


def count(value, high=None, qualifier=None):
    return (value, high, None, qualifier, "count")


def money(value, unit, high=None, qualifier=None):
    return (value, high, unit, qualifier, "money")


def percent(value, high=None, qualifier=None, unit="percent"):
    return (value, high, unit, qualifier, "percent")


def measure(value, unit, high=None, qualifier=None):
    return (value, high, unit, qualifier, "measure")


def year(value, high=None):
    return (value, high, None, None, "year")


def date(value, high=None):
    return (value, high, None, None, "date")


def time(value, high=None):
    return (value, high, None, None, "time")


# (lang, text, expected figures as (value, high, unit, qualifier, kind), in order)
TABLE = [
    # --- found on the second held-out set
    ("en", "rolled products to 178,000 t.", [measure(178000, "t")]),
    ("en", "a 5 t-shirt", [count(5)]),
    ("en", "held on June 27-29 in Lutsk", [date(627, 629)]),
    ("en", "from May 3 to 11 in Kyiv", [date(503, 511)]),
    ("en", "one and a half million children", [count(1_500_000)]),
    ("en", "two and a half billion dollars", [money(2_500_000_000, "USD")]),
    (
        "uk",
        "прибуток зріс з 2,9 до 3,4 млрд грн",
        [money(2.9e9, "UAH"), money(3.4e9, "UAH", qualifier="up to")],
    ),
    # --- an hour with the part of the day, as uk and ru write it
    ("uk", "світло відновили до 8 ранку", [time(800)]),
    ("ru", "свет восстановили к 8 утра", [time(800)]),
    ("uk", "о 10 вечора", [time(2200)]),
    ("ru", "в 2 часа дня", [count(2)]),  # "часа" between: not read as a time
    ("ru", "в 2 дня", [time(1400)]),
    ("uk", "об 11 ночі", [time(2300)]),
    # --- a span of days in one month, in each language's order
    ("uk", "фестиваль триватиме з 3 по 11 травня", [date(503, 511)]),
    ("ru", "фестиваль пройдет с 3 по 11 мая", [date(503, 511)]),
    ("en", "the festival runs from May 3 to 11", [date(503, 511)]),
    ("en", "May 3-11, 2025", [date(20250503, 20250511)]),
    ("uk", "3 і 11 травня", [count(3), date(511)]),  # two days, not a span
    # --- "from X to Y" after a verb of change: an old and a new value, not a range
    (
        "uk",
        "Ціна зросла з 17 500 до 21 000 грн",
        [money(17500, "UAH"), money(21000, "UAH", qualifier="up to")],
    ),
    (
        "ru",
        "Цена упала с 17 500 до 12 000 грн",
        [money(17500, "UAH"), money(12000, "UAH", qualifier="up to")],
    ),
    (
        "en",
        "The price rose from UAH 17,500 to UAH 21,000",
        [money(17500, "UAH"), money(21000, "UAH")],
    ),
    (
        "uk",
        "Зарплата зросла з 17 до 21 тис. грн",
        [money(17000, "UAH"), money(21000, "UAH", qualifier="up to")],
    ),
    ("uk", "Евакуювали від 30 до 40 тисяч людей", [count(30000, 40000)]),  # no verb: a range
    # --- dozens
    ("en", "two dozen drones", [count(24)]),
    ("en", "a dozen people", [count(12)]),
    # --- hyphenated compounds that state a measure (never a calibre: see NOT_FIGURES)
    ("en", "a 54-hectare plot", [measure(54, "ha")]),
    ("uk", "54-гектарна ділянка", [measure(54, "ha")]),
    ("en", "a 10-kilometre exclusion zone", [measure(10, "km")]),
    ("en", "a 20-tonne truck", [measure(20, "t")]),
    ("en", "a 1,000-MW power unit", [measure(1000, "MW")]),
    ("uk", "1000-мегаватний енергоблок", [measure(1000, "MW")]),
    # --- thousands separators and decimals
    ("en", "427,000 people", [count(427000)]),
    ("uk", "427 000 людей", [count(427000)]),
    ("uk", "427\u00a0000 людей", [count(427000)]),
    ("ru", "427\u202f000 человек", [count(427000)]),
    ("uk", "1 500 осіб", [count(1500)]),
    ("uk", "1.500 осіб", [count(1500)]),
    ("ru", "3,000 человек", [count(3000)]),
    ("en", "1,234,567 votes", [count(1234567)]),
    ("uk", "1.234.567 голосів", [count(1234567)]),
    ("en", "1,234.5 km", [measure(1234.5, "km")]),
    ("uk", "1 234,5 км", [measure(1234.5, "km")]),
    ("ru", "1.234,5 тонны", [measure(1234.5, "t")]),
    ("en", "a rate of 1.500", [count(1.5)]),
    ("uk", "коефіцієнт 0,500", [count(0.5)]),
    ("uk", "2025 427", [count(2025), count(427)]),
    ("ru", "в 2,5 раза", [(2.5, None, "times", None, "factor")]),  # a factor (issue 13)
    # --- multipliers, in words and abbreviations, with case endings
    ("uk", "427 тисяч дронів", [count(427000)]),
    ("ru", "427 тыс. дронов", [count(427000)]),
    ("ru", "472 тысячи дронов", [count(472000)]),
    ("uk", "1 тисяча солдатів", [count(1000)]),
    ("uk", "36 тис. осіб", [count(36000)]),
    ("uk", "1,5 млн людей", [count(1500000)]),
    ("en", "1.5 million people", [count(1500000)]),
    ("uk", "2 мільйони людей", [count(2000000)]),
    ("uk", "5 мільйонів людей", [count(5000000)]),
    ("ru", "5 миллионов человек", [count(5000000)]),
    ("uk", "3 мільярди", [count(3e9)]),
    ("ru", "2 миллиарда", [count(2e9)]),
    ("uk", "1,1 трлн", [count(1.1e12)]),
    ("en", "5k followers", [count(5000)]),
    ("en", "5 mln barrels", [measure(5e6, "bbl")]),
    ("uk", "1,500 млн", [count(1.5e6)]),
    ("en", "1,500 million", [count(1.5e9)]),
    # --- currencies
    ("en", "$1.5 billion", [money(1.5e9, "USD")]),
    ("uk", "1,5 млрд доларів", [money(1.5e9, "USD")]),
    ("uk", "1,5 млрд доларів США", [money(1.5e9, "USD")]),
    ("ru", "1,5 млрд долларов", [money(1.5e9, "USD")]),
    ("en", "$5m grant", [money(5e6, "USD")]),
    ("en", "£5bn", [money(5e9, "GBP")]),
    ("en", "EUR 5 million", [money(5e6, "EUR")]),
    ("uk", "€2 млн", [money(2e6, "EUR")]),
    ("uk", "10 млн євро", [money(1e7, "EUR")]),
    ("ru", "10 млн евро", [money(1e7, "EUR")]),
    ("uk", "500 грн", [money(500, "UAH")]),
    ("uk", "500 гривень", [money(500, "UAH")]),
    ("uk", "2 гривні", [money(2, "UAH")]),
    ("uk", "₴500", [money(500, "UAH")]),
    ("en", "UAH 20 billion", [money(2e10, "UAH")]),
    ("uk", "300 руб.", [money(300, "RUB")]),
    ("uk", "300 рублів", [money(300, "RUB")]),
    ("ru", "300 рублей", [money(300, "RUB")]),
    ("en", "100 dollars", [money(100, "USD")]),
    ("en", "$1–2 billion", [money(1e9, "USD", high=2e9)]),
    # --- percentages
    ("uk", "5%", [percent(5)]),
    ("uk", "5,5 %", [percent(5.5)]),
    ("uk", "5 відсотків", [percent(5)]),
    ("ru", "5 процентов", [percent(5)]),
    ("en", "5 percent", [percent(5)]),
    ("en", "5 per cent", [percent(5)]),
    ("en", "2 percentage points", [percent(2, unit="pp")]),
    ("uk", "10–15%", [percent(10, high=15)]),
    # --- qualifiers
    ("uk", "понад 36 тисяч", [count(36000, qualifier="over")]),
    ("uk", "більше ніж 36 тисяч", [count(36000, qualifier="over")]),
    ("uk", "більш ніж 20 осіб", [count(20, qualifier="over")]),
    ("uk", "близько 5%", [percent(5, qualifier="about")]),
    ("uk", "майже 2 тис. км", [measure(2000, "km", qualifier="almost")]),
    ("uk", "щонайменше 12 загиблих", [count(12, qualifier="at least")]),
    ("uk", "до 40%", [percent(40, qualifier="up to")]),
    ("uk", "менше 100 осіб", [count(100, qualifier="under")]),
    ("uk", "не менше 12 осіб", [count(12, qualifier="at least")]),
    ("ru", "более 36 тысяч", [count(36000, qualifier="over")]),
    ("ru", "свыше 500 тыс. т", [measure(500000, "t", qualifier="over")]),
    ("ru", "около 30 человек", [count(30, qualifier="about")]),
    ("ru", "почти 40%", [percent(40, qualifier="almost")]),
    ("ru", "как минимум 5 человек", [count(5, qualifier="at least")]),
    ("ru", "не менее 12 человек", [count(12, qualifier="at least")]),
    ("ru", "менее 100 человек", [count(100, qualifier="under")]),
    ("en", "more than 36,000 drones", [count(36000, qualifier="over")]),
    ("en", "over 2,000 km", [measure(2000, "km", qualifier="over")]),
    ("en", "about 5 percent", [percent(5, qualifier="about")]),
    ("en", "around 300 people", [count(300, qualifier="about")]),
    ("en", "nearly 40%", [percent(40, qualifier="almost")]),
    ("en", "at least 12 people", [count(12, qualifier="at least")]),
    ("en", "up to 40%", [percent(40, qualifier="up to")]),
    ("en", "fewer than 10 tonnes", [measure(10, "t", qualifier="under")]),
    ("en", "less than 5%", [percent(5, qualifier="under")]),
    ("en", "under 100 people", [count(100, qualifier="under")]),
    # --- ranges
    ("uk", "30–40 тис. осіб", [count(30000, high=40000)]),
    ("uk", "від 30 до 40 осіб", [count(30, high=40)]),
    ("uk", "від 30 до 40 тисяч", [count(30000, high=40000)]),
    ("ru", "от 30 до 40 человек", [count(30, high=40)]),
    ("ru", "между 30 и 40", [count(30, high=40)]),
    ("ru", "около 30–40 тыс. человек", [count(30000, high=40000, qualifier="about")]),
    ("en", "between 30 and 40 people", [count(30, high=40)]),
    ("en", "30-40 thousand people", [count(30000, high=40000)]),
    ("en", "30,000-40,000 people", [count(30000, high=40000)]),
    ("en", "30 to 40 thousand people", [count(30000, high=40000)]),
    ("uk", "від 500 до 1 млн", [count(500, high=1e6)]),
    ("uk", "від двох до трьох", [count(2, high=3)]),
    # --- numbers as words
    ("en", "seven drones", [count(7)]),
    ("uk", "сімома дронами", [count(7)]),
    ("ru", "семью беспилотниками", [count(7)]),
    ("uk", "трьох військових", [count(3)]),
    ("ru", "трёх военных", [count(3)]),
    ("uk", "двох дітей", [count(2)]),
    ("ru", "двух детей", [count(2)]),
    ("uk", "п'ятьох людей", [count(5)]),
    ("uk", "п’ятьох людей", [count(5)]),
    ("ru", "пятерых человек", [count(5)]),
    ("uk", "троє суток", [count(3)]),
    ("uk", "четверо поранених", [count(4)]),
    ("ru", "двое раненых", [count(2)]),
    ("ru", "трое суток", [count(3)]),
    ("uk", "двадцять п'ять осіб", [count(25)]),
    ("ru", "двадцать один человек", [count(21)]),
    ("en", "twenty-five people", [count(25)]),
    ("en", "three hundred and twenty", [count(320)]),
    ("en", "fifteen hundred", [count(1500)]),
    ("uk", "сто", [count(100)]),
    ("ru", "сто двадцать пять тысяч", [count(125000)]),
    ("uk", "п'ять тисяч гривень", [money(5000, "UAH")]),
    ("uk", "півтора мільйона доларів", [money(1.5e6, "USD")]),
    ("ru", "полторы тысячи", [count(1500)]),
    ("en", "a million dollars", [money(1e6, "USD")]),
    ("en", "ten percent", [percent(10)]),
    # --- years
    ("uk", "у 2025 році 427 дронів", [year(2025), count(427)]),
    ("ru", "в 2025 году 427 дронов", [year(2025), count(427)]),
    ("en", "In 2025, 427 drones", [year(2025), count(427)]),
    ("uk", "з 2014 року", [year(2014)]),
    ("uk", "з 2014-го", [year(2014)]),
    ("en", "since 2014", [year(2014)]),
    ("en", "by mid-2025", [year(2025)]),
    ("uk", "у 2022–2024 роках", [year(2022, high=2024)]),
    ("ru", "в 2022-2024 гг.", [year(2022, high=2024)]),
    ("en", "2000 troops", [count(2000)]),
    # --- dates
    ("uk", "24 лютого 2025 року", [date(20250224)]),
    ("ru", "24 февраля 2025 года", [date(20250224)]),
    ("en", "February 24, 2025", [date(20250224)]),
    ("en", "24 February 2025", [date(20250224)]),
    ("en", "Feb. 24, 2025", [date(20250224)]),
    ("uk", "24.02.2025", [date(20250224)]),
    ("en", "2025-02-24", [date(20250224)]),
    ("uk", "24 лютого", [date(224)]),
    ("en", "on February 24 officials said", [date(224)]),
    ("uk", "24–25 лютого", [date(224, high=225)]),
    ("uk", "у лютому 2025 року", [date(20250200)]),
    ("en", "in March 2025", [date(20250300)]),
    ("en", "May 5 100 people", [date(505), count(100)]),
    # --- clock times
    ("uk", "о 17:00", [time(1700)]),
    ("uk", "о 17.00 за Києвом", [time(1700)]),
    ("ru", "в 17.00 по Киеву", [time(1700)]),
    ("en", "at 5 p.m.", [time(1700)]),
    ("en", "at 5pm", [time(1700)]),
    ("en", "at 5:30 pm", [time(1730)]),
    ("en", "12 a.m.", [time(0)]),
    ("uk", "з 9:00 до 18:00", [time(900), time(1800)]),
    ("en", "9:00–18:00", [time(900, high=1800)]),
    # --- measures
    ("uk", "200 МВт·год", [measure(200, "MWh")]),
    ("ru", "200 МВт·ч", [measure(200, "MWh")]),
    ("en", "200 MWh", [measure(200, "MWh")]),
    ("uk", "1,2 ГВт", [measure(1.2, "GW")]),
    ("en", "1.2 GW", [measure(1.2, "GW")]),
    ("en", "5MW", [measure(5, "MW")]),
    ("en", "10km", [measure(10, "km")]),
    ("uk", "5 тис. т", [measure(5000, "t")]),
    ("uk", "500 тонн", [measure(500, "t")]),
    ("en", "500 tonnes", [measure(500, "t")]),
    ("uk", "150 км", [measure(150, "km")]),
    ("ru", "150 километров", [measure(150, "km")]),
    ("uk", "20 гектарів", [measure(20, "ha")]),
]


def _summary(figures: list[Figure]) -> list[tuple]:
    return [(f.value, f.high, f.unit, f.qualifier, f.kind) for f in figures]


@pytest.mark.parametrize(("lang", "text", "expected"), TABLE, ids=[row[1] for row in TABLE])
def test_figures_table(lang: str, text: str, expected: list[tuple]) -> None:
    assert _summary(extract_figures(text, lang)) == expected


def test_table_is_large() -> None:
    assert len(TABLE) >= 90


# Strings with digits or number-like words that state no count, money or percentage.
NOT_FIGURES = [
    ("uk", "Су-34 скинув бомбу"),
    ("en", "a Su-34 bomber"),
    ("en", "F-16 jets arrived"),
    ("en", "Patriot PAC-3 missiles"),
    ("uk", "155-мм снаряди"),
    ("en", "155mm shells"),
    ("ru", "7,62-мм патроны"),
    ("uk", "танк Т-72"),
    ("ru", "танк Т-72Б3"),
    ("uk", "літак Іл-76"),
    ("en", "HIMARS M142 launchers"),
    ("ru", "ракеты Х-101"),
    ("en", "Shahed-136 drones"),
    ("uk", "документ № 123"),
    ("en", "Resolution No. 45"),
    ("uk", "постанова №1234"),
    ("uk", "47-ма бригада"),
    ("ru", "47-я бригада"),
    ("en", "the 47th brigade"),
    ("uk", "3-й батальйон"),
    ("ru", "2-го батальона"),
    ("en", "the 1st corps"),
    ("uk", "телефон +380 44 123 45 67"),
    ("uk", "гаряча лінія (044) 123-45-67"),
    ("en", "call 202-555-0143"),
    ("uk", "довідка 067 123 45 67"),
    ("en", "see https://example.com/2025/02/24/report-427"),
    ("en", "visit www.example.org/page10"),
    ("en", "write to press2025@example.org"),
    ("en", "COVID-19 cases"),
    ("en", "the G7 summit"),
    ("en", "support 24/7"),
    ("en", "won 3:1"),
    ("en", "5G networks"),
    ("en", "a five-year plan"),
    ("ru", "свою семью"),
    ("uk", "сім'я загиблого"),
    ("en", "version 1.2.3 of the app"),
    ("en", "server 192.168.0.1"),
    ("uk", "у 1990-х роках"),
    ("uk", "дві тисячі двадцять п'ятого року"),
    ("uk", "двадцять другого дня"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_FIGURES, ids=[row[1] for row in NOT_FIGURES])
def test_not_figures(lang: str, text: str) -> None:
    figures = extract_figures(text, lang)
    assert [f for f in figures if f.kind in ("count", "money", "percent")] == []


def test_not_figures_table_is_large() -> None:
    assert len(NOT_FIGURES) >= 20


def test_raw_and_positions() -> None:
    text = "Понад 36 тисяч дронів, 24 лютого 2025 року о 17:00 — близько 5% і $1.5 billion."
    figures = extract_figures(text, "uk")
    assert [f.raw for f in figures] == [
        "Понад 36 тисяч",
        "24 лютого 2025 року",
        "17:00",
        "близько 5%",
        "$1.5 billion",
    ]
    assert figures[0].to_dict() == {
        "raw": "Понад 36 тисяч",
        "value": 36000.0,
        "high": None,
        "unit": None,
        "qualifier": "over",
        "kind": "count",
        "start": 0,
        "end": 14,
    }
    assert list(figures[0].to_dict()) == [
        "raw",
        "value",
        "high",
        "unit",
        "qualifier",
        "kind",
        "start",
        "end",
    ]


@pytest.mark.parametrize(("lang", "text", "expected"), TABLE, ids=[row[1] for row in TABLE])
def test_raw_is_the_text_span(lang: str, text: str, expected: list[tuple]) -> None:
    sentence = f"За даними (станом на ранок): {text}; подробиці згодом."
    figures = extract_figures(sentence, lang)
    assert figures, "the figure must survive being embedded in a sentence"
    for figure in figures:
        assert figure.raw == sentence[figure.start : figure.end]
        assert figure.start < figure.end
    assert [f.start for f in figures] == sorted(f.start for f in figures)


def test_values_are_floats() -> None:
    for figure in extract_figures("427 тисяч, 30–40 тис., 5%, у 2025 році, 17:00", "uk"):
        assert type(figure.value) is float
        assert figure.high is None or type(figure.high) is float


_JUNK_ALPHABET = (
    "0123456789 .,-–—:/%$€₴£№#+()[]«»\"'ʼ’`\u00a0\u202f\u2009\n\t"
    "abcdkmMtpAPвтисячмлнрдокугівяюєїґ²³½٣１😀\x00\ud7ff"
)
_JUNK_WORDS = [
    "тис.",
    "млн",
    "лютого",
    "February",
    "понад",
    "від",
    "до",
    "between",
    "and",
    "року",
    "п'ять",
    "семью",
    "a million",
    "МВт·год",
    "p.m.",
    "https://",
    "№",
]


def test_junk_never_raises() -> None:
    rng = random.Random(20250224)
    for _ in range(3000):
        pieces = []
        for _ in range(rng.randint(0, 12)):
            if rng.random() < 0.3:
                pieces.append(rng.choice(_JUNK_WORDS))
            else:
                pieces.append("".join(rng.choices(_JUNK_ALPHABET, k=rng.randint(1, 6))))
        text = "".join(pieces)
        for lang in ("uk", "en", "ru", "de"):
            for figure in extract_figures(text, lang):
                assert figure.raw == text[figure.start : figure.end]
                assert isinstance(figure.value, float)


def test_empty_and_wordless() -> None:
    assert extract_figures("", "uk") == []
    assert extract_figures("Без жодних чисел.", "uk") == []
