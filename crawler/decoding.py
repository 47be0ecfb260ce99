"""Bytes to text, the one way the crawl does it: shared by the spider, the capture re-read
and `triglot reextract`, so a page read again from its WARC capture decodes exactly as it
did when it was fetched.

The HTTP charset wins (as Scrapy decides it: header, then BOM, then <meta>, then sniffing),
unless that reads as garbage and the page's own <meta charset> reads clean: a legacy page
whose server says utf-8 while the page is windows-1251 must not be stored as U+FFFD.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.http import HtmlResponse
from w3lib.encoding import html_body_declared_encoding, resolve_encoding


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec that produced text
    fallback: bool  # True when the <meta charset> overrode the HTTP charset


def decode_body(
    body: bytes, header_encoding: str | None, *, content_type: str | None = None
) -> str:
    """The page's text: see decode_body_ex for which codec won."""
    return decode_body_ex(body, header_encoding, content_type=content_type).text


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, if any."""
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def decode_body_ex(
    body: bytes, header_encoding: str | None, *, content_type: str | None = None
) -> Decoded:
    """Decode ``body`` as Scrapy's HtmlResponse does, then the <meta charset> fallback.

    ``header_encoding`` is the HTTP charset (None when the header names none);
    ``content_type``, if given instead, is the whole Content-Type header value.
    """
    if header_encoding:
        content_type = f"text/html; charset={header_encoding}"
    headers = {"Content-Type": content_type} if content_type else {}
    # Scrapy's own decision (BOM, header, <meta>, then its guess), not a copy of it
    response = HtmlResponse("http://decode.invalid/", body=body, headers=headers)
    text, encoding = response.text, response.encoding
    broken = text.count("\ufffd")
    if broken < 8 or broken * 100 < len(text):
        return Decoded(text, encoding, False)
    declared = html_body_declared_encoding(body)
    codec = resolve_encoding(declared) if declared else None
    if not codec or codec == resolve_encoding(encoding):
        return Decoded(text, encoding, False)
    try:
        return Decoded(body.decode(codec), codec, True)
    except (UnicodeDecodeError, LookupError):
        return Decoded(text, encoding, False)
