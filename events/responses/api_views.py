"""The responses API: `Task` resources under /adverse-event/fhir/ (docs/api.md), with the same keys,
rate limits, error shape and write preconditions as the AdverseEvent API (events/fhir/http.py and
events/fhir/preconditions.py: `Idempotency-Key` on create, a versioned ETag and `If-Match` on update).
Records are found through the read gate as the client sees them; writes go through the same services
as the pages, guarded by `api_writes.py`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from events.fhir.http import canonical_base, fhir_endpoint, fhir_response, read_json_body
from events.fhir.outcome import FhirError, IssueCode, error
from events.fhir.preconditions import etag, idempotency_of, if_match_of, key_reused, replay_of
from events.fhir.services import ApiResult, IdempotencyKeyReused

from . import actions, api, services
from .api_selectors import action_for_client, event_for_client, response_for_client, tasks_of_event
from .api_writes import task_create, task_update

# The Task code systems' URLs, routed before the AdverseEvent API's catch-all (lfpse/urls.py).
CODE_SYSTEM_ROUTE = rf"^adverse-event/fhir/CodeSystem/(?P<name>{'|'.join(api.CODE_SYSTEM_NAMES)})$"
VERSION_DIGITS = 18  # a Task's version is a microsecond timestamp (api.version_of)


def _invalid(problems: list[tuple[str, str]], status: int = 422) -> FhirError:
    return FhirError(
        status, [error(IssueCode.INVALID_VALUE, message, expression) for expression, message in problems]
    )


def _from_service(problem: services.Problems) -> FhirError:
    return _invalid(
        [(api.EXPRESSIONS.get(field, "Task"), message) for field, message in problem.problems.items()]
    )


def _not_found(what: str) -> FhirError:
    return FhirError.single(404, IssueCode.NOT_FOUND, f"{what} is not known, or not yours to see")


def _task_response(request: HttpRequest, task: dict, status: int = 200, **headers: str) -> HttpResponse:
    return fhir_response(request, task, status, {"ETag": etag(task["meta"]["versionId"]), **headers})


def _created(request: HttpRequest, result: ApiResult) -> HttpResponse:
    headers = {"Location": result.location}
    if result.replayed:
        headers["Idempotent-Replayed"] = "true"
    return _task_response(request, result.body, result.status, **headers)


@fhir_endpoint(methods=("GET", "POST"))
def tasks(request: HttpRequest) -> HttpResponse:
    base = canonical_base(request)
    if request.method == "GET":
        unknown = sorted(set(request.GET) - {"focus", "_format"})
        if unknown:
            raise FhirError.single(
                400,
                IssueCode.INVALID_SEARCH,
                f"Unsupported search parameters: {', '.join(unknown)}; use focus",
            )
        event_id = api.reference_id({"reference": request.GET.get("focus", "")}, "AdverseEvent")
        if not event_id:
            raise _invalid([("focus", "Search by focus=AdverseEvent/<id>")], status=400)
        event = event_for_client(request.api_client, event_id)
        if event is None:
            raise _not_found(f"AdverseEvent/{event_id}")
        return fhir_response(request, api.bundle(tasks_of_event(event, base), base))
    document = read_json_body(request)
    idempotency = idempotency_of(request, document)
    replay = replay_of(request.api_client, idempotency)
    if replay is not None:
        return _created(request, replay)
    try:
        kind = api.task_kind(document)
        if kind == api.SAFETY_ACTION:
            write = _action_create(request, api.action_values_from(document), base)
        else:
            write = _decision_create(request, api.decision_from(document), base)
    except api.TaskInvalid as invalid:
        raise _invalid(invalid.problems) from None
    try:
        result = task_create(client=request.api_client, idempotency=idempotency, write=write, base=base)
    except IdempotencyKeyReused:
        raise key_reused() from None
    except services.Problems as problem:
        raise _from_service(problem) from None
    return _created(request, result)


def _decision_create(request: HttpRequest, decision: dict, base: str):
    event = event_for_client(request.api_client, decision["event_id"])
    if event is None:
        raise _not_found(f"AdverseEvent/{decision['event_id']}")

    def write() -> dict:
        response = services.response_decide(
            actor=None,
            api_client=request.api_client.name,
            event=event,
            kind=decision["kind"],
            rationale=decision["rationale"],
            referral_body=decision["referral_body"],
        )
        return api.response_task(response, str(event.uuid), base)

    return write


def _action_create(request: HttpRequest, parsed: dict, base: str):
    response = None
    if parsed["response_id"]:
        response = response_for_client(request.api_client, parsed["response_id"])
        if response is None:
            raise _not_found(f"Task/{api.RESPONSE_PREFIX}{parsed['response_id']}")
        event = response.primary_event
    elif parsed["event_id"]:
        event = event_for_client(request.api_client, parsed["event_id"])
        if event is None:
            raise _not_found(f"AdverseEvent/{parsed['event_id']}")
    else:
        raise _invalid([("Task.partOf", "Link the safety action to a response (partOf) or a record (focus)")])

    def write() -> dict:
        action = actions.safety_action_create(
            actor=None,
            api_client=request.api_client.name,
            organisation=event.organisation,
            response=response,
            values=parsed["values"],
        )
        return api.action_task(action, str(event.uuid), base)

    return write


@fhir_endpoint(methods=("GET", "PUT"))
def task(request: HttpRequest, task_id: str) -> HttpResponse:
    base = canonical_base(request)
    if task_id.startswith(api.ACTION_PREFIX):
        found = action_for_client(request.api_client, task_id.removeprefix(api.ACTION_PREFIX))
        if found is None:
            raise _not_found(f"Task/{task_id}")
        action, event = found
        if request.method == "PUT":
            action = _action_update(request, action)
        return _task_response(request, api.action_task(action, str(event.uuid) if event else None, base))
    if not task_id.startswith(api.RESPONSE_PREFIX):
        raise _not_found(f"Task/{task_id}")
    response = response_for_client(request.api_client, task_id.removeprefix(api.RESPONSE_PREFIX))
    if response is None:
        raise _not_found(f"Task/{task_id}")
    if request.method == "PUT":
        primary_event = response.primary_event
        response = _status_update(request, response)
        response.primary_event = primary_event
    return _task_response(request, api.response_task(response, str(response.primary_event.uuid), base))


def _action_update(request: HttpRequest, action):
    if_match = if_match_of(request, VERSION_DIGITS)
    try:
        parsed = api.action_values_from(read_json_body(request))
        return task_update(
            row=action,
            if_match=if_match,
            write=lambda: actions.safety_action_update(
                actor=None,
                api_client=request.api_client.name,
                action=action,
                values=api.texts_sent_back_kept(parsed["values"], action),
            ),
        )
    except api.TaskInvalid as invalid:
        raise _invalid(invalid.problems) from None
    except services.Problems as problem:
        raise _from_service(problem) from None


def _status_update(request: HttpRequest, response):
    if_match = if_match_of(request, VERSION_DIGITS)
    document = read_json_body(request)
    status = api._code(document, "businessStatus")
    note = api.client_note(document, response)
    try:
        return task_update(
            row=response,
            if_match=if_match,
            write=lambda: services.response_status_set_by_api(
                api_client=request.api_client.name, response=response, status=status or "", note=note
            ),
        )
    except services.Problems as problem:
        failure = _from_service(problem)
        failure.status = 409 if "" in problem.problems else 422
        raise failure from None


@fhir_endpoint(methods=("GET",), authenticated=False)
def code_system(request: HttpRequest, name: str) -> HttpResponse:
    """The code systems the Tasks name (response type and status, safety action status, strength and
    type), each at the URL a Task gives as its `system`."""
    resource = api.code_system(name, canonical_base(request))
    if resource is None:
        raise _not_found(f"CodeSystem/{name}")
    return fhir_response(request, resource)
