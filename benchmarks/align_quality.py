"""Score the cross-language aligner and divergence detector against the dev set.

    python benchmarks/align_quality.py [--devset DIR] [--via-cli] [--json] [--verbose]

For every article in the dev set (tests/devset/<NN-slug>/{uk,en,ru}.txt + gold.json) it runs
`diffing.analyse.analyse_editions` (or `triglot align --json` with --via-cli) and reports:

- link precision/recall/F1: a link is an unordered pair of paragraphs of two languages that
  share a row; a row links the cross product of its members for every language pair;
  micro-averaged over the set, overall and per pair (uk-en, uk-ru, en-ru);
- `changed` divergence precision/recall: a prediction matches a gold entry when the kind is
  the same and {(lang_a, value_a), (lang_b, value_b)} is the same unordered pair (values
  within a relative tolerance of 1e-9); each gold entry matches at most once;
- the same link scores for a plain Gale–Church baseline run pairwise, as the yardstick;
- per-article analysis time (median, max) and size.

Low scores never fail the run; errors do (exit code 1), and so does a missing aligner
unless --baseline-only is given.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from benchmarks.gale_church import gale_church
except ModuleNotFoundError:  # run as a script: benchmarks/ itself is on sys.path
    from gale_church import gale_church  # type: ignore[no-redef]

LANGS: tuple[str, ...] = ("uk", "en", "ru")
LANG_PAIRS: tuple[tuple[str, str], ...] = (("uk", "en"), ("uk", "ru"), ("en", "ru"))
DEFAULT_DEVSET = Path(__file__).resolve().parent.parent / "tests" / "devset"
TARGETS = {"link_f1": 0.97, "changed_precision": 0.95, "changed_recall": 0.95}
VALUE_TOLERANCE = 1e-9

# (lang_a, index_a, lang_b, index_b) with lang_a before lang_b in LANGS order.
Link = tuple[str, int, str, int]


# ---- scoring ---------------------------------------------------------------------------------


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the ratios they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Share of predictions that are right; 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of gold items found; 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def canonical_link(lang_a: str, index_a: int, lang_b: str, index_b: int) -> Link:
    """Order a link's two ends by LANGS so that (uk 3, en 2) and (en 2, uk 3) are one link."""
    order = {lang: position for position, lang in enumerate(LANGS)}
    if order.get(lang_a, len(order)) > order.get(lang_b, len(order)):
        return (lang_b, index_b, lang_a, index_a)
    return (lang_a, index_a, lang_b, index_b)


def links_from_rows(rows: Iterable[Mapping[str, Any]], langs: Sequence[str] = LANGS) -> set[Link]:
    """Every cross-language paragraph pair that shares a row (cross product per language pair)."""
    links: set[Link] = set()
    for row in rows:
        for position, lang_a in enumerate(langs):
            for lang_b in langs[position + 1 :]:
                for index_a in row.get(lang_a) or []:
                    for index_b in row.get(lang_b) or []:
                        links.add(canonical_link(lang_a, int(index_a), lang_b, int(index_b)))
    return links


def links_from_beads(
    beads: Iterable[tuple[Sequence[int], Sequence[int]]], lang_a: str, lang_b: str
) -> set[Link]:
    """The links of a pairwise alignment (for instance Gale–Church's beads)."""
    return {
        canonical_link(lang_a, index_a, lang_b, index_b)
        for source, target in beads
        for index_a in source
        for index_b in target
    }


def pair_name(link: Link) -> str:
    return f"{link[0]}-{link[2]}"


def score_links(predicted: set[Link], gold: set[Link]) -> dict[str, Counts]:
    """Counts over all links ("all") and per language pair ("uk-en", "uk-ru", "en-ru")."""
    result = {"all": Counts()} | {f"{a}-{b}": Counts() for a, b in LANG_PAIRS}
    for link in predicted | gold:
        hit = Counts(
            tp=int(link in predicted and link in gold),
            fp=int(link in predicted and link not in gold),
            fn=int(link in gold and link not in predicted),
        )
        result["all"] += hit
        name = pair_name(link)
        result[name] = result.get(name, Counts()) + hit
    return result


def _same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(float(a), float(b), rel_tol=VALUE_TOLERANCE, abs_tol=1e-12)


