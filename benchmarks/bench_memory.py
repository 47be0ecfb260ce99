"""Memory: peak RSS of a crawl, and of `triglot diff --all`, must not grow with the archive.

Two crawls of generated sites, a small one (the baseline) and one ten times larger, each in
its own process (``python -m crawler.runner``): the peak RSS of that process alone (from
wait4's rusage), and its RSS sampled from /proc over the crawl, so growth shows as a slope.
Short articles (4–8 paragraphs, pages still 80–200 KB) keep the large crawl affordable:
what could grow with the crawl is per-request and per-item state, not page size.

Then `triglot diff --all` over two generated archives (``generate.generate_archive``), a
small one and one ten times larger, each in its own process: the diff stage streams the
articles one at a time, so its peak must stay flat however large the archive is.

    python benchmarks/bench_memory.py [--quick] [--part crawl|diff]
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

SIZES = {
    "full": {"small": 1000, "large": 10_000},
    "quick": {"small": 300, "large": 2000},
    "smoke": {"small": 4, "large": 12},
}
PARAGRAPHS = (4, 8)
DIFF_SIZES = {
    "full": {"small": 2000, "large": 20_000},
    "quick": {"small": 500, "large": 5000},
    "smoke": {"small": 4, "large": 12},
}


def _rss_at(samples: list[tuple[float, int]], fraction: float) -> int | None:
    if not samples:
        return None
    return samples[min(int(len(samples) * fraction), len(samples) - 1)][1]


def _memory_of(child: common.ChildResult) -> dict[str, Any]:
    """A child's peak RSS, its RSS at the quartiles of its run, and its CPU time."""
    return {
        "peak_rss_kb": child.peak_rss_kb,
        "rss_quartiles_kb": [_rss_at(child.rss_samples_kb, q) for q in (0.25, 0.5, 0.75, 1)],
        "cpu_seconds": child.user_seconds + child.system_seconds,
    }


def _quartiles_mb(measured: dict[str, Any]) -> list[float | None]:
    return [None if kb is None else kb / 1024 for kb in measured["rss_quartiles_kb"]]


def run(
    size: str = "full",
    sizes: tuple[int, int] | None = None,
    parts: tuple[str, ...] = ("crawl", "diff"),
    diff_sizes: tuple[int, int] | None = None,
    diff_one_process: bool = False,
) -> dict[str, Any]:
    """The crawl's memory (top-level keys, as before) and the diff stage's (under "diff")."""
    result: dict[str, Any] = {"size": size}
    if "crawl" in parts:
        result.update(run_crawl(size, sizes))
    if "diff" in parts:
        result["diff"] = run_diff(size, diff_sizes, diff_one_process)
    return result


def run_crawl(size: str = "full", sizes: tuple[int, int] | None = None) -> dict[str, Any]:
    cfg = dict(SIZES[size])
    if sizes:
        cfg["small"], cfg["large"] = sizes
    profile_dir = write_profile().parent
    measured = {}
    with common.workdir() as work:
        for label in ("small", "large"):
            n = cfg[label]
            site = BenchSite(n, paragraphs=PARAGRAPHS)
            common.progress(f"memory: crawl of {n:,} articles × 3 editions")
            with SiteServer(site) as server:
                child = common.crawl_site(
                    work / f"memory-{label}.db", server.base_url, profile_dir=profile_dir
                )
            stats = child.json()
            measured[label] = {
                "articles": n,
                "pages": stats.get("pages", 0),
                "seconds": stats.get("seconds"),
                **_memory_of(child),
            }
    small, large = measured["small"], measured["large"]
    rows = []
    for label in ("small", "large"):
        m = measured[label]
        rows.append(
            [
                f"{m['articles']:,} articles",
                m["pages"],
                m["seconds"],
                *_quartiles_mb(m),
                m["peak_rss_kb"] / 1024,
                common.ratio(m["peak_rss_kb"], small["peak_rss_kb"]),
            ]
        )
    common.print_table(
        "Crawl memory (RSS MB of the crawl process; quartiles of the crawl's duration)",
        ["crawl", "pages", "seconds", "RSS 25%", "50%", "75%", "end", "peak", "peak vs small"],
        rows,
    )
    growth_kb = large["peak_rss_kb"] - small["peak_rss_kb"]
    extra_pages = max(large["pages"] - small["pages"], 1)
    common.note(
        f"peak grows by {growth_kb / 1024:.1f} MB for {extra_pages:,} more pages "
        f"({1024 * growth_kb / extra_pages:,.0f} bytes per page)"
    )
    return {
        "size": size,
        "paragraphs": PARAGRAPHS,
        **measured,
        "peak_ratio": common.ratio(large["peak_rss_kb"], small["peak_rss_kb"]),
        "bytes_per_extra_page": 1024 * growth_kb / extra_pages,
    }


