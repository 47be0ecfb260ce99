"""The archive's schema, created and migrated through sqlite-utils.

The tables and columns named in DESIGN.md are the researchers' API: they are only ever
added to, never renamed. The schema version lives in ``PRAGMA user_version``; each
migration is a function that takes the database from version N-1 to N.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 30_000


def open_db(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating and migrating) the archive at ``path``.

    WAL lets Datasette read while the crawler writes; the busy timeout makes a writer
    wait for a long-running reader's checkpoint instead of failing.
    """
    if readonly:
        import sqlite3

        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return sqlite_utils.Database(conn)
    path = Path(path)
    check_archive_file(path)
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":
        db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    migrate(db)
    return db


class ArchiveRefused(OSError):
    """A file Triglot will not write to; the one-line message names the file and why.

    An OSError, like a file that cannot be opened: the crawl's pipeline stops on it with
    its one line, as it does on an unwritable archive."""


SQLITE_MAGIC = b"SQLite format 3\x00"
ARCHIVE_TABLES = {"articles", "editions", "snapshots", "paragraphs"}


def check_archive_file(path: str | Path) -> None:
    """Refuse, before anything is written, a file that is not ours to change.

    A missing file (in an existing folder), an empty file and an SQLite database with no
    tables become a new archive; a Triglot archive of this schema version or older is
    migrated. Anything else — a folder that does not exist (a typo must not create
    folders), a file that is not SQLite, another application's database, a corrupt file,
    an archive newer than this code — raises ArchiveRefused, with the file untouched:
    inspected through a read-only connection, so no table is added and no WAL switched on.
    """
    path = Path(path)
    if not path.exists():
        if not path.parent.is_dir():
            raise ArchiveRefused(f"{path}: folder {path.parent} does not exist")
        return
    if not path.is_file():
        raise ArchiveRefused(f"{path}: not a file")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if not head:
        return  # an empty file: a new archive
    if head != SQLITE_MAGIC:
        raise ArchiveRefused(f"{path}: not an SQLite database; refusing to use it as an archive")
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=30)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")
            }
            if ARCHIVE_TABLES <= tables:
                conn.execute("select id from articles limit 1").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise ArchiveRefused(f"{path}: unreadable SQLite file ({error})") from error
    if version > SCHEMA_VERSION:
        raise ArchiveRefused(
            f"{path}: archive schema version {version} is newer than this Triglot's "
            f"({SCHEMA_VERSION}); upgrade Triglot to use it"
        )
    if not tables:
        return  # an SQLite file with nothing in it
    if version == 0 or not ARCHIVE_TABLES <= tables:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise ArchiveRefused(
            f"{path}: an SQLite database but not a Triglot archive (tables: {shown}); "
            "refusing to change it"
        )


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def database_file(db: sqlite_utils.Database) -> Path | None:
    """The file behind an open archive (None for an in-memory one)."""
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and path:
            return Path(path)
    return None


def migrate(db: sqlite_utils.Database) -> int:
    """Bring ``db`` up to SCHEMA_VERSION; returns the version it started from."""
    start = schema_version(db)
    if start > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {start} is newer than this Triglot ({SCHEMA_VERSION})"
        )
    for version in range(start + 1, SCHEMA_VERSION + 1):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version}")
    if start >= 2 and not set(CAPTURE_COLUMNS) <= {c.name for c in db["snapshots"].columns}:
        # made while migration 2 was a placeholder on main (before the captures landed)
        with db.atomic():
            _v2_captures(db)
    return start


