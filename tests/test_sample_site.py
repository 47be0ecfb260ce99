"""The bundled sample outlets: the server answers as the manifest says, the gold matches the
HTML, and every planted hard case is really there."""

from __future__ import annotations

import http.client
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from triglot.sample_site import SampleSite, expected, manifest, pages_dir, profiles_dir

MANIFEST = manifest()
GOLD = expected()
PAGES = GOLD["pages"]
BOILERPLATE_PREFIXES = ("Читайте також", "Читайте также", "Read also", "Фото:", "Photo:")
UK_ONLY = set("іїєґІЇЄҐ")
RU_ONLY = set("ыэъёЫЭЪЁ")
CYRILLIC = re.compile(r"[а-яА-ЯіїєґІЇЄҐёЁ]")


@pytest.fixture(scope="module")
def site():
    with SampleSite() as running:
        yield running


def fetch(site: SampleSite, path: str, method: str = "GET", headers: dict | None = None):
    """One raw request (redirects not followed): (status, headers, body)."""
    conn = http.client.HTTPConnection(site.host, site.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


class PageParser(HTMLParser):
    """Collects <p> texts, <h1> texts, <html lang> and <link rel=alternate hreflang>."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.h1: list[str] = []
        self.lang: str | None = None
        self.alternates: dict[str, str] = {}
        self._stack: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = dict(attrs)
        if tag == "html":
            self.lang = attr.get("lang")
        if tag == "link" and attr.get("rel") == "alternate" and "hreflang" in attr:
            self.alternates[attr["hreflang"]] = attr["href"]
        if tag in ("p", "h1"):
            self._stack.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "h1") and self._stack and self._stack[-1][0] == tag:
            _, parts = self._stack.pop()
            text = " ".join("".join(parts).split())
            (self.paragraphs if tag == "p" else self.h1).append(text)

    def handle_data(self, data: str) -> None:
        for _, parts in self._stack:
            parts.append(data)


def parse_page(path: str, version: int = 1) -> PageParser:
    entry = MANIFEST[path]
    file = entry["v2_file"] if version == 2 else entry["file"]
    raw = (pages_dir() / file).read_bytes()
    parser = PageParser()
    parser.feed(raw.decode("cp1251" if entry["charset"] == "windows-1251" else "utf-8"))
    return parser


def page_versions() -> list[tuple[str, int, dict]]:
    cases = []
    for path, record in PAGES.items():
        cases.append((path, 1, record))
        if "v2" in record:
            cases.append((path, 2, record["v2"]))
    return cases


# ---------------------------------------------------------------------------- the server


@pytest.mark.parametrize("path", sorted(MANIFEST))
def test_every_manifest_path_answers_as_listed(site, path):
    entry = MANIFEST[path]
    status, headers, body = fetch(site, path)
    assert status == entry.get("status", 200)
    if "redirect" in entry:
        assert headers["location"] == entry["redirect"]
        assert MANIFEST[entry["redirect"]]["status"] == 200
        return
    assert body == (pages_dir() / entry["file"]).read_bytes()
    assert headers["content-type"] == f"{entry['content_type']}; charset={entry['charset']}"
    assert int(headers["content-length"]) == len(body)
    if status == 200:
        assert headers["etag"].startswith('"') and headers["last-modified"].endswith("GMT")


@pytest.mark.parametrize(
    "path",
    ["/nope", "/dnipro/rus/news/unknown-1.html", "/karpaty/ru/news/9999/", "/dnipro"],
)
def test_unknown_paths_are_404(site, path):
    status, _, _ = fetch(site, path)
    assert status == 404


def test_query_string_is_ignored_for_lookup(site):
    path = next(p for p in PAGES if p.startswith("/polissia/"))
    status, _, body = fetch(site, path + "?utm_source=rss&utm_medium=feed")
    assert status == 200 and body == (pages_dir() / MANIFEST[path]["file"]).read_bytes()


def test_missing_edition_answers_404_with_a_body(site):
    missing = GOLD["hard_cases"]["missing_edition_404"]
    assert len(missing) == 1
    status, headers, body = fetch(site, missing[0])
    assert status == 404 and b"404" in body and "etag" not in headers


def test_cp1251_page_is_really_windows_1251(site):
    (path,) = GOLD["hard_cases"]["legacy_charset"]
    status, headers, body = fetch(site, path)
    assert status == 200
    assert headers["content-type"] == "text/html; charset=windows-1251"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1251")
    assert '<meta charset="windows-1251">' in text
    assert PAGES[path]["title"] in text
    assert "Житомирський льонокомбінат" in text


def test_conditional_requests(site):
    path = next(iter(PAGES))
    _, headers, _ = fetch(site, path)
    etag, last_modified = headers["etag"], headers["last-modified"]
    cases = [
        ({"If-None-Match": etag}, 304),
        ({"If-None-Match": f'"other", {etag}'}, 304),
        ({"If-None-Match": '"not-the-etag"'}, 200),
        ({"If-Modified-Since": last_modified}, 304),
        ({"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, 200),
        ({"If-None-Match": '"not-the-etag"', "If-Modified-Since": last_modified}, 200),
    ]
    for request_headers, want in cases:
        status, _, body = fetch(site, path, headers=request_headers)
        assert status == want, request_headers
        assert (body == b"") == (want == 304)


def test_head_sends_headers_without_body(site):
    path = next(iter(PAGES))
    status, headers, body = fetch(site, path, method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["content-length"]) == (pages_dir() / MANIFEST[path]["file"]).stat().st_size


def test_requests_are_logged(site):
    before = len(site.requests)
    fetch(site, "/robots.txt", headers={"User-Agent": "triglot-test"})
    logged = site.requests[before]
    assert logged["method"] == "GET" and logged["path"] == "/robots.txt"
    assert logged["headers"]["User-Agent"] == "triglot-test"


def test_version_switch_serves_v2_bytes(site):
    with_v2 = [p for p, e in MANIFEST.items() if "v2_file" in e]
    assert len(with_v2) >= 7
    v1 = {p: fetch(site, p) for p in with_v2}
    site.version = 2
    try:
        for path in with_v2:
            status, headers, body = fetch(site, path)
            assert status == 200
            assert body == (pages_dir() / MANIFEST[path]["v2_file"]).read_bytes()
            assert body != v1[path][2]
            assert headers["etag"] != v1[path][1]["etag"]
            stale, _, _ = fetch(site, path, headers={"If-None-Match": v1[path][1]["etag"]})
            assert stale == 200
        unchanged = next(p for p in PAGES if "v2_file" not in MANIFEST[p])
        assert fetch(site, unchanged)[2] == (pages_dir() / MANIFEST[unchanged]["file"]).read_bytes()
    finally:
        site.version = 1


def test_robots_txt_disallows_the_private_draft_listed_in_a_feed(site):
    status, headers, body = fetch(site, "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(body.decode("utf-8").splitlines())
    (private,) = GOLD["robots_disallowed"]
    assert not robots.can_fetch("triglot", private)
    assert all(robots.can_fetch("triglot", path) for path in PAGES)
    feed = (pages_dir() / MANIFEST["/karpaty/rss/uk.xml"]["file"]).read_text(encoding="utf-8")
    assert private in feed


def test_karpaty_transforms_reach_every_edition_through_the_redirect(site):
    profile = tomllib.loads((profiles_dir() / "karpaty.toml").read_text(encoding="utf-8"))
    for key, article in GOLD["articles"].items():
        if article["outlet"] != "karpaty":
            continue
        for source in article["editions"].values():
            reached = set()
            for transform in profile["url_transforms"]:
                url = site.url(source)
                target = re.sub(transform["pattern"], transform["replace"], url)
                if target == url:
                    continue
                status, headers, _ = fetch(site, urlsplit(target).path)
                assert status == 301, (key, target)
                reached.add(headers["location"])
            assert reached == set(article["editions"].values()) - {source}


def test_dnipro_transform_swaps_rus_and_ukr(site):
    profile = tomllib.loads((profiles_dir() / "dnipro.toml").read_text(encoding="utf-8"))
    for article in GOLD["articles"].values():
        if article["outlet"] != "dnipro":
            continue
        uk, ru = site.url(article["editions"]["uk"]), site.url(article["editions"]["ru"])
        outputs = {re.sub(t["pattern"], t["replace"], uk) for t in profile["url_transforms"]}
        assert ru in outputs


@pytest.mark.parametrize("outlet", ["dnipro", "polissia", "karpaty"])
@pytest.mark.parametrize("lang", ["uk", "en", "ru"])
def test_feeds_list_the_live_editions(outlet, lang):
    root = ET.fromstring((pages_dir() / f"{outlet}/rss/{lang}.xml").read_bytes())
    links = {urlsplit(link.text).path for link in root.iter("link")} - {f"/{outlet}/news/"}
    live = {
        a["editions"][lang]
        for a in GOLD["articles"].values()
        if a["outlet"] == outlet and lang in a["live"]
    }
    assert live <= links
    assert links - live <= set(GOLD["robots_disallowed"])


def test_profiles_match_the_article_urls():
    for name in ("dnipro", "polissia", "karpaty"):
        profile = tomllib.loads((profiles_dir() / f"{name}.toml").read_text(encoding="utf-8"))
        patterns = [re.compile(p) for p in profile["article"]["url_patterns"]]
        for path, record in PAGES.items():
            matched = any(p.search("http://127.0.0.1:8765" + path) for p in patterns)
            assert matched == (record["outlet"] == name), (name, path)


# ---------------------------------------------------------------------------- the gold


def test_at_least_ten_articles_each_with_three_editions():
    articles = GOLD["articles"]
    assert len(articles) >= 10
    per_outlet = Counter(a["outlet"] for a in articles.values())
    assert per_outlet["dnipro"] >= 4 and per_outlet["polissia"] >= 3
    assert per_outlet["karpaty"] >= 3
    for key, article in articles.items():
        assert set(article["editions"]) == {"uk", "en", "ru"}, key
        for lang, path in article["editions"].items():
            assert path in MANIFEST, path
            if lang in article["live"]:
                assert MANIFEST[path]["status"] == 200 and path in PAGES
                assert PAGES[path]["editions"] == article["editions"]
            else:
                assert MANIFEST[path]["status"] == 404


@pytest.mark.parametrize(("path", "version", "record"), page_versions())
def test_gold_paragraphs_occur_in_the_html(path, version, record):
    page = parse_page(path, version)
    assert 6 <= len(record["paragraphs"]) <= 14
    html_paragraphs = page.paragraphs
    for paragraph in record["paragraphs"]:
        assert paragraph in html_paragraphs, paragraph[:60]
        assert not paragraph.startswith(BOILERPLATE_PREFIXES)
    positions = [html_paragraphs.index(p) for p in record["paragraphs"]]
    assert positions == sorted(positions)
    assert page.h1 == [record["title"]]
    assert page.lang == record["lang_declared"]


@pytest.mark.parametrize(("path", "version", "record"), page_versions())
def test_gold_text_is_in_the_language_it_claims(path, version, record):
    letters = set("".join(record["paragraphs"]))
    if record["lang_text"] == "uk":
        assert letters & UK_ONLY and not letters & RU_ONLY
    elif record["lang_text"] == "ru":
        assert letters & RU_ONLY and not letters & UK_ONLY
    else:
        assert not CYRILLIC.search("".join(record["paragraphs"]))


def test_hard_cases_are_present():
    cases = GOLD["hard_cases"]
    (mismatch,) = cases["language_mismatch"]
    assert mismatch.startswith("/dnipro/eng/")
    assert PAGES[mismatch]["lang_declared"] == "en" and PAGES[mismatch]["lang_text"] == "uk"
    # the RBC-style swap: Ukrainian text under /rus/, Russian under /ukr/
    for path, record in PAGES.items():
        if path.startswith("/dnipro/rus/"):
            assert record["lang_text"] == "uk"
        if path.startswith("/dnipro/ukr/"):
            assert record["lang_text"] == "ru"
    (off_domain,) = cases["off_domain_alternate"]
    assert urlsplit(off_domain).hostname == "127.0.0.2"
    harvest = GOLD["articles"]["dnipro-harvest"]["editions"]
    assert parse_page(harvest["uk"]).alternates["en-US"] == off_domain
    assert parse_page(harvest["uk"]).alternates["ru"] == harvest["ru"]
    # polissia is paired only by its switcher, karpaty by nothing on the page
    for path in PAGES:
        if not path.startswith("/dnipro/"):
            assert parse_page(path).alternates == {}
        text = (pages_dir() / MANIFEST[path]["file"]).read_bytes()
        assert (b'class="lang-switch"' in text) == path.startswith("/polissia/")


def test_planted_divergences_are_in_the_text():
    def paragraph(article: str, lang: str, idx: int, version: int = 1) -> str:
        record = PAGES[GOLD["articles"][article]["editions"][lang]]
        return (record if version == 1 else record["v2"])["paragraphs"][idx]

    cases = [
        ("dnipro-harvest", "uk", 1, 1, "427 тисяч тонн"),
        ("dnipro-harvest", "ru", 1, 1, "472 тысячи тонн"),
        ("dnipro-harvest", "en", 1, 1, "427,000 tonnes"),
        ("dnipro-metro", "uk", 0, 1, "на 12%"),
        ("dnipro-metro", "ru", 0, 1, "на 21%"),
        ("polissia-amber", "uk", 3, 1, "38%"),
        ("polissia-amber", "en", 3, 1, "48%"),
        ("polissia-amber", "en", 3, 2, "38%"),
        ("polissia-flax", "uk", 0, 1, "$2,3 млн"),
        ("polissia-flax", "ru", 0, 1, "$3,2 млн"),
        ("polissia-flax", "en", 0, 1, "$2.3 million"),
        ("karpaty-bukovel", "uk", 2, 1, "17 травня"),
        ("karpaty-bukovel", "ru", 2, 1, "27 мая"),
        ("karpaty-bukovel", "en", 2, 1, "May 17"),
        ("dnipro-drones", "uk", 2, 1, "Поранено 7 людей"),
        ("dnipro-drones", "uk", 2, 2, "Поранено 9 людей"),
        ("dnipro-drones", "en", 2, 2, "Nine people were injured"),
        ("dnipro-drones", "ru", 2, 2, "Ранены 9 человек"),
    ]
    for article, lang, idx, version, needle in cases:
        assert needle in paragraph(article, lang, idx, version), (article, lang, version)


def test_structural_differences_between_editions():
    def count(article: str, lang: str, version: int = 1) -> int:
        record = PAGES[GOLD["articles"][article]["editions"][lang]]
        return len((record if version == 1 else record["v2"])["paragraphs"])

    assert count("dnipro-harvest", "en") == count("dnipro-harvest", "uk") - 1  # no recap
    assert PAGES[GOLD["articles"]["dnipro-harvest"]["editions"]["uk"]]["paragraphs"][-1].startswith(
        "Нагадаємо"
    )
    assert count("dnipro-heating", "en") == count("dnipro-heating", "uk") - 1  # merged
    assert count("polissia-wildfires", "ru") == count("polissia-wildfires", "uk") + 1  # split
    for lang in ("uk", "en", "ru"):  # one paragraph added in v2
        assert count("dnipro-drones", lang, 2) == count("dnipro-drones", lang) + 1


def test_boilerplate_only_v2_keeps_the_body():
    paths = GOLD["hard_cases"]["v2_boilerplate_only"]
    assert len(paths) == 3
    for path in paths:
        record = PAGES[path]
        assert record["v2"]["paragraphs"] == record["paragraphs"]
        assert record["v2"]["modified"] == record["modified"]
        entry = MANIFEST[path]
        assert (pages_dir() / entry["v2_file"]).read_bytes() != (
            pages_dir() / entry["file"]
        ).read_bytes()
