"""Presentation logic of the article page: figure spans and version diffs, as plain data.

Everything here returns lists of segments (dicts of plain text plus flags); the template
renders them with autoescaping, so article text — which is untrusted — never becomes
markup. No I/O, no SQLite.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

Segment = dict[str, Any]


def figure_spans(text: str, figures: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Figures with trustworthy (start, end) offsets, in order, without overlaps.

    Stored offsets are used when they point at the figure's raw text; otherwise the raw
    text is searched for (an older extractor, a re-normalised paragraph). Figures whose
    text cannot be found are left out rather than marked in the wrong place.
    """
    placed: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for figure in sorted(figures, key=lambda f: (f.get("start") is None, f.get("start") or 0)):
        raw = figure.get("raw") or ""
        start, end = figure.get("start"), figure.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            start = None
        elif raw and text[start:end] != raw:
            start = None
        if start is None:
            if not raw:
                continue
            start = _free_occurrence(text, raw, taken)
            if start is None:
                continue
            end = start + len(raw)
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        placed.append({**figure, "start": start, "end": end})
    placed.sort(key=lambda f: f["start"])
    return placed


def _free_occurrence(text: str, raw: str, taken: list[tuple[int, int]]) -> int | None:
    position = text.find(raw)
    while position != -1:
        end = position + len(raw)
        if not any(position < t_end and t_start < end for t_start, t_end in taken):
            return position
        position = text.find(raw, position + 1)
    return None


def mark_figures(text: str, figures: Iterable[dict[str, Any]]) -> list[Segment]:
    """Split ``text`` into plain and figure segments.

    A figure dict may carry ``notes`` (the other editions' values, e.g. "ru: 472 тысячи");
    a figure with notes is divergent.
    """
    segments: list[Segment] = []
    cursor = 0
    for figure in figure_spans(text, figures):
        if figure["start"] > cursor:
            segments.append({"text": text[cursor : figure["start"]], "figure": None})
        segments.append({"text": text[figure["start"] : figure["end"]], "figure": figure})
        cursor = figure["end"]
    if cursor < len(text) or not segments:
        segments.append({"text": text[cursor:], "figure": None})
    return segments


def format_value(value: Any, unit: str | None = None) -> str:
    """A normalised value for people: 427000.0 -> "427 000", with its unit."""
    if value is None:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number.is_integer():
        shown = f"{int(number):,}".replace(",", "\u202f")
    else:
        shown = f"{number:,.6g}".replace(",", "\u202f")
    if unit == "percent":
        return f"{shown}%"
    return f"{shown} {unit}" if unit else shown


WORD = re.compile(r"\s+|\w+(?:[.,'’]\w+)*|\S")


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level diff of two paragraphs: segments with op equal, delete or insert.

    A changed token that contains a digit is flagged ``figure`` so a changed number
    stands out from reworded prose.
    """
    old_tokens, new_tokens = WORD.findall(old), WORD.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    segments: list[Segment] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            segments.append({"op": "equal", "text": "".join(old_tokens[a0:a1]), "figure": False})
            continue
        if a1 > a0:
            removed = "".join(old_tokens[a0:a1])
            segments.append({"op": "delete", "text": removed, "figure": _has_digit(removed)})
        if b1 > b0:
            added = "".join(new_tokens[b0:b1])
            segments.append({"op": "insert", "text": added, "figure": _has_digit(added)})
    return segments


def paragraph_diff(old: list[str], new: list[str]) -> list[dict[str, Any]]:
    """How one version's paragraphs became the next's.

    Returns blocks: {"op": "same", "count": n} for unchanged runs, {"op": "changed",
    "segments": word_diff} for a reworded paragraph, {"op": "removed"/"added", "text": t}.
    """
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    blocks: list[dict[str, Any]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            blocks.append({"op": "same", "count": a1 - a0})
        elif op == "delete":
            blocks.extend({"op": "removed", "text": text} for text in old[a0:a1])
        elif op == "insert":
            blocks.extend({"op": "added", "text": text} for text in new[b0:b1])
        else:
            pairs = min(a1 - a0, b1 - b0)
            for offset in range(pairs):
                blocks.append(
                    {
                        "op": "changed",
                        "segments": word_diff(old[a0 + offset], new[b0 + offset]),
                    }
                )
            blocks.extend({"op": "removed", "text": text} for text in old[a0 + pairs : a1])
            blocks.extend({"op": "added", "text": text} for text in new[b0 + pairs : b1])
    return blocks
