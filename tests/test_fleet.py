"""Scale-out end to end: `triglot coordinator` and `triglot worker` processes on a real
redis-server crawl a generated site; the archive must equal a single-process crawl's, and
survive the failures a fleet meets (a worker or the coordinator killed, Redis restarted)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fleet import FAST, Fleet, archive_view, count, finish, kill9, wait_for, worker_stats

from benchmarks import common
from benchmarks.generate import BenchSite
from benchmarks.siteserver import SiteServer

SNAPSHOTS_PER_EDITION = (
    "select count(*) from (select edition_id from snapshots group by edition_id "
    "having count(*) > 1)"
)


def _later(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0).isoformat()


def test_two_workers_archive_equals_a_single_process_crawl(
    tmp_path: Path, redis_server, make_fleet
) -> None:
    site = BenchSite(300, paragraphs=(4, 8))
    with SiteServer(site) as server:
        fleet = make_fleet(tmp_path, redis_server.url, server.base_url)
        single = tmp_path / "single.db"
        common.crawl_site(single, server.base_url, profile_dir=fleet.profile_dir, settings=FAST)
        server.reset_counts()

        db = tmp_path / "fleet.db"
        coordinator = fleet.coordinator(db)
        workers = [fleet.worker(), fleet.worker()]
        results = [finish(w) for w in workers]
        code, out = finish(coordinator)
        assert code == 0, fleet.log_text()
        assert all(c == 0 for c, _ in results), fleet.log_text()
        pages = [worker_stats(o)["pages"] for _, o in results]
        assert all(p > 0 for p in pages), pages  # both workers fetched
        assert sum(pages) == 900 == server.counts["pages"]  # nothing fetched twice
        assert "round 1:" in out and "new snapshots 900" in out

        assert count(db, "select count(*) from snapshots") == 900
        assert count(db, SNAPSHOTS_PER_EDITION) == 0
        assert archive_view(db) == archive_view(single)
        # the raw captures came through Redis and went into the WARC files, as in one process
        captured = "select count(*) from snapshots where capture_file is not null"
        assert count(db, captured) == 900 == count(single, captured)
        assert list((tmp_path / "fleet-warc").glob("*.warc.gz"))
        assert count(db, "select count(*) from runs where command = 'coordinator'") == 1

        # A second round an hour later: every edition is due, nothing changed on the site.
        before = {t: count(db, f"select count(*) from {t}") for t in ("snapshots", "paragraphs")}
        checks = count(db, "select count(*) from checks")
        server.reset_counts()
        later = {"TRIGLOT_NOW": _later(1)}
        coordinator = fleet.coordinator(db, env=later)
        workers = [fleet.worker(env=later), fleet.worker(env=later)]
        assert all(finish(w)[0] == 0 for w in workers), fleet.log_text()
        assert finish(coordinator)[0] == 0, fleet.log_text()
        after = {t: count(db, f"select count(*) from {t}") for t in ("snapshots", "paragraphs")}
        assert after == before
        assert count(db, "select count(*) from checks") == checks + 900
        assert count(db, "select count(*) from checks where outcome = 'not_modified'") == 900
        assert server.counts["304"] == 900 and server.counts["pages"] == 0
        conn = sqlite3.connect(db)
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def _small(make_fleet, tmp_path: Path, redis_server, server: SiteServer) -> Fleet:
    return make_fleet(tmp_path, redis_server.url, server.base_url)


SLOW = {"TRIGLOT_FLEET_DOMAIN_DELAY": 0.025}  # ~3 s for 120 pages: time to break things


def _assert_complete(db: Path, site: BenchSite) -> None:
    """Every edition of the site stored exactly once, and the file sound."""
    urls = set(site.edition_urls())
    stored = {url for url, _ in archive_view(db)["snapshots"]}
    assert stored == urls, sorted(urls - stored)[:5]
    assert count(db, "select count(*) from snapshots") == len(urls)
    assert count(db, SNAPSHOTS_PER_EDITION) == 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path: Path, redis_server, make_fleet) -> None:
    site = BenchSite(40, paragraphs=(4, 8))
    with SiteServer(site) as server:
        fleet = _small(make_fleet, tmp_path, redis_server, server)
        db = tmp_path / "fleet.db"
        coordinator = fleet.coordinator(db, idle=4)
        # a short heartbeat, so the dead worker's leases come back soon
        quick_death = {**SLOW, "TRIGLOT_FLEET_HEARTBEAT_TTL": 3}
        doomed = fleet.worker(settings=quick_death, idle=4)
        survivor = fleet.worker(settings=quick_death, idle=4)
        client = redis_server.client()
        # kill it while it holds leases (requests it popped and has not finished)
        wait_for(
            lambda: (
                server.counts["pages"] >= 30
                and any(
                    f"-{doomed.pid}-" in key.decode() and client.hlen(key)
                    for key in client.scan_iter(match="triglot:inflight:*")
                )
            ),
            what="the doomed worker to hold leases",
        )
        kill9(doomed)
        code, out = finish(survivor)
        assert code == 0 and worker_stats(out)["pages"] > 0, fleet.log_text()
        assert finish(coordinator)[0] == 0, fleet.log_text()
        assert "requests requeued" in fleet.log_text()
    _assert_complete(db, site)
    assert count(db, "select count(*) from checks where outcome = 'error'") == 0


def test_coordinator_killed_mid_drain_stores_pending_items_once(
    tmp_path: Path, redis_server, make_fleet
) -> None:
    site = BenchSite(40, paragraphs=(4, 8))
    client = redis_server.client()
    with SiteServer(site) as server:
        fleet = _small(make_fleet, tmp_path, redis_server, server)
        db = tmp_path / "fleet.db"
        first = fleet.coordinator(db)
        wait_for(lambda: client.zcard("triglot:requests") > 0, what="the round to be queued")
        kill9(first)  # the round is queued; nobody drains
        workers = [fleet.worker(), fleet.worker()]
        assert all(finish(w)[0] == 0 for w in workers), fleet.log_text()
        assert client.xlen("triglot:items") == 120

        second = fleet.coordinator(db, "--batch", "5")
        wait_for(lambda: db.exists() and _snapshots(db) >= 30, what="the drain to start")
        kill9(second)  # mid-drain: some batches stored, one maybe stored but not acked
        assert client.xlen("triglot:items") > 0
        assert client.xpending("triglot:items", "archive")["pending"] <= 5

        code, out = finish(fleet.coordinator(db))
        assert code == 0, fleet.log_text()
        assert "round 1:" in out  # the interrupted round resumed, not a new one queued
    _assert_complete(db, site)
    assert count(db, "select count(*) from checks") == 120  # no item applied twice
    assert client.xlen("triglot:items") == 0
    assert client.xpending("triglot:items", "archive")["pending"] == 0


def _snapshots(db: Path) -> int:
    try:
        return count(db, "select count(*) from snapshots")
    except sqlite3.Error:
        return 0


def test_redis_restarted_mid_crawl_the_crawl_resumes(
    tmp_path: Path, redis_server, make_fleet
) -> None:
    site = BenchSite(40, paragraphs=(4, 8))
    with SiteServer(site) as server:
        fleet = _small(make_fleet, tmp_path, redis_server, server)
        db = tmp_path / "fleet.db"
        coordinator = fleet.coordinator(db, idle=4)
        workers = [fleet.worker(settings=SLOW, idle=4), fleet.worker(settings=SLOW, idle=4)]
        wait_for(lambda: server.counts["pages"] >= 30, what="the crawl to be under way")
        redis_server.restart(down_seconds=1.0)  # SIGTERM: Redis writes its AOF, then back
        results = [finish(w) for w in workers]
        assert all(code == 0 for code, _ in results), fleet.log_text()
        assert finish(coordinator)[0] == 0, fleet.log_text()
    _assert_complete(db, site)
