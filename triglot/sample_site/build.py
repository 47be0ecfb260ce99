"""Generate the sample outlets' pages, feeds, manifest and gold from content/*.toml.

One source feeds both the HTML and expected.json, so the gold cannot drift from the pages.
Run ``python -m triglot.sample_site.build`` after editing content/; the generated files are
committed so the server and the tests need nothing but the standard library.
"""

# ruff: noqa: E501 - the page templates below keep one HTML line per source line

from __future__ import annotations

import html
import json
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONTENT_DIR = HERE / "content"
PAGES_DIR = HERE / "pages"
V2_PREFIX = "_v2"
LANGS = ("uk", "en", "ru")
HTML_TYPE = "text/html"
STATIC_LAST_MODIFIED = "2024-11-10T08:00:00+00:00"

OUTLET_TITLES = {
    "dnipro": {"uk": "Дніпровський кур’єр", "en": "Dnipro Courier", "ru": "Днепровский курьер"},
    "polissia": {"uk": "Полісся Пост", "en": "Polissia Post", "ru": "Полесье Пост"},
    "karpaty": {"uk": "Карпати Ньюз", "en": "Karpaty News", "ru": "Карпаты Ньюз"},
}
OG_LOCALE = {"uk": "uk_UA", "en": "en_US", "ru": "ru_RU"}
SWITCHER_LABEL = {"uk": "UA", "en": "EN", "ru": "RU"}

MONTHS = {
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "en": "January February March April May June July August September October November December",
}

UI = {
    "uk": {
        "home": "Головна",
        "news": "Новини",
        "sections": {
            "economy": "Економіка",
            "society": "Суспільство",
            "city": "Місто",
            "tourism": "Туризм",
        },
        "menu": ["Новини", "Економіка", "Суспільство", "Війна", "Спорт", "Погода"],
        "read_also": "Читайте також:",
        "related": "Новини за темою",
        "most_read": "Найпопулярніше",
        "share": "Поділитися",
        "comments": "Коментарі",
        "comment_login": "Увійдіть, щоб залишити коментар. Коментарів поки немає.",
        "cookie": "Ми використовуємо файли cookie, щоб сайт працював краще.",
        "cookie_ok": "Погоджуюсь",
        "telegram": "Підписуйтесь на наш Telegram-канал, щоб першими дізнаватися головні "
        "новини регіону.",
        "donate": "Підтримайте незалежну регіональну журналістику — станьте нашим патроном "
        "від 100 грн на місяць.",
        "ad": "Реклама",
        "ads": [
            "Кредит на авто від 0,01% річних — деталі у відділеннях банку.",
            "Знижки до 40% на зимові шини до кінця місяця.",
        ],
        "rights": "Усі права захищено. Використання матеріалів дозволене лише з гіперпосиланням.",
        "generated": "Сторінку згенеровано",
        "updated": "Оновлено",
        "tags": "Теги",
        "google_news": "Читайте нас у Google News",
        "not_found": "Сторінку не знайдено",
        "section_title": "Усі новини",
    },
    "ru": {
        "home": "Главная",
        "news": "Новости",
        "sections": {
            "economy": "Экономика",
            "society": "Общество",
            "city": "Город",
            "tourism": "Туризм",
        },
        "menu": ["Новости", "Экономика", "Общество", "Война", "Спорт", "Погода"],
        "read_also": "Читайте также:",
        "related": "Новости по теме",
        "most_read": "Самое читаемое",
        "share": "Поделиться",
        "comments": "Комментарии",
        "comment_login": "Войдите, чтобы оставить комментарий. Комментариев пока нет.",
        "cookie": "Мы используем файлы cookie, чтобы сайт работал лучше.",
        "cookie_ok": "Согласен",
        "telegram": "Подписывайтесь на наш Telegram-канал, чтобы первыми узнавать главные "
        "новости региона.",
        "donate": "Поддержите независимую региональную журналистику — станьте нашим патроном "
        "от 100 грн в месяц.",
        "ad": "Реклама",
        "ads": [
            "Кредит на авто от 0,01% годовых — подробности в отделениях банка.",
            "Скидки до 40% на зимние шины до конца месяца.",
        ],
        "rights": "Все права защищены. Использование материалов разрешено только с гиперссылкой.",
        "generated": "Страница сгенерирована",
        "updated": "Обновлено",
        "tags": "Теги",
        "google_news": "Читайте нас в Google News",
        "not_found": "Страница не найдена",
        "section_title": "Все новости",
    },
    "en": {
        "home": "Home",
        "news": "News",
        "sections": {
            "economy": "Economy",
            "society": "Society",
            "city": "City",
            "tourism": "Tourism",
        },
        "menu": ["News", "Economy", "Society", "War", "Sports", "Weather"],
        "read_also": "Read also:",
        "related": "Related news",
        "most_read": "Most read",
        "share": "Share",
        "comments": "Comments",
        "comment_login": "Log in to leave a comment. No comments yet.",
        "cookie": "We use cookies to make the site work better.",
        "cookie_ok": "Accept",
        "telegram": "Follow our Telegram channel to be the first to know the region's top news.",
        "donate": "Support independent regional journalism: become a patron from UAH 100 a month.",
        "ad": "Advertisement",
        "ads": [
            "Car loans from 0.01% a year: ask at any bank branch.",
            "Up to 40% off winter tyres until the end of the month.",
        ],
        "rights": "All rights reserved. Reuse only with a hyperlink to the source.",
        "generated": "Page generated",
        "updated": "Updated",
        "tags": "Tags",
        "google_news": "Follow us on Google News",
        "not_found": "Page not found",
        "section_title": "All news",
    },
}

