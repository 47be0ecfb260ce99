"""`triglot align`: saved pages or text files in, the alignment document out.

The same extraction the crawler uses reads HTML; `.txt` files hold paragraphs separated
by blank lines. The language comes from `LANG=PATH`, else from the page's declaration,
else from the text itself.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from crawler.extract import extract_page
from diffing.analyse import Analysis, FigureRef, analyse_editions
from diffing.langs import LANGUAGES
from diffing.language import detect_language

LANGS = LANGUAGES  # every language of the registry (diffing.langs), in its order
_BLANK_LINE = re.compile(r"\n\s*\n")


def read_text_paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in _BLANK_LINE.split(text) if block.strip()]


def _decode(data: bytes) -> str:
    """Honour a BOM or <meta charset>; legacy pages are often windows-1251, never force UTF-8."""
    _, text = html_to_unicode(None, data)
    return text


def load_source(source: str) -> tuple[str, str | None, list[str]]:
    """One SOURCE (PATH or LANG=PATH) -> (lang, title, paragraphs)."""
    lang = None
    path_text = source
    prefix, sep, rest = source.partition("=")
    if sep and prefix in LANGS:
        lang, path_text = prefix, rest
    elif sep and len(prefix) <= 3 and prefix.isalpha() and not Path(source).exists():
        raise ValueError(f"{source}: unknown language {prefix!r} (use {', '.join(LANGS)})")
    path = Path(path_text)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    data = path.read_bytes()
    if path.suffix.lower() == ".txt":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: a .txt source must be UTF-8 ({error})") from error
        title, paragraphs, declared = None, read_text_paragraphs(text), None
    else:
        page = extract_page(_decode(data), path.resolve().as_uri())
        title, paragraphs, declared = page.title, page.paragraphs, page.lang_declared
    lang = lang or (declared if declared in LANGS else None)
    if lang is None:
        detected, _confidence = detect_language(" ".join(paragraphs))
        if detected not in LANGS:
            raise ValueError(f"{path}: cannot tell its language; name it as LANG={path}")
        lang = detected
    return lang, title, paragraphs


def _side(ref: FigureRef) -> dict[str, Any]:
    figure = ref.figure
    return {
        "lang": ref.lang,
        "raw": figure.raw if figure is not None else None,
        "value": figure.value if figure is not None else None,
        "unit": figure.unit if figure is not None else None,
    }


def alignment_document(analysis: Analysis) -> dict[str, Any]:
    """The `triglot align --json` contract (DESIGN.md), rendered from the typed analysis."""
    langs = list(analysis.editions)
    return {
        "editions": {
            lang: {"title": edition.title, "paragraphs": list(edition.paragraphs)}
            for lang, edition in analysis.editions.items()
        },
        "rows": [
            {
                **{lang: list(row.members[lang]) for lang in langs},
                "score": row.score,
                "weak": row.weak,
            }
            for row in analysis.rows
        ],  # fmt: skip
        "divergences": [
            {
                "row": divergence.row,
                "kind": divergence.kind,
                "a": _side(divergence.a),
                "b": _side(divergence.b),
                "deepdiff": divergence.deepdiff,
            }
            for divergence in analysis.divergences
        ],
    }


def align_sources(sources: tuple[str, ...] | list[str]) -> dict[str, Any]:
    editions: dict[str, list[str]] = {}
    titles: dict[str, str | None] = {}
    for source in sources:
        lang, title, paragraphs = load_source(source)
        if lang in editions:
            raise ValueError(f"{source}: a second {lang} edition (give one source per language)")
        editions[lang], titles[lang] = paragraphs, title
    ordered = {lang: editions[lang] for lang in LANGS if lang in editions}
    analysis = analyse_editions(ordered, titles={lang: titles[lang] for lang in ordered})
    return alignment_document(analysis)


def format_alignment(document: dict[str, Any], width: int | None = None) -> str:
    """A side-by-side table for a terminal, divergent figures marked with »«."""
    langs = [lang for lang in LANGS if lang in document["editions"]]
    width = width or min(shutil.get_terminal_size((140, 40)).columns, 180)
    column = max(20, (width - 8 - 3 * len(langs)) // max(1, len(langs)))
    marks: dict[tuple[int, str], list[str]] = {}
    for divergence in document["divergences"]:
        for side in ("a", "b"):
            fig = divergence.get(side) or {}
            if fig.get("raw"):
                marks.setdefault((divergence["row"], fig["lang"]), []).append(fig["raw"])
    lines = ["row  score " + " | ".join(lang.ljust(column) for lang in langs)]
    lines.append("-" * len(lines[0]))
    for number, row in enumerate(document["rows"]):
        cells = []
        for lang in langs:
            paragraphs = document["editions"][lang]["paragraphs"]
            text = " / ".join(paragraphs[i] for i in row.get(lang, [])) or "—"
            for raw in marks.get((number, lang), []):
                text = text.replace(raw, f"»{raw}«", 1)
            cells.append(textwrap.wrap(text, column, max_lines=4, placeholder=" …") or [""])
        flag = "?" if row.get("weak") else " "
        height = max(len(c) for c in cells)
        for line_number in range(height):
            prefix = (
                f"{number:>3}{flag} {row.get('score', 0):.2f} " if line_number == 0 else " " * 11
            )
            lines.append(
                prefix
                + " | ".join(
                    (c[line_number] if line_number < len(c) else "").ljust(column) for c in cells
                )
            )
    lines.append("")
    if not document["divergences"]:
        lines.append("No divergent figures.")
    for divergence in document["divergences"]:
        a, b = divergence["a"], divergence["b"]
        lines.append(
            f"row {divergence['row']}: {divergence['kind']}: {a['lang']} {a.get('raw') or '—'}"
            f" vs {b['lang']} {b.get('raw') or '—'}"
        )
    return "\n".join(lines)
