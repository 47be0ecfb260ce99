"""Page extraction: one HTML page → title, body paragraphs, dates, canonical, language hints.

The body comes from a cascade, in the style of trafilatura: the site profile's selectors
(precise while they last), then JSON-LD `articleBody`, then a generic extractor (the
densest block of <p> text, with link-density and boilerplate-phrase filters) that works
on any page. Each paragraph is whitespace-normalised text. Metadata follows the order of
SITES.md: JSON-LD first, then OpenGraph/article meta, then the page's own elements.

This module only reads HTML; deciding which links are editions is discovery.py's job.
"""

from __future__ import annotations

import copy
import json
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.cascade import (
    DENSEST,
    JSONLD,
    MIN_CHARS,
    PROFILE,
    SHORT_BODY_CHARS,
    TRAFILATURA,
    TRAFILATURA_RECALL,
    Candidate,
    Segment,
    choose,
    shingles,
    trafilatura_segments,
)
from diffing import langs

if TYPE_CHECKING:
    from crawler.profiles import Profile
    from crawler.template import SiteTemplate

# Bumped whenever the same HTML would extract differently. Each snapshot records the version
# that read it; the archive re-reads an older capture with the current extractor before it
# compares a new fetch against it, so an extractor change never shows up as an article edit.
EXTRACTOR_VERSION = "2"

# ---------------------------------------------------------------------------- language codes

_LANG_ALIASES = langs.aliases()  # "ua" -> "uk", "rus" -> "ru"... from diffing.langs


def normalise_lang(code: str | None) -> str | None:
    """'uk-UA', 'ua', 'uk_UA' → 'uk'; 'ru-RU' → 'ru'; 'en-US' → 'en'; x-default/empty → None."""
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if not re.fullmatch(r"[a-z]{2,3}", primary) or primary in ("und", "zxx"):
        return None  # not a language subtag at all (lang="../../etc", lang="x-default")
    return _LANG_ALIASES.get(primary, primary)


# Visible switcher labels → language. Only a hint for grouping: the page decides its language.
SWITCHER_LABELS = langs.switcher_labels()  # "укр" -> "uk", "english" -> "en"...


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LinkRef:
    """A link to a possible edition as the page states it."""

    url: str
    lang: str | None  # normalised hreflang or switcher label; a hint, never the truth
    label: str = ""


@dataclass
class Page:
    url: str
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    author: str | None = None
    canonical: str | None = None
    lang_declared: str | None = None  # normalised: <html lang>, JSON-LD inLanguage, og:locale
    html_lang: str | None = None  # raw <html lang>
    hreflang: list[LinkRef] = field(default_factory=list)
    switcher: list[LinkRef] = field(default_factory=list)
    # the winning candidate: "profile", "trafilatura", "generic" (densest container),
    # "jsonld", or None (no body found); each candidate's score, for the record
    extraction: str | None = None
    extraction_scores: dict[str, float] = field(default_factory=dict)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (before paragraph i, text)
    access: str = "full"
    extractor_version: str = EXTRACTOR_VERSION  # what read this page (see EXTRACTOR_VERSION)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


# ---------------------------------------------------------------------------- parsing


@lru_cache(maxsize=512)
def css_selector(css: str) -> CSSSelector:
    """A compiled selector, made once per selector string (a profile has a handful).

    Compiling CSS to XPath costs more than running it on a 100 KB page; lxml.html's
    ``el.cssselect(css)`` compiles on every call. Same translator ("html") as that method.
    """
    return CSSSelector(css, translator="html")


def select(el: etree._Element, css: str) -> list[etree._Element]:
    """``el.cssselect(css)`` with the compiled selector reused."""
    return css_selector(css)(el)


def parse_html(html: str | bytes) -> etree._Element:
    """Parse decoded HTML (Scrapy's response.text) into an lxml tree.

    Text is re-encoded as UTF-8 with an explicit parser encoding, so a page's own
    <meta charset> (already honoured when decoding) cannot make lxml decode it twice.
    """
    if isinstance(html, str):
        data = html.encode("utf-8", errors="replace")
    else:
        data = html
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    if not data.strip():
        data = b"<html></html>"
    root = lxml.html.document_fromstring(data, parser=parser)
    return root


# Characters no stored text should carry: C0/C1 controls (NUL, ESC, BEL… — whitespace is
# split apart anyway), zero-width and soft-hyphen marks, and bidi embeddings/overrides,
# which let a page make stored text display as something other than what it says.
_INVISIBLE = dict.fromkeys(
    [*range(0x00, 0x09), 0x0E, *range(0x0F, 0x1C), 0x7F, *range(0x80, 0x85),
     *range(0x86, 0xA0), 0xAD, 0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
     *range(0x2060, 0x2065), *range(0x2066, 0x206A), 0xFEFF]
)  # fmt: skip
_INVISIBLE.update(dict.fromkeys([0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x85], " "))  # separators
# the characters norm_space deletes; the ones _INVISIBLE maps to " " are whitespace that
# str.split() splits on anyway, so text without any of these needs no translate
_DELETED = re.compile(
    "[" + "".join(re.escape(chr(c)) for c, v in _INVISIBLE.items() if v is None) + "]"
)
MAX_TITLE_CHARS = 500  # no headline is longer; a 10 KB <title> is an attack or a bug


