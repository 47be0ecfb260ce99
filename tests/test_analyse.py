"""The `triglot align --json` document: its shape and the divergences it reports."""

from __future__ import annotations

import json

import pytest

from diffing.analyse import analyse_editions as analyse
from diffing.analyse import extract_paragraph_figures
from triglot.offline import alignment_document


def analyse_editions(*args, **kwargs) -> dict:
    """The `triglot align --json` document, as the CLI renders the typed analysis."""
    return alignment_document(analyse(*args, **kwargs))


LEAD = {
    "uk": "Унаслідок нічної атаки на Харків без світла залишилися понад 120 тисяч абонентів, "
    "повідомив мер міста Ігор Терехов.",
    "en": "A night attack on Kharkiv left more than 120,000 customers without power, Mayor Ihor "
    "Terekhov said.",
    "ru": "В результате ночной атаки на Харьков без света остались более 120 тысяч абонентов, "
    "сообщил мэр города Игорь Терехов.",
}
FUNDS = {
    "uk": "Прем'єр-міністр Денис Шмигаль заявив, що уряд виділить 1,5 млрд гривень на "
    "відновлення енергетики Харківщини.",
    "en": "Prime Minister Denys Shmyhal said the government would allocate 1.5 billion hryvnias "
    "to rebuild the Kharkiv region's power grid.",
    "ru": "Премьер-министр Денис Шмыгаль заявил, что правительство выделит 1,5 млрд гривен на "
    "восстановление энергетики Харьковщины.",
}
RESCUERS = {
    "uk": "До ліквідації наслідків залучили 86 рятувальників ДСНС і 19 одиниць техніки.",
    "en": "The State Emergency Service deployed 86 rescuers and 19 vehicles.",
    "ru": "К ликвидации последствий привлекли 86 спасателей ГСЧС и 19 единиц техники.",
}
RECAP = {
    "uk": "Нагадаємо, 8 березня Харків уже зазнав атаки 35 ударних дронів, тоді постраждали 11 "
    "людей.",
    "ru": "Напомним, 8 марта Харьков уже подвергся атаке 35 ударных дронов, тогда пострадали 11 "
    "человек.",
}
LEAD_AND_FUNDS_EN = LEAD["en"] + " " + FUNDS["en"]


def trilingual(*passages: dict[str, str]) -> dict[str, list[str]]:
    return {lang: [p[lang] for p in passages if lang in p] for lang in ("uk", "en", "ru")}


def test_contract_shape():
    editions = trilingual(LEAD, FUNDS, RESCUERS)
    document = analyse_editions(editions, titles={"uk": "Атака на Харків", "en": None})
    assert set(document) == {"editions", "rows", "divergences"}
    assert list(document["editions"]) == ["uk", "en", "ru"]
    assert document["editions"]["uk"] == {"title": "Атака на Харків", "paragraphs": editions["uk"]}
    assert document["editions"]["en"]["title"] is None
    for row in document["rows"]:
        assert set(row) == {"uk", "en", "ru", "score", "weak"}
        assert 0.0 <= row["score"] <= 1.0
        assert isinstance(row["weak"], bool)
    assert [row["uk"] for row in document["rows"]] == [[0], [1], [2]]
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document


def test_accepts_edition_dicts_with_titles():
    editions = {
        lang: {"title": f"title-{lang}", "paragraphs": [LEAD[lang], RESCUERS[lang]]}
        for lang in ("uk", "ru")
    }
    document = analyse_editions(editions)
    assert document["editions"]["ru"]["title"] == "title-ru"
    assert [(row["uk"], row["ru"]) for row in document["rows"]] == [([0], [0]), ([1], [1])]
    assert all(set(row) == {"uk", "ru", "score", "weak"} for row in document["rows"])


def changed_pairs(document: dict) -> set[tuple]:
    return {
        (d["row"], d["a"]["lang"], d["b"]["lang"], d["a"]["value"], d["b"]["value"])
        for d in document["divergences"]
        if d["kind"] == "changed"
    }


CHANGED_CASES = [
    (
        "russian figure differs: uk-ru and en-ru",
        {"ru": RESCUERS["ru"].replace("86", "68")},
        {(2, "uk", "ru", 86, 68), (2, "en", "ru", 86, 68)},
    ),
    (
        "english figure differs: uk-en and en-ru",
        {"en": RESCUERS["en"].replace("86", "96")},
        {(2, "uk", "en", 86, 96), (2, "en", "ru", 96, 86)},
    ),
    (
        "ukrainian figure differs: uk-en and uk-ru",
        {"uk": LEAD["uk"].replace("120 тисяч", "210 тисяч")},
        {(0, "uk", "en", 210000, 120000), (0, "uk", "ru", 210000, 120000)},
    ),
]


@pytest.mark.parametrize(
    ("name", "edits", "expected"), CHANGED_CASES, ids=[c[0] for c in CHANGED_CASES]
)
def test_changed_figure_reported_once_per_language_pair(name, edits, expected):
    editions = trilingual(LEAD, FUNDS, RESCUERS)
    for lang, text in edits.items():
        index = next(i for i, p in enumerate(editions[lang]) if p[:20] == text[:20])
        editions[lang][index] = text
    document = analyse_editions(editions)
    assert changed_pairs(document) == expected
    for divergence in document["divergences"]:
        assert set(divergence) == {"row", "kind", "a", "b", "deepdiff"}
        assert set(divergence["a"]) == {"lang", "raw", "value", "unit"}


