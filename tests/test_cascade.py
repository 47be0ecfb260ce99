"""The extraction cascade on real-world page patterns: compared candidates, the lead, headings,
embeds, credits, widgets, and site templates learned from a real archive.

The pages are written for these tests (tests/extract_pages/), modelled on the markup of
regional news sites; every name and number in them is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import archive
from archive.templates import recurring_paragraphs
from crawler.cascade import (
    DENSEST,
    JSONLD,
    PROFILE,
    TRAFILATURA,
    TRAFILATURA_RECALL,
    Candidate,
    Segment,
    choose,
    containment,
    shingles,
)
from crawler.extract import EXTRACTOR_VERSION, body_text, extract_page, is_boilerplate_text
from crawler.profiles import load_profile
from crawler.reading import read_page
from crawler.template import (
    SiteTemplate,
    learn_template,
    load_site_template,
    site_template,
    template_key,
)

PAGES = Path(__file__).parent / "extract_pages"
REGIONAL = (PAGES / "regional_news.html").read_text(encoding="utf-8")
PRAVDA_URL = "https://www.pravda.com.ua/news/2026/03/14/7501234/"

LEAD = (
    "Після двох років будівництва у Вишнівці відкрили новий автомобільний міст через річку "
    "Тетерів, який з'єднав два береги селища."
)
BODY = [
    LEAD,
    "Довжина мосту становить 148 метрів, ширина проїжджої частини — 11 метрів. Роботи "
    "коштували 212 мільйонів гривень, з яких 40 мільйонів виділила громада.",
    "За словами голови громади, старий дерев'яний міст щовесни затоплювало, і мешканці "
    "лівого берега по кілька тижнів діставалися до лікарні в об'їзд через сусіднє село.",
    "Рейсовий автобус до районного центру тепер їздитиме через міст, а дорога до лікарні "
    "скоротиться з 34 до 6 кілометрів. Перші рейси за новим маршрутом запланували на понеділок.",
    "Міст розрахований на вантажівки масою до 40 тонн, тож ним зможуть їздити і лісовози, які "
    "раніше робили гак у 50 кілометрів. Уздовж мосту облаштували тротуари та освітлення.",
    "Наступного року громада планує відремонтувати під'їзну дорогу до мосту з правого берега. "
    "Проєктну документацію вже замовили, тендер оголосять улітку.",
]
HEADINGS = [(3, "Що зміниться для мешканців"), (5, "Що далі")]


# ---------------------------------------------------------------------------- whole pages


@pytest.mark.parametrize("profile_name", [None, "pravda"], ids=["no profile", "pravda profile"])
def test_regional_page_reads_exactly_its_body(profile_name: str | None) -> None:
    """Lead in its own container, JSON-LD with only the first paragraph, section label,
    weather widget, app promo, photo credit, embedded tweet and Telegram post, "read also",
    ad label, site signature, a latest-news list with times: only the article is left."""
    profile = load_profile(profile_name) if profile_name else None
    page = extract_page(REGIONAL, PRAVDA_URL, profile)
    assert page.paragraphs == BODY
    assert page.headings == HEADINGS
    assert page.extraction == (PROFILE if profile else TRAFILATURA)
    assert page.extraction != JSONLD  # articleBody is a prefix of the body: it loses
    assert page.extraction_scores[JSONLD] < page.extraction_scores[DENSEST]
    # trafilatura runs unless the profile found a full body (it costs the crawl the most)
    expected = {PROFILE, DENSEST, JSONLD} if profile else {TRAFILATURA, DENSEST, JSONLD}
    assert set(page.extraction_scores) == expected


def test_a_profile_that_finds_only_a_teaser_is_outvoted(tmp_path: Path) -> None:
    """The profile's selector matches the lead box only: trafilatura is consulted and the
    full body, of which the profile's text is a prefix, wins."""
    from crawler.profiles import parse_profile

    profile = parse_profile(
        {"name": "teaser", "base_url": "https://www.pravda.com.ua",
         "selectors": {"body": ["div.post_article_lead"]}},
        source="teaser.toml",
    )  # fmt: skip
    page = extract_page(REGIONAL, PRAVDA_URL, profile)
    assert TRAFILATURA in page.extraction_scores
    assert page.extraction in (TRAFILATURA, DENSEST)
    assert page.paragraphs == BODY


