"""Run the whole benchmark suite, print its tables, write benchmarks/results/latest.json.

    python benchmarks/run_all.py [--quick] [--only NAME ...]

The full suite takes about 13 minutes on 2 cores (the 10,000-article memory crawl is half
of it); --quick about 4. Each benchmark reports against a baseline measured in the same
run, so read the ratios: the machine's speed and load change the absolute numbers.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import (  # noqa: E402
    bench_aeb,
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

BENCHMARKS = {
    "extract": bench_extract.run,
    "aeb": bench_aeb.run,
    "diff": bench_diff.run,
    "crawl": bench_crawl.run,
    "recrawl": bench_recrawl.run,
    "storage": bench_storage.run,
    "datasette": bench_datasette.run,
    "memory": bench_memory.run,
    "fleet": bench_fleet.run,
}


def headline(results: dict[str, Any]) -> list[list[Any]]:
    """One line per benchmark: the number that matters and its baseline ratio."""
    rows: list[list[Any]] = []
    crawl = results.get("crawl") or {}
    if "share_of_bare" in crawl:
        rows.append(
            [
                "crawl",
                "end-to-end pages/s vs bare Scrapy",
                f"{crawl['triglot']['pages_per_s']:.0f} vs {crawl['bare']['pages_per_s']:.0f}",
                f"{crawl['share_of_bare']:.0%} (target 60%)",
                f"slowest stage: {crawl['slowest_stage']}",
            ]
        )
    extract = (results.get("extract") or {}).get("sample outlets")
    if extract:
        ours, traf = extract["Triglot, site profile"], extract["trafilatura 2 (baseline)"]
        rows.append(
            [
                "extract",
                "paragraph F1, profile vs trafilatura",
                f"{ours['f1']:.2f} vs {traf['f1']:.2f}",
                f"{ours['mean_ms'] / traf['mean_ms']:.2f}× trafilatura's time",
                "",
            ]
        )
    aeb = results.get("aeb") or {}
    if "triglot" in aeb:
        ours, traf = aeb["triglot"], aeb["trafilatura"]
        rows.append(
            [
                "aeb",
                "real-page F1 (181 AEB pages), generic vs trafilatura",
                f"{ours['f1']:.3f} vs {traf['f1']:.3f}",
                f"{aeb['time_ratio']:.2f}× trafilatura's time",
                f"{ours['ms_per_page']:.1f} vs {traf['ms_per_page']:.1f} ms/page",
            ]
        )
    elif "skipped" in aeb:
        rows.append(["aeb", aeb["skipped"], "", "", ""])
    diff = results.get("diff") or {}
    if "analyse_editions" in diff:
        rows.append(
            [
                "diff",
                "articles/s; analyse_editions p95",
                f"{diff['diff_articles_per_s']:.0f}/s; {diff['analyse_editions']['p95_ms']:.0f} ms",
                f"{diff['diff_vs_read_time']:.0f}× the time of reading them",
                "target < 50 ms",
            ]
        )
    recrawl = results.get("recrawl") or {}
    if "rows_recrawl" in recrawl:
        written = {t: n for t, n in recrawl["rows_recrawl"].items() if n}
        rows.append(
            [
                "recrawl",
                "rows written by a re-crawl",
                str(written),
                f"{recrawl['recrawl_time_vs_first']:.2f}× the first crawl's time",
                "",
            ]
        )
    storage = results.get("storage") or {}
    if "bytes_per_version" in storage:
        rows.append(
            [
                "storage",
                "bytes per edition-version; growth ×10",
                f"{storage['bytes_per_version']:,.0f} B; +{storage['growth_total_bytes']:,} B",
                f"{storage['bytes_first_crawl'] / storage['text_bytes']:.1f}× the text",
                "",
            ]
        )
    datasette = results.get("datasette") or {}
    if "large" in datasette:
        worst = max(
            (k for k in datasette["large"] if not k.startswith("_")),
            key=lambda k: datasette["large"][k]["p95_ms"],
        )
        large, small = datasette["large"][worst], datasette["small"][worst]
        rows.append(
            [
                "datasette",
                f"slowest page p95: {worst}",
                f"{large['p95_ms']:.0f} ms",
                f"{large['median_ms'] / small['median_ms']:.1f}× the small archive (median)",
                "",
            ]
        )
    memory = results.get("memory") or {}
    if "peak_ratio" in memory:
        rows.append(
            [
                "memory",
                "peak RSS large vs small crawl",
                f"{memory['large']['peak_rss_kb'] / 1024:.0f} vs "
                f"{memory['small']['peak_rss_kb'] / 1024:.0f} MB",
                f"{memory['peak_ratio']:.2f}×",
                f"{memory['bytes_per_extra_page']:,.0f} B per extra page",
            ]
        )
    fleet = results.get("fleet") or {}
    if "crawl" in fleet:
        crawl, writer = fleet["crawl"], fleet["writer"]
        single = crawl["single"]["pages_per_s"]
        rows.append(
            [
                "fleet",
                "pages/s with 1 / 2 workers; writer items/s",
                f"{crawl['workers_1']['pages_per_s']:.0f} / "
                f"{crawl['workers_2']['pages_per_s']:.0f}; "
                f"{writer['coordinator_items_per_s']:.0f}/s",
                f"{crawl['workers_1']['pages_per_s'] / single:.2f}× / "
                f"{crawl['workers_2']['pages_per_s'] / single:.2f}× one process",
                f"{fleet['redis_memory']['bytes_per_request_usage']:.0f} B per queued request",
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 4 minutes)")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run just these")
    args = parser.parse_args(argv)
    size = "quick" if args.quick else "full"
    names = args.only or list(BENCHMARKS)
    started = time.perf_counter()
    results: dict[str, Any] = {"size": size, "machine": common.machine(), "seconds": {}}
    print(f"Triglot benchmarks ({size}); machine: {results['machine']}")
    failed = []
    for name in names:
        common.progress(f"=== {name}")
        began = time.perf_counter()
        try:
            results[name] = BENCHMARKS[name](size)
        except Exception as error:  # one broken benchmark must not hide the others' numbers
            traceback.print_exc()
            results[name] = {"error": f"{type(error).__name__}: {error}"}
            failed.append(name)
        results["seconds"][name] = round(time.perf_counter() - began, 1)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    common.print_table(
        "Summary",
        ["benchmark", "measure", "value", "against the baseline", "note"],
        headline(results),
    )
    common.note(
        "seconds per benchmark: "
        + ", ".join(f"{k} {v:.0f}" for k, v in results["seconds"].items())
        + f"; total {results['total_seconds']:.0f} s"
    )
    path = common.write_results("latest.json", results)
    common.note(f"results written to {path}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
