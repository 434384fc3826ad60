"""Who may see which event record: the one read gate. Every reader asks here (the pages, the CSV
download, the FHIR API, the redaction QA screen) and gets records already scoped, so no reader can
forget a rule. docs/adr/0014-one-read-gate.md says why it is shaped this way.

The rules, by principal and by what they are reading (`Reading`):

- **A recorder**, in "Manage my event records", sees every record they recorded, in any state: until
  redaction completes its free text reads "being processed" (events/presenters.py).
- **Organisation, ICB and region users** see the *processed* records (redaction complete:
  `visible_revision` set) of their own organisations, a trust with its sites (the rule lives in
  organisations/selectors.py), and, read-only, of every organisation below an ICB or region where
  they hold organisational or admin access. The policy (accounts/permissions.py, from
  fixtures/permissions.csv) answers for each organisation. **Super admins** see every processed record.
- **Reports a patient or family kept for national learning only** (`shared_with_organisation` off,
  docs/adr/0019) are seen by super admins alone, never by the organisation they are about.
- **A holder of a follow link** (a patient, or an anonymous staff recorder, without an account) sees
  the one record the link was made for, whatever its state (`event_for_link_holder`): its status and
  the progress the organisation reported, never anybody's free text but the recorder's updates.
- **An API client** sees the records sent through the API for its organisations and those below them,
  by any key of theirs (a replacement key updates what the old one sent), from the moment they are
  sent (it sent them, and may update them; the free text reads "being processed" until redacted).
  Records made in the web app are not visible through the API.
- **The redaction QA screen** shows super admins every record in any state, raw text included.
- **Public statistics** (`events_for_public_statistics`, a scope of its own rather than a `Reading`:
  nobody reads a record there, so it has no one-record form) count, for anyone, every submitted
  record whose redaction is complete, anonymous ones included, whatever its organisation; they read
  coded columns and redacted answers only, never the raw answers, and only as aggregates through
  the disclosure engine (events/publication/), never a record at a time.

Each rule has two forms kept side by side: a queryset (`events_visible_to`), for lists, and a test of
one record (`_admits`), so reading one record asks the policy about that record's organisation alone
instead of listing every organisation an ICB user may see. tests/events/test_visibility.py checks
they agree for every kind of principal.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import ApiClient, User
from accounts.permissions import (
    Action,
    active_memberships,
    allows,
    may_include_below,
    may_view_events_of,
)
from lfpse.prepared import PreparedGet
from organisations.models import Organisation
from organisations.selectors import (
    organisation_by_code,
    organisation_ids_counting_as,
    organisations_below,
)

from .fhir.auth import allowed_organisation_ids
from .models import Event, EventRevision, EventStatus

type Person = User | AnonymousUser
type Principal = User | AnonymousUser | ApiClient


class Reading(StrEnum):
    """Where a person reads records: the same person sees different records in different places."""

    OWN_RECORDS = "own_records"  # "Manage my event records"
    ORGANISATIONS = "organisations"  # the organisation pages and the CSV download
    REDACTION_QA = "redaction_qa"  # the super admins' redaction quality assurance


ALL_ORGANISATIONS = "all"
# Every state a submitted record can be in: a new state must be added here to be counted publicly.
PUBLIC_STATISTICS_STATUSES = (
    EventStatus.RECORDER_SUBMITTED,
    EventStatus.RECORDER_UPDATED,
    EventStatus.REVIEWED,
)
# What a record's pages show with it, read in the same query.
RECORD_RELATED = (
    "organisation",
    "recorded_by",
    "recorder_organisation",
    "visible_revision",
    "statutory",
    "api_submission",
)
# `Event.objects.select_related(*RECORD_RELATED).get(...)` by either unique key, its statement built once
# and prepared: every API update reads its record so, and PostgreSQL took longer to plan the seven-table
# join than to run it (docs/adr/0022).
_record_by_uuid = PreparedGet(Event, "uuid", related=RECORD_RELATED)
_record_by_reference = PreparedGet(Event, "reference", related=RECORD_RELATED)


# -- organisation users: which organisations' records ------------------------------------------------
def sees_every_organisation(user: Person) -> bool:
    """Super admins: the policy lets them view every organisation's events."""
    return allows(user, Action.VIEW_EVENTS_OF_EVERY_ORGANISATION)


def organisations_viewable_by(user: Person) -> list[Organisation]:
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


def scope_for(user: Person, organisation_code: str | None, below: str | None) -> Scope | None:
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
        organisation = choices[0]  # loaded with the memberships: no second look-up by its code
        below = below or "below"
    elif organisation_code == ALL_ORGANISATIONS:
        return Scope(None) if sees_every_organisation(user) or organisations_viewable_by(user) else None
    else:
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


def _scope_ids(user: Person, organisation: Organisation, include_below: bool) -> set[int]:
    """The organisations whose records a scope shows, resolved once per request: a plain list of ids
    lets PostgreSQL count from the dashboard index alone."""
    ids: set[int] = set()
    if include_below:
        ids.update(organisations_below(organisation).values_list("id", flat=True))
        if may_view_events_of(user, organisation):
            ids.add(organisation.pk)  # its trust sites, if any, are among those below it: one query
    elif may_view_events_of(user, organisation):
        ids |= organisation_ids_counting_as(organisation)
    return ids


