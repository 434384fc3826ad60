"""Reads for PSIRF responses, each already scoped by the policy.

Which organisations' responses a person reads follows the same rules as records (events/visibility.py,
whose `Scope` the pages share): their own organisations (`view_responses_of_my_organisation`) and,
for ICB and region members, those below (`oversee_responses_of_child_organisations`); super admins
every organisation. The records in the decision queue come from the read gate itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.permissions import Action, Target, allows
from events.models import Event
from events.organisation_selectors import HEAVY_COLUMNS
from events.visibility import Scope, event_visible_to, events_visible_to, organisations_viewable_by
from organisations.models import Organisation
from organisations.selectors import organisation_ids_counting_as, organisations_below

from . import free_text, readers, rules
from .models import (
    OPEN_ACTION_STATUSES,
    Response,
    ResponseAuditEntry,
    ResponseLink,
    SafetyAction,
    SafetyImprovementPlan,
)
from .services import on_team, provider_of

INCIDENT = "1"
CANDOUR_WORKING_DAYS = 10  # notification, then the written follow-up, each within ten working days


# -- scope --------------------------------------------------------------------------------------------
def _sees_all(user) -> bool:
    return allows(user, Action.VIEW_EVENTS_OF_EVERY_ORGANISATION) and allows(
        user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION
    )


def organisation_ids_for(user, organisation: Organisation, include_below: bool) -> set[int]:
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
        return organisation_ids_for(user, scope.organisation, scope.include_below)
    if _sees_all(user):
        return None
    ids: set[int] = set()
    for organisation in organisations_viewable_by(user):
        ids |= organisation_ids_for(user, organisation, True)
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
    return event_visible_to(user, reference)


def decision_of(event: Event) -> Response | None:
    """The response decided for the record, if it has one (the reader already sees the record)."""
    link = ResponseLink.objects.select_related("response").filter(event=event, is_primary=True).first()
    return link.response if link else None


def events_by_references(user, references: list[str]) -> tuple[list[Event], list[str]]:
    """The records a thematic review links, read through the gate in one query (however many are
    linked), in the order given; and the references not found or not the user's to see."""
    keys = {reference: reference.replace("-", "").strip() for reference in references}
    found_by_key = {
        event.reference: event
        for event in events_visible_to(user)
        .filter(reference__in=sorted({key for key in keys.values() if key}))
        .select_related("organisation", "visible_revision", "statutory")
    }
    found, missing = [], []
    for reference, key in keys.items():
        event = found_by_key.get(key)
        if event is not None:
            found.append(event)
        else:
            missing.append(reference)
    return found, missing


def responses_of_event(user, event: Event) -> list[Response]:
    """The responses a record is part of, for its page (the reader already sees the record)."""
    return _linked_responses(event) if _ids_allow(user, event) else []


def _linked_responses(event: Event) -> list[Response]:
    return list(
        Response.objects.filter(links__event=event).select_related("lead").order_by("decided_at").distinct()
    )


def record_responses_context(user, event: Event) -> dict:
    """The record page's responses section: each response with its candour clocks."""
    visible = _ids_allow(user, event)
    rows = []
    for response in _linked_responses(event) if visible else []:  # the policy asked once, above
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
    # Who reads the text as written, and who sees the engagement, the policy decides (readers.py).
    raw = readers.response_reads_raw(user, response, team)
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
        "reads_raw": raw,
        "answers": response.answers if raw else response.redacted_answers,
        "being_processed": not raw and response.redaction == "pending" and response.redacted_answers is None,
        "links": links,
        "requirements": [rules.BY_CODE[code] for code in response.requirements if code in rules.BY_CODE],
        "candour": clocks,
        "team": list(response.team.all()),
        "people": list(response.people.all()) if engagement_visible(user, response, team) else [],
        # Free text: raw for the team, redacted (or "Awaiting redaction") for others (free_text.py).
        "shown": free_text.Shown(response, raw, readers.notes_written_by(user, response)),
        "engagement": free_text.show(
            response.engagement.select_related("recorded_by"),
            readers.engagement_reader(user, response, team),
        ),
        "actions": shown_actions(user, response.safety_actions.select_related("owner").order_by("due_date")),
        "audit": list(ResponseAuditEntry.objects.filter(response=response).select_related("actor")[:50]),
    }


def engagement_visible(user, response: Response, team: bool | None = None) -> bool:
    """The engagement and duty of candour page and the people affected (`view_response_engagement`)."""
    if team is None:
        team = on_team(user, response)
    return allows(
        user,
        Action.VIEW_RESPONSE_ENGAGEMENT,
        Target(provider_of(response.organisation), relations=frozenset(readers.team_relation(team))),
    )


# -- safety actions ------------------------------------------------------------------------------------
def shown_actions(user, actions) -> list[SafetyAction]:
    """The actions with their free text as this reader sees it (`action.shown`)."""
    actions = list(actions)
    return free_text.show(actions, readers.safety_action_reader(user, actions))


def safety_action_for_edit(user, action: SafetyAction) -> tuple[SafetyAction, bool]:
    """The action as this reader sees it, and whether they may edit it: editing shows the raw text, so
    only its raw readers (by the policy) who manage the organisation's actions edit it."""
    (action,) = shown_actions(user, [action])
    may_edit = action.shown.raw and allows(
        user, Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION, Target(provider_of(action.organisation))
    )
    return action, may_edit


def safety_plans_shown(user, organisation: Organisation | None) -> list[SafetyImprovementPlan]:
    """The organisation's improvement plans, each description raw for its author (by the policy)."""
    return free_text.show(safety_plans_of(organisation), readers.safety_plan_reader(user))


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
