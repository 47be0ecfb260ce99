"""The fleet's parts against a real redis-server: the item codec, the scheduler's guard
against unqueueable requests, the per-round duplicate filter, a dead consumer's items,
fleet-wide politeness with robots.txt, and the operator's view (Redis unreachable,
SIGTERM)."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
from pathlib import Path

from fleet import TRIGLOT, finish, wait_for, worker_stats
from redis_server import free_port
from scrapy import Request

from benchmarks.generate import BenchSite
from benchmarks.siteserver import SiteServer
from crawler.fleet.codec import CodecError, decode_item, encode_capped, encode_item
from crawler.fleet.frontier import FleetScheduler, Frontier, decode_request, encode_request
from crawler.fleet.redisconn import KEYS, connect
from crawler.fleet.spider import FleetEditionsSpider
from crawler.items import EditionItem, FetchFailureItem, NotModifiedItem
from crawler.profiles import load_profile
from triglot import exitcodes
from triglot.config import Config
from triglot.coordinator import Coordinator


def _edition(url: str = "http://127.0.0.1:1/bench/uk/news/1/story-1.html", **extra):
    fields = dict(
        site="bench",
        url=url,
        requested_url=url,
        status=200,
        lang="uk",
        title="Заголовок",
        paragraphs=["Перший абзац про 427 тисяч гривень.", "Другий абзац."],
        alternates={"en": url.replace("/uk/", "/en/")},
        article_key="bench:1",
        fetched_at="2026-01-01T00:00:00+00:00",
    )
    fields.update(extra)
    return EditionItem(**fields)


# ---------------------------------------------------------------------- codec


def test_codec_carries_any_field_including_raw_bytes_and_header_pairs() -> None:
    capture = {
        "url": "http://example.test/a",
        "status": 200,
        "reason": None,
        "request_headers": [["Accept", "text/html"]],
        "response_headers": [["Content-Type", "text/html; charset=windows-1251"]],
        "body": bytes(range(256)) * 4,  # not UTF-8, as received
    }
    # the raw capture rides on EditionItem.capture (the WARC work); any dict field carries it
    field = "capture" if "capture" in EditionItem.fields else "alternates"
    item = _edition(**{field: capture})
    back = decode_item(encode_item(item))
    assert type(back) is EditionItem
    assert dict(back) == dict(item)
    assert back[field]["body"] == capture["body"]
    for other in (NotModifiedItem(url="u", fetched_at="t"), FetchFailureItem(url="u", error="e")):
        assert decode_item(encode_item(other)) == other and type(decode_item(encode_item(other)))


def test_an_item_over_the_cap_travels_as_its_recorded_error() -> None:
    item = _edition(paragraphs=[f"абзац {i} " + "x" * 200 for i in range(2000)])
    data, fitted = encode_capped(item, limit=1024)
    assert not fitted and len(data) < 1024
    failure = decode_item(data)
    assert type(failure) is FetchFailureItem
    assert failure["url"] == item["url"] and "too large for the fleet" in failure["error"]


def test_an_entry_that_is_not_an_item_is_a_codec_error() -> None:
    for junk in (b"", b"not zlib", encode_item(_edition())[:-5]):
        try:
            decode_item(junk)
        except CodecError as error:
            assert "undecodable" in str(error)
        else:
            raise AssertionError(f"{junk!r} decoded")


# ---------------------------------------------------------------------- scheduler


def _scheduler(redis_url: str) -> tuple[FleetScheduler, FleetEditionsSpider, Frontier]:
    spider = FleetEditionsSpider()
    spider.frontier = Frontier(connect(redis_url), worker_id="test-worker")
    scheduler = FleetScheduler.from_settings(None)
    scheduler.open(spider)
    return scheduler, spider, spider.frontier


def test_unqueueable_requests_fail_loudly_and_keep_their_url(redis_server, caplog) -> None:
    scheduler, spider, frontier = _scheduler(redis_server.url)
    client = redis_server.client()
    url = "http://127.0.0.1:1/bench/uk/news/7/story-7.html"
    meta = {"triglot_kind": "article", "triglot_site": "bench", "triglot_key": "bench:7"}
    not_a_method = Request(url, callback=lambda response: None, meta=meta)
    unpicklable_meta = Request(
        url, callback=spider.parse_article, meta={**meta, "lock": threading.Lock()}
    )
    with caplog.at_level(logging.ERROR):
        assert scheduler.enqueue_request(not_a_method) is False
        assert scheduler.enqueue_request(unpicklable_meta) is False
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2 and all(f"cannot queue {url}" in e for e in errors)
    assert client.zcard(KEYS.requests) == 0
    assert not client.exists(KEYS.dupefilter(0))  # the fingerprint was not taken
    # ... each recorded as a failed fetch of the edition, for the archive
    entries = client.xrange(KEYS.items)
    failures = [decode_item(fields[b"item"]) for _, fields in entries]
    assert [type(f) for f in failures] == [FetchFailureItem, FetchFailureItem]
    assert failures[0]["url"] == url and "cannot queue" in failures[0]["error"]
    # ...and the same URL, queueable now, is queued: it was never marked seen
    assert scheduler.enqueue_request(Request(url, callback=spider.parse_article, meta=meta))


def test_every_request_the_spider_makes_survives_the_queue(tmp_path: Path, redis_server) -> None:
    from benchmarks.generate import write_profile

    write_profile(tmp_path)
    spider = FleetEditionsSpider()
    profile = load_profile("bench", [str(tmp_path)], "http://127.0.0.1:1/")
    requests = [
        spider.article_request("http://127.0.0.1:1/bench/uk/news/1/story-1.html", profile),
        spider.listing_request("http://127.0.0.1:1/bench/sitemap-uk.xml", profile, "uk", 0),
    ]
    for request in requests:
        back = decode_request(encode_request(request, spider), spider)
        assert back.url == request.url and back.meta == request.meta
        assert back.callback.__name__ == request.callback.__name__
        assert back.errback.__name__ == "on_error"


def test_the_filter_stops_a_second_fetch_per_round_and_its_memory_expires(redis_server) -> None:
    scheduler, spider, frontier = _scheduler(redis_server.url)
    client = redis_server.client()
    request = Request("http://127.0.0.1:1/a", callback=spider.parse_article)
    assert scheduler.enqueue_request(request) is True
    assert scheduler.enqueue_request(request.replace()) is False  # same round: a duplicate
    assert scheduler.enqueue_request(request.replace(dont_filter=True)) is True  # a re-check
    assert 0 < client.ttl(KEYS.dupefilter(0)) <= frontier.filter_ttl  # bounded: it expires
    client.incr(KEYS.round)  # the coordinator starts the next round
    assert scheduler.enqueue_request(request.replace()) is True
    assert client.scard(KEYS.dupefilter(1)) == 1


# ---------------------------------------------------------------------- coordinator


def test_items_a_dead_consumer_read_are_claimed_and_stored(tmp_path: Path, redis_server) -> None:
    client = redis_server.client()
    client.xgroup_create(KEYS.items, KEYS.group, id="0", mkstream=True)
    urls = [f"http://127.0.0.1:1/bench/uk/news/{i}/story-{i}.html" for i in (1, 2, 3)]
    for i, url in enumerate(urls, 1):
        client.xadd(KEYS.items, {b"item": encode_item(_edition(url, article_key=f"bench:{i}"))})
    client.xadd(KEYS.items, {b"item": b"garbage"})
    # another consumer reads everything, then dies without acknowledging
    client.xreadgroup(KEYS.group, "crashed-writer", {KEYS.items: ">"}, count=10)
    db = tmp_path / "a.db"
    coordinator = Coordinator(
        redis_server.url, str(db), Config(), exit_when_idle=0.5, claim_idle=0, echo=lambda s: None
    )
    assert coordinator.run() == exitcodes.OK
    import sqlite3

    conn = sqlite3.connect(db)
    stored = {
        r[0]
        for r in conn.execute("select url from editions e join snapshots s on s.edition_id = e.id")
    }
    assert stored == set(urls)
    assert client.xpending(KEYS.items, KEYS.group)["pending"] == 0
    assert client.xlen(KEYS.items) == 0
    assert client.xlen(KEYS.dead_letters) == 1  # the garbage, kept aside, never blocking


# ---------------------------------------------------------------------- politeness, robots


def test_two_workers_share_one_delay_per_site_and_obey_robots(
    tmp_path: Path, redis_server, make_fleet
) -> None:
    site = BenchSite(12, paragraphs=(3, 5))
    robots = b"User-agent: *\nDisallow: /bench/ru/\n"
    delay = 0.25
    with SiteServer(site, robots=robots) as server:
        fleet = make_fleet(tmp_path, redis_server.url, server.base_url)
        db = tmp_path / "fleet.db"
        coordinator = fleet.coordinator(db)
        # two requests each at a time, so neither worker can take the whole queue at once
        polite = {"TRIGLOT_FLEET_DOMAIN_DELAY": delay, "CONCURRENT_REQUESTS": 2}
        workers = [fleet.worker(settings=polite), fleet.worker(settings=polite)]
        results = [finish(w) for w in workers]
        assert finish(coordinator)[0] == 0, fleet.log_text()
        times = sorted(t for t, _ in server.requests)
        paths = [p for _, p in server.requests]
    assert all(worker_stats(out)["pages"] > 0 for _, out in results)  # both fetched
    assert not [p for p in paths if p.startswith("/bench/ru/")]  # robots.txt obeyed
    assert sum(p.startswith("/bench/") and p.endswith(".html") for p in paths) == 24
    # The fleet as a whole keeps the delay: two workers, never twice the rate. A request
    # leaves its slot a few ms late when its worker's event loop is busy, so single gaps
    # jitter; over any five requests, and over the whole crawl, the rate holds.
    assert times[-1] - times[0] >= (len(times) - 1) * delay * 0.95
    windows = [b - a for a, b in zip(times, times[4:], strict=False)]
    assert min(windows) >= 4 * delay * 0.8, sorted(windows)[:3]


# ---------------------------------------------------------------------- the operator's view


def test_redis_unreachable_is_one_line_and_a_documented_exit_code(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    for command in (["coordinator", "--db", str(tmp_path / "a.db")], ["worker"]):
        done = subprocess.run(
            [TRIGLOT, *command, "--redis", url], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == exitcodes.REDIS_UNAVAILABLE == 8, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert lines[0].startswith(f"triglot {command[0]}: cannot reach Redis at {url}")


def test_sigterm_stops_a_waiting_coordinator_and_worker_cleanly(
    tmp_path: Path, redis_server, make_fleet
) -> None:
    site = BenchSite(2, paragraphs=(3, 4))
    with SiteServer(site) as server:
        fleet = make_fleet(tmp_path, redis_server.url, server.base_url)
        db = tmp_path / "fleet.db"
        coordinator = fleet.coordinator(db, idle=3600)
        worker = fleet.worker(idle=3600)
        wait_for(lambda: server.counts["pages"] == 6, what="the small crawl")
        wait_for(lambda: db.exists() and _runs(db) == 1, what="the round to finish")
        for process in (worker, coordinator):
            process.send_signal(signal.SIGTERM)
        code, out = finish(worker, timeout=60)
        assert code == 0 and worker_stats(out)["finish_reason"] == "shutdown", fleet.log_text()
        assert finish(coordinator, timeout=60)[0] == 0, fleet.log_text()
    assert not redis_server.client().exists(KEYS.alive(worker_stats(out)["worker"]))


def _runs(db: Path) -> int:
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        return conn.execute("select count(*) from runs").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_the_single_process_path_never_imports_redis() -> None:
    """`triglot run` and `make demo` need no Redis: redis stays an optional import."""
    code = (
        "import sys, triglot.cli, triglot.runstage, triglot.crawlstage, triglot.demo, "
        "crawler.runner, crawler.pipelines, crawler.spiders.editions; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('redis', 'scrapy_redis')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_worker_processes_share_the_crawl_and_stop_together(
    tmp_path: Path, redis_server, make_fleet
) -> None:
    site = BenchSite(10, paragraphs=(3, 4))
    with SiteServer(site) as server:
        fleet = make_fleet(tmp_path, redis_server.url, server.base_url)
        coordinator = fleet.coordinator(tmp_path / "fleet.db")
        code, out = finish(fleet.worker("--processes", "2"))
        assert code == 0, fleet.log_text()
        stats = [json.loads(line) for line in out.strip().splitlines()]
        assert len({s["worker"] for s in stats}) == 2
        assert sum(s["pages"] for s in stats) == 30 == server.counts["pages"]
        assert finish(coordinator)[0] == 0, fleet.log_text()
        # SIGTERM to the command reaches both processes; each stops cleanly
        waiting = fleet.worker("--processes", "2", idle=3600)
        wait_for(lambda: len(list(redis_server.client().scan_iter("triglot:alive:*"))) == 2)
        waiting.send_signal(signal.SIGTERM)
        code, out = finish(waiting, timeout=60)
        assert code == 0, out + fleet.log_text()
    assert [json.loads(line)["finish_reason"] for line in out.strip().splitlines()] == [
        "shutdown",
        "shutdown",
    ]
