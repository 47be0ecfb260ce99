"""Reading a stored capture again with the current extractor.

Two callers: the store path, which re-reads an edition's latest snapshot before comparing
a new fetch with it when the snapshot was read by another extractor (so an extractor
change never shows up as an article edit), and `triglot reextract`. Both decode the body
with crawler.decoding (as the crawl does) and read it with crawler.reading.read_page.

What "the extractor" is, for this purpose, is `reading_version`: the extraction code's
version (Page.extractor_version, contract 1) plus, for a site with a profile, a short
digest of the profile's reading selectors, since a selector fix changes what the same
HTML yields just as a code change does.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from archive import read
from archive.captures import read_capture, resolve_name
from archive.store import update_snapshot_reading
from crawler.decoding import decode_body
from crawler.profiles import Profile, ProfileError, load_profile
from crawler.reading import read_page
from crawler.template import load_site_template

logger = logging.getLogger(__name__)

GENERIC = "generic"
ProfileFor = Callable[[str, str], Profile | None]  # (site, url) -> profile, None = generic


def profile_digest(profile: Profile | None) -> str | None:
    """Eight hex digits over what a profile tells the extractor; None for the generic path."""
    if profile is None or profile.name == GENERIC:
        return None
    reading = [
        list(profile.title_selectors),
        list(profile.body_selectors),
        list(profile.drop_selectors),
        list(profile.premium_selectors),
        list(profile.truncated_selectors),
    ]
    return hashlib.sha256(json.dumps(reading).encode("utf-8")).hexdigest()[:8]


def reading_version(page_version: str, profile: Profile | None) -> str:
    """The version a snapshot records: extractor code (+template), + profile selectors."""
    digest = profile_digest(profile)
    return f"{page_version}+p{digest}" if digest else page_version


class ProfileUnavailable(LookupError):
    """A snapshot's site profile cannot be loaded: re-reading it generically would replace a
    profile's reading with a weaker one, so the snapshot is left as it was."""


def default_profile_for(
    profile_dirs: tuple[str, ...] | list[str] = (), base_urls: dict[str, str] | None = None
) -> ProfileFor:
    """Profiles by site name from these folders (then the built-in ones), cached. A site
    whose profile is missing raises ProfileUnavailable (named once in the log)."""
    cache: dict[str, Profile | str] = {}  # a str: why the profile is unavailable

    def lookup(site: str, url: str) -> Profile | None:
        if not site or site == GENERIC:
            return None
        if site not in cache:
            try:
                cache[site] = load_profile(site, profile_dirs, (base_urls or {}).get(site))
            except ProfileError as error:
                logger.warning(
                    "profile %s unavailable (%s): its snapshots are left as they are "
                    "(give its folder with --profile-dir)",
                    site,
                    error,
                )
                cache[site] = f"profile {site} unavailable: {error}"
        found = cache[site]
        if isinstance(found, str):
            raise ProfileUnavailable(found)
        return found

    return lookup


@dataclass(frozen=True)
class Reread:
    snapshot_id: int
    outcome: str  # "changed", "same", "no_capture", "unreadable", "empty"
    detail: str = ""


def reread_snapshot(
    db: sqlite_utils.Database,
    snapshot_id: int,
    *,
    db_path: str | Path,
    profile_for: ProfileFor,
) -> Reread:
    """Re-read one snapshot's capture and bring the snapshot up to date in place.

    Runs inside the caller's transaction. A capture that cannot be read leaves the
    snapshot as it was (and says why).
    """
    captured = read.snapshot_capture(db, snapshot_id)
    if captured is None:
        return Reread(snapshot_id, "no_capture")
    capture_file, offset, length = (
        captured.capture_file,
        captured.capture_offset,
        captured.capture_length,
    )
    url, site, lang = captured.url, captured.site, captured.lang
    try:
        stored = read_capture(resolve_name(capture_file, db_path), offset, length)
        html = decode_body(stored.body, None, content_type=stored.header("Content-Type"))
        profile = profile_for(site, stored.url or url)
        # the template the crawl applies to this site's new pages (learned once per process)
        template = load_site_template(db_path, site) if profile is not None else None
        reading = read_page(html, stored.url or url, profile, site_template=template)
    except ProfileUnavailable as error:  # named once in the log already
        return Reread(snapshot_id, "unreadable", str(error))
    except Exception as error:  # a missing file or a page the extractor chokes on
        logger.warning("snapshot %s: capture not re-read: %s", snapshot_id, error)
        return Reread(snapshot_id, "unreadable", str(error))
    page = reading.page
    if not page.paragraphs:
        return Reread(snapshot_id, "empty", "the current extractor finds no text")
    declared, detected = page.lang_declared, reading.lang_detected
    changed = update_snapshot_reading(
        db,
        snapshot_id,
        {
            "title": page.title,
            "published": page.published,
            "modified": page.modified,
            "author": page.author,
            "lang_declared": declared,
            "lang_detected": detected,
            "lang_confidence": reading.lang_confidence,
            "lang_ok": None if not (declared and detected) else int(declared == detected),
            "access": page.access or "full",
            "extraction": page.extraction,
            "extractor_version": reading_version(page.extractor_version, profile),
        },
        page.paragraphs,
        lang=lang,
    )
    return Reread(snapshot_id, "changed" if changed else "same")
