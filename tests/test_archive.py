"""The archive on a real SQLite file: schema, snapshot dedup, joins, failures, derivations."""

from __future__ import annotations

import sqlite3

import pytest

import archive
from archive import derive


def edition(url: str, lang: str, paragraphs: list[str], **extra) -> dict:
    return {
        "site": "test",
        "url": url,
        "lang": lang,
        "lang_declared": lang,
        "lang_detected": lang,
        "title": f"title {lang}",
        "paragraphs": paragraphs,
        "article_key": "test:1",
        **extra,
    }


def test_schema_is_created_once_with_wal_and_version(tmp_path):
    path = tmp_path / "a.db"
    db = archive.open_db(path)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    assert db.journal_mode == "wal"
    for table in (
        "articles",
        "editions",
        "snapshots",
        "paragraphs",
        "figures",
        "alignments",
        "divergences",
        "alerts",
        "checks",
    ):
        assert db[table].exists(), table
    assert archive.migrate(archive.open_db(path)) == archive.SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "a.db"
    archive.open_db(path).execute("PRAGMA user_version = 999")
    with pytest.raises(archive.ArchiveRefused, match="newer"):
        archive.open_db(path)


@pytest.mark.parametrize(
    ("second", "outcome"),
    [
        (["Перший абзац.", "Другий абзац."], "unchanged"),
        (["Перший   абзац.", " Другий абзац. "], "unchanged"),  # whitespace only
        (["Перший абзац.", "Другий абзац, змінений."], "new"),
        (["Перший абзац."], "new"),
    ],
)
def test_snapshot_only_when_content_changes(db, second, outcome):
    first = archive.save_edition(
        db, edition("http://s/uk/1", "uk", ["Перший абзац.", "Другий абзац."])
    )
    assert first.outcome == "new"
    again = archive.save_edition(db, edition("http://s/uk/1", "uk", second))
    assert again.outcome == outcome
    snapshots = db.execute("select count(*) from snapshots").fetchone()[0]
    assert snapshots == (1 if outcome == "unchanged" else 2)
    assert db.execute("select count(*) from checks").fetchone()[0] == 2


def test_flip_flop_points_back_to_the_earlier_snapshot(db):
    a = archive.save_edition(db, edition("http://s/uk/1", "uk", ["Версія А."]))
    b = archive.save_edition(db, edition("http://s/uk/1", "uk", ["Версія Б."]))
    back = archive.save_edition(db, edition("http://s/uk/1", "uk", ["Версія А."]))
    assert (a.outcome, b.outcome, back.outcome) == ("new", "new", "seen_before")
    assert back.snapshot_id == a.snapshot_id
    assert db.execute("select count(*) from snapshots").fetchone()[0] == 2
    current = db.execute("select current_snapshot_id from editions").fetchone()[0]
    assert current == a.snapshot_id


def test_editions_join_their_article_by_url_or_alternates(db):
    uk = archive.save_edition(
        db,
        edition(
            "http://s/uk/1",
            "uk",
            ["Текст."],
            article_key="test:A",
            alternates={"en": "http://s/en/9"},
        ),
    )
    # the English edition was entered from elsewhere, with another key candidate
    en = archive.save_edition(db, edition("http://s/en/9", "en", ["Text."], article_key="test:B"))
    # a late Russian edition names only the English one
    ru = archive.save_edition(
        db,
        edition(
            "http://s/ru/1",
            "ru",
            ["Текст."],
            article_key="test:C",
            alternates={"en": "http://s/en/9"},
        ),
    )
    assert uk.article_id == en.article_id == ru.article_id
    assert db.execute("select count(*) from articles").fetchone()[0] == 1


def test_fetch_failure_is_recorded_and_keeps_the_others(db):
    archive.save_edition(db, edition("http://s/uk/1", "uk", ["Текст."]))
    archive.record_fetch_failure(
        db,
        {
            "url": "http://s/ru/1",
            "site": "test",
            "status": 404,
            "error": "HTTP 404",
            "article_key": "test:1",
            "lang_hint": "ru",
        },
    )
    rows = db.execute(
        "select lang, last_status, last_error, current_snapshot_id from editions order by id"
    ).fetchall()
    assert rows == [("uk", 200, None, 1), ("ru", 404, "HTTP 404", None)]
    assert db.execute("select outcome from checks order by id").fetchall() == [("new",), ("error",)]


def test_not_modified_records_a_check_only(db):
    archive.save_edition(db, edition("http://s/uk/1", "uk", ["Текст."]))
    assert archive.record_not_modified(db, "http://s/uk/1")
    assert not archive.record_not_modified(db, "http://s/unknown")
    assert db.execute("select count(*) from snapshots").fetchone()[0] == 1
    assert db.execute("select outcome from checks order by id").fetchall()[-1] == ("not_modified",)


def test_full_text_search_covers_all_languages(db):
    archive.save_edition(db, edition("http://s/uk/1", "uk", ["Обстріл Харкова тривав годину."]))
    archive.save_edition(
        db,
        edition(
            "http://s/en/1",
            "en",
            ["Shelling of Kharkiv lasted an hour."],
            alternates={"uk": "http://s/uk/1"},
        ),
    )
    hits = db.execute(
        "select text from paragraphs where rowid in (select rowid from paragraphs_fts "
        "where paragraphs_fts match ?)",
        ["Kharkiv OR Харкова"],
    ).fetchall()
    assert len(hits) == 2


def test_a_failed_write_leaves_nothing_half_written(db):
    bad = edition("http://s/uk/1", "uk", ["Текст."])
    bad["paragraphs"] = ["ok", object()]  # not text: the paragraph insert fails
    with pytest.raises((TypeError, AttributeError, sqlite3.Error)):
        archive.save_edition(db, bad)
    for table in ("articles", "editions", "snapshots", "paragraphs", "checks"):
        assert db.execute(f"select count(*) from {table}").fetchone()[0] == 0, table


