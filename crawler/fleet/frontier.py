"""The shared frontier on scrapy-redis: a priority queue whose pops are leases, a
per-round duplicate filter, and the scheduler that guards serialisation.

Nothing is lost between the queue and the archive. A worker's pop moves the request
atomically into that worker's lease hash; the lease is released only after everything the
request produced (items onto the item stream, follow-up requests onto the queue) is in
Redis. A worker that dies (kill -9, a lost machine) stops refreshing its heartbeat, and
the coordinator puts its leases back on the queue. At every moment a piece of work is
visible in the queue, a lease or the stream, so "the fleet is idle" is a Redis question.

The duplicate filter keeps one crawl from fetching a page twice. Its fingerprints belong to
the coordinator's current round and expire, so memory stays bounded and the next round's
re-checks are not swallowed; due re-checks are queued with dont_filter anyway.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any

import redis
from scrapy import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.fleet.codec import DEFAULT_MAX_BYTES, encode_capped
from crawler.fleet.redisconn import KEYS, Keys, connect
from crawler.items import FetchFailureItem

logger = logging.getLogger(__name__)

LEASE_META = "triglot_lease"
DEFAULT_FILTER_TTL = 2 * 24 * 3600  # a round's fingerprints outlive any sane round
DEFAULT_HEARTBEAT_TTL = 30.0  # seconds without a heartbeat before a worker counts as dead

# Pop the best request and lease it to this worker in one step: never in neither place.
_POP_AND_LEASE = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local field = ARGV[1] .. ':' .. r[2]
redis.call('HSET', KEYS[2], field, r[1])
return {field, r[1]}
"""

# SADD into the current round's fingerprint set, and keep that set expiring.
_SEEN = """
local round = redis.call('GET', KEYS[1]) or '0'
local key = ARGV[2] .. round
local added = redis.call('SADD', key, ARGV[1])
redis.call('EXPIRE', key, ARGV[3])
return added
"""


def new_worker_id() -> str:
    """Unique per process, readable in Redis: host, pid and a random tail."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Frontier:
    """The fleet's Redis state, as one worker (or the coordinator) sees it."""

    def __init__(
        self,
        server: redis.Redis,
        *,
        worker_id: str | None = None,
        keys: Keys = KEYS,
        max_item_bytes: int = DEFAULT_MAX_BYTES,
        filter_ttl: int = DEFAULT_FILTER_TTL,
        heartbeat_ttl: float = DEFAULT_HEARTBEAT_TTL,
    ) -> None:
        self.server = server
        self.keys = keys
        self.worker_id = worker_id or new_worker_id()
        self.max_item_bytes = max_item_bytes
        self.filter_ttl = filter_ttl
        self.heartbeat_ttl = heartbeat_ttl
        self.retired = False
        self._pop = server.register_script(_POP_AND_LEASE)
        self._seen = server.register_script(_SEEN)

    @classmethod
    def from_settings(cls, settings: Any, worker_id: str | None = None) -> Frontier:
        return cls(
            connect(settings.get("TRIGLOT_REDIS_URL")),
            worker_id=worker_id,
            max_item_bytes=settings.getint("TRIGLOT_FLEET_MAX_ITEM_BYTES", DEFAULT_MAX_BYTES),
            filter_ttl=settings.getint("TRIGLOT_FLEET_FILTER_TTL", DEFAULT_FILTER_TTL),
            heartbeat_ttl=settings.getfloat("TRIGLOT_FLEET_HEARTBEAT_TTL", DEFAULT_HEARTBEAT_TTL),
        )

    # ----------------------------------------------------------------- queue and leases

    def pop_leased(self) -> tuple[str, bytes] | None:
        """(lease field, encoded request) of the best queued request, now leased to us."""
        found = self._pop(
            keys=[self.keys.requests, self.keys.inflight(self.worker_id)], args=[uuid.uuid4().hex]
        )
        return (found[0].decode(), found[1]) if found else None

    def release(self, lease: str | None) -> None:
        if lease:
            self.server.hdel(self.keys.inflight(self.worker_id), lease)

    def push_encoded(self, data: bytes, priority: int) -> None:
        self.server.zadd(self.keys.requests, {data: -priority})

    def heartbeat(self) -> None:
        if not self.retired:  # a last beat after retire() would resurrect a stopped worker
            self.server.set(self.keys.alive(self.worker_id), "1", px=int(self.heartbeat_ttl * 1000))

    def retire(self) -> int:
        """On a clean stop: our remaining leases go back on the queue, the heartbeat goes."""
        self.retired = True
        moved = self._requeue(self.keys.inflight(self.worker_id))
        self.server.delete(self.keys.alive(self.worker_id))
        return moved

    def _requeue(self, inflight_key: str) -> int:
        leases = self.server.hgetall(inflight_key)
        if not leases:
            return 0
        pipe = self.server.pipeline(transaction=True)
        for field, data in leases.items():
            score = float(field.decode().rsplit(":", 1)[1])
            pipe.zadd(self.keys.requests, {data: score})
        pipe.hdel(inflight_key, *leases)
        pipe.execute()
        return len(leases)

    def requeue_dead(self) -> int:
        """Put the leases of workers without a heartbeat back on the queue."""
        moved = 0
        prefix = self.keys.inflight("")
        for key in self.server.scan_iter(match=self.keys.inflight_pattern, count=100):
            worker = key.decode()[len(prefix) :]
            if not self.server.exists(self.keys.alive(worker)):
                count = self._requeue(key.decode())
                if count:
                    logger.warning(
                        "worker %s stopped answering: %d requests requeued", worker, count
                    )
                moved += count
        return moved

    def queued(self) -> int:
        return int(self.server.zcard(self.keys.requests))

    def leased(self) -> int:
        return sum(
            int(self.server.hlen(key))
            for key in self.server.scan_iter(match=self.keys.inflight_pattern, count=100)
        )

    def idle(self) -> bool:
        """Nothing queued and nothing leased anywhere in the fleet."""
        return self.queued() == 0 and self.leased() == 0

    # ----------------------------------------------------------------- duplicate filter

    def current_round(self) -> int:
        return int(self.server.get(self.keys.round) or 0)

    def mark_seen(self, fingerprint: str) -> bool:
        """Add to this round's fingerprints; True when it was new."""
        added = self._seen(
            keys=[self.keys.round], args=[fingerprint, self.keys.dupefilter(""), self.filter_ttl]
        )
        return bool(added)

    # ----------------------------------------------------------------- items

    def send_item(self, item: Any) -> bool:
        """XADD the item to the stream (capped); False when it was over the cap."""
        data, fitted = encode_capped(item, self.max_item_bytes)
        if not fitted:
            logger.error(
                "%s: item over the fleet's size cap; recorded as an error", item.get("url")
            )
        self.server.xadd(self.keys.items, {b"item": data})
        return fitted