def test_headings_are_kept_apart_and_read_in_order() -> None:
    page = extract_page(REGIONAL, PRAVDA_URL)
    lines = body_text(page).split("\n")
    assert lines[3] == "Що зміниться для мешканців" and lines[6] == "Що далі"
    assert all(h not in page.paragraphs for _, h in page.headings)


def test_profile_missing_the_lead_gets_it_back_from_another_candidate() -> None:
    """The pravda profile's body selector starts below the lead; the lead still leads."""
    page = extract_page(REGIONAL, PRAVDA_URL, load_profile("pravda"))
    assert page.extraction == PROFILE
    assert page.paragraphs[0] == LEAD


def _page(body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8"><title>Т</title>{head}'
        f"</head><body><main><article><h1>Заголовок статті</h1>{body}</article></main>"
        "</body></html>"
    )


def test_jsonld_full_body_is_used_when_the_page_has_none() -> None:
    """JSON-LD is still a candidate: a page rendered by script has its body only there."""
    text = "\\n".join(BODY[1:4])
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        f'"articleBody": "{text}"}}</script>'
    )
    page = extract_page(_page('<div id="app"></div>', head), "https://example.org/n/1")
    assert page.paragraphs == BODY[1:4]
    assert page.extraction == JSONLD


# ---------------------------------------------------------------------------- the rules

P1, P2, P3 = BODY[1], BODY[2], BODY[3]


def _c(name: str, *texts: str, heading: int | None = None) -> Candidate:
    return Candidate(name, [Segment(t, i == heading) for i, t in enumerate(texts)])


@pytest.mark.parametrize(
    ("candidates", "winner", "texts"),
    [
        # first in trust when they agree
        ([_c(PROFILE, P1, P2), _c(TRAFILATURA, P1, P2), _c(DENSEST, P1, P2)], PROFILE, [P1, P2]),
        # a summary (the first paragraph only) loses to the longer agreeing body
        ([_c(PROFILE, P1), _c(TRAFILATURA, P1, P2, P3)], TRAFILATURA, [P1, P2, P3]),
        ([_c(TRAFILATURA, P1), _c(JSONLD, P1, P2, P3)], JSONLD, [P1, P2, P3]),
        # ... and the longer one keeps only its prose and what the shorter confirms
        (
            [_c(TRAFILATURA, P1), _c(DENSEST, P1, P2, P3, "Ще новини", "Топ дня")],
            DENSEST,
            [P1, P2, P3],
        ),
        # a longer candidate that only adds link titles does not extend the body
        ([_c(TRAFILATURA, P1, P2), _c(DENSEST, P1, P2, "Ще новини", "Топ")], TRAFILATURA, [P1, P2]),
        # a teaser under 200 characters loses to a body twice as long
        ([_c(TRAFILATURA, "Коротко."), _c(DENSEST, P2, P3)], DENSEST, [P2, P3]),
        # disagreeing candidates: the order of trust decides
        ([_c(DENSEST, P3), _c(TRAFILATURA, P1, P2)], TRAFILATURA, [P1, P2]),
        # a lead right above the first shared paragraph is put back
        ([_c(PROFILE, P2, P3), _c(TRAFILATURA, LEAD, P2, P3)], PROFILE, [LEAD, P2, P3]),
        # a paragraph the winner skipped inside the body comes back in its place
        ([_c(TRAFILATURA, P1, P3), _c(DENSEST, P1, P2, P3)], TRAFILATURA, [P1, P2, P3]),
        # ... but not a link line, nor what comes after the shared body
        (
            [_c(TRAFILATURA, P1, P3), _c(DENSEST, P1, "Ще новини дня", P3, LEAD)],
            TRAFILATURA,
            [P1, P3],
        ),
        # precision mode stopped at a notice: its balanced mode's longer body wins
        (
            [
                _c(TRAFILATURA, P1),
                _c(DENSEST, P1, P2, "Ще новини"),
                _c(TRAFILATURA_RECALL, P1, P2, P3),
            ],
            TRAFILATURA_RECALL,
            [P1, P2, P3],
        ),
        # nothing anywhere
        ([_c(PROFILE), _c(TRAFILATURA)], None, []),
    ],
    ids=[
        "agree",
        "profile summary",
        "trafilatura summary",
        "truncated trafilatura",
        "teaser extension",
        "teaser",
        "disagree",
        "lead",
        "gap",
        "no gap",
        "recall",
        "nothing",
    ],
)
def test_choose(candidates: list[Candidate], winner: str | None, texts: list[str]) -> None:
    choice = choose(candidates)
    assert choice.name == winner
    assert [s.text for s in choice.segments] == texts
    assert set(choice.scores) == {c.name for c in candidates}