def _v1_initial(db: sqlite_utils.Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "site": str,
            "key": str,  # stable across editions: "<site>:<shared id>" or the entry URL
            "title": str,  # the latest title of the first edition stored (for listings)
            "first_seen": str,
            "last_checked": str,
            "last_changed": str,  # when any edition last got a new snapshot
            "next_check": str,  # when the recrawl schedule wants it again (NULL: never)
            "needs_diff": int,  # 1 when snapshots arrived since the last diff stage
        },
        pk="id",
        not_null={"site", "key", "first_seen"},
        defaults={"needs_diff": 1},
    )
    db.table("articles").create_index(["key"], unique=True)
    db.table("articles").create_index(["site", "first_seen"])
    db.table("articles").create_index(["first_seen"])  # Datasette's default sort
    db.table("articles").create_index(["next_check"])

    db.table("editions").create(
        {
            "id": int,
            "article_id": int,
            "lang": str,  # from the page (html lang, JSON-LD, text), never from the URL
            "url": str,
            "canonical": str,
            "first_seen": str,
            "last_fetched": str,
            "last_status": int,
            "last_error": str,
            "etag": str,
            "last_modified": str,
            "current_snapshot_id": int,  # the snapshot the latest successful fetch matched
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "url", "first_seen"},
    )
    db.table("editions").create_index(["url"], unique=True)
    db.table("editions").create_index(["canonical"])  # joining an article by canonical URL
    db.table("editions").create_index(["article_id", "lang"])

    db.table("snapshots").create(
        {
            "id": int,
            "edition_id": int,
            "fetched_at": str,
            "content_hash": str,
            "title": str,
            "published": str,
            "modified": str,
            "author": str,
            "lang_declared": str,
            "lang_detected": str,
            "lang_confidence": float,
            "lang_ok": int,  # 0 when the text's language differs from the declared one
            "paragraph_count": int,
            "access": str,  # "full", or "premium"/"truncated" for paywalled teasers
            "extraction": str,  # which strategy found the body: profile, jsonld, generic
        },
        pk="id",
        foreign_keys=[("edition_id", "editions", "id")],
        not_null={"edition_id", "fetched_at", "content_hash"},
    )
    db.table("snapshots").create_index(["edition_id", "content_hash"])
    db.table("snapshots").create_index(["fetched_at"])
    # the language-check failures query stays proportional to the failures
    db.execute("create index idx_snapshots_lang_failed on snapshots(edition_id) where lang_ok = 0")

    db.table("paragraphs").create(
        {"id": int, "snapshot_id": int, "idx": int, "lang": str, "text": str},
        pk="id",
        foreign_keys=[("snapshot_id", "snapshots", "id")],
        not_null={"snapshot_id", "idx", "text"},
    )
    db.table("paragraphs").create_index(["snapshot_id", "idx"], unique=True)
    db.table("paragraphs").enable_fts(["text"], tokenize="unicode61", create_triggers=True)

    db.table("figures").create(
        {
            "id": int,
            "paragraph_id": int,
            "raw": str,
            "value": float,
            "high": float,
            "unit": str,
            "qualifier": str,
            "kind": str,
            "start": int,
            "end": int,
        },
        pk="id",
        foreign_keys=[("paragraph_id", "paragraphs", "id")],
        not_null={"paragraph_id", "raw", "kind"},
    )
    db.table("figures").create_index(["paragraph_id"])
    db.table("figures").create_index(["kind", "value"])

    db.table("alignments").create(
        {
            "id": int,
            "article_id": int,
            "row": int,
            "lang": str,
            "paragraph_id": int,
            "score": float,
            "weak": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("paragraph_id", "paragraphs", "id")],
        not_null={"article_id", "row", "lang", "paragraph_id"},
    )
    db.table("alignments").create_index(["article_id", "row"])
    db.table("alignments").create_index(["paragraph_id"])

    db.table("divergences").create(
        {
            "id": int,
            "article_id": int,
            "scope": str,  # language | version
            "kind": str,  # changed | missing | added | removed
            "lang_a": str,
            "lang_b": str,
            "snapshot_a": int,
            "snapshot_b": int,
            "row": int,
            "paragraph_a": int,
            "paragraph_b": int,
            "raw_a": str,
            "raw_b": str,
            "value_a": float,
            "value_b": float,
            "unit_a": str,
            "unit_b": str,
            "figure_kind": str,
            "deepdiff": str,  # JSON
            "fingerprint": str,  # stable identity: the same divergence is never reported twice
            "detected_at": str,
            "resolved_at": str,  # set when a later derivation no longer finds it
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("snapshot_a", "snapshots", "id"),
            ("snapshot_b", "snapshots", "id"),
        ],
        not_null={"article_id", "scope", "kind", "fingerprint", "detected_at"},
    )
    db.table("divergences").create_index(["fingerprint"], unique=True)
    db.table("divergences").create_index(["article_id", "scope"])
    db.table("divergences").create_index(["detected_at"])

    db.table("checks").create(
        {
            "id": int,
            "edition_id": int,
            "checked_at": str,
            "status": int,
            "outcome": str,  # new | unchanged | not_modified | seen_before | error
            "snapshot_id": int,
            "error": str,
        },
        pk="id",
        foreign_keys=[("edition_id", "editions", "id")],
        not_null={"edition_id", "checked_at", "outcome"},
    )
    db.table("checks").create_index(["edition_id", "checked_at"])
    db.table("checks").create_index(["checked_at"])

    db.table("alerts").create(
        {
            "id": int,
            "created_at": str,
            "sent_at": str,
            "status": str,  # pending | sent | written (to an .eml file) | failed
            "attempts": int,
            "last_error": str,
            "message_id": str,
            "recipients": str,
            "subject": str,
            "message": str,  # the full RFC 5322 message, so a retry sends the same bytes
        },
        pk="id",
        not_null={"created_at", "status"},
        defaults={"attempts": 0, "status": "pending"},
    )
    db.table("alerts").create_index(["status"])
    db.table("alert_divergences").create(
        {"alert_id": int, "divergence_id": int},
        pk=("alert_id", "divergence_id"),
        foreign_keys=[("alert_id", "alerts", "id"), ("divergence_id", "divergences", "id")],
    )
    db.table("alert_divergences").create_index(["divergence_id"], unique=True)

    db.table("runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "command": str,
            "exit_code": int,
            "articles_checked": int,
            "pages": int,
            "new_snapshots": int,
            "fetch_errors": int,
            "new_divergences": int,
            "emails_sent": int,
            "errors": int,
            "summary": str,
        },
        pk="id",
        not_null={"started_at", "command"},
    )
    db.table("runs").create_index(["started_at"])


