"""Hand crawled items to the archive: one transaction per edition, failures recorded.

The pipeline is the crawl's single writer. A storage error on one item (bad data) is
logged and the crawl goes on: the item is dropped, its transaction rolled back, the rest
stored. An archive that cannot be written at all — read-only file or folder, disk full,
unopenable — stops the crawl instead: fetching on would only discard every page. The
crawl then finishes with reason "archive_unwritable" and the message naming the file is
kept in the stats (`triglot/archive_error`) for the runner to print.

Stores run in one thread of their own, which owns the archive connection and the WARC
file: the SQLite write, the record's compression and the fsync that must precede the
commit happen while the reactor keeps downloading. Items that arrive while a store is
under way are stored together, one transaction and one fsync for the batch (group
commit), each item in its own savepoint so one bad item is dropped alone.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

import archive
from archive.captures import DEFAULT_MAX_BYTES, CaptureStore, default_folder
from archive.store import write_transaction
from crawler.items import EditionItem, FetchFailureItem, NotModifiedItem
from crawler.rereading import ProfileFor, default_profile_for, reread_snapshot

logger = logging.getLogger(__name__)

ARCHIVE_UNWRITABLE = "archive_unwritable"
BATCH_SIZE = 32  # items stored in one transaction (one commit, one fsync) at most

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


def store_item(
    db: Any,
    item: Any,
    captures: CaptureStore | None,
    *,
    profile_for: ProfileFor | None = None,
) -> str:
    """Store one crawled item in one transaction; returns its outcome for the stats.

    The one store path: the Scrapy pipeline and the Redis coordinator both call it (or
    store_items for several at once). For an edition, the edition's latest snapshot is
    first re-read from its capture when another extractor version read it (so an
    extractor change is never an edit); a new snapshot's capture is written to
    ``captures`` and fsync'ed before its row commits. Raises what the archive or the
    captures folder raises (see is_fatal_storage_error).
    """
    (result,) = store_items(db, [item], captures, profile_for=profile_for)
    if isinstance(result, BaseException):
        raise result
    return result


def store_items(
    db: Any,
    items: list[Any],
    captures: CaptureStore | None,
    *,
    profile_for: ProfileFor | None = None,
) -> list[str | Exception]:
    """Store several items in one transaction (group commit); an outcome or error each.

    Each item is stored in its own savepoint, so a bad item is rolled back alone and
    reported in its place in the list. The captures of the batch are fsync'ed once, before
    the commit: no row commits before its record is on disk, and a batch of N snapshots
    costs one fsync instead of N. An error that means the archive or the captures folder
    cannot be written at all is raised, and the whole batch is rolled back.
    """
    lookup = profile_for or default_profile_for()
    db_path = captures.db_path if captures is not None else _db_file(db)
    results: list[str | Exception] = []
    with write_transaction(db):
        for item in items:
            try:
                with db.atomic():
                    results.append(_store_one(db, item, captures, lookup, db_path))
            except Exception as error:
                if is_fatal_storage_error(error):
                    raise
                results.append(error)
        if captures is not None:
            captures.sync()
    return results


def _store_one(
    db: Any, item: Any, captures: CaptureStore | None, lookup: ProfileFor, db_path: Any
) -> str:
    kind = _kind(item)
    if kind == "edition":
        data = dict(item)
        capture = data.pop("capture", None)
        hook = None
        if captures is not None and capture:

            def hook() -> dict[str, Any]:
                ref = captures.write(capture, sync=False)  # store_items syncs before COMMIT
                return {
                    "capture_file": ref.file,
                    "capture_offset": ref.offset,
                    "capture_length": ref.length,
                    "capture_digest": ref.digest,
                }

        def refresh(db: Any, snapshot_id: int) -> None:
            reread_snapshot(db, snapshot_id, db_path=db_path, profile_for=lookup)

        return archive.save_edition(db, data, capture=hook, refresh=refresh).outcome
    if kind == "not_modified":
        archive.record_not_modified(db, item["url"], checked_at=item["fetched_at"])
        return "not_modified"
    archive.record_fetch_failure(db, dict(item))
    return "failure"


async def _result(future: Future) -> Any:
    """The archive thread's answer, awaited on the asyncio loop (or waited for without one)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return future.result()
    return await asyncio.wrap_future(future)


def _forget_capture(item: Any) -> None:
    if isinstance(item, EditionItem):
        item.pop("capture", None)


def _db_file(db: Any) -> str:
    """The archive's file (captures are named relative to its folder)."""
    for _seq, name, path in db.execute("pragma database_list").fetchall():
        if name == "main":
            return path
    return ""


def _kind(item: Any) -> str:
    """edition / not_modified / failure, from the item class or (deserialised) its keys."""
    if isinstance(item, EditionItem):
        return "edition"
    if isinstance(item, NotModifiedItem):
        return "not_modified"
    if isinstance(item, FetchFailureItem):
        return "failure"
    keys = set(item)
    if "paragraphs" in keys:
        return "edition"
    if "error" in keys:
        return "failure"
    return "not_modified"


