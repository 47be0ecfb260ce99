"""End-to-end crawls: Scrapy in a subprocess against the sample outlets on loopback, into a
real SQLite archive, read back with sqlite_utils. One process per crawl (Twisted's reactor
cannot restart)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from triglot.sample_site import SampleSite, expected, profiles_dir

REPO = Path(__file__).resolve().parents[1]
OUTLETS = ("dnipro", "polissia", "karpaty")
FAST = ["--set", "AUTOTHROTTLE_START_DELAY=0", "--set", "DOWNLOAD_DELAY=0"]
FAST += ["--set", "LOG_LEVEL=WARNING"]


def crawl(
    site: SampleSite,
    db: Path,
    *,
    sites: tuple[str, ...] = (),
    urls: tuple[str, ...] = (),
    with_profiles: bool = True,
    settings: tuple[str, ...] = (),
) -> dict:
    command = [sys.executable, "-m", "crawler.runner", "--db", str(db), *FAST]
    for setting in settings:
        command += ["--set", setting]
    if with_profiles:
        command += ["--profile-dir", str(profiles_dir())]
        for name in OUTLETS:
            command += ["--base-url", f"{name}={site.base_url}"]
    for name in sites:
        command += ["--site", name]
    for url in urls:
        command += ["--url", url]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def editions(db_path: Path) -> dict[str, dict]:
    """{url path: edition row + its article key + current snapshot} from the archive."""
    db = sqlite_utils.Database(db_path)
    rows = db.query(
        "select e.*, a.key as article_key, a.site as site, s.title, s.lang_declared, "
        "s.lang_detected, s.lang_confidence, s.extraction, s.published, s.modified "
        "from editions e join articles a on a.id = e.article_id "
        "left join snapshots s on s.id = e.current_snapshot_id"
    )
    return {"/" + row["url"].split("/", 3)[3]: row for row in rows}


def paragraphs(db_path: Path, edition_id: int) -> list[str]:
    db = sqlite_utils.Database(db_path)
    return [
        row["text"]
        for row in db.query(
            "select p.text from paragraphs p join editions e on e.current_snapshot_id = "
            "p.snapshot_id where e.id = ? order by p.idx",
            [edition_id],
        )
    ]


def snapshot_count(db_path: Path) -> int:
    return sqlite_utils.Database(db_path).execute("select count(*) from snapshots").fetchone()[0]


@pytest.fixture(scope="module")
def full_crawl(tmp_path_factory):
    """All three outlets crawled from their feeds and section pages, then crawled again."""
    db = tmp_path_factory.mktemp("crawl") / "archive.db"
    with SampleSite(port=0) as site:
        first = crawl(site, db, sites=OUTLETS)
        after_first = snapshot_count(db)
        second = crawl(site, db, sites=OUTLETS)
        requested = [r["path"] for r in site.requests]
        yield {
            "db": db,
            "site": site,
            "first": first,
            "second": second,
            "after_first": after_first,
            "requested": requested,
        }


LIVE_EDITIONS = [
    (name, lang, path)
    for name, article in expected()["articles"].items()
    for lang, path in article["editions"].items()
    if lang in article["live"]
]


@pytest.mark.parametrize(("article", "lang", "path"), LIVE_EDITIONS)
def test_every_live_edition_stored_with_gold_text_and_page_language(
    full_crawl, article: str, lang: str, path: str
) -> None:
    found = editions(full_crawl["db"])
    assert path in found, f"{article}/{lang} not crawled"
    row = found[path]
    gold = expected()["pages"][path]
    assert row["lang"] == lang  # from the page: /dnipro/rus/ is uk, /dnipro/ukr/ is ru
    assert row["title"] == gold["title"]
    assert row["published"] == gold["published"]
    assert paragraphs(full_crawl["db"], row["id"]) == gold["paragraphs"]
    assert row["extraction"] == "profile"


@pytest.mark.parametrize("article", sorted(expected()["articles"]))
def test_editions_of_one_article_are_grouped(full_crawl, article: str) -> None:
    found = editions(full_crawl["db"])
    paths = expected()["articles"][article]["editions"].values()
    article_ids = {found[p]["article_id"] for p in paths if p in found}
    assert len(article_ids) == 1


def test_rbc_style_swapped_paths_take_language_from_the_page(full_crawl) -> None:
    found = editions(full_crawl["db"])
    dnipro = {p: r for p, r in found.items() if p.startswith("/dnipro/") and r["title"]}
    assert {r["lang"] for p, r in dnipro.items() if "/rus/" in p} == {"uk"}
    assert {r["lang"] for p, r in dnipro.items() if "/ukr/" in p} == {"ru"}


def test_off_domain_alternate_never_requested(full_crawl) -> None:
    (off_domain,) = expected()["hard_cases"]["off_domain_alternate"]
    found = editions(full_crawl["db"])
    db = sqlite_utils.Database(full_crawl["db"])
    assert not list(db.query("select url from editions where url like '%127.0.0.2%'"))
    assert off_domain.split("/", 3)[3] not in " ".join(full_crawl["requested"])
    assert full_crawl["first"]["offsite_alternates"] >= 1
    assert all("127.0.0.2" not in row["url"] for row in found.values())


def test_robots_txt_disallow_respected(full_crawl) -> None:
    (disallowed,) = expected()["hard_cases"]["robots_disallowed"]
    assert "/robots.txt" in full_crawl["requested"]
    assert not [p for p in full_crawl["requested"] if p.startswith("/karpaty/private/")]
    assert disallowed not in editions(full_crawl["db"])
    assert full_crawl["first"]["refused"] >= 1


def test_missing_edition_recorded_and_others_stored(full_crawl) -> None:
    (missing,) = expected()["hard_cases"]["missing_edition_404"]
    found = editions(full_crawl["db"])
    row = found[missing]
    assert row["last_status"] == 404
    assert row["current_snapshot_id"] is None
    siblings = [r for r in found.values() if r["article_id"] == row["article_id"] and r is not row]
    assert len(siblings) == 2 and all(r["current_snapshot_id"] for r in siblings)
    assert full_crawl["first"]["failures"] == 1


def test_language_mismatch_stored_as_is(full_crawl) -> None:
    (path,) = expected()["hard_cases"]["language_mismatch"]
    row = editions(full_crawl["db"])[path]
    assert (row["lang"], row["lang_declared"], row["lang_detected"]) == ("en", "en", "uk")
    assert row["lang_confidence"] > 0.8
    assert full_crawl["first"]["lang_mismatch"] == 1


def test_windows_1251_page_decoded(full_crawl) -> None:
    (path,) = expected()["hard_cases"]["legacy_charset"]
    row = editions(full_crawl["db"])[path]
    assert paragraphs(full_crawl["db"], row["id"]) == expected()["pages"][path]["paragraphs"]
    assert row["lang_detected"] == "uk"


def test_second_crawl_adds_no_snapshots(full_crawl) -> None:
    first, second = full_crawl["first"], full_crawl["second"]
    assert first["new_snapshots"] == first["editions_stored"] > 0
    # conditional GETs: the unchanged pages answer 304 and are recorded as checks
    assert second["not_modified"] == first["editions_stored"]
    assert second["editions_stored"] == 0
    assert second["new_snapshots"] == 0
    assert snapshot_count(full_crawl["db"]) == full_crawl["after_first"]
    with sqlite3.connect(full_crawl["db"]) as conn:
        outcomes = dict(conn.execute("select outcome, count(*) from checks group by outcome"))
    assert outcomes["not_modified"] == first["editions_stored"]


def test_changed_pages_get_a_new_snapshot_boilerplate_changes_do_not(tmp_path, site) -> None:
    db = tmp_path / "archive.db"
    hard = expected()["hard_cases"]
    crawl(site, db, sites=OUTLETS)
    before = {p: r["current_snapshot_id"] for p, r in editions(db).items()}
    site.version = 2
    stats = crawl(site, db, sites=OUTLETS)
    after = editions(db)
    changed = {p for p, r in after.items() if r["current_snapshot_id"] != before.get(p)}
    assert changed == set(hard["v2_body_changed"])
    assert stats["new_snapshots"] == len(hard["v2_body_changed"])
    for path in hard["v2_boilerplate_only"]:
        assert after[path]["current_snapshot_id"] == before[path]


DISCOVERY = [
    ("dnipro", "dnipro-drones", "hreflang"),
    ("polissia", "polissia-amber", "switcher"),
    ("karpaty", "karpaty-flood", "url transform"),
]


@pytest.mark.parametrize(("outlet", "article", "how"), DISCOVERY, ids=[d[2] for d in DISCOVERY])
def test_url_crawl_discovers_all_editions(
    tmp_path, outlet: str, article: str, how: str, site
) -> None:
    """--url on one edition finds the other two, each way the outlets link them."""
    db = tmp_path / "archive.db"
    gold = expected()["articles"][article]
    stats = crawl(site, db, urls=(site.url(gold["editions"]["uk"]),))
    requested = [r["path"] for r in site.requests]
    found = editions(db)
    assert {found[p]["lang"] for p in gold["editions"].values()} == {"uk", "ru", "en"}
    assert len({found[p]["article_id"] for p in gold["editions"].values()}) == 1
    assert {r["site"] for r in found.values()} == {outlet}
    assert stats["editions_stored"] == 3
    assert not [p for p in requested if p.startswith(f"/{outlet}/rss")]  # no feed crawl


def test_url_crawl_of_unknown_site_uses_generic_extractor(tmp_path, site) -> None:
    """No profile at all: site "generic", the host as the only allowed domain."""
    db = tmp_path / "archive.db"
    gold = expected()["articles"]["dnipro-drones"]
    stats = crawl(site, db, urls=(site.url(gold["editions"]["en"]),), with_profiles=False)
    found = editions(db)
    assert stats["editions_stored"] == 3
    for lang, path in gold["editions"].items():
        row = found[path]
        assert (row["site"], row["lang"]) == ("generic", lang)
        assert row["extraction"] in ("trafilatura", "generic")  # compared, no profile
        assert paragraphs(db, row["id"]) == expected()["pages"][path]["paragraphs"]
    assert len({r["article_id"] for r in found.values()}) == 1


def test_scrapy_crawl_command_from_repo_root(tmp_path, site) -> None:
    db = tmp_path / "archive.db"
    done = subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", "editions",
            "-a", "site=polissia", "-a", f"profile_dir={profiles_dir()}",
            "-a", f"base_url=polissia={site.base_url}",
            "-s", f"TRIGLOT_DB={db}", "-s", "AUTOTHROTTLE_START_DELAY=0",
            "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
        ],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    polissia = [p for p in expected()["pages"] if p.startswith("/polissia/")]
    assert set(polissia) <= set(editions(db))


# ---------------------------------------------------------------------- page-reading workers


def stored_content(db_path: Path) -> list[tuple]:
    """Everything a crawl stores about each edition's reading, in a comparable form."""
    found = editions(db_path)
    return sorted(
        (
            path,
            row["lang"],
            row["lang_detected"],
            row["lang_confidence"],
            row["title"],
            row["extraction"],
            row["published"],
            tuple(paragraphs(db_path, row["id"])),
        )
        for path, row in found.items()
        if row["current_snapshot_id"]
    )