MARKUP_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
MARKUP_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class Edition:
    """One language edition of an article as the content file describes it."""

    article: str
    outlet: str
    lang: str  # the edition slot: the language the site says this page is in
    id: str
    slug: str
    status: int = 200
    title: str = ""
    author: str = ""
    caption: str = ""
    credit: str = ""
    paragraphs: list[str] = field(default_factory=list)
    planted: list[str] = field(default_factory=list)
    lang_text: str = ""
    charset: str = "utf-8"
    note: str = ""
    v2: dict | None = None
    path: str = ""


@dataclass
class Article:
    """One story with its editions, as loaded from one content/*.toml file."""

    key: str
    outlet: str
    section: str
    published: str
    modified: str
    editions: dict[str, Edition]
    read_also: list[dict] = field(default_factory=list)
    extra_alternates: list[dict] = field(default_factory=list)
    note: str = ""
    v2_modified: str | None = None
    v2_boilerplate_only: bool = False
    robots_disallowed: bool = False


# ---------------------------------------------------------------------------- loading


def edition_path(outlet: str, lang: str, ed_id: str, slug: str, private: bool = False) -> str:
    """The URL path of an edition, per outlet scheme (see README.md)."""
    if outlet == "dnipro":
        # RBC-style trap: Ukrainian text lives under /rus/, Russian under /ukr/.
        prefix = {"uk": "rus", "ru": "ukr", "en": "eng"}[lang]
        return f"/dnipro/{prefix}/news/{slug}-{ed_id}.html"
    if outlet == "polissia":
        prefix = {"uk": "", "ru": "ru/", "en": "en/"}[lang]
        return f"/polissia/{prefix}news/{ed_id}-{slug}.html"
    if outlet == "karpaty":
        prefix = "private" if private else {"uk": "ua", "ru": "ru", "en": "en"}[lang]
        return f"/karpaty/{prefix}/news/{ed_id}/{slug}"
    raise ValueError(f"unknown outlet {outlet!r}")


def load_articles() -> list[Article]:
    """Read every content/*.toml into Article objects with resolved paths."""
    articles = []
    for source in sorted(CONTENT_DIR.glob("*.toml")):
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        editions: dict[str, Edition] = {}
        for lang in LANGS:
            if lang not in data:
                continue
            raw = dict(data[lang])
            paragraphs_from = raw.pop("paragraphs_from", None)
            ed = Edition(article=data["article"], outlet=data["outlet"], lang=lang, **raw)
            if paragraphs_from:
                ed.paragraphs = list(data[paragraphs_from]["paragraphs"])
            ed.lang_text = ed.lang_text or lang
            ed.path = edition_path(
                ed.outlet, lang, ed.id, ed.slug, data.get("robots_disallowed", False)
            )
            editions[lang] = ed
        articles.append(
            Article(
                key=data["article"],
                outlet=data["outlet"],
                section=data["section"],
                published=data["published"],
                modified=data["modified"],
                editions=editions,
                read_also=data.get("read_also", []),
                extra_alternates=data.get("extra_alternates", []),
                note=data.get("note", ""),
                v2_modified=data.get("v2_modified"),
                v2_boilerplate_only=data.get("v2_boilerplate_only", False),
                robots_disallowed=data.get("robots_disallowed", False),
            )
        )
    return articles


# ---------------------------------------------------------------------------- helpers


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def markup_to_html(text: str) -> str:
    """Paragraph source (with [text](url) and **bold**) to HTML."""
    out = html.escape(text, quote=False)
    out = MARKUP_LINK.sub(lambda m: f'<a href="{esc(m.group(2))}">{m.group(1)}</a>', out)
    return MARKUP_BOLD.sub(r"<strong>\1</strong>", out)


def markup_to_text(text: str) -> str:
    """Paragraph source to the plain text a perfect extractor returns."""
    text = MARKUP_LINK.sub(r"\1", text)
    text = MARKUP_BOLD.sub(r"\1", text)
    return " ".join(text.split())