def _divergence(value_b: float, **extra) -> dict:
    return {
        "kind": "changed",
        "lang_a": "uk",
        "lang_b": "ru",
        "value_a": 427000.0,
        "value_b": value_b,
        "raw_a": "427 тисяч",
        "raw_b": "472 тысячи",
        "figure_kind": "count",
        "deepdiff": {"values_changed": {}},
        **extra,
    }


def test_divergences_keep_identity_and_resolve(db):
    result = archive.save_edition(db, edition("http://s/uk/1", "uk", ["Текст."]))
    article = result.article_id
    assert derive.sync_divergences(db, article, "language", [_divergence(472000.0)], "t1") == 1
    # a re-run finds the same one: no new row, detection time kept
    assert (
        derive.sync_divergences(db, article, "language", [_divergence(472000.0, row=5)], "t2") == 0
    )
    rows = db.execute("select detected_at, resolved_at, row from divergences").fetchall()
    assert rows == [("t1", None, 5)]
    # the edition was corrected: the divergence is resolved, not deleted
    assert derive.sync_divergences(db, article, "language", [], "t3") == 0
    assert db.execute("select resolved_at from divergences").fetchall() == [("t3",)]
    # two equal divergences in one article are two rows
    assert (
        derive.sync_divergences(db, article, "language", [_divergence(1.0), _divergence(1.0)], "t4")
        == 2
    )


def test_article_title_prefers_the_ukrainian_headline(db):
    archive.save_edition(db, edition("http://s/ru/1", "ru", ["Текст."]))
    assert db.execute("select title from articles").fetchone()[0] == "title ru"
    archive.save_edition(db, edition("http://s/uk/1", "uk", ["Текст."]))
    archive.save_edition(db, edition("http://s/en/1", "en", ["Text."]))
    assert db.execute("select title from articles").fetchone()[0] == "title uk"


# ---------------------------------------------------------------- summaries (schema v3)


def _summaries(db) -> tuple[dict, dict]:
    """(kept by the triggers, counted from the tables now)."""
    kept_counts = dict(db.execute("select name, rows from table_counts").fetchall())
    kept_weeks = {
        (site, week): n
        for site, week, n in db.execute("select site, week, divergences from divergence_weeks")
        if n
    }
    counted = {
        table: db.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("articles", "divergences")
    }
    weeks = dict(
        ((site, week), n)
        for site, week, n in db.execute(
            "select a.site, date(d.detected_at, 'weekday 0', '-6 days') as week, count(*) "
            "from divergences d join articles a on a.id = d.article_id "
            "where week is not null group by 1, 2"
        )
    )
    return (kept_counts, kept_weeks), (counted, weeks)


def _add_divergence(db, article_id: int, detected_at: str, n: int) -> int:
    return db.execute(
        "insert into divergences (article_id, scope, kind, fingerprint, detected_at) "
        "values (?, 'language', 'changed', ?, ?)",
        [article_id, f"f-{article_id}-{n}", detected_at],
    ).lastrowid


def _two_sites(db) -> list[int]:
    ids = []
    for n, site in enumerate(("ledger", "courier", "ledger")):
        item = edition(f"https://{site}.example.test/uk/{n}", "uk", [f"Текст {n}."])
        ids.append(
            archive.save_edition(db, {**item, "site": site, "article_key": f"k{n}"}).article_id
        )
    return ids


def test_totals_and_weekly_counts_follow_every_write(db):
    articles = _two_sites(db)
    divergences = [
        _add_divergence(db, articles[i % 3], when, i)
        for i, when in enumerate(
            [
                "2025-03-03T08:00:00+00:00",  # Monday
                "2025-03-09T23:59:00+00:00",  # Sunday, same week
                "2025-03-10T00:01:00+00:00",  # the next week
                "2025-02-26T12:00:00+00:00",
                "not a date",  # counted in the total, in no week
            ]
        )
    ]
    kept, counted = _summaries(db)
    assert kept == counted
    assert kept[0] == {"articles": 3, "divergences": 5}
    assert kept[1][("ledger", "2025-03-03")] == 1 and kept[1][("courier", "2025-03-03")] == 1
    db.execute(
        "update divergences set detected_at = '2025-03-12T10:00:00+00:00' where id = ?",
        [divergences[0]],
    )
    db.execute("delete from divergences where id = ?", [divergences[3]])
    db.execute("update divergences set article_id = ? where id = ?", [articles[1], divergences[2]])
    kept, counted = _summaries(db)
    assert kept == counted
    assert kept[0]["divergences"] == 4


def test_migration_3_counts_an_existing_archive(tmp_path):
    import sqlite_utils

    from archive import schema

    path = tmp_path / "v1.db"
    old = sqlite_utils.Database(path)
    schema.MIGRATIONS[1](old)
    old.execute("PRAGMA user_version = 1")
    for n in range(4):
        old.execute(
            "insert into articles (site, key, first_seen) values (?, ?, '2025-01-01')",
            ["ledger" if n % 2 else "courier", f"k{n}"],
        )
    for n in range(7):
        _add_divergence(old, n % 4 + 1, f"2025-03-0{n + 1}T08:00:00+00:00", n)
    old.conn.commit()
    old.conn.close()
    db = archive.open_db(path)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    kept, counted = _summaries(db)
    assert kept == counted and kept[0] == {"articles": 4, "divergences": 7}
    _add_divergence(db, 1, "2025-03-20T08:00:00+00:00", 99)  # and the triggers run after it
    kept, counted = _summaries(db)
    assert kept == counted
