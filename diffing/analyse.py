"""The analysis behind `triglot align --json`: align the editions, then compare their figures.

Figures are extracted once per paragraph and serve twice: as alignment evidence (the same
numbers appear in every edition) and as the material of the per-row comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from diffing.align import LANG_ORDER, Row, align_editions, paragraph_signals
from diffing.compare import compare_figures
from diffing.figures import Figure, extract_figures

LANG_PAIRS = (("uk", "en"), ("uk", "ru"), ("en", "ru"))


def normalise_editions(
    editions: Mapping[str, Sequence[str] | Mapping[str, Any]],
    titles: Mapping[str, str | None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Accept editions as paragraph lists or {"title", "paragraphs"} dicts; order uk, en, ru."""
    titles = titles or {}
    ordered = [lang for lang in LANG_ORDER if lang in editions] + [
        lang for lang in editions if lang not in LANG_ORDER
    ]
    result: dict[str, dict[str, Any]] = {}
    for lang in ordered:
        edition = editions[lang]
        if isinstance(edition, Mapping):
            paragraphs = list(edition.get("paragraphs") or [])
            title = edition.get("title")
        else:
            paragraphs = list(edition)
            title = None
        if titles.get(lang) is not None:
            title = titles[lang]
        result[lang] = {"title": title, "paragraphs": [str(p) for p in paragraphs]}
    return result


def extract_paragraph_figures(paragraphs: Sequence[str], lang: str) -> list[list[Figure]]:
    """The figures of each paragraph, in order (what the archive stores per paragraph)."""
    return [list(extract_figures(text, lang)) for text in paragraphs]


def _paragraph_figures(
    paragraphs: Mapping[str, Sequence[str]], given: Mapping[str, Sequence[Sequence[Figure]]]
) -> dict[str, list[list[Figure]]]:
    """Each language's figures per paragraph: the given ones, else extracted now."""
    result = {}
    for lang, texts in paragraphs.items():
        if given.get(lang) is None:
            result[lang] = extract_paragraph_figures(texts, lang)
            continue
        if len(given[lang]) != len(texts):
            raise ValueError(
                f"figures for {lang!r} cover {len(given[lang])} paragraphs, not {len(texts)}"
            )
        result[lang] = [list(paragraph_figures) for paragraph_figures in given[lang]]
    return result


def extract_row_figures(
    row: Row, figures: Mapping[str, Sequence[Sequence[Figure]]], lang: str
) -> list[Figure]:
    """All figures one language states in one row, in reading order."""
    return [figure for index in row.members.get(lang, []) for figure in figures[lang][index]]


def _side(figure: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    if figure is None:
        return {"lang": lang, "raw": None, "value": None, "unit": None}
    return {
        "lang": lang,
        "raw": figure.get("raw"),
        "value": figure.get("value"),
        "unit": figure.get("unit"),
    }


def row_divergences(
    row_index: int, row: Row, figures: Mapping[str, Sequence[Sequence[Figure]]]
) -> list[dict[str, Any]]:
    """Divergences of one aligned row, one per pair of languages that both have paragraphs.

    A `missing` names the edition that states the figure as `a` and the one lacking it as
    `b`. A weak row is no evidence that a figure is missing, so it reports only `changed`.
    """
    divergences = []
    for lang_a, lang_b in LANG_PAIRS:
        if not (row.members.get(lang_a) and row.members.get(lang_b)):
            continue
        figures_a = extract_row_figures(row, figures, lang_a)
        figures_b = extract_row_figures(row, figures, lang_b)
        if not figures_a and not figures_b:
            continue
        for found in compare_figures(figures_a, figures_b):
            kind = found.get("kind")
            if kind == "missing":
                if row.weak:
                    continue
                if found.get("a") is None:
                    a_side = _side(found.get("b"), lang_b)
                    b_side = _side(None, lang_a)
                else:
                    a_side = _side(found.get("a"), lang_a)
                    b_side = _side(None, lang_b)
            else:
                a_side = _side(found.get("a"), lang_a)
                b_side = _side(found.get("b"), lang_b)
            divergences.append(
                {
                    "row": row_index,
                    "kind": kind,
                    "a": a_side,
                    "b": b_side,
                    "deepdiff": found.get("deepdiff", {}),
                }
            )
    return divergences


def analyse_editions(
    editions: Mapping[str, Sequence[str] | Mapping[str, Any]],
    titles: Mapping[str, str | None] | None = None,
    *,
    figures: Mapping[str, Sequence[Sequence[Figure]]] | None = None,
) -> dict[str, Any]:
    """The `triglot align --json` document for the given editions of one article.

    `figures` may carry, per language, each paragraph's figures as `extract_figures` gives
    them (the diff stage extracts them anyway to store them); a language left out is
    extracted here. The document is the same either way.
    """
    normalised = normalise_editions(editions, titles)
    paragraphs = {lang: edition["paragraphs"] for lang, edition in normalised.items()}
    found = _paragraph_figures(paragraphs, figures or {})
    signals = {
        lang: [
            paragraph_signals(text, lang, paragraph_figures)
            for text, paragraph_figures in zip(texts, found[lang], strict=True)
        ]
        for lang, texts in paragraphs.items()
    }
    rows = align_editions(paragraphs, signals)
    divergences = []
    for index, row in enumerate(rows):
        divergences.extend(row_divergences(index, row, found))
    return {
        "editions": normalised,
        "rows": [
            {
                **{lang: list(row.members[lang]) for lang in normalised},
                "score": row.score,
                "weak": row.weak,
            }
            for row in rows
        ],
        "divergences": divergences,
    }
