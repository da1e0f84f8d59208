"""Who is asking, by network address: the client's IP behind the district's proxy, and a per-address limit.

One function answers "which address did this request come from" for the audit log, throttling and anything
else, so X-Forwarded-For is believed in one place only.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache

if TYPE_CHECKING:
    from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=4)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(tuple(settings.SIMPUL_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person's device, as far as we can trust it.

    X-Forwarded-For is anyone's to write: it is read only when the connection comes from a proxy listed in
    SIMPUL_TRUSTED_PROXIES, and then from the right, skipping our own proxies, so the first address that
    none of them is the one the outermost proxy saw (an address the client put in the header is further left
    and ignored). Anything that is not an IP address stops the walk at the last address we trust.
    """
    if request is None:
        return None
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    address = remote
    if _trusted(remote):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            parsed = _parse(hop)
            if parsed is None:
                break
            address = parsed
            if not _trusted(parsed):
                break
    return str(address)


def rate_limited(request: HttpRequest, *, scope: str, limit: int, seconds: int = 60) -> bool:
    """Count this request against its address's allowance for `scope`; True once more than `limit` came in
    the current window of `seconds` (a fixed window in the shared cache, so every web worker counts together)."""
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=seconds)  # starts the window; a no-op while it runs
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this request opens the next one
        cache.set(key, 1, timeout=seconds)
        count = 1
    # None: the cache (Redis) is down and ignored; the limit is not enforced rather than the page failing.
    return (count or 0) > limit