def norm_space(text: str | None) -> str:
    """Collapse all whitespace (incl. NBSP) to single spaces, drop control, zero-width and
    bidi-override characters, strip the ends."""
    if not text:
        return ""
    if _DELETED.search(text):  # rare: a dict translate of every paragraph costs 6x the rest
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def cap_title(title: str | None) -> str | None:
    """A title cut to MAX_TITLE_CHARS at a word boundary, marked with an ellipsis."""
    if not title or len(title) <= MAX_TITLE_CHARS:
        return title or None
    cut = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] or title[:MAX_TITLE_CHARS]
    return cut.rstrip() + "…"


# ---------------------------------------------------------------------------- boilerplate

ALWAYS_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav",
    "footer", "aside", "figure", "figcaption", "ins", "object", "embed", "video", "audio",
    "canvas", "select", "input", "textarea", "picture", "img", "dialog", "menu",
)  # fmt: skip

# Embedded posts: the quoted tweet, Telegram post, Instagram or Facebook card and video
# player are someone else's text inside the article, never its body.
_CODE_TAGS = frozenset({"script", "style", "noscript", "template"})
_EMBED_CLASS = re.compile(
    r"twitter-tweet|twitter-video|twitter-embed|instagram-media|instagram-embed|tiktok-embed|"
    r"fb-post|fb-video|facebook-embed|telegram-post|telegram-embed|youtube-embed"
)
_EMBED_ATTRS = ("data-telegram-post", "data-instgrm-permalink", "data-oembed-url")


_MAYBE_NEVER_TEXT = etree.XPath(
    "//script | //style | //noscript | //template | //*[@data-telegram-post]"
    " | //*[@data-instgrm-permalink] | //*[@data-oembed-url] | //blockquote[@class]"
    " | //div[contains(@class, 'embed') or contains(@class, 'fb-') or contains(@class, 'tele')"
    " or contains(@class, 'youtube')]"
)


# the embed attributes' names, as bytes: the parser lower-cases attribute names (ASCII)
_EMBED_ATTR_NAMES = tuple(name.encode() for name in _EMBED_ATTRS)
_MAYBE_NEVER_TEXT_TAGS = (*sorted(_CODE_TAGS), "blockquote", "div")


def _may_have_embed_attrs(source: bytes) -> bool:
    """Whether an element of the page can carry one of _EMBED_ATTRS: its name is in the
    source (an attribute name cannot be escaped), ASCII case aside as the parser does."""
    lowered = source.lower()
    return any(name in lowered for name in _EMBED_ATTR_NAMES)


def _maybe_never_text(root: etree._Element, embed_attrs: bool) -> list[etree._Element]:
    """What _MAYBE_NEVER_TEXT selects, in document order. Without an embed attribute in the
    page the tag-only part is enough, and lxml's iter() by tag walks the tree in a
    twentieth of the XPath's time (testing an attribute on every element is its cost)."""
    if embed_attrs:
        return _MAYBE_NEVER_TEXT(root)
    return [
        el
        for el in root.iter(*_MAYBE_NEVER_TEXT_TAGS)
        if el.tag in _CODE_TAGS
        or (el.tag == "blockquote" and el.get("class") is not None)
        or (el.tag == "div" and _div_class_may_embed(el.get("class")))
    ]


def _div_class_may_embed(value: str | None) -> bool:
    return value is not None and any(part in value for part in ("embed", "fb-", "tele", "youtube"))


def _never_text(root: etree._Element, embed_attrs: bool = True) -> list[etree._Element]:
    """Code elements and embedded posts: a cheap XPath narrows them down, the class regex
    decides (an XPath testing every element's class for each name costs three times as
    much). embed_attrs=False: the page names none of _EMBED_ATTRS."""
    return [
        el
        for el in _maybe_never_text(root, embed_attrs)
        if el.tag in _CODE_TAGS
        or any(el.get(a) is not None for a in _EMBED_ATTRS)
        or _EMBED_CLASS.search(el.get("class") or "")
    ]


# class/id tokens of blocks that are not article text
_BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_-])("
    r"share|sharing|social|socials|related|read-?also|readalso|also|see-?also|promo|subscribe|"
    r"subscription|newsletter|donate|donation|donat|telegram|tg-promo|advert|advertising|ads?|"
    r"banner|sponsored|comments?|disqus|sidebar|widget|breadcrumbs?|tags?|caption|credits?|"
    r"photo-?credit|byline|author|authors|menu|nav|navigation|footer|cookie|slider|carousel|"
    r"popup|modal|embed|lang|langs|language|switcher|meta|rubric|recommend\w*|more-news|"
    r"teaser|premium|paywall|google|subscribe-block|follow|weather|pogoda|latest-news|"
    r"news-feed|newsfeed|feed|app-promo|apps?-banner|signature|photo-source|"
    r"tweet|twitter-tweet|instagram-media|telegram-post|fb-post|tiktok-embed"
    r")(?:$|[\s_-])",
    re.IGNORECASE,
)
_KEEP_TAGS = {"html", "body", "main", "article"}

