"""The address a request came from, for every rate limit keyed on it (the patient form and follow
links in events/patients, and django-allauth's sign-in limits through accounts/adapter.py).

Behind N reverse proxies that each append the address they were reached from to X-Forwarded-For, the
client's address is the N-th entry from the right: the one the outermost trusted proxy wrote. Entries
to its left came from the client and may be anything, so they are never used. `TRUSTED_PROXY_HOPS`
(default 0) is N; with 0 the header is ignored and REMOTE_ADDR is the address. A header shorter than N
(a request that did not come through every proxy) or an entry that is not an IP address falls back to
REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0) or 0)
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
