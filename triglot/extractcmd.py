"""`triglot extract`: what the extractor reads from saved pages, and why.

For each file: the title, the paragraphs and the headings, the language declared and
detected, which candidate body won and the scores of the others. With a URL the page is
read as if fetched from it, so the site's profile (and its template learned from the
archive, when there is one) applies: how a user checks a profile or reports a bad page.
"""

from __future__ import annotations

import gzip
import textwrap
import zlib
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from crawler.profiles import Profile, ProfileError, list_profiles, load_profile
from crawler.reading import read_page

MAX_FILE_BYTES = 50 * 1024 * 1024  # a saved page bigger than this is not a page


class ExtractError(ValueError):
    """A file that cannot be read as a page (the message is the one-line reason)."""


def profile_for_url(url: str, profile_dirs: list[str]) -> tuple[Profile | None, str]:
    """The profile whose article patterns match url, else one whose domain it is on,
    with a note saying which; (None, "generic") when no profile covers the URL."""
    on_domain: Profile | None = None
    for name in list_profiles(profile_dirs):
        try:
            profile = load_profile(name, profile_dirs)
        except ProfileError:
            continue
        if profile.allows(url):
            if profile.is_article(url):
                return profile, f"profile {name}"
            on_domain = on_domain or profile
    if on_domain is not None:
        return (
            on_domain,
            f"profile {on_domain.name} (the URL is not an article URL by its patterns)",
        )
    return None, "generic (no profile covers this URL)"


def read_file_text(path: Path) -> str:
    """A saved page as text: gunzipped when .gz, decoded by BOM, <meta charset> or UTF-8."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ExtractError(f"{path}: {error.strerror or error}") from error
    if not path.is_file():
        raise ExtractError(f"{path}: not a file")
    if size > MAX_FILE_BYTES:
        raise ExtractError(f"{path}: {size:,} bytes, more than a page ({MAX_FILE_BYTES:,})")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractError(f"{path}: {error.strerror or error}") from error
    if data[:2] == b"\x1f\x8b" or path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise ExtractError(f"{path}: not a readable gzip file ({error})") from error
    if not data.strip():
        raise ExtractError(f"{path}: empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(f"{path}: binary data, not an HTML page")
    return html_to_unicode(None, data)[1]


def extract_file(
    path: Path, url: str | None, profile_dirs: list[str], db_path: str | None = None
) -> dict[str, Any]:
    """One file read as the crawl reads a page: the record `triglot extract` prints."""
    text = read_file_text(path)
    page_url = url or path.resolve().as_uri()
    profile, profile_note = profile_for_url(url, profile_dirs) if url else (None, "generic")
    template = None
    if profile is not None and db_path and Path(db_path).is_file():
        from crawler.template import load_site_template

        template = load_site_template(db_path, profile.name)
    reading = read_page(text, page_url, profile, site_template=template)
    page = reading.page
    return {
        "file": str(path),
        "url": page_url,
        "profile": profile.name if profile else None,
        "profile_note": profile_note,
        "title": page.title,
        "paragraphs": page.paragraphs,
        "headings": [{"before_paragraph": i, "text": t} for i, t in page.headings],
        "lang_declared": page.lang_declared,
        "lang_detected": reading.lang_detected,
        "lang_confidence": round(reading.lang_confidence, 3),
        "extraction": page.extraction,
        "scores": page.extraction_scores,
        "extractor_version": page.extractor_version,
        "template_blocks": len(template.texts) if template else 0,
    }


def format_record(record: dict[str, Any], width: int = 100) -> str:
    """The human-readable form: header lines, then headings and numbered paragraphs."""
    scores = ", ".join(
        f"{name} {score:g}" + (" (won)" if name == record["extraction"] else "")
        for name, score in sorted(record["scores"].items(), key=lambda kv: -kv[1])
    )
    detected = record["lang_detected"] or "-"
    if record["lang_detected"]:
        detected += f" ({record['lang_confidence']:.2f})"
    lines = [
        f"== {record['file']}",
        f"url:        {record['url']}",
        f"read by:    {record['profile_note']}; extractor {record['extractor_version']}"
        + (f", site template of {record['template_blocks']} blocks" if record["template_blocks"]
           else ""),
        f"title:      {record['title'] or '-'}",
        f"language:   declared {record['lang_declared'] or '-'}, detected {detected}",
        f"body:       {record['extraction'] or 'none found'}"
        f" — {len(record['paragraphs'])} paragraphs, {len(record['headings'])} headings",
        f"candidates: {scores or '-'}",
    ]  # fmt: skip
    headings = list(record["headings"])
    for i, paragraph in enumerate(record["paragraphs"]):
        while headings and headings[0]["before_paragraph"] <= i:
            lines.append(f"  ## {headings.pop(0)['text']}")
        lines.append(
            textwrap.fill(
                paragraph, width, initial_indent=f"  [{i + 1}] ", subsequent_indent="      "
            )
        )
    lines.extend(f"  ## {h['text']}" for h in headings)
    return "\n".join(lines)
