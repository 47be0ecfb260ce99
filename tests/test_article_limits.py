"""A huge stored article costs the article page a bounded amount of work, and the crawl
stores at most TRIGLOT_MAX_PARAGRAPHS paragraphs a snapshot.

The archive is a real SQLite file written through archive.save_edition (which stores what
it is given: the cap is the crawler's); the page goes through Datasette's own client; the
crawl is a real subprocess against a loopback server.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultserver import FaultServer, news_page, page

import archive
from datasette_config.article_page import MAX_DIFF_PARAGRAPHS, ROWS_PER_PAGE
from triglot.serve import make_datasette

REPO = Path(__file__).resolve().parents[1]
PARAGRAPHS = 20_000


def _save(db, lang: str, paragraphs: list[str], fetched_at: str) -> None:
    archive.save_edition(
        db,
        {
            "site": "huge",
            "article_key": "huge:1",
            "url": f"https://huge.example.test/{lang}/1.html",
            "lang": lang,
            "lang_declared": lang,
            "title": f"Huge ({lang})",
            "paragraphs": paragraphs,
            "alternates": {},
            "fetched_at": fetched_at,
            "extraction": "generic",
        },
    )


@pytest.fixture(scope="module")
def huge_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("huge") / "triglot.db"
    db = archive.open_db(path)
    for lang, word in (("uk", "Абзац"), ("en", "Paragraph")):
        _save(
            db,
            lang,
            [f"{word} {i}: 12 {lang}" for i in range(PARAGRAPHS)],
            "2026-01-01T00:00:00+00:00",
        )
    _save(db, "uk", [f"Абзац {i}: 13 uk" for i in range(PARAGRAPHS)], "2026-01-02T00:00:00+00:00")
    db.conn.close()
    return path


def _get(path: Path, url: str):
    import asyncio

    async def fetch():
        return await make_datasette(path).client.get(url)

    started = time.monotonic()
    response = asyncio.run(fetch())
    return response, time.monotonic() - started


def test_the_article_page_shows_its_rows_a_page_at_a_time(huge_archive):
    response, seconds = _get(huge_archive, "/-/triglot/article/1")
    assert response.status_code == 200
    html = response.text
    print(
        f"\narticle page of {PARAGRAPHS} paragraphs x 2 editions: "
        f"{len(html) / 1e6:.2f} MB, {seconds:.2f}s"
    )
    assert len(re.findall(r'class="aligned-row[ "]', html)) == ROWS_PER_PAGE + 1  # + the head
    assert f"Rows 1–{ROWS_PER_PAGE} of {PARAGRAPHS}" in html
    assert 'href="?page=2#aligned-h"' in html
    assert "Too long to compare on this page" in html  # the 20,000-paragraph versions
    assert len(html) < 3_000_000
    last = -(-PARAGRAPHS // ROWS_PER_PAGE)
    response, _ = _get(huge_archive, f"/-/triglot/article/1?page={last}")
    assert response.status_code == 200
    assert f"Абзац {PARAGRAPHS - 1}: 13 uk" in response.text
    assert "Абзац 0:" not in response.text
    assert 'rel="next"' not in response.text
    for bad in ("0", "-1", "x", "99999999999"):
        response, _ = _get(huge_archive, f"/-/triglot/article/1?page={bad}")
        assert response.status_code == 200 and "Rows 1–" in response.text


def test_short_versions_still_get_their_diff(tmp_path):
    db = archive.open_db(tmp_path / "triglot.db")
    count = MAX_DIFF_PARAGRAPHS // 2
    _save(db, "uk", [f"Абзац {i}: 12" for i in range(count)], "2026-01-01T00:00:00+00:00")
    _save(db, "uk", [f"Абзац {i}: 13" for i in range(count)], "2026-01-02T00:00:00+00:00")
    db.conn.close()
    response, _ = _get(tmp_path / "triglot.db", "/-/triglot/article/1")
    assert response.status_code == 200
    assert "Too long to compare" not in response.text and 'class="version-diff"' in response.text


def test_the_crawl_stores_at_most_max_paragraphs(tmp_path):
    db = tmp_path / "crawl.db"
    paragraphs = [f"Абзац {i}: міська рада ухвалила рішення номер {i}." for i in range(1200)]
    with FaultServer() as server:
        url = server.route("/big.html", page(news_page("uk", "Велика сторінка", paragraphs)))
        command = [
            sys.executable, "-m", "crawler.runner", "--db", str(db), "--url", url,
            "--set", "TRIGLOT_MAX_PARAGRAPHS=500", "--set", "LOG_LEVEL=WARNING",
        ]  # fmt: skip
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1])["editions_stored"] == 1
    assert "1200 paragraphs, the first 500 stored" in done.stderr
    conn = sqlite3.connect(db)
    stored = [r[0] for r in conn.execute("select text from paragraphs order by idx")]
    assert len(stored) == 500 and stored[-1].startswith("Абзац 499:")
    assert conn.execute("select paragraph_count from snapshots").fetchone()[0] == 500
