"""What the API shows of a record: its AdverseEvent, from redacted text only.

Free text goes through `events.presenters.answers_for_display`, the same gate every organisation view
uses: once a revision is redacted its redacted answers, until then every free-text answer reads "This
text is being processed to remove identifiable information." The API never returns raw free text,
not even in the response to the request that sent it, so nothing stored for replay holds any.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import ApiSubmission
from events.models import Event, EventRevision, EventSource, StatutoryRequirements
from events.presenters import answers_for_display

from .writing import adverse_event_resource


def resource_url(base: str, event: Event) -> str:
    return f"{base}/adverse-event/fhir/AdverseEvent/{event.uuid}"


def resource_location(base: str, event: Event, revision: EventRevision) -> str:
    return f"{resource_url(base, event)}/_history/{revision.number}"


def event_resource(
    event: Event, revision: EventRevision, submission: ApiSubmission | None, *, base: str
) -> dict[str, Any]:
    return adverse_event_resource(
        answers=answers_for_display(revision),
        version=revision.question_set_version,
        base=base,
        resource_id=str(event.uuid),
        version_id=revision.number,
        last_updated=revision.created_at,
        reference=event.reference,
        recorded_on=timezone.localdate(event.created_at),
        anonymous=event.is_anonymous,
        data_sharing_opt_out=bool(submission and submission.data_sharing_opt_out),
        from_online_forms=submission is None,
        statutory=statutory_as_of(event, revision),
        recorded_by_patient=event.source == EventSource.PATIENT,
    )


def statutory_as_of(event: Event, revision: EventRevision) -> dict[str, Any]:
    """The record's statutory and national policy answers as they stood at a revision (the latest
    StatutoryRequirements written with it or before it): a version read shows them as they were."""
    if event.statutory_id is None:
        return {}
    stored = (
        StatutoryRequirements.objects.filter(event=event, revision__number__lte=revision.number)
        .order_by("-revision__number")
        .values_list("answers", flat=True)
        .first()
    )
    return stored or {}


def search_bundle(
    *, base: str, self_url: str, next_url: str | None, total: int, entries: list[dict]
) -> dict[str, Any]:
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/adverse-event/fhir/AdverseEvent/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in entries
        ],
    }


def from_online_forms(event: Event) -> bool:
    """The record's "From online forms" answer (CL022): no when it came through this API."""
    return not ApiSubmission.objects.filter(event=event).exists()
