"""Datasette: latency of what researchers open, on a large archive versus a smaller one.

Two archives are generated straight into SQLite (1,000 articles, the baseline, and 100,000 —
10,000 with --quick; with --large, 10,000 against 1,000,000, about 20 million paragraphs).
Through ``triglot.serve.make_datasette`` and Datasette's in-process test client, each page
is requested repeatedly: the article page, the latest_divergences canned query,
figure_history for one figure of one article, the search_all_languages canned query and
the paragraphs table's full-text search (the search words match tens of thousands of
paragraphs at 100,000 articles, hundreds of thousands at a million), and the Triglot home
page. Median and p95 latency, and the ratios large / small.

``--cache DIR`` keeps the generated archives in DIR and reuses them on the next run (the
million-article one takes most of an hour to generate on a busy machine); the file name
carries the generator's format and the schema version, so a stale archive is never reused.

Every SQL statement a page runs is captured (a trace callback on Datasette's connections),
re-run alone to time it, and its EXPLAIN QUERY PLAN printed for the slowest ones, so a
missing index shows as a SCAN of a big table.

    python benchmarks/bench_datasette.py [--quick | --large] [--cache DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402
from benchmarks.corpus import WORDS  # noqa: E402
from benchmarks.generate import cached_archive, generate_archive  # noqa: E402

SIZES = {
    "large": {"small": 10_000, "large": 1_000_000, "repeats": 40},
    "full": {"small": 1000, "large": 100_000, "repeats": 20},
    "quick": {"small": 1000, "large": 10_000, "repeats": 12},
    "smoke": {"small": 30, "large": 60, "repeats": 2},
}
SIZES_ORDER = ("small", "large")
SKIP_SQL = re.compile(
    r"^\s*(pragma|select \* from pragma|begin|commit|rollback|savepoint|release|"
    r"select sqlite_version|select 1\b|explain)|sqlite_master|sqlite_schema|sqlite_stat|"
    r"fts5vocab|\bpragma_|^\s*--|from databases\b|from catalog_",
    re.I,
)


class SqlRecorder:
    """A Datasette plugin (prepare_connection) recording the statements one Datasette runs."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.lock = threading.Lock()
        self.recording: Any = None  # the Datasette whose statements are recorded

    def prepare_connection(self, conn: sqlite3.Connection, datasette: Any) -> None:
        conn.set_trace_callback(lambda sql: self.record(datasette, sql))

    def record(self, datasette: Any, sql: str) -> None:
        if datasette is self.recording and not SKIP_SQL.search(sql):
            with self.lock:
                self.statements.append(sql)


def _recorder_plugin(recorder: SqlRecorder) -> Any:
    import types

    from datasette import hookimpl

    plugin = types.ModuleType("triglot_bench_sql_recorder")  # Datasette lists plugins by name

    @hookimpl
    def prepare_connection(conn: sqlite3.Connection, datasette: Any) -> None:
        recorder.prepare_connection(conn, datasette)

    plugin.prepare_connection = prepare_connection
    return plugin


def endpoints(path: Path, db_name: str, n_articles: int, repeats: int) -> dict[str, list[str]]:
    """Page → the paths to request (varied ids and words, the same mix for both sizes)."""
    rng = random.Random(5)
    words = [w for lang in ("uk", "en", "ru") for w in WORDS[lang]]
    figure_articles = [rng.randint(1, n_articles) for _ in range(repeats)]
    return {
        "article page": [
            f"/-/triglot/article/{rng.randint(1, n_articles)}" for _ in range(repeats)
        ],
        "latest_divergences (canned)": [f"/{db_name}/latest_divergences"] * repeats,
        "figure_history (canned, one figure)": [
            f"/{db_name}/figure_history?article_id={article_id}&figure={quote(raw)}"
            for article_id, raw in _one_figure_each(path, figure_articles)
        ],
        "search_all_languages (canned)": [
            f"/{db_name}/search_all_languages?q={quote(words[i % len(words)])}"
            for i in range(repeats)
        ],
        "paragraphs full-text search": [
            f"/{db_name}/paragraphs?_search={quote(words[i % len(words)])}" for i in range(repeats)
        ],
        "Triglot home (/-/triglot)": ["/-/triglot"] * repeats,
    }