def display_date(iso: str, lang: str) -> str:
    moment = datetime.fromisoformat(iso)
    month = MONTHS[lang].split()[moment.month - 1]
    clock = moment.strftime("%H:%M")
    if lang == "en":
        return f"{month} {moment.day}, {moment.year}, {clock}"
    return f"{moment.day} {month} {moment.year}, {clock}"


def http_date(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso).astimezone(UTC), usegmt=True)


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def json_ld(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=1).replace("</", "<\\/")


@dataclass
class PageState:
    """What differs between a page's v1 and v2: body, dates and the boilerplate around it."""

    version: int
    paragraphs: list[str]
    modified: str
    generated: datetime


class Site:
    """All articles plus the cross-links (read-also, related, most-read) between them."""

    def __init__(self, articles: list[Article]):
        self.articles = articles
        self.by_key = {a.key: a for a in articles}

    def live(self, article: Article, lang: str) -> Edition | None:
        ed = article.editions.get(lang)
        return ed if ed and ed.status == 200 else None

    def link_to(self, key: str, lang: str) -> tuple[str, str]:
        """(path, title) of an article in the given language, else its uk edition."""
        article = self.by_key[key]
        ed = self.live(article, lang) or article.editions["uk"]
        return ed.path, ed.title

    def outlet_links(self, outlet: str, lang: str, exclude: str) -> list[tuple[str, str]]:
        links = []
        for article in self.articles:
            if article.outlet != outlet or article.key == exclude or article.robots_disallowed:
                continue
            ed = self.live(article, lang)
            if ed:
                links.append((ed.path, ed.title))
        return links


# ---------------------------------------------------------------------------- shared chrome


def head(site: Site, article: Article, ed: Edition, state: PageState, extra: str = "") -> str:
    outlet_title = OUTLET_TITLES[article.outlet][ed.lang]
    image = f"/{article.outlet}/static/img/{article.key}.jpg"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": ed.title,
        "datePublished": article.published,
        "dateModified": state.modified,
        "inLanguage": ed.lang,
        "author": {"@type": "Person", "name": ed.author},
        "publisher": {"@type": "Organization", "name": outlet_title},
        "mainEntityOfPage": ed.path,
        "image": image,
    }
    lead = markup_to_text(state.paragraphs[0])
    description = lead[:157] + "…" if len(lead) > 160 else lead
    charset = "windows-1251" if ed.charset == "windows-1251" else "utf-8"
    return f"""<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(ed.title)} | {esc(outlet_title)}</title>
<meta name="description" content="{esc(description)}">
<link rel="canonical" href="{esc(ed.path)}">
{extra}<meta property="og:type" content="article">
<meta property="og:site_name" content="{esc(outlet_title)}">
<meta property="og:title" content="{esc(ed.title)}">
<meta property="og:description" content="{esc(description)}">
<meta property="og:url" content="{esc(ed.path)}">
<meta property="og:image" content="{image}">
<meta property="og:locale" content="{OG_LOCALE[ed.lang]}">
<meta property="article:published_time" content="{article.published}">
<meta property="article:modified_time" content="{state.modified}">
<meta property="article:section" content="{esc(UI[ed.lang]["sections"][article.section])}">
<script type="application/ld+json">
{json_ld(ld)}
</script>
<style>
body {{ font-family: Georgia, serif; margin: 0; }}
.cookie-banner {{ position: fixed; bottom: 0; width: 100%; background: #222; color: #fff; }}
.adv, ins {{ display: block; min-height: 90px; background: #f4f4f4; }}
</style>
<script>
window.dataLayer = window.dataLayer || [];
window.dataLayer.push({{"pageType": "article", "articleId": "{ed.id}", "lang": "{ed.lang}"}});
</script>
</head>"""


def cookie_banner(lang: str) -> str:
    ui = UI[lang]
    return (
        f'<div class="cookie-banner" id="cookie-consent"><p>{ui["cookie"]}</p>'
        f'<button type="button" onclick="this.parentNode.remove()">{ui["cookie_ok"]}</button>'
        "</div>"
    )


def ad_text(lang: str, version: int) -> str:
    return UI[lang]["ads"][0 if version == 1 else 1]


def most_read(links: list[tuple[str, str]], version: int) -> list[tuple[str, str]]:
    """The "most read" box: its order changes between versions (boilerplate churn)."""
    return list(reversed(links)) if version == 2 else links


def list_items(links: list[tuple[str, str]], indent: str = "  ") -> str:
    return "\n".join(f'{indent}<li><a href="{esc(p)}">{esc(t)}</a></li>' for p, t in links)


def footer_script() -> str:
    return """<script>
(function () {
  var s = document.createElement("script");
  s.src = "/static/js/counter.js"; s.async = true;
  document.head.appendChild(s);
})();
</script>"""


