"""Writes for PSIRF responses: decisions, learning response documents, sign-off, engagement and the
duty of candour. Each service asks the policy (accounts/permissions.py), checks what the person typed
(a `Problems` error names each field and keeps nothing half-written), moves the response through its
lifecycle (lifecycle.py, which audits every change) and runs in one transaction.

Safety actions and response plans have their own modules (actions.py, plans.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.permissions import PSIRF_EXECUTIVE_LEAD, Action, Target, allows, forget_memberships
from events.models import Event
from organisations.models import Organisation, OrganisationKind

from . import documents, free_text, notifications, rules
from .lifecycle import DOCUMENT_KINDS, IllegalTransition, audit, response_create, response_move
from .lifecycle import ResponseAction as Move
from .models import (
    PsirfRole,
    Response,
    ResponseKind,
    ResponseLink,
)
from .people import user_by_email

INCIDENT = "1"


class Problems(Exception):
    """What was wrong with the input, by form field (`""` for the form as a whole)."""

    def __init__(self, problems: Mapping[str, str]):
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))


class NotAllowed(Exception):
    """The policy refuses the person this action (the view answers 403)."""


def provider_of(organisation: Organisation | None) -> Organisation | None:
    """The organisation that responds: a trust site's trust, else the organisation itself."""
    if (
        organisation is not None
        and organisation.kind == OrganisationKind.TRUST_SITE
        and organisation.parent_id
    ):
        return organisation.parent
    return organisation


def roles_of(user, organisation: Organisation | None) -> frozenset[str]:
    """The PSIRF roles the user holds for the organisation (its provider): what the policy reads."""
    provider = provider_of(organisation)
    if provider is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(
        PsirfRole.objects.filter(organisation=provider, user=user).values_list("role", flat=True)
    )


def target(user, organisation: Organisation | None) -> Target:
    return Target(organisation=provider_of(organisation), roles=roles_of(user, organisation))


def require(user, action: Action, organisation: Organisation | None) -> None:
    if not allows(user, action, target(user, organisation)):
        raise NotAllowed(action.value)


