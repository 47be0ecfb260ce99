"""Article extraction on real pages: the public article-extraction benchmark (AEB).

Runs Triglot's generic path (``extract_page`` without a profile) and trafilatura, in the
same run, on the 181 real pages of ``../shared/aeb`` (see its ABOUT.md), writes both
prediction files and scores them with the benchmark's own scorer (``score.py``: shingle
precision / recall averaged over pages). Prints F1, precision, recall and ms per page for
both, and the ratios. The pages stay where they are: nothing of them is copied here.

    python benchmarks/bench_aeb.py [--quick] [--aeb DIR] [--keep DIR]

Skipped, with a message, when the AEB folder is absent (a fresh clone has none).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402

DEFAULT_AEB = common.REPO.parent / "shared" / "aeb"
SIZES = {"full": {"repeats": 3, "pages": None}, "quick": {"repeats": 1, "pages": None},
         "smoke": {"repeats": 1, "pages": 12}}  # fmt: skip


def aeb_dir() -> Path:
    return Path(os.environ.get("TRIGLOT_AEB", DEFAULT_AEB))


def decode(raw: bytes) -> str:
    """The page as text the way Scrapy decodes a body without an HTTP charset (w3lib)."""
    from w3lib.encoding import html_to_unicode

    return html_to_unicode(None, raw)[1]


def load_pages(folder: Path, limit: int | None = None) -> list[dict[str, Any]]:
    truth = json.loads((folder / "ground-truth.json").read_text())
    pages = []
    for page_id in sorted(truth)[:limit]:
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append({"id": page_id, "url": truth[page_id].get("url") or "", "html": decode(raw)})
    return pages


def ours(page: dict[str, Any]) -> str:
    from crawler.extract import body_text, clear_text_caches, extract_page

    clear_text_caches()  # every reading is a first reading, as in a crawl
    return body_text(extract_page(page["html"], page["url"], None))


def trafilatura_baseline(page: dict[str, Any]) -> str:
    import trafilatura

    return trafilatura.extract(page["html"], url=page["url"] or None) or ""


def load_scorer(folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location("aeb_score", folder / "score.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def measure(
    pages: list[dict], extractors: dict[str, Any], repeats: int
) -> dict[str, tuple[dict[str, str], float]]:
    """Predictions by page id and mean ms per page, for each extractor. The extractors take
    turns page by page, so a load spike on this shared machine hits them alike."""
    outputs = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for page in pages:
        for name, extract in extractors.items():
            outputs[name][page["id"]] = extract(page)  # warm-up, and the prediction
    for _ in range(repeats):
        for page in pages:
            for name, extract in extractors.items():
                started = time.perf_counter()
                extract(page)
                seconds[name] += time.perf_counter() - started
    n = max(1, repeats * len(pages))
    return {name: (outputs[name], 1000 * seconds[name] / n) for name in extractors}


def run(size: str = "full", folder: Path | None = None, keep: Path | None = None) -> dict:
    folder = folder or aeb_dir()
    if not (folder / "ground-truth.json").is_file() or not (folder / "score.py").is_file():
        message = f"AEB skipped: no benchmark at {folder} (ground-truth.json, score.py, html/)"
        common.note(message)
        return {"skipped": message}
    cfg = SIZES[size]
    pages = load_pages(folder, cfg["pages"])
    common.progress(f"aeb: {len(pages)} pages, {cfg['repeats']} timed passes each")
    scorer = load_scorer(folder)
    truth = json.loads((folder / "ground-truth.json").read_text())
    truth = {page["id"]: truth[page["id"]] for page in pages}
    out_dir = keep or Path(tempfile.mkdtemp(prefix="triglot-aeb-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"size": size, "pages": len(pages)}
    import trafilatura

    names = {"triglot": ours, "trafilatura": trafilatura_baseline}
    versions = {"triglot": _our_version(), "trafilatura": trafilatura.__version__}
    measured = measure(pages, names, cfg["repeats"])
    for name in names:
        output, ms = measured[name]
        path = out_dir / f"{name}.json"
        path.write_text(
            json.dumps({"version": versions[name], "output": {
                k: {"articleBody": v} for k, v in output.items()}}, ensure_ascii=False)
        )  # fmt: skip
        pred = {k: {"articleBody": v} for k, v in output.items()}
        scored = scorer.score(truth, pred, n_boot=50)
        result[name] = {
            "f1": scored["f1"][0],
            "f1_sd": scored["f1"][1],
            "precision": scored["precision"][0],
            "recall": scored["recall"][0],
            "accuracy": scored["accuracy"][0],
            "ms_per_page": ms,
            "predictions": str(path),
            "version": versions[name],
        }
    t, b = result["triglot"], result["trafilatura"]
    result["f1_delta"] = t["f1"] - b["f1"]
    result["time_ratio"] = common.ratio(t["ms_per_page"], b["ms_per_page"])
    result["winners"] = _winners(pages)
    common.print_table(
        f"AEB: {len(pages)} real article pages, scored by {folder / 'score.py'}",
        ["extractor", "version", "F1", "precision", "recall", "exact pages", "ms/page",
         "time vs trafilatura"],
        [[n.replace("triglot", "Triglot, generic (no profile)"), r["version"], f"{r['f1']:.3f}",
          f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['accuracy']:.3f}", r["ms_per_page"],
          common.ratio(r["ms_per_page"], b["ms_per_page"])]
         for n, r in ((k, result[k]) for k in names)],
    )  # fmt: skip
    common.note(
        f"F1 Triglot - trafilatura: {result['f1_delta']:+.3f}; predictions in {out_dir}; "
        f"winning candidates: {dict(result['winners'])}"
    )
    return result


def _our_version() -> str:
    from crawler.extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def _winners(pages: list[dict]) -> Counter:
    """Which candidate of the cascade won, page by page (the extraction record)."""
    from crawler.extract import extract_page

    return Counter(extract_page(p["html"], p["url"], None).extraction or "none" for p in pages)


def main(argv: list[str] | None = None) -> int:
    parser = common.size_parser(__doc__)
    parser.add_argument("--aeb", type=Path, default=None, help="the AEB folder")
    parser.add_argument("--keep", type=Path, default=None, help="write predictions here")
    args = parser.parse_args(argv)
    size = common.chosen_size(args)
    result = run(size, args.aeb, args.keep)
    common.write_results("aeb.json", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
