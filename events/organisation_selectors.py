"""Reads for organisation users: which records they may see, and what they may do with each.

Every query here is scoped by the permission policy (accounts/permissions.py): a user sees the
processed records of their own organisations (a trust with its sites), and ICB and region members
with organisational or admin access also see every organisation below theirs, read-only. Super admins
see everything. Only records whose redaction is complete (`visible_revision` set) are listed.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from accounts.permissions import Action, Target, active_memberships, allows
from events import statutory_questions
from events.questionnaire import EVENT_TYPE, load_question_set
from organisations.models import Organisation, OrganisationKind
from organisations.selectors import organisation_by_code, organisations_below

from .models import Draft, DraftKind, Event
from .organisation_columns import SEARCH_CONFIG
from .presenters import revision_journey
from .selectors import edit_draft_of, latest_revision

ALL_ORGANISATIONS = "all"
# What list pages and the CSV never need to load.
HEAVY_COLUMNS = ("search_text", "search_vector")


def may_view_events_of(user, organisation: Organisation) -> bool:
    target = Target(organisation)
    return allows(user, Action.VIEW_EVENTS_OF_MY_ORGANISATION, target) or allows(
        user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, target
    )


def may_include_below(user, organisation: Organisation) -> bool:
    """Whether the user may add every organisation below this one (ICB and region members)."""
    child = organisation.children.exclude(kind=OrganisationKind.TRUST_SITE).first()
    return child is not None and allows(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, Target(child))


def sees_every_organisation(user) -> bool:
    """Super admins: the policy lets them view events without naming an organisation."""
    return allows(user, Action.VIEW_EVENTS_OF_MY_ORGANISATION)


def organisations_viewable_by(user) -> list[Organisation]:
    """The organisations of the user's memberships whose records they may see, by name."""
    seen: dict[int, Organisation] = {}
    for membership in active_memberships(user):
        organisation = membership.organisation
        if organisation.pk in seen:
            continue
        if may_view_events_of(user, organisation) or may_include_below(user, organisation):
            seen[organisation.pk] = organisation
    return sorted(seen.values(), key=lambda organisation: organisation.name)


@dataclass(frozen=True)
class Scope:
    """Whose records a page shows: one organisation (with or without those below it), or all."""

    organisation: Organisation | None  # None: every organisation the user may see
    include_below: bool = False
    can_include_below: bool = False

    @property
    def code(self) -> str:
        return self.organisation.ods_code if self.organisation else ALL_ORGANISATIONS

    @property
    def description(self) -> str:
        if self.organisation is None:
            return "all your organisations"
        if self.include_below:
            return f"{self.organisation} and every organisation below it"
        return str(self.organisation)


def scope_for(user, organisation_code: str | None, below: str | None) -> Scope | None:
    """The scope a request asks for (`?organisation=CODE&scope=below`), or None when not allowed.

    Without a code: the user's first organisation, with those below it for ICB and region members;
    super admins start with every organisation.
    """
    if organisation_code in (None, ""):
        if sees_every_organisation(user):
            return Scope(None)
        choices = organisations_viewable_by(user)
        if not choices:
            return None
        organisation_code = choices[0].ods_code
        below = below or "below"
    if organisation_code == ALL_ORGANISATIONS:
        return Scope(None) if sees_every_organisation(user) or organisations_viewable_by(user) else None
    organisation = organisation_by_code(organisation_code)
    if organisation is None:
        return None
    can_include_below = may_include_below(user, organisation)
    if not (can_include_below or may_view_events_of(user, organisation)):
        return None
    return Scope(
        organisation,
        include_below=can_include_below and below == "below",
        can_include_below=can_include_below,
    )


def _scope_ids(user, organisation: Organisation, include_below: bool) -> set[int]:
    """The organisations whose records a scope shows, resolved once per request: a plain list of ids
    lets PostgreSQL count from the dashboard index alone."""
    ids: set[int] = set()
    if may_view_events_of(user, organisation):
        # "My organisation" as the policy defines it: the organisation and, for a trust, its sites.
        ids.add(organisation.pk)
        sites = Organisation.objects.filter(parent=organisation, kind=OrganisationKind.TRUST_SITE)
        ids.update(sites.values_list("id", flat=True))
    if include_below:
        ids.update(organisations_below(organisation).values_list("id", flat=True))
    return ids


def events_visible_to(user, scope: Scope | None = None) -> QuerySet[Event]:
    """Processed records the user may see, optionally narrowed to a scope; empty when none."""
    processed = Event.objects.filter(visible_revision__isnull=False)
    if scope is not None and scope.organisation is not None:
        ids = _scope_ids(user, scope.organisation, scope.include_below)
    elif sees_every_organisation(user):
        return processed
    else:
        ids = set()
        for organisation in organisations_viewable_by(user):
            ids |= _scope_ids(user, organisation, may_include_below(user, organisation))
    return processed.filter(organisation_id__in=sorted(ids)) if ids else Event.objects.none()


