"""Exit codes that mean something to an operator (documented in the README)."""

from __future__ import annotations

from typing import Any

OK = 0  # everything done
# 1: an unexpected error (a traceback in the log)
PARTIAL = 3  # done, but some fetches, diffs or emails failed; they are retried next run
NOTHING_DONE = 4  # nothing could be done (no page fetched, unreadable input)
CONFIG_ERROR = 5  # the configuration is invalid; the message names the file and the key
LOCKED = 6  # another run holds the lock; this one did nothing
PORT_IN_USE = 7  # serve or demo: the port is taken (or cannot be bound); nothing started
USAGE = 2  # a usage error on the command line (bad option value, unknown site, bad URL)
REDIS_UNAVAILABLE = 8  # scale-out: Redis cannot be reached at start (the message names the URL)


def crawl_failures(stats: dict[str, Any]) -> int:
    """Failed fetches of editions and of listings (feeds, sitemaps, start pages): a site
    whose every feed fails looks, from cron, exactly like a broken deployment."""
    return int(stats.get("failures") or 0) + int(stats.get("listing_failures") or 0)


def for_crawl(stats: dict[str, Any]) -> int:
    """A crawl that stopped early (an unwritable archive, a crash) is not a success."""
    stopped = stats.get("archive_error") or stats.get("finish_reason") not in (None, "finished")
    stored = stats.get("editions_stored") or stats.get("not_modified") or stats.get("unchanged")
    failed = crawl_failures(stats)
    if (stopped or failed) and not stored:
        return NOTHING_DONE
    return PARTIAL if stopped or failed else OK
