"""A fixed-window counter per client address in the cache (one per process with the default
local-memory cache; point CACHES at Redis to share it between workers)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(bucket: str, address: str, window: int) -> str:
    return f"events:rl:{bucket}:{address}:{int(time.time() // window)}"


def limit_of(bucket: str) -> tuple[int, int]:
    """(requests, seconds) from settings.KAWAL_EVENT_LIMITS, e.g. {"register": (10, 600)}."""
    return settings.KAWAL_EVENT_LIMITS[bucket]


def exceeded(request, bucket: str) -> bool:
    """Whether the address is over its limit in this window (reads only)."""
    return exceeded_address(client_address(request), bucket)


def exceeded_address(address: str, bucket: str) -> bool:
    limit, window = limit_of(bucket)
    return (cache.get(_key(bucket, address or "unknown", window)) or 0) >= limit


def hit(request, bucket: str) -> None:
    limit, window = limit_of(bucket)
    key = _key(bucket, client_address(request), window)
    if cache.add(key, 1, window + 1):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, window + 1)
