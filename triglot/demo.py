"""`triglot demo`: the bundled sample outlets on loopback, crawled twice, diffed, served.

The sample server publishes version 1 of every article, the crawler stores it, the diff
stage finds the planted cross-language divergences; then the server switches to version
2 (edited figures in two articles), a second crawl stores the new versions and the diff
stage reports what changed. Alerts go to .eml files in the demo folder, and Datasette
serves the archive.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import archive
from archive.schedule import reschedule
from archive.store import utcnow
from triglot.sample_site.server import SampleSite, profiles_dir

SAMPLE_SITES = ("dnipro", "polissia", "karpaty")
DEMO_DIR = Path("demo")


def crawl_subprocess(
    db_path: str | Path,
    *,
    sites: Sequence[str] = (),
    urls: Sequence[str] = (),
    base_url: str | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 600,
) -> dict[str, Any]:
    """One crawl in a fresh process (Twisted's reactor runs once per process)."""
    command = [
        sys.executable,
        "-m",
        "crawler.runner",
        "--db",
        str(db_path),
        "--profile-dir",
        str(profiles_dir()),
    ]
    for site in sites:
        command += ["--site", site]
    for url in urls:
        command += ["--url", url]
    if base_url:
        for name in SAMPLE_SITES:
            command += ["--base-url", f"{name}={base_url}"]
    for key, value in (settings or {}).items():
        command += ["--set", f"{key}={value}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")
    for line in reversed(done.stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


# Loopback is no one's server to be polite to: no delay, but robots.txt still obeyed.
DEMO_CRAWL_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


def _counts(db) -> dict[str, int]:
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "articles": one("select count(*) from articles"),
        "editions": one("select count(*) from editions where current_snapshot_id is not null"),
        "failed_editions": one("select count(*) from editions where current_snapshot_id is null"),
        "snapshots": one("select count(*) from snapshots"),
        "paragraphs": one("select count(*) from paragraphs"),
        "language_divergences": one(
            "select count(*) from divergences where scope = 'language' and resolved_at is null"
        ),
        "language_resolved": one(
            "select count(*) from divergences where scope = 'language' and resolved_at is not null"
        ),
        "version_divergences": one("select count(*) from divergences where scope = 'version'"),
        "version_changed": one(
            "select count(*) from divergences where scope = 'version' and kind = 'changed'"
        ),
    }


def build_demo_archive(
    db_path: Path, site: SampleSite, echo: Callable[[str], Any] = print
) -> dict[str, Any]:
    """Crawl version 1, diff, switch to version 2, crawl every article again, diff."""
    from triglot.diffstage import run_diff

    started = time.perf_counter()
    first = crawl_subprocess(
        db_path, sites=list(SAMPLE_SITES), base_url=site.base_url, settings=DEMO_CRAWL_SETTINGS
    )
    first_seconds = time.perf_counter() - started
    echo(f"  crawl 1 (version 1): {first.get('pages', '?')} pages in {first_seconds:.1f}s")
    db = archive.open_db(db_path)
    reschedule(db, utcnow())  # as `triglot crawl` does: every article gets its next check
    report = run_diff(db)
    echo(
        f"  diff: {report.articles} articles, {report.language_divergences_new} "
        f"cross-language divergences"
    )
    site.version = 2
    urls = [
        row[0]
        for row in db.execute(
            "select url from editions where current_snapshot_id is not null order by id"
        )
    ]
    started = time.perf_counter()
    second = crawl_subprocess(
        db_path, urls=urls, base_url=site.base_url, settings=DEMO_CRAWL_SETTINGS
    )
    second_seconds = time.perf_counter() - started
    echo(f"  crawl 2 (version 2): {second.get('pages', '?')} pages in {second_seconds:.1f}s")
    reschedule(db, utcnow())
    report = run_diff(db)
    counts = _counts(db)
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
        carried = dict(
            archive.open_db(path).execute(
                "select d.scope, count(*) from alert_divergences ad "
                "join divergences d on d.id = ad.divergence_id group by d.scope"
            )
        )
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
