"""Engagement with the people affected, the duty of candour dates, and the PSIRF executive lead role:
the response team's and the organisation admin's writes (issue 19, docs/adr/0021). Like services.py,
each asks the policy, checks the input field by field (`Problems`) and is audited in its transaction.
Who the people affected are is stored encrypted and never written to the audit trail."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.permissions import Action
from organisations.models import Organisation

from . import free_text
from .lifecycle import audit
from .models import (
    AffectedPerson,
    EngagementEntry,
    EngagementKind,
    PersonRole,
    PsirfRole,
    PsirfRoleName,
    Response,
)
from .services import Problems, person_who_may_lead, provider_of, require, require_team


# -- engagement and the duty of candour ---------------------------------------------------------------
@transaction.atomic
def engagement_lead_set(*, actor, response: Response, email: str) -> Response:
    require_team(actor, response)
    lead = (
        person_who_may_lead((email or "").strip(), response.organisation, field="engagement_lead")
        if email
        else None
    )
    if lead is None:
        raise Problems({"engagement_lead": "Enter the email address of the engagement lead"})
    response.engagement_lead = lead
    response.save(update_fields=["engagement_lead", "updated_at"])
    audit("engagement_lead_set", actor=actor, response=response, detail={"user_id": lead.pk})
    return response


def _person_checked(role: str, name: str, contact: str, preferences: str) -> None:
    problems = {}
    if role not in PersonRole.values:
        problems["role"] = "Select who the person is"
    if not (name or "").strip():
        problems["name"] = "Enter the person's name"
    elif len(name.strip()) > 200:
        problems["name"] = "The name must be 200 characters or less"
    if len(contact or "") > 500:
        problems["contact"] = "Contact details must be 500 characters or less"
    if len(preferences or "") > 1000:
        problems["preferences"] = "Contact preferences must be 1,000 characters or less"
    if problems:
        raise Problems(problems)


@transaction.atomic
def affected_person_add(
    *, actor, response: Response, role: str, name: str, contact: str, preferences: str
) -> AffectedPerson:
    require_team(actor, response)
    _person_checked(role, name, contact, preferences)
    person = AffectedPerson.objects.create(
        response=response,
        role=role,
        details={
            "name": name.strip(),
            "contact": (contact or "").strip(),
            "preferences": (preferences or "").strip(),
        },
    )
    audit("affected_person_added", actor=actor, response=response, detail={"role": role})  # never who
    return person


@transaction.atomic
def affected_person_update(
    *, actor, response: Response, person: AffectedPerson, role: str, name: str, contact: str, preferences: str
) -> AffectedPerson:
    """Changes who a person affected is or how to reach them. The audit names the fields changed,
    never their values (they stay encrypted, for the response team)."""
    require_team(actor, response)
    if person.response_id != response.pk:
        raise Problems({"": "This person is not part of this response"})
    _person_checked(role, name, contact, preferences)
    locked = AffectedPerson.objects.select_for_update().get(pk=person.pk)
    details = {
        "name": name.strip(),
        "contact": (contact or "").strip(),
        "preferences": (preferences or "").strip(),
    }
    before = {**(locked.details or {}), "role": locked.role}
    changed = sorted(key for key, value in {**details, "role": role}.items() if before.get(key, "") != value)
    if changed:
        person.role, person.details = role, details
        person.save(update_fields=["role", "details"])
        audit(
            "affected_person_updated",
            actor=actor,
            response=response,
            detail={"role": role, "changed": changed},
        )
    return person


@transaction.atomic
def affected_person_remove(*, actor, response: Response, person: AffectedPerson) -> None:
    require_team(actor, response)
    if person.response_id != response.pk:
        raise Problems({"": "This person is not part of this response"})
    role = person.role
    person.delete()
    audit("affected_person_removed", actor=actor, response=response, detail={"role": role})


def _entry_checked(kind: str, happened_on: dt.date | None, note: str) -> None:
    problems = entry_problems(kind, happened_on, note)
    if problems:
        raise Problems(problems)


def entry_problems(kind: str, happened_on: dt.date | None, note: str) -> dict[str, str]:
    """What is wrong with an engagement entry, by field (the page adds its own date message)."""
    problems = {}
    if kind not in EngagementKind.values:
        problems["kind"] = "Select what happened"
    if happened_on is None:
        problems["happened_on"] = "Enter the date it happened, for example 27 3 2026"
    elif happened_on > timezone.localdate():
        problems["happened_on"] = "The date it happened must be today or in the past"
    if len(note or "") > 2000:
        problems["note"] = "The note must be 2,000 characters or less"
    return problems


@transaction.atomic
def engagement_entry_update(
    *, actor, response: Response, entry: EngagementEntry, kind: str, happened_on: dt.date | None, note: str
) -> EngagementEntry:
    """Corrects a meeting, a terms of reference or draft report shared, or comments received. A changed
    note awaits redaction again (free_text.py)."""
    require_team(actor, response)
    if entry.response_id != response.pk:
        raise Problems({"": "This entry is not part of this response"})
    _entry_checked(kind, happened_on, note)
    locked = EngagementEntry.objects.select_for_update().get(pk=entry.pk)
    note = (note or "").strip()
    changed = sorted(
        name
        for name, before, after in (
            ("kind", locked.kind, kind),
            ("happened_on", locked.happened_on, happened_on),
            ("note", locked.note, note),
        )
        if before != after
    )
    if not changed:
        return entry
    entry.kind, entry.happened_on = kind, happened_on
    fields = ["kind", "happened_on"]
    if "note" in changed:
        fields += list(free_text.change(entry, note=note))
    entry.save(update_fields=fields)
    audit(
        "engagement_updated",
        actor=actor,
        response=response,
        detail={"kind": kind, "on": happened_on.isoformat(), "changed": changed},
    )
    return entry


@transaction.atomic
def engagement_entry_remove(*, actor, response: Response, entry: EngagementEntry) -> None:
    require_team(actor, response)
    if entry.response_id != response.pk:
        raise Problems({"": "This entry is not part of this response"})
    detail = {"kind": entry.kind, "on": entry.happened_on.isoformat()}
    entry.delete()
    audit("engagement_removed", actor=actor, response=response, detail=detail)


@transaction.atomic
def engagement_record(
    *, actor, response: Response, kind: str, happened_on: dt.date | None, note: str
) -> EngagementEntry:
    require_team(actor, response)
    _entry_checked(kind, happened_on, note)
    entry = EngagementEntry.objects.create(
        response=response,
        kind=kind,
        happened_on=happened_on,
        note=(note or "").strip(),
        recorded_by=actor,
        texts_changed_at=timezone.now(),
    )
    free_text.saved(entry)
    audit(
        "engagement_recorded",
        actor=actor,
        response=response,
        detail={"kind": kind, "on": happened_on.isoformat()},
    )
    return entry


@transaction.atomic
def candour_record(
    *, actor, response: Response, notified_on: dt.date | None, written_on: dt.date | None
) -> Response:
    require_team(actor, response)
    today = timezone.localdate()
    problems = {}
    if notified_on and notified_on > today:
        problems["notified_on"] = "The date of the notification must be today or in the past"
    if written_on and written_on > today:
        problems["written_on"] = "The date of the written follow-up must be today or in the past"
    if written_on and not notified_on:
        problems["notified_on"] = "Enter the date the person was told, before the written follow-up"
    elif written_on and notified_on and written_on < notified_on:
        problems["written_on"] = "The written follow-up must be on or after the notification"
    if problems:
        raise Problems(problems)
    before = {
        "notified_on": str(response.candour_notified_on or ""),
        "written_on": str(response.candour_written_on or ""),
    }
    response.candour_notified_on, response.candour_written_on = notified_on, written_on
    response.save(update_fields=["candour_notified_on", "candour_written_on", "updated_at"])
    audit(
        "candour_recorded",
        actor=actor,
        response=response,
        detail={
            "before": before,
            "after": {"notified_on": str(notified_on or ""), "written_on": str(written_on or "")},
        },
    )
    return response


# -- the PSIRF executive lead role --------------------------------------------------------------------
@transaction.atomic
def executive_lead_designate(*, actor, organisation: Organisation, email: str) -> PsirfRole:
    require(actor, Action.DESIGNATE_PSIRF_EXECUTIVE_LEAD_FOR_MY_ORGANISATION, organisation)
    user = person_who_may_lead((email or "").strip(), organisation, field="email") if email else None
    if user is None:
        raise Problems({"email": "Enter the email address of the PSIRF executive lead"})
    organisation = provider_of(organisation)
    PsirfRole.objects.filter(organisation=organisation, role=PsirfRoleName.EXECUTIVE_LEAD).exclude(
        user=user
    ).delete()
    role, _ = PsirfRole.objects.get_or_create(
        organisation=organisation,
        user=user,
        role=PsirfRoleName.EXECUTIVE_LEAD,
        defaults={"granted_by": actor},
    )
    audit("executive_lead_designated", actor=actor, organisation=organisation, detail={"user_id": user.pk})
    return role


def executive_leads(organisation: Organisation) -> list:
    """Who holds the PSIRF executive lead role for the organisation (its provider)."""
    return [
        role.user
        for role in PsirfRole.objects.filter(
            organisation=provider_of(organisation), role=PsirfRoleName.EXECUTIVE_LEAD
        ).select_related("user")
    ]
