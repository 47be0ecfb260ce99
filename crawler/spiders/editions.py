"""The `editions` spider: fetch articles and every language edition of each.

    scrapy crawl editions -a site=NAME -a url=URL -s TRIGLOT_DB=path

`site` (comma-separated profile names) starts from the profile's feeds, sitemaps and
section pages in every language; `url` (whitespace-separated) crawls those articles.
Everything an edition request needs (site, article key, language hint, kind) travels in
request meta and deduplication is Scrapy's own filter, so the spider holds configuration
only and can move onto a shared frontier (scrapy-redis) unchanged. Reading a page
(extraction, language check) goes through crawler.reading, which may hand it to a worker
process so the reactor keeps downloading meanwhile (TRIGLOT_EXTRACT_WORKERS).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from archive import clock
from crawler.discovery import article_key, discover_editions, plan_editions, strip_fragment
from crawler.items import EditionItem, FetchFailureItem, NotModifiedItem
from crawler.profiles import (
    KNOWN_LANGUAGES,
    Profile,
    ProfileError,
    generic_profile,
    list_profiles,
    load_profile,
)
from crawler.reading import PageReader
from crawler.rereading import reading_version
from crawler.template import SiteTemplate, load_site_template

GENERIC = "generic"
_XML_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([\w:]+)", re.S
)


def _as_list(value: Any, separator: str | None = None) -> list[str]:
    """Spider arguments come as strings from `-a` and as lists from the runner."""
    if not value:
        return []
    if isinstance(value, str):
        parts = value.split(separator) if separator else value.split()
        return [p.strip() for p in parts if p.strip()]
    return [str(v) for v in value]


def parse_base_urls(value: Any) -> dict[str, str]:
    """{name: url} from a dict or "name=url,name2=url2"."""
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    pairs = {}
    for part in _as_list(value, ","):
        name, sep, url = part.partition("=")
        if not sep:
            raise ValueError(f"base URL override {part!r} is not NAME=URL")
        pairs[name.strip()] = url.strip()
    return pairs


class EditionsSpider(scrapy.Spider):
    name = "editions"

    def __init__(
        self,
        site: str | list[str] | None = None,
        url: str | list[str] | None = None,
        profile_dir: str | list[str] | None = None,
        base_url: str | dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.site_names = _as_list(site, ",")
        self.article_urls = _as_list(url)
        self._profile_dir_arg = _as_list(profile_dir, ",")
        self._base_url_arg = parse_base_urls(base_url)
        self.profiles: dict[str, Profile] = {}
        self.url_profiles: dict[str, Profile] = {}
        self.reader = PageReader(0)  # replaced from the settings in from_crawler
        self.templates: dict[str, SiteTemplate | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> EditionsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings)
        spider.reader = PageReader.from_settings(crawler.settings)
        crawler.signals.connect(spider.reader.close, signal=signals.spider_closed)
        return spider

    # ------------------------------------------------------------------ configuration

    def configure(self, settings: Any) -> None:
        """Load the profiles this crawl uses and derive allowed_domains from them."""
        dirs = _as_list(settings.get("TRIGLOT_PROFILE_DIRS"), ",") + self._profile_dir_arg
        base_urls = parse_base_urls(settings.get("TRIGLOT_BASE_URLS")) | self._base_url_arg
        self.profile_dirs = tuple(dict.fromkeys(dirs))
        self.base_urls = base_urls
        for name in self.site_names:
            self.profiles[name] = load_profile(name, self.profile_dirs, base_urls.get(name))
        if self.article_urls:
            candidates = dict(self.profiles)
            for name in list_profiles(self.profile_dirs):
                if name in candidates:
                    continue
                try:
                    candidates[name] = load_profile(name, self.profile_dirs, base_urls.get(name))
                except ProfileError as exc:
                    self.logger.warning("skipping profile %s: %s", name, exc)
            for url in self.article_urls:
                profile = self._match_profile(url, candidates)
                self.url_profiles[url] = profile
                if profile.name != GENERIC:
                    self.profiles.setdefault(profile.name, profile)
        domains: list[str] = []
        for profile in [*self.profiles.values(), *self.url_profiles.values()]:
            domains.extend(profile.allowed_domains)
        self.allowed_domains = list(dict.fromkeys(domains))

    @staticmethod
    def _match_profile(url: str, candidates: dict[str, Profile]) -> Profile:
        """The profile whose article patterns match url (its host allowed), else generic."""
        for profile in candidates.values():
            if profile.allows(url) and profile.is_article(url):
                return profile
        return generic_profile(url)

    def profile_for(self, meta: dict[str, Any]) -> Profile:
        """The request's profile. Loaded on demand, so a request from a shared frontier
        (another process queued it) needs nothing but its meta."""
        name = meta.get("triglot_site", GENERIC)
        if name == GENERIC:
            return generic_profile(meta["triglot_entry"])
        if name not in self.profiles:
            self.profiles[name] = load_profile(name, self.profile_dirs, self.base_urls.get(name))
        return self.profiles[name]

    def site_template(self, site: str) -> SiteTemplate | None:
        """The site's template learned from the archive, once per crawl (none for generic
        pages: a template belongs to one site's layout)."""
        if site == GENERIC:
            return None
        if site not in self.templates:
            db_path = self.settings.get("TRIGLOT_DB") if hasattr(self, "settings") else None
            self.templates[site] = (
                load_site_template(db_path, site, fresh=True) if db_path else None
            )
        return self.templates[site]

    # ------------------------------------------------------------------ requests

    def group_key(self, profile: Profile, entry_url: str) -> str:
        """article_key, made stable for transform-paired sites.

        Where editions are paired only by URL transform, the key is the smallest URL of
        the transform family, so the uk and ru pages of one story get the same key
        whichever of them a feed led to first.
        """
        if profile.shared_id(entry_url) or not profile.url_transforms:
            return article_key(profile, entry_url)
        family = {strip_fragment(entry_url)}
        for transform in profile.url_transforms:
            target = transform.apply(entry_url)
            if target and profile.allows(target):
                family.add(strip_fragment(target))
        return f"{profile.name}:{min(family)}"

    def article_request(
        self,
        url: str,
        profile: Profile,
        *,
        key: str | None = None,
        entry: str | None = None,
        lang_hint: str | None = None,
        via: str = "entry",
        priority: int = 0,
    ) -> scrapy.Request:
        meta = {
            "triglot_kind": "article",
            "triglot_site": profile.name,
            "triglot_key": key or self.group_key(profile, url),
            "triglot_entry": entry or url,
            "triglot_lang_hint": lang_hint,
            "triglot_via": via,
            "handle_httpstatus_list": [304],  # a conditional GET's "not modified"
        }
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta=meta,
            priority=priority,
        )

    def listing_request(self, url: str, profile: Profile, label: str, depth: int) -> scrapy.Request:
        meta = {
            "triglot_kind": "listing",
            "triglot_site": profile.name,
            "triglot_entry": url,
            "triglot_label": label,
            "triglot_depth": depth,
        }
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, meta=meta)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.initial_requests():
            yield request

    def initial_requests(self) -> Iterator[scrapy.Request]:
        if not self.site_names and not self.article_urls:
            self.logger.error("nothing to crawl: give -a site=NAME and/or -a url=URL")
        for name in self.site_names:
            profile = self.profiles[name]
            for label, url in profile.all_start_urls():
                if profile.is_article(url):
                    yield self.article_request(url, profile)
                else:
                    yield self.listing_request(url, profile, label, depth=0)
        for url in self.article_urls:
            yield self.article_request(url, self.url_profiles[url], priority=10)

    # ------------------------------------------------------------------ listings

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """A feed, sitemap or section page: queue the article links it holds."""
        profile = self.profile_for(response.meta)
        depth = response.meta.get("triglot_depth", 0)
        label = response.meta.get("triglot_label")
        body = response.body
        if response.url.endswith(".gz") or body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception as exc:  # a broken archive is a broken listing, not a crash
                self.crawler.stats.inc_value("triglot/listing_failures")
                self.logger.warning("cannot gunzip %s: %s", response.url, exc)
                return
        root = _xml_root(body)
        sub_listings: list[str] = []
        if root in ("urlset", "sitemapindex"):
            links, sub_listings = _sitemap_links(body, response.url)
        elif root in ("rss", "feed", "rdf:RDF", "RDF"):
            links = _feed_links(response, body)
        elif isinstance(response, TextResponse):
            links = [urljoin(response.url, h) for h in response.css("a::attr(href)").getall()]
        else:
            self.crawler.stats.inc_value("triglot/listing_failures")
            self.logger.warning("listing %s is neither XML nor HTML; skipped", response.url)
            return
        limit = self.settings.getint("TRIGLOT_MAX_ARTICLES_PER_START")
        queued = 0
        max_depth = self.settings.getint("TRIGLOT_SECTION_DEPTH")
        for link in dict.fromkeys(strip_fragment(u.strip()) for u in links if u.strip()):
            if not profile.allows(link):
                continue
            if profile.is_article(link):
                if limit and queued >= limit:
                    continue
                queued += 1
                yield self.article_request(link, profile)
            elif depth < max_depth and (profile.is_section(link) or link in sub_listings):
                yield self.listing_request(link, profile, label, depth + 1)
        self.crawler.stats.inc_value("triglot/listings")
        self.logger.debug("listing %s: %d article links", response.url, queued)

    # ------------------------------------------------------------------ articles

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        """One edition: extract, check its language, hand it on, then request its siblings."""
        meta = response.meta
        profile = self.profile_for(meta)
        fetched_at = clock.now()
        requested_url = (meta.get("redirect_urls") or [response.request.url])[0]
        stats = self.crawler.stats
        stats.inc_value("triglot/pages")
        if response.status == 304:
            stats.inc_value("triglot/not_modified")
            yield NotModifiedItem(url=response.url, fetched_at=fetched_at)
            return
        refusal = not_an_article_page(response)
        if refusal:
            yield self._failure(meta, response.url, response.status, refusal)
            return
        try:
            # the raw body goes to the reader, which decodes it (crawler.decoding) and reads it
            reading = await self.reader.read_body(
                response.body,
                response.encoding,
                response.url,
                None if profile.name == GENERIC else profile,
                site_template=self.site_template(profile.name),
            )
        except Exception as exc:  # one broken page never stops the crawl
            self.logger.exception("extraction failed on %s", response.url)
            yield self._failure(meta, response.url, response.status, f"extraction failed: {exc}")
            return
        self._note_charset(response, reading)
        page = reading.page
        found = discover_editions(page, profile, self_urls=(requested_url, response.request.url))
        stats.inc_value("triglot/offsite_alternates", len(found.offsite))
        plan = self._plan(meta, found.editions, page.lang_declared or meta.get("triglot_lang_hint"))
        if not meta.get("triglot_complete"):
            plan.overflow.extend(found.duplicates)
        if page.paragraphs:
            lang_detected, confidence = reading.lang_detected, reading.lang_confidence
            declared = page.lang_declared
            if declared in KNOWN_LANGUAGES:
                lang = declared
            elif lang_detected in KNOWN_LANGUAGES:
                lang = lang_detected
            else:
                lang = declared or lang_detected
            if declared and lang_detected and declared != lang_detected:
                stats.inc_value("triglot/lang_mismatch")
                self.logger.warning(
                    "language mismatch on %s: declared %s, text reads %s (%.2f)",
                    response.url,
                    declared,
                    lang_detected,
                    confidence,
                )
            yield EditionItem(
                site=profile.name,
                url=response.url,
                requested_url=requested_url,
                canonical=page.canonical,
                status=response.status,
                lang=lang,
                lang_declared=declared,
                lang_detected=lang_detected,
                lang_confidence=confidence,
                title=page.title,
                published=page.published,
                modified=page.modified,
                author=page.author,
                paragraphs=self._capped(page.paragraphs, response.url),
                alternates=plan.alternates,
                article_key=meta["triglot_key"],
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
                access=page.access,
                fetched_at=fetched_at,
                extraction=page.extraction,
                extractor_version=reading_version(
                    page.extractor_version, None if profile.name == GENERIC else profile
                ),
                capture=meta.pop("triglot_capture", None),
            )
        else:
            yield self._failure(meta, response.url, response.status, "no article text found")
        if plan.overflow:
            yield self._overflow(meta, response, plan)
        from_entry = meta.get("triglot_planned") is None and not meta.get("triglot_complete")
        planned = {**plan.alternates, **(meta.get("triglot_planned") or {})}
        for link in plan.follow:
            request = self.article_request(
                link.url,
                profile,
                key=meta["triglot_key"],
                entry=meta["triglot_entry"],
                lang_hint=link.lang_hint,
                via=link.via,
                priority=10,
            )
            if from_entry:
                request.meta["triglot_planned"] = planned
            else:
                request.meta["triglot_complete"] = True  # reached by completion: follows nothing
            yield request

    def _capped(self, paragraphs: list[str], url: str) -> list[str]:
        """At most TRIGLOT_MAX_PARAGRAPHS paragraphs a snapshot: a page of a hundred
        thousand paragraphs is not an article, and every later stage pays for each one."""
        limit = self.settings.getint("TRIGLOT_MAX_PARAGRAPHS")
        if not limit or len(paragraphs) <= limit:
            return paragraphs
        self.crawler.stats.inc_value("triglot/paragraphs_capped")
        self.logger.warning(
            "%s: %d paragraphs, the first %d stored (TRIGLOT_MAX_PARAGRAPHS)",
            url,
            len(paragraphs),
            limit,
        )
        return paragraphs[:limit]

    def _plan(self, meta: dict[str, Any], links: list[Any], own_lang: str | None) -> Any:
        """One edition per configured language; editions complete the entry's set only."""
        if meta.get("triglot_complete"):
            return plan_editions([], own_lang=own_lang, languages=())
        languages = tuple(lang for lang in self._languages(meta) if lang in KNOWN_LANGUAGES)
        return plan_editions(
            links, own_lang=own_lang, languages=languages, planned=meta.get("triglot_planned")
        )

    def _languages(self, meta: dict[str, Any]) -> tuple[str, ...]:
        return self.profile_for(meta).languages or KNOWN_LANGUAGES

    def _overflow(self, meta: dict[str, Any], response: Response, plan: Any) -> Any:
        """The edition links past the cap, recorded on the article (as a check of the page
        that named them), not counted as failed fetches: nothing is retried."""
        count = len(plan.overflow)
        self.crawler.stats.inc_value("triglot/edition_overflow", count)
        error = (
            f"edition cap: {count} more edition link(s) not followed, past one edition per "
            f"language ({', '.join(self._languages(meta))}); first: {plan.overflow[0].url}"
        )
        self.logger.warning("%s: %s", response.url, error)
        return FetchFailureItem(
            site=meta.get("triglot_site", GENERIC),
            url=response.url,
            article_key=meta.get("triglot_key"),
            status=response.status,
            error=error,
            fetched_at=clock.now(),
            lang_hint=None,
        )

    def _note_charset(self, response: TextResponse, reading: Any) -> None:
        """Count and log a page its <meta charset> decoded (crawler.decoding's fallback,
        shared with the re-read of stored captures), as the reader reports it."""
        if reading.charset_fallback:
            self.crawler.stats.inc_value("triglot/charset_fallback")
            self.logger.warning(
                "%s: undecodable as %s (header); read as %s (<meta charset>)",
                response.url,
                response.encoding,
                reading.encoding,
            )

    def _failure(self, meta: dict[str, Any], url: str, status: int | None, error: str) -> Any:
        self.crawler.stats.inc_value("triglot/failures")
        return FetchFailureItem(
            site=meta.get("triglot_site", GENERIC),
            url=url,
            article_key=meta.get("triglot_key"),
            status=status,
            error=error,
            fetched_at=clock.now(),
            lang_hint=meta.get("triglot_lang_hint"),
        )

    def on_error(self, failure: Failure) -> Iterable[Any]:
        """A request that failed for good (after retries): record editions, log listings.

        A refusal we chose (robots.txt, an off-domain URL we were about to request) is not
        a failure of the edition. Everything else is, including an IgnoreRequest raised
        after the site redirected (off-domain, in a loop) or sent too much (a body, or a
        gzip bomb, past DOWNLOAD_MAXSIZE): those are recorded against the URL we asked for.
        """
        request = failure.request
        meta = request.meta
        redirects = meta.get("redirect_urls") or []
        url = redirects[0] if redirects else request.url
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            reason = str(failure.value)
            if not redirects and _is_our_refusal(reason):
                self.crawler.stats.inc_value("triglot/refused")
                self.logger.info("not fetched %s: %s", request.url, failure.value)
                return
            error = _ignore_reason(reason, request.url, bool(redirects))
            status = None
        else:
            status, error = _failure_reason(failure, self.settings.getint("DOWNLOAD_MAXSIZE"))
        if meta.get("triglot_kind") != "article":
            self.crawler.stats.inc_value("triglot/listing_failures")
            self.logger.warning("listing %s failed: %s", url, error)
            return
        self.logger.warning("edition %s failed: %s", url, error)
        yield self._failure(meta, url, status, error)