def read_also_targets(site: Site, article: Article, lang: str) -> dict[int, tuple[str, str]]:
    return {r["after"]: site.link_to(r["article"], lang) for r in article.read_also}


# ---------------------------------------------------------------------------- Dnipro Courier


def render_dnipro(site: Site, article: Article, ed: Edition, state: PageState) -> str:
    """RBC-like template: hreflang alternates, div.article__text with figure and inserts."""
    ui = UI[ed.lang]
    alternates = []
    for lang in LANGS:
        other = article.editions.get(lang)
        if other:
            alternates.append(f'<link rel="alternate" hreflang="{lang}" href="{other.path}">')
    alternates.append(
        f'<link rel="alternate" hreflang="x-default" href="{article.editions["uk"].path}">'
    )
    for alt in article.extra_alternates:
        alternates.append(
            f'<link rel="alternate" hreflang="{alt["hreflang"]}" href="{alt["href"]}">'
        )
    head_html = head(site, article, ed, state, extra="\n".join(alternates) + "\n")
    read_also = read_also_targets(site, article, ed.lang)
    body: list[str] = [
        '<figure class="article__photo">',
        f'  <img src="/dnipro/static/img/{article.key}.jpg" alt="{esc(ed.caption)}">',
        f"  <figcaption>{esc(ed.caption)} "
        f'<span class="article__photo-source">{esc(ed.credit)}</span></figcaption>',
        "</figure>",
    ]
    for idx, text in enumerate(state.paragraphs):
        body.append(f"<p>{markup_to_html(text)}</p>")
        if idx in read_also:
            path, title = read_also[idx]
            body.append(
                f'<div class="read-also"><span>{ui["read_also"]}</span> '
                f'<a href="{esc(path)}">{esc(title)}</a></div>'
            )
        if idx == 3:
            body.append(
                '<ins class="adsbygoogle" data-ad-client="ca-pub-0000000000" '
                f'data-ad-slot="{4410 + state.version}"></ins>'
            )
    body.append(f'<div class="promo promo-telegram"><p>{ui["telegram"]}</p></div>')
    related = site.outlet_links(article.outlet, ed.lang, article.key)
    section = ui["sections"][article.section]
    updated = ""
    if state.modified != article.published:
        updated = (
            f' <span class="article__updated">{ui["updated"]}: '
            f'<time datetime="{state.modified}">{display_date(state.modified, ed.lang)}</time>'
            "</span>"
        )
    menu = "".join(f'<li><a href="/dnipro/news/">{item}</a></li>' for item in ui["menu"])
    joined_body = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="{ed.lang}">
{head_html}
<body class="page page-article">
{cookie_banner(ed.lang)}
<header class="header">
<a class="header__logo" href="/dnipro/news/">{OUTLET_TITLES["dnipro"][ed.lang]}</a>
<nav class="header__menu"><ul>{menu}</ul></nav>
</header>
<div class="breadcrumbs"><a href="/dnipro/news/">{ui["home"]}</a> › <a href="/dnipro/news/">{section}</a></div>
<main class="main">
<article class="article">
<h1 class="article__title">{esc(ed.title)}</h1>
<div class="article__meta"><time class="article__date" datetime="{article.published}">{display_date(article.published, ed.lang)}</time>{updated}
<span class="article__author">{esc(ed.author)}</span></div>
<div class="share"><span>{ui["share"]}</span> <a href="#fb">Facebook</a> <a href="#tg">Telegram</a> <a href="#x">X</a></div>
<div class="article__text">
{joined_body}
</div>
<div class="read-in-google"><a href="#gn">{ui["google_news"]}</a></div>
<div class="intext-tags"><span>{ui["tags"]}:</span> <a href="/dnipro/news/">{section}</a> <a href="/dnipro/news/">{OUTLET_TITLES["dnipro"][ed.lang]}</a></div>
</article>
<section class="related-slider"><h3>{ui["related"]}</h3>
<ul>
{list_items(related)}
</ul></section>
<div class="adv"><span>{ui["ad"]}</span> {ad_text(ed.lang, state.version)}</div>
<div id="comments" class="comments-widget"><h3>{ui["comments"]}</h3><p>{ui["comment_login"]}</p></div>
<aside class="most-read"><h3>{ui["most_read"]}</h3>
<ol>
{list_items(most_read(related, state.version))}
</ol></aside>
</main>
<footer class="footer"><p>© 2024 {OUTLET_TITLES["dnipro"][ed.lang]}. {ui["rights"]}</p>
<p class="footer__build">{ui["generated"]}: {state.generated.strftime("%Y-%m-%d %H:%M:%S")}</p></footer>
{footer_script()}
</body>
</html>
"""


# ---------------------------------------------------------------------------- Polissia Post


def render_polissia(site: Site, article: Article, ed: Edition, state: PageState) -> str:
    """Ukrinform-like template: visible language switcher only, div.newsText."""
    ui = UI[ed.lang]
    switch = []
    for lang in LANGS:
        other = article.editions.get(lang)
        if other:
            active = ' class="active"' if lang == ed.lang else ""
            switch.append(f'<a href="{other.path}"{active}>{SWITCHER_LABEL[lang]}</a>')
    read_also = read_also_targets(site, article, ed.lang)
    body: list[str] = [
        '<div class="newsImage"><figure>',
        f'<img src="/polissia/static/img/{article.key}.jpg" alt="{esc(ed.caption)}">',
        f'<figcaption>{esc(ed.caption)}. <span class="photoCredit">{esc(ed.credit)}</span>'
        "</figcaption>",
        "</figure></div>",
    ]
    for idx, text in enumerate(state.paragraphs):
        inner = markup_to_html(text)
        body.append(f"<p><strong>{inner}</strong></p>" if idx == 0 else f"<p>{inner}</p>")
        if idx in read_also:
            path, title = read_also[idx]
            body.append(
                f'<section class="read"><strong>{ui["read_also"]}</strong> '
                f'<a href="{esc(path)}">{esc(title)}</a></section>'
            )
        if idx == 2:
            body.append(
                f'<div class="adv" data-slot="in-text-{state.version}"><small>{ui["ad"]}</small> '
                f"{ad_text(ed.lang, state.version)}</div>"
            )
    body.append(f'<div data-name="int_hidden"><p>{ui["google_news"]}</p></div>')
    body.append(f'<aside class="donate"><p>{ui["donate"]}</p></aside>')
    related = site.outlet_links(article.outlet, ed.lang, article.key)
    section = ui["sections"][article.section]
    menu = " ".join(f'<a href="/polissia/news/">{item}</a>' for item in ui["menu"])
    joined_body = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="{ed.lang}">
{head(site, article, ed, state)}
<body>
<div class="topBar"><a href="/polissia/news/" class="logo">{OUTLET_TITLES["polissia"][ed.lang]}</a>
<div class="lang-switch">{" ".join(switch)}</div>
<nav class="mainMenu">{menu}</nav></div>
<ul class="breadcrumbs"><li><a href="/polissia/news/">{ui["home"]}</a></li><li><a href="/polissia/news/">{section}</a></li></ul>
<div class="content">
<div class="newsHeading">
<h1 class="newsTitle">{esc(ed.title)}</h1>
<div class="newsMeta"><time datetime="{article.published}">{display_date(article.published, ed.lang)}</time> · <span class="newsAuthor">{esc(ed.author)}</span></div>
</div>
<div class="newsText">
{joined_body}
</div>
<div class="newsShare">{ui["share"]}: <a href="#fb">Facebook</a> <a href="#tg">Telegram</a></div>
<aside class="relatedNews"><h4>{ui["related"]}</h4>
<ul>
{list_items(related)}
</ul></aside>
<aside class="mostRead"><h4>{ui["most_read"]}</h4>
<ol>
{list_items(most_read(related, state.version))}
</ol></aside>
<div id="disqus_thread"><p>{ui["comment_login"]}</p></div>
</div>
{cookie_banner(ed.lang)}
<footer><div class="copyright">© 2012–2024 {OUTLET_TITLES["polissia"][ed.lang]}. {ui["rights"]}</div>
<div class="generated">{ui["generated"]} {state.generated.strftime("%d.%m.%Y %H:%M:%S")}</div></footer>
{footer_script()}
</body>
</html>
"""


