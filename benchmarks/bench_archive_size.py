"""Storage at scale: bytes per edition-version of a generated archive, against its UTF-8 text.

``bench_storage.py`` measures a crawled archive of a hundred articles; this one measures the
generated archives of the Datasette benchmark (``generate.py``: 10,000 and 1,000,000
articles, about 20 million paragraphs), where the full-text index and the per-row indexes
dominate. Per table (with its indexes, from ``dbstat``): bytes, bytes per edition-version
(snapshot) and the ratio to the text stored (titles and paragraphs, UTF-8) — the baseline.
The raw WARC captures are not in these archives (the crawl benchmarks measure them).

    python benchmarks/bench_archive_size.py [--large | --quick] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402
from benchmarks.bench_storage import text_bytes  # noqa: E402
from benchmarks.generate import cached_archive, generate_archive  # noqa: E402

SIZES = {
    "large": (10_000, 1_000_000),
    "full": (1000, 100_000),
    "quick": (1000, 10_000),
    "smoke": (30, 60),
}


def measure(path: Path) -> dict[str, Any]:
    """Bytes of the file and of each table, the text it holds, its edition-versions."""
    common.checkpoint(path)
    rows = common.row_counts(path, ("articles", "snapshots", "paragraphs"))
    return {
        "rows": rows,
        "bytes": common.file_bytes(path),
        "tables": common.table_bytes(path),
        "text_bytes": text_bytes(path),
    }


def run(size: str = "full", cache: str | Path | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"size": size}
    with common.workdir() as work:
        for n in SIZES[size]:
            if cache is None:
                path = work / f"archive-{n}.db"
                common.progress(f"archive size: generating {n:,} articles")
                generate_archive(path, n)
            else:
                common.progress(f"archive size: the {n:,}-article archive from {cache}")
                path, _ = cached_archive(cache, n)
            common.progress(f"archive size: measuring {path.name} (dbstat reads every page)")
            result[str(n)] = measure(path)
    _report(result, SIZES[size])
    return result


def _report(result: dict[str, Any], sizes: tuple[int, ...]) -> None:
    small, large = (result[str(n)] for n in sizes)
    versions = {k: max(m["rows"]["snapshots"], 1) for k, m in (("s", small), ("l", large))}
    rows = [
        [
            "archive file",
            small["bytes"] / versions["s"],
            large["bytes"] / versions["l"],
            large["bytes"] / large["text_bytes"],
            large["bytes"],
        ],
        [
            "text stored (titles + paragraphs, UTF-8; baseline)",
            small["text_bytes"] / versions["s"],
            large["text_bytes"] / versions["l"],
            1.0,
            large["text_bytes"],
        ],
    ]
    for name, size in sorted(large["tables"].items(), key=lambda kv: -kv[1]):
        if size < 1 << 20:
            continue
        rows.append(
            [
                f"  table {name} (with indexes)",
                small["tables"].get(name, 0) / versions["s"],
                size / versions["l"],
                size / large["text_bytes"],
                size,
            ]
        )
    common.print_table(
        f"Archive size per edition-version (snapshot): {sizes[0]:,} vs {sizes[1]:,} articles "
        f"({large['rows']['snapshots']:,} versions, {large['rows']['paragraphs']:,} paragraphs)",
        [
            "what",
            f"{sizes[0]:,}: bytes/version",
            f"{sizes[1]:,}: bytes/version",
            "vs text",
            "bytes",
        ],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true")
    group.add_argument("--large", action="store_true")
    group.add_argument("--smoke", action="store_true")
    parser.add_argument("--cache", help="keep and reuse the generated archives in this folder")
    args = parser.parse_args(argv)
    size = "smoke" if args.smoke else "quick" if args.quick else "large" if args.large else "full"
    common.write_results(f"archive_size-{size}.json", run(size, cache=args.cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