def _processed() -> QuerySet[Event]:
    """Records whose redaction is complete: the only ones anybody but their recorder sees listed."""
    return Event.objects.filter(visible_revision__isnull=False)


def _organisation_records(user: Person, scope: Scope | None) -> QuerySet[Event]:
    if scope is not None and scope.organisation is not None:
        ids = _scope_ids(user, scope.organisation, scope.include_below)
    elif sees_every_organisation(user):
        return _processed()
    else:
        ids = set()
        for organisation in organisations_viewable_by(user):
            ids |= _scope_ids(user, organisation, may_include_below(user, organisation))
    if not ids:
        return Event.objects.none()
    records = _processed().filter(organisation_id__in=sorted(ids))
    return records if sees_every_organisation(user) else records.filter(shared_with_organisation=True)


# -- the gate ----------------------------------------------------------------------------------------
def events_visible_to(
    principal: Principal, *, reading: Reading = Reading.ORGANISATIONS, scope: Scope | None = None
) -> QuerySet[Event]:
    """The records the principal (a user, anonymous or signed in, or an API client) may see there,
    as a queryset to narrow further; empty when none. `scope` narrows an organisation user's reading
    to one organisation (with or without those below it); API clients always read as API clients."""
    if isinstance(principal, ApiClient):
        return Event.objects.filter(api_submission__organisation_id__in=allowed_organisation_ids(principal))
    if not getattr(principal, "is_authenticated", False):
        return Event.objects.none()
    if reading == Reading.OWN_RECORDS:
        return Event.objects.filter(recorded_by=principal)
    if reading == Reading.REDACTION_QA:
        return Event.objects.all() if _may_check_redaction(principal) else Event.objects.none()
    return _organisation_records(principal, scope)


def events_for_public_statistics() -> QuerySet[Event]:
    """The records the public statistics count: submitted (every Event is; drafts are Drafts) and
    processed (a redacted revision is visible), anonymous ones included, of every organisation.
    Whoever asks gets the same records: the statistics are public, and what protects the people in
    them is that only disclosure-controlled counts leave events/publication."""
    return _processed().filter(status__in=PUBLIC_STATISTICS_STATUSES)


def event_visible_to(
    principal: Principal, key: str, *, reading: Reading = Reading.ORGANISATIONS
) -> Event | None:
    """One record the principal may see there, read with what its pages show; None otherwise (the
    caller answers 404, whether the record does not exist or is not theirs to see). `key` is the
    reference number for people, the resource id (the record's UUID) for API clients."""
    if isinstance(principal, ApiClient):
        try:
            event = _record_by_uuid(uuid.UUID(key))
        except (ValueError, AttributeError, TypeError):
            return None
    else:
        event = _record_by_reference(key)
    return event if event is not None and _admits(principal, event, reading) else None


def revision_for_redaction_qa(user: Person, revision_id: int) -> EventRevision | None:
    """A revision, whatever its redaction state, for the super admins' QA screen; None otherwise."""
    revision = EventRevision.objects.select_related("event", "redaction_run").filter(pk=revision_id).first()
    if revision is None or not _admits(user, revision.event, Reading.REDACTION_QA):
        return None
    return revision


def revision_just_submitted(user: Person, revision_id: int) -> EventRevision | None:
    """The revision a visitor has just submitted, whose id their session holds ("Record submitted"):
    an anonymous record to whoever holds the id, which only its submitter's session does, any other
    to its recorder alone."""
    revision = EventRevision.objects.select_related("event").filter(pk=revision_id).first()
    if revision is None:
        return None
    if revision.event.is_anonymous or _admits(user, revision.event, Reading.OWN_RECORDS):
        return revision
    return None


def event_for_link_holder(event_id: int) -> Event | None:
    """The record a follow link was made for (events/patients resolved the link): the link is the
    proof, so nothing else is asked. The caller shows its status and progress, not its text."""
    return events_for_link_holder(event_id).select_related("organisation", "visible_revision").first()


def events_for_link_holder(event_id: int) -> QuerySet[Event]:
    """`event_for_link_holder` as a queryset, for a selector to annotate what the link's page shows."""
    return Event.objects.filter(pk=event_id)


def record_as_read(
    principal: Principal, event: Event, *, reading: Reading = Reading.ORGANISATIONS
) -> QuerySet[Event]:
    """One record already read through the gate (`event_visible_to`), as a queryset a selector may
    annotate with what the page shows; empty when the principal may not read it there."""
    if not _admits(principal, event, reading):
        return Event.objects.none()
    return Event.objects.filter(pk=event.pk)


def _admits(principal: Principal, event: Event, reading: Reading) -> bool:
    """`events_visible_to`'s rules for one record already read (with its organisation)."""
    if isinstance(principal, ApiClient):
        submission = getattr(event, "api_submission", None)
        return submission is not None and submission.organisation_id in allowed_organisation_ids(principal)
    if not getattr(principal, "is_authenticated", False):
        return False
    if reading == Reading.OWN_RECORDS:
        return event.recorded_by_id == principal.pk
    if reading == Reading.REDACTION_QA:
        return _may_check_redaction(principal)
    if event.visible_revision_id is None:
        return False
    if sees_every_organisation(principal):
        return True
    return event.shared_with_organisation and may_view_events_of(principal, event.organisation)


def _may_check_redaction(user: Person) -> bool:
    return allows(user, Action.SEE_ORIGINAL_UNREDACTED_FREE_TEXT)