def _v2_captures(db: sqlite_utils.Database) -> None:
    """Raw captures: where each snapshot's WARC record is, and what extractor read it.

    Snapshots stored before this version have no capture (NULL columns) and an unknown
    extractor version (NULL): they are never re-read. Idempotent: an archive that went
    through a placeholder migration 2 gets its columns from migrate() later.
    """
    snapshots = db.table("snapshots")
    have = {column.name for column in snapshots.columns}
    for column, kind in CAPTURE_COLUMNS.items():
        if column not in have:
            snapshots.add_column(column, kind)
    # reextract --site/--since and the stale-extractor scan
    snapshots.create_index(["extractor_version"], if_not_exists=True)


CAPTURE_COLUMNS = {
    "capture_file": str,
    "capture_offset": int,
    "capture_length": int,
    "capture_digest": str,
    "extractor_version": str,
}


WEEK_OF = "date({}, 'weekday 0', '-6 days')"  # the Monday starting the week of a timestamp


def _v3_summaries(db: sqlite_utils.Database) -> None:
    """Totals and weekly divergence counts kept by triggers, so the home page costs the same
    on a thousand articles or a million (``count(*)`` and the weekly GROUP BY read every row).

    ``table_counts``: rows per table (articles, divergences). ``divergence_weeks``:
    divergences per site and week (weeks start on Monday), by ``detected_at`` and the
    article's site. Both are derived: nothing writes them but these triggers, and the
    backfill below rebuilds them from the tables. They assume what the archive does: an
    article keeps the site it was first stored under, and outlives its divergences.
    """
    db.execute(
        "create table table_counts (name text primary key, rows integer not null) without rowid"
    )
    db.execute(
        "create table divergence_weeks (site text not null, week text not null, "
        "divergences integer not null, primary key (week, site)) without rowid"
    )
    for table in ("articles", "divergences"):
        db.execute(f"insert into table_counts (name, rows) select '{table}', count(*) from {table}")
        db.execute(
            f"create trigger {table}_counted_insert after insert on {table} begin "
            f"update table_counts set rows = rows + 1 where name = '{table}'; end"
        )
        db.execute(
            f"create trigger {table}_counted_delete after delete on {table} begin "
            f"update table_counts set rows = rows - 1 where name = '{table}'; end"
        )
    db.execute(
        "insert into divergence_weeks (site, week, divergences) "
        f"select a.site, {WEEK_OF.format('d.detected_at')} as week, count(*) "
        "from divergences d join articles a on a.id = d.article_id "
        "where week is not null group by a.site, week"
    )
    add = (
        "insert into divergence_weeks (site, week, divergences) "
        "select a.site, {week}, 1 from articles a "
        "where a.id = new.article_id and {week} is not null "
        "on conflict (week, site) do update set divergences = divergences + 1;"
    ).format(week=WEEK_OF.format("new.detected_at"))
    remove = (
        "update divergence_weeks set divergences = divergences - 1 "
        "where week = {week} and site = (select site from articles where id = old.article_id);"
    ).format(week=WEEK_OF.format("old.detected_at"))
    db.execute(
        f"create trigger divergences_weekly_insert after insert on divergences begin {add} end"
    )
    db.execute(
        f"create trigger divergences_weekly_delete after delete on divergences begin {remove} end"
    )
    db.execute(
        "create trigger divergences_weekly_update after update of detected_at, article_id "
        f"on divergences begin {remove} {add} end"
    )


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _v1_initial,
    2: _v2_captures,
    3: _v3_summaries,
}