def test_shingle_containment() -> None:
    assert containment(shingles(P1), shingles(P1 + " " + P2)) == 1.0
    assert containment(shingles(P1 + " " + P2), shingles(P1)) < 0.6
    assert containment(set(), shingles(P1)) == 0.0


@pytest.mark.parametrize(
    ("text", "boilerplate"),
    [
        ("Новий міст через Тетерів / фото Олени Коваль", True),
        ("Фото: Олена Коваль", True),
        ("Фото надане пресслужбою", True),
        ("15:03 На Житомирщині відремонтують ще дві школи", True),
        ("9:41 Синоптики попередили про туман", True),
        ("Погода у Житомирі", True),
        ("Житомир +5°C", True),
        ("Завантажуйте наш застосунок, щоб читати новини швидше", True),
        ("Скачайте наше мобильное приложение", True),
        ("Download our app for the latest news", True),
        ("Also on rt.com Another story", True),
        ("Like this story? Share it with a friend!", True),
        ("Реклама", True),
        ("Advertisement:", True),
        ("Related: Another story about the moon", True),
        ("You may also like...", True),
        ("Most read in world news", True),
        ("More:", True),
        ("Follow the newsroom on Facebook, Twitter and Instagram.", True),
        ("Стежте за нами у Telegram та Facebook", True),
        ("Have a tip? The reporter may be reached at desk@example.org.", True),
        ("(Reporting by Jane Doe; editing by John Roe)", True),
        ("Staff writers contributed to this report.", True),
        ("Джерело: Укрінформ", True),
        ("Filed under: Science |", True),
        ("Час читання: 2 хвилини", True),
        ("Оновлено о 15:20", True),
        ("desk@example.org", True),
        ("twitter.com/example_desk", True),
        # body text that looks a little like them
        ("More than 40 people were evacuated", False),
        (
            "Jobs that do not support our core business goals will go, the chief executive said.",
            False,
        ),
        ("Support our independent journalism", True),
        ("https://www.example.org/2026/03/14/report.pdf", False),
        ("Джерело в уряді повідомило, що рішення ухвалять у понеділок.", False),
        ("Follow-up inspections are planned for the spring, the ministry said.", False),
        ("Оновлено правила, за якими громади отримують гранти на ремонт доріг.", False),
        ("О 15:03 у місті пролунав вибух, повідомили в ОВА.", False),
        ("Температура вночі знизиться до +5°C, удень потеплішає до 12 градусів.", False),
        ("Компанія випустила застосунок, який завантажили понад мільйон разів.", False),
        ("Фотограф Олена Коваль зняла відкриття мосту для місцевого музею.", False),
        ("Рейс відправився о 9:41 з автостанції, пасажирів було 30.", False),
    ],
)
def test_boilerplate_text_rules(text: str, boilerplate: bool) -> None:
    assert is_boilerplate_text(text) is boilerplate


@pytest.mark.parametrize(
    "embed",
    [
        '<blockquote class="twitter-tweet"><p>Текст допису в соцмережі про подію.</p></blockquote>',
        '<blockquote class="instagram-media" data-instgrm-permalink="x"><p>Допис.</p></blockquote>',
        '<div class="fb-post" data-href="x"><p>Допис у фейсбуці про подію дня.</p></div>',
        '<div data-telegram-post="chan/1"><p>Допис у телеграмі про подію дня.</p></div>',
        '<div class="youtube-embed"><p>Відео з місця події, яке зняли очевидці.</p></div>',
    ],
)
def test_embedded_posts_are_not_body(embed: str) -> None:
    page = extract_page(_page("".join(f"<p>{p}</p>" for p in BODY[1:3]) + embed + f"<p>{P3}</p>"),
                        "https://example.org/n/1")  # fmt: skip
    assert page.paragraphs == [*BODY[1:3], P3]


