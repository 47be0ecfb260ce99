"""Page extraction and edition discovery: hand-written snippets, then every sample page."""

from __future__ import annotations

import re
import urllib.request

import pytest
from scrapy.http import HtmlResponse

from crawler.discovery import article_key, discover_editions
from crawler.extract import extract_page, is_boilerplate_text, normalise_lang
from crawler.profiles import (
    ProfileError,
    generic_profile,
    list_profiles,
    load_profile,
    parse_profile,
)
from triglot.sample_site import SampleSite, expected, profiles_dir

BODY_UK = [
    "Кабінет міністрів затвердив нову програму підтримки фермерів прифронтових громад на 2025 рік.",
    "Загальний обсяг фінансування становитиме 3,2 млрд гривень, повідомили в міністерстві.",
    "Гранти отримають господарства, які втратили понад третину посівних площ через бойові дії.",
]


def page_html(body: str, head: str = "", lang: str = "uk") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title>'
        f"{head}</head><body>"
        '<nav class="menu"><a href="/">Головна</a> <a href="/politics">Політика</a></nav>'
        f'<main><article><h1>Уряд підтримає фермерів</h1><div class="text">{body}</div>'
        "</article></main><footer><p>© 2024 Тестовий вісник. Усі права захищено. Передрук "
        "матеріалів лише з дозволу редакції.</p></footer></body></html>"
    )


def ps(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


BOILERPLATE_CASES = [
    ("read-also insert (uk)", '<p>Читайте також: <a href="/n/2">Інша новина дня</a></p>'),
    ("read-also insert (ru)", "<p>Читайте также: Другая новость</p>"),
    ("read-also insert (en)", "<p><strong>Read also:</strong> Another story</p>"),
    ("read-also block", '<div class="read-also"><a href="/x">Ще одна новина дня тут</a></div>'),
    (
        "related slider",
        '<div class="related-slider"><p>Пов’язана новина з довгим заголовком про щось інше, '
        "що не є частиною статті.</p></div>",
    ),
    (
        "photo figure with credit",
        "<figure><img src=a.jpg><figcaption>Будівля міністерства. Фото: УНІАН</figcaption>"
        "</figure>",
    ),
    ("photo byline paragraph", "<p>Фото: Олена Петренко. Автор: Іван Коваль</p>"),
    ("photo credit paragraph (en)", "<p>Photo: Reuters</p>"),
    ("share block", '<div class="share">Поділитися: <a href="#fb">Facebook</a></div>'),
    ("telegram promo", "<p>Підписуйтесь на наш Telegram-канал, щоб першими знати новини.</p>"),
    ("donation promo", "<p>Підтримайте нашу редакцію донатом на будь-яку суму.</p>"),
    ("ad slot", '<ins class="adsbygoogle"></ins><div class="adv">Реклама</div>'),
    ("script and style", "<script>var x = 'Текст скрипта, не статті';</script><style>p{}</style>"),
    ("comment widget", '<div id="comments"><p>Увійдіть, щоб залишити коментар.</p></div>'),
    ("tags line", "<p>Теги: економіка, аграрії</p>"),
    ("google news promo", "<p>Читайте нас у Google News</p>"),
]


@pytest.mark.parametrize(
    ("name", "insert"), BOILERPLATE_CASES, ids=[c[0] for c in BOILERPLATE_CASES]
)
def test_generic_extractor_drops_boilerplate(name: str, insert: str) -> None:
    body = ps(BODY_UK[:2]) + insert + ps(BODY_UK[2:])
    page = extract_page(page_html(body), "https://example.org/news/1")
    assert page.paragraphs == BODY_UK
    assert page.extraction in ("trafilatura", "generic")  # no profile: compared candidates


@pytest.mark.parametrize(
    ("html_fragment", "expected"),
    [
        ("<p>Текст   з \n пробілами\u00a0і табами\t.</p>", ["Текст з пробілами і табами ."]),
        ("<p>Рядок перший<br>рядок другий</p>", ["Рядок перший рядок другий"]),
        ("<p>Слово<b>жирне</b> і <i>курсив</i>.</p>", ["Словожирне і курсив."]),
        ("<p>\u200bНевидимий пробіл</p>", ["Невидимий пробіл"]),
    ],
)
def test_whitespace_normalised(html_fragment: str, expected: list[str]) -> None:
    body = ps(BODY_UK) + html_fragment
    page = extract_page(page_html(body), "https://example.org/news/1")
    assert page.paragraphs == BODY_UK + expected


@pytest.mark.parametrize(
    "text",
    [
        "Читайте також: Уряд ухвалив бюджет",
        "Читайте также: Правительство приняло бюджет",
        "Read also: Government adopts budget",
        "Фото: Getty Images",
        "Фото Максима Лисенка. Автор: Reuters",
        "Підписуйтесь на наш Telegram-канал",
        "Subscribe to our Telegram channel",
        "Підтримайте редакцію: monobank",
        "Реклама",
    ],
)
def test_boilerplate_phrases(text: str) -> None:
    assert is_boilerplate_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Читати книжки стало модно, кажуть бібліотекарі.",
        "Фотограф Олена Петренко отримала премію.",
        "Автори законопроєкту пропонують змінити податок.",
        "The ministry said support would continue.",
    ],
)
def test_ordinary_text_is_not_boilerplate(text: str) -> None:
    assert not is_boilerplate_text(text)


