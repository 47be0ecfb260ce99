"""Redis connection, key names and the one error an operator sees when Redis is away.

Every fleet key lives under one prefix so a Redis database can be shared with other
tools and a test can look at exactly what Triglot keeps there.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

PREFIX = "triglot"


@dataclass(frozen=True)
class Keys:
    """Where the fleet keeps its state in Redis."""

    prefix: str = PREFIX

    @property
    def requests(self) -> str:  # sorted set of pickled requests (scrapy-redis PriorityQueue)
        return f"{self.prefix}:requests"

    @property
    def round(self) -> str:  # the coordinator's current crawl round (an integer)
        return f"{self.prefix}:round"

    def dupefilter(self, round_id: str | int) -> str:  # fingerprints of one round, expiring
        return f"{self.prefix}:dupefilter:{round_id}"

    @property
    def items(self) -> str:  # the stream workers add items to
        return f"{self.prefix}:items"

    @property
    def dead_letters(self) -> str:  # entries the coordinator could not decode
        return f"{self.prefix}:items:dead"

    @property
    def group(self) -> str:
        return "archive"

    def inflight(self, worker: str) -> str:  # hash: lease token -> pickled request
        return f"{self.prefix}:inflight:{worker}"

    @property
    def inflight_pattern(self) -> str:
        return f"{self.prefix}:inflight:*"

    def alive(self, worker: str) -> str:  # a worker's heartbeat, with a TTL
        return f"{self.prefix}:alive:{worker}"

    def polite(self, domain: str) -> str:  # the next moment a domain may be fetched (ms)
        return f"{self.prefix}:polite:{domain}"


KEYS = Keys()


class RedisUnavailable(Exception):
    """Redis cannot be reached: the message is the one line the operator needs."""


def connect(url: str, *, retry_seconds: float = 30.0) -> redis.Redis:
    """A client for url, checked with PING; commands retry through a short outage
    (a Redis restart) instead of failing the crawl."""
    attempts = max(1, int(retry_seconds / 1.0))
    try:
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=5,
            socket_timeout=30,
            health_check_interval=10,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), attempts),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError],
        )
    except ValueError as error:  # not a redis:// URL
        raise RedisUnavailable(f"invalid Redis URL {url!r}: {error}") from error
    probe = redis.Redis.from_url(url, socket_connect_timeout=5, retry=Retry(NoBackoff(), 0))
    try:
        probe.ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
        raise RedisUnavailable(f"cannot reach Redis at {url}: {error}") from error
    except redis.ResponseError as error:  # e.g. NOAUTH
        raise RedisUnavailable(f"Redis at {url} refused the connection: {error}") from error
    finally:
        probe.close()
    return client
