"""crawler.decoding: the crawl's one way from bytes to text, shared with the capture re-read."""

from __future__ import annotations

from crawler.decoding import charset_of, decode_body, decode_body_ex

TEXT = "Житомирський льонокомбінат отримає інвестиції. " * 20
PAGE = f"<html><head><meta charset='windows-1251'></head><body><p>{TEXT}</p></body></html>"


def test_http_charset_wins_when_it_reads_clean() -> None:
    body = PAGE.replace("windows-1251", "utf-8").encode("utf-8")
    assert TEXT in decode_body(body, "utf-8")
    assert TEXT in decode_body(body, None, content_type="text/html; charset=UTF-8")


def test_meta_charset_rescues_a_page_the_server_mislabels() -> None:
    body = PAGE.encode("windows-1251")
    decoded = decode_body_ex(body, "utf-8")
    assert decoded.fallback and decoded.encoding == "cp1251"
    assert TEXT in decoded.text and "\ufffd" not in decoded.text


def test_no_charset_anywhere_follows_scrapy() -> None:
    body = PAGE.replace("<meta charset='windows-1251'>", "").encode("utf-8")
    decoded = decode_body_ex(body, None)
    assert TEXT in decoded.text and not decoded.fallback


def test_charset_of_content_type() -> None:
    assert charset_of('text/html; charset="koi8-r"') == "koi8-r"
    assert charset_of("text/html") is None
    assert charset_of(None) is None