def test_metadata_cascade_jsonld_then_meta_then_time() -> None:
    head = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebPage"},{"@type":"NewsArticle","headline":"Заголовок з JSON-LD",'
        '"datePublished":"2024-03-01T10:00:00+02:00","inLanguage":"uk-UA",'
        '"author":[{"@type":"Person","name":"Іван Коваль"}]}]}</script>'
        '<meta property="article:modified_time" content="2024-03-01T12:00:00+02:00">'
        '<link rel="canonical" href="/news/1-canonical">'
    )
    page = extract_page(page_html(ps(BODY_UK), head), "https://example.org/news/1?utm=x")
    assert page.title == "Заголовок з JSON-LD"
    assert page.published == "2024-03-01T10:00:00+02:00"
    assert page.modified == "2024-03-01T12:00:00+02:00"
    assert page.author == "Іван Коваль"
    assert page.canonical == "https://example.org/news/1-canonical"
    assert page.lang_declared == "uk"


def test_time_element_when_no_structured_dates() -> None:
    body = '<time datetime="2023-12-31T23:59:00Z">31 грудня</time>' + ps(BODY_UK)
    page = extract_page(page_html(body), "https://example.org/news/1")
    assert page.published == "2023-12-31T23:59:00Z"
    assert page.modified is None
    assert page.title == "Уряд підтримає фермерів"


@pytest.mark.parametrize(
    ("html_lang", "head", "expected"),
    [
        ("uk-UA", "", "uk"),
        ("ru", "", "ru"),
        ("en-US", "", "en"),
        ("", '<meta property="og:locale" content="ru_RU">', "ru"),
        (
            "",
            '<script type="application/ld+json">{"@type":"Article","inLanguage":"en"}</script>'
            '<meta property="og:locale" content="ru_RU">',
            "en",
        ),
    ],
)
def test_declared_language_order(html_lang: str, head: str, expected: str) -> None:
    html = page_html(ps(BODY_UK), head, lang=html_lang).replace(' lang=""', "")
    assert extract_page(html, "https://example.org/a").lang_declared == expected


def test_jsonld_article_body_when_no_paragraph_markup() -> None:
    body_text = "\\n".join(BODY_UK)
    html = (
        '<html lang="uk"><head><script type="application/ld+json">'
        f'{{"@type":"NewsArticle","headline":"Х","articleBody":"{body_text}"}}</script></head>'
        "<body><div id=app></div></body></html>"
    )
    page = extract_page(html, "https://example.org/a")
    assert page.paragraphs == BODY_UK
    assert page.extraction == "jsonld"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("uk", "uk"), ("ua", "uk"), ("uk-UA", "uk"), ("uk_UA", "uk"), ("UK-ua", "uk"),
        ("ru", "ru"), ("ru-RU", "ru"), ("ru-UA", "ru"),
        ("en", "en"), ("en-US", "en"), ("en-GB", "en"),
        ("x-default", None), ("", None), (None, None), ("de-DE", "de"),
    ],
)  # fmt: skip
def test_normalise_lang(code: str | None, expected: str | None) -> None:
    assert normalise_lang(code) == expected


