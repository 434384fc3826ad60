"""The write preconditions every FHIR resource of this service shares (the AdverseEvent API and the
responses' Task API): `Idempotency-Key` on create and a versioned `If-Match` on update, read from the
request and refused with one OperationOutcome shape.

The stored answer and the write happen in one transaction (`services.idempotent_write`); this module
only reads the headers and names the failures.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

from .outcome import FhirError, IssueCode, error
from .services import ApiResult, Idempotency, IdempotencyKeyReused, idempotent_replay, request_hash

IDEMPOTENCY_HEADER = "Idempotency-Key"
_IF_MATCH = re.compile(r'^(?:W/)?"?(\d{1,18})"?$')


def idempotency_of(request: HttpRequest, document: dict) -> Idempotency | None:
    """The request's Idempotency-Key with the hash of what it sends, or None without the header."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise FhirError.single(
            400, IssueCode.INVALID_HEADER, f"{IDEMPOTENCY_HEADER} must be 1 to 255 printable characters"
        )
    return Idempotency(key, request_hash("POST", request.path, document))


def replay_of(client, idempotency: Idempotency | None) -> ApiResult | None:
    """The stored answer to an earlier request with this key; 422 when the key sent something else."""
    if idempotency is None:
        return None
    try:
        return idempotent_replay(client=client, idempotency=idempotency)
    except IdempotencyKeyReused:
        raise key_reused() from None


def key_reused() -> FhirError:
    return FhirError.single(
        422, IssueCode.IDEMPOTENCY_KEY_REUSED, f"This {IDEMPOTENCY_HEADER} was used for a different request"
    )


def if_match_of(request: HttpRequest, digits: int = 9) -> int | None:
    """The version an update names in If-Match (W/"3" or "3"), or None without the header."""
    value = request.headers.get("If-Match")
    if value is None:
        return None
    match = _IF_MATCH.match(value.strip())
    if not match or len(match.group(1)) > digits:
        raise FhirError.single(400, IssueCode.INVALID_HEADER, 'If-Match must be a version ETag, like W/"2"')
    return int(match.group(1))


def etag(version: int | str) -> str:
    return f'W/"{version}"'


def version_conflict(current: int | str, what: str = "The record") -> FhirError:
    """412: the update named a version that is no longer the current one."""
    return FhirError(
        412,
        [error(IssueCode.VERSION_CONFLICT, f"{what} has changed: its current version is {current}")],
        {"ETag": etag(current)},
    )
