"""FHIR over HTTP: reading a JSON body safely, and answering with FHIR JSON or an OperationOutcome.

Nothing a client sends can make these fail with a 500: a body that is too big (413, judged before it
is read), the wrong content type (415), bytes that are not UTF-8 JSON, duplicate keys, NaN, or
nesting deep enough to exhaust the parser all become an OperationOutcome with a 4xx status.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from organisations.selectors import organisations_by_code_remembered

from .auth import API_KEY_HEADER, client_authenticate, rate_limit_retry_after
from .outcome import FhirError, IssueCode, error, operation_outcome

FHIR_JSON = "application/fhir+json"
ACCEPTED_BODY_TYPES = frozenset({FHIR_JSON, "application/json", "application/json+fhir"})
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


def max_body_bytes() -> int:
    return int(getattr(settings, "FHIR_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def canonical_base(request: HttpRequest) -> str:
    """The base of canonical URLs: FHIR_CANONICAL_BASE, else SITE_URL, else this request's host."""
    base = getattr(settings, "FHIR_CANONICAL_BASE", "") or getattr(settings, "SITE_URL", "")
    if not base:
        try:
            base = request.build_absolute_uri("/")
        except Exception:  # noqa: BLE001 - a Host header Django refuses: fall back to a neutral base
            base = "http://localhost/"
    return base.rstrip("/")


def read_json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or FhirError (413, 415 or 400)."""
    content_type = request.content_type.lower() if request.content_type else ""
    if content_type not in ACCEPTED_BODY_TYPES:
        raise FhirError.single(
            415,
            IssueCode.UNSUPPORTED_MEDIA_TYPE,
            f"Content-Type {content_type or '(none)'} is not accepted: send application/fhir+json",
        )
    limit = max_body_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise _too_large(limit)
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise _too_large(limit)
    try:
        document = json.loads(
            raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constants
        )
    except (ValueError, RecursionError) as problem:
        message = str(problem) if isinstance(problem, _JsonProblem) else "The body is not valid UTF-8 JSON"
        raise FhirError.single(400, IssueCode.INVALID_JSON, message) from None
    if not isinstance(document, dict):
        raise FhirError.single(
            400, IssueCode.INVALID_JSON, "The body must be a JSON object (a FHIR resource)"
        )
    return document


class _JsonProblem(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JsonProblem(f"The property {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constants(name: str):
    raise _JsonProblem(f"{name} is not a JSON number")


def _too_large(limit: int) -> FhirError:
    return FhirError.single(413, IssueCode.TOO_LARGE, f"The body is larger than {limit:,} bytes")


def response_content_type(request: HttpRequest) -> str:
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and FHIR_JSON not in accept:
        return "application/json; charset=utf-8"
    return f"{FHIR_JSON}; charset=utf-8"


def fhir_response(
    request: HttpRequest, body: dict, status: int = 200, headers: dict | None = None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=response_content_type(request),
    )
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def outcome_response(request: HttpRequest, failure: FhirError) -> HttpResponse:
    body = operation_outcome(failure.issues, base=canonical_base(request))
    return fhir_response(request, body, failure.status, failure.headers)


def fhir_endpoint(*, methods: tuple[str, ...], authenticated: bool = True) -> Callable:
    """Wraps a FHIR view: CSRF exempt, API key and rate limit, allowed methods, FhirError as OO."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise FhirError(
                        405,
                        [error(IssueCode.METHOD_NOT_ALLOWED, f"{request.method} is not supported here")],
                        {"Allow": ", ".join(methods)},
                    )
                if authenticated:
                    client = client_authenticate(request)
                    if client is None:
                        raise FhirError.single(
                            401,
                            IssueCode.UNAUTHORISED,
                            f"Send a valid API key in the {API_KEY_HEADER} header",
                        )
                    retry_after = rate_limit_retry_after(client)
                    if retry_after is not None:
                        raise FhirError(
                            429,
                            [
                                error(
                                    IssueCode.RATE_LIMITED,
                                    f"Too many requests: try again in {retry_after} seconds",
                                )
                            ],
                            {"Retry-After": str(retry_after)},
                        )
                    request.api_client = client
                with organisations_by_code_remembered():
                    return view(request, *args, **kwargs)
            except FhirError as failure:
                return outcome_response(request, failure)

        return wrapper

    return decorate
