"""The aligner dev set is well-formed, and the quality scorer and its baseline count right.

The dev set (tests/devset/<NN-slug>/) tunes the aligner, so a broken gold file would tune it
towards a wrong answer: every paragraph must sit in exactly one row, rows must follow
reading order, and every planted divergence must name values the text really states. The
value check is deliberately loose (digits, separators, scale words, dates, clock times) and
independent of diffing.figures, so the data cannot inherit the extractor's mistakes.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # benchmarks/ is a folder of scripts, not an installed package
    sys.path.insert(0, str(REPO))

from benchmarks.align_quality import (  # noqa: E402
    Counts,
    baseline_links,
    links_from_beads,
    links_from_rows,
    load_devset,
    main,
    read_paragraphs,
    score_divergences,
    score_links,
)
from benchmarks.gale_church import gale_church  # noqa: E402

DEVSET = Path(__file__).parent / "devset"
LANGS = ("uk", "en", "ru")
ARTICLE_DIRS = sorted(p for p in DEVSET.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _gold(folder: Path) -> dict:
    return json.loads((folder / "gold.json").read_text(encoding="utf-8"))


# ---- a loose, extractor-independent search for a value in text -------------------------------

_SCALES = (1.0, 1e3, 1e6, 1e9, 1e12)
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f,.]\d+)*")
_CLOCK_24 = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_CLOCK_12 = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?", re.IGNORECASE)
_MONTHS = {
    1: ("січ", "январ", "january"),
    2: ("лют", "феврал", "february"),
    3: ("берез", "март", "march"),
    4: ("квіт", "апрел", "april"),
    5: ("трав", "ма[йя]", "may"),
    6: ("черв", "июн", "june"),
    7: ("лип", "июл", "july"),
    8: ("серп", "август", "august"),
    9: ("верес", "сентябр", "september"),
    10: ("жовт", "октябр", "october"),
    11: ("листопад", "ноябр", "november"),
    12: ("груд", "декабр", "december"),
}
_WORDS = {
    1: ("один", "одн", "one"),
    2: ("два", "дві", "двоє", "двое", "two"),
    3: ("три", "троє", "трое", "three"),
    4: ("чотир", "четыр", "четвер", "four"),
    5: ("п’ят", "п'ят", "пят", "five"),
    6: ("шіст", "шест", "six"),
    7: ("сім", "сем", "seven"),
    8: ("вісім", "восем", "eight"),
    9: ("дев’ят", "дев'ят", "девят", "nine"),
    10: ("десят", "ten"),
}


def _readings(token: str) -> set[float]:
    """A digit group read as thousands-separated and as decimal-comma/point."""
    compact = re.sub(r"[ \u00a0\u202f]", "", token)
    readings = set()
    for candidate in (compact.replace(",", ""), compact.replace(",", ".")):
        try:
            readings.add(float(candidate))
        except ValueError:
            pass
    return readings


def _dates(text: str) -> set[float]:
    """Dates as the extractor values them: YYYYMMDD, and MMDD as well (year optional)."""
    found = set()
    for month, stems in _MONTHS.items():
        stem = "|".join(stems)
        day_first = rf"\b(\d{{1,2}})\s+(?:{stem})\w*(?:\s+(\d{{4}}))?"
        month_first = rf"\b(?:{stem})\w*\s+(\d{{1,2}})(?:,\s+(\d{{4}}))?"
        for pattern in (day_first, month_first):
            for match in re.finditer(pattern, text, re.IGNORECASE):
                day = int(match[1])
                found.add(float(month * 100 + day))
                if match[2]:
                    found.add(float(int(match[2]) * 10000 + month * 100 + day))
    return found


def _clock_times(text: str) -> set[float]:
    found = {float(int(h) * 100 + int(m)) for h, m in _CLOCK_24.findall(text)}
    for hour, minute, half in _CLOCK_12.findall(text):
        hours = int(hour) % 12 + (12 if half.lower() == "p" else 0)
        found.add(float(hours * 100 + int(minute or 0)))
    return found


def value_appears(value: float, text: str) -> bool:
    """Whether `text` states `value` in some local way (loosely: false hits are acceptable)."""
    candidates: set[float] = set()
    for token in _NUMBER.findall(text):
        candidates |= {reading * scale for reading in _readings(token) for scale in _SCALES}
    candidates |= _dates(text) | _clock_times(text)
    lowered = text.lower()
    candidates |= {float(n) for n, stems in _WORDS.items() if any(s in lowered for s in stems)}
    return any(math.isclose(value, c, rel_tol=1e-9) for c in candidates)


@pytest.mark.parametrize(
    "value, text, expected",
    [
        (427000, "427 тисяч", True),
        (427000, "427,000 people", True),
        (1.5e6, "1,5 млн", True),
        (1.5e6, "1.5 million", True),
        (14.6, "14,6%", True),
        (20250224, "24 лютого 2025 року", True),
        (224, "February 24, 2025", True),
        (1805, "at 6:05 p.m.", True),
        (1805, "о 18:05", True),
        (7, "сімох людей", True),
        (472000, "427 тисяч", False),
        (1850, "о 18:05", False),
        (419, "18 квітня", False),
    ],
)
def test_value_search_is_loose_but_not_blind(value: float, text: str, expected: bool) -> None:
    assert value_appears(value, text) is expected


# ---- the data --------------------------------------------------------------------------------


def test_devset_is_big_and_varied_enough() -> None:
    golds = {folder.name: _gold(folder) for folder in ARTICLE_DIRS}
    assert len(golds) >= 22
    changed = [d for gold in golds.values() for d in gold["divergences"] if d["kind"] == "changed"]
    assert len(changed) >= 25

    def has_omission(gold: dict) -> bool:
        return any(any(not row[lang] for lang in LANGS) for row in gold["rows"])

    def has_merge(row: dict) -> bool:
        return any(len(row[lang]) > 1 for lang in LANGS)

    def has_recap_beside_merge(gold: dict) -> bool:
        rows = gold["rows"]
        return any(
            any(not row[lang] for lang in LANGS)
            and any(has_merge(rows[j]) for j in (i - 1, i + 1) if 0 <= j < len(rows))
            for i, row in enumerate(rows)
        )

    assert sum(has_omission(g) for g in golds.values()) >= 6
    assert sum(any(has_merge(r) for r in g["rows"]) for g in golds.values()) >= 6
    assert sum(has_recap_beside_merge(g) for g in golds.values()) >= 3
    assert sum(not g["divergences"] for g in golds.values()) >= 4


@pytest.mark.parametrize("folder", ARTICLE_DIRS, ids=lambda p: p.name)
def test_article_has_three_editions_and_gold(folder: Path) -> None:
    for name in ("uk.txt", "en.txt", "ru.txt", "gold.json"):
        assert (folder / name).is_file(), name
    gold = _gold(folder)
    assert set(gold["title"]) == set(LANGS) and all(gold["title"].values())
    assert gold["notes"].strip()
    for lang in LANGS:
        assert 6 <= len(read_paragraphs(folder / f"{lang}.txt")) <= 20, lang


@pytest.mark.parametrize("folder", ARTICLE_DIRS, ids=lambda p: p.name)
def test_rows_cover_every_paragraph_once_in_reading_order(folder: Path) -> None:
    gold = _gold(folder)
    for row in gold["rows"]:
        assert set(row) >= set(LANGS)
        assert any(row[lang] for lang in LANGS), "an empty row"
    for lang in LANGS:
        count = len(read_paragraphs(folder / f"{lang}.txt"))
        in_order = [index for row in gold["rows"] for index in row[lang]]
        assert in_order == list(range(count)), lang


@pytest.mark.parametrize("folder", ARTICLE_DIRS, ids=lambda p: p.name)
def test_gold_divergences_name_values_stated_in_their_row(folder: Path) -> None:
    gold = _gold(folder)
    editions = {lang: read_paragraphs(folder / f"{lang}.txt") for lang in LANGS}
    seen = set()
    for divergence in gold["divergences"]:
        assert divergence["kind"] == "changed"
        row = gold["rows"][divergence["row"]]
        a, b = divergence["a"], divergence["b"]
        assert a["lang"] != b["lang"]
        assert not math.isclose(a["value"], b["value"], rel_tol=1e-9)
        key = frozenset([(a["lang"], a["value"]), (b["lang"], b["value"])])
        assert key not in seen, "duplicate gold divergence"
        seen.add(key)
        for side in (a, b):
            assert row[side["lang"]], f"{side['lang']} has no paragraph in row {divergence['row']}"
            text = " ".join(editions[side["lang"]][i] for i in row[side["lang"]])
            assert value_appears(side["value"], text), (side, text)


# ---- the scorer ------------------------------------------------------------------------------

ROWS = [
    {"uk": [0], "en": [0], "ru": [0]},
    {"uk": [1, 2], "en": [1], "ru": [1, 2]},
    {"uk": [3], "en": [], "ru": [3]},
]


def test_links_are_the_cross_product_of_each_row_per_language_pair() -> None:
    assert links_from_rows(ROWS) == {
        ("uk", 0, "en", 0), ("uk", 0, "ru", 0), ("en", 0, "ru", 0),
        ("uk", 1, "en", 1), ("uk", 2, "en", 1),
        ("uk", 1, "ru", 1), ("uk", 1, "ru", 2), ("uk", 2, "ru", 1), ("uk", 2, "ru", 2),
        ("en", 1, "ru", 1), ("en", 1, "ru", 2),
        ("uk", 3, "ru", 3),
    }  # fmt: skip


def test_links_do_not_depend_on_key_order_or_extra_fields() -> None:
    shuffled = [{"ru": row["ru"], "score": 0.5, "en": row["en"], "uk": row["uk"]} for row in ROWS]
    assert links_from_rows(shuffled) == links_from_rows(ROWS)
    assert links_from_beads([([0], [1])], "en", "uk") == {("uk", 1, "en", 0)}


def test_link_scores_count_hits_misses_and_extras_per_pair() -> None:
    gold = links_from_rows(ROWS)
    predicted = links_from_rows(
        [
            {"uk": [0], "en": [0], "ru": [0]},
            {"uk": [1, 2, 3], "en": [1], "ru": [1, 2, 3]},  # the recap swallowed into the merge
        ]
    )
    scores = score_links(predicted, gold)
    # the recap row adds uk3-en1 and en1-ru3 (extras); uk3-ru3 is still right; plus the
    # cross links uk1/uk2-ru3 and uk3-ru1/ru2 are extras
    assert (scores["uk-en"].tp, scores["uk-en"].fp, scores["uk-en"].fn) == (3, 1, 0)
    assert (scores["en-ru"].tp, scores["en-ru"].fp, scores["en-ru"].fn) == (3, 1, 0)
    assert (scores["uk-ru"].tp, scores["uk-ru"].fp, scores["uk-ru"].fn) == (6, 4, 0)
    total = scores["all"]
    assert (total.tp, total.fp, total.fn) == (12, 6, 0)
    assert total.precision == pytest.approx(12 / 18)
    assert total.recall == 1.0
    assert total.f1 == pytest.approx(2 * (12 / 18) / (12 / 18 + 1))


@pytest.mark.parametrize(
    "counts, precision, recall, f1",
    [
        (Counts(0, 0, 0), 1.0, 1.0, 1.0),
        (Counts(0, 2, 0), 0.0, 1.0, 0.0),
        (Counts(0, 0, 3), 1.0, 0.0, 0.0),
        (Counts(3, 1, 2), 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
    ],
)
def test_counts_ratios(counts: Counts, precision: float, recall: float, f1: float) -> None:
    assert counts.precision == pytest.approx(precision)
    assert counts.recall == pytest.approx(recall)
    assert counts.f1 == pytest.approx(f1)
    assert (counts + Counts(1, 1, 1)).tp == counts.tp + 1


def _div(lang_a: str, value_a: float, lang_b: str, value_b: float, kind: str = "changed") -> dict:
    return {
        "row": 0,
        "kind": kind,
        "a": {"lang": lang_a, "value": value_a},
        "b": {"lang": lang_b, "value": value_b},
    }


GOLD_DIVERGENCES = [_div("uk", 427000, "ru", 472000), _div("en", 427000, "ru", 472000)]


@pytest.mark.parametrize(
    "predicted, tp, fp, fn",
    [
        ([], 0, 0, 2),
        ([_div("uk", 427000, "ru", 472000)], 1, 0, 1),
        ([_div("ru", 472000, "uk", 427000)], 1, 0, 1),  # sides swapped
        ([_div("uk", 427000.0000001, "ru", 472000)], 1, 0, 1),  # within 1e-9 relative
        ([_div("uk", 427001, "ru", 472000)], 0, 1, 2),
        ([_div("uk", 427000, "en", 472000)], 0, 1, 2),  # wrong language pair
        ([_div("uk", 427000, "ru", 472000, kind="missing")], 0, 0, 2),  # other kinds ignored
        ([_div("uk", 427000, "ru", 472000)] * 2, 1, 1, 1),  # a gold entry matches once
        ([_div("uk", 427000, "ru", 472000), _div("ru", 472000, "en", 427000)], 2, 0, 0),
    ],
)
def test_divergence_matching(predicted: list[dict], tp: int, fp: int, fn: int) -> None:
    score = score_divergences(predicted, GOLD_DIVERGENCES)
    assert (score.counts.tp, score.counts.fp, score.counts.fn) == (tp, fp, fn)
    assert len(score.missed) == fn and len(score.extra) == fp


def test_value_none_never_matches() -> None:
    score = score_divergences([_div("uk", None, "ru", 472000)], GOLD_DIVERGENCES)  # type: ignore[arg-type]
    assert score.counts.tp == 0


# ---- the Gale–Church baseline ----------------------------------------------------------------


def _texts(*lengths: int) -> list[str]:
    return ["x" * length for length in lengths]


@pytest.mark.parametrize(
    "source, target, expected",
    [
        (_texts(100, 20, 300), _texts(103, 19, 296), [([0], [0]), ([1], [1]), ([2], [2])]),
        (_texts(150, 140, 300), _texts(292, 305), [([0, 1], [0]), ([2], [1])]),
        (_texts(300, 120), _texts(300, 60, 62), [([0], [0]), ([1], [1, 2])]),
        ([], _texts(10), [([], [0])]),
        (_texts(10), [], [([0], [])]),
        ([], [], []),
    ],
)
def test_gale_church_obvious_cases(source: list[str], target: list[str], expected: list) -> None:
    assert gale_church(source, target) == expected


def test_gale_church_covers_every_paragraph_once_in_order() -> None:
    article = load_devset(DEVSET)[0]
    beads = gale_church(article.editions["uk"], article.editions["en"])
    assert [i for source, _ in beads for i in source] == list(range(len(article.editions["uk"])))
    assert [j for _, target in beads for j in target] == list(range(len(article.editions["en"])))


def test_baseline_links_identical_editions_perfectly() -> None:
    paragraphs = ["a" * 80, "b" * 200, "c" * 40]
    editions = {lang: paragraphs for lang in LANGS}
    rows = [{lang: [i] for lang in LANGS} for i in range(3)]
    assert baseline_links(editions) == links_from_rows(rows)


# ---- loading and the command line ------------------------------------------------------------


def test_read_paragraphs_splits_on_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "uk.txt"
    path.write_text("Перший\nрядок.\r\n\r\n\n\nДругий.\n\n", encoding="utf-8")
    assert read_paragraphs(path) == ["Перший рядок.", "Другий."]


def _tiny_devset(root: Path) -> Path:
    folder = root / "01-tiny"
    folder.mkdir(parents=True)
    for lang in LANGS:
        (folder / f"{lang}.txt").write_text("One.\n\nTwo, longer.\n", encoding="utf-8")
    gold = {"title": {}, "rows": [{lang: [0] for lang in LANGS}, {lang: [1] for lang in LANGS}]}
    (folder / "gold.json").write_text(json.dumps(gold | {"divergences": []}), encoding="utf-8")
    return root


def test_baseline_only_run_prints_json_and_succeeds(tmp_path: Path, capsys) -> None:
    assert main(["--devset", str(_tiny_devset(tmp_path)), "--baseline-only", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["articles"] == 1
    assert summary["baseline_links"]["all"]["f1"] == 1.0
    assert "aligner_links" not in summary


def test_empty_devset_is_an_error(tmp_path: Path) -> None:
    assert main(["--devset", str(tmp_path), "--baseline-only"]) == 1
