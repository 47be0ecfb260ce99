"""crawler.reading.read_body: the raw body read in a worker reads as decode-then-read_page."""

from __future__ import annotations

import asyncio

from crawler.decoding import decode_body_ex
from crawler.reading import PageReader, read_body, read_page

PARAGRAPHS = [
    "Уряд оголосив нову програму відновлення мостів у трьох областях країни до кінця року.",
    "Міністр заявив, що перші роботи почнуться вже наступного місяця, а фінансування є.",
    "Місцеві громади просять додати до списку ще два переправи через річку біля міста.",
]
PAGE = (
    "<html lang='uk'><head><meta charset='windows-1251'><title>Мости</title></head><body>"
    "<article><h1>Мости відновлять</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article></body></html>"
)
URL = "http://127.0.0.1/news/1"


def test_read_body_is_decode_body_then_read_page() -> None:
    body = PAGE.replace("windows-1251", "utf-8").encode("utf-8")
    reading = read_body(body, "utf-8", URL, None)
    expected = read_page(decode_body_ex(body, "utf-8").text, URL, None)
    assert reading.page == expected.page
    assert (reading.lang_detected, reading.lang_confidence) == (
        expected.lang_detected,
        expected.lang_confidence,
    )
    assert reading.page.paragraphs == PARAGRAPHS
    assert (reading.encoding, reading.charset_fallback) == ("utf-8", False)


def test_read_body_reports_the_meta_charset_fallback() -> None:
    """A windows-1251 page served as utf-8: the worker decodes it by its <meta charset>
    and says so, for the crawl's charset_fallback count and warning."""
    body = PAGE.encode("cp1251")
    reading = read_body(body, "utf-8", URL, None)
    assert reading.charset_fallback is True
    assert reading.encoding == decode_body_ex(body, "utf-8").encoding
    assert reading.page.paragraphs == PARAGRAPHS


def test_read_body_in_a_worker_reads_as_in_place() -> None:
    bodies = [PAGE.encode("cp1251"), PAGE.replace("windows-1251", "utf-8").encode("utf-8")]

    async def read_all(reader: PageReader) -> list:
        return await asyncio.gather(*(reader.read_body(b, "utf-8", URL, None) for b in bodies))

    expected = asyncio.run(read_all(PageReader(0)))
    reader = PageReader(1)
    try:
        assert asyncio.run(read_all(reader)) == expected
    finally:
        reader.close()
