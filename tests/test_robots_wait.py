"""robots.txt holds for the first burst of requests too, in one process as in the fleet.

Scrapy 2.19 lets through every request but one that waits while robots.txt is being
fetched (crawler.middlewares.WaitingRobotsTxtMiddleware has the why)."""

from __future__ import annotations

from pathlib import Path

from fleet import FAST

from benchmarks import common
from benchmarks.generate import BenchSite, write_profile
from benchmarks.siteserver import SiteServer


def test_requests_waiting_for_robots_txt_obey_it(tmp_path: Path) -> None:
    site = BenchSite(8, paragraphs=(3, 4))
    with SiteServer(site, robots=b"User-agent: *\nDisallow: /bench/ru/\n") as server:
        urls = [site.url(a, lang) for a in site.article_ids() for lang in ("ru", "uk")]
        common.crawl_site(
            tmp_path / "a.db",
            server.base_url,
            profile_dir=write_profile(tmp_path / "profiles").parent,
            settings=FAST,
            urls=urls,  # sixteen start requests, all waiting for the one robots.txt
        )
        paths = [path for _, path in server.requests]
    assert paths.count("/robots.txt") == 1
    assert not [p for p in paths if p.startswith("/bench/ru/")]
    assert sum(p.startswith("/bench/uk/") for p in paths) == 8
