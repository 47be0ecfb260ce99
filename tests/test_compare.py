"""Comparing the figures of aligned paragraphs across language editions."""

from __future__ import annotations

import json

import pytest

from diffing.compare import compare_figures
from diffing.figures import extract_figures

# (lang a, text a, lang b, text b, expected divergences as (kind, value a, value b))
ROWS = [
    # --- formatting, wording and qualifiers only: no divergence
    ("uk", "Росія запустила 427 тисяч дронів.", "en", "Russia launched 427,000 drones.", []),
    ("uk", "Росія запустила 427 тисяч дронів.", "ru", "Россия запустила 427 тыс. дронов.", []),
    ("en", "Russia launched 427,000 drones.", "ru", "Россия запустила 427 тысяч дронов.", []),
    ("uk", "Загинули семеро людей.", "en", "Seven people were killed.", []),
    ("uk", "Атакували сімома дронами.", "en", "It attacked with seven drones.", []),
    ("ru", "Атаковали семью беспилотниками.", "uk", "Атакували сімома дронами.", []),
    ("uk", "Це сталося 24 лютого 2025 року.", "en", "It happened on February 24, 2025.", []),
    ("ru", "Это случилось 24 февраля 2025 года.", "en", "It happened on 24 February 2025.", []),
    ("uk", "Понад 36 тисяч осіб евакуйовано.", "en", "More than 36,000 people evacuated.", []),
    ("uk", "Близько 36 тисяч осіб.", "ru", "Более 36 тысяч человек.", []),
    ("uk", "Збитки — 1,5 млн гривень.", "en", "Damage: UAH 1.5 million.", []),
    ("uk", "Допомога — 1,5 млрд доларів.", "en", "Aid: $1.5 billion.", []),
    ("uk", "Ціни зросли на 5 відсотків.", "en", "Prices rose 5%.", []),
    ("uk", "Евакуювали 30–40 тис. осіб.", "en", "Between 30,000 and 40,000 evacuated.", []),
    ("uk", "Тривога о 17:00.", "en", "The alert sounded at 5 p.m.", []),
    ("uk", "Втрачено 200 МВт·год.", "ru", "Потеряно 200 МВт·ч.", []),
    ("uk", "Втрачено 200 МВт·год.", "en", "200 MWh were lost.", []),
    ("uk", "Виділено 5 млн гривень.", "en", "5 million was allocated.", []),
    ("uk", "Троє поранених.", "en", "Some were wounded.", []),  # small word dropped
    ("uk", "У 2025 році — 427 атак.", "en", "There were 427 attacks.", []),  # year dropped
    # --- real differences
    (
        "uk",
        "Росія запустила 427 тисяч дронів.",
        "ru",
        "Россия запустила 472 тысячи дронов.",
        [("changed", 427000, 472000)],
    ),
    (
        "uk",
        "Понад 36 тисяч осіб евакуйовано.",
        "en",
        "More than 63,000 people evacuated.",
        [("changed", 36000, 63000)],  # transposed digits: the same quantity, mistyped
    ),
    (
        "uk",
        "Понад 36 тисяч осіб евакуйовано.",
        "en",
        "More than 38,000 people evacuated.",
        [("changed", 36000, 38000)],
    ),
    ("uk", "Ціни зросли на 5%.", "en", "Prices rose 7%.", [("changed", 5, 7)]),
    (
        "uk",
        "Допомога — 1,5 млрд доларів.",
        "en",
        "Aid: $1.2 billion.",
        [("changed", 1.5e9, 1.2e9)],
    ),
    (
        "uk",
        "Збито 25 дронів і 3 ракети.",
        "en",
        "25 drones were shot down.",
        [("missing", 3, None)],
    ),
    (
        "en",
        "25 drones were shot down.",
        "ru",
        "Сбиты 25 дронов и 3 ракеты.",
        [("missing", None, 3)],
    ),
    (
        "uk",
        "Це сталося 24 лютого 2025 року.",
        "en",
        "It happened on February 25, 2025.",
        [("changed", 20250224, 20250225)],
    ),
    ("uk", "Тривога о 17:00.", "en", "The alert sounded at 6 p.m.", [("changed", 1700, 1800)]),
    (
        "uk",
        "Евакуювали 30–40 тис. осіб.",
        "ru",
        "Эвакуировали 30–45 тыс. человек.",
        [("changed", 30000, 30000)],
    ),
    (
        "uk",
        "Загинули 12 людей, 40 поранені.",
        "en",
        "12 people were killed and 44 wounded.",
        [("changed", 40, 44)],
    ),
    (
        "uk",
        "Втрачено 200 МВт·год.",
        "en",
        "250 MWh were lost.",
        [("changed", 200, 250)],
    ),
    (
        "uk",
        "Виділено 5 млн гривень.",
        "en",
        "EUR 5 million was allocated.",
        [("changed", 5e6, 5e6)],
    ),
    # typo-like pairs whatever their ratio: transposed or replaced digits
    ("uk", "Вартість зросла на 12%.", "ru", "Стоимость выросла на 21%.", [("changed", 12, 21)]),
    ("uk", "Інфляція — 15%.", "en", "Inflation was 51%.", [("changed", 15, 51)]),
    ("uk", "Сирена о 18:05.", "ru", "Сирена в 18:50.", [("changed", 1805, 1850)]),
    (
        "uk",
        "Видали 1,3 млн гривень.",
        "en",
        "UAH 1.2 million was paid.",
        [("changed", 1.3e6, 1.2e6)],
    ),
    # a date whose year only one edition states is the same date
    ("uk", "Станом на 30.09.2025 активи зросли.", "en", "As of Sept. 30, assets grew.", []),
    (
        "uk",
        "Станом на 30.09.2025 активи зросли.",
        "en",
        "As of Sept. 29, assets grew.",
        [("changed", 20250930, 929)],
    ),
    # "з 2,9 до 3,4 млрд" as a range on one side, two values on the other: the same numbers
    ("uk", "Прибуток — від 2,9 до 3,4 млрд грн.", "en", "Profit: UAH 2.9bn, then UAH 3.4bn.", []),
    (
        "uk",
        "Прибуток — від 2,9 до 3,4 млрд грн.",
        "en",
        "Profit: UAH 2.9bn, then UAH 4.3bn.",
        [("changed", 3.4e9, 4.3e9)],
    ),
    # a unit dropped and a digit slip: "187 тис. т" against "178,000"
    (
        "uk",
        "Виробили 187 тис. т прокату.",
        "en",
        "It made 178,000 of rolled steel.",
        [("changed", 187000, 178000)],
    ),
    ("uk", "Дитячих ліжок — півтора мільйона.", "en", "One and a half million beds.", []),
    # the one figure of its kind left on each side of a row is the same quantity
    ("uk", "Поранено 9 людей.", "en", "Three people were injured.", [("changed", 9, 3)]),
    # different kinds never pair: a dropped percentage and an added count stay missing
    (
        "uk",
        "Частка зросла до 40%.",
        "en",
        "The share rose, 700 firms said.",
        [("missing", 40, None), ("missing", None, 700)],
    ),
    # two leftovers on one side: no guessing, both sides reported missing
    (
        "uk",
        "Збудували 120 будинків і 45 шкіл.",
        "en",
        "They built 300 homes.",
        [("missing", 120, None), ("missing", 45, None), ("missing", None, 300)],
    ),
]


