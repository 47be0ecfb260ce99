"""`triglot demo`: the bundled sample outlets on loopback, crawled twice, diffed, served.

The sample server publishes version 1 of every article, the crawler stores it, the diff
stage finds the planted cross-language divergences; then the server switches to version
2 (edited figures in two articles), a second crawl stores the new versions and the diff
stage reports what changed. Alerts go to .eml files in the demo folder, and Datasette
serves the archive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import archive
from archive import read
from triglot.sample_site.server import SampleSite, profiles_dir

SAMPLE_SITES = ("dnipro", "polissia", "karpaty")
DEMO_DIR = Path("demo")


# Loopback is no one's server to be polite to: no delay, but robots.txt still obeyed.
DEMO_CRAWL_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


def build_demo_archive(
    db_path: Path, site: SampleSite, echo: Callable[[str], Any] = print
) -> dict[str, Any]:
    """Crawl version 1, diff, switch to version 2, crawl every article again, diff.

    Each crawl is `triglot run`'s crawl stage (schedule included), run in a fresh process
    because the demo crawls twice; the diff is the run's diff stage.
    """
    from triglot.config import Config
    from triglot.crawlstage import run_crawl_stage
    from triglot.diffstage import run_diff

    config = Config(db=str(db_path))
    crawl = partial(
        run_crawl_stage,
        str(db_path),
        config,
        profile_dirs=[str(profiles_dir())],
        base_urls={name: site.base_url for name in SAMPLE_SITES},
        settings=DEMO_CRAWL_SETTINGS,
        in_process=False,
    )
    started = time.perf_counter()
    first = crawl(sites=list(SAMPLE_SITES))
    first_seconds = time.perf_counter() - started
    echo(f"  crawl 1 (version 1): {first.get('pages', '?')} pages in {first_seconds:.1f}s")
    db = archive.open_db(db_path)
    report = run_diff(db)
    echo(
        f"  diff: {report.articles} articles, {report.language_divergences_new} "
        f"cross-language divergences"
    )
    site.version = 2
    urls = read.archived_edition_urls(db)
    started = time.perf_counter()
    second = crawl(urls=urls)
    second_seconds = time.perf_counter() - started
    echo(f"  crawl 2 (version 2): {second.get('pages', '?')} pages in {second_seconds:.1f}s")
    db = archive.open_db(db_path)
    report = run_diff(db)
    counts = read.archive_counts(db)
    echo(
        f"  diff: {report.version_divergences_new} version divergences "
        f"({counts['version_changed']} changed figures, "
        f"{report.version_divergences_new - counts['version_changed']} added or removed), "
        f"{report.language_divergences_new} new cross-language divergences"
    )
    echo(
        f"        version 2 resolved {counts['language_resolved']} of the cross-language "
        f"divergences; {counts['language_divergences']} remain open"
    )
    counts["crawl_seconds"] = round(first_seconds, 2)
    counts["recrawl_seconds"] = round(second_seconds, 2)
    return counts


def run_demo(
    *,
    db_path: str | None = None,
    port: int = 8001,
    site_port: int = 8765,
    serve: bool = True,
    echo: Callable[[str], Any] = print,
) -> dict[str, Any]:
    from triglot.alerts import run_alerts
    from triglot.config import Config

    path = Path(db_path) if db_path else DEMO_DIR / "triglot.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    outbox = path.parent / "outbox"
    with SampleSite(port=site_port) as site:
        echo(f"Sample outlets ({', '.join(SAMPLE_SITES)}) on {site.base_url}/")
        counts = build_demo_archive(path, site, echo)
        config = Config(db=str(path))
        config.alerts.datasette_url = f"http://127.0.0.1:{port}"
        alerts = run_alerts(archive.open_db(path), config, to_file=str(outbox), echo=echo)
        echo(
            f"Archive {path}: {counts['articles']} articles, {counts['editions']} editions "
            f"stored ({counts['failed_editions']} failed), {counts['snapshots']} snapshots, "
            f"{counts['language_divergences']} open cross-language and "
            f"{counts['version_divergences']} version divergences."
        )
        carried = read.alerted_divergences_by_scope(archive.open_db(path))
        echo(
            f"The alert carries {sum(carried.values())} divergences "
            f"({carried.get('language', 0)} cross-language, {carried.get('version', 0)} "
            f"version) of the kind {' and '.join(config.alerts.kinds)}, the [alerts] kinds "
            "default; added, removed and missing figures are listed in Datasette."
        )
        for written in alerts.written:
            echo(f"Alert email written: {written}")
        if serve:
            from triglot.serve import serve_datasette

            echo(f"Open http://127.0.0.1:{port}/ to browse the divergences.")
            serve_datasette(str(path), config, host="127.0.0.1", port=port, echo=echo)
    return counts