# ---------------------------------------------------------------------------- discovery

PROFILE = parse_profile(
    {
        "name": "vistnyk",
        "base_url": "https://www.vistnyk.example",
        "allowed_domains": ["vistnyk.example"],
        "article": {"url_patterns": [r"/news/\d+"], "id_pattern": r"/news/(\d+)"},
        "selectors": {"switcher": ["div.lang a"]},
        "url_transforms": [
            {"pattern": r"^(https://www\.vistnyk\.example)/ua/(.*)$", "replace": r"\1/ru/\2"}
        ],
    }
)
SELF = "https://www.vistnyk.example/ua/news/42"


def hreflang(lang: str, href: str) -> str:
    return f'<link rel="alternate" hreflang="{lang}" href="{href}">'


DISCOVERY_CASES = [
    (
        "hreflang, self and x-default ignored",
        hreflang("uk", SELF)
        + hreflang("ru-RU", "/ru/news/42")
        + hreflang("en-US", "https://en.vistnyk.example/news/7")
        + hreflang("x-default", SELF),
        "",
        [("https://www.vistnyk.example/ru/news/42", "ru", "hreflang"),
         ("https://en.vistnyk.example/news/7", "en", "hreflang")],
        [],
    ),
    (
        "off-domain hreflang ignored",
        hreflang("ru", "/ru/news/42") + hreflang("en", "https://elsewhere.example/en/42"),
        "",
        [("https://www.vistnyk.example/ru/news/42", "ru", "hreflang")],
        ["https://elsewhere.example/en/42"],
    ),
    (
        "lookalike domain is off-domain",
        hreflang("en", "https://vistnyk.example.evil.test/en/42"),
        "",
        [],
        ["https://vistnyk.example.evil.test/en/42"],
    ),
    (
        "switcher adds what hreflang lacks",
        hreflang("ru", "/ru/news/42"),
        '<div class="lang"><a href="/ua/news/42">UA</a><a href="/ru/news/42">RU</a>'
        '<a href="https://en.vistnyk.example/news/7">EN</a></div>',
        [("https://www.vistnyk.example/ru/news/42", "ru", "hreflang"),
         ("https://en.vistnyk.example/news/7", "en", "switcher")],
        [],
    ),
    (
        "url transform only when the page names no edition",
        "",
        "",
        [("https://www.vistnyk.example/ru/news/42", None, "transform")],
        [],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "head", "switcher", "expected", "offsite"),
    DISCOVERY_CASES,
    ids=[c[0] for c in DISCOVERY_CASES],
)
def test_discovery(
    name: str, head: str, switcher: str, expected: list[tuple], offsite: list[str]
) -> None:
    html = page_html(switcher + ps(BODY_UK), head)
    page = extract_page(html, SELF, PROFILE)
    found = discover_editions(page, PROFILE)
    assert [(e.url, e.lang_hint, e.via) for e in found.editions] == expected
    assert found.offsite == offsite
    assert SELF not in found.alternates.values()


def test_generic_switcher_cluster_without_profile() -> None:
    switcher = (
        '<ul class="header-langs"><li><span>УКР</span></li>'
        '<li><a href="/ru/news/42">РУС</a></li><li><a href="/en/news/42">ENG</a></li></ul>'
    )
    url = "https://news.example.net/news/42"
    page = extract_page(page_html(switcher + ps(BODY_UK)), url)
    found = discover_editions(page, generic_profile(url))
    assert found.alternates == {
        "ru": "https://news.example.net/ru/news/42",
        "en": "https://news.example.net/en/news/42",
    }


def test_article_key_shared_id_or_entry_url() -> None:
    assert article_key(PROFILE, SELF) == "vistnyk:42"
    plain = generic_profile("https://example.org/a/b")
    assert article_key(plain, "https://example.org/a/b#top") == "generic:https://example.org/a/b"


