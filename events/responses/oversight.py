"""Reads for oversight: the figures an ICB, a board or the national team reads over responses and
safety actions, the providers an ICB oversees with their plans, the board report, the national
register of PSIIs and Never Events, and response plans (PSIRP), each scoped by the policy."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from accounts.permissions import Action, Target, allows
from organisations.models import Organisation
from organisations.selectors import organisation_ids_counting_as, organisations_below

from . import figures, free_text, readers
from .lifecycle import FINISHED
from .models import (
    OPEN_ACTION_STATUSES,
    DecisionTally,
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


def oversight_figures(organisation_ids: set[int] | None) -> dict:
    """The figures an ICB, a board or the national team reads over the responses and safety actions of
    these organisations (None: every one), in three small queries:

    - the response mix and the decision-time percentiles from the decision tally (figures.py), a few
      hundred rows for an ICB instead of tens of thousands of responses;
    - PSII timeliness and open PSIIs from the PSIIs alone (`response_psii_figures_idx`);
    - open and overdue safety actions from `action_org_status_due_idx`.
    """
    scoped = (
        (lambda rows: rows)
        if organisation_ids is None
        else (lambda rows: rows.filter(organisation_id__in=sorted(organisation_ids)))
    )
    tally = list(
        scoped(DecisionTally.objects.all())
        .values_list("kind", "is_decision", "wait_days", "from_recording")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by_kind: dict[str, int] = {}
    waits: dict[int, int] = {}
    decisions = from_recording = 0
    for kind, is_decision, days, undated, n in tally:
        by_kind[kind] = by_kind.get(kind, 0) + n
        if is_decision:
            waits[days] = waits.get(days, 0) + n
            decisions += n
            from_recording += n if undated else 0
    median, p90 = figures.percentiles(list(waits.items()), (0.5, 0.9))

    now = timezone.now()
    # Signed off within the months allowed, or still open and not yet past them.
    within = Q(signed_off_at__isnull=False) & Q(signed_off_at__lte=F("decided_at") + ORDINARY)
    within |= Q(signed_off_at__isnull=True, decided_at__gte=now - ORDINARY)
    within_six = Q(signed_off_at__isnull=False) & Q(signed_off_at__lte=F("decided_at") + MAXIMUM)
    within_six |= Q(signed_off_at__isnull=True, decided_at__gte=now - MAXIMUM)
    # Counted on organisation_id, a column of the indexes, so the counts need no row from the table.
    psii = scoped(Response.objects.filter(kind=ResponseKind.PSII)).aggregate(
        within_3_months=Count("organisation_id", filter=within),
        within_6_months=Count("organisation_id", filter=within_six & ~within),
        beyond_6_months=Count("organisation_id", filter=~within_six),
        open_psii=Count("organisation_id", filter=~Q(status__in=FINISHED)),
    )
    open_actions = Q(status__in=OPEN_ACTION_STATUSES)
    actions = scoped(SafetyAction.objects.all()).aggregate(
        overdue=Count("organisation_id", filter=open_actions & Q(due_date__lt=timezone.localdate())),
        open=Count("organisation_id", filter=open_actions),
    )
    mix = [(kind.label, by_kind.get(kind.value, 0)) for kind in ResponseKind]
    return {
        "mix": mix,
        "total": sum(count for _, count in mix),
        # Whole days from the event (else its recording) to the decision.
        "decision_days_median": median,
        "decision_days_p90": p90,
        "decisions_measured": decisions,
        "decisions_from_recording": from_recording,
        "timeliness": [(TIMELINESS_LABELS[key], psii[key]) for key in TIMELINESS_LABELS],
        "open_psii": psii["open_psii"],
        "overdue_actions": actions["overdue"],
        "open_actions": actions["open"],
    }


def providers_overseen(user, icb: Organisation, scope_ids: set[int] | None = None) -> list[dict]:
    """Each organisation below the ICB with responses or a plan: its latest plan and figures.
    `scope_ids`: the organisations the user reads from the ICB down, when the caller has them."""
    if scope_ids is None:
        scope_ids = organisation_ids_for(user, icb, True)
    ids = scope_ids - organisation_ids_counting_as(icb)
    if not ids:
        return []
    # One index probe per organisation for "has responses", not a scan of their responses.
    organisations = (
        Organisation.objects.filter(id__in=sorted(ids))
        .filter(
            Exists(Response.objects.filter(organisation_id=OuterRef("pk")))
            | Exists(ResponsePlan.objects.filter(organisation_id=OuterRef("pk")))
        )
        .order_by("name")
    )
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


def plan_shown(user, plan: ResponsePlan) -> free_text.Shown:
    """A plan's summary and priorities as this reader sees them (raw for its author, by the policy)."""
    return free_text.Shown(plan, readers.plan_reader(user)(plan))


def plan_note_shown(user, plan: ResponsePlan) -> free_text.Shown:
    """A plan's decision note as this reader sees it (raw for the ICB admin who wrote it)."""
    return free_text.Shown(plan, readers.plan_note_reader(user)(plan))


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
    """The agreed plan the public page shows: the newest agreed version, its text redacted whoever
    reads it (`plan.shown`)."""
    plan = (
        ResponsePlan.objects.filter(organisation=organisation, status=PlanStatus.AGREED)
        .order_by("-version")
        .first()
    )
    return free_text.redacted_only(plan) if plan is not None else None


def organisations_with_published_plans() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        id__in=ResponsePlan.objects.filter(status=PlanStatus.AGREED).values("organisation_id")
    ).order_by("name")


def board_report(user, organisation: Organisation) -> dict:
    """One organisation's responses for its board: the figures, its PSIIs and its overdue actions."""
    provider = provider_of(organisation)
    responses = Response.objects.filter(organisation=provider)
    actions = SafetyAction.objects.filter(organisation=provider)
    plan = published_plan(provider_of(organisation))
    # A board paper: free text redacted whoever reads it (free_text.py).
    return {
        "figures": oversight_figures({provider.pk}),
        "psiis": list(responses.filter(kind=ResponseKind.PSII).order_by("-decided_at")[:100]),
        "overdue": free_text.show(
            actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())
            .select_related("owner")
            .order_by("due_date")[:200],
            lambda _action: False,
        ),
        "plan": plan,
        "generated": timezone.now(),
    }