# ---------------------------------------------------------------------- page checks

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BINARY_MAGIC = {
    b"%PDF-": "PDF",
    b"PK\x03\x04": "ZIP",
    b"\x89PNG": "PNG",
    b"GIF8": "GIF",
    b"\xff\xd8\xff": "JPEG",
    b"\x1f\x8b": "gzip",
}


def not_an_article_page(response: Response) -> str | None:
    """Why a response cannot be an article page (empty, binary, JSON…), or None.

    Checked before extraction so the recorded error says what the server sent, rather
    than "no article text found" — or, worse, a PDF's stray bytes stored as a paragraph.
    """
    body = response.body
    if not body.strip():
        return "empty response body"
    content_type = (_header(response, b"Content-Type") or "").split(";")[0].strip().lower()
    head = body[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    for magic, kind in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return f"not an HTML page: {kind} content served as {content_type or 'no type'}"
    if not isinstance(response, TextResponse) or (b"\x00" in body[:1024] and not _utf16(body)):
        return f"not an HTML page: binary content served as {content_type or 'no type'}"
    if content_type and content_type not in _HTML_TYPES and not _looks_like_html(head):
        return f"not an HTML page: {content_type}"
    return None


def _utf16(body: bytes) -> bool:
    return body[:2] in (b"\xff\xfe", b"\xfe\xff")


def _looks_like_html(head: bytes) -> bool:
    """HTML served under another type (text/plain, application/octet-stream)."""
    lowered = head.lower()
    return lowered.startswith(b"<") and (b"<html" in lowered or b"<!doctype html" in lowered)


# ---------------------------------------------------------------------- failure reasons

_OUR_REFUSALS = ("Forbidden by robots.txt", "Filtered offsite request")

# exceptions whose message Scrapy leaves empty or cryptic, in words an operator can act on
_PLAIN_REASONS = {
    "ResponseDataLossError": "connection closed or reset before the whole body arrived",
    "ResponseFailed": "connection closed or reset before the whole body arrived",
    "DownloadTimeoutError": "no complete answer within DOWNLOAD_TIMEOUT",
    "TimeoutError": "no complete answer within DOWNLOAD_TIMEOUT",
    "DownloadConnectionRefusedError": "connection refused",
    "ConnectionRefusedError": "connection refused",
    "CannotResolveHostError": "host name not found",
    "DNSLookupError": "host name not found",
    "ConnectionLost": "connection lost",
}


def _is_our_refusal(reason: str) -> bool:
    return reason.startswith(_OUR_REFUSALS)


def _ignore_reason(reason: str, last_url: str, redirected: bool) -> str:
    """An IgnoreRequest that is the site's doing, described for the edition's last_error."""
    if reason.startswith("Filtered offsite request"):
        return f"redirected off the allowed domains to {last_url}"
    if reason.startswith("Forbidden by robots.txt"):
        return f"redirected to {last_url}, which robots.txt forbids"
    if reason == "max redirections reached":
        return f"too many redirects (last {last_url})"
    if "DOWNLOAD_MAXSIZE" in reason:
        return f"response too large: {reason}"
    return reason or f"request dropped{' after a redirect' if redirected else ''}"


def _failure_reason(failure: Failure, maxsize: int) -> tuple[int | None, str]:
    """(HTTP status or None, a message that says what went wrong) for a failed download."""
    if failure.check(HttpError):
        response = failure.value.response
        error = f"HTTP {response.status}"
        retry_after = _header(response, b"Retry-After")
        if retry_after:
            error += f" (Retry-After: {retry_after.strip()[:64]})"
        return response.status, error
    name = failure.type.__name__
    message = failure.getErrorMessage().strip()
    plain = _PLAIN_REASONS.get(name)
    if name == "DownloadCancelledError":  # Scrapy cancels a download only past the size cap
        plain = f"response larger than DOWNLOAD_MAXSIZE ({maxsize} bytes)"
    if plain and plain not in message:
        message = f"{plain}; {message}" if message else plain
    return None, f"{name}: {message}" if message else name


# ---------------------------------------------------------------------- listing helpers


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _xml_root(body: bytes) -> str | None:
    """The root element name of an XML document, or None for HTML and everything else."""
    match = _XML_ROOT.match(body[:2048].lstrip(b"\xef\xbb\xbf"))
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    return None if name.lower() == "html" else name


def _sitemap_links(body: bytes, base: str) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap or sitemap index, via Scrapy's parser."""
    sitemap = Sitemap(body)
    locs = [urljoin(base, entry["loc"]) for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return [], locs
    return locs, []


def _feed_links(response: Response, body: bytes) -> list[str]:
    """Item links of an RSS 1/2 or Atom feed."""
    selector = Selector(body=body, type="xml")
    selector.remove_namespaces()
    links = selector.xpath("//item/link/text()").getall()
    links += selector.xpath("//item[not(link)]/guid/text()").getall()
    links += selector.xpath(
        "//entry/link[not(@rel) or @rel='alternate']/@href | //entry[not(link)]/id/text()"
    ).getall()
    return [
        urljoin(response.url, link.strip()) for link in links if _is_http(link.strip(), response)
    ]


def _is_http(link: str, response: Response) -> bool:
    return urlsplit(urljoin(response.url, link)).scheme in ("http", "https")
