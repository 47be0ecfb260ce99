"""`triglot coordinator`: the archive side of a fleet — scheduler, single writer, diff, alerts.

A round is what one `triglot run` does, spread over the workers: queue the sites' start
URLs, the asked-for URLs and every due edition (with its ETag / Last-Modified, and
dont_filter, so the duplicate filter never swallows a re-check), drain the items the
workers put on the stream into the archive, and once the fleet is idle, reschedule, diff
and alert. The schedule stays in the archive; Redis holds only work in progress.

Draining is at-least-once and storing idempotent: items are read with XREADGROUP,
stored in one archive transaction per batch, and XACKed (then deleted) only after the
commit. A coordinator killed in between finds its unacknowledged items in its pending
list when it restarts; an item already stored (a check of that edition at that moment
exists) is acknowledged without a second write, and save_edition adds no snapshot for
content it already has. Entries another consumer left pending are taken over with
XAUTOCLAIM.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import archive
from archive import clock, read, runs
from archive.schedule import due_edition_urls, reschedule
from triglot import exitcodes
from triglot.config import Config

log = logging.getLogger("triglot.coordinator")

CONSUMER = "coordinator"
SETTLE_SECONDS = 5.0  # the fleet idle this long ends a round
DEAD_LETTERS_KEPT = 10_000  # undecodable / unstorable entries kept for inspection


@dataclass
class RoundNumbers:
    round_id: int = 0
    started: str = ""
    queued: int = 0
    due: int = 0
    stored: int = 0
    redelivered: int = 0
    store_errors: int = 0
    undecodable: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class Coordinator:
    """One long-running archive writer; see the module docstring."""

    def __init__(
        self,
        redis_url: str,
        db_path: str,
        config: Config,
        *,
        sites: list[str] | None = None,
        urls: list[str] | None = None,
        profile_dirs: list[str] | None = None,
        base_urls: dict[str, str] | None = None,
        exit_when_idle: float | None = None,
        interval: float = 900.0,
        batch: int = 200,
        claim_idle: float = 60.0,
        to_file: str | None = None,
        echo: Callable[[str], Any] = print,
    ) -> None:
        self.redis_url = redis_url
        self.db_path = db_path
        self.config = config
        self.urls = list(urls or [])
        self.sites = list(sites or []) if (sites or urls) else list(config.crawl.sites)
        self.profile_dirs = [*config.crawl.profile_dirs, *(profile_dirs or [])]
        self.base_urls = {**config.base_urls, **(base_urls or {})}
        self.exit_when_idle = exit_when_idle
        self.interval = interval
        self.batch = batch
        self.claim_idle_ms = int(claim_idle * 1000)
        self.to_file = to_file
        self.echo = echo
        self.stopping = False
        self.errors = 0
        self.round = RoundNumbers()
        self.captures: Any = None

    # ------------------------------------------------------------------ main loop

    def run(self) -> int:
        """Until SIGTERM (or idle for exit_when_idle seconds); returns the exit code.

        Raises RedisUnavailable when Redis cannot be reached at start.
        """
        import redis

        from crawler.fleet.frontier import Frontier
        from crawler.fleet.redisconn import connect

        self.server = connect(self.redis_url)
        self.frontier = Frontier(self.server, worker_id=CONSUMER)
        self.keys = self.frontier.keys
        self._ensure_group()
        self.db = archive.open_db(self.db_path)
        self.captures = self._open_captures()
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            return self._loop(redis)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if self.captures is not None:
                self.captures.close()
            self.db.close()

    def _open_captures(self) -> Any:
        """The WARC writer beside the archive, as the pipeline has it (None when off)."""
        from archive.captures import CaptureStore, default_folder

        warc = self.config.warc
        if not warc.enabled:
            return None
        folder = warc.dir or default_folder(self.db_path)
        limit = int(warc.max_size_mb * 1_000_000)
        return CaptureStore(folder, self.db_path, max_bytes=limit).open()

    def _stop(self, signum: int, frame: Any) -> None:
        log.info("signal %d: stopping after the current batch", signum)
        self.stopping = True

    def _loop(self, redis: Any) -> int:
        state = self._round_state()
        open_round = state.get("status") == "open"
        if open_round:  # a coordinator died mid-round: its work is still in Redis
            self.round = RoundNumbers(int(state["id"]), state["started"])
            log.info("resuming round %s", state["id"])
        next_round = time.monotonic()
        idle_since: float | None = None
        settle = SETTLE_SECONDS
        if self.exit_when_idle is not None:
            settle = min(settle, self.exit_when_idle)
        own_pending = True  # first read our own pending list: a restart after a crash
        while not self.stopping:
            try:
                if not open_round and time.monotonic() >= next_round:
                    self._start_round()
                    open_round, next_round = True, time.monotonic() + self.interval
                    idle_since = None
                drained = self._drain(own_pending)
                own_pending = False
                drained += self._autoclaim()
                self.frontier.requeue_dead()
                idle = not drained and self.frontier.idle() and self._stream_empty()
            except redis.RedisError as error:
                log.warning("Redis unavailable (%s); retrying", error)
                own_pending, idle = True, False
                time.sleep(1.0)
                continue
            except Exception as error:
                from crawler.pipelines import is_fatal_storage_error

                if not is_fatal_storage_error(error):
                    raise
                log.error("archive %s cannot be written: %s", self.db_path, error)
                return exitcodes.NOTHING_DONE
            now = time.monotonic()
            idle_since = (idle_since or now) if idle else None
            if open_round and idle_since is not None and now - idle_since >= settle:
                self._finish_round()
                open_round = False
            if (
                not open_round
                and self.exit_when_idle is not None
                and idle_since is not None
                and now - idle_since >= self.exit_when_idle
            ):
                break
            if not open_round and idle:
                time.sleep(min(1.0, max(0.0, next_round - now)))
        return exitcodes.PARTIAL if self.errors else exitcodes.OK

    # ------------------------------------------------------------------ rounds

    def _round_state(self) -> dict[str, str]:
        raw = self.server.hgetall(self.keys.round + ":state")
        return {k.decode(): v.decode() for k, v in raw.items()}

    def _start_round(self) -> None:
        started = clock.now()
        round_id = int(self.server.incr(self.keys.round))
        self.round = RoundNumbers(round_id, started)
        due = due_edition_urls(self.db, started, horizon_days=self.config.schedule.horizon_days)
        queued = self._queue(due)
        self.round.queued, self.round.due = queued, len(due)
        self.server.hset(
            self.keys.round + ":state",
            mapping={"id": round_id, "started": started, "status": "open"},
        )
        log.info("round %d: %d requests queued (%d due editions)", round_id, queued, len(due))

    def _queue(self, due: list[str]) -> int:
        """Start URLs, asked-for URLs and due editions onto the shared queue."""
        from crawler.fleet.frontier import RoundDupeFilter, encode_request
        from crawler.fleet.spider import FleetEditionsSpider
        from crawler.runner import build_settings

        urls = [*self.urls, *(u for u in due if u not in self.urls)]
        if not self.sites and not urls:
            return 0
        spider = FleetEditionsSpider(
            site=self.sites, url=urls, profile_dir=self.profile_dirs, base_url=self.base_urls
        )
        spider.configure(build_settings(self.db_path))
        validators = self._validators(urls)
        fingerprints = RoundDupeFilter(self.server, key="")
        count = 0
        pipe = self.server.pipeline(transaction=False)
        for request in spider.initial_requests():
            headers = {}
            etag, last_modified = validators.get(request.url, (None, None))
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            if headers:
                request.headers.update(headers)
            request = request.replace(dont_filter=True)  # a re-check is never "seen"
            if request.meta.get("triglot_kind") == "article":
                # ...but its siblings, found again on its page, are for this round
                self.frontier.mark_seen(fingerprints.request_fingerprint(request))
            pipe.zadd(self.keys.requests, {encode_request(request, spider): -request.priority})
            count += 1
        pipe.execute()
        return count

    def _validators(self, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
        return read.editions_validators(self.db, urls)

    def _finish_round(self) -> None:
        """What `triglot run` does after its crawl: reschedule, diff, alert, one line."""
        from triglot.alerts import run_alerts
        from triglot.diffstage import run_diff

        started = self.round.started
        finished = clock.now()
        reschedule(
            self.db,
            finished,
            checked_since=started,
            steps=self.config.schedule.steps,
            horizon_days=self.config.schedule.horizon_days,
        )
        diff = run_diff(self.db)
        errors = diff.errors
        try:
            alerts = run_alerts(self.db, self.config, to_file=self.to_file, echo=log.info)
            sent, pending = alerts.sent, alerts.pending + alerts.failed
        except Exception:
            log.exception("alert stage failed")
            sent, pending, errors = 0, 1, errors + 1
        self.errors += errors + self.round.store_errors
        activity = runs.activity_since(self.db, started)
        numbers = {
            "articles_checked": activity["articles_checked"],
            "pages": activity["pages"],
            "new_snapshots": activity["new_snapshots"],
            "fetch_errors": activity["fetch_errors"],
            "new_divergences": diff.language_divergences_new + diff.version_divergences_new,
            "emails_sent": sent,
            "errors": errors + self.round.store_errors,
        }
        code = exitcodes.PARTIAL if numbers["errors"] or pending else exitcodes.OK
        summary = f"round {self.round.round_id}: " + ", ".join(
            f"{k.replace('_', ' ')} {v}" for k, v in numbers.items()
        )
        run_id = runs.start_run(self.db, command="coordinator", now=started)
        runs.finish_run(
            self.db, run_id, exit_code=code, summary=summary, numbers=numbers, now=clock.now()
        )
        self.server.hset(
            self.keys.round + ":state", mapping={"status": "closed", "finished": finished}
        )
        self.echo(summary)

    # ------------------------------------------------------------------ draining

    def _ensure_group(self) -> None:
        import redis

        try:
            self.server.xgroup_create(self.keys.items, self.keys.group, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    def _stream_empty(self) -> bool:
        return int(self.server.xlen(self.keys.items)) == 0

    def _drain(self, own_pending: bool) -> int:
        """One batch from the stream (our pending list first after a restart)."""
        response = self.server.xreadgroup(
            self.keys.group,
            CONSUMER,
            {self.keys.items: "0" if own_pending else ">"},
            count=self.batch,
            block=None if own_pending else 500,
        )
        entries = response[0][1] if response else []
        if own_pending and len(entries) == self.batch:
            return self._store_batch(entries, redelivered=True) + self._drain(True)
        return self._store_batch(entries, redelivered=own_pending)

    def _autoclaim(self) -> int:
        """Entries another consumer read and never acknowledged, idle past claim_idle."""
        result = self.server.xautoclaim(
            self.keys.items,
            self.keys.group,
            CONSUMER,
            min_idle_time=self.claim_idle_ms,
            start_id="0-0",
            count=self.batch,
        )
        return self._store_batch(result[1], redelivered=True)

    def _store_batch(self, entries: list[Any], *, redelivered: bool = False) -> int:
        """Store a batch in one transaction, then XACK and delete it. Returns items read.

        Only a redelivered entry (read before, by us or a dead consumer) can already be in
        the archive; a first delivery skips that lookup.
        """
        from crawler.fleet.codec import CodecError, decode_item
        from crawler.pipelines import store_items

        ids = [entry_id for entry_id, _ in entries]
        if not ids:
            return 0
        entries = [(entry_id, fields) for entry_id, fields in entries if fields]
        dead: list[tuple[bytes, bytes, str]] = []
        todo: list[tuple[bytes, bytes, Any]] = []
        for entry_id, fields in entries:
            data = fields.get(b"item", b"")
            try:
                item = decode_item(data)
            except CodecError as error:
                log.error("stream entry %s: %s", entry_id.decode(), error)
                self.round.undecodable += 1
                dead.append((entry_id, data, str(error)))
                continue
            if redelivered and _already_stored(self.db, item):
                self.round.redelivered += 1
                continue
            todo.append((entry_id, data, item))
        # the pipeline's own store path: one transaction, a savepoint per item, the batch's
        # captures fsync'ed before the commit; an unwritable archive raises (nothing acked)
        results = store_items(self.db, [item for _, _, item in todo], self.captures)
        for (entry_id, data, item), result in zip(todo, results, strict=True):
            if isinstance(result, BaseException):
                log.error("could not store %s: %s", item.get("url"), result)
                self.round.store_errors += 1
                dead.append((entry_id, data, repr(result)[:500]))
            else:
                self.round.stored += 1
        pipe = self.server.pipeline(transaction=True)
        for entry_id, data, error in dead:
            pipe.xadd(
                self.keys.dead_letters,
                {b"item": data, b"error": error, b"id": entry_id},
                maxlen=DEAD_LETTERS_KEPT,
                approximate=True,
            )
        pipe.xack(self.keys.items, self.keys.group, *ids)
        pipe.xdel(self.keys.items, *ids)
        pipe.execute()
        return len(entries)


def _already_stored(db: Any, item: Any) -> bool:
    """A redelivered item: its edition already has a check at the item's fetch moment."""
    url, moment = item.get("url"), item.get("fetched_at")
    if not url or not moment:
        return False
    return read.checked_at(db, url, moment)
