"""The life of a PSIRF response: the only code that writes `Response.status`, and every audit entry.

Like events/lifecycle.py for records, writers (the decision page, the response pages, the API) say
what happened (a `ResponseAction`) and this module decides what it does to the response, from one
table, `TRANSITIONS`: (kind, status, action) -> new status. A missing triple is an
`IllegalTransition` naming the response's kind, status and the action, whoever asked. Each write is
audited (`ResponseAuditEntry`) in the same transaction, with the status before and after.

    none      NEW --decided--> closed
    referral  NEW --decided--> referred --referral_closed--> closed
    swarm, aar, mdt, thematic
              NEW --decided--> in_progress --completed--> completed
    psii      NEW --decided--> in_progress --submitted_for_sign_off--> awaiting_sign_off
              awaiting_sign_off --signed_off--> signed_off --shared_with_icb--> shared_with_icb
              awaiting_sign_off --returned--> in_progress
    learning responses: in_progress --answers_saved--> in_progress (the document, redacted after)

Permission checks and the messages people read stay with the services (services.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from events.extensions import record_progress_changed

from . import free_text
from .figures import tally_add
from .models import (
    RedactionState,
    Response,
    ResponseAuditEntry,
    ResponseKind,
    ResponseStatus,
)

Kind = ResponseKind
Status = ResponseStatus
NEW = None


class ResponseAction(StrEnum):
    DECIDED = "decided"
    ANSWERS_SAVED = "answers_saved"
    COMPLETED = "completed"
    SUBMITTED_FOR_SIGN_OFF = "submitted_for_sign_off"
    RETURNED = "returned"
    SIGNED_OFF = "signed_off"
    SHARED_WITH_ICB = "shared_with_icb"
    REFERRAL_CLOSED = "referral_closed"


Action = ResponseAction
ACTION_LABELS = {
    Action.DECIDED: "Response decided",
    Action.ANSWERS_SAVED: "Learning response saved",
    Action.COMPLETED: "Completed",
    Action.SUBMITTED_FOR_SIGN_OFF: "Submitted for sign-off",
    Action.RETURNED: "Returned for more work",
    Action.SIGNED_OFF: "Signed off",
    Action.SHARED_WITH_ICB: "Shared with the ICB",
    Action.REFERRAL_CLOSED: "Referral closed",
}
LEARNING_KINDS = (Kind.SWARM, Kind.AAR, Kind.MDT, Kind.THEMATIC)
DOCUMENT_KINDS = (*LEARNING_KINDS, Kind.PSII)

TRANSITIONS: Mapping[tuple[str, str | None, str], str] = {
    (Kind.NO_FURTHER_RESPONSE, NEW, Action.DECIDED): Status.CLOSED,
    (Kind.REFERRAL, NEW, Action.DECIDED): Status.REFERRED,
    (Kind.REFERRAL, Status.REFERRED, Action.REFERRAL_CLOSED): Status.CLOSED,
    **{(kind, NEW, Action.DECIDED): Status.IN_PROGRESS for kind in DOCUMENT_KINDS},
    **{(kind, Status.IN_PROGRESS, Action.ANSWERS_SAVED): Status.IN_PROGRESS for kind in DOCUMENT_KINDS},
    **{(kind, Status.IN_PROGRESS, Action.COMPLETED): Status.COMPLETED for kind in LEARNING_KINDS},
    (Kind.PSII, Status.IN_PROGRESS, Action.SUBMITTED_FOR_SIGN_OFF): Status.AWAITING_SIGN_OFF,
    (Kind.PSII, Status.AWAITING_SIGN_OFF, Action.RETURNED): Status.IN_PROGRESS,
    (Kind.PSII, Status.AWAITING_SIGN_OFF, Action.SIGNED_OFF): Status.SIGNED_OFF,
    (Kind.PSII, Status.SIGNED_OFF, Action.SHARED_WITH_ICB): Status.SHARED_WITH_ICB,
}
# Statuses in which nothing is left to do on the response itself.
FINISHED = frozenset({Status.CLOSED, Status.COMPLETED, Status.SIGNED_OFF, Status.SHARED_WITH_ICB})


class IllegalTransition(Exception):
    """A writer asked for an action the response's kind and status do not allow."""

    def __init__(self, kind: str, status: str | None, action: str):
        self.kind, self.status, self.action = kind, status, action
        shown = "a new response" if status is NEW else f"a response that is {Status(status).label.lower()}"
        super().__init__(f"{ACTION_LABELS[Action(action)]!r} is not allowed on {shown} ({Kind(kind).label})")