# paragraphs that are inserts, credits or promos, whatever their markup
_BOILERPLATE_TEXT = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(читайте|читати|дивіться|дивитесь|смотрите|слухайте|read|see|watch|listen)\s+"
        r"(також|также|тоже|more|also|ще|еще|більше|больше)\b",
        r"^(читайте|читать|read)\s*(також|также)?\s*(на цю тему|по теме|on this topic|:)",
        r"^(по темі|по теме|на цю тему|related|related news|більше новин|больше новостей)\s*:?$",
        r"^(фото|photo|відео|видео|video|джерело фото|источник фото|ілюстрація|иллюстрация)"
        r"\s*(:|–|—|-|\|)",
        r"^(фото|photo)\b.{0,80}\b(автор|author|getty|reuters|ap|afp|epa|shutterstock)\b",
        r"^(автор|author)\s*(фото|photo)?\s*:",
        r"telegram.{0,80}(підпис|подпис|subscribe|канал|channel|join|приєдн|присоедин)",
        r"(підпис|подпис|subscribe|приєдн|присоедин|join).{0,80}(telegram|телеграм|viber|"
        r"youtube|facebook|instagram|tiktok|twitter|whatsapp)",
        r"(підтримайте|поддержите)\s+(нас|наш|редакц|журналіст|журналист)|\bsupport\s+(us\b|"
        r"our (independent )?(journalism|newsroom|work|reporting|mission|journalists))",
        r"(задонат|донат|donate|patreon|buymeacoffee|монобанк|monobank)",
        r"^(читайте|стежте|слідкуйте|следите|follow|find|read)\s+(нас|за нами|us)\b",
        r"^(реклама|advertisement|advertising|sponsored|партнерський матеріал)\s*$",
        r"^(поділитися|поделиться|share|share this|поширити)\s*:?$",
        r"^(коментарі|комментарии|comments?)\s*(\(\d+\))?:?$",
        r"^(теги|тэги|tags)\s*:",
        r"якщо ви помітили помилку|если вы заметили ошибку|if you (notice|found|spot) (an|a) "
        r"(error|mistake|typo)",
        r"^(ctrl|ctrl\s*\+\s*enter)",
        r"^(новини|новости|news) партнерів",
        # photo and video credits after the caption: "… / фото УНІАН", "Фото: Reuters"
        r"^.{0,160}\s/\s*(фото|photo|відео|видео|video|ілюстрація|иллюстрация)\b.{0,60}$",
        r"^(фото|photo|відео|видео|video)\s*(надане|предоставлено|courtesy|©)",
        # a "latest news" list: a time, then a headline
        r"^([01]?\d|2[0-3]):[0-5]\d\s+[^\s].{0,150}$",
        # weather widgets: "Київ +5°C", "Погода: …"
        r"^(погода|weather)\b.{0,80}$",
        r"^[^\s]{0,25}\s*[+\-−]?\d{1,2}\s*°\s*[cс]?\s*$",
        # app promos
        r"^(?=.{0,200}$).*(завантаж\w*|скачай\w*|встанов\w*|установи\w*|download|get)\s+(наш\w*\s+|our\s+"
        r"|the\s+)?(мобільн\w*\s+|мобильн\w*\s+|mobile\s+)?(застосун|додат|приложени|app\b)",
        r"^(also on|читайте також на|читайте также на)\s",
        r"^like this story\?|share (it|this|this story) with (a|your) friends?",
        r"^(реклама|advertisement|advertising|sponsored|ad)\s*[:.]",
        # captions that made it into the text: "In this 2019 file photo, …", "На фото: …"
        r"^in this\b.{0,60}\b(file )?(photo|image|picture)\b",
        r"^(на фото|на фотографии|на знімку|на снимке|pictured)\s*[:—–-]",
        r"\((ap|afp|reuters|getty|epa|ані|униан|уніан)( images)? ?(photo|фото)",
        # newsletter and subscription promos, "click here" lines
        r"^(?=.{0,250}$).*\b(newsletter|розсилк\w*|рассылк\w*)\b",
        r"^(?=.{0,200}$).*\bclick here\b",
        # box labels and link-list headings: "Related: …", "You may also like", "Most read"
        r"^\[?(related|по темі|по теме|також за темою|тоже по теме)\s*:",
        r"^(you may also like|you might also like|most read|most popular|don'?t miss|"
        r"вам також може сподобатися|вам также может понравиться|найпопулярніше|"
        r"самое читаемое|не пропустіть|не пропустите)\b[^.!?]{0,30}[.…]*$",
        r"^(more|ще|ещё|еще|популярне|популярное)\s*:?$",
        # follow-us lines, reporter contacts and reporting credits
        r"^(?=.{0,200}$)(follow|стежте за|слідкуйте за|следите за)\b.{0,80}\b(facebook|"
        r"twitter|instagram|telegram|youtube|tiktok|фейсбук|телеграм|твіттер|твиттер)",
        r"^(?=.{0,200}$).*\b(may|can) be reached at\b",
        r"^(?=.{0,200}$)email\b.{0,60}@",
        r"^\(?(reporting by|additional reporting by|editing by|writing by)\b",
        r"^(?=.{0,200}$).*\bcontributed (reporting|to this report)\b",
        r"^(source|джерело|источник)\s*:\s*[^.!?]{0,60}$",
        r"^(filed under|posted in|рубрика|категорія|категория)\s*:",
        r"^(reading time|час читання|время чтения|tempo de leitura)\b",
        r"^(updated|оновлено|обновлено)\b[^.!?]{0,40}$",
        # a bare address: an email, a social-network profile link
        r"^[\w.+-]+@[\w-]+\.[\w.]+$",
        r"^(https?://)?(www\.)?(twitter|x|facebook|instagram|t|telegram)\.(com|me)/[\w.]+/?$",
    )
]


