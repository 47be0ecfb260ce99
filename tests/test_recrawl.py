"""Version tracking end to end: the schedule, conditional GETs, version divergences.

The sample outlets serve version 1, `triglot crawl` stores it; the server switches to
version 2 and the clock moves past next_check; a crawl with no sites fetches what is due,
and `triglot diff` reports exactly the planted figure edits.
"""

from __future__ import annotations

import http.server
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from triglot.sample_site.server import SampleSite, profiles_dir

OUTLETS = ("dnipro", "polissia", "karpaty")
T0 = "2026-03-01T12:00:00+00:00"


def triglot(db: Path, *args: str, now: str, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRIGLOT_NOW": now}
    done = subprocess.run(
        [sys.executable, "-m", "triglot.cli", *args, "--db", str(db), "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode in (0, 3), done.stderr[-3000:]
    return done


@pytest.fixture()
def fast_config(tmp_path) -> Path:
    path = tmp_path / "triglot.toml"
    path.write_text("[crawl]\ndownload_delay = 0\nautothrottle = false\n", encoding="utf-8")
    return path


def crawl_args(site: SampleSite, *sites: str) -> list[str]:
    args = ["crawl", "--profile-dir", str(profiles_dir())]
    for name in OUTLETS:
        args += ["--base-url", f"{name}={site.base_url}"]
    for name in sites:
        args += ["--site", name]
    return args


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def article_pages(site: SampleSite) -> int:
    return sum(1 for r in site.requests if "/news/" in r["path"] and "/rss/" not in r["path"])


def test_recrawl_schedule_and_version_divergences(tmp_path, fast_config, site):
    db = tmp_path / "archive.db"
    triglot(db, *crawl_args(site, *OUTLETS), now=T0, config=fast_config)
    triglot(db, "diff", now=T0, config=fast_config)
    snapshots_v1 = rows(db, "select count(*) from snapshots")[0][0]
    language_v1 = set(
        rows(
            db,
            "select raw_a, raw_b from divergences where scope = 'language' and resolved_at is null",
        )
    )
    assert rows(db, "select count(*) from articles where next_check is null") == [(0,)]

    site.version = 2
    # five minutes later nothing is due: no article page is requested
    before = article_pages(site)
    triglot(db, *crawl_args(site), now="2026-03-01T12:05:00+00:00", config=fast_config)
    assert article_pages(site) == before
    # twenty minutes later everything is due (15 min for a young article)
    triglot(db, *crawl_args(site), now="2026-03-01T12:20:00+00:00", config=fast_config)
    assert article_pages(site) > before
    diff = triglot(db, "diff", now="2026-03-01T12:20:00+00:00", config=fast_config)
    assert "new version divergences" in diff.stdout

    # four pages changed their body; boilerplate-only changes added nothing
    assert rows(db, "select count(*) from snapshots")[0][0] == snapshots_v1 + 4
    outcomes = dict(rows(db, "select outcome, count(*) from checks group by outcome"))
    assert outcomes.get("not_modified", 0) > 0  # unchanged pages answered 304
    assert outcomes["unchanged"] >= 3  # the boilerplate-only v2 pages

    found = set(
        rows(
            db,
            """
        select e.url, d.kind, d.value_a, d.value_b from divergences d
        join snapshots s on s.id = d.snapshot_b join editions e on e.id = s.edition_id
        where d.scope = 'version'""",
        )
    )
    by_kind = {(kind, a, b) for _url, kind, a, b in found}
    assert by_kind == {
        ("changed", 7.0, 9.0),
        ("changed", 4.0, 5.0),
        ("added", None, 85.0),
        ("added", None, 120.0),
        ("changed", 48.0, 38.0),
    }
    assert len(found) == 13  # 4 in each dnipro-drones edition, 1 in polissia-amber en
    assert {url for url, *_ in found if "polissia" in url} == {
        url
        for (url,) in rows(
            db,
            "select url from editions where url like '%/polissia/en/%"
            "' and id in (select edition_id from snapshots "
            "group by edition_id having count(*) = 2)",
        )
    }
    # the en correction resolved the cross-language divergence 38% vs 48%
    language_v2 = set(
        rows(
            db,
            "select raw_a, raw_b from divergences where scope = 'language' and resolved_at is null",
        )
    )
    resolved = language_v1 - language_v2
    assert any("48" in (a or "") + (b or "") for a, b in resolved)
    # every version keeps its figures, so a figure's history covers all versions
    no_figures = rows(
        db,
        "select count(*) from snapshots s where not exists (select 1 "
        "from paragraphs p join figures f on f.paragraph_id = p.id "
        "where p.snapshot_id = s.id)",
    )
    assert no_figures == [(0,)]
    # a re-run of the diff stage is idempotent: no new divergences
    again = triglot(db, "diff", "--all", now="2026-03-01T12:21:00+00:00", config=fast_config)
    assert "0 new language divergences, 0 new version divergences" in again.stdout

    # forty days later every article is past its 30-day horizon: nothing is fetched
    before = article_pages(site)
    triglot(db, *crawl_args(site), now="2026-04-10T12:00:00+00:00", config=fast_config)
    assert article_pages(site) == before


class _LateEditionSite(http.server.ThreadingHTTPServer):
    """Two pages at first; the ru edition appears a day later."""

    ru_published = False


PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
{alternates}</head><body><article><h1>{title}</h1>{body}</article></body></html>"""
TEXT = {
    "uk": (
        "Обстріл Херсона",
        [
            "У суботу російські війська обстріляли Херсон, поранено 5 людей.",
            "Пошкоджено 12 будинків і лікарню.",
        ],
    ),
    "en": (
        "Shelling of Kherson",
        [
            "Russian forces shelled Kherson on Saturday, injuring 5 people.",
            "Twelve houses and a hospital were damaged.",
        ],
    ),
    "ru": (
        "Обстрел Херсона",
        [
            "В субботу российские войска обстреляли Херсон, ранены 5 человек.",
            "Повреждены 12 домов и больница.",
        ],
    ),
}


def _page(lang: str, langs: list[str]) -> bytes:
    title, paragraphs = TEXT[lang]
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{x}" href="/{x}/story.html">' for x in langs
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return PAGE.format(lang=lang, title=title, alternates=alternates, body=body).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        langs = ["uk", "en", "ru"] if self.server.ru_published else ["uk", "en"]
        lang = self.path.strip("/").split("/")[0]
        if self.path == "/robots.txt" or lang not in langs:
            self.send_response(404)
            self.end_headers()
            return
        data = _page(lang, langs)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_a_late_edition_joins_its_article(tmp_path, fast_config):
    server = _LateEditionSite(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    db = tmp_path / "archive.db"
    try:
        triglot(db, "crawl", "--url", f"{base}/uk/story.html", now=T0, config=fast_config)
        assert rows(
            db, "select lang from editions where current_snapshot_id is not null order by lang"
        ) == [("en",), ("uk",)]
        server.ru_published = True
        # a day later the article is due again; its uk page now names the ru edition
        triglot(db, "crawl", now="2026-03-02T12:00:00+00:00", config=fast_config)
    finally:
        server.shutdown()
    assert rows(db, "select count(*) from articles") == [(1,)]
    assert rows(
        db, "select lang from editions where current_snapshot_id is not null order by lang"
    ) == [("en",), ("ru",), ("uk",)]
