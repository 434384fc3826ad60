"""Rate limits on the public patient form and on follow links, counted in the cache (Redis in
production, so every web process shares the counts).

Each limit is a number of hits in a fixed window per key (an IP address, or a record's reference);
the settings `PATIENT_RATE_LIMITS` may override any of `LIMITS`. A request over a limit is refused
with 429 and a plain message (views.py); nothing is written.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from lfpse.client_address import client_address, rate_limit_address


@dataclass(frozen=True)
class Limit:
    hits: int
    window_seconds: int


LIMITS: dict[str, Limit] = {
    # Pages of the public form saved, per IP address (a person answers ~15 pages a report).
    "form_page_ip": Limit(120, 600),
    # Reports sent, per IP address.
    "submit_ip": Limit(10, 3600),
    # Follow-link pages opened, per IP address, and links that do not exist or have expired (guessing).
    "follow_ip": Limit(60, 600),
    "follow_bad_ip": Limit(10, 3600),
    # Per record: pages opened through its links, and information added or emails asked for.
    "follow_reference": Limit(30, 600),
    "add_reference": Limit(5, 86400),
}


def limit_for(name: str) -> Limit:
    override = getattr(settings, "PATIENT_RATE_LIMITS", {}).get(name)
    return Limit(*override) if override else LIMITS[name]


def _key(name: str, subject: str, slot: int) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]  # no IP address kept in the cache as is
    return f"patient-rate:{name}:{digest}:{slot}"


def hit(name: str, subject: str, *, now: float | None = None) -> int | None:
    """Counts one hit; the seconds to wait when over the limit, else None."""
    limit = limit_for(name)
    now = time.time() if now is None else now
    slot = int(now // limit.window_seconds)
    key = _key(name, subject, slot)
    cache.add(key, 0, timeout=limit.window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window_seconds + 5)
        count = 1
    if count <= limit.hits:
        return None
    return max(1, math.ceil((slot + 1) * limit.window_seconds - now))


def is_over(name: str, subject: str, *, now: float | None = None) -> bool:
    """Whether the limit is already reached, without counting a hit."""
    limit = limit_for(name)
    now = time.time() if now is None else now
    return (cache.get(_key(name, subject, int(now // limit.window_seconds))) or 0) >= limit.hits


def client_ip(request) -> str:
    """The client's address as every limit here keys on it (`TRUSTED_PROXY_HOPS`, docs/deploy.md): an
    IPv6 client by its /64 (lfpse/client_address.py `rate_limit_address`). For limits only, never to log."""
    return rate_limit_address(client_address(request))
