"""API keys and rate limits for LRMS clients.

A client sends its key in the `Ocp-Apim-Subscription-Key` header, as it does to the national service
(an Azure API Management product key). Keys are `lfpse_` + 8 characters of prefix + `_` + a 256-bit
secret; only their SHA-256 is stored. Limits are a fixed window per key in Django's cache (Redis in
production), so every web process shares the count: over the limit, 429 with Retry-After.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import ApiClient
from lfpse.prepared import PreparedGet
from organisations.models import Organisation
from organisations.selectors import organisation_ids_with_those_below

API_KEY_HEADER = "Ocp-Apim-Subscription-Key"
KEY_PREFIX = "lfpse_"
DEFAULT_RATE_LIMIT = 120  # requests per window
DEFAULT_RATE_WINDOW = 60  # seconds
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class NewKey:
    key: str  # shown once
    prefix: str
    hash: str


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_generate() -> NewKey:
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(key=key, prefix=prefix, hash=key_hash(key))


# Read on every API request: the statement is built once (lfpse/prepared.py, docs/adr/0022).
_client_by_key_hash = PreparedGet(ApiClient, "key_hash")


def client_authenticate(request: HttpRequest) -> ApiClient | None:
    """The active client whose key the request carries, or None."""
    key = request.headers.get(API_KEY_HEADER, "").strip()
    if not key or len(key) > 200:
        return None
    client = _client_by_key_hash(key_hash(key))  # the hash is unique: one client at most
    if client is None or client.revoked_at is not None:
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)  # at most once a minute
        client.last_used_at = now
    return client


def rate_limit_retry_after(client: ApiClient, *, now: float | None = None) -> int | None:
    """Counts one request; the seconds to wait when the client is over its limit, else None."""
    window = int(getattr(settings, "FHIR_RATE_WINDOW_SECONDS", DEFAULT_RATE_WINDOW))
    limit = client.rate_limit or int(getattr(settings, "FHIR_RATE_LIMIT", DEFAULT_RATE_LIMIT))
    now = time.time() if now is None else now
    slot = int(now // window)
    key = f"fhir-rate:{client.pk}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request starts the window
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((slot + 1) * window - now))


def allowed_organisation_ids(client: ApiClient) -> set[int]:
    """The organisations a client may submit for: its own and every one below them (trust sites ...)."""
    cached = getattr(client, "_allowed_organisation_ids", None)
    if cached is not None:
        return cached
    allowed = organisation_ids_with_those_below(client.organisations.all())
    client._allowed_organisation_ids = allowed
    return allowed


def client_may_submit_for(client: ApiClient, organisation: Organisation) -> bool:
    return organisation.pk in allowed_organisation_ids(client)
