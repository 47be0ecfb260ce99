"""Hand crawled items to the archive: one transaction per edition, failures recorded.

The pipeline is the crawl's single writer. A storage error on one item (bad data) is
logged and the crawl goes on: the item is dropped, its transaction rolled back, the rest
stored. An archive that cannot be written at all — read-only file or folder, disk full,
unopenable — stops the crawl instead: fetching on would only discard every page. The
crawl then finishes with reason "archive_unwritable" and the message naming the file is
kept in the stats (`triglot/archive_error`) for the runner to print.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

import archive
from crawler.items import EditionItem, FetchFailureItem, NotModifiedItem

logger = logging.getLogger(__name__)

ARCHIVE_UNWRITABLE = "archive_unwritable"

# sqlite3 messages that mean "no write can succeed", as opposed to one bad row
_FATAL_MESSAGES = (
    "readonly database",
    "read-only",
    "database or disk is full",
    "disk i/o error",
    "unable to open database file",
    "database disk image is malformed",
)


def is_fatal_storage_error(error: BaseException) -> bool:
    """True when the archive itself is unwritable, so every later write would fail too."""
    if isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError):
        message = str(error).lower()
        return any(fatal in message for fatal in _FATAL_MESSAGES)
    return isinstance(error, OSError)  # the folder or file cannot be created or opened


def store_item(db: Any, item: Any, captures: Any = None) -> list[str]:
    """Store one crawled item; the one store path of the pipeline and the fleet coordinator.

    Returns the stats it counts. ``captures`` (the raw-capture writer) is not used yet.
    """
    if isinstance(item, EditionItem):
        result = archive.save_edition(db, dict(item))
        stats = ["triglot/editions_stored", f"triglot/outcome/{result.outcome}"]
        return stats + (["triglot/new_snapshots"] if result.new_snapshot else [])
    if isinstance(item, NotModifiedItem):
        archive.record_not_modified(db, item["url"], checked_at=item["fetched_at"])
        return ["triglot/outcome/not_modified"]
    if isinstance(item, FetchFailureItem):
        archive.record_fetch_failure(db, dict(item))
        return ["triglot/failures_recorded"]
    return []


class ArchivePipeline:
    def __init__(self, db_path: str, stats: Any, crawler: Any = None, max_pages: int = 0) -> None:
        self.db_path = db_path
        self.stats = stats
        self.crawler = crawler
        self.max_pages = max_pages
        self.db = None
        self.unwritable: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        return cls(
            crawler.settings.get("TRIGLOT_DB") or "triglot.db",
            crawler.stats,
            crawler,
            crawler.settings.getint("TRIGLOT_DB_MAX_PAGES"),
        )

    def open_spider(self) -> None:
        try:
            self.db = archive.open_db(self.db_path)
            if self.max_pages:
                self.db.execute(f"PRAGMA max_page_count = {int(self.max_pages)}")
        except Exception as exc:
            if not is_fatal_storage_error(exc):
                raise
            self._stop(exc)
            return
        logger.info("archiving into %s", self.db_path)

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def process_item(self, item: Any) -> Any:
        if self.unwritable:
            raise DropItem(f"not stored ({self.unwritable}): {item.get('url')}")
        try:
            with self._write_lock():
                self._store(item)
        except Exception as exc:
            self.stats.inc_value("triglot/store_errors")
            if is_fatal_storage_error(exc):
                self._stop(exc)
            else:
                logger.exception("could not store %s", item.get("url"))
            raise DropItem(f"archive error for {item.get('url')}: {exc}") from exc
        return item

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One item, one transaction that holds the write lock from its first statement.

        archive's writes open a deferred transaction (BEGIN) that reads before it writes;
        SQLite does not run the busy handler when a read transaction asks to become a
        write one, so while another process writes, the upgrade fails at once with
        "database is locked" whatever the busy timeout. BEGIN IMMEDIATE takes the lock
        first, waiting out the busy timeout; archive's own transaction nests inside as a
        savepoint.
        """
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.commit()
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise

    def _store(self, item: Any) -> None:
        for stat in store_item(self.db, item):
            self.stats.inc_value(stat)

    def _stop(self, error: BaseException) -> None:
        """Record why the archive cannot be written and close the crawl (once)."""
        if self.unwritable:
            return
        self.unwritable = f"archive {self.db_path} cannot be written: {error}"
        logger.error("%s; stopping the crawl", self.unwritable)
        self.stats.set_value("triglot/archive_error", self.unwritable)
        if self.crawler is not None and self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=ARCHIVE_UNWRITABLE))
