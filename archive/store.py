"""Writes into the archive: one transaction per edition, a snapshot only for new content.

An edition joins an existing article when its URL, or any URL it names as another
edition of itself, is already known; otherwise its article is found or created by key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive import clock


@dataclass(frozen=True)
class SaveResult:
    article_id: int
    edition_id: int
    snapshot_id: int
    outcome: str  # "new" (a snapshot was stored), "unchanged", or "seen_before" (flip-flop)

    @property
    def new_snapshot(self) -> bool:
        return self.outcome == "new"


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE: take the write lock first, so the busy timeout applies.

    A deferred transaction that reads and then writes fails at once ("database is
    locked") when another writer got in between; an immediate one waits its turn. Inside
    an open transaction this is a savepoint, as sqlite-utils' atomic() does.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise
    else:
        db.execute("COMMIT")


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just made (sqlite3 types it Optional; after an INSERT it is set)."""
    rowid = cursor.lastrowid
    if rowid is None:
        raise sqlite3.InterfaceError("the statement inserted no row")
    return rowid


def normalise_text(text: str) -> str:
    """NFC and collapsed whitespace: invisible differences must not make a new version."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(title: str | None, paragraphs: list[str]) -> str:
    """The identity of a version: its title and body text, nothing from the page chrome."""
    payload = json.dumps(
        [normalise_text(title or ""), [normalise_text(p) for p in paragraphs]],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _find_article(db: sqlite_utils.Database, urls: list[str | None], key: str | None) -> int | None:
    known = [u for u in urls if u]
    if known:
        marks = ",".join("?" for _ in known)
        row = db.execute(
            f"select article_id from editions where url in ({marks}) or canonical in ({marks}) "
            "order by id limit 1",
            known + known,
        ).fetchone()
        if row:
            return row[0]
    if key:
        row = db.execute("select id from articles where key = ?", [key]).fetchone()
        if row:
            return row[0]
    return None


def _ensure_article(
    db: sqlite_utils.Database,
    *,
    site: str,
    key: str,
    urls: list[str | None],
    title: str | None,
    now: str,
) -> int:
    article_id = _find_article(db, urls, key)
    if article_id is not None:
        return article_id
    cursor = db.execute(
        "insert into articles (site, key, title, first_seen, needs_diff) values (?, ?, ?, ?, 1)",
        [site, key, title, now],
    )
    return inserted_id(cursor)


def _ensure_edition(
    db: sqlite_utils.Database,
    *,
    article_id: int,
    url: str,
    lang: str | None,
    canonical: str | None,
    now: str,
) -> int:
    row = db.execute("select id, lang from editions where url = ?", [url]).fetchone()
    if row:
        if lang and row[1] != lang:
            db.execute("update editions set lang = ? where id = ?", [lang, row[0]])
        return row[0]
    cursor = db.execute(
        "insert into editions (article_id, lang, url, canonical, first_seen) "
        "values (?, ?, ?, ?, ?)",
        [article_id, lang, url, canonical, now],
    )
    return inserted_id(cursor)


def _remember_alternates(
    db: sqlite_utils.Database, article_id: int, alternates: dict[str, str], now: str
) -> None:
    """Editions a page names but nobody fetched yet: known, so a later page joins them.

    Their language is the naming page's claim (hreflang) until their own page is read.
    """
    for lang, url in alternates.items():
        db.execute(
            "insert into editions (article_id, lang, url, first_seen) values (?, ?, ?, ?) "
            "on conflict(url) do nothing",
            [article_id, lang, url, now],
        )


# called with the transaction open, only for a new snapshot; returns its capture columns
# (capture_file, capture_offset, capture_length, capture_digest) once the record is on disk
CaptureHook = Callable[[], dict[str, Any] | None]
# called with the transaction open when the edition's latest snapshot was read by another
# extractor version than this fetch: brings that snapshot up to date in place
RefreshHook = Callable[[sqlite_utils.Database, int], Any]


def save_edition(
    db: sqlite_utils.Database,
    item: dict[str, Any],
    *,
    capture: CaptureHook | None = None,
    refresh: RefreshHook | None = None,
    now: str | None = None,
) -> SaveResult:
    """Store one fetched edition. Idempotent: the same content twice adds only a check.

    ``refresh`` runs before the comparison, so the fetch is compared with the latest
    version as the current extractor reads it; ``capture`` runs just before a new snapshot
    row is inserted, so the row can point at a record already on disk. The edition's time
    is the item's ``fetched_at``, else ``now`` (the caller's clock), else archive.clock.
    """
    now = item.get("fetched_at") or now or clock.now()
    url = item["url"]
    paragraphs = [normalise_text(p) for p in item.get("paragraphs") or [] if p and p.strip()]
    title = normalise_text(item["title"]) if item.get("title") else None
    digest = content_hash(title, paragraphs)
    alternates = list((item.get("alternates") or {}).values())
    lang = item.get("lang")
    with write_transaction(db):
        article_id = _ensure_article(
            db,
            site=item.get("site") or "generic",
            key=item.get("article_key") or f"{item.get('site') or 'generic'}:{url}",
            urls=[url, item.get("requested_url"), *alternates],
            title=title,
            now=now,
        )
        edition_id = _ensure_edition(
            db,
            article_id=article_id,
            url=url,
            lang=lang,
            canonical=item.get("canonical"),
            now=now,
        )
        _remember_alternates(db, article_id, item.get("alternates") or {}, now)
        latest = db.execute(
            "select current_snapshot_id from editions where id = ?", [edition_id]
        ).fetchone()[0]
        version = item.get("extractor_version")
        if latest is not None and refresh is not None and version:
            recorded = db.execute(
                "select extractor_version from snapshots where id = ?", [latest]
            ).fetchone()
            if recorded and recorded[0] and recorded[0] != version:
                refresh(db, latest)
        same = db.execute(
            "select id from snapshots where edition_id = ? and content_hash = ? "
            "order by id desc limit 1",
            [edition_id, digest],
        ).fetchone()
        if same:
            snapshot_id = same[0]
            outcome = "unchanged" if snapshot_id == latest else "seen_before"
        else:
            stored = capture() if capture is not None else None
            snapshot_id = _insert_snapshot(
                db, edition_id, item, title, paragraphs, digest, now, stored or {}
            )
            outcome = "new"
        db.execute(
            "update editions set last_fetched = ?, last_status = ?, last_error = null, "
            "etag = ?, last_modified = ?, current_snapshot_id = ?, "
            "canonical = coalesce(?, canonical) where id = ?",
            [
                now,
                item.get("status") or 200,
                item.get("etag"),
                item.get("last_modified"),
                snapshot_id,
                item.get("canonical"),
                edition_id,
            ],
        )
        changed = outcome != "unchanged"
        db.execute(
            "update articles set last_checked = ?, "
            "last_changed = case when ? then ? else last_changed end, "
            "needs_diff = case when ? then 1 else needs_diff end, "
            # listings show the Ukrainian headline when there is one, else the first seen
            "title = case when ? = 'uk' and ? is not null then ? else coalesce(title, ?) end "
            "where id = ?",
            [now, changed, now, changed, lang, title, title, title, article_id],
        )
        db.execute(
            "insert into checks (edition_id, checked_at, status, outcome, snapshot_id) "
            "values (?, ?, ?, ?, ?)",
            [edition_id, now, item.get("status") or 200, outcome, snapshot_id],
        )
    return SaveResult(article_id, edition_id, snapshot_id, outcome)


def _insert_snapshot(
    db: sqlite_utils.Database,
    edition_id: int,
    item: dict[str, Any],
    title: str | None,
    paragraphs: list[str],
    digest: str,
    now: str,
    capture: dict[str, Any],
) -> int:
    declared, detected = item.get("lang_declared"), item.get("lang_detected")
    lang_ok = None if not (declared and detected) else int(declared == detected)
    cursor = db.execute(
        "insert into snapshots (edition_id, fetched_at, content_hash, title, published, modified, "
        "author, lang_declared, lang_detected, lang_confidence, lang_ok, paragraph_count, access, "
        "extraction, extractor_version, capture_file, capture_offset, capture_length, "
        "capture_digest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            edition_id,
            now,
            digest,
            title,
            item.get("published"),
            item.get("modified"),
            item.get("author"),
            declared,
            detected,
            item.get("lang_confidence"),
            lang_ok,
            len(paragraphs),
            item.get("access") or "full",
            item.get("extraction"),
            item.get("extractor_version"),
            capture.get("capture_file"),
            capture.get("capture_offset"),
            capture.get("capture_length"),
            capture.get("capture_digest"),
        ],
    )
    snapshot_id = inserted_id(cursor)
    lang = item.get("lang")
    db.conn.executemany(
        "insert into paragraphs (snapshot_id, idx, lang, text) values (?, ?, ?, ?)",
        [(snapshot_id, idx, lang, text) for idx, text in enumerate(paragraphs)],
    )
    return snapshot_id


def record_not_modified(
    db: sqlite_utils.Database, url: str, *, checked_at: str | None = None
) -> bool:
    """A 304 answer: record the check against the edition's current snapshot."""
    now = checked_at or clock.now()
    with write_transaction(db):
        row = db.execute(
            "select id, article_id, current_snapshot_id from editions where url = ?", [url]
        ).fetchone()
        if not row:
            return False
        db.execute(
            "insert into checks (edition_id, checked_at, status, outcome, snapshot_id) "
            "values (?, ?, 304, 'not_modified', ?)",
            [row[0], now, row[2]],
        )
        db.execute(
            "update editions set last_fetched = ?, last_status = 304 where id = ?", [now, row[0]]
        )
        db.execute("update articles set last_checked = ? where id = ?", [now, row[1]])
    return True