# ---------------------------------------------------------------------------- Karpaty News


def render_karpaty(site: Site, article: Article, ed: Edition, state: PageState) -> str:
    """Ukrainska-Pravda-like template: no hreflang, no switcher, div.post_article_text.

    Its "Читайте також:" inserts are plain <p> elements, as on the real site: only the text
    tells them apart from the article.
    """
    ui = UI[ed.lang]
    read_also = read_also_targets(site, article, ed.lang)
    body: list[str] = [
        '<div class="post_article_photo">',
        f'  <img src="/karpaty/static/img/{article.key}.jpg" alt="{esc(ed.caption)}">',
        f'  <div class="photo_caption">{esc(ed.caption)}</div>',
        f'  <div class="photo_source">{esc(ed.credit)}</div>',
        "</div>",
    ]
    for idx, text in enumerate(state.paragraphs):
        body.append(f"<p>\n        {markup_to_html(text)}\n      </p>")
        if idx in read_also:
            path, title = read_also[idx]
            body.append(
                f'<p><strong>{ui["read_also"]}</strong> <a href="{esc(path)}">{esc(title)}</a></p>'
            )
        if idx == 1:
            body.append(
                f'<div class="post_article_adv"><ins class="adsbygoogle" '
                f'data-ad-slot="{7700 + state.version}"></ins>'
                f'<div class="adv">{ad_text(ed.lang, state.version)}</div></div>'
            )
    body.append(f'<div class="embed_telegram"><p>{ui["telegram"]}</p></div>')
    related = site.outlet_links(article.outlet, ed.lang, article.key)
    section = ui["sections"][article.section]
    menu = "".join(f'<a class="menu_item" href="/karpaty/news/">{item}</a>' for item in ui["menu"])
    joined_body = "\n      ".join(body)
    return f"""<!DOCTYPE html>
<html lang="{ed.lang}">
{head(site, article, ed, state)}
<body class="layout">
<div class="header"><div class="logo"><a href="/karpaty/news/">{OUTLET_TITLES["karpaty"][ed.lang]}</a></div>
<div class="main_menu">{menu}</div></div>
<div class="breadcrumbs"><a href="/karpaty/news/">{ui["home"]}</a> / <a href="/karpaty/news/">{section}</a></div>
<div class="container_main">
  <article class="post post_article">
    <h1 class="post_article_title">{esc(ed.title)}</h1>
    <div class="post_article_time"><time datetime="{article.published}">{display_date(article.published, ed.lang)}</time></div>
    <div class="post_article_author">{esc(ed.author)}</div>
    <div class="post_article_text">
      {joined_body}
    </div>
    <div class="post_news_tags"><a href="/karpaty/news/">{section}</a></div>
    <div class="post_article_share">{ui["share"]}: <a href="#fb">Facebook</a> <a href="#tg">Telegram</a> <a href="#viber">Viber</a></div>
  </article>
  <div class="block_related"><div class="block_title">{ui["related"]}</div>
<ul>
{list_items(related)}
</ul></div>
  <div class="block_most_read"><div class="block_title">{ui["most_read"]}</div>
<ol>
{list_items(most_read(related, state.version))}
</ol></div>
  <div class="comments" id="comments"><div class="block_title">{ui["comments"]}</div><p>{ui["comment_login"]}</p></div>
</div>
{cookie_banner(ed.lang)}
<div class="footer"><p>© {OUTLET_TITLES["karpaty"][ed.lang]}. {ui["rights"]}</p>
<!-- generated {state.generated.isoformat()} --><p class="footer_time">{ui["generated"]}: {state.generated.strftime("%H:%M:%S %d.%m.%Y")}</p></div>
{footer_script()}
</body>
</html>
"""