def _one_figure_each(path: Path, article_ids: list[int]) -> list[tuple[int, str]]:
    """(article, a figure its current uk edition states) — what a researcher would follow."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = []
        for article_id in article_ids:
            row = conn.execute(
                "select f.raw from editions e join paragraphs p on p.snapshot_id = "
                "e.current_snapshot_id join figures f on f.paragraph_id = p.id "
                "where e.article_id = ? order by e.lang = 'uk' desc, p.idx, f.start limit 1",
                [article_id],
            ).fetchone()
            out.append((article_id, row[0] if row else ""))
        return out
    finally:
        conn.close()


async def _measure(
    paths: dict[str, Path], repeats: int, recorder: SqlRecorder
) -> dict[str, dict[str, Any]]:
    """Each page on each archive, the sizes taking turns request by request.

    Interleaving puts the small and the large archive under the same machine load at the
    same moment, so the ratio survives other work on a shared machine.
    """
    from triglot.serve import make_datasette

    apps, plans = {}, {}
    for label, path in paths.items():
        ds = make_datasette(path)
        await ds.invoke_startup()
        apps[label] = ds
        plans[label] = endpoints(path, ds.get_database().name, _count(path, "articles"), repeats)
    out: dict[str, dict[str, Any]] = {label: {} for label in paths}
    for name in plans["small"]:
        times: dict[str, list[float]] = {label: [] for label in paths}
        statuses: dict[str, dict[int, int]] = {label: defaultdict(int) for label in paths}
        first = {}
        for label, ds in apps.items():  # warm: templates, connections, page cache
            first[label] = (await ds.client.get(plans[label][name][0])).status_code
        recorder.statements.clear()
        recorder.recording = apps["large"]
        for i in range(repeats):
            for label, ds in apps.items():
                started = time.perf_counter()
                response = await ds.client.get(plans[label][name][i])
                times[label].append(time.perf_counter() - started)
                statuses[label][response.status_code] += 1
        recorder.recording = None
        for label in paths:
            out[label][name] = {
                **common.summary_ms(times[label]),
                "statuses": dict(statuses[label]),
                "first_status": first[label],
                "example": plans[label][name][0],
            }
        out["large"][name]["statements"] = list(dict.fromkeys(recorder.statements))
    return out


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        conn.close()


def slow_statements(path: Path, statements: list[str], limit: int = 3) -> list[dict[str, Any]]:
    """Re-run each distinct statement alone: the slowest, with their query plans."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    from datasette.utils import escape_fts

    from datasette_config.plugins import triglot_pages  # noqa: F401  (fts helper, if present)

    conn.create_function("triglot_fts_query", 1, triglot_pages.fts_query, deterministic=True)
    if hasattr(triglot_pages, "fts_terms"):
        conn.create_function("triglot_fts_terms", 1, triglot_pages.fts_terms, deterministic=True)
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)
    timed = []
    seen_shapes = set()
    for sql in statements:
        shape = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        try:
            started = time.perf_counter()
            conn.execute(sql).fetchall()
            seconds = time.perf_counter() - started
            plan = common.explain(conn, sql)
        except sqlite3.Error as error:
            seconds, plan = 0.0, [f"    (cannot re-run: {error})"]
        timed.append({"sql": sql, "ms": seconds * 1000, "plan": plan})
    conn.close()
    timed.sort(key=lambda s: -s["ms"])
    return timed[:limit]


