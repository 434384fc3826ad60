"""The address a request came from, for every rate limit keyed on it (the patient form and follow
links in events/patients, and django-allauth's sign-in limits through accounts/adapter.py).

Behind N reverse proxies that each append the address they were reached from to X-Forwarded-For, the
client's address is the N-th entry from the right: the one the outermost trusted proxy wrote. Entries
to its left came from the client and may be anything, so they are never used. `TRUSTED_PROXY_HOPS`
(default 0) is N; with 0 the header is ignored and REMOTE_ADDR is the address. A header shorter than N
(a request that did not come through every proxy) or an entry that is not an IP address falls back to
REMOTE_ADDR. Some proxies write the client's port too (`203.0.113.5:4711`, `[2001:db8::1]:443`): it is
dropped, the address kept.

`rate_limit_address` is what a limit keys on: an IPv6 client by its /64 (one household or host is
usually given a whole /64, and could otherwise rotate through it to dodge a limit); the full address
is still what is logged. django-allauth does the same for its sign-in limits (its
`ALLAUTH_RATE_LIMIT_IPV6_PREFIX`, 64 by default), from `client_address`.
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
    candidate = _without_port(forwarded[-hops])
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _without_port(entry: str) -> str:
    """`203.0.113.5:4711` -> `203.0.113.5`, `[2001:db8::1]:443` or `[2001:db8::1]` -> `2001:db8::1`;
    anything else as it is (a bare IPv6 address has colons of its own and no port)."""
    if entry.startswith("["):
        host, bracket, rest = entry[1:].partition("]")
        if bracket and (not rest or (rest[0] == ":" and rest[1:].isdigit())):
            return host
        return entry  # not an address: the caller falls back
    host, colon, port = entry.partition(":")
    if colon and ":" not in port and port.isdigit():
        return host
    return entry


IPV6_RATE_LIMIT_PREFIX = 64


def rate_limit_address(address: str) -> str:
    """What a rate limit keys on for this client's address: an IPv6 address's /64 network (an IPv4
    address mapped into IPv6 as the IPv4 address), an IPv4 address as it is; anything else unchanged."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_RATE_LIMIT_PREFIX), strict=False))
    return str(parsed)