RENDERERS = {"dnipro": render_dnipro, "polissia": render_polissia, "karpaty": render_karpaty}


def render_not_found(outlet: str, lang: str) -> str:
    ui = UI[lang]
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>404 | {OUTLET_TITLES[outlet][lang]}</title></head>
<body><h1>404</h1><p>{ui["not_found"]}</p><p><a href="/{outlet}/news/">{ui["home"]}</a></p></body>
</html>
"""


# ---------------------------------------------------------------------------- feeds, indexes


def feed_xml(site: Site, outlet: str, lang: str) -> str:
    """RSS 2.0 feed of one outlet's editions in one language slot (links are root-relative)."""
    items = []
    editions = [
        (a, a.editions[lang])
        for a in site.articles
        if a.outlet == outlet and lang in a.editions and a.editions[lang].status == 200
    ]
    editions.sort(key=lambda pair: pair[0].published, reverse=True)
    for article, ed in editions:
        link = ed.path
        if outlet == "polissia":
            link += "?utm_source=rss&utm_medium=feed"
        description = markup_to_text(ed.paragraphs[0])
        items.append(f"""  <item>
    <title>{esc(ed.title)}</title>
    <link>{esc(link)}</link>
    <guid isPermaLink="false">{outlet}-{lang}-{ed.id}</guid>
    <pubDate>{http_date(article.published).replace("GMT", "+0000")}</pubDate>
    <category>{esc(UI[lang]["sections"][article.section])}</category>
    <description>{esc(description)}</description>
  </item>""")
    joined = "\n".join(items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
  <title>{esc(OUTLET_TITLES[outlet][lang])}</title>
  <link>/{outlet}/news/</link>
  <description>{esc(UI[lang]["section_title"])}</description>
  <language>{lang}</language>
{joined}
</channel>
</rss>
"""


def section_page(site: Site, outlet: str) -> str:
    """One section page per outlet listing every live edition (all languages)."""
    blocks = []
    for lang in LANGS:
        links = site.outlet_links(outlet, lang, exclude="")
        blocks.append(
            f'<section class="news-list" data-lang="{lang}"><h2>{UI[lang]["section_title"]}'
            f"</h2>\n<ul>\n{list_items(links)}\n</ul></section>"
        )
    joined = "\n".join(blocks)
    return f"""<!DOCTYPE html>
<html lang="uk">
<head><meta charset="utf-8"><title>{OUTLET_TITLES[outlet]["uk"]}: {UI["uk"]["section_title"]}</title>
<link rel="alternate" type="application/rss+xml" href="/{outlet}/rss/uk.xml"></head>
<body>
<header><h1>{OUTLET_TITLES[outlet]["uk"]}</h1></header>
{joined}
<footer>© 2024 {OUTLET_TITLES[outlet]["uk"]}</footer>
</body>
</html>
"""


def root_index() -> str:
    items = "\n".join(
        f'<li><a href="/{o}/news/">{t["en"]}</a> — RSS: '
        + " ".join(f'<a href="/{o}/rss/{lang}.xml">{lang}</a>' for lang in LANGS)
        + "</li>"
        for o, t in OUTLET_TITLES.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Triglot sample outlets</title></head>
<body><h1>Triglot sample outlets (fictional)</h1>
<ul>
{items}
</ul></body>
</html>
"""


ROBOTS_TXT = """User-agent: *
Disallow: /karpaty/private/
Disallow: /polissia/search

User-agent: GPTBot
Disallow: /
"""


# ---------------------------------------------------------------------------- build


def file_for(path: str) -> str:
    rel = path.lstrip("/")
    if rel.endswith("/"):
        rel += "index.html"
    elif not rel.endswith((".html", ".xml", ".txt")):
        rel += ".html"
    return rel


def page_states(article: Article, ed: Edition) -> tuple[PageState, PageState | None]:
    """v1 and (if this edition has one) v2 of a page, with their generation times."""
    generated_v1 = datetime.fromisoformat(article.modified) + timedelta(minutes=1)
    v1 = PageState(1, ed.paragraphs, article.modified, generated_v1)
    if ed.v2 is not None:
        modified = ed.v2.get("modified") or article.v2_modified or article.modified
        generated = datetime.fromisoformat(modified) + timedelta(minutes=1)
        return v1, PageState(2, ed.v2["paragraphs"], modified, generated)
    if article.v2_boilerplate_only:
        return v1, PageState(2, ed.paragraphs, article.modified, generated_v1 + timedelta(hours=26))
    return v1, None


def edition_record(article: Article, ed: Edition, state: PageState) -> dict:
    return {
        "outlet": article.outlet,
        "article": article.key,
        "edition": ed.lang,
        "lang_declared": ed.lang,
        "lang_text": ed.lang_text,
        "charset": ed.charset,
        "title": ed.title,
        "paragraphs": [markup_to_text(p) for p in state.paragraphs],
        "published": article.published,
        "modified": state.modified,
        "editions": {lang: e.path for lang, e in article.editions.items()},
        "planted": list(ed.planted)
        if state.version == 1
        else list((ed.v2 or {}).get("planted", [])),
    }


def auto_note(article: Article, ed: Edition) -> str:
    notes = []
    if article.outlet == "dnipro" and ed.lang in ("uk", "ru"):
        other = "/dnipro/ukr/" if ed.lang == "uk" else "/dnipro/rus/"
        notes.append(
            f"{ed.lang} text under the {'/dnipro/rus/' if ed.lang == 'uk' else '/dnipro/ukr/'} "
            f"prefix (RBC-style swap; the other edition is under {other})"
        )
    if ed.lang_text != ed.lang:
        notes.append(f"declared {ed.lang}, text is {ed.lang_text}")
    for note in (article.note, ed.note):
        if note and note not in notes:
            notes.append(note)
    notes.extend(f"planted {p}" for p in ed.planted)
    notes.extend(f"planted {p}" for p in (ed.v2 or {}).get("planted", []))
    return "; ".join(notes)


def build(out_dir: Path = PAGES_DIR) -> tuple[dict, dict]:
    """Write pages/, site.json and expected.json; return (manifest, expected)."""
    site = Site(load_articles())
    if out_dir.exists():
        shutil.rmtree(out_dir)
    manifest: dict[str, dict] = {}
    pages: dict[str, dict] = {}
    hard_cases: dict[str, list[str]] = {}

    def write(rel: str, text: str, charset: str = "utf-8") -> None:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("cp1251" if charset == "windows-1251" else "utf-8"))

    for article in site.articles:
        for ed in article.editions.values():
            rel = file_for(ed.path)
            if ed.status != 200:
                write(rel, render_not_found(article.outlet, ed.lang))
                manifest[ed.path] = {
                    "file": rel,
                    "status": ed.status,
                    "content_type": HTML_TYPE,
                    "charset": "utf-8",
                    "last_modified": STATIC_LAST_MODIFIED,
                    "note": auto_note(article, ed),
                }
                hard_cases.setdefault("missing_edition_404", []).append(ed.path)
                continue
            v1, v2 = page_states(article, ed)
            render = RENDERERS[article.outlet]
            write(rel, render(site, article, ed, v1), ed.charset)
            entry = {
                "file": rel,
                "status": 200,
                "content_type": HTML_TYPE,
                "charset": ed.charset,
                "last_modified": utc_iso(v1.generated),
                "note": auto_note(article, ed),
            }
            record = edition_record(article, ed, v1)
            if v2 is not None:
                rel_v2 = f"{V2_PREFIX}/{rel}"
                write(rel_v2, render(site, article, ed, v2), ed.charset)
                entry["v2_file"] = rel_v2
                entry["v2_last_modified"] = utc_iso(v2.generated)
                record["v2"] = edition_record(article, ed, v2)
                if article.v2_boilerplate_only:
                    record["v2"]["planted"] = ["v2 differs only in boilerplate: same body"]
                    entry["note"] = "; ".join(
                        filter(None, [entry["note"], "v2 differs only in boilerplate"])
                    )
            manifest[ed.path] = entry
            if article.robots_disallowed:
                hard_cases.setdefault("robots_disallowed", []).append(ed.path)
            else:
                pages[ed.path] = record
            if ed.charset != "utf-8":
                hard_cases.setdefault("legacy_charset", []).append(ed.path)
            if ed.lang_text != ed.lang:
                hard_cases.setdefault("language_mismatch", []).append(ed.path)
            if v2 is not None:
                kind = "v2_boilerplate_only" if article.v2_boilerplate_only else "v2_body_changed"
                hard_cases.setdefault(kind, []).append(ed.path)
        if article.outlet == "karpaty" and not article.robots_disallowed:
            for ed in article.editions.values():
                prefix = {"uk": "ua", "ru": "ru", "en": "en"}[ed.lang]
                by_id = f"/karpaty/{prefix}/news/{ed.id}/"
                manifest[by_id] = {
                    "status": 301,
                    "redirect": ed.path,
                    "note": "redirect-by-id route: the karpaty url_transform lands here",
                }
        for alt in article.extra_alternates:
            hard_cases.setdefault("off_domain_alternate", []).append(alt["href"])

    for outlet in OUTLET_TITLES:
        for lang in LANGS:
            path = f"/{outlet}/rss/{lang}.xml"
            write(file_for(path), feed_xml(site, outlet, lang))
            note = "RSS 2.0; links are root-relative"
            if outlet == "polissia":
                note += "; links carry ?utm_source=rss&utm_medium=feed (canonical has none)"
            if outlet == "karpaty" and lang == "uk":
                note += "; lists the robots-disallowed /karpaty/private/ draft"
            if outlet == "dnipro" and lang == "uk":
                note += "; the uk items live under /dnipro/rus/"
            manifest[path] = {
                "file": file_for(path),
                "status": 200,
                "content_type": "application/rss+xml",
                "charset": "utf-8",
                "last_modified": STATIC_LAST_MODIFIED,
                "note": note,
            }
        path = f"/{outlet}/news/"
        write(file_for(path), section_page(site, outlet))
        manifest[path] = {
            "file": file_for(path),
            "status": 200,
            "content_type": HTML_TYPE,
            "charset": "utf-8",
            "last_modified": STATIC_LAST_MODIFIED,
            "note": "section page: every live edition of the outlet, all languages",
        }
    write("index.html", root_index())
    manifest["/"] = {
        "file": "index.html",
        "status": 200,
        "content_type": HTML_TYPE,
        "charset": "utf-8",
        "last_modified": STATIC_LAST_MODIFIED,
        "note": "index of the three outlets",
    }
    write("robots.txt", ROBOTS_TXT)
    manifest["/robots.txt"] = {
        "file": "robots.txt",
        "status": 200,
        "content_type": "text/plain",
        "charset": "utf-8",
        "last_modified": STATIC_LAST_MODIFIED,
        "note": "disallows /karpaty/private/ (linked from /karpaty/rss/uk.xml)",
    }

    articles_gold = {}
    for article in site.articles:
        if article.robots_disallowed:
            continue
        articles_gold[article.key] = {
            "outlet": article.outlet,
            "editions": {lang: e.path for lang, e in article.editions.items()},
            "live": [lang for lang, e in article.editions.items() if e.status == 200],
            "planted": {
                lang: list(e.planted) + list((e.v2 or {}).get("planted", []))
                for lang, e in article.editions.items()
                if e.planted or (e.v2 or {}).get("planted")
            },
        }
    expected = {
        "articles": articles_gold,
        "pages": pages,
        "hard_cases": hard_cases,
        "robots_disallowed": hard_cases.get("robots_disallowed", []),
    }
    manifest = dict(sorted(manifest.items()))
    (HERE / "site.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest, expected


def main() -> None:
    manifest, expected = build()
    print(
        f"{len(manifest)} paths, {len(expected['pages'])} article pages, "
        f"{len(expected['articles'])} articles"
    )


if __name__ == "__main__":
    main()
