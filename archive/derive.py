"""Writes of the diff stage: figures, alignments and divergences, replaced per article.

A re-run derives the same rows again, so everything here is idempotent: figures and
alignments of an article are replaced whole, and divergences are matched by a stable
fingerprint so that one already reported keeps its id and detection time (and is never
alerted twice), while one that no longer holds is marked resolved rather than deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

import sqlite_utils

DIVERGENCE_COLUMNS = (
    "scope",
    "kind",
    "lang_a",
    "lang_b",
    "snapshot_a",
    "snapshot_b",
    "row",
    "paragraph_a",
    "paragraph_b",
    "raw_a",
    "raw_b",
    "value_a",
    "value_b",
    "unit_a",
    "unit_b",
    "figure_kind",
    "deepdiff",
)


def replace_figures(
    db: sqlite_utils.Database, figures_by_paragraph: dict[int, list[dict[str, Any]]]
) -> None:
    """Replace the figures of the given paragraphs (the extractor may have improved)."""
    ids = list(figures_by_paragraph)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        db.execute(f"delete from figures where paragraph_id in ({marks})", chunk)
    db.conn.executemany(
        "insert into figures (paragraph_id, raw, value, high, unit, qualifier, kind, start, "
        '"end") values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
            (
                paragraph_id,
                fig["raw"],
                fig["value"],
                fig.get("high"),
                fig.get("unit"),
                fig.get("qualifier"),
                fig["kind"],
                fig.get("start"),
                fig.get("end"),
            )
            for paragraph_id, figures in figures_by_paragraph.items()
            for fig in figures
        ],
    )


def replace_alignment(
    db: sqlite_utils.Database, article_id: int, rows: list[dict[str, Any]]
) -> None:
    """rows: [{"members": {lang: [paragraph_id, ...]}, "score": float, "weak": bool}]"""
    db.execute("delete from alignments where article_id = ?", [article_id])
    db.conn.executemany(
        "insert into alignments (article_id, row, lang, paragraph_id, score, weak) "
        "values (?, ?, ?, ?, ?, ?)",
        [
            (article_id, row_number, lang, paragraph_id, row["score"], int(bool(row["weak"])))
            for row_number, row in enumerate(rows)
            for lang, paragraph_ids in row["members"].items()
            for paragraph_id in paragraph_ids
        ],
    )


def _value_key(value: Any) -> str:
    return "" if value is None else f"{float(value):.6g}"


def fingerprint(article_id: int, divergence: dict[str, Any], occurrence: int) -> str:
    """What makes a divergence the same one on a re-run: values, not positions.

    Row numbers and paragraph ids change when an edition gains a paragraph; the pair of
    languages, the kind of figure and both values do not. Version divergences also carry
    their pair of snapshots, since each new version is a new event.
    """
    parts = [
        str(article_id),
        divergence["scope"],
        divergence["kind"],
        divergence.get("lang_a") or "",
        divergence.get("lang_b") or "",
        # language divergences were stored without figure_kind until it was filled: leaving
        # it out keeps their fingerprints, so an existing archive sees no "new" ones
        (divergence.get("figure_kind") or "") if divergence["scope"] == "version" else "",
        divergence.get("unit_a") or divergence.get("unit_b") or "",
        _value_key(divergence.get("value_a")),
        _value_key(divergence.get("value_b")),
        str(occurrence),
    ]
    if divergence["scope"] == "version":
        parts += [str(divergence.get("snapshot_a")), str(divergence.get("snapshot_b"))]
        if divergence["kind"] == "title":
            parts += [divergence.get("raw_a") or "", divergence.get("raw_b") or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def sync_divergences(
    db: sqlite_utils.Database,
    article_id: int,
    scope: str,
    divergences: list[dict[str, Any]],
    now: str,
    *,
    snapshot_pair: tuple[int, int] | None = None,
) -> int:
    """Insert new divergences, refresh known ones, resolve vanished ones. Returns the new count.

    For scope "language" the given list is the article's complete current set. For scope
    "version" it is the complete set for one snapshot pair.
    """
    seen: Counter[str] = Counter()
    fingerprints = []
    new = 0
    for divergence in divergences:
        divergence = {**divergence, "scope": scope}
        base = fingerprint(article_id, divergence, 0)
        occurrence = seen[base]
        seen[base] += 1
        key = base if occurrence == 0 else fingerprint(article_id, divergence, occurrence)
        fingerprints.append(key)
        values = [divergence.get(column) for column in DIVERGENCE_COLUMNS]
        if isinstance(values[-1], dict | list):
            values[-1] = json.dumps(values[-1], ensure_ascii=False, sort_keys=True, default=str)
        existing = db.execute("select id from divergences where fingerprint = ?", [key]).fetchone()
        if existing:
            assignments = ", ".join(f'"{c}" = ?' for c in DIVERGENCE_COLUMNS)
            db.execute(
                f"update divergences set {assignments}, resolved_at = null where id = ?",
                [*values, existing[0]],
            )
        else:
            columns = ", ".join(f'"{c}"' for c in DIVERGENCE_COLUMNS)
            marks = ", ".join("?" for _ in DIVERGENCE_COLUMNS)
            db.execute(
                f"insert into divergences (article_id, {columns}, fingerprint, detected_at) "
                f"values (?, {marks}, ?, ?)",
                [article_id, *values, key, now],
            )
            new += 1
    where = "article_id = ? and scope = ? and resolved_at is null"
    params: list[Any] = [article_id, scope]
    if snapshot_pair is not None:
        where += " and snapshot_a = ? and snapshot_b = ?"
        params += list(snapshot_pair)
    if fingerprints:
        where += f" and fingerprint not in ({','.join('?' for _ in fingerprints)})"
        params += fingerprints
    db.execute(f"update divergences set resolved_at = ? where {where}", [now, *params])
    return new


def mark_diffed(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("update articles set needs_diff = 0 where id = ?", [article_id])
