"""Run one crawl in this process and return its numbers.

Twisted's reactor cannot be restarted, so one process runs one crawl: call run_crawl once
per process, or run_crawl_subprocess (the command line below in a fresh process), as the
tests and `triglot demo` do.

    python -m crawler.runner --db PATH [--site NAME]... [--url URL]...
        [--profile-dir DIR]... [--base-url NAME=URL]... [--set KEY=VALUE]...

prints the stats as one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.profiles import ProfileError, load_profile
from crawler.spiders.editions import EditionsSpider, parse_base_urls

STAT_NAMES = {
    "triglot/pages": "pages",
    "triglot/editions_stored": "editions_stored",
    "triglot/new_snapshots": "new_snapshots",
    "triglot/failures": "failures",
    "triglot/failures_recorded": "failures_recorded",
    "triglot/listings": "listings",
    "triglot/listing_failures": "listing_failures",
    "triglot/refused": "refused",
    "triglot/offsite_alternates": "offsite_alternates",
    "triglot/lang_mismatch": "lang_mismatch",
    "triglot/store_errors": "store_errors",
    "triglot/warc_records": "warc_records",
    "triglot/warc_bytes": "warc_bytes",
    "triglot/store_batches": "store_batches",
    "triglot/store_ms": "store_ms",
    "triglot/outcome/unchanged": "unchanged",
    "triglot/outcome/seen_before": "seen_before",
    "triglot/outcome/not_modified": "not_modified",
    "downloader/request_count": "requests",
    "item_scraped_count": "items",
}


class _Process(CrawlerProcess):
    """Scrapy's process, whose graceful shutdown always ends.

    The first SIGTERM/SIGINT asks Scrapy to finish in-flight requests; a request that can
    never finish (a stuck download slot, a hanging server past its timeout) would hold the
    process for ever, and under `triglot run` the lock with it. So after
    TRIGLOT_SHUTDOWN_GRACE seconds the signal is sent again, which is Scrapy's documented
    "force" — every edition already stored is committed, so the archive stays whole.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.grace = settings.getfloat("TRIGLOT_SHUTDOWN_GRACE", 10.0)

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        super()._signal_shutdown(signum, frame)
        timer = threading.Timer(self.grace, os.kill, (os.getpid(), signum))
        timer.daemon = True
        timer.start()


def build_settings(db_path: str, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("TRIGLOT_DB", db_path, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(
    db_path: str,
    *,
    sites: Sequence[str] = (),
    urls: Sequence[str] = (),
    profile_dirs: Sequence[str] = (),
    base_urls: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    log_handler: bool = True,
) -> dict[str, Any]:
    """Crawl sites and/or article URLs into the archive at db_path; return the crawl's stats.

    Only once per process (the reactor cannot restart). ``log_handler=False`` when the
    caller has its own logging handler (the triglot command line): Scrapy then adds none,
    so no line is printed twice.
    """
    overrides = {**(settings or {}), **({} if log_handler else {"LOG_INSTALL_ROOT_HANDLER": False})}
    process = _Process(build_settings(db_path, overrides))
    crawler = process.create_crawler(EditionsSpider)
    started = time.monotonic()
    process.crawl(
        crawler,
        site=list(sites),
        url=list(urls),
        profile_dir=list(profile_dirs),
        base_url=dict(base_urls or {}),
    )
    process.start()
    raw = crawler.stats.get_stats() if crawler.stats else {}
    stats: dict[str, Any] = {name: int(raw.get(key, 0)) for key, name in STAT_NAMES.items()}
    stats["seconds"] = round(time.monotonic() - started, 3)
    stats["finish_reason"] = raw.get("finish_reason")
    stats["errors_logged"] = int(raw.get("log_count/ERROR", 0))
    stats["archive_error"] = raw.get("triglot/archive_error")
    return stats


def run_crawl_subprocess(
    db_path: str,
    *,
    sites: Sequence[str] = (),
    urls: Sequence[str] = (),
    profile_dirs: Sequence[str] = (),
    base_urls: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 600,
) -> dict[str, Any]:
    """run_crawl in a fresh process (this command line), for a caller that crawls twice.

    Same arguments and stats as run_crawl; settings travel as JSON, so their types survive.
    Raises RuntimeError with the end of the crawl's stderr when it does not finish.
    """
    command = [sys.executable, "-m", "crawler.runner", "--db", str(db_path)]
    for site in sites:
        command += ["--site", site]
    for url in urls:
        command += ["--url", url]
    for directory in profile_dirs:
        command += ["--profile-dir", str(directory)]
    for name, base_url in (base_urls or {}).items():
        command += ["--base-url", f"{name}={base_url}"]
    for key, value in (settings or {}).items():
        command += ["--set", f"{key}={json.dumps(value)}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")
    for line in reversed(done.stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def _parse_value(raw: str) -> Any:
    """--set values: JSON when it parses (numbers, booleans, lists), else the string."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def crawl_options(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, str]]:
    """(--set overrides, --base-url overrides), or a usage error naming the bad one."""
    overrides = {}
    for pair in args.set:
        key, sep, value = pair.partition("=")
        if not sep:
            parser.error(f"--set {pair!r}: expected KEY=VALUE")
        overrides[key.strip()] = _parse_value(value)
    try:
        base_urls = parse_base_urls(",".join(args.base_url))
    except ValueError as exc:
        parser.error(str(exc))
    return overrides, base_urls


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.runner", description=__doc__)
    parser.add_argument("--db", required=True, help="archive SQLite file")
    parser.add_argument("--site", action="append", default=[], help="profile name")
    parser.add_argument("--url", action="append", default=[], help="article URL")
    parser.add_argument("--profile-dir", action="append", default=[], help="extra profile dir")
    parser.add_argument("--base-url", action="append", default=[], help="NAME=URL override")
    parser.add_argument("--set", action="append", default=[], help="Scrapy setting KEY=VALUE")
    args = parser.parse_args(argv)
    overrides, base_urls = crawl_options(parser, args)
    if not args.site and not args.url:
        parser.error("give at least one --site or --url")
    for name in args.site:  # fail before the reactor starts, with the file and key named
        try:
            load_profile(name, args.profile_dir, base_urls.get(name))
        except ProfileError as exc:
            parser.error(str(exc))
    stats = run_crawl(
        args.db,
        sites=args.site,
        urls=args.url,
        profile_dirs=args.profile_dir,
        base_urls=base_urls,
        settings=overrides,
    )
    json.dump(stats, sys.stdout)
    sys.stdout.write("\n")
    if stats.get("archive_error"):  # the one line an operator needs, not lost in the log
        sys.stderr.write(f"crawl stopped: {stats['archive_error']}\n")
    return 0 if stats.get("finish_reason") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
