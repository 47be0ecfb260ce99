"""Server faults, one edition at a time: the crawl finishes the rest and records the failure.

Every faulty article has three editions linked by hreflang; its uk and en editions are
healthy and its ru edition misbehaves (see FAULTS). All of them, plus healthy articles,
are crawled in ONE crawl in a subprocess (`python -m crawler.runner`) against a
FaultServer on 127.0.0.1, with a second server on 127.0.0.2 that must never be asked.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from faultserver import (
    STORY,
    Behaviour,
    FaultServer,
    big,
    dribble,
    gzip_bomb,
    gzip_bomb_body,
    hang,
    page,
    redirect,
    reset_mid_body,
    status,
    story_page,
    truncated,
)

REPO = Path(__file__).resolve().parents[1]
LANGS = ("uk", "en", "ru")
TIMEOUT = 2  # DOWNLOAD_TIMEOUT for these crawls, seconds
FAST = {
    "DOWNLOAD_TIMEOUT": TIMEOUT,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": "false",
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "LOG_LEVEL": "WARNING",
}
MAXSIZE = 10 * 1024 * 1024  # the project's DOWNLOAD_MAXSIZE, left as configured


@dataclass(frozen=True)
class Fault:
    name: str
    status: int | None  # editions.last_status / checks.status expected
    error: str  # a substring the recorded error must contain
    fetches: int  # how often the server sees the faulty URL (1 + retries, or 1)


FAULTS = [
    Fault("http500", 500, "HTTP 500", 3),
    Fault("http503", 503, "HTTP 503 (Retry-After: 120)", 3),
    Fault("reset", None, "connection closed or reset", 3),
    Fault("hang", None, "DOWNLOAD_TIMEOUT", 3),
    Fault("dribble", None, "DOWNLOAD_TIMEOUT", 3),
    Fault("truncated", None, "connection closed or reset", 3),
    Fault("redirect_loop", None, "redirect loop", 1),
    Fault("redirect_offsite", None, "redirected off the allowed domains to http://127.0.0.2", 1),
    Fault("huge_declared", None, "larger than DOWNLOAD_MAXSIZE", 1),
    Fault("huge_chunked", None, "larger than DOWNLOAD_MAXSIZE", 1),
    Fault("gzip_bomb", None, "exceeded DOWNLOAD_MAXSIZE", 1),
]
HEALTHY = ["healthy1", "healthy2", "slow_but_complete"]


def edition_path(article: str, lang: str) -> str:
    return f"/{article}/{lang}.html"


def fault_behaviour(name: str, server: FaultServer, other: FaultServer, body: bytes) -> Behaviour:
    """The ru edition's misbehaviour; body is the page it should have served."""
    if name == "redirect_loop":
        server.route("/redirect_loop/ru-b.html", redirect(edition_path(name, "ru")))
    return {
        "http500": lambda: status(500),
        "http503": lambda: status(503, {"Retry-After": "120"}),
        "reset": lambda: reset_mid_body(body, sent=len(body) // 3),
        "hang": hang,
        # ~1.3 KB at 16 bytes per 0.25 s: ~20 s, far past DOWNLOAD_TIMEOUT
        "dribble": lambda: dribble(body, chunk=16, delay=0.25),
        "truncated": lambda: truncated(body, declared=len(body) + 5000),
        "redirect_loop": lambda: redirect("/redirect_loop/ru-b.html"),
        "redirect_offsite": lambda: redirect(other.url("/elsewhere/ru.html")),
        "huge_declared": lambda: big(50 * 1024 * 1024),
        "huge_chunked": lambda: big(50 * 1024 * 1024, declare_length=False),
        "gzip_bomb": lambda: gzip_bomb(gzip_bomb_body(1 << 30)),  # inflates to 1 GiB
    }[name]()


def serve_story(server: FaultServer, article: str) -> dict[str, str]:
    """Route the three healthy editions of article; returns {lang: url}."""
    urls = {lang: server.url(edition_path(article, lang)) for lang in LANGS}
    for lang in LANGS:
        server.route(edition_path(article, lang), page(story_page(lang, article, urls)))
    return urls


def run_crawler(db: Path, urls: list[str], settings: dict) -> tuple[int, dict, str, int]:
    """(exit code, stats, stderr, peak RSS in MiB) of one crawl in a subprocess."""
    command = [sys.executable, "-m", "crawler.runner", "--db", str(db)]
    for key, value in settings.items():
        command += ["--set", f"{key}={value}"]
    for url in urls:
        command += ["--url", url]
    out, err = db.with_suffix(".out"), db.with_suffix(".err")
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(command, cwd=REPO, stdout=stdout, stderr=stderr)
        _, wait_status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
        process.returncode = os.waitstatus_to_exitcode(wait_status)
    lines = out.read_text().strip().splitlines()
    stats = json.loads(lines[-1]) if lines else {}
    return process.returncode, stats, err.read_text(), usage.ru_maxrss // 1024


def edition_rows(db: Path) -> dict[str, sqlite3.Row]:
    """{path: edition row with its article id and current snapshot's paragraph count}."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        "select e.*, s.paragraph_count, s.title from editions e "
        "left join snapshots s on s.id = e.current_snapshot_id"
    ).fetchall()
    conn.close()
    return {"/" + row["url"].split("/", 3)[3]: row for row in rows}


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("faults") / "archive.db"
    with FaultServer() as server, FaultServer("127.0.0.2") as other:
        entries = []
        for fault in FAULTS:
            urls = serve_story(server, fault.name)
            body = story_page("ru", fault.name, urls)
            server.route(
                edition_path(fault.name, "ru"), fault_behaviour(fault.name, server, other, body)
            )
            entries.append(urls["uk"])
        for article in HEALTHY:
            entries.append(serve_story(server, article)["uk"])
        # slow but inside the timeout: ~1.3 KB at 512 bytes per 0.2 s is well under 2 s
        slow_urls = {lang: server.url(edition_path("slow_but_complete", lang)) for lang in LANGS}
        slow_body = story_page("ru", "slow_but_complete", slow_urls)
        server.route(
            edition_path("slow_but_complete", "ru"), dribble(slow_body, chunk=512, delay=0.2)
        )
        code, stats, stderr, peak_mib = run_crawler(db, entries, FAST)
        yield {
            "db": db,
            "code": code,
            "stats": stats,
            "stderr": stderr,
            "peak_mib": peak_mib,
            "hits": dict(server.hits),
            "other_hits": dict(other.hits),
            "server": server,
            "entries": entries,
        }


def test_the_crawl_finishes_normally(fault_crawl) -> None:
    stats = fault_crawl["stats"]
    assert fault_crawl["code"] == 0, fault_crawl["stderr"][-3000:]
    assert stats["finish_reason"] == "finished"
    assert stats["failures"] == stats["failures_recorded"] == len(FAULTS)
    assert stats["store_errors"] == 0
    assert "Traceback" not in fault_crawl["stderr"]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_recorded_and_sibling_editions_stored(fault_crawl, fault: Fault) -> None:
    db = fault_crawl["db"]
    rows = edition_rows(db)
    failed = rows[edition_path(fault.name, "ru")]
    assert failed["current_snapshot_id"] is None
    assert failed["last_status"] == fault.status
    assert fault.error in (failed["last_error"] or "")
    checks = query(
        db, "select outcome, status, error from checks where edition_id = ?", (failed["id"],)
    )
    assert checks == [("error", fault.status, failed["last_error"])]
    for lang in ("uk", "en"):
        sibling = rows[edition_path(fault.name, lang)]
        assert sibling["article_id"] == failed["article_id"]
        assert sibling["last_status"] == 200 and sibling["last_error"] is None
        assert sibling["paragraph_count"] == len(STORY[lang][1]) + 1
        assert sibling["title"] == f"{STORY[lang][0]} ({fault.name})"
    assert fault_crawl["hits"][edition_path(fault.name, "ru")] == fault.fetches


@pytest.mark.parametrize("article", HEALTHY)
def test_healthy_articles_stored_whole(fault_crawl, article: str) -> None:
    rows = edition_rows(fault_crawl["db"])
    stored = [rows[edition_path(article, lang)] for lang in LANGS]
    assert [r["lang"] for r in stored] == list(LANGS)
    assert all(r["paragraph_count"] == 4 and r["last_error"] is None for r in stored)
    assert len({r["article_id"] for r in stored}) == 1


def test_offsite_redirect_never_followed(fault_crawl) -> None:
    assert fault_crawl["other_hits"] == {}
    assert not query(fault_crawl["db"], "select url from editions where url like '%127.0.0.2%'")


def test_memory_stays_bounded_against_huge_pages_and_gzip_bomb(fault_crawl) -> None:
    """A 50 MB page and a 1 GiB gzip bomb in the crawl: the crawler's peak stays far below
    either (DOWNLOAD_MAXSIZE is 10 MiB, so nothing bigger is ever held)."""
    assert fault_crawl["peak_mib"] < 300


def test_a_later_crawl_succeeds_when_the_server_recovers(fault_crawl, tmp_path) -> None:
    """The 503 edition is asked for again once the server answers; its old error clears."""
    db = tmp_path / "recovered.db"
    with sqlite3.connect(fault_crawl["db"]) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    server = fault_crawl["server"]
    urls = {lang: server.url(edition_path("http503", lang)) for lang in LANGS}
    server.route(edition_path("http503", "ru"), page(story_page("ru", "http503", urls)))
    code, stats, stderr, _ = run_crawler(db, [urls["uk"]], FAST)
    assert code == 0, stderr[-3000:]
    ru = edition_rows(db)[edition_path("http503", "ru")]
    assert ru["last_status"] == 200 and ru["last_error"] is None
    assert ru["paragraph_count"] == 4
    outcomes = query(db, "select outcome from checks where edition_id = ? order by id", (ru["id"],))
    assert outcomes == [("error",), ("new",)]


# ------------------------------------------------------------------------ robots.txt


ROBOTS_FAULTS = {
    # Scrapy parses whatever body a 5xx robots.txt has; an error page states no rules,
    # so everything is allowed (RFC 9309 would have us assume "disallow all" instead).
    "robots_500": status(500, body=b"<html><body>Internal error</body></html>"),
    # A robots.txt that never answers fails after retries; Scrapy then allows everything.
    "robots_timeout": hang(),
}


def test_robots_txt_unavailable_crawl_proceeds_per_scrapy_rules(tmp_path) -> None:
    """Both robots.txt faults, each on its own host, crawled at the same time."""
    servers = {name: FaultServer().start() for name in ROBOTS_FAULTS}
    try:
        running = {}
        for name, behaviour in ROBOTS_FAULTS.items():
            server = servers[name]
            server.route("/robots.txt", behaviour)
            entry = serve_story(server, name)["uk"]
            db = tmp_path / f"{name}.db"
            command = [sys.executable, "-m", "crawler.runner", "--db", str(db), "--url", entry]
            for key, value in FAST.items():
                command += ["--set", f"{key}={value}"]
            running[name] = (
                db,
                subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
            )
        results = {name: (db, *proc.communicate(timeout=120), proc.returncode)
                   for name, (db, proc) in running.items()}  # fmt: skip
    finally:
        for server in servers.values():
            server.stop()
    for name, (db, out, err, code) in results.items():
        assert code == 0, err.decode()[-3000:]
        stats = json.loads(out.decode().strip().splitlines()[-1])
        assert stats["finish_reason"] == "finished"
        assert servers[name].hits["/robots.txt"] >= 1  # it was asked, and failed
        assert stats["refused"] == 0 and stats["failures"] == 0
        rows = edition_rows(db)
        assert {rows[edition_path(name, lang)]["paragraph_count"] for lang in LANGS} == {4}
