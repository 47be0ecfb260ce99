"""The analysis behind `triglot align --json`: align the editions, then compare their figures.

Figures are extracted once per paragraph and serve twice: as alignment evidence (the same
numbers appear in every edition) and as the material of the per-row comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from diffing.align import Row, align_editions, paragraph_signals
from diffing.compare import compare_figures
from diffing.figures import Figure, extract_figures, number_convention
from diffing.langs import language_order, language_pairs


def normalise_editions(
    editions: Mapping[str, Sequence[str] | Mapping[str, Any]],
    titles: Mapping[str, str | None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Accept editions as paragraph lists or {"title", "paragraphs"} dicts, in registry order."""
    titles = titles or {}
    ordered = language_order(editions)
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
    """The figures of each paragraph, in order (what the archive stores per paragraph).

    The page's own number convention decides "2,300 т" (2.3 on a page that writes "1,5").
    """
    convention = number_convention(paragraphs)
    return [list(extract_figures(text, lang, convention=convention)) for text in paragraphs]


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


@dataclass(frozen=True, slots=True)
class FigureRef:
    """One side of a divergence: a language, the paragraph (index into that edition's
    paragraphs), and the figure it states there — None for the side that lacks it."""

    lang: str
    paragraph_index: int | None
    figure: Figure | None


@dataclass(frozen=True, slots=True)
class Divergence:
    """A figure two aligned editions state differently (`changed`) or only one states
    (`missing`: `a` has it, `b` lacks it)."""

    row: int
    kind: str
    a: FigureRef
    b: FigureRef
    deepdiff: dict = field(default_factory=dict)

    @property
    def figure_kind(self) -> str | None:
        """The kind of figure at stake (count, money, ...): the stated side's."""
        stated = self.a.figure or self.b.figure
        return stated.kind if stated is not None else None


@dataclass(frozen=True, slots=True)
class Edition:
    title: str | None
    paragraphs: list[str]


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the analysis of one article found; triglot.offline renders it as JSON."""

    editions: dict[str, Edition]
    rows: list[Row]
    divergences: list[Divergence]
    figures: dict[str, list[list[Figure]]] = field(default_factory=dict)


def extract_row_figures(
    row: Row, figures: Mapping[str, Sequence[Sequence[Figure]]], lang: str
) -> list[Figure]:
    """All figures one language states in one row, in reading order."""
    return [figure for index in row.members.get(lang, []) for figure in figures[lang][index]]


def _row_paragraph_of_figures(
    row: Row, figures: Mapping[str, Sequence[Sequence[Figure]]], lang: str
) -> list[int]:
    """For each figure `extract_row_figures` gives, the paragraph index it comes from."""
    return [index for index in row.members.get(lang, []) for _ in figures[lang][index]]


def _ref(
    lang: str, row: Row, figure: Figure | None, index: int | None, paragraphs: list[int]
) -> FigureRef:
    """A side of a divergence; a side without a figure points at the row's first paragraph."""
    if figure is None or index is None:
        members = row.members.get(lang) or []
        return FigureRef(lang, members[0] if members else None, None)
    return FigureRef(lang, paragraphs[index], figure)


def row_divergences(
    row_index: int,
    row: Row,
    figures: Mapping[str, Sequence[Sequence[Figure]]],
    pairs: Sequence[tuple[str, str]] | None = None,
) -> list[Divergence]:
    """Divergences of one aligned row, one per pair of languages that both have paragraphs.

    A `missing` names the edition that states the figure as `a` and the one lacking it as
    `b`. A weak row is no evidence that a figure is missing, so it reports only `changed`.
    """
    divergences = []
    for lang_a, lang_b in language_pairs(row.members) if pairs is None else pairs:
        if not (row.members.get(lang_a) and row.members.get(lang_b)):
            continue
        figures_a = extract_row_figures(row, figures, lang_a)
        figures_b = extract_row_figures(row, figures, lang_b)
        if not figures_a and not figures_b:
            continue
        paragraphs_a = _row_paragraph_of_figures(row, figures, lang_a)
        paragraphs_b = _row_paragraph_of_figures(row, figures, lang_b)
        for found in compare_figures(figures_a, figures_b):
            side_a = _ref(lang_a, row, found.a, found.a_index, paragraphs_a)
            side_b = _ref(lang_b, row, found.b, found.b_index, paragraphs_b)
            if found.kind == "missing":
                if row.weak:
                    continue
                if found.a is None:
                    side_a, side_b = side_b, side_a
            divergences.append(Divergence(row_index, found.kind, side_a, side_b, found.deepdiff))
    return divergences


def analyse_editions(
    editions: Mapping[str, Sequence[str] | Mapping[str, Any]],
    titles: Mapping[str, str | None] | None = None,
    *,
    figures: Mapping[str, Sequence[Sequence[Figure]]] | None = None,
) -> Analysis:
    """Align the given editions of one article and compare their figures row by row.

    `figures` may carry, per language, each paragraph's figures as `extract_figures` gives
    them (the diff stage extracts them anyway to store them); a language left out is
    extracted here. The result is the same either way.
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
    pairs = language_pairs(paragraphs)  # every pair of the editions given: uk-en, uk-ru, ...
    for index, row in enumerate(rows):
        divergences.extend(row_divergences(index, row, found, pairs))
    return Analysis(
        {lang: Edition(e["title"], e["paragraphs"]) for lang, e in normalised.items()},
        rows,
        divergences,
        found,
    )
