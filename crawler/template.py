"""A site's template, learned from the archive: text blocks that recur verbatim on many of
its pages are boilerplate for that site (section labels, signatures, promos, widgets).

No single page can tell "Головна шпальта" or a site's closing signature from a short
paragraph; many pages of one site can. These functions are pure: learning takes the
texts with the number of distinct articles each appears in (archive/templates.py counts
them), applying removes matching segments from a candidate body.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from archive.read import open_readonly
from archive.templates import recurring_paragraphs
from crawler.cascade import Segment

MIN_ARTICLES = 5  # a block on fewer distinct articles than this is never template
MIN_SHARE = 0.2  # ... nor one on less than this share of the site's articles
MAX_TEMPLATE_CHARS = 300  # long paragraphs are article text even when syndicated or quoted


def template_key(text: str) -> str:
    """The form blocks are compared in: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class SiteTemplate:
    """The recurring blocks of one site, and a digest that names this exact set (it goes
    into Page.extractor_version, so a changed template is a changed extractor)."""

    site: str
    texts: frozenset[str]

    @property
    def digest(self) -> str:
        joined = "\n".join(sorted(self.texts)).encode("utf-8")
        return hashlib.sha256(joined).hexdigest()[:8]

    def strip(self, segments: Iterable[Segment]) -> list[Segment]:
        """The segments that are not template blocks (nothing removed when all would be)."""
        segments = list(segments)
        kept = [s for s in segments if template_key(s.text) not in self.texts]
        return kept if any(not s.heading for s in kept) else segments


def learn_template(
    site: str,
    article_counts: Mapping[str, int],
    total_articles: int,
    min_articles: int = MIN_ARTICLES,
    min_share: float = MIN_SHARE,
) -> SiteTemplate:
    """Blocks found on at least min_articles distinct articles and at least min_share of
    the site's articles, and short enough to be a label, a promo or a signature."""
    if total_articles <= 0:
        return SiteTemplate(site, frozenset())
    needed = max(min_articles, min_share * total_articles)
    texts = frozenset(
        template_key(text)
        for text, count in article_counts.items()
        if count >= needed and 0 < len(text) <= MAX_TEMPLATE_CHARS
    )
    return SiteTemplate(site, texts)


def site_template(db: sqlite_utils.Database, site: str) -> SiteTemplate:
    """The template learned from the archive's latest articles of `site`."""
    counts, total = recurring_paragraphs(db, site, max_chars=MAX_TEMPLATE_CHARS, key=template_key)
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
            conn = open_readonly(path)
            try:
                template = site_template(sqlite_utils.Database(conn), site)
            finally:
                conn.close()
        except sqlite3.Error:
            pass
    _LEARNED[key] = template
    return template
