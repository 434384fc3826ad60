"""Reads for PSIRF responses, each already scoped by the policy.

Which organisations' responses a person reads follows the same rules as records (events/visibility.py,
whose `Scope` the pages share): their own organisations (`view_responses_of_my_organisation`) and,
for ICB and region members, those below (`oversee_responses_of_child_organisations`); super admins
every organisation. The records in the decision queue come from the read gate itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.permissions import Action, Target, allows
from events.models import Event
from events.organisation_selectors import HEAVY_COLUMNS
from events.visibility import Scope, events_visible_to, organisations_viewable_by
from organisations.models import Organisation
from organisations.selectors import organisation_ids_counting_as, organisations_below

from . import rules
from .lifecycle import FINISHED
from .models import (
    OPEN_ACTION_STATUSES,
    PlanStatus,
    Response,
    ResponseAuditEntry,
    ResponseKind,
    ResponseLink,
    ResponsePlan,
    ResponseStatus,
    SafetyAction,
    SafetyImprovementPlan,
)
from .services import on_team, provider_of

INCIDENT = "1"
CANDOUR_WORKING_DAYS = 10  # notification, then the written follow-up, each within ten working days
PSII_ORDINARY_MONTHS, PSII_MAXIMUM_MONTHS = 3, 6


# -- scope --------------------------------------------------------------------------------------------
def _sees_all(user) -> bool:
    return allows(user, Action.VIEW_EVENTS_OF_EVERY_ORGANISATION) and allows(
        user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION
    )


def _ids_for(user, organisation: Organisation, include_below: bool) -> set[int]:
    ids: set[int] = set()
    if allows(user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, Target(organisation)):
        ids |= organisation_ids_counting_as(organisation)
    if include_below:
        below = list(organisations_below(organisation).only("id", "kind", "parent_id")[:1])
        if below and allows(user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS, Target(below[0])):
            ids.update(organisations_below(organisation).values_list("id", flat=True))
    return ids


def response_organisation_ids(user, scope: Scope | None) -> set[int] | None:
    """The organisations whose responses the user reads in this scope; None means every one."""
    if scope is not None and scope.organisation is not None:
        return _ids_for(user, scope.organisation, scope.include_below)
    if _sees_all(user):
        return None
    ids: set[int] = set()
    for organisation in organisations_viewable_by(user):
        ids |= _ids_for(user, organisation, True)
    return ids


def _scoped(queryset: QuerySet, ids: set[int] | None) -> QuerySet:
    return queryset if ids is None else queryset.filter(organisation_id__in=sorted(ids))


def responses_visible_to(user, scope: Scope | None = None) -> QuerySet[Response]:
    return _scoped(Response.objects.all(), response_organisation_ids(user, scope))


def response_visible_to(user, pk: int) -> Response | None:
    response = (
        Response.objects.select_related(
            "organisation", "lead", "decided_by", "signed_off_by", "engagement_lead"
        )
        .filter(pk=pk)
        .first()
    )
    if response is None:
        return None
    organisation = response.organisation
    may = allows(user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, Target(organisation)) or allows(
        user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS, Target(organisation)
    )
    return response if may else None


# -- the decision queue -------------------------------------------------------------------------------
def awaiting_decision(user, scope: Scope) -> QuerySet[Event]:
    """Incidents the user may see in this scope with no response decided yet, newest first."""
    decided = ResponseLink.objects.filter(event_id=OuterRef("pk"))
    return (
        events_visible_to(user, scope=scope)
        .filter(event_type=INCIDENT)
        .exclude(Exists(decided))
        # What the rows show, joined; not the search columns nor the raw (encrypted) answers.
        .select_related("organisation", "visible_revision", "statutory")
        .defer(*HEAVY_COLUMNS, "visible_revision__answers")
        .order_by("-created_at", "-id")
    )


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The date `days` working days (Monday to Friday) after `start`; bank holidays are not counted out."""
    current = start
    while days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


@dataclass(frozen=True)
class Clock:
    label: str  # "Notification", "Written follow-up"
    due: dt.date | None
    done: dt.date | None
    today: dt.date

    @property
    def state(self) -> str:
        if self.done:
            return "done"
        if self.due and self.due < self.today:
            return "overdue"
        return "due"

    @property
    def text(self) -> str:
        if self.done:
            return f"{self.label}: done on {self.done:%-d %B %Y}"
        if self.due is None:
            return f"{self.label}: not yet due"
        if self.state == "overdue":
            return f"{self.label}: overdue since {self.due:%-d %B %Y}"
        return f"{self.label}: due by {self.due:%-d %B %Y}"


def candour_clocks(
    recorded_on: dt.date,
    notified_on: dt.date | None,
    written_on: dt.date | None,
    today: dt.date | None = None,
) -> tuple[Clock, Clock]:
    """The duty of candour clocks of a notifiable incident: notification within ten working days of
    it being recorded, the written follow-up within ten working days of the notification."""
    today = today or timezone.localdate()
    notification_due = working_days_after(recorded_on, CANDOUR_WORKING_DAYS)
    written_due = working_days_after(notified_on, CANDOUR_WORKING_DAYS) if notified_on else None
    return (
        Clock("Notification", notification_due, notified_on, today),
        Clock("Written follow-up", written_due, written_on, today),
    )


