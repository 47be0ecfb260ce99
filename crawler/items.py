"""The two things the spider hands to the archive: a fetched edition, or a failed fetch."""

from __future__ import annotations

import scrapy


class EditionItem(scrapy.Item):
    """One fetched language edition of an article, as archive.save_edition takes it."""

    site = scrapy.Field()  # profile name or "generic"
    url = scrapy.Field()  # response.url, after redirects
    requested_url = scrapy.Field()
    canonical = scrapy.Field()
    status = scrapy.Field()
    lang = scrapy.Field()  # from the page (declared, else detected) — never from the URL
    lang_declared = scrapy.Field()  # <html lang>, JSON-LD inLanguage, og:locale (normalised)
    lang_detected = scrapy.Field()  # diffing.language.detect_language over the body
    lang_confidence = scrapy.Field()
    title = scrapy.Field()
    published = scrapy.Field()
    modified = scrapy.Field()
    author = scrapy.Field()
    paragraphs = scrapy.Field()  # list[str]
    alternates = scrapy.Field()  # {lang: url} of the other editions this page names, on-domain
    article_key = scrapy.Field()  # "<site>:<shared id>" or "<site>:<entry url>"
    etag = scrapy.Field()
    last_modified = scrapy.Field()
    access = scrapy.Field()  # "full", "premium" or "truncated"
    fetched_at = scrapy.Field()  # UTC ISO-8601
    extraction = scrapy.Field()  # "profile", "jsonld" or "generic"
    extractor_version = scrapy.Field()  # what read it: crawler.rereading.reading_version
    # the response as received, for its WARC record (crawler.middlewares.capture_of): url,
    # method, request_headers, http_version, status, response_headers (lists of [name,
    # value]), body (bytes before content decoding), fetched_at, ip. Plain data only.
    capture = scrapy.Field()


class FetchFailureItem(scrapy.Item):
    """An edition that could not be fetched or read: recorded, never fatal to the crawl."""

    site = scrapy.Field()
    url = scrapy.Field()
    article_key = scrapy.Field()
    status = scrapy.Field()  # HTTP status, or None for timeouts, DNS errors, size limits
    error = scrapy.Field()
    fetched_at = scrapy.Field()
    lang_hint = scrapy.Field()  # the language the linking page gave this URL (hreflang/switcher)


class NotModifiedItem(scrapy.Item):
    """A 304 to a conditional request: the check is recorded, no snapshot is added."""

    url = scrapy.Field()
    fetched_at = scrapy.Field()