# ---------------------------------------------------------------------------- profiles


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"base_url": "https://a.example"}, "key 'name'"),
        ({"name": "x"}, "key 'base_url'"),
        ({"name": "x", "base_url": "ftp://a"}, "key 'base_url'"),
        ({"name": "x", "base_url": "https://a.example", "colour": 1}, "key 'colour'"),
        (
            {"name": "x", "base_url": "https://a.example", "article": {"url_patterns": ["("]}},
            "key 'article.url_patterns'",
        ),
        (
            {"name": "x", "base_url": "https://a.example", "selectors": {"body": ["div[["]}},
            "key 'selectors.body'",
        ),
        (
            {"name": "x", "base_url": "https://a.example", "languages": ["de"]},
            "key 'languages'",
        ),
        (
            {
                "name": "x",
                "base_url": "https://a.example",
                "url_transforms": [{"pattern": "(a)", "replace": r"\2"}],
            },
            "key 'url_transforms[0].replace'",
        ),
    ],
)
def test_profile_validation_names_file_and_key(data: dict, message: str) -> None:
    with pytest.raises(ProfileError) as error:
        parse_profile(data, source="/tmp/x.toml")
    assert "/tmp/x.toml" in str(error.value)
    assert message in str(error.value)


def test_the_shipped_profiles_include_the_readmes_eight() -> None:
    readme = {"rbc", "ukrinform", "unian", "pravda", "interfax", "censor", "liga", "nv"}
    assert set(list_profiles()) >= readme


@pytest.mark.parametrize("name", list_profiles())  # a new profile file is covered by itself
def test_builtin_profiles_load(name: str) -> None:
    profile = load_profile(name)
    assert profile.name == name
    assert profile.body_selectors and profile.url_patterns


def test_rbc_profile_swaps_rus_and_ukr_and_shares_id() -> None:
    rbc = load_profile("rbc")
    url = "https://www.rbc.ua/rus/news/uryad-zatverdyv-1712345678.html"
    assert rbc.is_article(url)
    assert [t.apply(url) for t in rbc.url_transforms] == [
        "https://www.rbc.ua/ukr/news/uryad-zatverdyv-1712345678.html",
        None,
    ]
    assert article_key(rbc, url) == "rbc:1712345678"


def test_unian_profile_swaps_hosts() -> None:
    unian = load_profile("unian")
    url = "https://www.unian.ua/economics/uryad-zatverdyv-12345678.html"
    assert unian.url_transforms[0].apply(url) == (
        "https://www.unian.net/economics/uryad-zatverdyv-12345678.html"
    )


def test_base_url_override_relocates_the_profile() -> None:
    rbc = load_profile("rbc", base_url="http://127.0.0.1:8123")
    assert rbc.base_url == "http://127.0.0.1:8123"
    assert rbc.start_urls["uk"] == ("http://127.0.0.1:8123/static/rss/all.ukr.rss.xml",)
    assert rbc.allowed_domains == ("127.0.0.1",)
    assert not rbc.allows("https://www.rbc.ua/ukr/news/a-1.html")


# ---------------------------------------------------------------------------- sample site
# Every article page of the bundled sample outlets, fetched over real HTTP and decoded the
# way the crawl decodes it (Scrapy's response.text: HTTP header, then <meta charset>).

SAMPLE_PAGES = [(version, path) for path in expected()["pages"] for version in (1, 2)]
SAMPLE_PAGES = [(v, p) for v, p in SAMPLE_PAGES if v == 1 or "v2" in expected()["pages"][p]]


@pytest.fixture(scope="module")
def sample_sites():
    with SampleSite(port=0, version=1) as v1, SampleSite(port=0, version=2) as v2:
        yield {1: v1, 2: v2}


def fetch(site: SampleSite, path: str) -> HtmlResponse:
    with urllib.request.urlopen(site.url(path), timeout=10) as answer:
        headers = {"Content-Type": answer.headers["Content-Type"]}
        return HtmlResponse(url=site.url(path), body=answer.read(), headers=headers)


