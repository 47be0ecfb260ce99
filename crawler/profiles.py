"""Site profiles: how one outlet publishes its editions, kept as data (one TOML file a site).

Selectors and URL rules change more often than code, so they live in
crawler/profiles/<name>.toml (or any directory given with profile_dirs). Loading validates
every key and names the file and the key when something is wrong. The base URL can be
overridden (config, CLI, tests against a loopback copy): relative URLs and the `{base}`
placeholder in patterns follow it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from diffing import langs

BUILTIN_DIR = Path(__file__).parent / "profiles"
KNOWN_LANGUAGES = langs.LANGUAGES  # every language of the registry (diffing.langs)
DEFAULT_LANGUAGES = langs.DEFAULT_LANGUAGES  # a profile that names none crawls these


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class UrlTransform:
    pattern: re.Pattern[str]
    replace: str

    def apply(self, url: str) -> str | None:
        """The transformed URL, or None when the pattern does not match."""
        if not self.pattern.search(url):
            return None
        return self.pattern.sub(self.replace, url, count=1)


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    base_url: str
    allowed_domains: tuple[str, ...]
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    start_urls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    url_patterns: tuple[re.Pattern[str], ...] = ()
    section_patterns: tuple[re.Pattern[str], ...] = ()
    id_pattern: re.Pattern[str] | None = None
    title_selectors: tuple[str, ...] = ()
    body_selectors: tuple[str, ...] = ()
    drop_selectors: tuple[str, ...] = ()
    switcher_selectors: tuple[str, ...] = ()
    url_transforms: tuple[UrlTransform, ...] = ()
    premium_selectors: tuple[str, ...] = ()
    truncated_selectors: tuple[str, ...] = ()
    source: str = ""

    def is_article(self, url: str) -> bool:
        return any(p.search(url) for p in self.url_patterns)

    def is_section(self, url: str) -> bool:
        return any(p.search(url) for p in self.section_patterns)

    def allows(self, url: str) -> bool:
        """True when url is in this profile's scope (crawler.scope): a generic or private
        base allows exactly its own origin; a public profile its declared domains on the
        default ports."""
        from crawler import scope

        private = scope.is_private_host(urlsplit(self.base_url).hostname or "")
        if self.name == "generic" or private:
            return scope.same_origin(url, self.base_url, allow_upgrade=not private)
        return scope.declared_allows(url, self.base_url, self.allowed_domains)

    def shared_id(self, url: str) -> str | None:
        if self.id_pattern is None:
            return None
        match = self.id_pattern.search(url)
        if not match:
            return None
        return match.group(1) if match.groups() else match.group(0)

    def all_start_urls(self) -> list[tuple[str, str]]:
        """(language label, url) pairs, labels in the profile's order."""
        return [(label, url) for label, urls in self.start_urls.items() for url in urls]


def host_allowed(host: str, domains: tuple[str, ...] | list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def generic_profile(url: str) -> Profile:
    """The profile of an unknown site: its host only, the generic extractor, no rules."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return Profile(
        name="generic",
        title=host,
        base_url=f"{parts.scheme}://{parts.netloc}",
        allowed_domains=(host,),
        source="<generic>",
    )


def _search_dirs(profile_dirs: tuple[str, ...] | list[str]) -> list[Path]:
    """User directories first, so a local profile can shadow a built-in one."""
    return [Path(d) for d in profile_dirs] + [BUILTIN_DIR]


def list_profiles(profile_dirs: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Names of all profiles found, sorted."""
    names: set[str] = set()
    for directory in _search_dirs(profile_dirs):
        if directory.is_dir():
            names.update(p.stem for p in directory.glob("*.toml"))
    return sorted(names)


def profile_path(name: str, profile_dirs: tuple[str, ...] | list[str] = ()) -> Path:
    for directory in _search_dirs(profile_dirs):
        candidate = directory / f"{name}.toml"
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in _search_dirs(profile_dirs))
    raise ProfileError(f"no profile named {name!r} (searched {searched})")


def load_profile(
    name: str, profile_dirs: tuple[str, ...] | list[str] = (), base_url: str | None = None
) -> Profile:
    """Load and validate profile `name`; `base_url` replaces the file's base URL."""
    path = profile_path(name, profile_dirs)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    return parse_profile(data, source=str(path), base_url=base_url)


class _Reader:
    """Typed access to a TOML table that names the file and key in every error."""

    def __init__(self, data: dict, source: str, prefix: str = "") -> None:
        self.data, self.source, self.prefix = data, source, prefix

    def fail(self, key: str, message: str) -> ProfileError:
        return ProfileError(f"{self.source}: key '{self.prefix}{key}': {message}")

    def string(self, key: str, default: str | None = None) -> str | None:
        value = self.data.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {type(value).__name__}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of strings")
        return tuple(value)

    def table(self, key: str) -> _Reader:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "expected a table")
        return _Reader(value, self.source, f"{self.prefix}{key}.")

    def regex(self, key: str, pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise self.fail(key, f"invalid regular expression {pattern!r}: {exc}") from exc

    def reject_unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, f"unknown key (known: {', '.join(sorted(allowed))})")


