"""The responses API: `Task` resources under /adverse-event/fhir/ (docs/api.md), with the same keys,
rate limits and error shape as the AdverseEvent API (events/fhir/http.py). Records are found through
the read gate as the client sees them; writes go through the same services as the pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from events.fhir.http import canonical_base, fhir_endpoint, fhir_response, read_json_body
from events.fhir.outcome import FhirError, IssueCode, error

from . import actions, api, services
from .api_selectors import action_for_client, event_for_client, response_for_client, tasks_of_event


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


@fhir_endpoint(methods=("GET", "POST"))
def tasks(request: HttpRequest) -> HttpResponse:
    base = canonical_base(request)
    if request.method == "GET":
        event_id = api.reference_id({"reference": request.GET.get("focus", "")}, "AdverseEvent")
        if not event_id:
            raise _invalid([("focus", "Search by focus=AdverseEvent/<id>")], status=400)
        event = event_for_client(request.api_client, event_id)
        if event is None:
            raise _not_found(f"AdverseEvent/{event_id}")
        return fhir_response(request, api.bundle(tasks_of_event(event, base), base))
    document = read_json_body(request)
    try:
        kind = api.task_kind(document)
        if kind == api.SAFETY_ACTION:
            return _action_create(request, api.action_values_from(document), base)
        decision = api.decision_from(document)
    except api.TaskInvalid as invalid:
        raise _invalid(invalid.problems) from None
    event = event_for_client(request.api_client, decision["event_id"])
    if event is None:
        raise _not_found(f"AdverseEvent/{decision['event_id']}")
    try:
        response = services.response_decide(
            actor=None,
            api_client=request.api_client.name,
            event=event,
            kind=decision["kind"],
            rationale=decision["rationale"],
            referral_body=decision["referral_body"],
        )
    except services.Problems as problem:
        raise _from_service(problem) from None
    task = api.response_task(response, str(event.uuid), base)
    return fhir_response(request, task, 201, {"Location": f"{base}/adverse-event/fhir/Task/{task['id']}"})


def _action_create(request: HttpRequest, parsed: dict, base: str) -> HttpResponse:
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
    try:
        action = actions.safety_action_create(
            actor=None,
            api_client=request.api_client.name,
            organisation=event.organisation,
            response=response,
            values=parsed["values"],
        )
    except services.Problems as problem:
        raise _from_service(problem) from None
    task = api.action_task(action, str(event.uuid), base)
    return fhir_response(request, task, 201, {"Location": f"{base}/adverse-event/fhir/Task/{task['id']}"})


@fhir_endpoint(methods=("GET", "PUT"))
def task(request: HttpRequest, task_id: str) -> HttpResponse:
    base = canonical_base(request)
    if task_id.startswith(api.ACTION_PREFIX):
        found = action_for_client(request.api_client, task_id.removeprefix(api.ACTION_PREFIX))
        if found is None:
            raise _not_found(f"Task/{task_id}")
        action, event = found
        if request.method == "PUT":
            try:
                parsed = api.action_values_from(read_json_body(request))
                action = actions.safety_action_update(
                    actor=None, api_client=request.api_client.name, action=action, values=parsed["values"]
                )
            except api.TaskInvalid as invalid:
                raise _invalid(invalid.problems) from None
            except services.Problems as problem:
                raise _from_service(problem) from None
        return fhir_response(request, api.action_task(action, str(event.uuid) if event else None, base))
    if not task_id.startswith(api.RESPONSE_PREFIX):
        raise _not_found(f"Task/{task_id}")
    response = response_for_client(request.api_client, task_id.removeprefix(api.RESPONSE_PREFIX))
    if response is None:
        raise _not_found(f"Task/{task_id}")
    if request.method == "PUT":
        document = read_json_body(request)
        status = api._code(document, "businessStatus")
        note = (
            (document.get("note") or [{}])[0].get("text", "")
            if isinstance(document.get("note"), list)
            else ""
        )
        try:
            response = services.response_status_set_by_api(
                api_client=request.api_client.name, response=response, status=status or "", note=note
            )
        except services.Problems as problem:
            failure = _from_service(problem)
            failure.status = 409 if "" in problem.problems else 422
            raise failure from None
    return fhir_response(request, api.response_task(response, str(response.primary_event.uuid), base))
