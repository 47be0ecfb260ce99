"""Where a crawl may go: the entry's own origin, or a profile's declared domains.

Scrapy's OffsiteMiddleware knows domains only: any port, either scheme, every subdomain.
That let an hreflang link to another port of the same host fetch — and archive — another
service. Here a URL is in scope when:

* the profile is generic (a page of a site without a profile): same scheme, host and port
  as the entry (an http entry on the default port may move to https on the default port);
* the profile's base URL is on a private or loopback address (the tests, the demo, a
  relocated copy): exactly the base's scheme, host and port;
* otherwise: a declared domain (or a subdomain of one), http or https, on the default port
  of its scheme — or the base URL's own port when the base names one.

And after DNS resolution (ScopeMiddleware, before robots.txt is even asked for), a host
other than the entry's own must not resolve to a private, loopback or link-local address
unless the entry itself does.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
REFUSAL = "Filtered offsite request"  # the spider counts these as refusals, not failures


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, effective port) of an http(s) URL, else None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # an unparseable port or host
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


def url_refusal(url: str) -> str | None:
    """Why url cannot start a crawl (not http(s), unparseable, no host), or None."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as error:
        return f"{url!r} is not a valid URL ({error})"
    if parts.scheme.lower() not in DEFAULT_PORTS:
        shown = f"{parts.scheme}://" if parts.scheme else "no scheme"
        return f"{url!r}: only http:// and https:// URLs can be crawled (got {shown})"
    if not parts.hostname:
        return f"{url!r} is not a valid URL (no host)"
    return None


def is_private_address(address: str) -> bool:
    """Loopback, private (RFC 1918, ULA), link-local, unspecified, reserved or multicast."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_reserved
        or ip.is_multicast
    )


def is_private_host(host: str) -> bool:
    """A host that names a private place without DNS: an IP literal or localhost."""
    host = host.lower().rstrip(".").strip("[]")
    return host == "localhost" or host.endswith(".localhost") or is_private_address(host)


def same_origin(url: str, base: str, *, allow_upgrade: bool) -> bool:
    """url on base's scheme, host and port (http:80 -> https:443 when allow_upgrade)."""
    target, home = origin(url), origin(base)
    if target is None or home is None:
        return False
    if target == home:
        return True
    return (
        allow_upgrade and home[0] == "http" and home[2] == 80 and target == ("https", home[1], 443)
    )


def declared_allows(url: str, base: str, domains: tuple[str, ...]) -> bool:
    """url on a declared domain, on its scheme's default port (or the base's own port)."""
    target, home = origin(url), origin(base)
    if target is None:
        return False
    scheme, host, port = target
    if not any(host == d or host.endswith("." + d) for d in domains):
        return False
    base_port = home[2] if home else None
    if base_port is not None and base_port != DEFAULT_PORTS[home[0]]:
        return port == base_port
    return port == DEFAULT_PORTS[scheme]


def resolved_refusal(
    host: str, entry_host: str, addresses: list[str], entry_addresses: list[str]
) -> str | None:
    """Why a host other than the entry's may not be fetched after resolution, or None."""
    if host == entry_host:
        return None
    if is_private_host(host):  # localhost, a private IP literal: no DNS needed to know
        addresses = [*addresses, host]
    if is_private_host(entry_host) or any(is_private_address(a) for a in entry_addresses):
        return None
    private = [a for a in addresses if is_private_address(a) or is_private_host(a)]
    if private:
        return f"{REFUSAL}: {host} resolves to the private address {private[0]}"
    return None


class ScopeMiddleware:
    """Refuses out-of-scope requests before any byte is sent, robots.txt included.

    Sits before RobotsTxtMiddleware (100), so an out-of-scope URL never even costs its
    host a robots.txt request. Resolution goes through the reactor's resolver, which is
    Scrapy's caching one: the address checked is the address the download then uses.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ScopeMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        meta = request.meta
        entry = meta.get("triglot_entry")
        spider = self.crawler.spider
        if not entry or not hasattr(spider, "profile_for"):
            return None  # robots.txt and other requests Scrapy makes for our own
        profile = spider.profile_for(meta)
        if not profile.allows(request.url):
            self.crawler.stats.inc_value("triglot/out_of_scope")
            raise IgnoreRequest(f"{REFUSAL} (out of scope) to {request.url}")
        target, home = origin(request.url), origin(entry)
        if target is None or home is None or target[1] == home[1]:
            return None
        if is_private_host(home[1]):
            return None
        refusal = resolved_refusal(
            target[1], home[1], await _resolve(target[1]), await _resolve(home[1])
        )
        if refusal:
            self.crawler.stats.inc_value("triglot/out_of_scope")
            logger.warning("not fetched %s: %s", request.url, refusal)
            raise IgnoreRequest(refusal)
        return None


async def _resolve(host: str) -> list[str]:
    """The address the crawl would connect to ([] when the name does not resolve)."""
    if is_private_host(host) or _is_ip(host):
        return [host.strip("[]")]
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import reactor

    try:
        return [await maybe_deferred_to_future(reactor.resolve(host))]
    except Exception:  # noqa: BLE001 - the download itself reports a name that fails
        return []


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
