"""Reading a site's recurring text blocks from the archive, to learn its template.

A block (a stored paragraph) that recurs verbatim on many distinct articles of one site is
that site's boilerplate; crawler/template.py decides the threshold, this module only
counts. Only the site's latest articles are read, so the count stays cheap in a large
archive and follows a redesign of the site.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from crawler.template import MAX_TEMPLATE_CHARS, SiteTemplate, learn_template, template_key

RECENT_ARTICLES = 500


def recurring_paragraphs(
    db: sqlite_utils.Database, site: str, recent: int = RECENT_ARTICLES
) -> tuple[dict[str, int], int]:
    """({block text: distinct articles it appears in}, articles read) over the site's
    latest `recent` articles; only short blocks, the only ones a template can hold."""
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
        [*article_ids, MAX_TEMPLATE_CHARS],
    ):
        counts.setdefault(template_key(text), set()).add(article_id)
    return {text: len(ids) for text, ids in counts.items()}, len(article_ids)


def site_template(db: sqlite_utils.Database, site: str) -> SiteTemplate:
    """The template learned from the archive's latest articles of `site`."""
    counts, total = recurring_paragraphs(db, site)
    return learn_template(site, counts, total)


_LEARNED: dict[tuple[str, str], SiteTemplate] = {}


def load_site_template(db_path: str | Path, site: str, *, fresh: bool = False) -> SiteTemplate:
    """site_template from the archive file, read-only; an empty template when there is no
    archive yet or it cannot be read (a template is an improvement, never a requirement).

    Learned once per process and archive: the crawl that reads new pages and the re-read
    of an older capture before comparing with it (crawler/rereading.py) must apply the
    same template, or the template's change would show up as an edit of the article.
    fresh=True learns again (a new crawl in a long-lived process)."""
    path = Path(db_path)
    key = (str(path.resolve()), site)
    if not fresh and key in _LEARNED:
        return _LEARNED[key]
    template = SiteTemplate(site, frozenset())
    if path.is_file():
        try:
            conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
            try:
                template = site_template(sqlite_utils.Database(conn), site)
            finally:
                conn.close()
        except sqlite3.Error:
            pass
    _LEARNED[key] = template
    return template
