"""Scale-out: fleet crawl speed, the single writer's ceiling, Redis memory per request.

1. Pages per second of the generated site (N articles x 3 editions, no politeness delay)
   crawled by one process (`python -m crawler.runner`, the baseline), then by the fleet
   (`triglot coordinator` + 1 and 2 `triglot worker`s on a real redis-server), each from
   its start until every edition is in the archive.
2. The writer's sustained items per second: edition items queued on the stream and
   drained by the coordinator into an archive of 100,000 articles, against the Scrapy
   pipeline's store path (one transaction per item) into a copy of the same archive.
3. Redis memory per queued request and per duplicate-filter fingerprint (MEMORY USAGE of
   the keys, and INFO used_memory before and after).

    python benchmarks/bench_fleet.py [--quick | --smoke]
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common  # noqa: E402
from benchmarks.generate import BenchSite, generate_archive, write_profile  # noqa: E402
from benchmarks.siteserver import SiteServer  # noqa: E402

SIZES = {
    "full": {"articles": 500, "archive": 100_000, "items": 3000, "requests": 20_000},
    "quick": {"articles": 200, "archive": 20_000, "items": 1500, "requests": 10_000},
    "smoke": {"articles": 10, "archive": 300, "items": 60, "requests": 500},
}
TRIGLOT = str(Path(sys.executable).parent / "triglot")
FLEET_CRAWL = {**common.FAST_CRAWL, "TRIGLOT_EXTRACT_WORKERS": 0}


class Redis:
    """A throwaway redis-server on a free loopback port (no persistence: speed only)."""

    def __init__(self, work: Path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        argv = [shutil.which("redis-server") or "/usr/bin/redis-server", "--port",
                str(self.port), "--bind", "127.0.0.1", "--dir", str(work), "--save", "",
                "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        import redis

        self.client = redis.Redis.from_url(self.url)
        for _ in range(200):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _snapshots(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("select count(*) from snapshots").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def fleet_crawl(work: Path, site: BenchSite, base_url: str, profile_dir: Path, n: int) -> dict:
    """Coordinator + n workers from a clean Redis; seconds until every edition is stored."""
    redis = Redis(work)
    db = work / f"fleet{n}.db"
    site_args = ["--profile-dir", str(profile_dir), "--base-url", f"bench={base_url}/"]
    sets = [arg for k, v in FLEET_CRAWL.items() for arg in ("--set", f"{k}={json.dumps(v)}")]
    expected = 3 * site.n_articles
    started = time.perf_counter()
    coordinator = subprocess.Popen(
        [TRIGLOT, "coordinator", "--redis", redis.url, "--db", str(db), "--site", "bench",
         *site_args, "--exit-when-idle", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [TRIGLOT, "worker", "--redis", redis.url, *site_args, *sets, "--exit-when-idle", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip
        for _ in range(n)
    ]
    try:
        while _snapshots(db) < expected:
            if coordinator.poll() is not None:
                raise RuntimeError(f"coordinator exited {coordinator.returncode}")
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        pages = []
        for worker in workers:
            out, _ = worker.communicate(timeout=120)
            pages.append(json.loads(out.strip().splitlines()[-1])["pages"])
        coordinator.communicate(timeout=120)
    finally:
        for process in (coordinator, *workers):
            if process.poll() is None:
                process.kill()
        redis.stop()
    return {"seconds": seconds, "pages": sum(pages), "per_worker": pages,
            "pages_per_s": sum(pages) / seconds}  # fmt: skip


def crawl_speed(cfg: dict, work: Path) -> dict:
    site = BenchSite(cfg["articles"])
    profile_dir = write_profile(work / "profiles").parent
    with SiteServer(site) as server:
        common.progress(f"single-process crawl of {cfg['articles']} x 3")
        single = common.crawl_site(
            work / "single.db", server.base_url, profile_dir=profile_dir, settings=FLEET_CRAWL
        )
        pages = single.json()["pages"]
        results = {"single": {"seconds": single.wall_seconds, "pages": pages,
                              "pages_per_s": pages / single.wall_seconds}}  # fmt: skip
        for n in (1, 2):
            common.progress(f"fleet crawl, {n} worker(s)")
            results[f"workers_{n}"] = fleet_crawl(work, site, server.base_url, profile_dir, n)
    base = results["single"]["pages_per_s"]
    common.print_table(
        f"Fleet crawl: {3 * cfg['articles']} pages, no politeness delay, {os.cpu_count()} cores",
        ["crawl", "pages", "seconds", "pages/s", "vs single process"],
        [
            [name, r["pages"], r["seconds"], r["pages_per_s"], common.ratio(r["pages_per_s"], base)]
            for name, r in results.items()
        ],
    )
    return results


def _items(n: int) -> list[Any]:
    from crawler.items import EditionItem

    site = BenchSite(n // 3 + 1, seed=7)
    site.base_url = "http://127.0.0.1:9"
    items = []
    for article in site.article_ids():
        for lang in ("uk", "en", "ru"):
            title, paragraphs = site.gold(article, lang)
            url = site.url(article, lang)
            items.append(
                EditionItem(
                    site="bench",
                    url=url,
                    requested_url=url,
                    status=200,
                    lang=lang,
                    lang_declared=lang,
                    title=title,
                    paragraphs=paragraphs,
                    alternates={o: site.url(article, o) for o in ("uk", "en", "ru") if o != lang},
                    article_key=f"bench:{article}",
                    fetched_at="2026-06-01T00:00:00+00:00",
                    extraction="profile",
                )  # fmt: skip
            )
    return items[:n]


def writer_speed(cfg: dict, work: Path) -> dict:
    """Items per second into a large archive: the coordinator's batches vs the pipeline's."""
    import archive
    from archive import clock
    from crawler.fleet.codec import encode_item
    from crawler.fleet.redisconn import KEYS
    from crawler.pipelines import store_item
    from triglot.config import Config
    from triglot.coordinator import Coordinator, RoundNumbers

    class DrainOnly(Coordinator):
        """The writer alone: no round is queued, and the diff stage (its own benchmark)
        does not run; the clock stops when the last batch is acknowledged."""

        def _start_round(self) -> None:
            self.round = RoundNumbers(0, clock.now())

        def _finish_round(self) -> None:
            pass

        def _store_batch(self, entries: list, **kwargs: Any) -> int:
            stored = super()._store_batch(entries, **kwargs)
            if stored:
                self.drained_at = time.perf_counter()
            return stored

    common.progress(f"generating an archive of {cfg['archive']:,} articles")
    big = work / "big.db"
    generate_archive(big, cfg["archive"])
    items = _items(cfg["items"])

    pipeline_db = work / "pipeline.db"
    shutil.copy(big, pipeline_db)
    db = archive.open_db(pipeline_db)
    started = time.perf_counter()
    for item in items:  # ArchivePipeline: one transaction per item
        store_item(db, item, None)
    pipeline_seconds = time.perf_counter() - started
    db.close()

    redis = Redis(work)
    try:
        redis.client.xgroup_create(KEYS.items, KEYS.group, id="0", mkstream=True)
        pipe = redis.client.pipeline(transaction=False)
        for item in items:
            pipe.xadd(KEYS.items, {b"item": encode_item(item)})
        pipe.execute()
        coordinator = DrainOnly(
            redis.url, str(big), Config(), exit_when_idle=0.0, echo=lambda line: None
        )
        started = time.perf_counter()
        coordinator.run()
        writer_seconds = coordinator.drained_at - started
    finally:
        redis.stop()
    stored = _snapshots(big) - _snapshots(pipeline_db) + len(items)
    results = {
        "archive_articles": cfg["archive"],
        "items": len(items),
        "stored": stored,
        "coordinator_items_per_s": len(items) / writer_seconds,
        "pipeline_items_per_s": len(items) / pipeline_seconds,
    }
    common.print_table(
        f"Single writer into an archive of {cfg['archive']:,} articles ({len(items)} editions)",
        ["writer", "items/s", "vs pipeline"],
        [
            ["Scrapy pipeline path (1 transaction/item)", results["pipeline_items_per_s"], 1.0],
            [
                "coordinator (stream, batches of 200, XACK after commit)",
                results["coordinator_items_per_s"],
                common.ratio(results["coordinator_items_per_s"], results["pipeline_items_per_s"]),
            ],
        ],
    )
    return results


def redis_memory(cfg: dict, work: Path) -> dict:
    """Bytes per queued request and per fingerprint, as Redis counts them."""
    from crawler.fleet.frontier import Frontier, RoundDupeFilter, encode_request
    from crawler.fleet.redisconn import KEYS
    from crawler.fleet.spider import FleetEditionsSpider
    from crawler.profiles import load_profile

    n = cfg["requests"]
    spider = FleetEditionsSpider()
    profile = load_profile("bench", [str(write_profile(work / "profiles").parent)],
                           "http://news.example.test/")  # fmt: skip
    redis = Redis(work)
    try:
        frontier = Frontier(redis.client, worker_id="bench")
        fingerprints = RoundDupeFilter(redis.client, key="")
        before = redis.client.info("memory")["used_memory"]
        pipe = redis.client.pipeline(transaction=False)
        for i in range(n):
            url = f"http://news.example.test/bench/uk/news/{i}/story-{i}.html"
            request = spider.article_request(url, profile)
            pipe.zadd(KEYS.requests, {encode_request(request, spider): -request.priority})
        pipe.execute()
        queued = redis.client.info("memory")["used_memory"]
        for i in range(n):
            url = f"http://news.example.test/bench/uk/news/{i}/story-{i}.html"
            frontier.mark_seen(
                fingerprints.request_fingerprint(spider.article_request(url, profile))
            )
        seen = redis.client.info("memory")["used_memory"]
        results = {
            "requests": n,
            "bytes_per_request_info": (queued - before) / n,
            "bytes_per_request_usage": redis.client.memory_usage(KEYS.requests, samples=0) / n,
            "bytes_per_fingerprint_info": (seen - queued) / n,
            "bytes_per_fingerprint_usage": redis.client.memory_usage(KEYS.dupefilter(0),
                                                                     samples=0) / n,
        }  # fmt: skip
    finally:
        redis.stop()
    common.print_table(
        f"Redis memory ({n:,} article requests, {n:,} fingerprints)",
        ["what", "bytes each (MEMORY USAGE)", "bytes each (INFO used_memory)"],
        [
            ["queued request (pickled, in the sorted set)",
             results["bytes_per_request_usage"], results["bytes_per_request_info"]],
            ["fingerprint (sha1 hex, in the round's set)",
             results["bytes_per_fingerprint_usage"], results["bytes_per_fingerprint_info"]],
        ],
    )  # fmt: skip
    per_million = results["bytes_per_request_usage"] * 1e6 / 2**20
    common.note(f"a frontier of a million queued requests takes about {per_million:,.0f} MiB")
    return results


def run(size: str = "full") -> dict:
    cfg = SIZES[size]
    with tempfile.TemporaryDirectory(prefix="triglot-fleet-") as tmp:
        work = Path(tmp)
        return {
            "size": size,
            "crawl": crawl_speed(cfg, work),
            "writer": writer_speed(cfg, work),
            "redis_memory": redis_memory(cfg, work),
            "machine": common.machine(),
        }


def main(argv: list[str] | None = None) -> int:
    return common.sized_main(__doc__, "fleet.json", run, argv)


if __name__ == "__main__":
    sys.exit(main())
