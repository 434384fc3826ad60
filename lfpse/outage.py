"""What users see when a part of the service is down or overloaded (docs/adr/0022).

A request that fails because the database or Redis cannot be reached is not a bug in the service:
people get the GOV.UK "Sorry, there is a problem with the service" page with status 503 and a
Retry-After header, API clients a FHIR OperationOutcome with the same status and header. Anything
else that fails is still a 500. `lfpse.views.server_error` (Django's handler500) asks this module
which of the two it is, so every failure reaches it, wherever in the request it happened: a view, a
template, the session or the authentication middleware.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

API_PREFIX = "/adverse-event/fhir/"
DEFAULT_RETRY_AFTER = 30


def _redis_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return ()
    return (RedisConnectionError, RedisTimeoutError)


def failed_part(error: BaseException | None) -> str | None:
    """ "database" or "redis" when the error (or one it was raised from) is that part being
    unreachable; None for anything else."""
    seen: set[int] = set()
    redis_errors = _redis_errors()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError | InterfaceError):
            return "database"
        if redis_errors and isinstance(error, redis_errors):
            return "redis"
        error = error.__cause__ or error.__context__
    return None


def retry_after_seconds() -> int:
    return int(getattr(settings, "SERVICE_UNAVAILABLE_RETRY_AFTER", DEFAULT_RETRY_AFTER))


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_page(status: int, *, retry_after: int | None = None) -> HttpResponse:
    """The "Sorry, there is a problem with the service" page, rendered without the request context:
    the failure may have come from a context processor, the session or the database."""
    template = loader.get_template("errors/500.html")
    response = HttpResponse(template.render({"service_name": settings.SERVICE_NAME}), status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def api_unavailable(request: HttpRequest, *, retry_after: int, text: str) -> HttpResponse:
    from events.fhir.http import outcome_response
    from events.fhir.outcome import FhirError, IssueCode, error

    failure = FhirError(503, [error(IssueCode.UNAVAILABLE, text)], {"Retry-After": str(retry_after)})
    return outcome_response(request, failure)


def unavailable_response(request: HttpRequest, part: str) -> HttpResponse:
    retry_after = retry_after_seconds()
    logger.warning("%s %s answered 503: the %s is unavailable", request.method, request.path, part)
    if is_api(request):
        return api_unavailable(
            request,
            retry_after=retry_after,
            text=f"The service cannot reach its {part} just now: try again in {retry_after} seconds",
        )
    return problem_page(503, retry_after=retry_after)