def test_workers_store_exactly_what_reading_in_place_stores(tmp_path, site) -> None:
    in_place = crawl(
        site, tmp_path / "a.db", sites=OUTLETS, settings=("TRIGLOT_EXTRACT_WORKERS=0",)
    )
    pooled = crawl(site, tmp_path / "b.db", sites=OUTLETS, settings=("TRIGLOT_EXTRACT_WORKERS=2",))
    assert in_place["editions_stored"] == pooled["editions_stored"] > 20
    assert stored_content(tmp_path / "a.db") == stored_content(tmp_path / "b.db")


def sample_pages() -> list[tuple[str, str]]:
    from triglot.sample_site import pages_dir

    root = pages_dir()
    return [
        ("http://127.0.0.1/" + str(path.relative_to(root)), path.read_text("utf-8", "replace"))
        for path in sorted(root.rglob("*.html"))
    ]


def read_all(reader, pages: list[tuple[str, str]]) -> list:
    import asyncio

    async def run() -> list:
        return await asyncio.gather(*(reader.read(html, url, None) for url, html in pages))

    return asyncio.run(run())


def process_state(pid: int) -> str | None:
    """The process's state letter (R, S, Z…), or None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next(line.split()[1] for line in status.splitlines() if line.startswith("State:"))


def alive(pid: int) -> bool:
    return process_state(pid) not in (None, "Z", "X")


def test_page_reader_in_workers_reads_as_in_place_and_survives_a_killed_worker() -> None:
    import os
    import signal

    from crawler.reading import PageReader

    pages = sample_pages()
    expected_readings = read_all(PageReader(0), pages)
    reader = PageReader(2)
    try:
        assert read_all(reader, pages) == expected_readings
        victims = list(reader._pool._processes)
        os.kill(victims[0], signal.SIGKILL)
        assert read_all(reader, pages[:6]) == expected_readings[:6]  # retried in a new pool
        assert reader.restarts == 1
        workers = list(reader._pool._processes)
    finally:
        reader.close()
    assert workers and not any(alive(pid) for pid in workers)


def test_workers_do_not_outlive_a_killed_crawl() -> None:
    import time

    script = (
        "import os, signal, sys\n"
        "from crawler.reading import PageReader\n"
        "reader = PageReader(2)\n"
        "print(' '.join(str(p) for p in reader._pool._processes), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    workers = [int(p) for p in done.stdout.split()]
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)
