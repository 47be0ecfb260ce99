"""Exit codes that mean something to an operator (documented in the README)."""

from __future__ import annotations

from typing import Any

OK = 0  # everything done
# 1: an unexpected error (a traceback in the log); 2: a usage error (click's own)
PARTIAL = 3  # done, but some fetches, diffs or emails failed; they are retried next run
NOTHING_DONE = 4  # nothing could be done (no page fetched, unreadable input)
CONFIG_ERROR = 5  # the configuration is invalid; the message names the file and the key
LOCKED = 6  # another run holds the lock; this one did nothing


def for_crawl(stats: dict[str, Any]) -> int:
    if stats.get("failures") and not stats.get("editions_stored"):
        return NOTHING_DONE
    return PARTIAL if stats.get("failures") else OK
