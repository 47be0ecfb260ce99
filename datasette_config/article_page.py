"""The data behind the article page, read from one SQLite connection.

Every query here is keyed by the article (or by ids it yields) and served by an index of
archive/schema.py: editions(article_id, lang), snapshots(edition_id, content_hash),
paragraphs(snapshot_id, idx), figures(paragraph_id), alignments(article_id, row),
divergences(article_id, scope), checks(edition_id, checked_at). So the page costs the
same on a hundred articles or a hundred thousand.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from archive.read import current_per_language
from datasette_config.marking import format_value, mark_figures, paragraph_diff, word_diff
from diffing import langs

LANG_ORDER = langs.LANGUAGES  # columns in registry order (diffing.langs)
SHOWN_ALWAYS = langs.DEFAULT_LANGUAGES  # a column even when the article lacks that edition
MAX_VERSIONS = 40  # per edition on the page; older ones stay in the snapshots table
CHUNK = 500
# The page's work is bounded whatever the archive holds: aligned rows come a page at a
# time, and version diffs are drawn only for versions short enough to compare here.
ROWS_PER_PAGE = 300
MAX_DIFF_PARAGRAPHS = 2000  # paragraphs of two versions together, for one drawn diff


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any] | tuple = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rows_in(conn: sqlite3.Connection, sql: str, ids: list[int]) -> list[dict]:
    """Run ``sql`` (with one "{marks}" placeholder) over ``ids`` in chunks."""
    out: list[dict] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        out += _rows(conn, sql.format(marks=",".join("?" for _ in chunk)), chunk)
    return out


def lang_rank(lang: str | None) -> tuple[int, str]:
    lang = lang or "?"
    return (LANG_ORDER.index(lang) if lang in LANG_ORDER else len(LANG_ORDER), lang)


def _lang_check(edition: dict[str, Any]) -> str:
    if edition.get("snapshot_id") is None:
        return "not archived"
    if edition.get("lang_ok") == 1:
        return "ok"
    if edition.get("lang_ok") == 0:
        return "mismatch"
    return "unknown"


def load_article(conn: sqlite3.Connection, article_id: int, page: int = 1) -> dict[str, Any] | None:
    """Everything the article page shows, or None when there is no such article.

    ``page`` (from 1) selects ROWS_PER_PAGE aligned rows; ``pages`` says how many there are.
    """
    found = _rows(conn, "select * from articles where id = ?", [article_id])
    if not found:
        return None
    article = found[0]
    editions = _rows(
        conn,
        "select e.*, s.id as snapshot_id, s.title as snapshot_title, s.fetched_at, "
        "s.lang_declared, s.lang_detected, s.lang_confidence, s.lang_ok, s.access, "
        "s.published, s.modified, s.paragraph_count "
        "from editions e left join snapshots s on s.id = e.current_snapshot_id "
        "where e.article_id = ? order by e.last_fetched desc, e.id",
        [article_id],
    )
    for edition in editions:
        edition["lang_check"] = _lang_check(edition)
    current = current_per_language(editions)  # the diff stage's rule (archive.read)
    first, last = _row_window(page)
    total_rows = conn.execute(
        "select coalesce(max(row) + 1, 0) from alignments where article_id = ?", [article_id]
    ).fetchone()[0]
    alignment = _rows(
        conn,
        "select al.row, al.lang, al.score, al.weak, p.id, p.idx, p.text, p.snapshot_id "
        "from alignments al join paragraphs p on p.id = al.paragraph_id "
        "where al.article_id = ? and al.row >= ? and al.row < ? order by al.row, p.idx",
        [article_id, first, last],
    )
    if not total_rows:  # not aligned yet: rows are paragraph positions
        total_rows = max(
            (e.get("paragraph_count") or 0 for e in current.values() if e["snapshot_id"]),
            default=0,
        )
    languages = sorted(
        set(SHOWN_ALWAYS) | set(current) | {a["lang"] for a in alignment}, key=lang_rank
    )
    divergences = _rows(
        conn,
        "select * from divergences where article_id = ? order by scope, row, id",
        [article_id],
    )
    language_divergences = [d for d in divergences if d["scope"] == "language"]
    rows, stale = _aligned_rows(
        conn, alignment, current, languages, language_divergences, (first, last)
    )
    pages = max(1, -(-total_rows // ROWS_PER_PAGE))
    return {
        "page": max(int(page), 1),
        "pages": pages,
        "rows_total": total_rows,
        "rows_first": first,
        "article": article,
        "languages": languages,
        "editions": current,
        "all_editions": sorted(editions, key=lambda e: (lang_rank(e["lang"]), e["id"])),
        "rows": rows,
        "aligned": bool(alignment),
        "stale_alignment": stale,
        "language_divergences": [_describe(d) for d in language_divergences],
        "timelines": _timelines(conn, editions, divergences),
    }


def _describe(divergence: dict[str, Any]) -> dict[str, Any]:
    """A divergence as the page lists it."""
    return {
        **divergence,
        "shown_a": _side_text(divergence, "a"),
        "shown_b": _side_text(divergence, "b"),
        "open": divergence.get("resolved_at") is None,
    }


def _side_text(divergence: dict[str, Any], side: str) -> str:
    raw = divergence.get(f"raw_{side}")
    if raw is None:
        return "not stated"
    value = format_value(divergence.get(f"value_{side}"), divergence.get(f"unit_{side}"))
    return f"{raw} (= {value})" if value not in ("—", raw) else raw


def _row_window(page: int) -> tuple[int, int]:
    """[first, last) of the aligned rows page ``page`` shows."""
    page = max(int(page), 1)
    return (page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE


def _fallback_alignment(
    conn: sqlite3.Connection, current: dict[str, dict[str, Any]], window: tuple[int, int]
) -> list[dict[str, Any]]:
    """Before the diff stage ran: paragraphs side by side by position, unaligned."""
    out = []
    for lang, edition in current.items():
        if edition["snapshot_id"] is None:
            continue
        for paragraph in _rows(
            conn,
            "select id, idx, text, snapshot_id from paragraphs "
            "where snapshot_id = ? and idx >= ? and idx < ? order by idx",
            [edition["snapshot_id"], *window],
        ):
            out.append(
                {**paragraph, "row": paragraph["idx"], "lang": lang, "score": None, "weak": 0}
            )
    out.sort(key=lambda a: (a["row"], lang_rank(a["lang"])))
    return out


def _aligned_rows(
    conn: sqlite3.Connection,
    alignment: list[dict[str, Any]],
    current: dict[str, dict[str, Any]],
    languages: list[str],
    divergences: list[dict[str, Any]],
    window: tuple[int, int],
) -> tuple[list[dict[str, Any]], bool]:
    members = alignment or _fallback_alignment(conn, current, window)
    current_snapshots = {lang: e["snapshot_id"] for lang, e in current.items()}
    stale = bool(alignment) and any(
        current_snapshots.get(m["lang"]) != m["snapshot_id"] for m in alignment
    )
    figures: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for figure in _rows_in(
        conn,
        'select id, paragraph_id, raw, value, high, unit, qualifier, kind, start, "end" '
        "from figures where paragraph_id in ({marks}) order by paragraph_id, start",
        [m["id"] for m in members],
    ):
        figures[figure["paragraph_id"]].append(figure)

    by_row: dict[int, dict[str, Any]] = {}
    for member in members:
        row = by_row.setdefault(
            member["row"],
            {
                "number": member["row"],
                "score": member["score"],
                "weak": bool(member["weak"]),
                "cells": {lang: {"paragraphs": [], "notes": []} for lang in languages},
                "divergent": False,
            },
        )
        row["cells"][member["lang"]]["paragraphs"].append(
            {"id": member["id"], "idx": member["idx"], "text": member["text"]}
        )
    notes = _divergence_notes(by_row, figures, divergences)
    for row in by_row.values():
        for lang, cell in row["cells"].items():
            for paragraph in cell["paragraphs"]:
                marked = []
                for figure in figures.get(paragraph["id"], []):
                    figure_notes = notes["figures"].get((paragraph["id"], figure["id"]), [])
                    marked.append(_figure_view(figure, figure_notes))
                for extra in notes["synthetic"].get(paragraph["id"], []):
                    marked.append(_figure_view(extra, extra["notes"]))
                paragraph["segments"] = mark_figures(paragraph["text"], marked)
                if any(seg["figure"] and seg["figure"]["notes"] for seg in paragraph["segments"]):
                    row["divergent"] = True
            cell["notes"] = notes["cells"].get((row["number"], lang), [])
            if cell["notes"]:
                row["divergent"] = True
    return [by_row[number] for number in sorted(by_row)], stale


def _figure_view(figure: dict[str, Any], notes: list[dict[str, str]]) -> dict[str, Any]:
    value = format_value(figure.get("value"), figure.get("unit"))
    if figure.get("high") is not None:
        value += " – " + format_value(figure.get("high"), figure.get("unit"))
    about = " ".join(x for x in (figure.get("qualifier"), value, f"({figure.get('kind')})") if x)
    title = "; ".join(note["text"] for note in notes) if notes else about
    return {
        **figure,
        "notes": notes,
        "title": title,
        "about": about,
        "anchor": f"fig-{figure.get('paragraph_id')}-{figure.get('start') or figure.get('id')}",
    }


def _divergence_notes(
    by_row: dict[int, dict[str, Any]],
    figures: dict[int, list[dict[str, Any]]],
    divergences: list[dict[str, Any]],
) -> dict[str, dict]:
    """Which figure each open language divergence marks, and the note it gets.

    A side with a figure gets a note naming the other side's figure ("ru: 472 тысячи");
    a side without one (kind missing) gets a note on its row cell instead.
    """
    figure_notes: dict[tuple[int, int], list[dict[str, str]]] = defaultdict(list)
    synthetic: dict[int, list[dict[str, Any]]] = defaultdict(list)
    cell_notes: dict[tuple[int, str], list[str]] = defaultdict(list)
    for divergence in divergences:
        if divergence.get("resolved_at") is not None:
            continue
        for side, other in (("a", "b"), ("b", "a")):
            lang, raw = divergence.get(f"lang_{side}"), divergence.get(f"raw_{side}")
            other_lang, other_raw = divergence.get(f"lang_{other}"), divergence.get(f"raw_{other}")
            row = by_row.get(divergence.get("row"))
            if raw is None:
                if other_raw is not None:
                    cell_notes[(divergence.get("row"), lang)].append(
                        f"{other_lang} states {other_raw}; not stated in this edition"
                    )
                continue
            note = {
                "lang": other_lang or "?",
                "text": f"{other_lang}: {other_raw if other_raw is not None else 'not stated'}",
                "value": _side_text(divergence, other),
            }
            paragraph_ids = []
            if divergence.get(f"paragraph_{side}") is not None:
                paragraph_ids.append(divergence[f"paragraph_{side}"])
            if row is not None:
                paragraph_ids += [p["id"] for p in row["cells"].get(lang, {}).get("paragraphs", [])]
            target = _find_figure(paragraph_ids, figures, raw, divergence.get(f"value_{side}"))
            if target is not None:
                figure_notes[target].append(note)
            elif row is not None:
                shown = [p for p in row["cells"].get(lang, {}).get("paragraphs", [])]
                holder = next((p for p in shown if raw in p["text"]), None)
                if holder is not None:
                    synthetic[holder["id"]].append(
                        {
                            "id": None,
                            "paragraph_id": holder["id"],
                            "raw": raw,
                            "value": divergence.get(f"value_{side}"),
                            "unit": divergence.get(f"unit_{side}"),
                            "kind": divergence.get("figure_kind"),
                            "notes": [note],
                        }
                    )
                else:
                    cell_notes[(divergence.get("row"), lang)].append(
                        f"{raw} differs from {note['text']}"
                    )
    return {"figures": figure_notes, "synthetic": synthetic, "cells": cell_notes}


def _find_figure(
    paragraph_ids: list[int],
    figures: dict[int, list[dict[str, Any]]],
    raw: str,
    value: Any,
) -> tuple[int, int] | None:
    for paragraph_id in paragraph_ids:
        for figure in figures.get(paragraph_id, []):
            if figure["raw"] == raw:
                return (paragraph_id, figure["id"])
    if value is not None:
        for paragraph_id in paragraph_ids:
            for figure in figures.get(paragraph_id, []):
                if figure["value"] is not None and float(figure["value"]) == float(value):
                    return (paragraph_id, figure["id"])
    return None


def _timelines(
    conn: sqlite3.Connection, editions: list[dict[str, Any]], divergences: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per edition: every version with its fetch time, and how it differs from the one before."""
    version_divergences: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for divergence in divergences:
        if divergence["scope"] == "version" and divergence.get("snapshot_b") is not None:
            version_divergences[divergence["snapshot_b"]].append(_describe(divergence))
    timelines = []
    for edition in sorted(editions, key=lambda e: (lang_rank(e["lang"]), e["id"])):
        total = conn.execute(
            "select count(*) from snapshots where edition_id = ?", [edition["id"]]
        ).fetchone()[0]
        versions = _rows(
            conn,
            "select id, fetched_at, title, content_hash, paragraph_count, lang_ok, "
            "capture_file is not null as has_capture "
            "from snapshots where edition_id = ? order by fetched_at desc, id desc limit ?",
            [edition["id"], MAX_VERSIONS + 1],
        )[::-1]
        seen = {
            row["snapshot_id"]: row
            for row in _rows(
                conn,
                "select snapshot_id, max(checked_at) as last_seen, count(*) as checks "
                "from checks where edition_id = ? group by snapshot_id",
                [edition["id"]],
            )
        }
        texts: dict[int, list[str]] = defaultdict(list)
        comparable = [
            v["id"] for v in versions if (v["paragraph_count"] or 0) <= MAX_DIFF_PARAGRAPHS // 2
        ]
        for paragraph in _rows_in(
            conn,
            "select snapshot_id, text from paragraphs where snapshot_id in ({marks}) "
            "order by snapshot_id, idx",
            comparable,
        ):
            texts[paragraph["snapshot_id"]].append(paragraph["text"])
        shown = []
        for position, version in enumerate(versions):
            version["last_seen"] = (seen.get(version["id"]) or {}).get("last_seen")
            version["checks"] = (seen.get(version["id"]) or {}).get("checks") or 0
            version["current"] = version["id"] == edition["current_snapshot_id"]
            version["divergences"] = version_divergences.get(version["id"], [])
            if position == 0:
                version["diff"] = None
                version["title_diff"] = None
                if len(versions) > MAX_VERSIONS:
                    continue  # only the base for the next version's diff
            else:
                previous = versions[position - 1]
                too_long = not {previous["id"], version["id"]} <= set(comparable)
                version["diff_too_long"] = too_long
                version["diff"] = (
                    None
                    if too_long
                    else paragraph_diff(texts[previous["id"]], texts[version["id"]])
                )
                version["title_diff"] = (
                    word_diff(previous["title"] or "", version["title"] or "")
                    if (previous["title"] or "") != (version["title"] or "")
                    else None
                )
            shown.append(version)
        timelines.append(
            {
                "edition": edition,
                "versions": shown,
                "hidden_versions": max(0, total - len(shown)),
            }
        )
    return timelines
