"""Diff stage: articles per second for align + figures + compare, versus just reading them.

A generated archive of N articles × 3 editions × 30 paragraphs (10% of the uk editions
with a second version) is diffed with ``triglot.diffstage.run_diff(everything=True)``.
The baseline reads the same articles' current editions from SQLite
(``archive.read.current_editions``) and does nothing else. The stage runs twice on copies
of one archive: all in this process (``workers=1``) and with its default worker processes
(``triglot.diffstage.default_workers()``). Then ``analyse_editions`` is timed alone per
article (target: well under 50 ms), and each of its stages in CPU ms per article: figure
extraction, paragraph signals, alignment, comparison.

    python benchmarks/bench_diff.py [--quick]
"""

from __future__ import annotations

import shutil
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
    from triglot.diffstage import default_workers, run_diff

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

        stages = _stage_cpu_ms(loaded, sample)
        db.close()
        pooled = work / "diff-pool.db"
        shutil.copy(path, pooled)
        common.progress(f"diff: run_diff over {len(ids)} articles in this process")
        db = archive.open_db(path)
        report = run_diff(db, everything=True, now="2025-06-01T00:00:00+00:00", workers=1)
        db.close()
        workers = default_workers()
        common.progress(f"diff: run_diff over {len(ids)} articles, {workers} worker processes")
        db = archive.open_db(pooled)
        pool = run_diff(db, everything=True, now="2025-06-01T00:00:00+00:00", workers=workers)
        db.close()
        rows = common.row_counts(path)
        same = _derived(path) == _derived(pooled)
    read_rate = len(ids) / read_seconds if read_seconds else 0.0
    diff_rate = report.articles / report.seconds if report.seconds else 0.0
    pool_rate = pool.articles / pool.seconds if pool.seconds else 0.0
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
                "run_diff in one process: align + figures + compare + write",
                report.articles,
                report.seconds,
                diff_rate,
                1000 * report.seconds / max(report.articles, 1),
                common.ratio(report.seconds, read_seconds),
            ],
            [
                f"run_diff, {pool.workers} worker processes (0: too few articles)",
                pool.articles,
                pool.seconds,
                pool_rate,
                1000 * pool.seconds / max(pool.articles, 1),
                common.ratio(pool.seconds, read_seconds),
            ],
        ],
    )
    common.print_table(
        f"Stages of analyse_editions, CPU ms per article ({len(sample)} articles)",
        ["stage", "CPU ms/article", "share"],
        [[name, ms, f"{ms / max(sum(stages.values()), 1e-9):.0%}"] for name, ms in stages.items()],
    )
    common.note(f"worker processes wrote the same derived rows as one process: {same}")
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
            "diff_workers": pool.workers,
            "diff_pool_articles_per_s": pool_rate,
            "diff_pool_same_rows": same,
            "stage_cpu_ms": stages,
            "diff_vs_read_time": common.ratio(report.seconds, read_seconds),
            "diff_errors": report.errors,
            "analyse_editions": analyse,
            "figure_extraction": figures,
            "rows": rows,
            "target_ms": TARGET_MS,
        }
    )
    return result


def _stage_cpu_ms(loaded: dict[int, Any], sample: list[int]) -> dict[str, float]:
    """CPU ms per article of each stage of analyse_editions, run stage by stage."""
    from diffing.align import align_editions, paragraph_signals
    from diffing.analyse import extract_paragraph_figures, row_divergences
    from diffing.langs import language_pairs

    spent = {
        "figure extraction": 0.0,
        "paragraph signals": 0.0,
        "alignment": 0.0,
        "comparison": 0.0,
    }
    clock = time.process_time
    for article_id in sample:
        paragraphs = {lang: e.paragraphs for lang, e in loaded[article_id].items()}
        started = clock()
        found = {lang: extract_paragraph_figures(p, lang) for lang, p in paragraphs.items()}
        spent["figure extraction"] += clock() - started
        started = clock()
        signals = {
            lang: [paragraph_signals(text, lang, f) for text, f in zip(p, found[lang], strict=True)]
            for lang, p in paragraphs.items()
        }
        spent["paragraph signals"] += clock() - started
        started = clock()
        rows = align_editions(paragraphs, signals)
        spent["alignment"] += clock() - started
        started = clock()
        pairs = language_pairs(paragraphs)
        for index, row in enumerate(rows):
            row_divergences(index, row, found, pairs)
        spent["comparison"] += clock() - started
    return {name: 1000 * seconds / max(len(sample), 1) for name, seconds in spent.items()}


def _derived(path: Path) -> list[Any]:
    """The derived rows that must not depend on how many processes derived them."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute(f"select * from {table} order by id").fetchall()
            for table in ("figures", "alignments", "divergences")
        ]
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    return common.sized_main(__doc__, "diff.json", run, argv)


if __name__ == "__main__":
    sys.exit(main())
