"""Reads the later stages need: which articles to diff, and an article's current editions."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from diffing import langs

LANG_ORDER = langs.LANGUAGES  # editions in registry order: uk, en, ru, pl


@dataclass
class EditionText:
    """The current version of one edition, as the diff stage sees it."""

    edition_id: int
    lang: str
    url: str
    snapshot_id: int
    title: str | None
    paragraph_ids: list[int] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def articles_to_diff(db: sqlite_utils.Database, *, everything: bool = False) -> list[int]:
    where = "" if everything else "where needs_diff = 1"
    return [row[0] for row in db.execute(f"select id from articles {where} order by id")]


def snapshot_paragraphs(db: sqlite_utils.Database, snapshot_id: int) -> tuple[list[int], list[str]]:
    rows = db.execute(
        "select id, text from paragraphs where snapshot_id = ? order by idx", [snapshot_id]
    ).fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


def current_editions(db: sqlite_utils.Database, article_id: int) -> dict[str, EditionText]:
    """One edition per language: where a language has several URLs, the freshest wins."""
    rows = db.execute(
        "select e.id, e.lang, e.url, e.current_snapshot_id, s.title from editions e "
        "join snapshots s on s.id = e.current_snapshot_id "
        "where e.article_id = ? and e.lang is not null "
        "order by e.last_fetched desc, e.id",
        [article_id],
    ).fetchall()
    editions: dict[str, EditionText] = {}
    for edition_id, lang, url, snapshot_id, title in rows:
        if lang in editions:
            continue
        ids, texts = snapshot_paragraphs(db, snapshot_id)
        editions[lang] = EditionText(edition_id, lang, url, snapshot_id, title, ids, texts)
    return dict(sorted(editions.items(), key=lambda kv: _lang_rank(kv[0])))


def _lang_rank(lang: str) -> tuple[int, str]:
    return (LANG_ORDER.index(lang) if lang in LANG_ORDER else len(LANG_ORDER), lang)


def snapshot_pairs_to_compare(db: sqlite_utils.Database, article_id: int) -> list[tuple[int, int]]:
    """(previous, next) snapshot pairs of the article's editions not yet version-diffed."""
    rows = db.execute(
        "select s.edition_id, s.id from snapshots s join editions e on e.id = s.edition_id "
        "where e.article_id = ? order by s.edition_id, s.id",
        [article_id],
    ).fetchall()
    pairs = []
    previous: dict[int, int] = {}
    for edition_id, snapshot_id in rows:
        if edition_id in previous:
            pairs.append((previous[edition_id], snapshot_id))
        previous[edition_id] = snapshot_id
    return pairs


def paragraphs_without_figures(
    db: sqlite_utils.Database, article_id: int
) -> list[tuple[int, str | None, str]]:
    """(id, lang, text) of the article's paragraphs, any version, with no figure rows yet."""
    return db.execute(
        "select p.id, coalesce(s.lang_declared, e.lang, p.lang), p.text from paragraphs p "
        "join snapshots s on s.id = p.snapshot_id join editions e on e.id = s.edition_id "
        "where e.article_id = ? and not exists "
        "(select 1 from figures f where f.paragraph_id = p.id)",
        [article_id],
    ).fetchall()