_TOP_KEYS = {
    "name",
    "title",
    "base_url",
    "allowed_domains",
    "languages",
    "start_urls",
    "article",
    "selectors",
    "url_transforms",
    "access",
}


def parse_profile(data: dict, source: str = "<profile>", base_url: str | None = None) -> Profile:
    """Validate a profile's TOML data and build the Profile."""
    top = _Reader(data, source)
    top.reject_unknown(_TOP_KEYS)
    name = top.string("name")
    if not name:
        raise top.fail("name", "required")
    file_base = top.string("base_url")
    if not file_base:
        raise top.fail("base_url", "required")
    for key, value in (("base_url", file_base), ("base_url (override)", base_url)):
        if value is not None and urlsplit(value).scheme not in ("http", "https"):
            raise top.fail(key, f"not an http(s) URL: {value!r}")
    base = (base_url or file_base).rstrip("/")

    def resolve(url: str) -> str:
        """Relative URLs, `{base}` and URLs under the file's base all follow the base."""
        url = url.replace("{base}", base)
        if base_url and url.startswith(file_base.rstrip("/")):
            url = base + url[len(file_base.rstrip("/")) :]
        return urljoin(base + "/", url)

    def pattern(reader: _Reader, key: str, raw: str) -> re.Pattern[str]:
        return reader.regex(key, raw.replace("{base}", re.escape(base)))

    base_host = (urlsplit(base).hostname or "").lower()
    if base_url:
        # A relocated profile crawls the new host only: the file's domains belong to the
        # real site, which a loopback copy must never reach.
        allowed = (base_host,)
    else:
        allowed = tuple(d.lower().lstrip(".") for d in top.strings("allowed_domains")) or (
            base_host,
        )

    languages = top.strings("languages") or DEFAULT_LANGUAGES
    for lang in languages:
        if lang not in KNOWN_LANGUAGES:
            known = ", ".join(KNOWN_LANGUAGES)
            raise top.fail("languages", f"unknown language {lang!r} (known: {known})")

    starts = top.table("start_urls")
    start_urls = {label: tuple(resolve(u) for u in starts.strings(label)) for label in starts.data}

    article = top.table("article")
    article.reject_unknown({"url_patterns", "section_patterns", "id_pattern"})
    url_patterns = tuple(
        pattern(article, "url_patterns", p) for p in article.strings("url_patterns")
    )
    section_patterns = tuple(
        pattern(article, "section_patterns", p) for p in article.strings("section_patterns")
    )
    raw_id = article.string("id_pattern")
    id_pattern = pattern(article, "id_pattern", raw_id) if raw_id else None

    selectors = top.table("selectors")
    selectors.reject_unknown({"title", "body", "drop", "switcher"})
    for key in ("title", "body", "drop", "switcher"):
        for css in selectors.strings(key):
            _check_css(selectors, key, css)

    access = top.table("access")
    access.reject_unknown({"premium", "truncated"})
    for key in ("premium", "truncated"):
        for css in access.strings(key):
            _check_css(access, key, css)

    transforms_raw = data.get("url_transforms", [])
    if not isinstance(transforms_raw, list):
        raise top.fail("url_transforms", "expected an array of tables ([[url_transforms]])")
    transforms = []
    for index, entry in enumerate(transforms_raw):
        if not isinstance(entry, dict):
            raise top.fail(f"url_transforms[{index}]", "expected a table")
        reader = _Reader(entry, source, f"url_transforms[{index}].")
        reader.reject_unknown({"pattern", "replace"})
        raw_pattern, replace = reader.string("pattern"), reader.string("replace")
        if not raw_pattern or replace is None:
            raise reader.fail("pattern" if not raw_pattern else "replace", "required")
        compiled = pattern(reader, "pattern", raw_pattern)
        replace = replace.replace("{base}", base)
        try:
            compiled.sub(replace, "")  # parses the template: bad group references fail here
        except (re.error, IndexError) as exc:
            raise reader.fail("replace", f"invalid replacement {replace!r}: {exc}") from exc
        transforms.append(UrlTransform(compiled, replace))

    return Profile(
        name=name,
        title=top.string("title") or name,
        base_url=base,
        allowed_domains=allowed,
        languages=tuple(languages),
        start_urls=start_urls,
        url_patterns=url_patterns,
        section_patterns=section_patterns,
        id_pattern=id_pattern,
        title_selectors=selectors.strings("title"),
        body_selectors=selectors.strings("body"),
        drop_selectors=selectors.strings("drop"),
        switcher_selectors=selectors.strings("switcher"),
        url_transforms=tuple(transforms),
        premium_selectors=access.strings("premium"),
        truncated_selectors=access.strings("truncated"),
        source=source,
    )


def _check_css(reader: _Reader, key: str, css: str) -> None:
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(css)
    except SelectorError as exc:
        raise reader.fail(key, f"invalid CSS selector {css!r}: {exc}") from exc
