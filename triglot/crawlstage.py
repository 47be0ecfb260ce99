"""The crawl stage: feeds and asked-for URLs, plus whatever the schedule says is due.

The schedule lives in the archive; this stage reads the due queue before the crawl and
writes the next check times after it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import archive
from archive import clock
from archive.schedule import due_edition_urls, reschedule
from crawler.profiles import ProfileError, load_profile
from triglot.config import Config
from triglot.logsetup import cli_logging_active


def crawl_settings(config: Config) -> dict[str, Any]:
    crawl = config.crawl
    return {
        "USER_AGENT": crawl.user_agent,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        "DOWNLOAD_MAXSIZE": crawl.download_maxsize,
        "TRIGLOT_PROGRESS": sys.stderr.isatty(),  # interactive: a progress line
        "TRIGLOT_WARC": config.warc.enabled,
        "TRIGLOT_WARC_DIR": config.warc.dir,
        "TRIGLOT_WARC_MAX_BYTES": int(config.warc.max_size_mb * 1_000_000),
    }


def check_profiles(sites: list[str], profile_dirs: list[str], base_urls: dict[str, str]) -> None:
    """Raise ProfileError for a missing profile folder or a site with no usable profile."""
    for directory in profile_dirs:
        if not Path(directory).is_dir():
            raise ProfileError(f"profile folder {directory} does not exist")
    for name in sites:
        load_profile(name, profile_dirs, base_urls.get(name))


def run_crawl_stage(
    db_path: str,
    config: Config,
    *,
    sites: list[str] | None = None,
    urls: list[str] | None = None,
    profile_dirs: list[str] | None = None,
    base_urls: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    in_process: bool = True,
) -> dict[str, Any]:
    """Crawl what was asked for and what the schedule says is due, then reschedule.

    ``in_process`` crawls in this process (once per process: Twisted's reactor does not
    restart); False crawls in a fresh process, for a caller that crawls more than once
    (`triglot demo`). Every site and profile folder is checked before anything starts: a
    name that has no profile raises ProfileError with the name and the folders searched.
    """
    from crawler.runner import run_crawl, run_crawl_subprocess

    sites_wanted = list(sites or []) if (sites or urls) else list(config.crawl.sites)
    check_profiles(
        sites_wanted,
        [*config.crawl.profile_dirs, *(profile_dirs or [])],
        {**config.base_urls, **(base_urls or {})},
    )
    db = archive.open_db(db_path)
    started = clock.now()
    due = due_edition_urls(db, started, horizon_days=config.schedule.horizon_days)
    urls = list(urls or [])
    sites = list(sites or []) if (sites or urls) else list(config.crawl.sites)
    stats: dict[str, Any] = {"due": len(due)}
    if sites or urls or due:
        job: dict[str, Any] = {
            "sites": sites,
            "urls": [*urls, *(u for u in due if u not in urls)],
            "profile_dirs": [*config.crawl.profile_dirs, *(profile_dirs or [])],
            "base_urls": {**config.base_urls, **(base_urls or {})},
            "settings": {**crawl_settings(config), **(settings or {})},
        }
        if in_process:
            stats.update(run_crawl(db_path, **job, log_handler=not cli_logging_active()))
        else:
            stats.update(run_crawl_subprocess(db_path, **job))
    finished = clock.now()
    db = archive.open_db(db_path)
    reschedule(
        db,
        finished,
        checked_since=started,
        steps=config.schedule.steps,
        horizon_days=config.schedule.horizon_days,
    )
    return stats
