"""Re-crawl of an unchanged site: what does it ask for, how long, what does it write?

The first crawl (from the sitemap) fills an empty archive; the second meets the same pages
from the same sitemap; the third asks for every edition by URL as well, as ``triglot crawl``
does when the schedule says they are all due. They should write no snapshot and no
paragraph — only check records (one per edition checked) and timestamps. The server counts
requests and conditional answers (304); the archive's rows are counted per table before
and after each. The baseline is the first crawl of the same site.

    python benchmarks/bench_recrawl.py [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402
from benchmarks.generate import BenchSite, write_profile  # noqa: E402
from benchmarks.siteserver import SiteServer  # noqa: E402

SIZES = {"full": {"articles": 300}, "quick": {"articles": 100}, "smoke": {"articles": 5}}


def run(size: str = "full") -> dict[str, Any]:
    cfg = SIZES[size]
    profile_dir = write_profile().parent
    site = BenchSite(cfg["articles"])
    crawls = []
    with common.workdir() as work, SiteServer(site) as server:
        db = work / "recrawl.db"
        counts = [dict.fromkeys(common.ARCHIVE_TABLES, 0)]
        plans = (
            ("first crawl (baseline)", ()),
            ("re-crawl from the sitemap", ()),
            ("re-crawl, every edition due", site.edition_urls()),
        )
        for label, urls in plans:
            common.progress(f"recrawl: {label}, {cfg['articles']} articles")
            server.reset_counts()
            child = common.crawl_site(db, server.base_url, profile_dir=profile_dir, urls=urls)
            crawls.append((label, child.json(), dict(server.counts), child))
            counts.append(common.row_counts(db))
    first_seconds = crawls[0][1].get("seconds") or 0.0
    rows = []
    for label, stats, served, _ in crawls:
        rows.append(
            [
                label,
                served.get("requests", 0),
                served.get("304", 0),
                served.get("bytes", 0) / 1e6,
                stats.get("seconds"),
                common.ratio(stats.get("seconds") or 0.0, first_seconds),
                stats.get("new_snapshots", 0),
                stats.get("unchanged", 0),
                stats.get("not_modified", 0),
            ]
        )
    common.print_table(
        f"Re-crawl of an unchanged site: {cfg['articles']} articles × 3 editions",
        [
            "crawl",
            "requests",
            "304s",
            "MB served",
            "seconds",
            "time vs first",
            "new snapshots",
            "unchanged",
            "not modified",
        ],
        rows,
    )
    delta_rows = []
    for table in common.ARCHIVE_TABLES:
        seen = [c.get(table, 0) for c in counts]
        delta_rows.append([table, seen[1] - seen[0], seen[2] - seen[1], seen[3] - seen[2]])
    common.print_table(
        "Rows written per table",
        ["table", "first crawl", "re-crawl (sitemap)", "re-crawl (every edition)"],
        delta_rows,
    )
    editions = counts[1].get("editions", 0)
    for column, (label, _, served, _) in zip((2, 3), crawls[1:], strict=True):
        written = {row[0]: row[column] for row in delta_rows if row[column]}
        extra = {t: n for t, n in written.items() if t != "checks"}
        checked = written.get("checks", 0)
        common.note(
            f"{label}: checked {checked} of {editions} editions; "
            + ("wrote only check records" if not extra else f"ALSO wrote {extra}")
            + ("" if served.get("304") else "; no conditional requests (no 304s)")
        )
    if counts[2].get("checks", 0) - counts[1].get("checks", 0) < editions:
        common.note(
            "from the sitemap alone, a 304 on the entry edition ends that article: "
            "parse_article returns before discovery, so its other editions are re-checked "
            "only when the schedule lists them as due"
        )
    return {
        "size": size,
        "articles": cfg["articles"],
        "crawls": [
            {"label": label, "stats": stats, "served": served, "wall_seconds": child.wall_seconds}
            for label, stats, served, child in crawls
        ],
        "rows_first": {r[0]: r[1] for r in delta_rows},
        "rows_recrawl": {r[0]: r[2] for r in delta_rows},
        "rows_recrawl_every_edition": {r[0]: r[3] for r in delta_rows},
        "recrawl_time_vs_first": rows[1][5],
    }


def main(argv: list[str] | None = None) -> int:
    return common.sized_main(__doc__, "recrawl.json", run, argv)


if __name__ == "__main__":
    sys.exit(main())