# The same patterns without IGNORECASE, run on lower-cased text: four times faster on
# article paragraphs (a case-insensitive scan of an unanchored pattern cannot skip ahead).
# The two agree except on the few characters where Python's case-insensitive matching and
# str.lower() part ways for the letters these patterns use; text holding one of those takes
# the case-insensitive patterns (tests/test_extract.py checks this list is complete).
_BOILERPLATE_LOWERED = [re.compile(p.pattern) for p in _BOILERPLATE_TEXT]
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u1c80-\u1c88]")  # İ ı ſ, old Cyrillic forms


@lru_cache(maxsize=8192)  # the candidates of one page share most of their paragraphs
def is_boilerplate_text(text: str) -> bool:
    """True for inserts ("Читайте також…"), photo credits, promos, share and tag lines."""
    if _CASE_TRAPS.search(text):
        return any(p.search(text) for p in _BOILERPLATE_TEXT)
    lowered = text.lower()
    return any(p.search(lowered) for p in _BOILERPLATE_LOWERED)


def clear_text_caches() -> None:
    """Forget the per-text caches (boilerplate checks, shingles): what a benchmark that
    reads the same page twice calls, so that it measures a crawl's first reading."""
    is_boilerplate_text.cache_clear()
    shingles.cache_clear()


def _attr_tokens(el: etree._Element) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _is_boilerplate_block(el: etree._Element) -> bool:
    if el.tag in _KEEP_TAGS:
        return False
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    if el.get("role") in ("navigation", "complementary", "banner", "contentinfo"):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    return bool(_BOILERPLATE_ATTR.search(_attr_tokens(el)))


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text in place (lxml.html's drop_tree)."""
    if el.getparent() is not None:
        el.drop_tree()


def strip_boilerplate(root: etree._Element, extra_css: tuple[str, ...] = ()) -> None:
    """Remove non-text elements, the given selectors and blocks whose class says boilerplate."""
    for css in extra_css:
        for el in list(select(root, css)):
            if el is not root:
                _drop(el)
    for el in list(root.iter(*ALWAYS_DROP_TAGS)):
        if el is not root:
            _drop(el)
    for el in list(root.iter(etree.Element)):
        if el is root or el.getparent() is None:
            continue
        if isinstance(el.tag, str) and _is_boilerplate_block(el) and not _holds_article(el):
            _drop(el)


def _holds_article(el: etree._Element) -> bool:
    """Never strip a wrapper of the article itself (a layout div named "sidebar-layout")."""
    return next(el.iter("article", "main"), None) is not None and el.tag not in ("aside",)


# ---------------------------------------------------------------------------- flattening

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tr",
    "td", "th", "hr", "address", "details", "summary", "center",
}  # fmt: skip
TEXT_BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd"}


@dataclass
class Block:
    text: str
    link_chars: int
    tag: str  # the innermost block element the text sits in

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


