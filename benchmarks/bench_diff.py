"""Diff stage: articles per second for align + figures + compare, versus just reading them.

A generated archive of N articles × 3 editions × 30 paragraphs (10% of the uk editions
with a second version) is diffed with ``triglot.diffstage.run_diff(everything=True)``.
The baseline reads the same articles' current editions from SQLite
(``archive.read.current_editions``) and does nothing else. Then ``analyse_editions`` is
timed alone per article (target: well under 50 ms), and the figure extraction alone.

    python benchmarks/bench_diff.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402
from benchmarks.generate import generate_archive  # noqa: E402

SIZES = {
    "full": {"articles": 300, "analyse_articles": 100},
    "quick": {"articles": 100, "analyse_articles": 40},
    "smoke": {"articles": 4, "analyse_articles": 2},
}
PARAGRAPHS = (30, 30)
TARGET_MS = 50.0


def run(size: str = "full") -> dict[str, Any]:
    import archive
    from archive import read
    from diffing.analyse import analyse_editions
    from diffing.figures import extract_figures
    from triglot.diffstage import run_diff

    cfg = SIZES[size]
    result: dict[str, Any] = {"size": size, "articles": cfg["articles"]}
    with common.workdir() as work:
        path = work / "diff.db"
        common.progress(f"diff: generating {cfg['articles']} articles × 3 × 30 paragraphs")
        counts = generate_archive(
            path, cfg["articles"], paragraphs=PARAGRAPHS, sentences=(2, 3), derived=False
        )
        db = archive.open_db(path)
        ids = read.articles_to_diff(db, everything=True)

        common.progress("diff: baseline (read the current editions)")
        started = time.perf_counter()
        loaded = {article_id: read.current_editions(db, article_id) for article_id in ids}
        read_seconds = time.perf_counter() - started

        sample = ids[: cfg["analyse_articles"]]
        common.progress(f"diff: figures and analyse_editions alone on {len(sample)} articles")
        figure_times, analyse_times = [], []
        for article_id in sample:
            editions = loaded[article_id]
            started = time.perf_counter()
            for edition in editions.values():
                for text in edition.paragraphs:
                    extract_figures(text, edition.lang)
            figure_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            analyse_editions(
                {lang: e.paragraphs for lang, e in editions.items()},
                titles={lang: e.title for lang, e in editions.items()},
            )
            analyse_times.append(time.perf_counter() - started)

        common.progress(f"diff: run_diff over {len(ids)} articles")
        report = run_diff(db, everything=True, now="2025-06-01T00:00:00+00:00")
        rows = common.row_counts(path)
        db.close()
    read_rate = len(ids) / read_seconds if read_seconds else 0.0
    diff_rate = report.articles / report.seconds if report.seconds else 0.0
    common.print_table(
        f"Diff stage: {len(ids)} articles × 3 editions × {PARAGRAPHS[0]} paragraphs",
        ["work", "articles", "seconds", "articles/s", "ms/article", "time vs read"],
        [
            [
                "read current editions (baseline)",
                len(ids),
                read_seconds,
                read_rate,
                1000 * read_seconds / max(len(ids), 1),
                1.0,
            ],
            [
                "run_diff: align + figures + compare + write",
                report.articles,
                report.seconds,
                diff_rate,
                1000 * report.seconds / max(report.articles, 1),
                common.ratio(report.seconds, read_seconds),
            ],
        ],
    )
    analyse = common.summary_ms(analyse_times)
    figures = common.summary_ms(figure_times)
    per_article_ms = 1000 * report.seconds / max(report.articles, 1)
    common.print_table(
        f"Per article, in memory ({len(sample)} articles of 3 × {PARAGRAPHS[0]} paragraphs)",
        ["work", "median ms", "p95 ms", "max ms", "share of run_diff"],
        [
            [
                "analyse_editions (align + figures + compare)",
                analyse["median_ms"],
                analyse["p95_ms"],
                analyse["max_ms"],
                f"{analyse['mean_ms'] / per_article_ms:.0%}",
            ],
            [
                "  figure extraction alone (90 paragraphs)",
                figures["median_ms"],
                figures["p95_ms"],
                figures["max_ms"],
                f"{figures['mean_ms'] / per_article_ms:.0%}",
            ],
        ],
    )
    verdict = (
        "well under"
        if analyse["p95_ms"] < TARGET_MS / 2
        else ("under" if analyse["p95_ms"] < TARGET_MS else "OVER")
    )
    common.note(f"analyse_editions p95 {analyse['p95_ms']:.1f} ms: {verdict} the 50 ms target")
    common.note(
        f"run_diff wrote {rows.get('alignments', 0):,} alignments, {rows.get('figures', 0):,} "
        f"figures, {rows.get('divergences', 0):,} divergences; errors {report.errors}"
    )
    result.update(
        {
            "generated": counts.__dict__,
            "read_articles_per_s": read_rate,
            "diff_articles_per_s": diff_rate,
            "diff_vs_read_time": common.ratio(report.seconds, read_seconds),
            "diff_errors": report.errors,
            "analyse_editions": analyse,
            "figure_extraction": figures,
            "rows": rows,
            "target_ms": TARGET_MS,
        }
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    size = "smoke" if args.smoke else "quick" if args.quick else "full"
    common.write_results("diff.json", run(size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
