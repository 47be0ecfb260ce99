"""Generated inputs for the benchmarks: a news site on loopback and archives in SQLite.

(a) ``BenchSite``: N articles × 3 editions (uk, en, ru) with hreflang links, pages of
80–200 KB (a heavy page template around 10–40 body paragraphs, as real outlets serve),
a sitemap and robots.txt. Pages are rendered on request from a seed, so a 10,000-article
site costs no memory and no disk. ``benchmarks.siteserver`` serves it.

(b) ``generate_archive``: an archive written straight into SQLite with executemany in the
archive's own schema (created by ``archive.open_db``): articles, editions, snapshots
(some editions with two versions), paragraphs (full-text indexed), checks, and — unless
``derived=False`` — figures, alignments and divergences. 100,000 articles take minutes.

    python benchmarks/generate.py archive --articles 10000 out.db
    python benchmarks/generate.py site --articles 100 --port 8766
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import LANGS, PLACES, Story, make_story  # noqa: E402

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
SITE_NAME = "bench"
PAGE_MIN_BYTES = 80 * 1024
PAGE_MAX_BYTES = 200 * 1024
HTML_LANG = {"uk": "uk-UA", "en": "en-GB", "ru": "ru-RU"}
LABELS = {"uk": "Українська", "en": "English", "ru": "Русский"}
READ_ALSO = {"uk": "Читайте також", "en": "Read also", "ru": "Читайте также"}
EPOCH = 1_735_700_000  # 2025-01-01, the first generated article
# Bump when generate_archive writes different rows: cached archives carry it in their name.
ARCHIVE_FORMAT = 1


def edition_path(article_id: int, lang: str) -> str:
    return f"/bench/{lang}/news/{article_id}/story-{article_id}.html"


_PATH = re.compile(r"^/bench/(uk|en|ru)/news/(\d+)/story-(\d+)\.html$")


def parse_edition_path(path: str) -> tuple[int, str] | None:
    match = _PATH.match(path)
    if not match or match.group(2) != match.group(3):
        return None
    return int(match.group(2)), match.group(1)


def iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ts))


# ------------------------------------------------------------------------------- page chrome


def _css(rng: random.Random) -> str:
    rules = []
    for i in range(260):
        rules.append(
            f".c{i}-{rng.randrange(10**6):06d}{{margin:{rng.randrange(24)}px {rng.randrange(24)}px;"
            f"color:#{rng.randrange(16**6):06x};"
            f"font:{rng.randrange(11, 22)}px/1.{rng.randrange(9)} "
            f"Georgia,serif;display:{rng.choice(('block', 'flex', 'grid'))}}}"
        )
    return "\n".join(rules)


def _state_script(rng: random.Random, lang: str) -> str:
    """The inline JSON state blob many news front-ends ship (menus, ads config, flags)."""
    state = {
        "lang": lang,
        "flags": {f"feature_{i}": rng.random() < 0.5 for i in range(120)},
        "ads": [{"slot": f"slot-{i}", "sizes": [[300, 250], [728, 90]]} for i in range(60)],
        "menu": [{"id": i, "href": f"/bench/{lang}/section/{i}/"} for i in range(160)],
    }
    return "window.__STATE__ = " + json.dumps(state) + ";"


def _teaser(rng: random.Random, lang: str, index: int) -> str:
    story = make_story(10_000_000 + index, paragraphs=(1, 1), sentences=(1, 1))
    lead = html.escape(story.texts(lang)[0])
    href = edition_path(10_000_000 + index, lang).replace("/news/", "/archive/")
    return (
        f'<div class="teaser c{index % 50}"><a class="teaser__link" href="{href}">'
        f'<img src="/img/{index}.jpg" alt="" loading="lazy" width="320" height="180">'
        f'<span class="teaser__title">{html.escape(story.title(lang))}</span></a>'
        f'<p class="teaser__lead"><a href="{href}">{lead}</a></p>'
        f'<span class="teaser__time">{rng.randrange(24):02d}:{rng.randrange(60):02d}</span></div>'
    )


@dataclass
class _Chrome:
    head_extra: str
    header: str
    footer: str
    teasers: list[str]
    teaser_bytes: list[int]


def _chrome(lang: str, seed: int) -> _Chrome:
    rng = random.Random(seed * 31 + LANGS.index(lang))
    nav = "".join(
        f'<li><a href="/bench/{lang}/section/{i}/">{html.escape(PLACES[i % len(PLACES)][1])} '
        f"{i}</a></li>"
        for i in range(90)
    )
    header = (
        f'<header class="site-header"><a class="logo" href="/bench/{lang}/">Bench Gazette</a>'
        f'<nav class="menu"><ul>{nav}</ul></nav></header>'
    )
    footer = (
        '<footer class="site-footer"><ul>'
        + "".join(f'<li><a href="/bench/{lang}/page/{i}/">Page {i}</a></li>' for i in range(60))
        + "</ul><p>© Bench Gazette. Invented content for benchmarks.</p></footer>"
        + "<script>"
        + "function t(){return 1};" * 400
        + "</script>"
    )
    head_extra = f"<style>{_css(rng)}</style><script>{_state_script(rng, lang)}</script>"
    teasers = [_teaser(rng, lang, i) for i in range(240)]
    return _Chrome(head_extra, header, footer, teasers, [len(t.encode()) for t in teasers])


# ------------------------------------------------------------------------------- the site


class BenchSite:
    """N generated articles × 3 editions; pages rendered on demand, deterministically.

    ``version`` changes the text of ``changed_share`` of the articles (a re-crawl that
    should find new snapshots); at version 1 the site is the same on every request.
    """

    def __init__(
        self,
        n_articles: int,
        *,
        seed: int = 1,
        paragraphs: tuple[int, int] = (10, 40),
        version: int = 1,
        changed_share: float = 0.0,
    ) -> None:
        self.n_articles = n_articles
        self.seed = seed
        self.paragraphs = paragraphs
        self.version = version
        self.changed_share = changed_share
        self.base_url = "http://127.0.0.1:0"
        self._chrome = {lang: _chrome(lang, seed) for lang in LANGS}

    def article_ids(self) -> range:
        return range(1, self.n_articles + 1)

    def story(self, article_id: int) -> Story:
        story = make_story(article_id, seed=self.seed, paragraphs=self.paragraphs)
        if self.version > 1 and (article_id * 7919 % 1000) < self.changed_share * 1000:
            first = story.paragraphs[0][0]
            first.n += self.version
        return story

    def url(self, article_id: int, lang: str) -> str:
        return self.base_url.rstrip("/") + edition_path(article_id, lang)

    def edition_urls(self) -> list[str]:
        return [self.url(a, lang) for a in self.article_ids() for lang in LANGS]

    def gold(self, article_id: int, lang: str) -> tuple[str, list[str]]:
        """(title, paragraphs) a perfect extractor returns for this edition."""
        story = self.story(article_id)
        return story.title(lang), story.texts(lang)

    def etag(self, article_id: int, lang: str) -> str:
        changed = self.version > 1 and (article_id * 7919 % 1000) < self.changed_share * 1000
        return f'"{self.seed}-{article_id}-{lang}-{self.version if changed else 1}"'

    def page(self, article_id: int, lang: str) -> bytes:
        """The edition's HTML: 80–200 KB, hreflang to the other two editions."""
        story = self.story(article_id)
        chrome = self._chrome[lang]
        rng = random.Random(self.seed * 7 + article_id)
        title = html.escape(story.title(lang))
        published = iso(EPOCH + article_id * 600)
        url = self.url(article_id, lang)
        alternates = "".join(
            f'<link rel="alternate" hreflang="{HTML_LANG[other]}" '
            f'href="{self.url(article_id, other)}">'
            for other in LANGS
        )
        jsonld = json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": story.title(lang),
                "datePublished": published,
                "dateModified": published,
                "inLanguage": lang,
                "author": {"@type": "Person", "name": "Bench Desk"},
            },
            ensure_ascii=False,
        )
        switch = "".join(
            f'<a href="{self.url(article_id, other)}" hreflang="{other}">{LABELS[other]}</a>'
            for other in LANGS
            if other != lang
        )
        paragraphs = [f"<p>{html.escape(text)}</p>" for text in story.texts(lang)]
        middle = len(paragraphs) // 2
        paragraphs.insert(
            middle,
            f'<div class="read-also"><a href="{self.url(article_id + 1, lang)}">'
            f"{READ_ALSO[lang]}: {html.escape(self.story(article_id + 1).title(lang))}</a></div>"
            f'<figure><img src="/img/a{article_id}.jpg" alt=""><figcaption>Photo: Bench Desk'
            "</figcaption></figure>",
        )
        body = "".join(paragraphs)
        head = (
            f'<!DOCTYPE html><html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8">'
            f"<title>{title} | Bench Gazette</title>"
            f'<link rel="canonical" href="{url}">{alternates}'
            f'<meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{published}">'
            f'<script type="application/ld+json">{jsonld}</script>{chrome.head_extra}</head><body>'
        )
        article = (
            f'<main><nav class="lang-switch">{switch}</nav><article class="article">'
            f'<h1 class="article__title">{title}</h1><time datetime="{published}">{published}'
            f'</time><div class="article__body">{body}</div>'
            '<div class="adv">Advertisement</div></article>'
        )
        size = sum(len(part.encode()) for part in (head, article, chrome.header, chrome.footer))
        target = rng.randrange(PAGE_MIN_BYTES, PAGE_MAX_BYTES)
        teasers: list[str] = []
        start = rng.randrange(len(chrome.teasers))
        while size < target - 1500:
            index = (start + len(teasers)) % len(chrome.teasers)
            teasers.append(chrome.teasers[index])
            size += chrome.teaser_bytes[index]
        aside = f'<aside class="sidebar">{"".join(teasers)}</aside></main>'
        return (head + chrome.header + article + aside + chrome.footer + "</body></html>").encode()

    def sitemap(self) -> bytes:
        entries = "".join(
            f"<url><loc>{self.url(a, 'uk')}</loc><lastmod>{iso(EPOCH + a * 600)}</lastmod></url>"
            for a in self.article_ids()
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        ).encode()


