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


def test_two_workers_archive_equals_a_single_process_crawl(tmp_path: Path, redis_server) -> None:
    site = BenchSite(300, paragraphs=(4, 8))
    with SiteServer(site) as server:
        fleet = Fleet(tmp_path, redis_server.url, server.base_url)
        single = tmp_path / "single.db"
        common.crawl_site(
            single, server.base_url, profile_dir=fleet.profile_dir, settings=FAST
        )
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