# ---------------------------------------------------------------------------- templates


def test_learn_template_thresholds() -> None:
    long = f"{P1} {P2}"  # over 300 characters: article text, even when it recurs
    counts = {"Головна шпальта": 40, "Вісник Полісся": 12, "Рідкісний рядок": 3, long: 50}
    template = learn_template("polissia", counts, total_articles=50)
    assert template.texts == {"головна шпальта", "вісник полісся"}
    assert learn_template("polissia", counts, 0).texts == frozenset()
    assert learn_template("polissia", {"Рядок": 5}, total_articles=100).texts == frozenset()


def test_template_strips_blocks_and_changes_the_version() -> None:
    template = SiteTemplate("polissia", frozenset({template_key("Довжина мосту")}))
    html = _page(f"<p>{P1}</p><p>Головна шпальта</p><p>{P2}</p><p>{P3}</p>")
    plain = extract_page(html, "https://example.org/n/1")
    assert "Головна шпальта" in plain.paragraphs
    assert plain.extractor_version == EXTRACTOR_VERSION
    learned = SiteTemplate("polissia", frozenset({template_key("Головна  ШПАЛЬТА")}))
    page = extract_page(html, "https://example.org/n/1", site_template=learned)
    assert page.paragraphs == [P1, P2, P3]
    assert page.extractor_version == f"{EXTRACTOR_VERSION}+t{learned.digest}"
    other = extract_page(html, "https://example.org/n/1", site_template=template)
    assert other.extractor_version != page.extractor_version  # another template, another version
    reading = read_page(html, "https://example.org/n/1", None, site_template=learned)
    assert reading.page.paragraphs == page.paragraphs


def test_template_never_empties_a_page() -> None:
    template = SiteTemplate("s", frozenset({template_key(P1)}))
    assert [s.text for s in template.strip([Segment(P1)])] == [P1]


def test_templates_learned_from_a_real_archive(tmp_path: Path) -> None:
    db = archive.open_db(tmp_path / "t.db")
    for n in range(10):
        paragraphs = [f"Новина номер {n}: подія дня в громаді.", "Головна шпальта"]
        if n < 3:
            paragraphs.append("Підпис рідкісного автора")
        for lang in ("uk", "ru"):  # two editions of one article count once
            archive.save_edition(db, {
                "site": "polissia", "article_key": f"polissia:{n}", "lang": lang,
                "url": f"https://polissia.example.test/{lang}/news/{n}.html",
                "title": f"Новина {n}", "paragraphs": paragraphs,
                "fetched_at": "2026-03-14T09:00:00+00:00",
            })  # fmt: skip
    archive.save_edition(db, {
        "site": "other", "article_key": "other:1", "lang": "uk", "title": "Інше",
        "url": "https://other.example.test/1.html", "paragraphs": ["Головна шпальта"],
        "fetched_at": "2026-03-14T09:00:00+00:00",
    })  # fmt: skip
    counts, total = recurring_paragraphs(db, "polissia", max_chars=300, key=template_key)
    assert total == 10
    assert counts["головна шпальта"] == 10 and counts["підпис рідкісного автора"] == 3
    assert site_template(db, "polissia").texts == {"головна шпальта"}
    assert site_template(db, "nobody").texts == frozenset()
    db.close()
    loaded = load_site_template(tmp_path / "t.db", "polissia")
    assert loaded.texts == {"головна шпальта"}
    assert load_site_template(tmp_path / "missing.db", "polissia").texts == frozenset()
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert load_site_template(tmp_path / "junk.db", "polissia").texts == frozenset()


# ---------------------------------------------------------------------------- profiles


