"""Counting a site's recurring text blocks in the archive (crawler/template.py learns its
template from these counts).

A block (a stored paragraph) that recurs verbatim on many distinct articles of one site is
that site's boilerplate; the crawler decides the threshold and how blocks compare, this
module only counts. Only the site's latest articles are read, so the count stays cheap in
a large archive and follows a redesign of the site.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

RECENT_ARTICLES = 500


def recurring_paragraphs(
    db: sqlite_utils.Database,
    site: str,
    *,
    max_chars: int,
    key: Callable[[str], str] = str,
    recent: int = RECENT_ARTICLES,
) -> tuple[dict[str, int], int]:
    """({key(block text): distinct articles it appears in}, articles read) over the site's
    latest `recent` articles; only blocks of at most `max_chars` characters."""
    article_ids = [
        row[0]
        for row in db.execute(
            "select id from articles where site = ? order by id desc limit ?", [site, recent]
        )
    ]
    if not article_ids:
        return {}, 0
    marks = ",".join("?" * len(article_ids))
    counts: dict[str, set[int]] = {}
    for text, article_id in db.execute(
        "select p.text, e.article_id from paragraphs p "
        "join snapshots s on s.id = p.snapshot_id "
        "join editions e on e.id = s.edition_id "
        f"where e.article_id in ({marks}) and length(p.text) <= ?",
        [*article_ids, max_chars],
    ):
        counts.setdefault(key(text), set()).add(article_id)
    return {text: len(ids) for text, ids in counts.items()}, len(article_ids)