@dataclass(frozen=True)
class QueueRow:
    event: Event
    requirements: tuple[rules.Requirement, ...]
    candour: tuple[Clock, Clock] | None


def queue_rows(events) -> list[QueueRow]:
    """What the queue shows for each record of a page: national requirements and candour clock."""
    rows = []
    for event in events:
        answers = event.visible_revision.redacted_answers if event.visible_revision_id else {}
        statutory = event.statutory.answers if event.statutory_id else {}
        candour = None
        if rules.candour_applies(answers, statutory):
            candour = candour_clocks(timezone.localdate(event.created_at), None, None)
        rows.append(QueueRow(event, rules.national_requirements(answers, statutory), candour))
    return rows


def decision_context(event: Event) -> dict:
    answers = event.visible_revision.redacted_answers if event.visible_revision_id else {}
    statutory = event.statutory.answers if event.statutory_id else {}
    found = rules.national_requirements(answers, statutory)
    return {
        "requirements": found,
        "psii_required": rules.psii_required(found),
        "referral_bodies": rules.referral_bodies(found),
        "candour": rules.candour_applies(answers, statutory),
    }


def event_for_decision(user, reference: str) -> Event | None:
    from events.visibility import event_visible_to

    return event_visible_to(user, reference)


def events_by_references(user, references: list[str]) -> tuple[list[Event], list[str]]:
    """The records a thematic review links, read through the gate; and the references not found."""
    from events.visibility import event_visible_to

    found, missing = [], []
    for reference in references:
        event = event_visible_to(user, reference.replace("-", "").strip())
        (found if event is not None else missing).append(event or reference)
    return found, missing


def responses_of_event(user, event: Event) -> list[Response]:
    """The responses a record is part of, for its page (the reader already sees the record)."""
    return (
        list(
            Response.objects.filter(links__event=event)
            .select_related("lead")
            .order_by("decided_at")
            .distinct()
        )
        if _ids_allow(user, event)
        else []
    )


def record_responses_context(user, event: Event) -> dict:
    """The record page's responses section: each response with its candour clocks."""
    visible = _ids_allow(user, event)
    rows = []
    for response in responses_of_event(user, event) if visible else []:
        clocks = None
        if response.candour_applies:
            clocks = candour_clocks(
                timezone.localdate(event.created_at),
                response.candour_notified_on,
                response.candour_written_on,
            )
        rows.append({"response": response, "candour": clocks})
    return {"visible": visible, "responses": rows}


def _ids_allow(user, event: Event) -> bool:
    organisation = provider_of(event.organisation)
    return allows(user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, Target(organisation)) or allows(
        user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS, Target(organisation)
    )


# -- one response ---------------------------------------------------------------------------------------
def response_detail(user, response: Response) -> dict:
    team = on_team(user, response)
    links = list(
        ResponseLink.objects.filter(response=response)
        .select_related("event")
        .order_by("-is_primary", "event_id")
    )
    clocks = None
    if response.candour_applies:
        primary = next((link.event for link in links if link.is_primary), links[0].event if links else None)
        recorded = (
            timezone.localdate(primary.created_at) if primary else timezone.localdate(response.decided_at)
        )
        clocks = candour_clocks(recorded, response.candour_notified_on, response.candour_written_on)
    return {
        "on_team": team,
        "answers": response.answers if team else response.redacted_answers,
        "being_processed": not team and response.redaction == "pending" and response.redacted_answers is None,
        "links": links,
        "requirements": [rules.BY_CODE[code] for code in response.requirements if code in rules.BY_CODE],
        "candour": clocks,
        "team": list(response.team.all()),
        "people": list(response.people.all()) if team else [],
        "engagement": list(response.engagement.select_related("recorded_by")) if team else [],
        "actions": list(response.safety_actions.select_related("owner").order_by("due_date")),
        "audit": list(ResponseAuditEntry.objects.filter(response=response).select_related("actor")[:50]),
    }


# -- safety actions ------------------------------------------------------------------------------------
def safety_actions_visible_to(user, scope: Scope | None) -> QuerySet[SafetyAction]:
    return _scoped(SafetyAction.objects.all(), response_organisation_ids(user, scope))


def register(user, scope: Scope | None, *, overdue: bool = False, status: str = "") -> QuerySet[SafetyAction]:
    actions = safety_actions_visible_to(user, scope).select_related("owner", "organisation", "plan")
    if overdue:
        actions = actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())
    elif status:
        actions = actions.filter(status=status)
    return actions.order_by("due_date", "id")


def safety_action_visible_to(user, pk: int) -> SafetyAction | None:
    action = (
        SafetyAction.objects.select_related("organisation", "owner", "plan", "response").filter(pk=pk).first()
    )
    if action is None:
        return None
    ids = response_organisation_ids(user, None)
    return action if ids is None or action.organisation_id in ids else None


def safety_plans_of(organisation: Organisation | None) -> QuerySet[SafetyImprovementPlan]:
    if organisation is None:
        return SafetyImprovementPlan.objects.none()
    return (
        SafetyImprovementPlan.objects.filter(organisation=provider_of(organisation))
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION_STATUSES)))
        .order_by("title")
    )


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
    ids = _ids_for(user, icb, True) - organisation_ids_counting_as(icb)
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


def status_label(status: str) -> str:
    return ResponseStatus(status).label


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