def transition(kind: str, status: str | None, action: str) -> str:
    try:
        return TRANSITIONS[(kind, status, action)]
    except KeyError:
        raise IllegalTransition(kind, status, action) from None


def is_allowed(response: Response, action: str) -> bool:
    return (response.kind, response.status, action) in TRANSITIONS


def audit(
    action: str,
    *,
    actor=None,
    api_client: str = "",
    organisation=None,
    response: Response | None = None,
    safety_action=None,
    plan=None,
    from_status: str = "",
    to_status: str = "",
    detail: dict[str, Any] | None = None,
) -> ResponseAuditEntry:
    """One audit entry; callers are inside the transaction of the change they describe. The audit
    trail is read unredacted, so a note (free text) is never written into it: the note goes to its
    encrypted, redacted field and the entry says `note_recorded`."""
    if detail and "note" in detail:
        raise ValueError("free text is not audited: store the note in its field, audit note_recorded")
    if organisation is None:
        source = response or safety_action or plan
        organisation = source.organisation if source is not None else None
    response_id = response.pk if response is not None else getattr(safety_action, "response_id", None)
    if response_id is not None and (from_status or "") != (to_status or ""):
        record_progress_changed.send(sender=Response, response_id=response_id)  # the closed loop
    return ResponseAuditEntry.objects.create(
        actor=actor,
        api_client=api_client,
        action=action,
        organisation=organisation,
        response=response,
        safety_action=safety_action,
        plan=plan,
        from_status=from_status or "",
        to_status=to_status or "",
        detail=detail or {},
    )


@transaction.atomic(savepoint=False)
def response_create(*, actor, api_client: str = "", **fields) -> Response:
    """A decided response, its status from the table, audited."""
    now = timezone.now()
    response = Response(
        status=transition(fields["kind"], NEW, Action.DECIDED),
        decided_by=actor,
        decided_by_api_client=api_client,
        decided_at=fields.pop("decided_at", None) or now,
        texts_changed_at=now,  # the rationale: redacted by the worker (free_text.py)
        **fields,
    )
    response.save()
    free_text.saved(response)
    tally_add(response)  # the oversight's counts (figures.py), in this transaction
    audit(
        Action.DECIDED,
        actor=actor,
        api_client=api_client,
        response=response,
        to_status=response.status,
        detail={"kind": response.kind, "requirements": list(response.requirements)},
    )
    return response


@transaction.atomic(savepoint=False)
def response_move(
    response: Response,
    action: str,
    *,
    actor,
    api_client: str = "",
    values: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> Response:
    """Moves a response on by `action` (locked, checked against the table), sets `values` with it,
    and audits it. `response` is updated in place."""
    locked = Response.objects.select_for_update().values("kind", "status").get(pk=response.pk)
    status = transition(locked["kind"], locked["status"], action)
    values = dict(values or {})
    if action == Action.ANSWERS_SAVED:
        values.update(redaction=RedactionState.PENDING, answers_changed_at=timezone.now())
    values["status"] = status
    for name, value in values.items():
        setattr(response, name, value)
    response.save(update_fields=[*values, "updated_at"])
    audit(
        action,
        actor=actor,
        api_client=api_client,
        response=response,
        from_status=locked["status"],
        to_status=status,
        detail=detail,
    )
    if action == Action.ANSWERS_SAVED:
        from .redaction_queue import response_redaction_queue

        response_redaction_queue(response)
    return response


@transaction.atomic(savepoint=False)
def response_redaction_publish(*, response_id: int, changed_at, redacted_answers: dict[str, Any]) -> bool:
    """Stores the redacted document if the answers are still those it was made from (a newer save
    waits for its own run); returns whether it was stored."""
    updated = Response.objects.filter(pk=response_id, answers_changed_at=changed_at).update(
        redacted_answers=redacted_answers, redaction=RedactionState.COMPLETE
    )
    return bool(updated)