def write_profile(directory: Path = PROFILE_DIR) -> Path:
    """The crawler profile of the generated site (base URL given at crawl time)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{SITE_NAME}.toml"
    path.write_text(
        f"""# The generated benchmark site (benchmarks/generate.py). Written by the benchmarks.
name = "{SITE_NAME}"
title = "Bench Gazette"
base_url = "http://127.0.0.1:8766/"
allowed_domains = ["127.0.0.1"]
languages = ["uk", "en", "ru"]

[start_urls]
uk = ["/bench/sitemap-uk.xml"]

[article]
url_patterns = ['^https?://[^/]+/bench/(uk|en|ru)/news/\\d+/story-\\d+\\.html$']
id_pattern = '/news/(\\d+)/'

[selectors]
title = ["h1.article__title"]
body = ["div.article__body"]
drop = ["figure", "div.read-also", "div.adv"]
switcher = ["nav.lang-switch a"]
""",
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------------------- archives

_NUMBER = re.compile(r"\d[\d  ,.]*\d%?|\d%?")
SITES = ("ledger", "courier", "herald", "gazette")


def _figures_of(text: str) -> list[tuple[str, float, str | None, str, int, int]]:
    """Cheap stand-in for the figure extractor: realistic rows, not the real semantics."""
    out = []
    for match in _NUMBER.finditer(text):
        raw = match.group(0).rstrip(".,")
        percent = raw.endswith("%")
        digits = re.sub(r"[^\d]", "", raw)
        if not digits:
            continue
        value = float(digits)
        kind = "percent" if percent else ("year" if 1990 <= value <= 2030 else "count")
        out.append((raw, value, "percent" if percent else None, kind, match.start(), match.end()))
    return out


@dataclass
class ArchiveCounts:
    articles: int = 0
    editions: int = 0
    snapshots: int = 0
    paragraphs: int = 0
    figures: int = 0
    alignments: int = 0
    divergences: int = 0
    checks: int = 0
    seconds: float = 0.0
    bytes: int = 0


def generate_archive(
    path: str | Path,
    n_articles: int,
    *,
    seed: int = 1,
    paragraphs: tuple[int, int] = (5, 8),
    sentences: tuple[int, int] = (1, 2),
    versions_share: float = 0.1,
    derived: bool = True,
    chunk: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> ArchiveCounts:
    """Write an archive of n_articles straight into SQLite (the file is replaced)."""
    import archive

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    archive.open_db(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    triggers = conn.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'paragraphs'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'drop trigger "{name}"')
    counts = ArchiveCounts()
    ids = {"snapshot": 0, "paragraph": 0}
    for start in range(1, n_articles + 1, chunk):
        stop = min(start + chunk, n_articles + 1)
        rows = _archive_rows(
            range(start, stop), ids, seed, paragraphs, sentences, versions_share, derived
        )
        conn.execute("begin")
        for table, columns, values in rows:
            marks = ", ".join("?" for _ in columns)
            names = ", ".join(f'"{c}"' for c in columns)
            conn.executemany(f"insert into {table} ({names}) values ({marks})", values)
            setattr(counts, table, getattr(counts, table) + len(values))
        conn.execute("commit")
        if progress:
            progress(stop - 1, n_articles)
    conn.execute("insert into paragraphs_fts(paragraphs_fts) values ('rebuild')")
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("analyze")
    conn.close()
    counts.seconds = time.perf_counter() - started
    counts.bytes = path.stat().st_size
    return counts


def cached_archive(
    cache_dir: str | Path,
    n_articles: int,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, ArchiveCounts | None]:
    """The generated archive of n_articles kept in cache_dir: generated once, then reused.

    Generation writes to a ``.partial`` file renamed at the end, so an interrupted run is
    never taken for a finished archive. A reused archive is migrated to the current schema
    (archive.open_db), which is how a real archive meets a new Triglot. Returns the path and
    the counts of the generation when this call generated it (None when reused).
    """
    import archive

    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"archive-{n_articles}-f{ARCHIVE_FORMAT}.db"
    if path.exists():
        archive.open_db(path).close()
        return path, None
    partial = path.with_name(path.name + ".partial")
    counts = generate_archive(partial, n_articles, progress=progress)
    partial.rename(path)
    return path, counts


def _archive_rows(
    article_ids: range,
    ids: dict[str, int],
    seed: int,
    paragraphs: tuple[int, int],
    sentences: tuple[int, int],
    versions_share: float,
    derived: bool,
) -> Iterator[tuple[str, tuple[str, ...], list[tuple]]]:
    articles, editions, snapshots, paras, figures = [], [], [], [], []
    alignments, divergences, checks = [], [], []
    for article_id in article_ids:
        story = make_story(article_id, seed=seed, paragraphs=paragraphs, sentences=sentences)
        rng = random.Random(seed * 17 + article_id)
        first_seen = EPOCH + article_id * 300
        versioned = rng.random() < versions_share
        site = SITES[article_id % len(SITES)]
        last = iso(first_seen + (7200 if versioned else 0))
        articles.append(
            (
                article_id,
                site,
                f"{site}:{article_id}",
                story.title("uk"),
                iso(first_seen),
                last,
                last,
                iso(first_seen + 86400),
                0 if derived else 1,
            )
        )
        current_paragraphs: dict[str, list[int]] = {}
        current_snapshot: dict[str, int] = {}
        for k, lang in enumerate(LANGS):
            edition_id = (article_id - 1) * 3 + k + 1
            texts = story.texts(lang)
            versions = [texts]
            if versioned and lang == "uk":
                old = list(texts)
                old[0] = _NUMBER.sub(lambda m: m.group(0).replace("1", "7", 1), old[0], count=1)
                versions = [old, texts]
            for v, version_texts in enumerate(versions):
                ids["snapshot"] += 1
                snapshot_id = ids["snapshot"]
                fetched = iso(first_seen + v * 7200)
                snapshots.append(
                    (
                        snapshot_id,
                        edition_id,
                        fetched,
                        f"{seed:x}{snapshot_id:060x}",
                        story.title(lang),
                        iso(first_seen),
                        fetched,
                        lang,
                        lang,
                        0.99,
                        1,
                        len(version_texts),
                        "full",
                        "profile",
                    )
                )
                checks.append((edition_id, fetched, 200, "new", snapshot_id))
                paragraph_ids = []
                for idx, text in enumerate(version_texts):
                    ids["paragraph"] += 1
                    paras.append((ids["paragraph"], snapshot_id, idx, lang, text))
                    paragraph_ids.append(ids["paragraph"])
                    if derived:
                        for fig in _figures_of(text):
                            figures.append((ids["paragraph"], *fig))
                current_paragraphs[lang] = paragraph_ids
                current_snapshot[lang] = snapshot_id
                if v == 1 and derived:
                    divergences.append(
                        _divergence(
                            article_id,
                            "version",
                            "changed",
                            lang,
                            lang,
                            snapshot_id - 1,
                            snapshot_id,
                            0,
                            fetched,
                            rng,
                        )
                    )
            checks.append((edition_id, last, 200, "unchanged", current_snapshot[lang]))
            editions.append(
                (
                    edition_id,
                    article_id,
                    lang,
                    f"https://{site}.example/{lang}/news/{article_id}.html",
                    f"https://{site}.example/{lang}/news/{article_id}.html",
                    iso(first_seen),
                    last,
                    200,
                    current_snapshot[lang],
                )
            )
        if derived:
            for row in range(len(story.paragraphs)):
                for lang in LANGS:
                    alignments.append(
                        (article_id, row, lang, current_paragraphs[lang][row], 0.9, 0)
                    )
            if story.divergent is not None:
                row = story.divergent[0]
                for lang_a in ("uk", "en"):
                    divergences.append(
                        _divergence(
                            article_id,
                            "language",
                            "changed",
                            lang_a,
                            "ru",
                            current_snapshot[lang_a],
                            current_snapshot["ru"],
                            row,
                            iso(first_seen + 600),
                            rng,
                        )
                    )
    yield "articles", _ARTICLE_COLUMNS, articles
    yield "editions", _EDITION_COLUMNS, editions
    yield "snapshots", _SNAPSHOT_COLUMNS, snapshots
    yield "paragraphs", ("id", "snapshot_id", "idx", "lang", "text"), paras
    yield "checks", ("edition_id", "checked_at", "status", "outcome", "snapshot_id"), checks
    if derived:
        yield "figures", _FIGURE_COLUMNS, figures
        yield (
            "alignments",
            ("article_id", "row", "lang", "paragraph_id", "score", "weak"),
            alignments,
        )
        yield "divergences", _DIVERGENCE_COLUMNS, divergences


_ARTICLE_COLUMNS = (
    "id",
    "site",
    "key",
    "title",
    "first_seen",
    "last_checked",
    "last_changed",
    "next_check",
    "needs_diff",
)
_EDITION_COLUMNS = (
    "id",
    "article_id",
    "lang",
    "url",
    "canonical",
    "first_seen",
    "last_fetched",
    "last_status",
    "current_snapshot_id",
)
_SNAPSHOT_COLUMNS = (
    "id",
    "edition_id",
    "fetched_at",
    "content_hash",
    "title",
    "published",
    "modified",
    "lang_declared",
    "lang_detected",
    "lang_confidence",
    "lang_ok",
    "paragraph_count",
    "access",
    "extraction",
)
_FIGURE_COLUMNS = ("paragraph_id", "raw", "value", "unit", "kind", "start", "end")
_DIVERGENCE_COLUMNS = (
    "article_id",
    "scope",
    "kind",
    "lang_a",
    "lang_b",
    "snapshot_a",
    "snapshot_b",
    "row",
    "raw_a",
    "raw_b",
    "value_a",
    "value_b",
    "figure_kind",
    "deepdiff",
    "fingerprint",
    "detected_at",
)


def _divergence(
    article_id: int,
    scope: str,
    kind: str,
    lang_a: str,
    lang_b: str,
    snapshot_a: int,
    snapshot_b: int,
    row: int,
    detected_at: str,
    rng: random.Random,
) -> tuple:
    value_a = rng.randrange(100, 99_999)
    value_b = value_a + 45
    deepdiff = json.dumps(
        {"values_changed": {"root['value']": {"old_value": value_a, "new_value": value_b}}}
    )
    fingerprint = f"{article_id}:{scope}:{lang_a}:{lang_b}:{snapshot_a}:{snapshot_b}"
    return (
        article_id,
        scope,
        kind,
        lang_a,
        lang_b,
        snapshot_a,
        snapshot_b,
        row,
        str(value_a),
        str(value_b),
        float(value_a),
        float(value_b),
        "count",
        deepdiff,
        fingerprint,
        detected_at,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    arch = sub.add_parser("archive", help="write a generated archive")
    arch.add_argument("path")
    arch.add_argument("--articles", type=int, default=1000)
    arch.add_argument("--no-derived", action="store_true", help="leave the diff stage's tables")
    site = sub.add_parser("site", help="serve a generated site until interrupted")
    site.add_argument("--articles", type=int, default=100)
    site.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    if args.what == "archive":
        counts = generate_archive(args.path, args.articles, derived=not args.no_derived)
        print(json.dumps(counts.__dict__))
        return 0
    from benchmarks.siteserver import SiteServer

    with SiteServer(BenchSite(args.articles), port=args.port) as server:
        print(f"serving {args.articles} articles on {server.base_url}/bench/sitemap-uk.xml")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
