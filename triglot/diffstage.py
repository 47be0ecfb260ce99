"""The diff stage: read snapshots from the archive, run diffing/, write the derivations.

diffing/ is pure; this module is the only place that feeds it from SQLite and stores
what it says. Every article is derived in one transaction, so a crash leaves either the
old derivation or the new one.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive import derive, read
from archive.store import utcnow, write_transaction
from diffing.analyse import Analysis, analyse_editions, extract_paragraph_figures
from diffing.figures import Figure, extract_figures
from diffing.versions import diff_versions

log = logging.getLogger("triglot.diff")


@dataclass
class DiffReport:
    articles: int = 0
    language_divergences_new: int = 0
    version_divergences_new: int = 0
    errors: int = 0
    seconds: float = 0.0


def _language_divergence_rows(
    analysis: Analysis, editions: dict[str, read.EditionText]
) -> list[dict[str, Any]]:
    """One divergences row per typed divergence: each side names its own paragraph."""
    out = []
    for divergence in analysis.divergences:
        sides = {}
        for side, ref in (("a", divergence.a), ("b", divergence.b)):
            edition = editions[ref.lang]
            paragraph_id = (
                edition.paragraph_ids[ref.paragraph_index]
                if ref.paragraph_index is not None
                else None
            )
            sides[side] = (edition.snapshot_id, paragraph_id, ref.figure)
        (snapshot_a, paragraph_a, figure_a), (snapshot_b, paragraph_b, figure_b) = (
            sides["a"],
            sides["b"],
        )
        out.append(
            {
                "kind": divergence.kind,
                "lang_a": divergence.a.lang,
                "lang_b": divergence.b.lang,
                "snapshot_a": snapshot_a,
                "snapshot_b": snapshot_b,
                "row": divergence.row,
                "paragraph_a": paragraph_a,
                "paragraph_b": paragraph_b,
                "raw_a": figure_a.raw if figure_a else None,
                "raw_b": figure_b.raw if figure_b else None,
                "value_a": figure_a.value if figure_a else None,
                "value_b": figure_b.value if figure_b else None,
                "unit_a": figure_a.unit if figure_a else None,
                "unit_b": figure_b.unit if figure_b else None,
                "figure_kind": divergence.figure_kind,
                "deepdiff": divergence.deepdiff,
            }
        )
    return out


def _version_divergence_rows(
    db: sqlite_utils.Database, old_id: int, new_id: int
) -> list[dict[str, Any]]:
    lang, old_title = db.execute(
        "select coalesce(s.lang_declared, e.lang), s.title from snapshots s "
        "join editions e on e.id = s.edition_id where s.id = ?",
        [old_id],
    ).fetchone()
    new_title = db.execute("select title from snapshots where id = ?", [new_id]).fetchone()[0]
    old_ids, old_texts = read.snapshot_paragraphs(db, old_id)
    new_ids, new_texts = read.snapshot_paragraphs(db, new_id)
    result = diff_versions(
        old_texts, new_texts, lang or "uk", old_title=old_title, new_title=new_title
    )
    out = []
    for change in result["changes"]:
        a, b = change.get("a"), change.get("b")
        out.append(
            {
                "kind": change["kind"],
                "lang_a": lang,
                "lang_b": lang,
                "snapshot_a": old_id,
                "snapshot_b": new_id,
                "row": change.get("row"),
                "paragraph_a": old_ids[change["old_index"]]
                if change.get("old_index") is not None
                else None,
                "paragraph_b": new_ids[change["new_index"]]
                if change.get("new_index") is not None
                else None,
                "raw_a": a.get("raw") if a else None,
                "raw_b": b.get("raw") if b else None,
                "value_a": a.get("value") if a else None,
                "value_b": b.get("value") if b else None,
                "unit_a": a.get("unit") if a else None,
                "unit_b": b.get("unit") if b else None,
                "figure_kind": (a or b or {}).get("kind"),
                "deepdiff": change.get("deepdiff"),
            }
        )
    return out


def diff_article(db: sqlite_utils.Database, article_id: int, now: str) -> tuple[int, int]:
    """Derive one article; returns (new language divergences, new version divergences)."""
    editions = read.current_editions(db, article_id)
    figures_by_paragraph: dict[int, list[dict[str, Any]]] = {}
    # extracted once: stored per paragraph, and handed to the analysis as they are
    edition_figures: dict[str, list[list[Figure]]] = {}
    for lang, edition in editions.items():
        edition_figures[lang] = extract_paragraph_figures(edition.paragraphs, edition.lang)
        for paragraph_id, figures in zip(edition.paragraph_ids, edition_figures[lang], strict=True):
            figures_by_paragraph[paragraph_id] = [f.to_dict() for f in figures]
    # earlier versions keep their figures too, so a figure's history covers every version
    for paragraph_id, lang, text in read.paragraphs_without_figures(db, article_id):
        figures_by_paragraph.setdefault(
            paragraph_id, [f.to_dict() for f in extract_figures(text, lang or "uk")]
        )
    analysis = analyse_editions(
        {lang: e.paragraphs for lang, e in editions.items()},
        titles={lang: e.title for lang, e in editions.items()},
        figures=edition_figures,
    )
    alignment_rows = [
        {
            "members": {
                lang: [editions[lang].paragraph_ids[i] for i in row.members.get(lang, [])]
                for lang in editions
            },
            "score": row.score,
            "weak": row.weak,
        }
        for row in analysis.rows
    ]
    language_rows = _language_divergence_rows(analysis, editions)
    version_work = []
    for old_id, new_id in read.snapshot_pairs_to_compare(db, article_id):
        version_work.append(((old_id, new_id), _version_divergence_rows(db, old_id, new_id)))
    with write_transaction(db):
        derive.replace_figures(db, figures_by_paragraph)
        derive.replace_alignment(db, article_id, alignment_rows)
        new_language = derive.sync_divergences(db, article_id, "language", language_rows, now)
        new_version = 0
        for pair, rows in version_work:
            new_version += derive.sync_divergences(
                db, article_id, "version", rows, now, snapshot_pair=pair
            )
        derive.mark_diffed(db, article_id)
    return new_language, new_version


def run_diff(
    db: sqlite_utils.Database, *, everything: bool = False, now: str | None = None
) -> DiffReport:
    """Diff every article with new snapshots since the last run (or every article)."""
    started = time.perf_counter()
    now = now or utcnow()
    report = DiffReport()
    for article_id in read.articles_to_diff(db, everything=everything):
        try:
            new_language, new_version = diff_article(db, article_id, now)
        except Exception:  # one bad article must not stop the stage; it stays needs_diff
            log.exception("diff failed for article %s", article_id)
            report.errors += 1
            continue
        report.articles += 1
        report.language_divergences_new += new_language
        report.version_divergences_new += new_version
    report.seconds = time.perf_counter() - started
    return report
