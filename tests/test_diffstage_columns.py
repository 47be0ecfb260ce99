"""The diff stage's own rows: an archive stored as the crawler stores it, then `run_diff`.

tests/archive_factory.py writes the derived tables itself (for the Datasette tests), so it
cannot catch a column the diff stage leaves empty; that is how `divergences.figure_kind`
stayed NULL for every cross-language divergence. Here every column the README documents
for `divergences` is checked against what the real stage wrote. The stories are invented.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import archive
from triglot.diffstage import run_diff

T0 = "2025-03-03T08:00:00+00:00"
T1 = "2025-03-04T09:30:00+00:00"
NOW = "2025-03-05T10:20:00+00:00"
LANGS = ("uk", "en", "ru")

# Row 0: a changed count (uk/en 427 000 vs ru 472 000).
# Row 1: en merges two uk/ru paragraphs; the figure at stake (15 млн грн / 51 million) is in
#   the SECOND paragraph of the merge, while the first states the same raw text "15 млн
#   гривень" for last year — the old re-search by raw text pointed at the first.
# Row 2: a missing money figure (uk/ru 3 млн грн, en says nothing of it).
STORY = {
    "uk": [
        "Аграрії Дніпропетровщини зібрали 427 тисяч тонн зерна станом на 1 серпня.",
        "Торік на ремонт елеваторів область витратила 15 млн гривень, повідомив голова "
        "області Сергій Лисак.",
        "Цього року на ремонт елеваторів область виділить 15 млн гривень.",
        "Ще 3 млн гривень отримають фермери Нікопольщини на пальне.",
    ],
    "en": [
        "Farmers in the Dnipropetrovsk region harvested 427,000 tonnes of grain as of 1 August.",
        "Last year the region spent UAH 15 million on repairing the elevators, regional "
        "governor Serhii Lysak said; this year it will allocate UAH 51 million to them.",
        "Farmers in the Nikopol district will receive money for fuel as well, the region said.",
    ],
    "ru": [
        "Аграрии Днепропетровщины собрали 472 тысячи тонн зерна по состоянию на 1 августа.",
        "В прошлом году на ремонт элеваторов область потратила 15 млн гривен, сообщил глава "
        "области Сергей Лысак.",
        "В этом году на ремонт элеваторов область выделит 15 млн гривен.",
        "Еще 3 млн гривен получат фермеры Никопольщины на горючее.",
    ],
}
STORY_UK_V2 = [*STORY["uk"][:3], "Ще 4 млн гривень отримають фермери Нікопольщини на пальне."]


def _url(slug: str, lang: str) -> str:
    return f"https://ledger.example.test/{lang}/news/{slug}.html"


def _save(db, slug: str, lang: str, paragraphs: list[str], fetched_at: str = T0):
    item: dict[str, Any] = {
        "site": "ledger",
        "article_key": f"ledger:{slug}",
        "url": _url(slug, lang),
        "lang": lang,
        "lang_declared": lang,
        "lang_detected": lang,
        "lang_confidence": 0.99,
        "title": f"{slug} ({lang})",
        "paragraphs": paragraphs,
        "alternates": {other: _url(slug, other) for other in LANGS if other != lang},
        "fetched_at": fetched_at,
        "extraction": "profile",
    }
    return archive.save_edition(db, item)


@pytest.fixture
def db(tmp_path: Path):
    database = archive.open_db(tmp_path / "diff.db")
    for lang in LANGS:
        _save(database, "harvest", lang, STORY[lang])
    report = run_diff(database, now=NOW)
    assert report.errors == 0
    _save(database, "harvest", "uk", STORY_UK_V2, fetched_at=T1)
    report = run_diff(database, now=NOW)
    assert report.errors == 0
    yield database
    database.close()


def _rows(db, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _paragraph(db, paragraph_id: int) -> dict[str, Any]:
    [row] = _rows(db, "select * from paragraphs where id = ?", [paragraph_id])
    return row


def _current_snapshot(db, lang: str) -> int:
    return db.execute("select current_snapshot_id from editions where lang = ?", [lang]).fetchone()[
        0
    ]


def test_language_divergences_fill_every_documented_column(db) -> None:
    found = _rows(db, "select * from divergences where scope = 'language' and resolved_at is null")
    summary = {(d["kind"], d["lang_a"], d["value_a"], d["lang_b"], d["value_b"]) for d in found}
    assert summary == {
        ("changed", "uk", 427000.0, "ru", 472000.0),
        ("changed", "en", 427000.0, "ru", 472000.0),
        ("changed", "uk", 15e6, "en", 51e6),
        ("changed", "en", 51e6, "ru", 15e6),
        ("missing", "uk", 4e6, "en", None),
        ("missing", "ru", 3e6, "en", None),
        ("changed", "uk", 4e6, "ru", 3e6),
    }
    for d in found:
        assert d["figure_kind"] in ("count", "measure", "money"), d
        assert d["article_id"] and d["fingerprint"] and d["detected_at"] == NOW
        assert d["resolved_at"] is None
        assert isinstance(json.loads(d["deepdiff"]), dict)
        for side in ("a", "b"):
            lang = d[f"lang_{side}"]
            assert d[f"snapshot_{side}"] == _current_snapshot(db, lang)
            paragraph = _paragraph(db, d[f"paragraph_{side}"])
            assert paragraph["snapshot_id"] == d[f"snapshot_{side}"]
            aligned = _rows(
                db,
                "select * from alignments where article_id = ? and row = ? and lang = ? "
                "and paragraph_id = ?",
                [d["article_id"], d["row"], lang, paragraph["id"]],
            )
            assert aligned, f"paragraph_{side} is not in row {d['row']}: {d}"
            if d[f"raw_{side}"] is None:
                assert d[f"value_{side}"] is None and d[f"unit_{side}"] is None
                continue
            # the paragraph that states the figure, found among that paragraph's own figures
            [figure] = _rows(
                db,
                "select * from figures where paragraph_id = ? and raw = ?",
                [paragraph["id"], d[f"raw_{side}"]],
            )
            assert figure["value"] == d[f"value_{side}"]
            assert figure["unit"] == d[f"unit_{side}"]
            assert figure["kind"] == d["figure_kind"]
        if d["kind"] == "missing":
            assert d["raw_a"] is not None and d["raw_b"] is None


def test_the_figure_in_the_second_paragraph_of_a_merge_points_there(db) -> None:
    [d] = _rows(
        db,
        "select * from divergences where scope = 'language' and lang_a = 'uk' and "
        "lang_b = 'en' and value_a = 15000000",
    )
    assert d["raw_a"] == "15 млн гривень" and d["unit_a"] == "UAH" and d["unit_b"] == "UAH"
    assert _paragraph(db, d["paragraph_a"])["text"] == STORY["uk"][2]
    assert d["figure_kind"] == "money"


def test_version_divergences_fill_every_documented_column(db) -> None:
    [d] = _rows(db, "select * from divergences where scope = 'version'")
    assert (d["kind"], d["lang_a"], d["lang_b"]) == ("changed", "uk", "uk")
    assert (d["raw_a"], d["raw_b"], d["value_a"], d["value_b"]) == (
        "3 млн гривень",
        "4 млн гривень",
        3e6,
        4e6,
    )
    assert d["unit_a"] == d["unit_b"] == "UAH" and d["figure_kind"] == "money"
    assert _paragraph(db, d["paragraph_a"])["snapshot_id"] == d["snapshot_a"]
    assert _paragraph(db, d["paragraph_b"])["snapshot_id"] == d["snapshot_b"]
    assert d["snapshot_b"] == _current_snapshot(db, "uk") != d["snapshot_a"]
    assert isinstance(json.loads(d["deepdiff"]), dict) and d["detected_at"] == NOW


def test_a_resolved_divergence_is_marked(db) -> None:
    """uk 3 млн became 4 млн: the uk-ru "missing"/"changed" rows of the old value went."""
    resolved = _rows(db, "select * from divergences where resolved_at is not null")
    assert resolved and all(d["resolved_at"] == NOW for d in resolved)
    assert all(d["value_a"] == 3e6 or d["value_b"] == 3e6 for d in resolved)


@pytest.mark.parametrize("digits", [309, 5000])
def test_a_figure_no_float_holds_never_stops_the_diff_stage(tmp_path: Path, digits: int) -> None:
    database = archive.open_db(tmp_path / "huge.db")
    huge = "9" * digits
    paragraphs = {
        "uk": [f"Борг становить {huge} гривень, а збитки — 12 млн гривень."],
        "en": [f"The debt is UAH {huge}, and the losses UAH 21 million."],
        "ru": [f"Долг составляет {huge} гривен, а убытки — 12 млн гривен."],
    }
    for lang in LANGS:
        _save(database, "debt", lang, paragraphs[lang])
    report = run_diff(database, now=NOW)
    assert (report.errors, report.articles) == (0, 1)
    values = [row[0] for row in database.execute("select value from figures")]
    assert sorted(values) == [12e6, 12e6, 21e6]  # the huge number is skipped, nothing else
    changed = _rows(database, "select * from divergences where kind = 'changed'")
    assert {(d["lang_a"], d["lang_b"]) for d in changed} == {("uk", "en"), ("en", "ru")}
    database.close()


@pytest.mark.parametrize("digits", [309, 5000])
def test_figures_and_align_commands_skip_a_huge_number(tmp_path: Path, digits: int) -> None:
    from click.testing import CliRunner

    from triglot.cli import main

    huge = "9" * digits
    result = CliRunner().invoke(main, ["figures", "--json", "--lang", "en", f"{huge} and 7%"])
    assert result.exit_code == 0, result.output
    assert [f["raw"] for f in json.loads(result.output)] == ["7%"]
    sources = []
    for lang, text in (("uk", f"Борг {huge} грн і 12%."), ("en", f"A debt of {huge} and 21%.")):
        path = tmp_path / f"{lang}.txt"
        path.write_text(text, encoding="utf-8")
        sources.append(f"{lang}={path}")
    result = CliRunner().invoke(main, ["align", "--json", *sources])
    assert result.exit_code == 0, result.output
    [divergence] = json.loads(result.output)["divergences"]
    assert (divergence["a"]["value"], divergence["b"]["value"]) == (12, 21)