class _Flattener:
    """Turn a subtree into text blocks: block elements and <br> outside <p> break paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._link_chars = 0
        self._tag = "div"

    def _add(self, text: str | None, in_link: bool) -> None:
        if text:
            self._parts.append(text)
            if in_link:
                self._link_chars += len(norm_space(text))

    def _flush(self) -> None:
        text = norm_space("".join(self._parts))
        if text:
            self.blocks.append(Block(text, min(self._link_chars, len(text)), self._tag))
        self._parts, self._link_chars = [], 0

    def walk(self, el: etree._Element, in_link: bool = False, in_p: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            if in_p:
                self._add(" ", in_link)
            else:
                self._flush()
            return
        is_block = tag in BLOCK_TAGS
        if is_block:
            self._flush()
            outer = self._tag
            self._tag = tag
        link = in_link or tag == "a"
        self._add(el.text, link)
        for child in el:
            self.walk(child, link, in_p or tag == "p")
            self._add(child.tail, in_link)
        if is_block:
            self._flush()
            self._tag = outer


def flatten(el: etree._Element) -> list[Block]:
    flattener = _Flattener()
    flattener.walk(el)
    flattener._flush()
    return flattener.blocks


def element_text(el: etree._Element) -> str:
    """Whitespace-normalised text of one element, <br> read as a space."""
    return " ".join(b.text for b in flatten(el))


# ---------------------------------------------------------------------------- metadata


_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report|LiveBlogPosting)$")
_XML_SPACE = re.compile("[ \t\r\n]+")  # what XPath's normalize-space() collapses
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # XPath translate()
_ITEMPROP_VALUES = etree.XPath("//@itemprop")


@dataclass
class MetaIndex:
    """The page's <meta>, <link>, JSON-LD <script>, <head><base> and <time> elements, in
    document order, found in one walk of the tree.

    Each metadata lookup used to be its own XPath over the whole page (``//meta[...]``,
    ``//link[...]``…), a quarter of a millisecond apiece on a 100 KB page; the lookups below
    answer exactly as those XPaths did, from these short lists.
    """

    metas: list[etree._Element]
    links: list[etree._Element]
    ld_scripts: list[etree._Element]  # <script> whose type contains "ld+json"
    base_hrefs: list[str]  # @href of <base> elements that are children of <head>
    times: list[etree._Element]


def index_metadata(root: etree._Element) -> MetaIndex:
    index = MetaIndex([], [], [], [], [])
    for el in root.iter("meta", "link", "script", "base", "time"):
        tag = el.tag
        if tag == "meta":
            index.metas.append(el)
        elif tag == "link":
            index.links.append(el)
        elif tag == "script":
            if "ld+json" in (el.get("type") or ""):
                index.ld_scripts.append(el)
        elif tag == "base":
            parent, href = el.getparent(), el.get("href")
            if href is not None and parent is not None and parent.tag == "head":
                index.base_hrefs.append(href)
        else:
            index.times.append(el)
    return index


def jsonld_objects(root: etree._Element, index: MetaIndex | None = None) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph and lists flattened; broken scripts skipped."""
    found: list[dict[str, Any]] = []

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            found.append(value)
            if "@graph" in value:
                visit(value["@graph"])

    for script in (index or index_metadata(root)).ld_scripts:
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            visit(json.loads(raw, strict=False))
        except ValueError:
            try:  # trailing commas are the commonest breakage
                visit(json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False))
            except ValueError:
                continue
    return found


def article_jsonld(root: etree._Element, index: MetaIndex | None = None) -> dict[str, Any] | None:
    """The page's NewsArticle/Article object, if any."""
    for obj in jsonld_objects(root, index):
        types = obj.get("@type", [])
        types = [types] if isinstance(types, str) else types
        if any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types):
            return obj
    return None


