"""A progress line for interactive crawls: pages fetched, stored, failed, and the rate.

On when TRIGLOT_PROGRESS is true (`triglot crawl` and `triglot run` set it when stderr is
a terminal); under cron the log stays warnings and one summary line. The line rewrites
itself in place every TRIGLOT_PROGRESS_INTERVAL seconds and ends with a newline.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def progress_text(stats: dict[str, Any], seconds: float) -> str:
    """'crawl: 12 pages fetched, 10 stored, 1 failed, 35.0 pages/min'."""
    pages = int(stats.get("triglot/pages", 0))
    stored = int(stats.get("triglot/editions_stored", 0))
    failed = int(stats.get("triglot/failures", 0)) + int(stats.get("triglot/listing_failures", 0))
    rate = pages * 60 / seconds if seconds > 0 else 0.0
    return f"crawl: {pages} pages fetched, {stored} stored, {failed} failed, {rate:.1f} pages/min"


class ProgressLine:
    """Scrapy extension drawing progress_text on stderr while the spider runs."""

    def __init__(self, crawler: Any, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressLine:
        if not crawler.settings.getbool("TRIGLOT_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("TRIGLOT_PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.draw)
        self.loop.start(self.interval, now=True)

    def draw(self, end: str = "") -> None:
        text = progress_text(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        sys.stderr.write(f"\r{text}\x1b[K{end}")
        sys.stderr.flush()

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.draw(end="\n")