def record_fetch_failure(
    db: sqlite_utils.Database, failure: dict[str, Any], *, now: str | None = None
) -> None:
    """A failed fetch of an edition: kept as a check with its error, the edition created if new.

    The edition's language is unknown until a page is read; ``lang_hint`` (the hreflang
    of the page that linked it) is the page's own claim, used when nothing better exists.
    """
    now = failure.get("fetched_at") or now or clock.now()
    url = failure["url"]
    site = failure.get("site") or "generic"
    error = str(failure.get("error") or "fetch failed")[:2000]
    with write_transaction(db):
        article_id = _ensure_article(
            db,
            site=site,
            key=failure.get("article_key") or f"{site}:{url}",
            urls=[url, *list((failure.get("alternates") or {}).values())],
            title=None,
            now=now,
        )
        edition_id = _ensure_edition(
            db,
            article_id=article_id,
            url=url,
            lang=None,
            canonical=None,
            now=now,
        )
        if failure.get("lang_hint"):
            db.execute(
                "update editions set lang = coalesce(lang, ?) where id = ?",
                [failure["lang_hint"], edition_id],
            )
        db.execute(
            "update editions set last_fetched = ?, last_status = ?, last_error = ? where id = ?",
            [now, failure.get("status"), error, edition_id],
        )
        db.execute(
            "insert into checks (edition_id, checked_at, status, outcome, error) "
            "values (?, ?, ?, 'error', ?)",
            [edition_id, now, failure.get("status"), error],
        )
        db.execute("update articles set last_checked = ? where id = ?", [now, article_id])


