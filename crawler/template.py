"""A site's template, learned from the archive: text blocks that recur verbatim on many of
its pages are boilerplate for that site (section labels, signatures, promos, widgets).

No single page can tell "Головна шпальта" or a site's closing signature from a short
paragraph; many pages of one site can. These functions are pure: learning takes the
texts with the number of distinct articles each appears in (archive/templates.py reads
them), applying removes matching segments from a candidate body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
