"""Two versions of one edition: which paragraphs were kept, edited, added or removed, and
which figures changed.

Both versions are in the same language, so an edit-distance alignment of paragraphs is
right here: identical paragraphs anchor the alignment (difflib), and the blocks between
anchors are aligned by a small dynamic programme over word-level similarity. Figures
are then compared exactly — same language, same conventions — and the differences are
reported with deepdiff on the normalised records.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from deepdiff import DeepDiff

from diffing.figures import Figure, extract_figures, number_convention

GAP_COST = 0.35  # pairing two paragraphs costs 1 - similarity; skipping one costs this
MAX_DP_CELLS = 40_000  # beyond this, a block is paired in order rather than by DP
COMPARED_KINDS = ("count", "money", "percent", "measure", "date", "year", "time")

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def similarity(a: str, b: str) -> float:
    """Word-level similarity in [0, 1]; rewording keeps it high, a new topic drops it."""
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _align_block(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    n, m = len(old), len(new)
    if n == 0 or m == 0:
        return [(i, None) for i in range(n)] + [(None, j) for j in range(m)]
    if n * m > MAX_DP_CELLS:
        pairs: list[tuple[int | None, int | None]] = list(
            zip(range(min(n, m)), range(min(n, m)), strict=True)
        )
        pairs += [(i, None) for i in range(m, n)] + [(None, j) for j in range(n, m)]
        return pairs
    sim = [[similarity(old[i], new[j]) for j in range(m)] for i in range(n)]
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0], move[i][0] = i * GAP_COST, "del"
    for j in range(1, m + 1):
        cost[0][j], move[0][j] = j * GAP_COST, "ins"
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [
                (cost[i - 1][j - 1] + 1.0 - sim[i - 1][j - 1], "pair"),
                (cost[i - 1][j] + GAP_COST, "del"),
                (cost[i][j - 1] + GAP_COST, "ins"),
            ]
            cost[i][j], move[i][j] = min(options)
    out: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        step = move[i][j]
        if step == "pair":
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == "del":
            out.append((i - 1, None))
            i -= 1
        else:
            out.append((None, j - 1))
            j -= 1
    return out[::-1]


def align_versions(old: list[str], new: list[str]) -> list[dict[str, Any]]:
    """Pairs of (old index, new index) in reading order with a status per pair."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            block = _align_block(old[i1:i2], new[j1:j2])
            pairs += [
                (None if a is None else i1 + a, None if b is None else j1 + b) for a, b in block
            ]
    rows = []
    for a, b in pairs:
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        elif old[a] == new[b]:
            status = "same"
        else:
            status = "edited"
        rows.append({"old": a, "new": b, "status": status})
    return rows


def _record(fig: Figure) -> dict[str, Any]:
    return {"kind": fig.kind, "unit": fig.unit, "value": fig.value, "high": fig.high}


def _key(fig: Figure) -> tuple:
    return (fig.kind, fig.unit, fig.value, fig.high)


def _deepdiff(a: Figure | None, b: Figure | None) -> dict[str, Any]:
    diff = DeepDiff(_record(a) if a else {}, _record(b) if b else {}, ignore_order=True)
    return json.loads(diff.to_json())


def _changed_blocks(rows: list[dict[str, Any]]) -> list[tuple[int, list[dict[str, Any]]]]:
    blocks: list[tuple[int, list[dict[str, Any]]]] = []
    for number, row in enumerate(rows):
        if row["status"] == "same":
            continue
        if blocks and blocks[-1][0] + len(blocks[-1][1]) == number:
            blocks[-1][1].append(row)
        else:
            blocks.append((number, [row]))
    return blocks


def compare_version_figures(
    old: list[tuple[int, Figure]], new: list[tuple[int, Figure]]
) -> list[dict[str, Any]]:
    """Exact comparison of two lists of (paragraph index, figure) of one language.

    Equal figures cancel out first (in order); what remains is paired by kind and unit in
    order of appearance as `changed`, and the rest is `removed` or `added`.
    """
    old = [(i, f) for i, f in old if f.kind in COMPARED_KINDS]
    remaining_new = [(i, f) for i, f in new if f.kind in COMPARED_KINDS]
    unmatched_old = []
    for index, fig in old:
        match = next((m for m in remaining_new if _key(m[1]) == _key(fig)), None)
        if match is None:
            unmatched_old.append((index, fig))
        else:
            remaining_new.remove(match)
    changes: list[tuple[str, tuple[int, Figure] | None, tuple[int, Figure] | None]] = []
    for index, fig in unmatched_old:
        match = next(
            (m for m in remaining_new if m[1].kind == fig.kind and m[1].unit == fig.unit), None
        )
        if match is not None:
            remaining_new.remove(match)
            changes.append(("changed", (index, fig), match))
        else:
            changes.append(("removed", (index, fig), None))
    changes += [("added", None, m) for m in remaining_new]
    return [
        {
            "kind": kind,
            "old_index": a[0] if a else None,
            "new_index": b[0] if b else None,
            "a": a[1].to_dict() if a else None,
            "b": b[1].to_dict() if b else None,
            "deepdiff": _deepdiff(a[1] if a else None, b[1] if b else None),
        }
        for kind, a, b in changes
    ]


def diff_versions(
    old: list[str],
    new: list[str],
    lang: str,
    *,
    old_title: str | None = None,
    new_title: str | None = None,
) -> dict[str, Any]:
    """Everything that changed between two versions of an edition.

    Returns {"paragraphs": [{"old", "new", "status"}], "changes": [{"kind", "row",
    "old_index", "new_index", "a", "b", "deepdiff"}]}; kinds are changed/added/removed
    for figures and "title" for a changed headline. Reworded paragraphs appear as
    "edited" in paragraphs but raise no change unless a figure moved.
    """
    rows = align_versions(old, new)
    changes: list[dict[str, Any]] = []
    if old_title is not None and new_title is not None and old_title != new_title:
        changes.append(
            {
                "kind": "title",
                "row": None,
                "old_index": None,
                "new_index": None,
                "a": {"raw": old_title, "value": None, "unit": None, "kind": "title"},
                "b": {"raw": new_title, "value": None, "unit": None, "kind": "title"},
                "deepdiff": json.loads(DeepDiff(old_title, new_title).to_json()),
            }
        )
    # Compare figures over each run of consecutive non-identical rows, pooled: a paragraph
    # split in two (or two merged) keeps its figures, which must not read as added/removed.
    old_convention, new_convention = number_convention(old), number_convention(new)
    for first_row, block in _changed_blocks(rows):
        old_figs = [
            (r["old"], f)
            for r in block
            if r["old"] is not None
            for f in extract_figures(old[r["old"]], lang, convention=old_convention)
        ]
        new_figs = [
            (r["new"], f)
            for r in block
            if r["new"] is not None
            for f in extract_figures(new[r["new"]], lang, convention=new_convention)
        ]
        for change in compare_version_figures(old_figs, new_figs):
            changes.append({**change, "row": first_row})
    return {"paragraphs": rows, "changes": changes}