def _jsonld_str(value: Any) -> str | None:
    if isinstance(value, str):
        return norm_space(value) or None
    if isinstance(value, dict):
        return _jsonld_str(value.get("name") or value.get("alternateName") or value.get("@value"))
    if isinstance(value, list):
        names = [n for n in (_jsonld_str(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _meta(index: MetaIndex, *keys: str) -> str | None:
    """First non-empty <meta> content whose property/name/itemprop is one of keys."""
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            for el in index.metas:
                if el.get(attr) == key:
                    value = el.get("content")
                    if value is not None and value.strip():
                        return value.strip()
    return None


def _time_values(root: etree._Element, index: MetaIndex) -> tuple[str | None, str | None]:
    published = modified = None
    dated = [
        attr.getparent()
        for attr in _ITEMPROP_VALUES(root)
        if attr in ("datePublished", "dateModified")
    ]
    for el in dated:
        value = (el.get("datetime") or el.get("content") or "").strip()
        if not value:
            continue
        if el.get("itemprop") == "datePublished":
            published = published or value
        else:
            modified = modified or value
    if published is None:
        times = [t.get("datetime").strip() for t in index.times if t.get("datetime")]
        if times:
            published = times[0]
    return published, modified


def _base_url(index: MetaIndex, url: str) -> str:
    base = index.base_hrefs
    return urljoin(url, base[0].strip()) if base else url


def _links_with_rel(index: MetaIndex, rel: str) -> list[etree._Element]:
    """<link> elements whose rel names rel, compared as HTML does: ASCII case-insensitive,
    whitespace-separated tokens (the XPath this replaces said exactly that)."""
    wanted = f" {rel} "
    found = []
    for el in index.links:
        tokens = _XML_SPACE.sub(" ", (el.get("rel") or "").translate(_ASCII_LOWER)).strip(" ")
        if wanted in f" {tokens} ":
            found.append(el)
    return found


def hreflang_links(
    root: etree._Element, base: str, index: MetaIndex | None = None
) -> list[LinkRef]:
    """<link rel=alternate hreflang> as stated (x-default dropped; self kept for discovery)."""
    links = []
    for el in _links_with_rel(index or index_metadata(root), "alternate"):
        href, hreflang = (el.get("href") or "").strip(), (el.get("hreflang") or "").strip()
        lang = normalise_lang(hreflang)
        if href and lang:
            links.append(LinkRef(urljoin(base, href), lang, hreflang))
    return links


def switcher_links(
    root: etree._Element, base: str, selectors: tuple[str, ...] = ()
) -> list[LinkRef]:
    """Links of the visible language switcher: the profile's selectors, else a label cluster."""
    anchors: list[etree._Element] = []
    for css in selectors:
        for el in select(root, css):
            anchors.extend([el] if el.tag == "a" else el.iter("a"))
        if anchors:
            break
    if not selectors or not anchors:
        anchors = _generic_switcher(root) if not anchors else anchors
    refs, seen = [], set()
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base, href)
        label = norm_space(a.text_content())
        lang = normalise_lang(a.get("hreflang") or a.get("lang")) or SWITCHER_LABELS.get(
            label.lower()
        )
        if url not in seen:
            seen.add(url)
            refs.append(LinkRef(url, lang, label))
    return refs


def _generic_switcher(root: etree._Element) -> list[etree._Element]:
    """The biggest cluster (same parent or grandparent) of ≥2 links labelled UA/EN/RU…"""
    labelled = [
        a
        for a in root.iter("a")
        if norm_space(a.text_content()).lower() in SWITCHER_LABELS
        or (a.get("hreflang") and normalise_lang(a.get("hreflang")))
    ]
    best: list[etree._Element] = []
    for level in (1, 2):
        clusters: dict[int, list[etree._Element]] = {}
        keys: dict[int, etree._Element] = {}
        for a in labelled:
            anc = a
            for _ in range(level):
                anc = anc.getparent() if anc.getparent() is not None else anc
            clusters.setdefault(id(anc), []).append(a)
            keys[id(anc)] = anc
        for members in clusters.values():
            langs = {
                SWITCHER_LABELS.get(norm_space(m.text_content()).lower())
                or normalise_lang(m.get("hreflang"))
                for m in members
            }
            if (
                len(members) >= 2
                and len(langs) >= 2
                and len(members) <= 6
                and len(members) > len(best)
            ):
                best = members
        if best:
            break
    if len(best) < 1:
        # a lone link to the other language ("EN") still counts when its parent has no more
        for a in labelled:
            siblings = [x for x in a.getparent().iter("a")] if a.getparent() is not None else []
            if len(siblings) <= 3:
                return [a]
    return best


# ---------------------------------------------------------------------------- body strategies

HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6"}


def _keep_body_block(block: Block) -> bool:
    if len(block.text) < 2 or block.tag == "h1":
        return False
    if block.link_density > 0.5:
        return False
    return not is_boilerplate_text(block.text)


def _segments_from(container: etree._Element, generic: bool) -> list[Segment]:
    """The kept text blocks of a container, headings (h2–h6) marked as such."""
    blocks = flatten(container)
    kept = [b for b in blocks if _keep_body_block(b)]
    if generic and any(b.tag in TEXT_BLOCK_TAGS for b in kept):
        kept = [b for b in kept if b.tag in TEXT_BLOCK_TAGS]
    return [Segment(b.text, b.tag in HEADING_TAGS, b.link_chars) for b in kept]


def profile_segments(root: etree._Element, profile: Profile) -> list[Segment]:
    """Segments from the first body selector that yields text; [] when none does."""
    for css in profile.body_selectors:
        matches = select(root, css)
        if not matches:
            continue
        segments: list[Segment] = []
        for el in matches:
            if any(anc in matches for anc in el.iterancestors()):
                continue  # nested match: its text comes with the outer one
            copy = _detached_copy(el)
            strip_boilerplate(copy, profile.drop_selectors)
            segments.extend(_segments_from(copy, generic=False))
        if segments:
            return segments
    return []


def extract_by_profile(root: etree._Element, profile: Profile) -> list[str]:
    """Paragraphs from the first body selector that yields text; [] when none does."""
    return [s.text for s in profile_segments(root, profile)]


def jsonld_segments(article: dict[str, Any] | None) -> list[Segment]:
    """JSON-LD articleBody split into paragraphs on line breaks (HTML inside is flattened)."""
    if not article:
        return []
    body = article.get("articleBody")
    if isinstance(body, list):
        body = "\n".join(b for b in body if isinstance(b, str))
    if not isinstance(body, str) or not body.strip():
        return []
    if "<" in body and ">" in body:
        fragment = parse_html(f"<html><body>{body}</body></html>")
        strip_boilerplate(fragment)  # a <script> inside articleBody is code, not text
        return _segments_from(fragment.find("body"), generic=False)
    parts = re.split(r"\r?\n", body)
    return [Segment(p) for p in (norm_space(x) for x in parts) if p and not is_boilerplate_text(p)]


def extract_jsonld_body(article: dict[str, Any] | None) -> list[str]:
    return [s.text for s in jsonld_segments(article)]


def densest_segments(
    root: etree._Element, extra_drop: tuple[str, ...] = (), *, in_place: bool = False
) -> list[Segment]:
    """Densest block of <p> text on the page, filtered for links and boilerplate.

    in_place strips the given tree itself rather than a copy: for the last reader of a
    tree, which saves copying a whole page."""
    work = root if in_place else _detached_copy(root)
    strip_boilerplate(work, extra_drop)
    body = work.find("body") if work.find("body") is not None else work
    container = _densest_container(body)
    if container is None:
        return []
    return _segments_from(container, generic=True)


def extract_generic(root: etree._Element) -> list[str]:
    return [s.text for s in densest_segments(root)]


def _detached_copy(el: etree._Element) -> etree._Element:
    """A deep copy, so stripping never alters the tree other strategies still read."""
    return copy.deepcopy(el)


def _densest_container(body: etree._Element) -> etree._Element | None:
    """The element whose subtree holds the most good <p> text and the least of anything else.

    score = good paragraph chars − 0.5 × other chars, computed in one post-order pass.
    """
    best: tuple[float, etree._Element | None] = (0.0, None)

    def visit(el: etree._Element) -> tuple[int, int]:
        nonlocal best
        total = len(norm_space(el.text))
        good = 0
        for child in el:
            if not isinstance(child.tag, str):
                total += len(norm_space(child.tail))
                continue
            child_total, child_good = visit(child)
            total += child_total + len(norm_space(child.tail))
            good += child_good
        if el.tag in ("p", "blockquote", "pre", "li") and not any(
            a.tag == "p" for a in el.iterancestors()
        ):
            own = [b for b in flatten(el) if _keep_body_block(b)]
            own_chars = sum(len(b.text) for b in own)
            if el.tag == "li":
                own_chars //= 2  # lists are often menus; count them, but less
            good = max(good, own_chars)
        if el.tag in BLOCK_TAGS or el.tag == "body":
            score = good - 0.5 * max(0, total - good)
            if good and score > best[0]:
                best = (score, el)
        return total, good

    visit(body)
    return best[1]


# ---------------------------------------------------------------------------- the page


def _title(
    root: etree._Element, index: MetaIndex, article: dict | None, profile: Profile | None
) -> str | None:
    if article and _jsonld_str(article.get("headline")):
        return _jsonld_str(article.get("headline"))
    for css in profile.title_selectors if profile else ():
        for el in select(root, css):
            text = element_text(el)
            if text:
                return text
    for el in root.iter("h1"):
        text = element_text(el)
        if text:
            return text
    og = _meta(index, "og:title", "twitter:title")
    if og:
        return norm_space(og)
    title = root.find(".//title")
    return norm_space(title.text_content()) if title is not None else None


def _access(root: etree._Element, profile: Profile | None) -> str:
    if profile is None:
        return "full"
    if any(select(root, css) for css in profile.premium_selectors):
        return "premium"
    if any(select(root, css) for css in profile.truncated_selectors):
        return "truncated"
    return "full"


def extract_page(
    html: str | bytes,
    url: str,
    profile: Profile | None = None,
    *,
    site_template: SiteTemplate | None = None,
) -> Page:
    """Everything the archive keeps about one page; the body is the winner of the compared
    candidates (crawler.cascade), less the blocks the site's learned template names."""
    source = html.encode("utf-8", errors="replace") if isinstance(html, str) else html
    root = parse_html(source)  # what parse_html parses for html (encoded once, shared)
    index = index_metadata(root)
    base = _base_url(index, url)
    article = article_jsonld(root, index)
    page = Page(url=url)

    page.title = cap_title(_title(root, index, article, profile))
    html_lang = (
        root.get("lang")
        or root.get("{http://www.w3.org/XML/1998/namespace}lang")
        or root.get("xml:lang")  # XHTML parsed as HTML keeps the prefix in the name
    )
    page.html_lang = html_lang.strip() if html_lang else None
    in_language = _jsonld_str(article.get("inLanguage")) if article else None
    page.lang_declared = (
        normalise_lang(page.html_lang)
        or normalise_lang(in_language)
        or normalise_lang(_meta(index, "og:locale"))
    )

    published, modified = _time_values(root, index)
    if article:
        page.published = _jsonld_str(article.get("datePublished"))
        page.modified = _jsonld_str(article.get("dateModified"))
        page.author = _jsonld_str(article.get("author"))
    page.published = (
        page.published or _meta(index, "article:published_time", "datePublished") or published
    )
    page.modified = (
        page.modified
        or _meta(index, "article:modified_time", "og:updated_time", "dateModified")
        or modified
    )
    page.author = page.author or _meta(index, "author", "article:author")

    canonical = [el.get("href") for el in _links_with_rel(index, "canonical") if el.get("href")]
    og_url = _meta(index, "og:url")
    stated = [urljoin(base, u.strip()) for u in [*canonical, og_url] if u and u.strip()]
    web = [u for u in stated if u.lower().startswith(("http://", "https://"))]
    page.canonical = web[0] if web else None  # never a javascript: or data: "canonical"

    page.hreflang = hreflang_links(root, base, index)
    page.switcher = switcher_links(root, base, profile.switcher_selectors if profile else ())
    page.access = _access(root, profile)

    page.extraction, segments, page.extraction_scores = _body(
        root, url, article, profile, embed_attrs=_may_have_embed_attrs(source)
    )
    title_key = norm_space(page.title).casefold()
    segments = [s for s in segments if norm_space(s.text).casefold() != title_key]
    segments = _without_signature(segments, _meta(index, "og:site_name"))
    if site_template is not None and site_template.texts:
        segments = site_template.strip(segments)
        page.extractor_version = f"{EXTRACTOR_VERSION}+t{site_template.digest}"
    page.paragraphs, page.headings = split_headings(segments)
    if not page.paragraphs:
        page.extraction = None
    return page


def _body(
    root: etree._Element,
    url: str,
    article: dict | None,
    profile: Profile | None,
    *,
    embed_attrs: bool = True,
) -> tuple[str | None, list[Segment], dict[str, float]]:
    """Every strategy's candidate body, compared (crawler.cascade decides)."""
    drop = profile.drop_selectors if profile is not None else ()
    for el in _never_text(root, embed_attrs):  # code, and someone else's posts: no candidate's text
        _drop(el)
    candidates = []
    if profile is not None and profile.body_selectors:
        candidates.append(Candidate(PROFILE, _clean(profile_segments(root, profile))))
    scope = root
    if candidates and _substantial(candidates[0]):
        # trafilatura costs ten times the rest of the page; where the profile found a full
        # body, the densest container around it is witness enough (the lead above it, a
        # summary), and the crawl's time goes to the pages that need it
        scope = _article_scope(root, profile)
    else:
        prune = [" | ".join(css_selector(css).path for css in drop)] if drop else []
        found = Candidate(TRAFILATURA, _clean(trafilatura_segments(root, url, prune)))
        candidates.append(found)
        if found.chars < SHORT_BODY_CHARS:
            # precision mode may stop at a paywall notice or a box: a short result gets a
            # second opinion in trafilatura's balanced mode (a few pages, so cheap overall)
            more = trafilatura_segments(root, url, prune, favor_precision=False)
            candidates.append(Candidate(TRAFILATURA_RECALL, _clean(more)))
    # the last reader of the tree (trafilatura copies it for itself): no copy needed
    candidates.append(Candidate(DENSEST, _clean(densest_segments(scope, drop, in_place=True))))
    candidates.append(Candidate(JSONLD, _clean(jsonld_segments(article))))
    choice = choose(candidates)
    return choice.name, choice.segments, choice.scores


def _article_scope(root: etree._Element, profile: Profile) -> etree._Element:
    """The <article> or <main> around the profile's body (else three levels up): where a
    lead or standfirst of its own sits, without copying the whole page to look for it."""
    for css in profile.body_selectors:
        matches = select(root, css)
        if matches:
            ancestors = list(matches[0].iterancestors())
            for el in ancestors:
                if el.tag in ("article", "main"):
                    return el
            return ancestors[min(2, len(ancestors) - 1)] if ancestors else root
    return root


def _substantial(candidate: Candidate) -> bool:
    """A body that is no teaser: several paragraphs, most of it prose."""
    paragraphs = [s for s in candidate.segments if not s.heading]
    return len(paragraphs) >= 3 and candidate.chars >= 3 * MIN_CHARS


def _clean(segments: list[Segment]) -> list[Segment]:
    """The same text rules for every candidate: inserts, credits, promos, widgets are out,
    and so is a heading with no paragraph after it (a box title left behind)."""
    kept = [s for s in segments if not is_boilerplate_text(s.text)]
    out: list[Segment] = []
    i = 0
    while i < len(kept):
        j = i
        while j < len(kept) and kept[j].heading:
            j += 1
        if j == i:
            out.append(kept[i])
            i += 1
            continue
        if j - i == 1 and j < len(kept):  # one heading, then text: a subheading
            out.append(kept[i])
        i = j  # a run of headings is a list of teasers; a trailing one is a box title
    return out


def _without_signature(segments: list[Segment], site_name: str | None) -> list[Segment]:
    """Drop a closing line that is only the site's name (a signature: "— Тестовий вісник")."""
    if not site_name:
        return segments
    name = norm_space(site_name).lower().strip(" -—–©")
    while segments:
        last = norm_space(segments[-1].text).lower().strip(" -—–©.")
        if name and len(last) <= len(name) + 25 and name in last:
            segments = segments[:-1]
        else:
            break
    return segments


def split_headings(segments: list[Segment]) -> tuple[list[str], list[tuple[int, str]]]:
    """Paragraphs, and headings as (index of the paragraph they stand before, text).

    Body paragraphs stay a plain list of strings — the archive, the alignment and the
    content hash use them — and a heading is kept beside them, never counted as one."""
    paragraphs: list[str] = []
    headings: list[tuple[int, str]] = []
    for seg in segments:
        if seg.heading:
            headings.append((len(paragraphs), seg.text))
        else:
            paragraphs.append(seg.text)
    return paragraphs, headings


def body_text(page: Page) -> str:
    """Headings and paragraphs in reading order, one per line (what a reader sees)."""
    lines: list[str] = []
    headings = list(page.headings)
    for i, paragraph in enumerate(page.paragraphs):
        while headings and headings[0][0] <= i:
            lines.append(headings.pop(0)[1])
        lines.append(paragraph)
    lines.extend(text for _, text in headings)
    return "\n".join(lines)
