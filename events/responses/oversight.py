"""Reads for oversight: the figures an ICB, a board or the national team reads over responses and
safety actions, the providers an ICB oversees with their plans, the board report, the national
register of PSIIs and Never Events, and response plans (PSIRP), each scoped by the policy."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.permissions import Action, Target, allows
from organisations.models import Organisation
from organisations.selectors import organisation_ids_counting_as, organisations_below

from .lifecycle import FINISHED
from .models import (
    OPEN_ACTION_STATUSES,
    PlanStatus,
    Response,
    ResponseKind,
    ResponseLink,
    ResponsePlan,
    SafetyAction,
)
from .selectors import organisation_ids_for
from .services import provider_of

PSII_ORDINARY_MONTHS, PSII_MAXIMUM_MONTHS = 3, 6


# -- oversight -----------------------------------------------------------------------------------------
def months_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).days / 30.44


def psii_timeliness(response: Response, now: dt.datetime | None = None) -> str:
    """Within 3 months, within 6 months, or beyond 6 (still open ones by their age so far)."""
    end = response.signed_off_at or now or timezone.now()
    months = months_between(response.decided_at, end)
    if months <= PSII_ORDINARY_MONTHS:
        return "within_3_months"
    if months <= PSII_MAXIMUM_MONTHS:
        return "within_6_months"
    return "beyond_6_months"


TIMELINESS_LABELS = {
    "within_3_months": "Within 3 months",
    "within_6_months": "3 to 6 months",
    "beyond_6_months": "Beyond 6 months",
}


def oversight_figures(responses: QuerySet[Response], actions: QuerySet[SafetyAction]) -> dict:
    """The figures an ICB, a board or the national team reads over a set of responses and actions."""
    mix = {row["kind"]: row["n"] for row in responses.values("kind").annotate(n=Count("id")).order_by()}
    decisions = list(responses.filter(links__is_primary=True).values_list("event_created_at", "decided_at"))
    days = sorted((decided - created).total_seconds() / 86400 for created, decided in decisions)
    now = timezone.now()
    timeliness = {key: 0 for key in TIMELINESS_LABELS}
    for response in responses.filter(kind=ResponseKind.PSII).only("decided_at", "signed_off_at"):
        timeliness[psii_timeliness(response, now)] += 1
    today = timezone.localdate()
    return {
        "mix": [(kind.label, mix.get(kind.value, 0)) for kind in ResponseKind],
        "total": sum(mix.values()),
        "decision_days_median": days[len(days) // 2] if days else None,
        "decision_days_p90": days[int(len(days) * 0.9)] if days else None,
        "timeliness": [(TIMELINESS_LABELS[key], count) for key, count in timeliness.items()],
        "open_psii": responses.filter(kind=ResponseKind.PSII).exclude(status__in=FINISHED).count(),
        "overdue_actions": actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today).count(),
        "open_actions": actions.filter(status__in=OPEN_ACTION_STATUSES).count(),
    }


def providers_overseen(user, icb: Organisation) -> list[dict]:
    """Each organisation below the ICB with responses or a plan: its latest plan and figures."""
    ids = organisation_ids_for(user, icb, True) - organisation_ids_counting_as(icb)
    if not ids:
        return []
    organisations = Organisation.objects.filter(
        Q(id__in=Response.objects.filter(organisation_id__in=ids).values("organisation_id"))
        | Q(id__in=ResponsePlan.objects.filter(organisation_id__in=ids).values("organisation_id"))
    ).order_by("name")
    plans = {}
    for plan in ResponsePlan.objects.filter(organisation__in=organisations).order_by(
        "organisation_id", "-version"
    ):
        plans.setdefault(plan.organisation_id, plan)
    return [
        {"organisation": organisation, "plan": plans.get(organisation.pk)} for organisation in organisations
    ]


def national_register(user) -> QuerySet[Response]:
    """Every PSII and every response to a Never Event, newest decision first (super admins)."""
    if not allows(user, Action.VIEW_NATIONAL_RESPONSE_REGISTER):
        return Response.objects.none()
    return (
        Response.objects.filter(Q(kind=ResponseKind.PSII) | Q(is_never_event=True))
        .select_related("organisation")
        .prefetch_related(
            Prefetch("links", queryset=ResponseLink.objects.filter(is_primary=True).select_related("event"))
        )
        .order_by("-decided_at", "-id")
    )


# -- plans ---------------------------------------------------------------------------------------------
def plans_of(organisation: Organisation) -> QuerySet[ResponsePlan]:
    return ResponsePlan.objects.filter(organisation=provider_of(organisation)).select_related(
        "written_by", "decided_by"
    )


def plan_visible_to(user, pk: int) -> ResponsePlan | None:
    plan = ResponsePlan.objects.select_related("organisation").filter(pk=pk).first()
    if plan is None:
        return None
    target = Target(plan.organisation)
    may = allows(user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, target) or allows(
        user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS, target
    )
    return plan if may else None


def plans_awaiting_agreement(user, icb: Organisation) -> QuerySet[ResponsePlan]:
    ids = list(organisations_below(icb).values_list("id", flat=True))
    plans = ResponsePlan.objects.filter(organisation_id__in=ids, status=PlanStatus.SUBMITTED).select_related(
        "organisation"
    )
    return (
        plans
        if any(
            allows(user, Action.AGREE_RESPONSE_PLANS_OF_CHILD_ORGANISATIONS, Target(p.organisation))
            for p in plans[:1]
        )
        else plans.none()
    )


def published_plan(organisation: Organisation) -> ResponsePlan | None:
    """The agreed plan the public page shows: the newest agreed version."""
    return (
        ResponsePlan.objects.filter(organisation=organisation, status=PlanStatus.AGREED)
        .order_by("-version")
        .first()
    )


def organisations_with_published_plans() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        id__in=ResponsePlan.objects.filter(status=PlanStatus.AGREED).values("organisation_id")
    ).order_by("name")


def board_report(user, organisation: Organisation) -> dict:
    """One organisation's responses for its board: the figures, its PSIIs and its overdue actions."""
    responses = Response.objects.filter(organisation=provider_of(organisation))
    actions = SafetyAction.objects.filter(organisation=provider_of(organisation))
    return {
        "figures": oversight_figures(responses, actions),
        "psiis": list(responses.filter(kind=ResponseKind.PSII).order_by("-decided_at")[:100]),
        "overdue": list(
            actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())
            .select_related("owner")
            .order_by("due_date")[:200]
        ),
        "plan": published_plan(provider_of(organisation)),
        "generated": timezone.now(),
    }
