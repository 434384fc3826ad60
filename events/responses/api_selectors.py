"""What an API client may read of responses: those of records the read gate shows it (records it
sent through the API for its organisations), and safety actions of those organisations."""

from __future__ import annotations

from accounts.models import ApiClient
from events.fhir.auth import allowed_organisation_ids
from events.models import Event
from events.visibility import event_visible_to

from . import api
from .models import Response, ResponseLink, SafetyAction


def event_for_client(client: ApiClient, event_id: str) -> Event | None:
    return event_visible_to(client, event_id)


def _with_primary(response: Response) -> Response:
    link = ResponseLink.objects.select_related("event").filter(response=response, is_primary=True).first()
    link = link or ResponseLink.objects.select_related("event").filter(response=response).first()
    response.primary_event = link.event if link else None
    return response


def response_for_client(client: ApiClient, response_id: str) -> Response | None:
    if not str(response_id).isdecimal() or len(str(response_id)) > 12:
        return None
    response = Response.objects.filter(pk=int(response_id)).first()
    if response is None:
        return None
    response = _with_primary(response)
    event = response.primary_event
    return response if event is not None and event_for_client(client, str(event.uuid)) is not None else None


def action_for_client(client: ApiClient, action_id: str) -> tuple[SafetyAction, Event | None] | None:
    if not str(action_id).isdecimal() or len(str(action_id)) > 12:
        return None
    action = SafetyAction.objects.select_related("owner", "organisation").filter(pk=int(action_id)).first()
    if action is None:
        return None
    if action.response_id:
        response = response_for_client(client, str(action.response_id))
        return (action, response.primary_event) if response is not None else None
    return (action, None) if action.organisation_id in allowed_organisation_ids(client) else None


def tasks_of_event(event: Event, base: str) -> list[dict]:
    """Every response the record is part of, and their safety actions, as Tasks."""
    responses = list(Response.objects.filter(links__event=event).distinct().order_by("decided_at", "id"))
    tasks = [api.response_task(response, str(event.uuid), base) for response in responses]
    for action in SafetyAction.objects.filter(response__in=responses).select_related("owner").order_by("id"):
        tasks.append(api.action_task(action, str(event.uuid), base))
    return tasks