class ArchivePipeline:
    def __init__(
        self,
        db_path: str,
        stats: Any,
        crawler: Any = None,
        max_pages: int = 0,
        *,
        warc: bool = True,
        warc_dir: str = "",
        warc_max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.db_path = db_path
        self.stats = stats
        self.crawler = crawler
        self.max_pages = max_pages
        self.db = None
        self.unwritable: str | None = None
        self.captures: CaptureStore | None = None
        self.warc = warc
        self.warc_dir = warc_dir or str(default_folder(db_path))
        self.warc_max_bytes = warc_max_bytes
        self._pending: list[tuple[Any, Future]] = []
        self._lock = threading.Lock()
        self._draining = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        return cls(
            crawler.settings.get("TRIGLOT_DB") or "triglot.db",
            crawler.stats,
            crawler,
            crawler.settings.getint("TRIGLOT_DB_MAX_PAGES"),
            warc=crawler.settings.getbool("TRIGLOT_WARC", True),
            warc_dir=crawler.settings.get("TRIGLOT_WARC_DIR") or "",
            warc_max_bytes=crawler.settings.getint("TRIGLOT_WARC_MAX_BYTES", DEFAULT_MAX_BYTES),
        )

    def open_spider(self) -> None:
        # one thread owns the archive connection and the WARC file: a store (SQLite write,
        # record compression, fsync) runs there while the reactor goes on downloading
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="triglot-archive")
        try:
            self._thread.submit(self._open).result()
        except Exception as exc:
            if not is_fatal_storage_error(exc):
                raise
            self._stop(exc)
            return
        logger.info(
            "archiving into %s (captures: %s)", self.db_path, self.warc_dir if self.warc else "off"
        )

    def _open(self) -> None:
        self.db = archive.open_db(self.db_path)
        if self.max_pages:
            self.db.execute(f"PRAGMA max_page_count = {int(self.max_pages)}")
        if self.warc:
            self.captures = CaptureStore(
                self.warc_dir, self.db_path, max_bytes=self.warc_max_bytes
            ).open()

    def close_spider(self) -> None:
        self._thread.submit(self._close).result()
        self._thread.shutdown(wait=True)

    def _close(self) -> None:
        if self.captures is not None:
            self.captures.close()
            self.stats.set_value("triglot/warc_records", self.captures.records_written)
            self.stats.set_value("triglot/warc_bytes", self.captures.bytes_written)
            self.captures = None
        if self.db is not None:
            self.db.close()
            self.db = None

    async def process_item(self, item: Any) -> Any:
        if self.unwritable:
            raise DropItem(f"not stored ({self.unwritable}): {item.get('url')}")
        future: Future = Future()
        with self._lock:
            self._pending.append((item, future))
            start, self._draining = not self._draining, True
        if start:
            self._thread.submit(self._drain)
        try:
            outcome = await _result(future)
        except Exception as exc:
            _forget_capture(item)  # a dropped item is logged: not with a page of bytes in it
            self.stats.inc_value("triglot/store_errors")
            if is_fatal_storage_error(exc):
                self._stop(exc)
            else:
                logger.error("could not store %s: %s", item.get("url"), exc, exc_info=exc)
            raise DropItem(f"archive error for {item.get('url')}: {exc}") from exc
        self._count(outcome)
        _forget_capture(item)  # the bytes are stored; do not carry them further
        return item

    def _drain(self) -> None:
        """In the archive thread: store what has queued up, a batch (one commit) at a time.

        While one batch is being written the next one gathers, so under load a commit and
        its fsync serve many pages, and a lone page is stored at once.
        """
        while True:
            with self._lock:
                batch, self._pending = self._pending[:BATCH_SIZE], self._pending[BATCH_SIZE:]
                if not batch:
                    self._draining = False
                    return
            started = time.perf_counter()
            try:
                results = store_items(
                    self.db,
                    [item for item, _ in batch],
                    self.captures,
                    profile_for=self._profile_for,
                )
            except Exception as exc:  # the archive cannot be written: every item of the batch
                for _, future in batch:
                    future.set_exception(exc)
                continue
            finally:
                self.stats.inc_value("triglot/store_batches")
                self.stats.inc_value(
                    "triglot/store_ms", int(1000 * (time.perf_counter() - started))
                )
            for (_, future), result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    def _profile_for(self, site: str, url: str) -> Any:
        """The crawl's own profiles (its profile folders and base URLs), for a re-read."""
        spider = getattr(self.crawler, "spider", None) if self.crawler is not None else None
        if spider is None or not hasattr(spider, "profile_for"):
            return default_profile_for()(site, url)
        if not site or site == "generic":
            return None
        return spider.profile_for({"triglot_site": site, "triglot_entry": url})

    def _count(self, outcome: str) -> None:
        if outcome == "not_modified":
            self.stats.inc_value("triglot/outcome/not_modified")
        elif outcome == "failure":
            self.stats.inc_value("triglot/failures_recorded")
        else:
            self.stats.inc_value("triglot/editions_stored")
            self.stats.inc_value(f"triglot/outcome/{outcome}")
            if outcome == "new":
                self.stats.inc_value("triglot/new_snapshots")

    def _stop(self, error: BaseException) -> None:
        """Record why the archive cannot be written and close the crawl (once)."""
        if self.unwritable:
            return
        self.unwritable = f"archive {self.db_path} cannot be written: {error}"
        logger.error("%s; stopping the crawl", self.unwritable)
        self.stats.set_value("triglot/archive_error", self.unwritable)
        if self.crawler is not None and self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=ARCHIVE_UNWRITABLE))