def _summary(divergences: list) -> list[tuple]:
    summary = []
    for divergence in divergences:
        a = divergence.a.value if divergence.a else None
        b = divergence.b.value if divergence.b else None
        summary.append((divergence.kind, a, b))
    return summary


@pytest.mark.parametrize(
    ("lang_a", "text_a", "lang_b", "text_b", "expected"),
    ROWS,
    ids=[f"{row[1]} | {row[3]}" for row in ROWS],
)
def test_compare_table(lang_a, text_a, lang_b, text_b, expected) -> None:
    divergences = compare_figures(extract_figures(text_a, lang_a), extract_figures(text_b, lang_b))
    assert _summary(divergences) == expected
    json.dumps([d.deepdiff for d in divergences])  # the deepdiff is JSON-safe as it is


def test_table_is_large() -> None:
    assert len(ROWS) >= 25


def test_changed_carries_a_deepdiff_of_the_normalised_record() -> None:
    a = extract_figures("427 тисяч дронів", "uk")
    b = extract_figures("472 тысячи дронов", "ru")
    [divergence] = compare_figures(a, b)
    assert divergence.a.raw == "427 тисяч"
    assert divergence.b.raw == "472 тысячи"
    assert divergence.deepdiff == {
        "values_changed": {"root['value']": {"new_value": 472000.0, "old_value": 427000.0}}
    }


def test_deepdiff_never_mentions_raw_qualifier_or_position() -> None:
    a = extract_figures("За добу — понад 36 тисяч", "uk")
    b = extract_figures("about 38,000", "en")
    [divergence] = compare_figures(a, b)
    text = json.dumps(divergence.deepdiff)
    assert "value" in text
    for field in ("raw", "qualifier", "start", "end"):
        assert field not in text


def test_unit_change_is_reported() -> None:
    a = extract_figures("5 млн гривень", "uk")
    b = extract_figures("5 million euros", "en")
    [divergence] = compare_figures(a, b)
    assert divergence.kind == "changed"
    assert divergence.deepdiff["values_changed"]["root['unit']"] == {
        "new_value": "EUR",
        "old_value": "UAH",
    }


def test_missing_has_the_absent_side_none() -> None:
    a = extract_figures("Збито 25 дронів і 3 ракети.", "uk")
    b = extract_figures("25 drones were shot down.", "en")
    [divergence] = compare_figures(a, b)
    assert divergence.b is None
    assert divergence.a.raw == "3"
    assert compare_figures(b, a)[0].a is None


def test_identical_values_pair_first_regardless_of_order() -> None:
    a = extract_figures("Збито 25 дронів і 30 ракет.", "uk")
    b = extract_figures("30 missiles and 25 drones were shot down.", "en")
    assert compare_figures(a, b) == []


def test_years_dates_and_times_are_never_missing() -> None:
    a = extract_figures("У 2025 році, 24 лютого о 17:00", "uk")
    assert compare_figures(a, []) == []
    assert compare_figures([], a) == []


def test_empty_sides() -> None:
    assert compare_figures([], []) == []
