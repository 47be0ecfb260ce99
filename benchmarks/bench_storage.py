"""Storage: bytes per article-edition-version, and growth over ten re-crawls of an unchanged site.

After the first crawl the archive's size (WAL checkpointed) divided by its snapshots is the
cost of one stored version, shown next to the text it holds (the baseline: the UTF-8 bytes
of its title and paragraphs). Then ten re-crawls of the unchanged site: bytes and rows
added by each, which should be near zero (a check record per edition).

    python benchmarks/bench_storage.py [--quick]
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402
from benchmarks.generate import BenchSite, write_profile  # noqa: E402
from benchmarks.siteserver import SiteServer  # noqa: E402

SIZES = {
    "full": {"articles": 100, "recrawls": 10},
    "quick": {"articles": 40, "recrawls": 10},
    "smoke": {"articles": 3, "recrawls": 2},
}


def text_bytes(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        paragraphs = conn.execute(
            "select coalesce(sum(length(cast(text as blob))), 0) from paragraphs"
        )
        total = paragraphs.fetchone()[0]
        titles = conn.execute("select coalesce(sum(length(cast(title as blob))), 0) from snapshots")
        return total + titles.fetchone()[0]
    finally:
        conn.close()


def run(size: str = "full") -> dict[str, Any]:
    cfg = SIZES[size]
    profile_dir = write_profile().parent
    site = BenchSite(cfg["articles"])
    history = []
    with common.workdir() as work, SiteServer(site) as server:
        db = work / "storage.db"
        warc_dir = work / "storage-warc"
        for crawl in range(cfg["recrawls"] + 1):
            common.progress(f"storage: crawl {crawl + 1}/{cfg['recrawls'] + 1}")
            common.crawl_site(db, server.base_url, profile_dir=profile_dir)
            common.checkpoint(db)
            history.append(
                {
                    "bytes": common.file_bytes(db),
                    "warc_bytes": sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz")),
                    "rows": common.row_counts(db),
                    "tables": common.table_bytes(db),
                }
            )
        text = text_bytes(db)
        common.progress("storage: the first crawl again, WARC off")
        bare_db = work / "storage-nowarc.db"
        common.crawl_site(
            bare_db, server.base_url, profile_dir=profile_dir, settings={"TRIGLOT_WARC": False}
        )
        common.checkpoint(bare_db)
        bare_bytes = common.file_bytes(bare_db)
    first = history[0]
    snapshots = first["rows"]["snapshots"]
    per_version = first["bytes"] / max(snapshots, 1)
    common.print_table(
        f"Storage after one crawl: {cfg['articles']} articles, "
        f"{snapshots} article-edition-versions",
        ["what", "bytes", "bytes per version", "vs text"],
        [
            ["archive file (checkpointed)", first["bytes"], per_version, first["bytes"] / text],
            [
                "text stored (title + paragraphs, UTF-8; baseline)",
                text,
                text / max(snapshots, 1),
                1.0,
            ],
        ]
        + [
            [f"  table {name} (with indexes)", size, size / max(snapshots, 1), size / text]
            for name, size in sorted(first["tables"].items(), key=lambda kv: -kv[1])
            if size >= 8192
        ],
    )
    warc_bytes = first["warc_bytes"]
    with_warc = first["bytes"] + warc_bytes
    common.print_table(
        f"Storage per article-edition-version with and without WARC ({snapshots} versions)",
        ["archive", "bytes", "bytes per version", "vs without WARC"],
        [
            [
                "without WARC (crawled with TRIGLOT_WARC=false)",
                bare_bytes,
                bare_bytes / snapshots,
                1,
            ],
            ["with WARC: the SQLite archive", first["bytes"], per_version, ""],
            ["with WARC: the .warc.gz captures", warc_bytes, warc_bytes / snapshots, ""],
            [
                "with WARC: archive + captures",
                with_warc,
                with_warc / snapshots,
                common.ratio(with_warc, bare_bytes),
            ],
        ],
    )
    warc_growth = history[-1]["warc_bytes"] - warc_bytes
    common.note(
        f"re-crawls of the unchanged site added {warc_growth:,} WARC bytes: an unchanged "
        "re-check writes no record (no revisit records; the checks table is the record)"
    )
    growth_rows = []
    for index in range(1, len(history)):
        before, after = history[index - 1], history[index]
        rows_added = {t: after["rows"][t] - before["rows"][t] for t in after["rows"]}
        growth_rows.append(
            [
                f"re-crawl {index}",
                after["bytes"] - before["bytes"],
                sum(rows_added.values()),
                rows_added.get("checks", 0),
                rows_added.get("snapshots", 0),
                rows_added.get("paragraphs", 0),
                (after["bytes"] - before["bytes"]) / max(snapshots, 1),
            ]
        )
    total_growth = history[-1]["bytes"] - first["bytes"]
    common.print_table(
        f"Growth over {cfg['recrawls']} re-crawls of the unchanged site",
        [
            "crawl",
            "bytes added",
            "rows added",
            "checks",
            "snapshots",
            "paragraphs",
            "bytes/edition",
        ],
        growth_rows
        + [
            [
                "total",
                total_growth,
                sum(r[2] for r in growth_rows),
                sum(r[3] for r in growth_rows),
                sum(r[4] for r in growth_rows),
                sum(r[5] for r in growth_rows),
                total_growth / max(snapshots, 1),
            ]
        ],
    )
    common.note(
        f"ten re-crawls grew the archive by {total_growth / max(first['bytes'], 1):.1%} "
        f"({total_growth:,} bytes) — the check records and their index"
    )
    return {
        "size": size,
        "articles": cfg["articles"],
        "snapshots": snapshots,
        "bytes_first_crawl": first["bytes"],
        "bytes_per_version": per_version,
        "text_bytes": text,
        "table_bytes": first["tables"],
        "growth": [
            {"crawl": r[0], "bytes": r[1], "rows": r[2], "checks": r[3], "snapshots": r[4]}
            for r in growth_rows
        ],
        "growth_total_bytes": total_growth,
        "bytes_without_warc": bare_bytes,
        "warc_bytes_first_crawl": warc_bytes,
        "warc_bytes_per_version": warc_bytes / max(snapshots, 1),
        "warc_growth_bytes": warc_growth,
    }


def main(argv: list[str] | None = None) -> int:
    return common.sized_main(__doc__, "storage.json", run, argv)


if __name__ == "__main__":
    sys.exit(main())
