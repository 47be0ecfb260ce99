"""Fleet-wide politeness: one per-domain delay and concurrency for all workers together.

Scrapy's DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN hold per process, so N workers
would hit a site N times harder. Here a request goes only once it has taken the domain's
moment in Redis (one atomic script, on Redis' own clock, so the workers' clocks do not
matter): the last request's moment plus the delay has passed, and the domain has a free
place among its running requests. It asks again when that moment comes. The moment is
taken as the request leaves, not booked ahead, so a worker whose event loop was busy
cannot squeeze the next worker's request against its own. A place is a lease with a
deadline, so a worker killed mid-download frees it by itself.
robots.txt stays with Scrapy's RobotsTxtMiddleware, which runs before this one.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

from crawler.fleet.frontier import Frontier

TOKEN_META = "triglot_polite"
BUSY_RETRY_SECONDS = 0.05

# KEYS: next-moment key, running zset. ARGV: delay ms, max running, token, lease ms.
# Returns 0 (fetch now), the milliseconds until the domain's next moment (ask again
# then), or -1 when the domain is at its limit of running requests.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local delay, limit, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if limit > 0 and redis.call('ZCARD', KEYS[2]) >= limit then return -1 end
local moment = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < moment then return moment - now end
redis.call('SET', KEYS[1], now + delay, 'PX', delay + 60000)
redis.call('ZADD', KEYS[2], now + lease, ARGV[3])
redis.call('PEXPIRE', KEYS[2], lease + 60000)
return 0
"""


class FleetPolitenessMiddleware:
    """Downloader middleware (after robots.txt, before redirects and retries)."""

    def __init__(self, frontier: Frontier, delay: float, concurrency: int, timeout: float):
        self.frontier = frontier
        self.delay_ms = int(delay * 1000)
        self.concurrency = concurrency
        self.lease_ms = int((timeout + delay) * 1000) + 5000
        self._acquire = frontier.server.register_script(_ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> FleetPolitenessMiddleware:
        settings = crawler.settings
        return cls(
            crawler.spider.frontier,
            settings.getfloat("TRIGLOT_FLEET_DOMAIN_DELAY"),
            settings.getint("TRIGLOT_FLEET_DOMAIN_CONCURRENCY"),
            settings.getfloat("DOWNLOAD_TIMEOUT"),
        )

    def _keys(self, request: Request) -> list[str]:
        domain = urlsplit(request.url).hostname or ""
        base = self.frontier.keys.polite(domain)
        return [base, base + ":running"]

    async def process_request(self, request: Request, spider: Any = None) -> None:
        token = uuid.uuid4().hex
        request.meta[TOKEN_META] = token
        keys = self._keys(request)
        args = [self.delay_ms, self.concurrency, token, self.lease_ms]
        while True:  # the moment is taken when the request goes, not booked ahead
            wait_ms = int(self._acquire(keys=keys, args=args))
            if wait_ms == 0:
                break
            await _sleep(BUSY_RETRY_SECONDS if wait_ms < 0 else wait_ms / 1000)
        return None

    def _release(self, request: Request) -> None:
        token = request.meta.pop(TOKEN_META, None)
        if token:
            self.frontier.server.zrem(self._keys(request)[1], token)

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None):
        self._release(request)
        return None


async def _sleep(seconds: float) -> None:
    await maybe_deferred_to_future(task.deferLater(reactor, seconds))
