"""Reads the later stages need: which articles to diff, an article's current editions,
the crawl's validators and the demo's counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import sqlite_utils

from diffing import langs

E = TypeVar("E", bound=Mapping[str, Any])

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
    return list(iter_articles_to_diff(db, everything=everything))


def iter_articles_to_diff(
    db: sqlite_utils.Database, *, everything: bool = False, batch: int = 1000
) -> Iterator[int]:
    """The ids of the articles to diff, in id order, a batch at a time.

    The archive may hold millions of articles: only one batch of ids is held at once, and
    no cursor stays open while the caller writes (it resumes after the last id seen).
    """
    condition = "" if everything else "and needs_diff = 1"
    last = -1
    while True:
        ids = [
            row[0]
            for row in db.execute(
                f"select id from articles where id > ? {condition} order by id limit ?",
                [last, batch],
            )
        ]
        yield from ids
        if len(ids) < batch:
            return
        last = ids[-1]


def has_articles_to_diff(db: sqlite_utils.Database, *, everything: bool, at_least: int) -> bool:
    """Whether at least `at_least` articles wait for the diff stage (counting stops there)."""
    condition = "" if everything else "where needs_diff = 1"
    (count,) = db.execute(
        f"select count(*) from (select 1 from articles {condition} limit ?)", [at_least]
    ).fetchone()
    return count >= at_least


def snapshot_title(db: sqlite_utils.Database, snapshot_id: int) -> tuple[str | None, str | None]:
    """(language, title) of a snapshot: its declared language, else its edition's."""
    row = db.execute(
        "select coalesce(s.lang_declared, e.lang), s.title from snapshots s "
        "join editions e on e.id = s.edition_id where s.id = ?",
        [snapshot_id],
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def snapshot_paragraphs(db: sqlite_utils.Database, snapshot_id: int) -> tuple[list[int], list[str]]:
    rows = db.execute(
        "select id, text from paragraphs where snapshot_id = ? order by idx", [snapshot_id]
    ).fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


def edition_currency(edition: Mapping[str, Any]) -> tuple[bool, bool, str, int]:
    """How well an edition stands for its language; the greatest wins (see current_per_language).

    A stored version beats none; an edition whose last fetch succeeded beats one whose URL
    now fails (its stored text is older than a sibling URL's); then the freshest fetch;
    then the oldest edition row, so the choice is stable.
    """
    return (
        edition.get("snapshot_id") is not None,
        not edition.get("last_error"),
        edition.get("last_fetched") or "",
        -int(edition["id"]),
    )


def current_per_language(editions: Iterable[E]) -> dict[str, E]:
    """The current edition of each language among an article's editions (one rule, used by the
    diff stage and the article page). Editions of unknown language are grouped under "?".

    Each edition is a mapping with id, lang, snapshot_id (its current snapshot, or None),
    last_fetched and last_error.
    """
    best: dict[str, E] = {}
    for edition in editions:
        lang = edition.get("lang") or "?"
        held = best.get(lang)
        if held is None or edition_currency(edition) > edition_currency(held):
            best[lang] = edition
    return best


def current_editions(db: sqlite_utils.Database, article_id: int) -> dict[str, EditionText]:
    """The text of each language's current edition (current_per_language), registry order."""
    cursor = db.execute(
        "select e.id, e.lang, e.url, e.current_snapshot_id as snapshot_id, e.last_fetched, "
        "e.last_error, s.title from editions e "
        "left join snapshots s on s.id = e.current_snapshot_id "
        "where e.article_id = ? and e.lang is not null",
        [article_id],
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    editions: dict[str, EditionText] = {}
    for lang, row in current_per_language(rows).items():
        if row["snapshot_id"] is None:  # no stored version in this language
            continue
        ids, texts = snapshot_paragraphs(db, row["snapshot_id"])
        editions[lang] = EditionText(
            row["id"], lang, row["url"], row["snapshot_id"], row["title"], ids, texts
        )
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


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (a second reader beside the writer; never creates the file)."""
    uri = f"file:{Path(path).resolve()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def edition_validators(
    conn: sqlite3.Connection | sqlite_utils.Database, url: str
) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of an archived edition, for a conditional GET; Nones if unknown."""
    row = conn.execute(
        "select etag, last_modified from editions "
        "where url = ? and current_snapshot_id is not null",
        [url],
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def editions_validators(
    db: sqlite_utils.Database, urls: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """{url: (ETag, Last-Modified)} of the archived editions among ``urls``."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        for url, etag, modified in db.execute(
            f"select url, etag, last_modified from editions where url in ({marks}) "
            "and current_snapshot_id is not null",
            chunk,
        ).fetchall():
            found[url] = (etag, modified)
    return found


def checked_at(db: sqlite_utils.Database, url: str, moment: str) -> bool:
    """Whether the edition at ``url`` already has a check at ``moment`` (a redelivered item)."""
    row = db.execute(
        "select 1 from checks c join editions e on e.id = c.edition_id "
        "where e.url = ? and c.checked_at = ? limit 1",
        [url, moment],
    ).fetchone()
    return row is not None


def archived_edition_urls(db: sqlite_utils.Database) -> list[str]:
    """Every edition URL with a stored version, in the order they were first stored."""
    return [
        row[0]
        for row in db.execute(
            "select url from editions where current_snapshot_id is not null order by id"
        )
    ]


def archive_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """The archive at a glance: what the demo prints."""

    def one(sql: str) -> int:
        return db.execute(sql).fetchone()[0]

    return {
        "articles": one("select count(*) from articles"),
        "editions": one("select count(*) from editions where current_snapshot_id is not null"),
        "failed_editions": one("select count(*) from editions where current_snapshot_id is null"),
        "snapshots": one("select count(*) from snapshots"),
        "paragraphs": one("select count(*) from paragraphs"),
        "language_divergences": one(
            "select count(*) from divergences where scope = 'language' and resolved_at is null"
        ),
        "language_resolved": one(
            "select count(*) from divergences where scope = 'language' and resolved_at is not null"
        ),
        "version_divergences": one("select count(*) from divergences where scope = 'version'"),
        "version_changed": one(
            "select count(*) from divergences where scope = 'version' and kind = 'changed'"
        ),
    }


def alerted_divergences_by_scope(db: sqlite_utils.Database) -> dict[str, int]:
    """How many divergences the outbox's alerts carry, per scope (language, version)."""
    return dict(
        db.execute(
            "select d.scope, count(*) from alert_divergences ad "
            "join divergences d on d.id = ad.divergence_id group by d.scope"
        ).fetchall()
    )


class CapturedSnapshot(NamedTuple):
    """A snapshot with a raw capture: where its WARC record is, and what it is of."""

    id: int
    site: str
    extractor_version: str | None
    url: str
    capture_file: str
    capture_offset: int
    capture_length: int
    capture_digest: str | None
    lang: str | None


_CAPTURED = (
    "select s.id, a.site, s.extractor_version, e.url, s.capture_file, s.capture_offset, "
    "s.capture_length, s.capture_digest, coalesce(e.lang, s.lang_declared) from snapshots s "
    "join editions e on e.id = s.edition_id join articles a on a.id = e.article_id "
)


def captured_snapshots(
    db: sqlite_utils.Database, *, site: str | None = None, since: str | None = None
) -> list[CapturedSnapshot]:
    """Snapshots with a capture, oldest first, of one site and/or fetched from ``since`` on."""
    where = ["s.capture_file is not null"]
    params: list[Any] = []
    if site:
        where.append("a.site = ?")
        params.append(site)
    if since:
        where.append("s.fetched_at >= ?")
        params.append(since)
    rows = db.execute(
        _CAPTURED + f"where {' and '.join(where)} order by s.fetched_at, s.id", params
    ).fetchall()
    return [CapturedSnapshot(*row) for row in rows]


def snapshot_capture(db: sqlite_utils.Database, snapshot_id: int) -> CapturedSnapshot | None:
    """The snapshot's capture, or None when it has none (stored before captures, or no WARC)."""
    row = db.execute(_CAPTURED + "where s.id = ?", [snapshot_id]).fetchone()
    if row is None or not row[4]:
        return None
    return CapturedSnapshot(*row)