@pytest.mark.parametrize(
    ("url", "article", "shared_id"),
    [
        ("https://www.pravda.com.ua/news/2026/03/14/7501234/", True, "7501234"),
        ("https://www.pravda.com.ua/rus/news/2026/03/14/7501234/", True, "7501234"),
        ("https://www.pravda.com.ua/articles/2026/03/14/7501234/", True,
         "articles/2026/03/14/7501234"),
        ("https://www.pravda.com.ua/rus/articles/2026/03/14/7501234/", True,
         "articles/2026/03/14/7501234"),
        ("https://www.pravda.com.ua/columns/2026/03/14/7501234/", False, None),
        ("https://www.pravda.com.ua/articles/", False, None),
    ],
)  # fmt: skip
def test_pravda_long_reads_are_articles(url: str, article: bool, shared_id: str | None) -> None:
    pravda = load_profile("pravda")
    assert pravda.is_article(url) is article
    if article:
        assert pravda.shared_id(url) == shared_id


# ---------------------------------------------------------------------------- in the crawl


def test_crawl_applies_the_template_learned_from_its_archive(tmp_path: Path) -> None:
    """A block that recurs on many archived articles of a site is left out of the pages the
    next crawl of that site reads (the spider learns the template from its own archive)."""
    from test_crawl import crawl, editions, paragraphs

    from triglot.sample_site import SampleSite, expected

    gold = expected()["articles"]["dnipro-drones"]
    path = gold["editions"]["en"]
    block = expected()["pages"][path]["paragraphs"][-1]  # the page's closing line
    db_path = tmp_path / "archive.db"
    db = archive.open_db(db_path)
    for n in range(8):  # earlier articles of the same site all ended with that line
        archive.save_edition(db, {
            "site": "dnipro", "article_key": f"dnipro:old-{n}", "lang": "en",
            "url": f"https://dnipro.example.test/eng/news/old-{n}.html",
            "title": f"Old story {n}", "paragraphs": [f"Old story number {n} text.", block],
            "fetched_at": "2026-03-01T09:00:00+00:00",
        })  # fmt: skip
    db.close()
    with SampleSite(port=0) as site:
        crawl(site, db_path, urls=(site.url(path),))
    row = editions(db_path)[path]
    stored = paragraphs(db_path, row["id"])
    assert block not in stored
    assert stored == expected()["pages"][path]["paragraphs"][:-1]


def test_a_newly_learned_template_is_no_edit(tmp_path: Path) -> None:
    """A page first read without a template, then again once its site's template has been
    learned: the stored capture is re-read with the same template before comparing, so the
    block the template removes is not reported as a change of the article."""
    import sqlite_utils
    from test_crawl import crawl, editions

    from triglot.sample_site import SampleSite, expected

    path = expected()["articles"]["dnipro-drones"]["editions"]["en"]
    block = expected()["pages"][path]["paragraphs"][-1]
    db_path = tmp_path / "archive.db"
    with SampleSite(port=0) as site:
        crawl(site, db_path, urls=(site.url(path),))
        db = archive.open_db(db_path)
        for n in range(12):  # the site's archive shows the closing line on every page
            archive.save_edition(db, {
                "site": "dnipro", "article_key": f"dnipro:old-{n}", "lang": "en",
                "url": f"https://dnipro.example.test/eng/news/old-{n}.html",
                "title": f"Old story {n}", "paragraphs": [f"Old story number {n} text.", block],
                "fetched_at": "2026-03-01T09:00:00+00:00",
            })  # fmt: skip
        db.execute("update editions set etag = null, last_modified = null")  # fetch, not 304
        db.conn.commit()
        db.close()
        crawl(site, db_path, urls=(site.url(path),))
    row = editions(db_path)[path]
    db = sqlite_utils.Database(db_path)
    snapshots = list(db.query("select id, extractor_version from snapshots where edition_id = ?",
                              [row["id"]]))  # fmt: skip
    assert len(snapshots) == 1  # the re-read capture matches the new fetch: no new version
    assert "+t" in snapshots[0]["extractor_version"]
    stored = [
        r["text"]
        for r in db.query(
            "select text from paragraphs where snapshot_id = ? order by idx", [snapshots[0]["id"]]
        )
    ]
    assert block not in stored
    assert not list(db.query("select id from divergences where scope = 'version'"))