def gold(version: int, path: str) -> dict:
    page = expected()["pages"][path]
    return page["v2"] if version == 2 else page


def sample_profile(outlet: str, site: SampleSite):
    return load_profile(outlet, [str(profiles_dir())], base_url=site.base_url)


@pytest.mark.parametrize(("version", "path"), SAMPLE_PAGES)
def test_sample_page_with_profile(sample_sites, version: int, path: str) -> None:
    site, want = sample_sites[version], gold(version, path)
    page = extract_page(
        fetch(site, path).text, site.url(path), sample_profile(want["outlet"], site)
    )
    assert page.paragraphs == want["paragraphs"]
    assert page.title == want["title"]
    assert page.published == want["published"]
    assert page.modified == want["modified"]
    assert page.lang_declared == want["lang_declared"]
    assert page.extraction == "profile"


def test_windows_1251_page_decodes(sample_sites) -> None:
    (path,) = expected()["hard_cases"]["legacy_charset"]
    response = fetch(sample_sites[1], path)
    assert response.encoding == "cp1251"
    page = extract_page(response.text, response.url)
    assert page.paragraphs == gold(1, path)["paragraphs"]
    assert "ї" in page.text or "і" in page.text


def test_generic_extractor_alone_on_every_sample_page(sample_sites) -> None:
    """No profile: the fallback must find ≥ 90% of the gold paragraphs with little noise."""
    true_pos = extracted = wanted = 0
    for version, path in SAMPLE_PAGES:
        site, want = sample_sites[version], gold(version, path)
        page = extract_page(fetch(site, path).text, site.url(path))
        assert page.extraction in ("trafilatura", "generic")  # no profile: compared candidates
        hits = len(set(page.paragraphs) & set(want["paragraphs"]))
        assert hits >= 0.9 * len(want["paragraphs"]), path
        true_pos, extracted, wanted = (
            true_pos + hits,
            extracted + len(page.paragraphs),
            wanted + len(want["paragraphs"]),
        )
    precision, recall = true_pos / extracted, true_pos / wanted
    print(f"generic extractor on {len(SAMPLE_PAGES)} pages: P={precision:.3f} R={recall:.3f}")
    assert recall >= 0.9
    assert precision >= 0.9


# ---------------------------------------------------------------------------- fast lookups
# extract.py answers some questions faster than the obvious way; these cases pin the fast
# way to the obvious one, so a speed-up can never change what is extracted.


def test_boilerplate_case_traps_are_complete() -> None:
    """Lower-casing then matching equals IGNORECASE matching except on _CASE_TRAPS."""
    from crawler import extract

    alphabet = {ch for p in extract._BOILERPLATE_TEXT for ch in p.pattern if ch.isalpha()}
    assert all(ch == ch.lower() for ch in alphabet)
    literal = {ch: re.compile(re.escape(ch), re.IGNORECASE) for ch in alphabet}
    disagree = []
    for code in range(0x110000):
        ch = chr(code)
        if ch.lower() == ch and ch.upper() == ch:
            continue  # uncased: both ways compare it as itself
        lowered = ch.lower()
        for letter, pattern in literal.items():
            if bool(pattern.fullmatch(ch)) != (lowered == letter) or len(lowered) != 1:
                disagree.append(ch)
                break
    assert disagree, "the check itself must see the known traps (İ, ſ…)"
    assert all(extract._CASE_TRAPS.search(ch) for ch in disagree), disagree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ЧИТАЙТЕ ТАКОЖ: Уряд ухвалив бюджет", True),
        ("Read Also: budget", True),
        ("ПІДПИСУЙТЕСЬ на наш TELEGRAM-канал", True),
        ("Subſcribe to our YouTube channel", True),  # IGNORECASE reads ſ as s: so must we
        ("ТЕГИ: бюджет, податки", True),
        ("Please DONATE to the İndependent newsroom", True),
        ("Фотограф Олена Петренко отримала премію.", False),
        ("ЗСУ збили 11 дронів над Києвом.", False),
    ],
)
def test_boilerplate_text_any_case(text: str, expected: bool) -> None:
    from crawler import extract

    assert is_boilerplate_text(text) is expected
    assert any(p.search(text) for p in extract._BOILERPLATE_TEXT) is expected


