"""The benchmarks run, at their smallest size, and measure what they claim to measure.

Correctness only: no timing is asserted (speed is what the benchmarks report, not what
tests check). Each benchmark's ``run("smoke")`` starts its real servers and crawls.
"""

from __future__ import annotations

import sqlite3
import sys
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest

import archive

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks import (  # noqa: E402
    bench_aeb,
    bench_archive_size,
    bench_crawl,
    bench_datasette,
    bench_diff,
    bench_extract,
    bench_fleet,
    bench_memory,
    bench_recrawl,
    bench_storage,
    common,
)
from benchmarks.corpus import format_count, format_money  # noqa: E402
from benchmarks.generate import (  # noqa: E402
    PAGE_MAX_BYTES,
    PAGE_MIN_BYTES,
    BenchSite,
    cached_archive,
    generate_archive,
    parse_edition_path,
)
from benchmarks.siteserver import SiteServer  # noqa: E402


@pytest.mark.parametrize(
    ("found", "gold", "expected"),
    [
        (["a b", "c"], ["a  b", "c"], (2, 2, 2)),  # whitespace does not matter
        (["a", "x"], ["a", "b", "c"], (1, 2, 3)),
        ([], ["a"], (0, 0, 1)),
        (["a", "a"], ["a"], (1, 2, 1)),  # a duplicate counts once against the gold
    ],
)
def test_paragraph_score(found, gold, expected):
    assert bench_extract.score(found, gold) == expected


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 50, 0.0), ([3.0], 95, 3.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.5), ([1.0, 2.0], 100, 2.0)],
)
def test_percentile(values, q, expected):
    assert common.percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [(12500, "uk", "12 500"), (12500, "en", "12,500"), (999, "ru", "999")],
)
def test_each_edition_writes_numbers_its_own_way(value, lang, text):
    assert format_count(value, lang) == text


@pytest.mark.parametrize(
    ("tenths", "lang", "text"),
    [(15, "uk", "1,5 млн гривень"), (15, "en", "UAH 1.5 million"), (230, "ru", "23,0 млн гривен")],
)
def test_money(tenths, lang, text):
    assert format_money(tenths, lang) == text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/bench/uk/news/7/story-7.html", (7, "uk")),
        ("/bench/ru/news/12/story-12.html", (12, "ru")),
        ("/bench/en/news/7/story-8.html", None),  # id and slug disagree
        ("/bench/de/news/7/story-7.html", None),
    ],
)
def test_edition_paths(path, expected):
    assert parse_edition_path(path) == expected


def test_generated_pages_are_realistic_and_parallel():
    site = BenchSite(6)
    for article_id in site.article_ids():
        counts = set()
        for lang in ("uk", "en", "ru"):
            page = site.page(article_id, lang)
            assert PAGE_MIN_BYTES * 0.95 <= len(page) <= PAGE_MAX_BYTES * 1.05
            assert b'hreflang="' in page
            _, paragraphs = site.gold(article_id, lang)
            assert 10 <= len(paragraphs) <= 40
            counts.add(len(paragraphs))
        assert len(counts) == 1  # the three editions are paragraph-parallel


def test_server_answers_pages_304_and_404():
    site = BenchSite(2)
    with SiteServer(site) as server:
        url = site.url(1, "en")
        with urllib.request.urlopen(url) as response:
            etag = response.headers["ETag"]
            assert response.status == 200 and len(response.read()) >= PAGE_MIN_BYTES * 0.95
        conditional = urllib.request.Request(url, headers={"If-None-Match": etag})
        with pytest.raises(HTTPError) as not_modified:
            urllib.request.urlopen(conditional)
        assert not_modified.value.code == 304
        with pytest.raises(HTTPError) as missing:
            urllib.request.urlopen(site.url(3, "en"))
        assert missing.value.code == 404
        assert server.counts["pages"] == 1 and server.counts["304"] == 1


