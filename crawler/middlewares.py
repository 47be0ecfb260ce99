"""Conditional requests: ask for an edition only if it changed since the archive's copy.

The validators (ETag, Last-Modified) live in the archive, not in the spider, so any
crawler process — or a shared frontier later — sends the same conditional GET.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from scrapy import Request

logger = logging.getLogger(__name__)


class ConditionalRequestMiddleware:
    """Adds If-None-Match / If-Modified-Since to article requests for known editions."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequestMiddleware:
        return cls(crawler.settings.get("TRIGLOT_DB") or "triglot.db")

    def _validators(self, url: str) -> tuple[str | None, str | None]:
        if self._conn is None:
            if not Path(self.db_path).exists():
                return None, None
            uri = f"file:{Path(self.db_path).resolve()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._conn.execute("PRAGMA busy_timeout = 30000")
        try:
            row = self._conn.execute(
                "select etag, last_modified from editions "
                "where url = ? and current_snapshot_id is not null",
                [url],
            ).fetchone()
        except sqlite3.Error as error:  # no schema yet, or a locked file: fetch in full
            logger.debug("no validators for %s: %s", url, error)
            return None, None
        return (row[0], row[1]) if row else (None, None)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get("triglot_kind") != "article":
            return None
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return None
        etag, last_modified = self._validators(request.url)
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
        return None
