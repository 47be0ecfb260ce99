"""The worker's spider: the `editions` spider fed by the shared frontier, not by start().

Its callbacks are the editions spider's own; what they produce goes to Redis before the
request's lease is released: items onto the item stream (the worker has no database),
follow-up requests through the engine onto the shared queue. So a worker killed at any
moment loses nothing: either the lease is still there (and the request is requeued) or
all its output is already in Redis.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.internet import task
from twisted.python.failure import Failure

from crawler.fleet.frontier import LEASE_META, Frontier
from crawler.spiders.editions import EditionsSpider

POLL_SECONDS = 0.5


class FleetEditionsSpider(EditionsSpider):
    name = "editions"

    def __init__(self, *args: Any, exit_when_idle: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exit_when_idle = exit_when_idle
        self.frontier: Frontier | None = None
        self._idle_since: float | None = None
        self._poll: task.LoopingCall | None = None
        self._beating = threading.Event()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> FleetEditionsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.frontier = Frontier.from_settings(
            crawler.settings, crawler.settings.get("TRIGLOT_FLEET_WORKER_ID")
        )
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    # ------------------------------------------------------------------ lifecycle

    def _opened(self) -> None:
        self.frontier.heartbeat()
        self.logger.info("worker %s on the shared frontier", self.frontier.worker_id)
        self._beating = threading.Event()
        threading.Thread(target=self._heartbeat, name="fleet-heartbeat", daemon=True).start()
        self._poll = task.LoopingCall(self._tick)
        self._poll.start(POLL_SECONDS, now=False)

    def _closed(self) -> None:
        self._beating.set()
        if self._poll is not None and self._poll.running:
            self._poll.stop()

    def _heartbeat(self) -> None:
        """On its own thread, not the reactor's: a worker busy reading a long page for
        seconds is alive, and must not have its leases requeued (fetched twice)."""
        interval = self.frontier.heartbeat_ttl / 3
        while not self._beating.wait(interval):
            try:
                self.frontier.heartbeat()
            except Exception as error:  # Redis restarting: the next beat tries again
                self.logger.warning("heartbeat failed: %s", error)

    def _tick(self) -> None:
        """Look at the shared queue sooner than Scrapy's 5 s heartbeat: other processes
        fill it while this one idles."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def _idle(self) -> None:
        """Keep running while the fleet has work; with exit_when_idle, stop after that
        long with nothing queued or leased anywhere."""
        if self.exit_when_idle is None:
            raise DontCloseSpider
        try:
            busy = not self.frontier.idle()
        except Exception as error:  # Redis away: not a reason to stop, nor to crash
            self.logger.warning("cannot read the shared frontier: %s", error)
            busy = True
        if busy:
            self._idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.exit_when_idle:
            raise DontCloseSpider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Nothing of its own: the coordinator queues start URLs and due articles."""
        return
        yield  # an async generator that yields nothing

    # ------------------------------------------------------------------ callbacks

    def _hand_on(self, output: Any) -> None:
        if isinstance(output, scrapy.Request):
            self.crawler.engine.crawl(output)  # through the scheduler onto the shared queue
        elif output is not None:
            self.frontier.send_item(output)
            self.crawler.stats.inc_value("triglot/items_sent")

    def _done(self, request: scrapy.Request) -> None:
        self.frontier.release(request.meta.get(LEASE_META))

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        try:
            async for output in super().parse_article(response):
                self._hand_on(output)
        finally:
            self._done(response.request)
        return
        yield

    def parse_listing(self, response: Response) -> Iterator[Any]:
        try:
            for output in super().parse_listing(response):
                self._hand_on(output)
        finally:
            self._done(response.request)
        yield from ()

    def on_error(self, failure: Failure) -> Iterable[Any]:
        try:
            for output in super().on_error(failure) or ():
                self._hand_on(output)
        finally:
            self._done(failure.request)
        yield from ()