def test_generated_archive_is_consistent(tmp_path):
    path = tmp_path / "a.db"
    counts = generate_archive(path, 40, chunk=15)
    conn = sqlite3.connect(path)
    one = conn.execute
    assert counts.articles == one("select count(*) from articles").fetchone()[0] == 40
    assert one("select count(*) from editions").fetchone()[0] == 120
    assert one("select count(*) from paragraphs").fetchone()[0] == counts.paragraphs
    # the full-text index holds every paragraph (integrity-check raises when it does not)
    one("insert into paragraphs_fts(paragraphs_fts) values ('integrity-check')")
    assert (
        one(
            "select count(*) from paragraphs_fts where paragraphs_fts match 'депутатів OR "
            "deputies OR депутатов OR the'"
        ).fetchone()[0]
        > 0
    )
    assert (
        one(  # every current snapshot exists and belongs to its edition
            "select count(*) from editions e join snapshots s on s.id = e.current_snapshot_id "
            "and s.edition_id = e.id"
        ).fetchone()[0]
        == 120
    )
    assert (
        one(  # alignments point at paragraphs of the current snapshots
            "select count(*) from alignments al join paragraphs p on p.id = al.paragraph_id "
            "join editions e on e.current_snapshot_id = p.snapshot_id and e.lang = al.lang"
        ).fetchone()[0]
        == counts.alignments
    )
    assert one("pragma journal_mode").fetchone()[0] == "wal"
    triggers = one("select count(*) from sqlite_master where type = 'trigger'").fetchone()[0]
    assert triggers >= 3  # the FTS triggers are back for the archive's own writes


def test_crawl_benchmark():
    result = bench_crawl.run("smoke")
    pages = 3 * result["articles"]
    assert result["triglot"]["pages"] == pages
    assert result["bare"]["pages"] == pages
    assert result["rows"]["snapshots"] == pages
    assert result["exact_extractions"] == result["stage_pages"]
    assert set(result["stage_ms_per_page"]) >= {"download", "extraction", "language", "store"}
    assert any("idx_editions_canonical" in line for line in result["store_scaling"]["plan_after"])
    best = result["warc"]["best"]
    assert best["on"]["warc_records"] == pages and best["off"]["warc_records"] == 0
    assert result["warc"]["bytes_per_capture"] > 0


def test_aeb_benchmark_skips_without_the_benchmark(tmp_path, capsys):
    result = bench_aeb.run("smoke", folder=tmp_path / "no-aeb")
    assert "AEB skipped" in result["skipped"] and str(tmp_path / "no-aeb") in result["skipped"]
    assert "AEB skipped" in capsys.readouterr().out