METADATA_SNIPPETS = [
    '<link rel="canonical" href="/a"><link rel="Canonical" href="/b">',
    '<link rel=" alternate\n" hreflang="en" href="/en"><link rel="ALTERNATE stylesheet" href="/s">',
    '<link rel="alternatex" href="/x"><link href="/no-rel"><link rel="" href="/empty">',
    '<link rel="alternate\u00a0" hreflang="ru" href="/nbsp">',  # NBSP is no XPath space
    '<meta name="og:url" content="/by-name"><meta property="og:url" content="/by-property">',
    '<meta property="og:url" content="  "><meta property="og:url" content=" /second ">',
    '<meta itemprop="og:url" content="/itemprop"><meta property="author">',
    '<base href="/in-head/"><script type="application/ld+json">{"@type": "NewsArticle"}</script>',
    '<script type="text/json">{}</script><script>var a;</script>',
]


@pytest.mark.parametrize("head", METADATA_SNIPPETS)
def test_metadata_index_answers_as_the_xpaths_did(head: str) -> None:
    from crawler import extract

    body = '<base href="/in-body/"><span itemprop="datePublished" content="2024-01-02">x</span>'
    root = extract.parse_html(page_html(ps(BODY_UK) + body, head))
    index = extract.index_metadata(root)
    for rel in ("canonical", "alternate", "stylesheet"):
        expected = root.xpath(
            "//link[contains(concat(' ', normalize-space(translate(@rel, "
            "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')), ' '), $rel)]",
            rel=f" {rel} ",
        )
        assert extract._links_with_rel(index, rel) == expected, rel
    for key in ("og:url", "author"):
        contents = [
            v.strip()
            for attr in ("property", "name", "itemprop")
            for v in root.xpath(f"//meta[@{attr}=$key]/@content", key=key)
            if v.strip()
        ]
        assert extract._meta(index, key) == (contents[0] if contents else None), key
    assert index.base_hrefs == root.xpath("//head/base/@href")
    assert index.ld_scripts == root.xpath("//script[contains(@type, 'ld+json')]")
    assert extract._time_values(root, index) == ("2024-01-02", None)


def test_norm_space_maps_to_space_only_what_split_splits_on():
    """norm_space translates only text holding a deleted character: that is exact only while
    every character _INVISIBLE maps to a space is whitespace to str.split()."""
    from crawler.extract import _INVISIBLE, norm_space

    to_space = [chr(c) for c, v in _INVISIBLE.items() if v is not None]
    assert to_space and all(ch.isspace() for ch in to_space)
    assert norm_space("a\u200bb\x0bc\u202ed\x1c e") == "ab cd e"


def test_never_text_without_embed_attributes_selects_what_the_xpath_selects():
    """The tag-only walk used when the page names no embed attribute finds exactly the
    elements (and order) of the full XPath; a page spelling one in capitals takes the XPath."""
    from crawler.extract import (
        _MAYBE_NEVER_TEXT,
        _may_have_embed_attrs,
        _maybe_never_text,
        parse_html,
    )

    html = (
        "<html><body><script>x()</script><div class='video-embed'><p>a</p></div>"
        "<blockquote class=''>q</blockquote><blockquote>keep</blockquote><style>s</style>"
        "<div class='telegram'><noscript>n</noscript></div><div>plain</div>"
        "<template><p>t</p></template><div class='fb-post'>f</div></body></html>"
    )
    root = parse_html(html)
    assert not _may_have_embed_attrs(html.encode())
    expected = _MAYBE_NEVER_TEXT(root)
    assert len(expected) == 8
    assert _maybe_never_text(root, False) == expected
    shouted = html.replace("<div>plain", "<div DATA-Telegram-Post='c/1'>plain")
    assert _may_have_embed_attrs(shouted.encode())
    assert parse_html(shouted).xpath("//*[@data-telegram-post]")