class LeasedQueue(PriorityQueue):
    """scrapy-redis' priority queue; pop leases instead of removing (see Frontier)."""

    frontier: Frontier | None = None

    def pop(self, timeout: int = 0) -> Request | None:
        while True:
            found = self.frontier.pop_leased()
            if not found:
                return None
            lease, data = found
            try:
                request = self._decode_request(data)
            except Exception as error:  # from an incompatible worker version: never a crash
                logger.error("dropped an undecodable queued request: %r", error)
                self.frontier.server.xadd(self.frontier.keys.dead_letters, {b"request": data})
                self.frontier.release(lease)
                continue
            request.meta[LEASE_META] = lease
            return request


class RoundDupeFilter(RFPDupeFilter):
    """scrapy-redis' fingerprints, kept per coordinator round and expiring (see module)."""

    frontier: Frontier | None = None

    @classmethod
    def from_spider(cls, spider: Any) -> RoundDupeFilter:
        instance = cls(spider.frontier.server, key=KEYS.dupefilter("*"))
        instance.frontier = spider.frontier
        return instance

    def request_seen(self, request: Request) -> bool:
        return not self.frontier.mark_seen(self.request_fingerprint(request))

    def clear(self) -> None:
        """Shared state: one worker stopping never wipes the fleet's fingerprints."""

    def close(self, reason: str = "") -> None:
        """As clear()."""


class FleetScheduler(Scheduler):
    """scrapy-redis' scheduler with leases, and a loud failure for unqueueable requests.

    scrapy-redis marks a request seen, then pickles it: a request that cannot be pickled
    (a callback that is not a spider method, meta that does not pickle) would be lost
    without a word and filtered ever after. Here it is encoded first; one that fails is
    logged as an error, counted, and for an edition recorded in the archive as a failed
    fetch, and its fingerprint is not taken.
    """

    @classmethod
    def from_settings(cls, settings: Any) -> FleetScheduler:
        return cls(
            server=None,
            persist=True,  # the queue is the fleet's: a worker stopping must not flush it
            queue_key=KEYS.requests,
            queue_cls="crawler.fleet.frontier.LeasedQueue",
            dupefilter_cls="crawler.fleet.frontier.RoundDupeFilter",
        )

    def open(self, spider: Any) -> None:
        self.server = spider.frontier.server
        super().open(spider)
        self.queue.frontier = spider.frontier

    def close(self, reason: str) -> None:
        moved = self.spider.frontier.retire()
        if moved:
            logger.info("stopping: %d unfinished requests back on the shared queue", moved)

    def enqueue_request(self, request: Request) -> bool:
        frontier = self.spider.frontier
        lease = request.meta.pop(LEASE_META, None)  # a redirect or retry of a leased request
        try:
            data = self.queue._encode_request(request)
        except Exception as error:
            self._unqueueable(request, error)
            frontier.release(lease)
            return False
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            frontier.release(lease)
            return False
        frontier.push_encoded(data, request.priority)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        frontier.release(lease)  # after the push: the work is never in neither place
        return True

    def _unqueueable(self, request: Request, error: Exception) -> None:
        message = f"cannot queue {request.url} on the shared frontier: {error!r}"[:1000]
        logger.error(message)
        if self.stats:
            self.stats.inc_value("triglot/unqueueable")
        meta = request.meta
        if meta.get("triglot_kind") == "article":
            from archive import clock

            self.spider.frontier.send_item(
                FetchFailureItem(
                    site=meta.get("triglot_site"),
                    url=request.url,
                    article_key=meta.get("triglot_key"),
                    status=None,
                    error=message,
                    fetched_at=clock.now(),
                    lang_hint=meta.get("triglot_lang_hint"),
                )
            )


def encode_request(request: Request, spider: Any) -> bytes:
    """A request as the fleet's queue stores it (scrapy-redis' pickle of to_dict)."""
    queue = PriorityQueue(server=None, spider=spider, key=KEYS.requests)
    return queue._encode_request(request)


def decode_request(data: bytes, spider: Any) -> Request:
    from scrapy_redis import picklecompat

    return request_from_dict(picklecompat.loads(data), spider=spider)