_READING_COLUMNS = (
    "title",
    "published",
    "modified",
    "author",
    "lang_declared",
    "lang_detected",
    "lang_confidence",
    "lang_ok",
    "access",
    "extraction",
    "extractor_version",
)


def update_snapshot_reading(
    db: sqlite_utils.Database,
    snapshot_id: int,
    reading: dict[str, Any],
    paragraphs: list[str],
    *,
    lang: str | None,
) -> bool:
    """Replace what the extractor read from a snapshot's capture, in place. True if changed.

    Used after an extractor change: same fetch, same capture, better reading. Paragraph
    rows keep their ids where their position survives (the full-text index follows through
    its triggers); a paragraph whose text changed loses its figures, and the article is
    marked for the diff stage, which re-derives figures, alignment and divergences. Nothing
    is written when the reading is the same, so re-reading an unchanged archive is a no-op.
    """
    title = normalise_text(reading["title"]) if reading.get("title") else None
    texts = [normalise_text(p) for p in paragraphs if p and p.strip()]
    digest = content_hash(title, texts)
    row = db.execute(
        "select " + ", ".join(_READING_COLUMNS) + ", content_hash from snapshots where id = ?",
        [snapshot_id],
    ).fetchone()
    wanted = {**reading, "title": title}
    current = dict(zip((*_READING_COLUMNS, "content_hash"), row, strict=True))
    old = db.execute(
        "select id, idx, text from paragraphs where snapshot_id = ? order by idx", [snapshot_id]
    ).fetchall()
    same_text = [r[2] for r in old] == texts
    same_fields = all(current[c] == wanted.get(c) for c in _READING_COLUMNS)
    if same_text and same_fields and current["content_hash"] == digest:
        return False
    assignments = ", ".join(f"{c} = ?" for c in _READING_COLUMNS)
    db.execute(
        f"update snapshots set {assignments}, content_hash = ?, paragraph_count = ? where id = ?",
        [*(wanted.get(c) for c in _READING_COLUMNS), digest, len(texts), snapshot_id],
    )
    if not same_text:
        _replace_paragraphs(db, snapshot_id, old, texts, lang)
        db.execute(
            "update articles set needs_diff = 1 where id = (select e.article_id from "
            "snapshots s join editions e on e.id = s.edition_id where s.id = ?)",
            [snapshot_id],
        )
    return True


def _replace_paragraphs(
    db: sqlite_utils.Database,
    snapshot_id: int,
    old: list[tuple[int, int, str]],
    texts: list[str],
    lang: str | None,
) -> None:
    by_idx = {idx: (paragraph_id, text) for paragraph_id, idx, text in old}
    for idx, text in enumerate(texts):
        if idx in by_idx:
            paragraph_id, previous = by_idx[idx]
            if previous != text:
                db.execute("delete from figures where paragraph_id = ?", [paragraph_id])
                db.execute("update paragraphs set text = ? where id = ?", [text, paragraph_id])
        else:
            db.execute(
                "insert into paragraphs (snapshot_id, idx, lang, text) values (?, ?, ?, ?)",
                [snapshot_id, idx, lang, text],
            )
    surplus = [paragraph_id for paragraph_id, idx, _ in old if idx >= len(texts)]
    for paragraph_id in surplus:
        db.execute("delete from figures where paragraph_id = ?", [paragraph_id])
        db.execute("delete from alignments where paragraph_id = ?", [paragraph_id])
        db.execute("delete from paragraphs where id = ?", [paragraph_id])
