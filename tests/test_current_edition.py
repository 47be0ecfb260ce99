"""The current edition per language: one rule, the same for the diff stage and the article page."""

from __future__ import annotations

import sqlite3

import pytest

import archive
from archive import read
from datasette_config.article_page import load_article


@pytest.fixture()
def db_path(tmp_path):
    return tmp_path / "archive.db"


def _edition(url: str, lang: str, text: str, fetched_at: str) -> dict:
    return {
        "site": "test",
        "url": url,
        "lang": lang,
        "lang_declared": lang,
        "title": f"title {lang}",
        "paragraphs": [text],
        "article_key": "test:1",
        "fetched_at": fetched_at,
    }


def _both_views(db_path) -> tuple[dict[str, str], dict[str, str]]:
    """{lang: url} as the diff stage picks it, and as the article page picks it."""
    db = archive.open_db(db_path)
    (article_id,) = read.articles_to_diff(db, everything=True)
    diff_stage = {lang: e.url for lang, e in read.current_editions(db, article_id).items()}
    conn = sqlite3.connect(db_path)
    page = load_article(conn, article_id)
    assert page is not None
    shown = {lang: e["url"] for lang, e in page["editions"].items() if e["snapshot_id"]}
    return diff_stage, shown


def test_the_freshest_stored_edition_stands_for_its_language(db_path):
    db = archive.open_db(db_path)
    archive.save_edition(db, _edition("http://s/uk/1", "uk", "Текст.", "2026-01-01T10:00:00+00:00"))
    archive.save_edition(db, _edition("http://s/en/old", "en", "Old.", "2026-01-01T10:00:00+00:00"))
    archive.save_edition(db, _edition("http://s/en/new", "en", "New.", "2026-01-02T10:00:00+00:00"))
    diff_stage, shown = _both_views(db_path)
    assert diff_stage == shown == {"uk": "http://s/uk/1", "en": "http://s/en/new"}


def test_an_edition_whose_url_now_fails_yields_to_a_sibling_that_answers(db_path):
    """The failed fetch is the freshest, but its stored text is the older one."""
    db = archive.open_db(db_path)
    archive.save_edition(db, _edition("http://s/uk/1", "uk", "Текст.", "2026-01-01T10:00:00+00:00"))
    archive.save_edition(db, _edition("http://s/en/a", "en", "First.", "2026-01-01T10:00:00+00:00"))
    archive.save_edition(db, _edition("http://s/en/b", "en", "Moved.", "2026-01-02T10:00:00+00:00"))
    archive.record_fetch_failure(
        db,
        {
            "url": "http://s/en/a",
            "site": "test",
            "article_key": "test:1",
            "status": 404,
            "error": "HTTP 404",
            "fetched_at": "2026-01-02T10:05:00+00:00",
        },
    )
    diff_stage, shown = _both_views(db_path)
    assert diff_stage == shown == {"uk": "http://s/uk/1", "en": "http://s/en/b"}


def test_a_language_with_no_stored_version_is_shown_but_not_diffed(db_path):
    db = archive.open_db(db_path)
    archive.save_edition(db, _edition("http://s/uk/1", "uk", "Текст.", "2026-01-01T10:00:00+00:00"))
    archive.record_fetch_failure(
        db,
        {
            "url": "http://s/ru/1",
            "site": "test",
            "article_key": "test:1",
            "lang_hint": "ru",
            "status": 500,
            "error": "HTTP 500",
            "fetched_at": "2026-01-01T10:01:00+00:00",
        },
    )
    diff_stage, shown = _both_views(db_path)
    assert diff_stage == shown == {"uk": "http://s/uk/1"}
    page = load_article(sqlite3.connect(db_path), read.articles_to_diff(db, everything=True)[0])
    assert page["editions"]["ru"]["lang_check"] == "not archived"
