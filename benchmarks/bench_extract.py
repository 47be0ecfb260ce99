"""Extraction: our profile extractor and our generic one versus trafilatura.

On the bundled sample outlets (triglot.sample_site, whose expected.json holds the gold
paragraphs of every article page) and on generated 80–200 KB pages: paragraphs found per
page, agreement with the gold (precision / recall / F1 of paragraphs, exact match after
whitespace normalisation), pages extracted perfectly, and milliseconds per page.

    python benchmarks/bench_extract.py [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402

SIZES = {
    "full": {"repeats": 5, "generated_articles": 20},
    "quick": {"repeats": 2, "generated_articles": 8},
    "smoke": {"repeats": 1, "generated_articles": 1},
}
SAMPLE_BASE = "http://127.0.0.1:8765"


def norm(text: str) -> str:
    return " ".join(text.split())


def score(found: list[str], gold: list[str]) -> tuple[int, int, int]:
    """(true positives, found, gold) with paragraphs matched exactly after normalisation."""
    found_n = Counter(norm(p) for p in found if norm(p))
    gold_n = Counter(norm(p) for p in gold if norm(p))
    return sum((found_n & gold_n).values()), sum(found_n.values()), sum(gold_n.values())


def sample_pages() -> list[dict[str, Any]]:
    """Every sample article page with gold paragraphs: html (decoded), url, outlet, gold."""
    from triglot.sample_site import expected, manifest, pages_dir

    routes = manifest()
    out = []
    for path, gold in expected()["pages"].items():
        entry = routes.get(path) or {}
        if not gold.get("paragraphs") or "file" not in entry or entry.get("status", 200) != 200:
            continue
        raw = (pages_dir() / entry["file"]).read_bytes()
        out.append(
            {
                "url": SAMPLE_BASE + path,
                "html": raw.decode(entry.get("charset") or "utf-8", "replace"),
                "outlet": gold["outlet"],
                "gold": gold["paragraphs"],
            }
        )
    return out


def generated_pages(articles: int) -> list[dict[str, Any]]:
    from benchmarks.corpus import LANGS
    from benchmarks.generate import BenchSite

    site = BenchSite(articles)
    site.base_url = "http://127.0.0.1:8766"
    return [
        {
            "url": site.url(a, lang),
            "html": site.page(a, lang).decode("utf-8"),
            "outlet": "bench",
            "gold": site.gold(a, lang)[1],
        }
        for a in site.article_ids()
        for lang in LANGS
    ]


def extractors(profile_dirs: dict[str, str]) -> dict[str, Callable[[dict], list[str]]]:
    import trafilatura

    from crawler.extract import clear_text_caches, extract_page
    from crawler.profiles import load_profile

    profiles: dict[str, Any] = {}

    def profile_of(page: dict) -> Any:
        outlet = page["outlet"]
        if outlet not in profiles:
            base = page["url"].split("/", 3)[:3]
            profiles[outlet] = load_profile(outlet, [profile_dirs[outlet]], "/".join(base) + "/")
        return profiles[outlet]

    def ours_profile(page: dict) -> list[str]:
        clear_text_caches()  # each timed reading is a first reading, as in a crawl
        return extract_page(page["html"], page["url"], profile_of(page)).paragraphs

    def ours_generic(page: dict) -> list[str]:
        clear_text_caches()
        return extract_page(page["html"], page["url"], None).paragraphs

    def traf(page: dict) -> list[str]:
        text = trafilatura.extract(
            page["html"],
            url=page["url"],
            output_format="txt",
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
        return [line for line in (text or "").split("\n") if line.strip()]

    return {
        "Triglot, site profile": ours_profile,
        "Triglot, generic (no profile)": ours_generic,
        "trafilatura 2 (baseline)": traf,
    }


def measure(pages: list[dict], extract: Callable[[dict], list[str]], repeats: int) -> dict:
    tp = found = gold = perfect = 0
    per_page_ms = []
    counts = []
    for page in pages:
        paragraphs = extract(page)  # warm (profile load, caches) and score
        t, f, g = score(paragraphs, page["gold"])
        tp, found, gold = tp + t, found + f, gold + g
        perfect += t == f == g
        counts.append(len(paragraphs))
        started = time.perf_counter()
        for _ in range(repeats):
            extract(page)
        per_page_ms.append(1000 * (time.perf_counter() - started) / repeats)
    precision = tp / found if found else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pages": len(pages),
        "paragraphs_per_page": statistics.fmean(counts) if counts else 0.0,
        "gold_per_page": gold / len(pages) if pages else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "perfect_pages": perfect,
        "median_ms": statistics.median(per_page_ms) if per_page_ms else 0.0,
        "mean_ms": statistics.fmean(per_page_ms) if per_page_ms else 0.0,
    }


def run(size: str = "full") -> dict[str, Any]:
    from benchmarks.generate import write_profile
    from triglot.sample_site import profiles_dir

    cfg = SIZES[size]
    bench_dir = str(write_profile().parent)
    sample_dir = str(profiles_dir())
    dirs = {"dnipro": sample_dir, "polissia": sample_dir, "karpaty": sample_dir, "bench": bench_dir}
    result: dict[str, Any] = {"size": size}
    for corpus, pages in (
        ("sample outlets", sample_pages()),
        ("generated 80-200 KB pages", generated_pages(cfg["generated_articles"])),
    ):
        common.progress(f"extract: {corpus} ({len(pages)} pages)")
        rows = []
        measured = {}
        for name, extract in extractors(dirs).items():
            measured[name] = measure(pages, extract, cfg["repeats"])
        baseline_ms = measured["trafilatura 2 (baseline)"]["mean_ms"]
        for name, m in measured.items():
            rows.append(
                [
                    name,
                    m["paragraphs_per_page"],
                    m["gold_per_page"],
                    m["precision"],
                    m["recall"],
                    m["f1"],
                    f"{m['perfect_pages']}/{m['pages']}",
                    m["median_ms"],
                    common.ratio(m["mean_ms"], baseline_ms),
                ]
            )
        common.print_table(
            f"Extraction on the {corpus}: {len(pages)} pages",
            [
                "extractor",
                "paras/page",
                "gold/page",
                "precision",
                "recall",
                "F1",
                "perfect",
                "ms/page (median)",
                "time vs trafilatura",
            ],
            rows,
        )
        result[corpus] = measured
    common.note("paragraphs match when equal after whitespace normalisation; F1 is micro-averaged")
    return result


def main(argv: list[str] | None = None) -> int:
    return common.sized_main(__doc__, "extract.json", run, argv)


if __name__ == "__main__":
    sys.exit(main())