def event_type_name(event: Event) -> str:
    """ "Incident", "Good care": the short name of the record's type in its question set."""
    event_type = load_question_set(event.question_set_version).event_type(event.event_type)
    return event_type.name if event_type else event.event_type


def statutory_applies(event: Event) -> bool:
    """Whether the statutory and national policy requirements apply to the record (incidents only)."""
    return statutory_questions.applies_to(event.event_type)


def event_list(events: QuerySet[Event]) -> QuerySet[Event]:
    """What a list page or the CSV reads: the related rows it shows, joined, not the search columns."""
    return events.select_related("organisation", "recorded_by").defer(*HEAVY_COLUMNS)


def events_matching(events: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Full-text search over the redacted free text (PostgreSQL), or a substring match (SQLite)."""
    text = " ".join(text.split())
    if not text:
        return events
    if connection.vendor == "postgresql":
        return events.filter(search_vector=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch"))
    return events.filter(search_text__icontains=text)


def created_between(events: QuerySet[Event], start: dt.date | None, end: dt.date | None) -> QuerySet[Event]:
    """Created on or after `start` and on or before `end`, in local days, as an index-friendly range."""
    if start:
        events = events.filter(created_at__gte=_start_of(start))
    if end:
        events = events.filter(created_at__lt=_start_of(end + dt.timedelta(days=1)))
    return events


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def event_for_organisation_user(user, reference: str) -> Event | None:
    """One processed record the user may see, with what its page shows; None otherwise.

    The policy is asked about this record's organisation alone (the same rules `events_visible_to`
    applies), rather than listing every organisation the user may see to find one record."""
    event = (
        Event.objects.filter(visible_revision__isnull=False)
        .select_related(
            "organisation",
            "recorded_by",
            "recorder_organisation",
            "visible_revision",
            "statutory",
            "api_submission",
        )
        .filter(reference=reference)
        .first()
    )
    if event is None or not (sees_every_organisation(user) or may_view_events_of(user, event.organisation)):
        return None
    return event


@dataclass(frozen=True)
class RecordPermissions:
    update: bool
    review: bool
    view_statutory: bool
    edit_statutory: bool


def record_permissions(user, event: Event) -> RecordPermissions:
    """What the user may do with a record they can see, cell by cell from the permissions table."""
    authored = bool(event.recorded_by_id) and event.recorded_by_id == getattr(user, "pk", None)
    target = Target(event.organisation)
    own = Target(event.organisation, authored_by_actor=True)
    return RecordPermissions(
        update=allows(user, Action.UPDATE_EVENT_OF_MY_ORGANISATION, target)
        or allows(user, Action.UPDATE_EVENT_OF_CHILD_ORGANISATION, target),
        review=allows(user, Action.MARK_EVENT_OF_MY_ORGANISATION_REVIEWED, target)
        or (authored and allows(user, Action.MARK_OWN_EVENTS_REVIEWED, own)),
        view_statutory=allows(user, Action.VIEW_STATUTORY_FOR_MY_ORGANISATION_EVENTS, target)
        or allows(user, Action.VIEW_STATUTORY_FOR_CHILD_ORGANISATION_EVENTS, target),
        edit_statutory=allows(user, Action.EDIT_STATUTORY_FOR_MY_ORGANISATION_EVENTS, target)
        or (authored and allows(user, Action.EDIT_STATUTORY_FOR_OWN_EVENTS, own)),
    )


def is_being_processed(event: Event) -> bool:
    """A newer revision than the one shown is still waiting for redaction: nobody may act on the
    record until it is processed, or they would act on answers they cannot see."""
    return latest_revision(event).pk != event.visible_revision_id


def organisation_edit_for(user, event: Event) -> Draft | None:
    """The user's unsent changes to the record, unless they went stale (idle 30 minutes, or the
    record changed since); the services discard stale ones the next time the user edits."""
    draft = edit_draft_of(user, event, DraftKind.ORGANISATION_EDIT)
    if draft is None or draft.is_stale(event.visible_revision_id) or is_being_processed(event):
        return None
    return draft


def answers_dropped_by_reclassification(event: Event, event_type: str) -> list[str]:
    """The answered questions a re-classification to `event_type` would drop, as the record shows them."""
    journey = revision_journey(event.visible_revision)
    after = journey.record(EVENT_TYPE, {EVENT_TYPE: event_type})
    kept = {row.page_id for section in after.review() for row in section.rows if row.answered}
    return [
        f"{row.caption}: {row.label}" if row.caption else row.label
        for section in journey.review()
        for row in section.rows
        if row.answered and row.page_id not in kept
    ]