def on_team(user, response: Response) -> bool:
    """The response team: its lead, its members and whoever decided it. They read the raw text."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (response.lead_id, response.decided_by_id):
        return True
    return response.team.filter(pk=user.pk).exists()


@dataclass(frozen=True)
class ResponsePermissions:
    """What a person may do with one response, for its page (asked of the policy once each)."""

    edit: bool
    complete: bool
    submit: bool
    sign_off: bool
    share: bool
    close_referral: bool
    engage: bool
    add_actions: bool


def response_permissions(user, response: Response, team: bool) -> ResponsePermissions:
    from .lifecycle import is_allowed

    here = target(user, response.organisation)
    lead = team and allows(user, Action.LEAD_LEARNING_RESPONSE_FOR_MY_ORGANISATION, here)
    executive = allows(user, Action.SIGN_OFF_PSII_REPORT_FOR_MY_ORGANISATION, here)
    return ResponsePermissions(
        edit=lead and is_allowed(response, Move.ANSWERS_SAVED),
        complete=lead and is_allowed(response, Move.COMPLETED),
        submit=lead and is_allowed(response, Move.SUBMITTED_FOR_SIGN_OFF),
        sign_off=executive and is_allowed(response, Move.SIGNED_OFF),
        share=(lead or executive) and is_allowed(response, Move.SHARED_WITH_ICB),
        close_referral=allows(user, Action.DECIDE_RESPONSE_FOR_MY_ORGANISATION_EVENTS, here)
        and is_allowed(response, Move.REFERRAL_CLOSED),
        engage=lead,
        add_actions=allows(user, Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION, here),
    )


# -- the decision -------------------------------------------------------------------------------------
def person_who_may_lead(email: str, organisation: Organisation, field: str = "lead") -> Any:
    user = user_by_email(email)
    if user is None:
        raise Problems({field: "Enter the email address of someone with an account on this service"})
    forget_memberships(user)
    if not allows(user, Action.LEAD_LEARNING_RESPONSE_FOR_MY_ORGANISATION, target(user, organisation)):
        raise Problems(
            {
                field: f"{email} cannot lead responses for {organisation}: "
                "they need organisational or admin access"
            }
        )
    return user


@transaction.atomic
def response_decide(
    *,
    actor,
    event: Event,
    kind: str,
    rationale: str,
    lead_email: str = "",
    referral_body: str = "",
    linked_events: Iterable[Event] = (),
    api_client: str = "",
    decided_at: dt.datetime | None = None,
) -> Response:
    """Records the response decided for an incident (and, for a thematic review, the other records it
    looks at). `event` and `linked_events` come from the read gate."""
    organisation = provider_of(event.organisation)
    if not api_client:
        require(actor, Action.DECIDE_RESPONSE_FOR_MY_ORGANISATION_EVENTS, organisation)
    problems: dict[str, str] = {}
    if event.event_type != INCIDENT:
        raise Problems({"": "A response is decided for patient safety incidents only"})
    if kind not in ResponseKind.values:
        problems["kind"] = "Select the response"
    rationale = (rationale or "").strip()
    if not rationale:
        problems["rationale"] = "Enter why this response was chosen"
    elif len(rationale) > 5000:
        problems["rationale"] = "The rationale must be 5,000 characters or less"
    statutory = event.statutory.answers if event.statutory_id else {}
    answers = event.visible_revision.redacted_answers if event.visible_revision_id else {}
    found = rules.national_requirements(answers, statutory)
    if kind in ResponseKind.values and kind != ResponseKind.PSII and rules.psii_required(found):
        named = ", ".join(r.title for r in found if r.psii_required)
        problems["kind"] = f"This incident requires a patient safety incident investigation (PSII): {named}"
    referral_body = (referral_body or "").strip()
    if kind == ResponseKind.REFERRAL and not referral_body:
        problems["referral_body"] = "Enter the body the incident is referred to"
    linked = [e for e in linked_events if e.pk != event.pk]
    if kind == ResponseKind.THEMATIC and not linked:
        problems["linked"] = "Enter the reference numbers of the other records the thematic review looks at"
    if kind != ResponseKind.THEMATIC:
        linked = []
    lead = None
    if kind in DOCUMENT_KINDS and "kind" not in problems:
        try:
            lead = person_who_may_lead(lead_email, organisation) if lead_email else actor
        except Problems as problem:
            problems.update(problem.problems)
    if problems:
        raise Problems(problems)
    if ResponseLink.objects.filter(event=event, is_primary=True).exists():
        raise Problems({"": "A response has already been decided for this record"})
    response = response_create(
        actor=actor,
        api_client=api_client,
        organisation=organisation,
        kind=kind,
        rationale=rationale,
        event_created_at=event.created_at,
        event_date=event.event_date,
        is_decision=True,
        requirements=[r.code for r in found],
        is_never_event=rules.NEVER_EVENT in found,
        referral_body=referral_body,
        lead=lead,
        document_version=documents.version(kind) if kind in DOCUMENT_KINDS else "",
        candour_applies=rules.candour_applies(answers, statutory),
        decided_at=decided_at,
    )
    ResponseLink.objects.create(response=response, event=event, is_primary=True)
    ResponseLink.objects.bulk_create([ResponseLink(response=response, event=other) for other in linked])
    # Each referral the guidance names is tracked: a referral of its own per body, on the same record.
    for requirement in found:
        if requirement.psii_required or (kind == ResponseKind.REFERRAL and requirement.body == referral_body):
            continue
        referral = response_create(
            actor=actor,
            api_client=api_client,
            organisation=organisation,
            kind=ResponseKind.REFERRAL,
            rationale=f"National requirement: {requirement.title}",
            event_created_at=event.created_at,
            event_date=event.event_date,
            requirements=[requirement.code],
            referral_body=requirement.body,
        )
        ResponseLink.objects.create(response=referral, event=event)
    return response


def require_team(actor, response: Response) -> None:
    require(actor, Action.LEAD_LEARNING_RESPONSE_FOR_MY_ORGANISATION, response.organisation)
    if not on_team(actor, response):
        raise NotAllowed("not on the response team")


def _move(response: Response, action: str, **kwargs) -> Response:
    try:
        return response_move(response, action, **kwargs)
    except IllegalTransition as error:
        raise Problems({"": str(error)}) from error


@transaction.atomic
def response_team_add(*, actor, response: Response, email: str) -> Any:
    require_team(actor, response)
    member = (
        person_who_may_lead((email or "").strip(), response.organisation, field="email") if email else None
    )
    if member is None:
        raise Problems({"email": "Enter the email address of the person to add to the response team"})
    response.team.add(member)
    audit("team_member_added", actor=actor, response=response, detail={"user_id": member.pk})
    return member


@transaction.atomic
def response_team_remove(*, actor, response: Response, member_id: int) -> None:
    """Takes someone off the response team. The lead is changed, not removed (response_lead_set), and
    whoever decided the response stays on its team: taking either off would change nothing."""
    require_team(actor, response)
    if member_id == response.lead_id:
        raise Problems(
            {"": "The lead cannot be taken off the response team: change the lead first, then remove them"}
        )
    if member_id == response.decided_by_id:
        raise Problems({"": "Whoever decided the response stays on its team: they cannot be taken off"})
    member = response.team.filter(pk=member_id).first()
    if member is None:
        raise Problems({"": "That person is not on the response team"})
    response.team.remove(member)
    audit("team_member_removed", actor=actor, response=response, detail={"user_id": member.pk})


@transaction.atomic
def response_lead_set(*, actor, response: Response, email: str) -> Response:
    """Hands the learning response to another lead (who must be allowed to lead, by the policy). The
    previous lead stays on the team."""
    require_team(actor, response)
    email = (email or "").strip()
    if not email:
        raise Problems({"lead": "Enter the email address of the new lead"})
    lead = person_who_may_lead(email, response.organisation)
    if lead.pk == response.lead_id:
        raise Problems({"lead": f"{email} already leads this response"})
    before = response.lead
    response.lead = lead
    response.save(update_fields=["lead", "updated_at"])
    if before is not None:
        response.team.add(before)
    audit(
        "lead_changed",
        actor=actor,
        response=response,
        detail={"from_user_id": before.pk if before else None, "user_id": lead.pk},
    )
    return response


@transaction.atomic
def response_answers_save(*, actor, response: Response, data: Mapping[str, Any]) -> Response:
    """Saves the learning response document; its free text is redacted after the save commits."""
    require_team(actor, response)
    result = documents.validate(response.kind, data)
    if not result.ok:
        raise Problems(result.messages())
    return _move(response, Move.ANSWERS_SAVED, actor=actor, values={"answers": result.values})


def _complete_enough(response: Response) -> None:
    missing = documents.missing_for_completion(
        response.kind, response.answers or {}, response.document_version
    )
    if missing:
        raise Problems(missing)


@transaction.atomic
def response_complete(*, actor, response: Response) -> Response:
    require_team(actor, response)
    _complete_enough(response)
    return _move(response, Move.COMPLETED, actor=actor, values={"completed_at": timezone.now()})


@transaction.atomic
def response_submit_for_sign_off(*, actor, response: Response) -> Response:
    require_team(actor, response)
    _complete_enough(response)
    moved = _move(
        response,
        Move.SUBMITTED_FOR_SIGN_OFF,
        actor=actor,
        values={"submitted_for_sign_off_at": timezone.now()},
    )
    notifications.response_moved(moved, Move.SUBMITTED_FOR_SIGN_OFF)  # the executive lead(s)
    return moved


@transaction.atomic
def response_sign_off(*, actor, response: Response, decision: str, note: str = "") -> Response:
    """The PSIRF executive lead signs the PSII report off, or returns it with a note."""
    if not allows(
        actor, Action.SIGN_OFF_PSII_REPORT_FOR_MY_ORGANISATION, target(actor, response.organisation)
    ):
        raise Problems(
            {"decision": "Only the organisation's PSIRF executive lead can sign off a PSII report"}
        )
    note = (note or "").strip()
    # The note is free text: stored encrypted on the response and redacted, never in the audit trail.
    if decision == "sign_off":
        return _move(
            response,
            Move.SIGNED_OFF,
            actor=actor,
            values={
                "signed_off_by": actor,
                "signed_off_at": timezone.now(),
                **(free_text.change_values(response, sign_off_note=note) if note else {}),
            },
            detail={"note_recorded": True} if note else None,
        )
    if decision == "return":
        if not note:
            raise Problems({"note": "Enter what needs to change before the report can be signed off"})
        return _move(
            response,
            Move.RETURNED,
            actor=actor,
            values=free_text.change_values(response, sign_off_note=note),
            detail={"note_recorded": True},
        )
    raise Problems({"decision": "Select whether to sign off the report or return it"})


@transaction.atomic
def response_share_with_icb(*, actor, response: Response) -> Response:
    if not (on_team(actor, response) or PSIRF_EXECUTIVE_LEAD in roles_of(actor, response.organisation)):
        raise NotAllowed("share")
    require(actor, Action.LEAD_LEARNING_RESPONSE_FOR_MY_ORGANISATION, response.organisation)
    moved = _move(response, Move.SHARED_WITH_ICB, actor=actor, values={"shared_with_icb_at": timezone.now()})
    notifications.response_moved(moved, Move.SHARED_WITH_ICB)  # the ICB
    return moved


@transaction.atomic
def referral_close(*, actor, response: Response, note: str) -> Response:
    require(actor, Action.DECIDE_RESPONSE_FOR_MY_ORGANISATION_EVENTS, response.organisation)
    note = (note or "").strip()
    if not note:
        raise Problems({"note": "Enter what the body the incident was referred to has done"})
    return _move(
        response,
        Move.REFERRAL_CLOSED,
        actor=actor,
        values=free_text.change_values(response, referral_note=note),
        detail={"note_recorded": True},
    )


# -- local risk management systems (the API) -----------------------------------------------------------
# The statuses an API client may move a response to, and the move each one is. Sign-off is not here:
# only the PSIRF executive lead, a person, signs a PSII report off.
API_MOVES = {
    "completed": Move.COMPLETED,
    "awaiting_sign_off": Move.SUBMITTED_FOR_SIGN_OFF,
    "shared_with_icb": Move.SHARED_WITH_ICB,
    "closed": Move.REFERRAL_CLOSED,
}


@transaction.atomic
def response_status_set_by_api(
    *, api_client: str, response: Response, status: str, note: str = ""
) -> Response:
    """A local risk management system reports the learning response's progress, which it records in its
    own system; the lifecycle still decides what may follow what. The read gate has already said the
    client may act for the response's record."""
    if status == response.status:
        return response
    move = API_MOVES.get(status)
    if move is None:
        raise Problems({"status": f"An API client cannot set the status {status!r}"})
    values = {
        Move.COMPLETED: {"completed_at": timezone.now()},
        Move.SUBMITTED_FOR_SIGN_OFF: {"submitted_for_sign_off_at": timezone.now()},
        Move.SHARED_WITH_ICB: {"shared_with_icb_at": timezone.now()},
    }.get(move, {})
    detail = None
    if move == Move.REFERRAL_CLOSED:
        # As on the page: the note is required, and it is free text, so it is stored encrypted on the
        # response and redacted, never written into the audit trail.
        note = (note or "").strip()
        if not note:
            raise Problems({"note": "Enter what the body the incident was referred to has done"})
        values = free_text.change_values(response, referral_note=note)
        detail = {"note_recorded": True}
    moved = _move(response, move, actor=None, api_client=api_client, values=values, detail=detail)
    notifications.response_moved(moved, move)  # the same emails as when a person moves it
    return moved