@pytest.mark.parametrize(
    ("uk", "en", "ru"),
    [
        ("Без світла 120 тисяч абонентів у Харкові.", "In Kharkiv, 120,000 customers lost power.",
         "Без света 120 000 абонентов в Харькове."),
        ("Уряд виділить 1,5 млрд гривень Харкову.", "The government will give Kharkiv UAH 1.5bn.",
         "Правительство выделит Харькову 1 500 000 000 гривен."),
        ("Тривога в Харкові тривала до 07:15.", "The alert in Kharkiv lasted until 7:15 a.m.",
         "Тревога в Харькове длилась до 07:15."),
    ],
    ids=["thousands", "billions", "clock"],
)  # fmt: skip
def test_formatting_only_differences_are_not_divergences(uk, en, ru):
    document = analyse_editions({"uk": [uk], "en": [en], "ru": [ru]})
    assert [d for d in document["divergences"] if d["kind"] == "changed"] == []


def test_recap_next_to_merge_gives_no_missing_figures():
    editions = {
        "uk": [LEAD["uk"], FUNDS["uk"], RECAP["uk"], RESCUERS["uk"]],
        "en": [LEAD_AND_FUNDS_EN, RESCUERS["en"]],
        "ru": [LEAD["ru"], FUNDS["ru"], RECAP["ru"], RESCUERS["ru"]],
    }
    document = analyse_editions(editions)
    shapes = [(row["uk"], row["en"], row["ru"]) for row in document["rows"]]
    assert shapes == [([0, 1], [0], [0, 1]), ([2], [], [2]), ([3], [1], [3])]
    assert [d for d in document["divergences"] if d["kind"] == "missing"] == []


def test_missing_names_the_edition_that_lacks_the_figure():
    editions = trilingual(LEAD, RESCUERS)
    editions["en"][1] = "The State Emergency Service deployed 86 rescuers and equipment."
    document = analyse_editions(editions)
    missing = [d for d in document["divergences"] if d["kind"] == "missing"]
    assert {(d["row"], d["a"]["lang"], d["a"]["value"], d["b"]["lang"]) for d in missing} == {
        (1, "uk", 19, "en"),
        (1, "ru", 19, "en"),
    }
    for divergence in missing:
        assert divergence["b"] == {"lang": "en", "raw": None, "value": None, "unit": None}


def test_empty_edition_and_single_language():
    document = analyse_editions({"uk": [LEAD["uk"]], "en": [], "ru": [LEAD["ru"]]})
    assert [(r["uk"], r["en"], r["ru"]) for r in document["rows"]] == [([0], [], [0])]
    assert document["divergences"] == []
    single = analyse_editions({"en": [LEAD["en"], FUNDS["en"]]})
    assert [r["en"] for r in single["rows"]] == [[0], [1]]
    assert single["divergences"] == []


def test_paragraph_figures_are_exposed_for_storage():
    figures = extract_paragraph_figures([LEAD["uk"], "Без чисел."], "uk")
    assert [[f.value for f in paragraph] for paragraph in figures] == [[120000], []]


PRECOMPUTED_CASES = [
    ("three editions", trilingual(LEAD, FUNDS, RESCUERS, RECAP)),
    ("english merges two paragraphs",
     {"uk": [LEAD["uk"], FUNDS["uk"], RESCUERS["uk"]], "en": [LEAD_AND_FUNDS_EN, RESCUERS["en"]],
      "ru": [LEAD["ru"], FUNDS["ru"], RESCUERS["ru"].replace("86", "68")]}),
    ("an empty edition", {"uk": [LEAD["uk"]], "en": [], "ru": [LEAD["ru"]]}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "editions"), PRECOMPUTED_CASES, ids=[c[0] for c in PRECOMPUTED_CASES]
)
def test_precomputed_figures_give_the_same_document(name, editions):
    figures = {lang: extract_paragraph_figures(texts, lang) for lang, texts in editions.items()}
    expected = analyse_editions(editions)
    assert analyse_editions(editions, figures=figures) == expected
    # a language left out is extracted as usual
    assert analyse_editions(editions, figures={"uk": figures["uk"]}) == expected


def test_precomputed_figures_are_what_the_document_compares():
    """The figures given are the ones compared: proof they are used, not re-extracted."""
    editions = trilingual(LEAD, RESCUERS)
    figures = {lang: extract_paragraph_figures(texts, lang) for lang, texts in editions.items()}
    figures["ru"][1] = extract_paragraph_figures([RESCUERS["ru"].replace("86", "68")], "ru")[0]
    document = analyse_editions(editions, figures=figures)
    assert changed_pairs(document) == {(1, "uk", "ru", 86, 68), (1, "en", "ru", 86, 68)}


def test_precomputed_figures_must_cover_every_paragraph():
    editions = trilingual(LEAD, RESCUERS)
    figures = {"uk": extract_paragraph_figures(editions["uk"][:1], "uk")}
    with pytest.raises(ValueError, match="'uk'"):
        analyse_editions(editions, figures=figures)