def divergences_match(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """Same kind and the same unordered pair of (language, value)."""
    if predicted.get("kind") != gold.get("kind"):
        return False
    pa, pb, ga, gb = predicted["a"], predicted["b"], gold["a"], gold["b"]

    def side_equal(p: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
        return p.get("lang") == g.get("lang") and _same_value(p.get("value"), g.get("value"))

    return (side_equal(pa, ga) and side_equal(pb, gb)) or (
        side_equal(pa, gb) and side_equal(pb, ga)
    )


@dataclass
class DivergenceScore:
    counts: Counts
    missed: list[Mapping[str, Any]] = field(default_factory=list)
    extra: list[Mapping[str, Any]] = field(default_factory=list)


def score_divergences(
    predicted: Iterable[Mapping[str, Any]],
    gold: Iterable[Mapping[str, Any]],
    kind: str = "changed",
) -> DivergenceScore:
    """Match predictions of `kind` to gold entries one to one; keep the misses and extras."""
    candidates = [d for d in predicted if d.get("kind") == kind]
    remaining = [d for d in gold if d.get("kind") == kind]
    extra: list[Mapping[str, Any]] = []
    tp = 0
    for prediction in candidates:
        for position, wanted in enumerate(remaining):
            if divergences_match(prediction, wanted):
                del remaining[position]
                tp += 1
                break
        else:
            extra.append(prediction)
    return DivergenceScore(Counts(tp, len(extra), len(remaining)), remaining, extra)


# ---- the dev set -----------------------------------------------------------------------------


def read_paragraphs(path: Path) -> list[str]:
    """Paragraphs of a .txt edition: blocks separated by blank lines."""
    blocks = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


@dataclass
class Article:
    slug: str
    folder: Path
    editions: dict[str, list[str]]
    gold: dict[str, Any]

    @property
    def paragraph_count(self) -> int:
        return sum(len(paragraphs) for paragraphs in self.editions.values())


def load_devset(folder: Path) -> list[Article]:
    """Every article folder that has gold.json, in name order."""
    articles = []
    for gold_path in sorted(folder.glob("*/gold.json")):
        article_folder = gold_path.parent
        editions = {
            lang: read_paragraphs(article_folder / f"{lang}.txt")
            for lang in LANGS
            if (article_folder / f"{lang}.txt").exists()
        }
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        articles.append(Article(article_folder.name, article_folder, editions, gold))
    return articles


# ---- running the systems ---------------------------------------------------------------------


Analyser = Callable[[Article], dict[str, Any]]


def library_analyser() -> Analyser:
    """analyse_editions in-process, rendered as `triglot align --json` renders it (raises
    ImportError when the aligner is not there)."""
    from diffing.analyse import analyse_editions
    from triglot.offline import alignment_document

    def run(article: Article) -> dict[str, Any]:
        return alignment_document(analyse_editions(article.editions))

    return run


def cli_analyser() -> Analyser:
    """`triglot align --json uk=… en=… ru=…` as a subprocess, stdout parsed as JSON."""
    executable = shutil.which("triglot") or str(Path(sys.executable).with_name("triglot"))
    if not Path(executable).exists() and shutil.which(executable) is None:
        raise FileNotFoundError("the triglot command is not installed")

    def run(article: Article) -> dict[str, Any]:
        sources = [f"{lang}={article.folder / f'{lang}.txt'}" for lang in article.editions]
        completed = subprocess.run(
            [executable, "align", "--json", *sources],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"triglot align exited {completed.returncode}: {completed.stderr.strip()[-500:]}"
            )
        return json.loads(completed.stdout)

    return run


def baseline_links(editions: Mapping[str, Sequence[str]]) -> set[Link]:
    """Gale–Church run independently on each language pair."""
    links: set[Link] = set()
    for lang_a, lang_b in LANG_PAIRS:
        if lang_a in editions and lang_b in editions:
            beads = gale_church(list(editions[lang_a]), list(editions[lang_b]))
            links |= links_from_beads(beads, lang_a, lang_b)
    return links


@dataclass
class ArticleResult:
    article: Article
    gold_links: set[Link]
    baseline: dict[str, Counts]
    aligner: dict[str, Counts] | None = None
    predicted_links: set[Link] = field(default_factory=set)
    divergences: DivergenceScore | None = None
    milliseconds: float | None = None
    error: str | None = None

    def link_counts(self, pair: str = "all") -> Counts:
        """The aligner's link counts (empty when it did not run)."""
        return self.aligner[pair] if self.aligner is not None else Counts()

    def changed_counts(self) -> Counts:
        """The aligner's `changed` divergence counts (empty when it did not run)."""
        return self.divergences.counts if self.divergences is not None else Counts()

    @property
    def mistakes(self) -> int:
        if self.error:
            return 10**6
        if self.aligner is None or self.divergences is None:
            return 0
        link_errors = self.aligner["all"].fp + self.aligner["all"].fn
        return link_errors + self.divergences.counts.fp + self.divergences.counts.fn


def evaluate(article: Article, analyser: Analyser | None) -> ArticleResult:
    gold_links = links_from_rows(article.gold["rows"])
    result = ArticleResult(
        article, gold_links, score_links(baseline_links(article.editions), gold_links)
    )
    if analyser is None:
        return result
    started = time.perf_counter()
    try:
        output = analyser(article)
    except Exception as error:  # one broken article must not hide the others' numbers
        result.error = f"{type(error).__name__}: {error}"
        return result
    result.milliseconds = (time.perf_counter() - started) * 1000
    result.predicted_links = links_from_rows(output.get("rows", []))
    result.aligner = score_links(result.predicted_links, gold_links)
    result.divergences = score_divergences(
        output.get("divergences", []), article.gold.get("divergences", [])
    )
    return result


# ---- reporting -------------------------------------------------------------------------------


def _total(results: Iterable[ArticleResult], pick: Callable[[ArticleResult], Counts]) -> Counts:
    total = Counts()
    for result in results:
        total += pick(result)
    return total


def summarise(results: list[ArticleResult], via_cli: bool) -> dict[str, Any]:
    """The machine-readable summary (printed with --json)."""
    scored = [r for r in results if r.aligner is not None]
    pairs = ["all"] + [f"{a}-{b}" for a, b in LANG_PAIRS]
    summary: dict[str, Any] = {
        "articles": len(results),
        "paragraphs": sum(r.article.paragraph_count for r in results),
        "gold_changed": sum(
            sum(1 for d in r.article.gold.get("divergences", []) if d.get("kind") == "changed")
            for r in results
        ),
        "targets": TARGETS,
        "baseline_links": {
            name: _total(results, lambda r, n=name: r.baseline[n]).as_dict() for name in pairs
        },
        "errors": {r.article.slug: r.error for r in results if r.error},
    }
    if scored:
        times = [r.milliseconds for r in scored if r.milliseconds is not None]
        summary["aligner_links"] = {
            name: _total(scored, lambda r, n=name: r.link_counts(n)).as_dict() for name in pairs
        }
        summary["changed"] = _total(scored, ArticleResult.changed_counts).as_dict()
        summary["timing_ms"] = {
            "mode": "cli subprocess" if via_cli else "analyse_editions",
            "median": round(statistics.median(times), 1) if times else None,
            "max": round(max(times), 1) if times else None,
        }
    return summary


def _format_counts(counts: Mapping[str, Any]) -> str:
    return (
        f"P {counts['precision']:.3f}  R {counts['recall']:.3f}  F1 {counts['f1']:.3f}"
        f"  (tp {counts['tp']}, fp {counts['fp']}, fn {counts['fn']})"
    )


def print_table(results: list[ArticleResult], summary: dict[str, Any]) -> None:
    header = f"{'article':34} {'paras':>11} {'rows':>4} {'link F1':>7} {'GC F1':>6}"
    header += f" {'chg tp/fp/fn':>12} {'ms':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        sizes = "/".join(str(len(r.article.editions.get(lang, []))) for lang in LANGS)
        if r.error:
            aligner_f1, changed, ms = "ERROR", "", ""
        elif r.aligner is None:
            aligner_f1, changed, ms = "-", "-", "-"
        else:
            aligner_f1 = f"{r.aligner['all'].f1:.3f}"
            c = r.changed_counts()
            changed = f"{c.tp}/{c.fp}/{c.fn}"
            ms = f"{r.milliseconds:.1f}"
        print(
            f"{r.article.slug[:34]:34} {sizes:>11} {len(r.article.gold['rows']):>4}"
            f" {aligner_f1:>7} {r.baseline['all'].f1:>6.3f} {changed:>12} {ms:>8}"
        )
    print()
    print(
        f"{summary['articles']} articles, {summary['paragraphs']} paragraphs, "
        f"{summary['gold_changed']} gold changed divergences"
    )
    if "aligner_links" in summary:
        print("\naligner links")
        for name, counts in summary["aligner_links"].items():
            print(f"  {name:6} {_format_counts(counts)}")
        print(f"  target: link F1 >= {TARGETS['link_f1']}")
        print("\nchanged divergences")
        print(f"  {'all':6} {_format_counts(summary['changed'])}")
        print(
            f"  target: precision >= {TARGETS['changed_precision']}, "
            f"recall >= {TARGETS['changed_recall']}"
        )
        timing = summary["timing_ms"]
        print(
            f"\ntime per article ({timing['mode']}): median {timing['median']} ms, "
            f"max {timing['max']} ms"
        )
    print("\nGale–Church baseline links (pairwise; finds no divergences)")
    for name, counts in summary["baseline_links"].items():
        print(f"  {name:6} {_format_counts(counts)}")
    for slug, error in summary["errors"].items():
        print(f"\nERROR {slug}: {error}")


def _snippet(article: Article, lang: str, index: int, width: int = 60) -> str:
    paragraphs = article.editions.get(lang, [])
    text = paragraphs[index] if 0 <= index < len(paragraphs) else "<no such paragraph>"
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe_link(article: Article, link: Link) -> str:
    lang_a, index_a, lang_b, index_b = link
    return (
        f"{lang_a}[{index_a}]–{lang_b}[{index_b}]  "
        f"{_snippet(article, lang_a, index_a)!r} / {_snippet(article, lang_b, index_b)!r}"
    )


def _describe_divergence(divergence: Mapping[str, Any]) -> str:
    def side(s: Mapping[str, Any]) -> str:
        raw = f" ({s['raw']!r})" if s.get("raw") else ""
        return f"{s.get('lang')}={s.get('value')}{raw}"

    return f"row {divergence.get('row')}: {side(divergence['a'])} vs {side(divergence['b'])}"


def print_mistakes(results: list[ArticleResult], worst: int) -> None:
    """The articles with the most mistakes, with each missed/extra link and divergence."""
    ranked = sorted((r for r in results if r.mistakes), key=lambda r: -r.mistakes)[:worst]
    if not ranked:
        print("\nno mistakes")
        return
    print(f"\nworst {len(ranked)} articles")
    for r in ranked:
        print(f"\n== {r.article.slug}  ({r.article.gold.get('notes', '')})")
        if r.error:
            print(f"  error: {r.error}")
            continue
        for label, links in (
            ("missed link", r.gold_links - r.predicted_links),
            ("extra link ", r.predicted_links - r.gold_links),
        ):
            for link in sorted(links):
                print(f"  {label}  {_describe_link(r.article, link)}")
        assert r.divergences is not None
        for divergence in r.divergences.missed:
            print(f"  missed divergence  {_describe_divergence(divergence)}")
        for divergence in r.divergences.extra:
            print(f"  extra divergence   {_describe_divergence(divergence)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--via-cli", action="store_true", help="run `triglot align --json`")
    parser.add_argument("--json", action="store_true", help="print a JSON summary only")
    parser.add_argument("--verbose", action="store_true", help="list the worst articles")
    parser.add_argument("--worst", type=int, default=5, help="how many articles --verbose lists")
    parser.add_argument(
        "--baseline-only", action="store_true", help="score only the Gale–Church baseline"
    )
    args = parser.parse_args(argv)

    articles = load_devset(args.devset)
    if not articles:
        print(f"no articles with gold.json under {args.devset}", file=sys.stderr)
        return 1
    analyser: Analyser | None = None
    unavailable = None
    if not args.baseline_only:
        try:
            analyser = cli_analyser() if args.via_cli else library_analyser()
        except (ImportError, FileNotFoundError) as error:
            unavailable = f"aligner unavailable: {type(error).__name__}: {error}"
    results = [evaluate(article, analyser) for article in articles]
    summary = summarise(results, args.via_cli)
    if unavailable:
        summary["errors"]["aligner"] = unavailable
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_table(results, summary)
        if args.verbose and analyser is not None:
            print_mistakes(results, args.worst)
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