# the diff stage with no worker processes (as on one core): what `triglot diff --all` runs
ONE_PROCESS_DIFF = (
    "import sys, archive; from triglot.diffstage import run_diff; "
    "print(run_diff(archive.open_db(sys.argv[1]), everything=True, workers=1))"
)


def run_diff(
    size: str = "full", sizes: tuple[int, int] | None = None, one_process: bool = False
) -> dict[str, Any]:
    """Peak RSS of `triglot diff --all` (its own process) over a small and a large archive.

    one_process: run the stage with no worker processes (`run_diff(workers=1)`).
    """
    from benchmarks.generate import generate_archive

    cfg = dict(DIFF_SIZES[size])
    if sizes:
        cfg["small"], cfg["large"] = sizes
    measured: dict[str, dict[str, Any]] = {}
    with common.workdir() as work:
        for label in ("small", "large"):
            n = cfg[label]
            path = work / f"diff-memory-{label}.db"
            common.progress(f"memory: generating an archive of {n:,} articles × 3 editions")
            counts = generate_archive(path, n, paragraphs=PARAGRAPHS, derived=False)
            common.progress(f"memory: triglot diff --all over {n:,} articles")
            if one_process:
                argv = [sys.executable, "-c", ONE_PROCESS_DIFF, str(path)]
            else:
                argv = [sys.executable, "-m", "triglot.cli", "diff", "--all", "--db", str(path)]
            child = common.run_child(argv, tree=True)
            if child.returncode != 0:
                raise RuntimeError(f"diff failed ({child.returncode}):\n{child.stderr[-3000:]}")
            measured[label] = {
                "articles": n,
                "paragraphs": counts.paragraphs,
                "db_bytes": common.file_bytes(path),
                "seconds": child.wall_seconds,
                **_memory_of(child),
                "peak_tree_rss_kb": child.peak_tree_rss_kb,
                "output": child.stdout.strip().splitlines()[-1:],
            }
    small = measured["small"]
    rows = []
    for label in ("small", "large"):
        m = measured[label]
        rows.append(
            [
                f"{m['articles']:,} articles",
                m["paragraphs"],
                m["db_bytes"] / 2**20,
                m["seconds"],
                *_quartiles_mb(m),
                m["peak_rss_kb"] / 1024,
                common.ratio(m["peak_rss_kb"], small["peak_rss_kb"]),
                m["peak_tree_rss_kb"] / 1024,
                common.ratio(m["peak_tree_rss_kb"], small["peak_tree_rss_kb"]),
            ]
        )
    common.print_table(
        f"triglot diff --all memory{' in one process' if one_process else ''} (RSS MB of the "
        "diff process; quartiles of its duration; with workers: summed over its worker "
        "processes too)",
        [
            "archive",
            "paragraphs",
            "DB MB",
            "seconds",
            "RSS 25%",
            "50%",
            "75%",
            "end",
            "peak",
            "peak vs small",
            "with workers",
            "vs small",
        ],
        rows,
    )
    large = measured["large"]
    ratio = common.ratio(large["peak_rss_kb"], small["peak_rss_kb"])
    tree_ratio = common.ratio(large["peak_tree_rss_kb"], small["peak_tree_rss_kb"])
    common.note(
        f"diff --all peak {large['peak_rss_kb'] / 1024:.1f} MB over {large['articles']:,} "
        f"articles vs {small['peak_rss_kb'] / 1024:.1f} MB over {small['articles']:,}: "
        f"{ratio:.2f}× for {large['articles'] / small['articles']:.0f}× the archive "
        f"(with its workers: {tree_ratio or 0:.2f}×)"
    )
    return {
        **measured,
        "one_process": one_process,
        "paragraphs_per_article": PARAGRAPHS,
        "peak_ratio": ratio,
        "peak_tree_ratio": tree_ratio,
    }


def main(argv: list[str] | None = None) -> int:
    parser = common.size_parser(__doc__)
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"))
    parser.add_argument("--diff-sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"))
    parser.add_argument("--part", choices=("crawl", "diff"), help="only this half")
    parser.add_argument(
        "--diff-one-process", action="store_true", help="the diff stage without worker processes"
    )
    args = parser.parse_args(argv)
    size = common.chosen_size(args)
    result = run(
        size,
        tuple(args.sizes) if args.sizes else None,
        (args.part,) if args.part else ("crawl", "diff"),
        tuple(args.diff_sizes) if args.diff_sizes else None,
        args.diff_one_process,
    )
    common.write_results("memory.json", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
