"""Refresh the README's screenshots from the demo archive.

    triglot demo --no-serve && python docs/make_screenshots.py demo/triglot.db

Drives Debian's chromium through Playwright (never `playwright install`).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from triglot.serve import make_datasette

DOCS = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def harvest_article(db_path: str) -> int:
    """The harvest story ("427 тисяч" in uk, "472 тысячи" in ru): its id depends on which
    edition the crawl stored first, so it is looked up rather than assumed."""
    import sqlite3

    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "select article_id from divergences where raw_a like '427%' or raw_b like '427%' "
            "order by id limit 1"
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        raise SystemExit(f"{db_path}: no harvest article (build it with `triglot demo`)")
    return row[0]


def main(db_path: str, port: int = 8093) -> None:
    server = uvicorn.Server(
        uvicorn.Config(
            make_datasette(db_path).app(), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    article = harvest_article(db_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/")
        page.screenshot(path=str(DOCS / "front-page.png"), full_page=False)
        page.goto(f"{base}/-/triglot/article/{article}")
        page.locator("mark.divergent").first.focus()
        page.screenshot(path=str(DOCS / "article-page.png"), full_page=True)
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/triglot.db")
