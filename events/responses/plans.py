"""Patient safety incident response plans (PSIRP): an organisation's admin writes a version, submits
it to the ICB above, whose admins agree it or return it with a note (like an access request). Every
version is kept; the newest agreed one is the one published. Each step is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import Action, Target, allows
from organisations.models import Organisation

from . import free_text, notifications
from .lifecycle import audit
from .models import PlanStatus, ResponseKind, ResponsePlan
from .services import NotAllowed, Problems, provider_of

MAX_PRIORITIES = 20
# (status, step) -> status: a plan moves only along these.
PLAN_TRANSITIONS = {
    (PlanStatus.DRAFT, "submit"): PlanStatus.SUBMITTED,
    (PlanStatus.RETURNED, "submit"): PlanStatus.SUBMITTED,
    (PlanStatus.SUBMITTED, "agree"): PlanStatus.AGREED,
    (PlanStatus.SUBMITTED, "return"): PlanStatus.RETURNED,
}
STEP_NAMES = {"submit": "submitted", "agree": "agreed", "return": "returned"}


def priorities_from(data) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The plan's priorities from the form's rows (`priority-N`, `method-N`), with messages."""
    priorities, problems = [], {}
    for number in range(1, MAX_PRIORITIES + 1):
        priority = (data.get(f"priority-{number}") or "").strip()
        method = data.get(f"method-{number}") or ""
        if not priority and not method:
            continue
        if not priority:
            problems[f"priority-{number}"] = f"Enter priority {number}, or leave its response method empty"
        elif len(priority) > 300:
            problems[f"priority-{number}"] = f"Priority {number} must be 300 characters or less"
        if method not in ResponseKind.values:
            problems[f"method-{number}"] = f"Select the planned response method for priority {number}"
        priorities.append({"priority": priority, "method": method})
    if not priorities and not problems:
        problems["priority-1"] = "Enter at least one priority with its planned response method"
    return priorities, problems


@transaction.atomic
def plan_write(*, actor, organisation: Organisation, summary: str, data: Any) -> ResponsePlan:
    organisation = provider_of(organisation)
    if not allows(actor, Action.WRITE_RESPONSE_PLAN_FOR_MY_ORGANISATION, Target(organisation)):
        raise NotAllowed("write plan")
    priorities, problems = priorities_from(data)
    summary = (summary or "").strip()
    if not summary:
        problems = {"summary": "Enter a summary of the plan", **problems}
    if problems:
        raise Problems(problems)
    last = (
        ResponsePlan.objects.select_for_update()
        .filter(organisation=organisation)
        .aggregate(n=Max("version"))["n"]
    )
    plan = ResponsePlan.objects.create(
        organisation=organisation,
        version=(last or 0) + 1,
        summary=summary,
        priorities=priorities,
        written_by=actor,
        texts_changed_at=timezone.now(),
    )
    free_text.saved(plan)
    audit("plan_written", actor=actor, plan=plan, to_status=plan.status, detail={"version": plan.version})
    return plan


@transaction.atomic
def plan_step(*, actor, plan: ResponsePlan, step: str, note: str = "") -> ResponsePlan:
    """Submit (the organisation's admin), agree or return (an admin of the ICB above it)."""
    if step == "submit":
        allowed = allows(actor, Action.WRITE_RESPONSE_PLAN_FOR_MY_ORGANISATION, Target(plan.organisation))
    else:
        allowed = allows(actor, Action.AGREE_RESPONSE_PLANS_OF_CHILD_ORGANISATIONS, Target(plan.organisation))
    if not allowed:
        raise NotAllowed(step)
    locked = ResponsePlan.objects.select_for_update().get(pk=plan.pk)
    new_status = PLAN_TRANSITIONS.get((locked.status, step))
    if new_status is None:
        raise Problems(
            {
                "": f"A plan that is {locked.get_status_display().lower()} "
                f"cannot be {STEP_NAMES.get(step, step)}"
            }
        )
    note = (note or "").strip()
    if step == "return" and not note:
        raise Problems({"note": "Enter what the organisation needs to change"})
    values: dict[str, Any] = {"status": new_status}
    if step == "submit":
        values["submitted_at"] = timezone.now()
    else:
        values.update(decided_by=actor, decided_at=timezone.now())
        if note:
            values.update(free_text.change(plan, decision_note=note))
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save(update_fields=list(values))
    audit(
        f"plan_{STEP_NAMES[step]}",
        actor=actor,
        plan=plan,
        from_status=locked.status,
        to_status=new_status,
        detail={"version": plan.version, **({"note_recorded": True} if note else {})},
    )
    notifications.plan_stepped(plan, step)
    return plan