def test_aeb_pages_are_read_and_extracted(tmp_path):
    """The benchmark's page loading (gzip, charset) and timing, on a page of our own."""
    import gzip
    import json

    page = (Path(__file__).parent / "extract_pages" / "regional_news.html").read_text()
    legacy = page.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251", "replace")
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(legacy))
    truth = {"p1": {"articleBody": "x", "url": "https://example.org/news/1"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    [loaded] = bench_aeb.load_pages(tmp_path)
    assert loaded["id"] == "p1" and "Вишнівці" in loaded["html"]
    measured = bench_aeb.measure([loaded], {"ours": bench_aeb.ours}, repeats=1)
    output, ms = measured["ours"]
    assert output["p1"].startswith("Після двох років будівництва") and ms > 0
    assert "Що далі" in output["p1"]  # headings are part of the text the benchmark scores


def test_extract_benchmark():
    result = bench_extract.run("smoke")
    for corpus in ("sample outlets", "generated 80-200 KB pages"):
        measured = result[corpus]
        assert set(measured) == {
            "Triglot, site profile",
            "Triglot, generic (no profile)",
            "trafilatura 2 (baseline)",
        }
        for m in measured.values():
            assert m["pages"] > 0 and 0.0 <= m["f1"] <= 1.0 and m["mean_ms"] > 0
    assert result["sample outlets"]["Triglot, site profile"]["pages"] >= 20


def test_diff_benchmark():
    result = bench_diff.run("smoke")
    assert result["diff_errors"] == 0
    assert result["rows"]["alignments"] > 0 and result["rows"]["figures"] > 0
    assert result["analyse_editions"]["n"] == bench_diff.SIZES["smoke"]["analyse_articles"]
    assert result["diff_pool_same_rows"] is True
    assert set(result["stage_cpu_ms"]) == {
        "figure extraction",
        "paragraph signals",
        "alignment",
        "comparison",
    }


def test_recrawl_benchmark():
    result = bench_recrawl.run("smoke")
    editions = result["rows_first"]["editions"]
    for recrawl in ("rows_recrawl", "rows_recrawl_every_edition"):
        written = {t: n for t, n in result[recrawl].items() if n}
        assert set(written) <= {"checks"}
    assert result["rows_recrawl_every_edition"]["checks"] == editions


def test_storage_benchmark():
    result = bench_storage.run("smoke")
    assert result["snapshots"] == 3 * result["articles"]
    assert result["bytes_per_version"] > 0
    assert all(g["snapshots"] == 0 and g["checks"] > 0 for g in result["growth"])
    assert result["warc_bytes_per_version"] > 0 and result["warc_growth_bytes"] == 0
    assert result["bytes_without_warc"] > 0


def test_datasette_benchmark():
    result = bench_datasette.run("smoke")
    for size in ("small", "large"):
        pages = {k: v for k, v in result[size].items() if not k.startswith("_")}
        assert len(pages) == 6
        for name, measured in pages.items():
            assert measured["statuses"] == {200: bench_datasette.SIZES["smoke"]["repeats"]}, name
    assert all(m["slowest_sql"] for k, m in result["large"].items() if not k.startswith("_"))


def test_archive_size_benchmark():
    result = bench_archive_size.run("smoke")
    for n in bench_archive_size.SIZES["smoke"]:
        measured = result[str(n)]
        assert measured["rows"]["articles"] == n
        assert measured["bytes"] > measured["text_bytes"] > 0
        assert measured["tables"]["paragraphs"] > 0


def test_cached_archive_is_generated_once_and_migrated_when_reused(tmp_path):
    path, counts = cached_archive(tmp_path, 5)
    assert counts is not None and counts.articles == 5
    assert not list(tmp_path.glob("*.partial"))
    conn = sqlite3.connect(path)
    # as if generated before migration 3: its tables and triggers gone, the version before
    for (name,) in conn.execute(
        "select name from sqlite_master where type = 'trigger' and tbl_name != 'paragraphs'"
    ).fetchall():
        conn.execute(f"drop trigger {name}")
    conn.execute("drop table table_counts")
    conn.execute("drop table divergence_weeks")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    again, counts = cached_archive(tmp_path, 5)
    assert again == path and counts is None
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == archive.SCHEMA_VERSION
    assert conn.execute("select rows from table_counts where name = 'articles'").fetchone() == (5,)
    conn.close()


def test_memory_benchmark():
    result = bench_memory.run("smoke")
    for size in ("small", "large"):
        assert result[size]["pages"] == 3 * result[size]["articles"]
        assert result[size]["peak_rss_kb"] > 10_000  # a Python + Scrapy process, in KB
        diff = result["diff"][size]
        assert diff["articles"] == bench_memory.DIFF_SIZES["smoke"][size]
        assert diff["peak_rss_kb"] > 10_000 and diff["output"]  # triglot diff's summary line


def test_fleet_benchmark():
    result = bench_fleet.run("smoke")
    crawl = result["crawl"]
    assert {k: crawl[k]["pages"] for k in crawl} == {"single": 30, "workers_1": 30, "workers_2": 30}
    assert sum(crawl["workers_2"]["per_worker"]) == 30  # (30 pages: one worker may take all)
    assert result["writer"]["stored"] == result["writer"]["items"] == 60
    assert 100 < result["redis_memory"]["bytes_per_request_usage"] < 5000
    assert 20 < result["redis_memory"]["bytes_per_fingerprint_usage"] < 500