def run(size: str = "full", cache: str | Path | None = None) -> dict[str, Any]:
    from datasette.plugins import pm

    cfg = SIZES[size]
    recorder = SqlRecorder()
    plugin = _recorder_plugin(recorder)
    pm.register(plugin, name="triglot-bench-sql-recorder")
    result: dict[str, Any] = {"size": size, "machine": common.machine()}
    try:
        with common.workdir() as work:
            archives = {label: _archive(work / label, cfg[label], cache) for label in SIZES_ORDER}
            common.progress(
                f"datasette: requests on {cfg['small']:,} and {cfg['large']:,} articles, in turn"
            )
            measured = asyncio.run(
                _measure({label: a[0] for label, a in archives.items()}, cfg["repeats"], recorder)
            )
            for label, (_, counts) in archives.items():
                measured[label]["_counts"] = counts
            for name, m in measured["large"].items():
                if not name.startswith("_"):
                    m["slowest_sql"] = slow_statements(archives["large"][0], m.pop("statements"))
            _report(cfg, measured)
            result.update(measured)
    finally:
        pm.unregister(plugin)
    return result


def _archive(folder: Path, n: int, cache: str | Path | None) -> tuple[Path, dict[str, Any]]:
    """The n-article archive: generated in folder, or taken from (and kept in) the cache."""

    def report(done: int, total: int) -> None:
        if done % 50_000 == 0:
            common.progress(f"datasette:   {done:,}/{total:,} articles")

    if cache is None:
        folder.mkdir()
        path = folder / "triglot.db"
        common.progress(f"datasette: generating a {n:,}-article archive")
        return path, generate_archive(path, n, progress=report).__dict__
    common.progress(f"datasette: the {n:,}-article archive from the cache {cache}")
    path, generated = cached_archive(cache, n, progress=report)
    if generated is not None:
        return path, generated.__dict__
    counts: dict[str, Any] = common.row_counts(path, ("articles", "paragraphs", "divergences"))
    return path, {**counts, "bytes": common.file_bytes(path), "seconds": None}


def _report(cfg: dict, measured: dict[str, dict]) -> None:
    small, large = measured["small"], measured["large"]
    counts = large["_counts"]
    rows = []
    for name in small:
        if name.startswith("_"):
            continue
        s, g = small[name], large[name]
        statuses = ",".join(f"{k}×{v}" for k, v in sorted(g["statuses"].items()))
        rows.append(
            [
                name,
                s["median_ms"],
                s["p95_ms"],
                g["median_ms"],
                g["p95_ms"],
                common.ratio(g["median_ms"], s["median_ms"]),
                common.ratio(g["p95_ms"], s["p95_ms"]),
                statuses,
            ]
        )
    common.print_table(
        f"Datasette latency (ms, {cfg['repeats']} requests each, in-process test client): "
        f"{cfg['small']:,} vs {cfg['large']:,} articles",
        [
            "page",
            f"{cfg['small']:,}: median",
            "p95",
            f"{cfg['large']:,}: median",
            "p95",
            "large / small (median)",
            "(p95)",
            "HTTP status (large)",
        ],
        rows,
    )
    generated = (
        f"generated in {counts['seconds']:.0f} s" if counts.get("seconds") else "from the cache"
    )
    common.note(
        f"large archive: {counts['articles']:,} articles, {counts['paragraphs']:,} paragraphs, "
        f"{counts['divergences']:,} divergences, {counts['bytes'] / 1e6:,.0f} MB, {generated}"
    )
    print(
        f"\n  Slowest SQL per page on the {cfg['large']:,}-article archive (re-run alone), "
        "with EXPLAIN QUERY PLAN:"
    )
    for name, m in large.items():
        if name.startswith("_"):
            continue
        print(f"\n  [{name}]  e.g. {m['example']}")
        for statement in m.get("slowest_sql", []):
            sql = " ".join(statement["sql"].split())
            print(f"  {statement['ms']:8.1f} ms  {sql[:300]}{' …' if len(sql) > 300 else ''}")
            print("\n".join(statement["plan"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="1,000 vs 10,000 articles")
    group.add_argument("--large", action="store_true", help="10,000 vs 1,000,000 articles")
    group.add_argument("--smoke", action="store_true")
    parser.add_argument("--cache", help="keep and reuse the generated archives in this folder")
    args = parser.parse_args(argv)
    size = "smoke" if args.smoke else "quick" if args.quick else "large" if args.large else "full"
    name = "datasette-large.json" if size == "large" else "datasette.json"
    common.write_results(name, run(size, cache=args.cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
