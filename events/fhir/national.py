"""The record's statutory and national policy answers as the API writes them: one source of truth.

The `adverse-event-governance-5` extension carries the same answers the statutory screens edit
(`events/statutory_questions.py`); a submission that sends it stores them exactly as
`events.organisation_services.event_statutory_update` does, as a `StatutoryRequirements` row written
with the revision, in the caller's transaction. A submission without the extension leaves what is
stored as it is: an organisation's admins may have answered on the screen (docs/adr/0018).
"""

from __future__ import annotations

from typing import Any

from events import statutory_questions
from events.models import Event, EventRevision, StatutoryRequirements


def statutory_changes(event: Event, answers: dict[str, Any] | None) -> bool:
    """Whether storing these answers (None: the extension was not sent) would change the record's."""
    if answers is None:
        return False
    current = event.statutory.answers if event.statutory_id else {}
    return answers != current


def statutory_store_from_api(
    *, event: Event, revision: EventRevision, answers: dict[str, Any] | None
) -> StatutoryRequirements | None:
    """Stores the answers with the revision, as the record's current ones; None when unchanged.
    Call inside the transaction that writes the revision."""
    if not statutory_changes(event, answers):
        return None
    statutory = StatutoryRequirements.objects.create(
        event=event, revision=revision, version=statutory_questions.VERSION, answers=answers
    )
    event.statutory = statutory
    event.save(update_fields=["statutory", "updated_at"])
    return statutory
