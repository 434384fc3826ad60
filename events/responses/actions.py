"""The safety actions register: safety actions, safety improvement plans grouping them (across
responses), and the overdue reminders. Each write asks the policy, checks the input field by field
(`Problems`), and is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.permissions import Action, allows, forget_memberships
from organisations.models import Organisation

from . import free_text, notifications, readers
from .lifecycle import audit
from .models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Response,
    SafetyAction,
    SafetyImprovementPlan,
    Strength,
)
from .people import user_by_email
from .services import NotAllowed, Problems, provider_of, target

FIELDS = (
    "area_for_improvement",
    "action",
    "owner",
    "due_date",
    "measure",
    "strength",
    "status",
    "evidence",
    "plan",
)


def _require(actor, organisation: Organisation) -> None:
    if not allows(actor, Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION, target(actor, organisation)):
        raise NotAllowed("manage safety actions")


def _owner(email: str, organisation: Organisation, problems: dict[str, str]):
    owner = user_by_email(email)
    if owner is None:
        problems["owner"] = (
            "Enter the email address of the action's owner"
            if not (email or "").strip()
            else f"No one with the email address {email.strip()} has an account on this service"
        )
        return None
    forget_memberships(owner)
    # A member of the organisation who reads its responses, as the owner reads the action's text (the
    # policy): not a super admin by that alone, nor an ICB or region member above it.
    if not readers.reads_raw(owner, "safety_action", {"owns_it"}, organisation):
        problems["owner"] = f"{email.strip()} is not a member of {organisation}"
        return None
    return owner


def _checked(
    values: dict[str, Any],
    organisation: Organisation,
    *,
    creating: bool,
    current: SafetyAction | None = None,
    today: dt.date | None = None,
):
    problems: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, label, limit in (
        ("area_for_improvement", "the area for improvement", 500),
        ("action", "the safety action", 5000),
        ("measure", "how its effectiveness will be measured", 2000),
    ):
        text = (values.get(name) or "").strip()
        if not text:
            problems[name] = f"Enter {label}"
        elif len(text) > limit:
            problems[name] = f"{label[0].upper()}{label[1:]} must be {limit:,} characters or less"
        clean[name] = text
    clean["owner"] = _owner(values.get("owner_email", ""), organisation, problems)
    due = values.get("due_date")
    if due is None:
        problems["due_date"] = values.get("due_date_error") or "Enter the due date, for example 27 3 2027"
    elif due < (today or timezone.localdate()) and (creating or current is None or due != current.due_date):
        problems["due_date"] = "The due date must be today or in the future"
    clean["due_date"] = due
    if values.get("strength") not in Strength.values:
        problems["strength"] = "Select the strength of the action"
    clean["strength"] = values.get("strength")
    status = values.get("status") or ActionStatus.NOT_STARTED
    if status not in ActionStatus.values:
        problems["status"] = "Select the status of the action"
    clean["status"] = status
    clean["evidence"] = (values.get("evidence") or "").strip()
    if status == ActionStatus.COMPLETED and not clean["evidence"]:
        problems["evidence"] = "Enter the evidence that the action is complete"
    plan = values.get("plan")
    if plan is not None and plan.organisation_id != organisation.pk:
        problems["plan"] = "Select a safety improvement plan of this organisation"
    clean["plan"] = plan
    if problems:
        raise Problems(problems)
    return clean


@transaction.atomic
def safety_action_create(
    *,
    actor,
    organisation: Organisation,
    values: dict[str, Any],
    response: Response | None = None,
    api_client: str = "",
    today: dt.date | None = None,
) -> SafetyAction:
    """A new safety action. `today` is the date it is recorded as of (the demo's history); the due
    date may not be before it."""
    organisation = provider_of(organisation)
    if not api_client:
        _require(actor, organisation)
    clean = _checked(values, organisation, creating=True, today=today)
    action = SafetyAction.objects.create(
        organisation=organisation,
        response=response,
        created_by=actor or clean["owner"],
        texts_changed_at=timezone.now(),
        **clean,
    )
    free_text.saved(action)
    audit(
        "safety_action_created",
        actor=actor,
        api_client=api_client,
        safety_action=action,
        response=response,
        to_status=action.status,
    )
    return action


@transaction.atomic
def safety_action_update(
    *, actor, action: SafetyAction, values: dict[str, Any], api_client: str = ""
) -> SafetyAction:
    if not api_client:
        _require(actor, action.organisation)
        # A person edits the text as written, so only its raw readers (by the policy) change it; an
        # API client reads and sends back the redacted text, which leaves the stored text (api.py).
        if not readers.safety_action_reader(actor, [action])(action):
            raise NotAllowed("only those who read the safety action as written change it")
    locked = SafetyAction.objects.select_for_update().get(pk=action.pk)
    clean = _checked(values, action.organisation, creating=False, current=locked)
    changed = sorted(
        name
        for name, value in clean.items()
        if (getattr(locked, f"{name}_id") if name in ("owner", "plan") else getattr(locked, name))
        != (value.pk if name in ("owner", "plan") and value is not None else value)
    )
    from_status = locked.status
    # Written onto the locked row, and only the fields this change sets: `action` was read before the
    # lock, and saving it whole could put back what the worker stored meanwhile (`redacted_texts`).
    for name, value in clean.items():
        setattr(locked, name, value)
    saved = [*clean, "updated_at"]
    if set(changed) & set(free_text.FIELDS["safety_action"][1]):
        free_text.changed(locked)
        saved += free_text.CHANGE_FIELDS
    locked.save(update_fields=saved)
    for field in SafetyAction._meta.concrete_fields:  # the caller's object shows what is stored now
        setattr(action, field.attname, getattr(locked, field.attname))
    audit(
        "safety_action_updated",
        actor=actor,
        api_client=api_client,
        safety_action=action,
        response=action.response,
        from_status=from_status,
        to_status=action.status,
        detail={"changed": changed},
    )
    return action


@transaction.atomic
def safety_plan_create(
    *, actor, organisation: Organisation, title: str, description: str
) -> SafetyImprovementPlan:
    organisation = provider_of(organisation)
    _require(actor, organisation)
    title = (title or "").strip()
    if not title:
        raise Problems({"title": "Enter the name of the safety improvement plan"})
    if len(title) > 200:
        raise Problems({"title": "The name must be 200 characters or less"})
    plan = SafetyImprovementPlan.objects.create(
        organisation=organisation,
        title=title,
        description=(description or "").strip(),
        created_by=actor,
        texts_changed_at=timezone.now(),
    )
    free_text.saved(plan)
    audit(
        "safety_plan_created",
        actor=actor,
        organisation=organisation,
        detail={"plan_id": plan.pk, "title": title},
    )
    return plan


def overdue_reminders_send(*, today: dt.date | None = None) -> int:
    """Emails each owner of an open action past its due date, once a week at most; returns how many
    reminders were sent. Run daily by Celery beat (tasks.py)."""
    today = today or timezone.localdate()
    week_ago = today - dt.timedelta(days=7)
    due = (
        SafetyAction.objects.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
        .exclude(last_reminded_on__gt=week_ago)
        .select_related("owner", "organisation")
        .order_by("owner_id", "due_date")
    )
    by_owner: dict[int, list[SafetyAction]] = {}
    for action in due:
        by_owner.setdefault(action.owner_id, []).append(action)
    sent = 0
    for actions in by_owner.values():
        owner = actions[0].owner
        forget_memberships(owner)
        # The policy still decides: an owner who has since left the organisation is not emailed.
        actions = [
            a
            for a in actions
            if allows(owner, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, target(owner, a.organisation))
        ]
        if not actions:
            continue
        with transaction.atomic():
            SafetyAction.objects.filter(pk__in=[a.pk for a in actions]).update(last_reminded_on=today)
            for action in actions:
                audit(
                    "overdue_reminder_sent",
                    safety_action=action,
                    detail={"due_date": action.due_date.isoformat()},
                )
            notifications.overdue_actions(owner, actions, today)  # queued to the worker on commit
        sent += 1
    return sent
