"""Which other URLs are editions of this article, and which article a request belongs to.

Order (SITES.md rule 2): the page's hreflang links; the visible language switcher for
languages hreflang did not cover; the profile's URL transforms only when the page itself
names no edition (a transform guesses, the page states). Links outside the profile's
allowed domains are never followed. Language labels carried along are hints for grouping
and for failures: an edition's language is always read from its own page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from crawler.extract import Page
from crawler.profiles import Profile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EditionLink:
    url: str
    lang_hint: str | None
    via: str  # "hreflang", "switcher" or "transform"


@dataclass
class Discovery:
    editions: list[EditionLink] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)  # stated editions we refuse to follow
    duplicates: list[EditionLink] = field(default_factory=list)  # a language named again

    @property
    def alternates(self) -> dict[str, str]:
        """{lang: url} of the on-domain editions whose language the page stated."""
        found: dict[str, str] = {}
        for link in self.editions:
            if link.lang_hint and link.via != "transform":
                found.setdefault(link.lang_hint, link.url)
        return found


def url_identity(url: str) -> str:
    """A comparison form: no fragment, lower-case scheme and host, no trailing slash."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|_openstat)$", re.IGNORECASE)


def strip_fragment(url: str) -> str:
    """The URL to request: no fragment, no tracking parameters (utm_*, fbclid…), so a feed
    link and the page's own links name one edition the same way."""
    parts = urlsplit(url)
    query = parts.query
    if query:
        pairs = [p for p in query.split("&") if p and not _TRACKING.match(p.split("=", 1)[0])]
        query = "&".join(pairs)
    return urlunsplit(parts._replace(query=query, fragment=""))


def discover_editions(page: Page, profile: Profile, self_urls: tuple[str, ...] = ()) -> Discovery:
    """The other editions this page leads to, in priority order, deduplicated."""
    selves = {url_identity(u) for u in (page.url, page.canonical, *self_urls) if u}
    result = Discovery()
    seen: set[str] = set()
    covered: set[str] = set()

    def consider(url: str, lang: str | None, via: str) -> bool:
        url = strip_fragment(url)
        ident = url_identity(url)
        if ident in selves or ident in seen:
            return False
        if urlsplit(url).scheme not in ("http", "https"):
            return False
        seen.add(ident)
        if not profile.allows(url):
            result.offsite.append(url)
            logger.info("ignoring off-domain edition %s (%s) of %s", url, via, page.url)
            return False
        result.editions.append(EditionLink(url, lang, via))
        return True

    stated = False
    for link in page.hreflang:
        if url_identity(link.url) in selves:
            if link.lang:
                covered.add(link.lang)  # the page's own language, as it states it
            continue
        stated = True
        if link.lang in covered and profile.allows(link.url):
            if url_identity(link.url) not in seen:  # one URL per language: the first wins
                seen.add(url_identity(link.url))
                result.duplicates.append(
                    EditionLink(strip_fragment(link.url), link.lang, "hreflang")
                )
            continue
        if consider(link.url, link.lang, "hreflang") and link.lang:
            covered.add(link.lang)
    for link in page.switcher:
        if url_identity(link.url) in selves:
            continue
        stated = True
        if link.lang and link.lang in covered:
            continue
        if consider(link.url, link.lang, "switcher") and link.lang:
            covered.add(link.lang)
    if not stated:
        for transform in profile.url_transforms:
            for source in dict.fromkeys(u for u in (page.url, *self_urls) if u):
                target = transform.apply(source)
                if target and target != source:
                    consider(target, None, "transform")
    return result


def article_key(profile: Profile, entry_url: str) -> str:
    """The group's candidate key: the shared id when the profile knows one, else the entry URL.

    Computed once where a group is entered and carried in request meta to every edition, so
    editions with ids of their own (RBC's English site) still join the group.
    """
    shared = profile.shared_id(entry_url)
    if shared:
        return f"{profile.name}:{shared}"
    return f"{profile.name}:{strip_fragment(entry_url)}"


@dataclass
class EditionPlan:
    """Which discovered editions to request, and how many were refused past the cap."""

    follow: list[EditionLink] = field(default_factory=list)
    overflow: list[EditionLink] = field(default_factory=list)

    @property
    def alternates(self) -> dict[str, str]:
        return {link.lang_hint: link.url for link in self.follow if link.lang_hint}


def plan_editions(
    links: list[EditionLink],
    *,
    own_lang: str | None,
    languages: tuple[str, ...],
    planned: dict[str, str] | None = None,
) -> EditionPlan:
    """At most one edition per configured language, and no chains.

    ``planned`` is None on the entry page: up to one link per configured language other
    than its own is followed (links without a language fill the slots left). On an edition
    the entry led to, ``planned`` holds the entry's choices ({lang: url}): only a language
    still missing is followed, to complete the set. A link past the cap (a language
    already taken by another URL, a language not configured, more links than languages)
    is overflow, recorded on the article, never fetched. Editions reached by completion
    follow nothing (the caller passes no links for them).
    """
    plan = EditionPlan()
    from_entry = planned is None
    taken = dict(planned or {})
    if own_lang:
        taken.setdefault(own_lang, "")
    known = {url_identity(u) for u in taken.values() if u}
    slots = max(len(languages) - 1, 0) if from_entry else 0
    for link in links:
        ident = url_identity(link.url)
        if ident in known:
            continue  # the entry already asked for it (siblings name each other)
        lang = link.lang_hint
        if lang and lang in languages and lang not in taken:
            if from_entry and len(plan.follow) >= slots:
                plan.overflow.append(link)
                continue
            taken[lang] = link.url
            known.add(ident)
            plan.follow.append(link)
        elif not lang and from_entry and len(plan.follow) < slots:
            known.add(ident)
            plan.follow.append(link)
        elif link.via != "transform":  # a transform is a guess, not a stated edition
            plan.overflow.append(link)
    return plan
