"""The article page in headless Chromium, served the way `triglot serve` serves it.

Datasette's ASGI app runs under uvicorn on an ephemeral loopback port in a thread; the
browser is Debian's /usr/bin/chromium driven by Playwright. The test fails (never skips)
when Chromium is missing: .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from archive_factory import build_sample_archive

from triglot.serve import make_datasette

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
README_SCREENSHOT = REPO / "docs" / "article-page.png"


@pytest.fixture(scope="module")
def server_url(tmp_path_factory) -> Iterator[tuple[str, object]]:
    sample = build_sample_archive(tmp_path_factory.mktemp("browser") / "triglot.db")
    app = make_datasette(sample.path).app()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", sample
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_article_page_in_chromium(server_url):
    assert CHROMIUM.exists(), (
        f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); "
        "the browser test must run, not skip"
    )
    from playwright.sync_api import expect, sync_playwright

    base, sample = server_url
    url = f"{base}/-/triglot/article/{sample.harvest_id}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(url)
            expect(page.locator("h1")).to_have_text("На Дніпропетровщині зібрали рекордний урожай")

            uk_figure = page.locator('#row-0 .cell[data-lang="uk"] mark.divergent')
            ru_figure = page.locator('#row-0 .cell[data-lang="ru"] mark.divergent')
            uk_tip = page.locator('#row-0 .cell[data-lang="uk"] .figure-tip')
            ru_tip = page.locator('#row-0 .cell[data-lang="ru"] .figure-tip')
            expect(uk_figure).to_have_text("427 тисяч")
            expect(uk_figure).to_be_visible()
            expect(ru_figure).to_have_text("472 тысячи")
            # the other edition's value is visible inline, and in a tooltip on focus/hover
            expect(page.locator('#row-0 .cell[data-lang="uk"] .divergence-note')).to_contain_text(
                "ru: 472 тысячи"
            )
            expect(uk_tip).to_be_hidden()
            uk_figure.focus()  # keyboard users reach it with Tab
            expect(uk_tip).to_be_visible()
            expect(uk_tip).to_contain_text("ru: 472 тысячи")
            ru_figure.hover()
            expect(ru_tip).to_be_visible()
            expect(ru_tip).to_contain_text("uk: 427 тисяч")
            # a highlighted figure looks different from an ordinary one
            plain = page.locator('#row-1 .cell[data-lang="uk"] mark.figure').first
            assert _background(uk_figure) != _background(plain)
            # the gap and the escaped <script> read as text; no script ran
            expect(page.locator('#row-3 .cell[data-lang="en"]')).to_contain_text(
                "not in this edition"
            )
            expect(page.locator('#row-2 .cell[data-lang="uk"]')).to_contain_text(
                "<script>alert('pwned')</script>"
            )
            assert dialogs == []

            # the rightmost column's tooltip stays on the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
            page.mouse.move(0, 0)
            uk_figure.focus()
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "article-page.png"
            page.screenshot(path=str(shot), full_page=True)
            if os.environ.get("TRIGLOT_UPDATE_SCREENSHOT"):  # refresh the README's picture
                README_SCREENSHOT.parent.mkdir(exist_ok=True)
                shutil.copyfile(shot, README_SCREENSHOT)

            # a narrow screen: the columns collapse into one
            page.set_viewport_size({"width": 390, "height": 844})
            boxes = [
                page.locator(f'#row-0 .cell[data-lang="{lang}"]').bounding_box()
                for lang in ("uk", "en", "ru")
            ]
            assert len({round(box["x"]) for box in boxes}) == 1
            assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
            page.screenshot(path=str(ARTIFACTS / "article-page-narrow.png"), full_page=True)

            # without JavaScript the content is all there
            no_js = browser.new_context(java_script_enabled=False).new_page()
            no_js.goto(url)
            expect(no_js.locator('#row-0 .cell[data-lang="ru"] .divergence-note')).to_contain_text(
                "uk: 427 тисяч"
            )

            # the front page leads to the divergences and the article in one click
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{base}/")
            page.locator(".latest-articles a").first.click()
            expect(page).to_have_url(url)
            page.goto(f"{base}/")
            page.locator("a.start-link.primary").click()
            expect(page.locator("table.rows-and-columns")).to_contain_text("472 тысячи")
            page.goto(f"{base}/-/triglot")
            page.locator("svg.triglot-chart").screenshot(path=str(ARTIFACTS / "chart.png"))
        finally:
            browser.close()


def _background(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


HOSTILE_CAPTURE = (
    b"<!DOCTYPE html><html lang='uk'><head><meta charset='utf-8'><title>t</title>"
    b"<script>document.documentElement.dataset.ran = 'yes'; alert('script ran')</script>"
    b"</head><body><h1>Stored headline</h1><p id='lead'>\xd0\x97\xd0\xb1\xd0\xb5\xd1\x80"
    b"\xd0\xb5\xd0\xb6\xd0\xb5\xd0\xbd\xd0\xb8\xd0\xb9 text</p>"
    b"<img src='x' onerror=\"alert('onerror ran')\"><form action='http://127.0.0.2/'>"
    b"<input name='q'></form></body></html>"
)


def _archive_with_a_capture(folder: Path) -> tuple[Path, int]:
    """A real archive whose one snapshot points at a real WARC record of a hostile page."""
    import gzip

    import archive
    from archive.captures import CaptureStore, default_folder
    from crawler.items import EditionItem
    from crawler.pipelines import store_item

    db_path = folder / "triglot.db"
    db = archive.open_db(db_path)
    captures = CaptureStore(default_folder(db_path), db_path).open()
    item = EditionItem(
        site="generic",
        url="http://127.0.0.1:9/story",
        lang="uk",
        title="Stored headline",
        paragraphs=["Збережений text"],
        fetched_at="2026-03-14T10:00:00+00:00",
        extractor_version="1",
        capture={
            "url": "http://127.0.0.1:9/story",
            "status": 200,
            "response_headers": [
                ["Content-Type", "text/html; charset=utf-8"],
                ["Content-Encoding", "gzip"],
            ],
            "body": gzip.compress(HOSTILE_CAPTURE),
            "fetched_at": "2026-03-14T10:00:00+00:00",
        },
    )
    assert store_item(db, item, captures) == "new"
    captures.close()
    snapshot_id = db.execute("select id from snapshots").fetchone()[0]
    db.close()
    return db_path, snapshot_id


def test_raw_capture_shows_the_stored_page_with_scripts_disabled(tmp_path):
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: the browser test must run, not skip"
    from playwright.sync_api import expect, sync_playwright

    db_path, snapshot_id = _archive_with_a_capture(tmp_path)
    app = make_datasette(db_path).app()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                dialogs: list[str] = []
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(f"{base}/-/triglot/capture/{snapshot_id}")
                frame = page.frame_locator("iframe[sandbox]")
                expect(frame.locator("#lead")).to_have_text("Збережений text")
                expect(frame.locator("h1")).to_have_text("Stored headline")
                page.wait_for_timeout(300)
                assert dialogs == []
                (inner,) = [f for f in page.frames if f.url.endswith("/raw")]
                assert inner.evaluate("document.documentElement.dataset.ran") is None
                # opened directly, the CSP sandbox holds too
                page.goto(f"{base}/-/triglot/capture/{snapshot_id}/raw")
                expect(page.locator("#lead")).to_have_text("Збережений text")
                page.wait_for_timeout(300)
                assert dialogs == []
            finally:
                browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
