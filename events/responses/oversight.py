"""Reads for oversight: the figures an ICB, a board or the national team reads over responses and
safety actions, the providers an ICB oversees with their plans, the board report, the national
register of PSIIs and Never Events, and response plans (PSIRP), each scoped by the policy."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Cast, Coalesce
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

# A PSII ordinarily takes 1 to 3 months from the decision to the signed-off report, 6 at most.
ORDINARY, MAXIMUM = dt.timedelta(days=91), dt.timedelta(days=183)


# -- oversight -----------------------------------------------------------------------------------------
def psii_timeliness(response: Response, now: dt.datetime | None = None) -> str:
    """Within 3 months, within 6 months, or beyond 6 (still open ones by their age so far): the rule
    `oversight_figures` counts with in the database, for one response."""
    taken = (response.signed_off_at or now or timezone.now()) - response.decided_at
    if taken <= ORDINARY:
        return "within_3_months"
    if taken <= MAXIMUM:
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
    total = sum(mix.values())
    # Every figure is counted by the database: an ICB's responses are tens of thousands of rows.
    # From the event's own date (the record's event-date answer, at the start of that day), or from its
    # recording where the record does not know when it happened; those are counted to say so.
    waits = responses.filter(links__is_primary=True).annotate(
        wait=ExpressionWrapper(
            F("decided_at")
            - Coalesce(Cast("links__event__event_date", DateTimeField()), F("event_created_at")),
            output_field=DurationField(),
        ),
        # The response's id when its record has no event date: counted, it says how many fell back.
        undated_id=Case(When(links__event__event_date__isnull=True, then=F("id"))),
    )
    now = timezone.now()
    ordinary, maximum = now - ORDINARY, now - MAXIMUM
    # Signed off within the months allowed, or still open and not yet past them.
    within = Q(signed_off_at__isnull=False) & Q(signed_off_at__lte=F("decided_at") + ORDINARY)
    within |= Q(signed_off_at__isnull=True, decided_at__gte=ordinary)
    within_six = Q(signed_off_at__isnull=False) & Q(
        signed_off_at__lte=F("decided_at") + dt.timedelta(days=183)
    )
    within_six |= Q(signed_off_at__isnull=True, decided_at__gte=maximum)
    psii = responses.filter(kind=ResponseKind.PSII).aggregate(
        within_3_months=Count("id", filter=within),
        within_6_months=Count("id", filter=within_six & ~within),
        beyond_6_months=Count("id", filter=~within_six),
    )
    today = timezone.localdate()
    return {
        "mix": [(kind.label, mix.get(kind.value, 0)) for kind in ResponseKind],
        "total": total,
        **_decision_days(waits),
        "timeliness": [(TIMELINESS_LABELS[key], psii[key]) for key in TIMELINESS_LABELS],
        "open_psii": responses.filter(kind=ResponseKind.PSII).exclude(status__in=FINISHED).count(),
        "overdue_actions": actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today).count(),
        "open_actions": actions.filter(status__in=OPEN_ACTION_STATUSES).count(),
    }


class _Percentile(Aggregate):
    """PostgreSQL's `percentile_disc`: the value at a share of the ordered values, in one pass."""

    function = "percentile_disc"
    template = "%(function)s(%(share)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, share: float, **extra):
        super().__init__(expression, share=float(share), output_field=DurationField(), **extra)


def _decision_days(waits: QuerySet[Response]) -> dict[str, float | int | None]:
    """Median and 90th percentile days from the event to the decision, with how many decisions there
    are and how many of them were measured from the recording instead (no event date), counted by the
    database (one aggregate on PostgreSQL; SQLite, the demo's, reads the two rows at their offsets)."""
    counts = {"decisions": Count("id"), "undated": Count("undated_id")}
    if connection.vendor == "postgresql":
        found = waits.aggregate(median=_Percentile("wait", 0.5), p90=_Percentile("wait", 0.9), **counts)
    else:
        found = waits.aggregate(**counts)
        count = found["decisions"]
        ordered = waits.order_by("wait").values_list("wait", flat=True)
        found |= {
            name: ordered[min(count - 1, int(count * share))] if count else None
            for name, share in (("median", 0.5), ("p90", 0.9))
        }
    return {
        **{
            f"decision_days_{name}": None if found[name] is None else found[name].total_seconds() / 86400
            for name in ("median", "p90")
        },
        "decisions_measured": found["decisions"],
        "decisions_from_recording": found["undated"],
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
