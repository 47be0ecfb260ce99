"""Two versions of one edition: paragraph alignment and exact figure changes."""

from __future__ import annotations

import pytest

from diffing.versions import align_versions, diff_versions

V1 = [
    "Унаслідок атаки на Харків загинули 12 людей, ще 40 поранені.",
    "Рятувальники працювали на місці до ранку.",
    "Нагадаємо, що минулого тижня місто атакували 5 дронів.",
]


def statuses(old, new):
    return [(r["old"], r["new"], r["status"]) for r in align_versions(old, new)]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (V1, [(0, 0, "same"), (1, 1, "same"), (2, 2, "same")]),
        (
            [V1[0].replace("12", "14"), V1[1], V1[2]],
            [(0, 0, "edited"), (1, 1, "same"), (2, 2, "same")],
        ),
        (
            [V1[0], "Мер міста оголосив день жалоби.", V1[1], V1[2]],
            [(0, 0, "same"), (None, 1, "added"), (1, 2, "same"), (2, 3, "same")],
        ),
        ([V1[0], V1[2]], [(0, 0, "same"), (1, None, "removed"), (2, 1, "same")]),
        (
            [V1[0], "Рятувальники працювали на місці до самого ранку.", V1[2]],
            [(0, 0, "same"), (1, 1, "edited"), (2, 2, "same")],
        ),
    ],
)
def test_paragraph_alignment(new, expected):
    assert statuses(V1, new) == expected


def changes(old, new, lang="uk", **titles):
    result = diff_versions(old, new, lang, **titles)
    return [
        (c["kind"], c["a"]["value"] if c["a"] else None, c["b"]["value"] if c["b"] else None)
        for c in result["changes"]
    ]


def test_changed_figure_reports_old_and_new_values():
    new = [V1[0].replace("загинули 12", "загинули 14"), V1[1], V1[2]]
    result = diff_versions(V1, new, "uk")
    assert changes(V1, new) == [("changed", 12.0, 14.0)]
    change = result["changes"][0]
    assert (change["old_index"], change["new_index"]) == (0, 0)
    assert change["a"]["raw"] == "12" and change["b"]["raw"] == "14"
    assert change["deepdiff"]["values_changed"]["root['value']"] == {
        "new_value": 14.0,
        "old_value": 12.0,
    }


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        # rewording without touching a figure: no change
        ([V1[0].replace("Унаслідок атаки на", "Через атаку на"), V1[1], V1[2]], []),
        # the same figure written another way is not a change
        ([V1[0].replace("40", "сорок"), V1[1], V1[2]], []),
        # a paragraph with a new figure
        ([*V1, "Збитки оцінюють у 3 млн гривень."], [("added", None, 3_000_000.0)]),
        # a paragraph dropped with its figure
        ([V1[0], V1[1]], [("removed", 5.0, None)]),
        # a split paragraph keeps its figures: nothing added or removed
        (
            ["Унаслідок атаки на Харків загинули 12 людей.", "Ще 40 людей поранені.", *V1[1:]],
            [],
        ),
        # a corrected count and an added one in the same edit
        (
            [V1[0].replace("40", "45") + " Серед них 3 дітей.", V1[1], V1[2]],
            [("changed", 40.0, 45.0), ("added", None, 3.0)],
        ),
    ],
)
def test_figure_changes(new, expected):
    assert changes(V1, new) == expected


def test_title_change_is_reported():
    result = changes(V1, V1, old_title="Атака на Харків", new_title="Атака на Харків: 14 загиблих")
    assert result == [("title", None, None)]
    assert changes(V1, V1, old_title="Той самий", new_title="Той самий") == []


def test_large_inputs_stay_linear():
    old = [f"Абзац номер {i} про подію." for i in range(3000)]
    new = [f"Змінений абзац {i} про іншу подію." for i in range(3000)]
    rows = align_versions(old, new)
    assert len([r for r in rows if r["old"] is not None]) == 3000
    assert len([r for r in rows if r["new"] is not None]) == 3000
