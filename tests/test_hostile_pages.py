"""The hostile page corpus (tests/hostile/), crawled in ONE crawl beside a normal article.

Each page of tests/hostile/manifest.json is either stored sensibly — the assertions say
what: paragraph count, title, text present and absent — or rejected with its reason
recorded (a checks row with outcome 'error'). No exception escapes the spider, and the
crawl finishes normally. The big pages are generated here, not committed.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from faultserver import FaultServer, page

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "hostile"
MANIFEST = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))["pages"]
BY_NAME = {entry["name"]: entry for entry in MANIFEST}


def _generated(name: str) -> bytes:
    head = '<!doctype html><html lang="uk"><head><meta charset="utf-8"><title>{t}</title></head>'
    if name == "ten_thousand_paragraphs":
        body = "".join(
            f"<p>Абзац {i}: міська рада ухвалила рішення про ремонт вулиці номер {i}.</p>"
            for i in range(10_000)
        )
        return (head.format(t="Десять тисяч абзаців") + f"<body><article>{body}</article>").encode()
    if name == "one_mb_paragraph":
        words = "Довге речення про бюджет міста, ремонт доріг і нові автобуси. " * 17_000
        return (head.format(t="Один абзац") + f"<body><article><p>{words}</p></article>").encode()
    if name == "ten_kb_title":  # no <h1>: the title comes from the 10 KB <title> itself
        title = "Дуже довгий заголовок новини " * 350
        body = "<p>Перший абзац звичайної новини про місто.</p><p>Другий абзац новини.</p>"
        return (head.format(t=title) + f"<body><article>{body}</article>").encode()
    raise KeyError(name)


def page_path(entry: dict) -> str:
    return entry.get("path") or f"/h/{entry['name']}.html"


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "archive.db"
    with FaultServer() as server:
        for entry in MANIFEST:
            if "generate" in entry:
                body = _generated(entry["generate"])
            else:
                body = (HOSTILE / "pages" / f"{entry['name']}.html").read_bytes()
            server.route(page_path(entry), page(body, headers=entry.get("headers")))
        command = [
            sys.executable, "-m", "crawler.runner", "--db", str(db),
            "--profile-dir", str(HOSTILE / "profiles"), "--base-url", f"hostile={server.base_url}/",
            "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false",
            "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "LOG_LEVEL=WARNING",
        ]  # fmt: skip
        for entry in MANIFEST:
            command += ["--url", server.url(page_path(entry))]
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)
        hits = dict(server.hits)
    lines = done.stdout.strip().splitlines()
    yield {
        "db": db,
        "code": done.returncode,
        "stderr": done.stderr,
        "stats": json.loads(lines[-1]) if lines else {},
        "hits": hits,
    }


def stored(db: Path) -> dict[str, dict]:
    """{path: edition + current snapshot + its paragraphs + its checks}."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    result = {}
    for row in conn.execute(
        "select e.*, s.title, s.paragraph_count, s.lang_declared from editions e "
        "left join snapshots s on s.id = e.current_snapshot_id"
    ):
        item = dict(row)
        item["paragraphs"] = [
            r[0]
            for r in conn.execute(
                "select text from paragraphs where snapshot_id = ? order by idx",
                [row["current_snapshot_id"]],
            )
        ]
        item["checks"] = [
            tuple(r)
            for r in conn.execute(
                "select outcome, error from checks where edition_id = ? order by id", [row["id"]]
            )
        ]
        result["/" + row["url"].split("/", 3)[3]] = item
    conn.close()
    return result


def test_the_crawl_finishes_and_no_exception_escapes(hostile_crawl) -> None:
    stats = hostile_crawl["stats"]
    assert hostile_crawl["code"] == 0, hostile_crawl["stderr"][-3000:]
    assert stats["finish_reason"] == "finished"
    assert stats["errors_logged"] == 0, hostile_crawl["stderr"][-3000:]
    assert stats["store_errors"] == 0
    assert "Traceback" not in hostile_crawl["stderr"]
    rejected = sum(1 for e in MANIFEST if e["expect"] == "rejected")
    assert stats["failures_recorded"] == rejected
    assert stats["editions_stored"] == len(MANIFEST) - rejected


def test_corpus_is_big_enough() -> None:
    assert len(MANIFEST) >= 30
    assert all(e["what"] and e["expect"] in ("stored", "rejected") for e in MANIFEST)


@pytest.mark.parametrize("name", [e["name"] for e in MANIFEST])
def test_hostile_page(hostile_crawl, name: str) -> None:
    entry = BY_NAME[name]
    rows = stored(hostile_crawl["db"])
    row = rows[page_path(entry)]
    if entry["expect"] == "rejected":
        assert row["current_snapshot_id"] is None
        assert len(row["checks"]) == 1
        outcome, error = row["checks"][0]
        assert outcome == "error"
        assert entry["error"] in error
        assert row["last_error"] == error
        return
    assert row["current_snapshot_id"] is not None, row["last_error"]
    assert row["checks"] == [("new", None)]
    text = "\n".join(row["paragraphs"])
    assert len(row["paragraphs"]) == row["paragraph_count"] == entry["paragraphs"]
    if "title" in entry:
        assert row["title"] == entry["title"]
    if "lang" in entry:
        assert row["lang"] == entry["lang"]
    if "lang_declared" in entry:
        assert row["lang_declared"] == entry["lang_declared"]
    if "canonical" in entry:
        expected = entry["canonical"]
        assert (row["canonical"] or None) == (expected and row["url"].split("/h/")[0] + expected)
    for needle in entry.get("contains", []):
        assert needle in text
    for needle in entry.get("absent", []):
        assert needle not in text and needle not in (row["title"] or "")
    if "min_chars" in entry:
        assert len(text) >= entry["min_chars"]
    if "max_title" in entry:
        assert len(row["title"]) <= entry["max_title"]
    if "fetched" in entry:
        assert hostile_crawl["hits"][page_path(entry)] == entry["fetched"]
    if "editions_in_article" in entry:
        same = [r for r in rows.values() if r["article_id"] == row["article_id"]]
        assert len(same) == entry["editions_in_article"]
    if "same_article_as" in entry:
        other = rows[page_path(BY_NAME[entry["same_article_as"]])]
        assert other["article_id"] == row["article_id"]


def _has_hidden_characters(text: str) -> bool:
    """Control characters (Cc) or invisible format characters (Cf: zero-width, bidi)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def test_nothing_stored_carries_script_or_control_characters(hostile_crawl) -> None:
    for path, row in stored(hostile_crawl["db"]).items():
        if row["current_snapshot_id"] is None:
            continue
        title = row["title"] or ""
        assert not _has_hidden_characters(title), path
        assert len(title) <= 501, path
        for paragraph in row["paragraphs"]:
            assert not _has_hidden_characters(paragraph), path
            assert "<script" not in paragraph.lower() and "INJECTED" not in paragraph, path


def test_the_normal_article_beside_them_is_intact(hostile_crawl) -> None:
    row = stored(hostile_crawl["db"])["/h/normal.html"]
    assert row["title"] == "Нова бібліотека в Києві"
    assert row["paragraphs"] == [
        "У Києві відкрили нову бібліотеку для дітей, де є понад дві тисячі книжок "
        "українською мовою.",
        "Мерія повідомила, що бібліотека працюватиме щодня з дев'ятої ранку до восьмої вечора.",
    ]
