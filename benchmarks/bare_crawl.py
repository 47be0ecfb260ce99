"""The crawl baseline: Scrapy downloading the same pages and doing nothing with them.

    python -m benchmarks.bare_crawl --urls-file URLS.txt [--set KEY=VALUE]...

prints {"requests", "pages", "bytes", "seconds"} as JSON. Same engine, same settings as
the Triglot crawl (minus its spider's work and the archive pipeline), so the ratio of the
two rates is what extraction, discovery, the language check and storage cost.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> None:
        self.crawler.stats.inc_value("bare/pages")
        self.crawler.stats.inc_value("bare/bytes", len(response.body))


def run(urls: list[str], overrides: dict[str, Any]) -> dict[str, Any]:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")  # same politeness knobs
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    started = time.monotonic()
    process.crawl(crawler, urls=urls)
    process.start()
    stats = crawler.stats.get_stats()
    return {
        "requests": int(stats.get("downloader/request_count", 0)),
        "pages": int(stats.get("bare/pages", 0)),
        "bytes": int(stats.get("bare/bytes", 0)),
        "seconds": round(time.monotonic() - started, 3),
        "finish_reason": stats.get("finish_reason"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare_crawl")
    parser.add_argument("--urls-file", required=True)
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args(argv)
    overrides = {}
    for pair in args.set:
        key, _, value = pair.partition("=")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    urls = Path(args.urls_file).read_text(encoding="utf-8").split()
    print(json.dumps(run(urls, overrides)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
