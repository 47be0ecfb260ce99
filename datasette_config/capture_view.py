"""The raw capture of a version, as the server sent it, shown read-only with scripts off.

Two routes: a page that frames the capture in an ``<iframe sandbox>`` (no tokens: no
scripts, no forms, no same-origin access), and the capture itself, served with a
Content-Security-Policy whose ``sandbox`` directive applies the same rules to a reader who
opens it directly, and whose ``default-src 'none'`` keeps the archived page from fetching
anything — no script, no tracking pixel, no live image from the site today. Inline styles
and inline (data:) images are allowed so the page still reads as a page.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from archive.captures import read_capture, resolve_name
from crawler.decoding import charset_of

CAPTURE_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def capture_row(conn: sqlite3.Connection, snapshot_id: int) -> dict[str, Any] | None:
    """The snapshot's capture pointer and what the page header needs, or None."""
    row = conn.execute(
        "select s.id, s.fetched_at, s.capture_file, s.capture_offset, s.capture_length, "
        "s.capture_digest, e.url, e.lang, e.article_id from snapshots s "
        "join editions e on e.id = s.edition_id where s.id = ?",
        [snapshot_id],
    ).fetchone()
    if row is None:
        return None
    keys = ("id", "fetched_at", "file", "offset", "length", "digest", "url", "lang", "article_id")
    return dict(zip(keys, row, strict=True))


async def stored_html(db_path: str | Path, row: dict[str, Any]) -> tuple[bytes, str]:
    """(the body as stored, content decoded; its Content-Type). Raises OSError/ValueError."""

    def read() -> tuple[bytes, str]:
        stored = read_capture(resolve_name(row["file"], db_path), row["offset"], row["length"])
        content_type = stored.header("Content-Type") or "text/html"
        charset = charset_of(content_type)
        return stored.body, "text/html" + (f"; charset={charset}" if charset else "")

    return await asyncio.to_thread(read)
