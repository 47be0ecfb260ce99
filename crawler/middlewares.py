"""Downloader middlewares: conditional requests, and redirects we refuse made visible.

Conditional requests ask for an edition only if it changed since the archive's copy. The
validators (ETag, Last-Modified) live in the archive, not in the spider, so any crawler
process — or a shared frontier later — sends the same conditional GET.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import get_meta_refresh
from twisted.internet.defer import Deferred

from archive import read
from crawler.discovery import strip_fragment
from crawler.profiles import host_allowed

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
        try:
            if self._conn is None:
                if not Path(self.db_path).exists():
                    return None, None
                self._conn = read.open_readonly(self.db_path)
            return read.edition_validators(self._conn, url)
        except sqlite3.Error as error:  # no schema yet, or a locked file: fetch in full
            logger.debug("no validators for %s: %s", url, error)
            return None, None

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


class RedirectGuardMiddleware:
    """Turns a redirect the crawl will not follow into a recorded failure of the edition.

    Left to Scrapy, a redirect off the allowed domains is dropped by OffsiteMiddleware when
    it is scheduled, and a loop A → B → A by the duplicate filter — both without calling
    the errback, so the edition vanishes with no check and no error. Raising IgnoreRequest
    here, on the 3xx itself, sends the request to the spider's errback, which records it.
    Sits above RedirectMiddleware (600) so it sees the 3xx first.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        if request.meta.get("dont_redirect"):
            return response
        target = self._redirect_target(request, response)
        if target is None:
            return response
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {strip_fragment(u) for u in chain}:
            hops = " -> ".join([*chain, target])
            raise IgnoreRequest(f"redirect loop: {hops}")
        if request.meta.get("allow_offsite") or urlsplit(target).scheme not in ("http", "https"):
            return response
        spider = self.crawler.spider
        if request.meta.get("triglot_entry") and hasattr(spider, "profile_for"):
            in_scope = spider.profile_for(request.meta).allows(target)  # port-aware
        else:
            allowed = getattr(spider, "allowed_domains", None) or []
            in_scope = not allowed or host_allowed(urlsplit(target).hostname or "", allowed)
        if not in_scope:
            raise IgnoreRequest(f"redirected off the allowed domains to {target}")
        return response

    def _redirect_target(self, request: Request, response: Any) -> str | None:
        """Where Scrapy would go next: a 3xx Location, or a <meta http-equiv=refresh>
        that MetaRefreshMiddleware would follow."""
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            return strip_fragment(urljoin(request.url, location.decode("latin-1").strip()))
        settings = self.crawler.settings
        if not isinstance(response, HtmlResponse) or not settings.getbool("METAREFRESH_ENABLED"):
            return None
        ignore = settings.getlist("METAREFRESH_IGNORE_TAGS")
        interval, url = get_meta_refresh(response, ignore_tags=ignore)
        if url and interval < settings.getfloat("METAREFRESH_MAXDELAY"):
            return strip_fragment(url)
        return None


class WaitingRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt check, also for requests that wait while robots.txt is fetched.

    Scrapy 2.19 awaits the pending robots.txt Deferred once per waiting request; the first
    waiter's callback swallows the parser, so every later waiter gets None, which Scrapy
    reads as "no robots.txt": the first burst of requests to a site (start URLs, a
    worker's first pops from the shared queue) is fetched even where robots.txt forbids
    it. Once the Deferred has fired, the parser is in ``_parsers``: read it from there.
    """

    async def robot_parser(self, request: Request) -> Any:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if not isinstance(stored, Deferred):
                return stored  # None only when robots.txt itself failed: Scrapy's allow-all
        return parser


class CaptureMiddleware:
    """Keeps an article response exactly as received, for its WARC record.

    Sits at 595: process_response runs in decreasing priority order, so this sees the
    response after RedirectMiddleware (600) has followed any 3xx and before
    HttpCompressionMiddleware (590) decodes the body — the bytes and headers as they came
    off the wire. The capture is a plain dict (str, int, bytes, lists of pairs) on the
    request's meta; the spider moves it onto the EditionItem, and the archive side writes
    it only when the page becomes a new snapshot.
    """

    META_KEY = "triglot_capture"

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Any) -> CaptureMiddleware:
        return cls(crawler.settings.getbool("TRIGLOT_WARC", True))

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        if not self.enabled or request.meta.get("triglot_kind") != "article":
            return response
        if response.status == 304:
            return response
        request.meta[self.META_KEY] = capture_of(request, response)
        return response


def capture_of(request: Request, response: Any) -> dict[str, Any]:
    """The capture dict of contract 3 (WARC owns its keys)."""
    from archive import clock

    def pairs(headers: Any) -> list[list[str]]:
        return [
            [name.decode("latin-1"), value.decode("latin-1")]
            for name, values in headers.items()
            for value in values
        ]

    request_headers = pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in request_headers):
        request_headers.insert(0, ["Host", urlsplit(request.url).netloc])
    return {
        "url": response.url,
        "method": request.method,
        "request_headers": request_headers,
        "http_version": _http_version(getattr(response, "protocol", None)),
        "status": response.status,
        "response_headers": pairs(response.headers),
        "body": response.body,
        "fetched_at": clock.now(),
        "ip": str(response.ip_address) if getattr(response, "ip_address", None) else None,
    }


def _http_version(protocol: str | None) -> str:
    """The status line's version: HTTP/1.0 or 1.1 as negotiated; HTTP/2 is written as 1.1,
    the framing replay tools read."""
    return protocol if protocol in ("HTTP/1.0", "HTTP/1.1") else "HTTP/1.1"
