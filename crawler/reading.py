"""Reading a fetched page — extraction and the language check — in this process or in workers.

Both are pure CPU work (about 2 ms on a 140 KB page) and Scrapy runs callbacks on its one
event-loop thread, so done in place they hold up every download behind them. With
TRIGLOT_EXTRACT_WORKERS > 0 they run in a small process pool instead: the spider awaits
the result while the reactor goes on downloading, and a second core does the reading.
0 reads in place (same results, one process: what a one-core machine wants).

The pool is configuration, like the profiles: it holds no crawl state, any page can go to
any worker, and what comes back is plain data (the Page and the detected language). The
crawl sends the raw body (read_body): bytes cross the pipe as a copy, and the decoding runs
on the worker's core too.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import Any

from crawler.decoding import decode_body_ex
from crawler.extract import Page, extract_page
from crawler.profiles import Profile
from crawler.template import SiteTemplate
from diffing.language import detect_language, warm_up

logger = logging.getLogger(__name__)

WORKERS_SETTING = "TRIGLOT_EXTRACT_WORKERS"


def default_workers() -> int:
    """One worker per spare core, at most two: the reactor keeps a core for downloading and
    storing, and a page takes a worker about as long as Scrapy takes to fetch it."""
    return max(0, min(2, (os.cpu_count() or 1) - 1))


@dataclass(frozen=True)
class PageReading:
    """What the spider needs from a page: its extraction and the language its text reads as."""

    page: Page
    lang_detected: str | None
    lang_confidence: float
    # set by read_body: the codec that decoded the page, and whether its <meta charset>
    # overrode the HTTP charset (crawler.decoding)
    encoding: str | None = None
    charset_fallback: bool = False


class WorkerCrashed(RuntimeError):
    """The page killed the worker process reading it, twice (a parser crash, memory)."""


def read_page(
    html: str, url: str, profile: Profile | None, *, site_template: SiteTemplate | None = None
) -> PageReading:
    """Extract the page and check its body's language. Raises what extraction raises.

    site_template: the site's recurring blocks learned from the archive (crawler.template),
    removed from the body; it shows in Page.extractor_version."""
    page = extract_page(html, url, profile, site_template=site_template)
    detected, confidence = detect_language(page.text) if page.paragraphs else (None, 0.0)
    return PageReading(page, detected, confidence)


def read_body(
    body: bytes,
    header_encoding: str | None,
    url: str,
    profile: Profile | None,
    *,
    site_template: SiteTemplate | None = None,
) -> PageReading:
    """read_page of the raw body, decoded here as the crawl decodes it (decode_body_ex).

    What the crawl hands a worker: the bytes pickle as a copy, where text of a Cyrillic
    page is encoded on the way out and decoded on the way in, and the decoding itself
    runs on the worker's core rather than the reactor's."""
    decoded = decode_body_ex(body, header_encoding)
    reading = read_page(decoded.text, url, profile, site_template=site_template)
    return replace(reading, encoding=decoded.encoding, charset_fallback=decoded.fallback)


class PageReader:
    """Reads pages in place (workers=0) or in a process pool, for ``await reader.read(...)``."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = max(0, int(workers))
        self.restarts = 0
        self._pool: ProcessPoolExecutor | None = None
        if self.workers:
            self._pool = self._start_pool()

    @classmethod
    def from_settings(cls, settings: Any) -> PageReader:
        value = settings.get(WORKERS_SETTING)
        workers = default_workers() if value in (None, "") else int(value)
        if workers and not _asyncio_loop_available():
            logger.warning(
                "%s=%d needs the asyncio reactor; reading in place", WORKERS_SETTING, workers
            )
            workers = 0
        return cls(workers)

    def _start_pool(self) -> ProcessPoolExecutor:
        """Workers come from a fork server that has imported only this module: never forked
        from the crawl itself, which holds SQLite connections, sockets and an event loop a
        child must not inherit (SQLite forbids carrying a connection across fork()). Each
        worker ignores Ctrl-C and exits when the crawl dies."""
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
        else:
            context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=_init_worker
        )
        for future in [pool.submit(_ready) for _ in range(self.workers)]:
            future.result()  # fail here, loudly, rather than on the first page
        return pool

    async def read(
        self,
        html: str,
        url: str,
        profile: Profile | None,
        *,
        site_template: SiteTemplate | None = None,
    ) -> PageReading:
        if self._pool is None:
            return read_page(html, url, profile, site_template=site_template)
        return await self._in_pool(read_page, url, html, url, profile, site_template=site_template)

    async def read_body(
        self,
        body: bytes,
        header_encoding: str | None,
        url: str,
        profile: Profile | None,
        *,
        site_template: SiteTemplate | None = None,
    ) -> PageReading:
        """read_body in place or in a worker (the raw bytes cross the pipe, not text)."""
        if self._pool is None:
            return read_body(body, header_encoding, url, profile, site_template=site_template)
        return await self._in_pool(
            read_body, url, body, header_encoding, url, profile, site_template=site_template
        )

    async def _in_pool(self, fn: Any, url: str, *args: Any, **kwargs: Any) -> PageReading:
        """fn(*args, **kwargs) in a worker; a pool broken by the page is replaced, once."""
        for attempt in (1, 2):
            pool = self._pool
            assert pool is not None
            try:
                future = pool.submit(fn, *args, **kwargs)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool as exc:
                self._replace(pool)
                if attempt == 2:
                    raise WorkerCrashed(f"reading {url} crashed the worker process twice") from exc
                logger.warning("a page worker died while reading %s; restarted, retrying", url)
        raise AssertionError("unreachable")

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for a broken one (once, however many pages saw it break)."""
        if self._pool is not broken:
            return
        broken.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        self._pool = self._start_pool()

    def close(self, *_args: Any, **_kwargs: Any) -> None:
        """Stop the workers (spider_closed): no process outlives the crawl."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _asyncio_loop_available() -> bool:
    from scrapy.utils.reactor import is_asyncio_reactor_installed, is_reactor_installed

    return not is_reactor_installed() or is_asyncio_reactor_installed()


def _ready() -> bool:
    return True


def _init_worker() -> None:
    """A worker leaves Ctrl-C to the crawl (which shuts the pool down) and dies with it.

    A worker whose crawl was killed (SIGKILL, OOM) would wait on its task queue forever —
    and keep the fork server alive with it — so a watchdog thread ends it once the crawl
    process is gone (multiprocessing's parent sentinel: the crawl, not the fork server).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    crawl = multiprocessing.parent_process()
    parent_pid = os.getppid()
    warm_up()

    def watch_crawl() -> None:
        if crawl is not None:
            crawl.join()  # returns when the crawl's end of the sentinel pipe closes
        else:
            while os.getppid() == parent_pid:
                time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch_crawl, name="crawl-watchdog", daemon=True).start()
