"""One worker process: the editions spider on the shared frontier, items back via Redis.

    python -m crawler.fleet.worker --redis URL [--exit-when-idle S] [--profile-dir DIR]...
        [--base-url NAME=URL]... [--set KEY=VALUE]...

prints its stats as one JSON object on stdout when it stops (idle, or SIGTERM). A worker
needs no database: validators for conditional GETs come with the request, set by the
coordinator, and items go to the coordinator through the stream.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.fleet.frontier import new_worker_id
from crawler.fleet.redisconn import RedisUnavailable, connect
from crawler.fleet.spider import FleetEditionsSpider
from crawler.runner import build_settings, crawl_options

REDIS_UNAVAILABLE = 8  # = triglot.exitcodes.REDIS_UNAVAILABLE (crawler/ does not import triglot)

FLEET_STATS = {
    "triglot/pages": "pages",
    "triglot/items_sent": "items_sent",
    "triglot/unqueueable": "unqueueable",
    "downloader/request_count": "requests",
    "scheduler/dequeued/redis": "dequeued",
}


def fleet_settings(redis_url: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """The crawl's own settings, with the frontier, politeness and items moved to Redis.

    DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN become fleet-wide (Redis) limits;
    Scrapy's per-process ones would multiply by the number of workers.
    """
    base = build_settings("", overrides)
    delay = base.getfloat("DOWNLOAD_DELAY")
    per_domain = base.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    middlewares = dict(base.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["crawler.middlewares.ConditionalRequestMiddleware"] = None  # no archive here
    middlewares["crawler.fleet.politeness.FleetPolitenessMiddleware"] = 900
    return {
        **overrides,
        "TRIGLOT_REDIS_URL": redis_url,
        "SCHEDULER": "crawler.fleet.frontier.FleetScheduler",
        "ITEM_PIPELINES": {},
        "DOWNLOADER_MIDDLEWARES": middlewares,
        "TRIGLOT_FLEET_DOMAIN_DELAY": overrides.get("TRIGLOT_FLEET_DOMAIN_DELAY", delay),
        "TRIGLOT_FLEET_DOMAIN_CONCURRENCY": overrides.get(
            "TRIGLOT_FLEET_DOMAIN_CONCURRENCY", per_domain
        ),
        "DOWNLOAD_DELAY": 0,
    }


class _WorkerProcess(CrawlerProcess):
    """Remembers a stop asked for by a signal: a SIGTERM that lands while Scrapy is still
    opening the spider leaves no finish_reason, and is a clean stop all the same."""

    signalled = False

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.signalled = True
        super()._signal_shutdown(signum, frame)


def run_worker(
    redis_url: str,
    *,
    exit_when_idle: float | None = None,
    profile_dirs: Sequence[str] = (),
    base_urls: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Crawl from the shared frontier until idle (or stopped); return this worker's stats.

    Once per process (Twisted's reactor does not restart). Raises RedisUnavailable first
    when Redis cannot be reached.
    """
    connect(redis_url).close()
    worker_id = new_worker_id()
    overrides = {**(settings or {}), "TRIGLOT_FLEET_WORKER_ID": worker_id}
    process = _WorkerProcess(build_settings("", fleet_settings(redis_url, overrides)))
    crawler = process.create_crawler(FleetEditionsSpider)
    started = time.monotonic()
    process.crawl(
        crawler,
        profile_dir=list(profile_dirs),
        base_url=dict(base_urls or {}),
        exit_when_idle=exit_when_idle,
    )
    process.start()
    raw = crawler.stats.get_stats() if crawler.stats else {}
    stats: dict[str, Any] = {name: int(raw.get(key, 0)) for key, name in FLEET_STATS.items()}
    stats["worker"] = (
        getattr(crawler.spider, "frontier", None) and crawler.spider.frontier.worker_id
    )
    stats["seconds"] = round(time.monotonic() - started, 3)
    stats["finish_reason"] = raw.get("finish_reason") or ("shutdown" if process.signalled else None)
    stats["errors_logged"] = int(raw.get("log_count/ERROR", 0))
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.fleet.worker", description=__doc__)
    parser.add_argument("--redis", required=True, help="redis://HOST:PORT/DB")
    parser.add_argument("--exit-when-idle", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--profile-dir", action="append", default=[], help="extra profile dir")
    parser.add_argument("--base-url", action="append", default=[], help="NAME=URL override")
    parser.add_argument("--set", action="append", default=[], help="Scrapy setting KEY=VALUE")
    args = parser.parse_args(argv)
    overrides, base_urls = crawl_options(parser, args)
    try:
        stats = run_worker(
            args.redis,
            exit_when_idle=args.exit_when_idle,
            profile_dirs=args.profile_dir,
            base_urls=base_urls,
            settings=overrides,
        )
    except RedisUnavailable as error:
        sys.stderr.write(f"triglot worker: {error}\n")
        return REDIS_UNAVAILABLE
    sys.stdout.write(json.dumps(stats) + "\n")  # one write: sibling workers share the pipe
    sys.stdout.flush()
    return 0 if stats.get("finish_reason") in ("finished", "shutdown") else 1


if __name__ == "__main__":
    sys.exit(main())
