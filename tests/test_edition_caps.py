"""Edition caps: one edition per configured language, alternates complete the set and
never chain, and what is refused is recorded on the article.

Real crawls (subprocess) against a loopback server whose pages are all valid articles,
so anything followed would be fetched and stored: the server's request log and the
archive say what was.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from faultserver import FaultServer, page, story_page

from crawler.discovery import EditionLink, plan_editions
from crawler.extract import normalise_lang
from crawler.profiles import KNOWN_LANGUAGES, generic_profile

REPO = Path(__file__).resolve().parents[1]
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]
FAST += ["--set", "LOG_LEVEL=WARNING", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
LANGS = ("uk", "en", "ru")


def _crawl(db: Path, url: str) -> dict:
    command = [sys.executable, "-m", "crawler.runner", "--db", str(db), *FAST, "--url", url]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _archive(db: Path) -> tuple[int, int, list[str]]:
    conn = sqlite3.connect(db)
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    editions = conn.execute("select count(*) from editions").fetchone()[0]
    errors = [r[0] for r in conn.execute("select error from checks where outcome = 'error'")]
    conn.close()
    return articles, editions, errors


def _pages(hits) -> int:
    return sum(n for path, n in hits.items() if path != "/robots.txt")


def test_a_chain_of_200_editions_stops_at_one_per_language(tmp_path):
    with FaultServer() as server:

        def chain(i: int) -> bytes:  # page i names page i+1 as "the other edition"
            nxt = {LANGS[(i + 1) % 3]: server.url(f"/chain/{i + 1}.html")} if i < 200 else {}
            return story_page(LANGS[i % 3], f"chain {i}", nxt)

        for i in range(201):
            server.route(f"/chain/{i}.html", page(chain(i)))
        stats = _crawl(tmp_path / "chain.db", server.url("/chain/0.html"))
        hits = dict(server.hits)
    assert _pages(hits) == 3, hits  # the entry, its edition, the one that completes the set
    articles, editions, _errors = _archive(tmp_path / "chain.db")
    assert (articles, editions) == (1, 3)
    assert stats["editions_stored"] == 3


def test_a_same_language_chain_is_refused_and_recorded(tmp_path):
    with FaultServer() as server:
        for i in range(201):  # uk entry, then en pages that each name another "en" edition
            nxt = {"en": server.url(f"/en/{i + 1}.html")} if i < 200 else {}
            lang = "uk" if i == 0 else "en"
            server.route(f"/en/{i}.html", page(story_page(lang, f"same {i}", nxt)))
        _crawl(tmp_path / "same.db", server.url("/en/0.html"))
        hits = dict(server.hits)
    assert _pages(hits) == 2, hits
    articles, editions, errors = _archive(tmp_path / "same.db")
    assert (articles, editions) == (1, 2)
    assert len(errors) == 1 and errors[0].startswith("edition cap: 1 more edition link")


def test_400_hreflang_links_give_one_edition_per_language(tmp_path):
    codes = ["en", "ru", "de", "pl", "fr", "en-GB", "ru-UA", "it"]
    with FaultServer() as server:
        alternates = {}
        links = []
        for i in range(400):
            lang = codes[i % len(codes)]
            url = server.url(f"/many/{i}.html")
            links.append((lang, url))
            server.route(
                f"/many/{i}.html", page(story_page("en" if "en" in lang else "ru", f"m{i}", {}))
            )
        head = "".join(f'<link rel="alternate" hreflang="{c}" href="{u}">' for c, u in links)
        entry = story_page("uk", "many", alternates).replace(b"</head>", head.encode() + b"</head>")
        server.route("/entry.html", page(entry))
        stats = _crawl(tmp_path / "many.db", server.url("/entry.html"))
        hits = dict(server.hits)
    # one edition per configured language (a generic site's: the profile default, from the
    # registry), the first link of each
    configured = generic_profile(server.url("/")).languages
    first_of = {}
    for i, (code, _url) in enumerate(links):
        lang = normalise_lang(code)
        if lang in configured and lang in KNOWN_LANGUAGES and lang != "uk":
            first_of.setdefault(lang, i)
    assert {"en", "ru"} <= set(first_of)
    assert _pages(hits) == 1 + len(first_of), hits
    assert all(hits[f"/many/{i}.html"] == 1 for i in first_of.values())
    articles, editions, errors = _archive(tmp_path / "many.db")
    assert (articles, editions) == (1, 1 + len(first_of))
    refused = 400 - len(first_of)
    assert len(errors) == 1 and errors[0].startswith(f"edition cap: {refused} more edition link")
    assert stats["failures"] == 0  # recorded on the article, not a failed fetch to retry


def test_plan_rules():
    def link(url, lang, via="hreflang"):
        return EditionLink(url, lang, via)

    entry = plan_editions(
        [link("/en", "en"), link("/en2", "en"), link("/x", None, "switcher"), link("/ru", "ru")],
        own_lang="uk",
        languages=LANGS,
    )
    assert [lk.url for lk in entry.follow] == ["/en", "/x"]  # two slots: en, then the unlabeled
    assert [lk.url for lk in entry.overflow] == ["/en2", "/ru"]
    sibling = plan_editions(
        [
            link("/uk", "uk"),
            link("/ru", "ru"),
            link("/ru-other", "ru"),
            link("/t", None, "transform"),
        ],
        own_lang="en",
        languages=LANGS,
        planned={"en": "/en"},
    )
    assert [lk.url for lk in sibling.follow] == ["/uk", "/ru"]
    assert [lk.url for lk in sibling.overflow] == ["/ru-other"]
