"""Reads for recorders: their drafts, their records (through the read gate, events/visibility.py)
and a record's revisions."""

from collections.abc import Iterable

from django.db.models import QuerySet

from lfpse.prepared import PreparedGet

from .models import Draft, DraftKind, Event, EventRevision
from .visibility import Reading, events_visible_to


def latest_revision(event: Event) -> EventRevision:
    return event.revisions.order_by("-number").first()


def drafts_of(user) -> QuerySet[Draft]:
    """A signed-in recorder's drafts of new records (edit drafts are reached from their record)."""
    if not user.is_authenticated:
        return Draft.objects.none()
    return Draft.objects.filter(owner=user, kind=DraftKind.NEW).order_by("-updated_at")


# Read on every question page: the statement is built once (lfpse/prepared.py, docs/adr/0011).
_draft_with_owner = PreparedGet(Draft, "key", related="owner")


def draft_for(key, *, owner_id, anonymous_keys: list[str]) -> Draft | None:
    """The draft behind a recording URL: the signed-in user's own (`owner_id`, read with the owner's
    row), or an anonymous one whose key is in their session. Never an organisation user's changes to
    a record: those are edited and re-submitted from the organisation's screens only."""
    draft = _draft_with_owner(key)
    if draft is None or draft.kind == DraftKind.ORGANISATION_EDIT:
        return None
    if draft.is_anonymous:
        return draft if str(draft.key) in anonymous_keys else None
    return draft if owner_id is not None and draft.owner_id == owner_id else None


def draft_needs_sign_in(key) -> bool:
    """Whether a visitor who is not signed in should be sent to sign in for this draft: it is a
    signed-in recorder's (new record or their own edit), so its owner may have been signed out (session
    ended, expired or lost) and comes back to it after signing in; draft_for decides then. Anonymous
    drafts and organisation users' edits are not: signing in would not open them."""
    return (
        Draft.objects.filter(key=key, is_anonymous=False, owner__isnull=False)
        .exclude(kind=DraftKind.ORGANISATION_EDIT)
        .exists()
    )


def edit_draft_of(owner, event: Event, kind: DraftKind) -> Draft | None:
    """The owner's edit draft of a record, of one kind (the recorder's, or an organisation user's),
    stale or not: `Draft.is_stale` says whether it may still be used."""
    return Draft.objects.filter(kind=kind, event=event, owner=owner).first()


def events_recorded_by(user) -> QuerySet[Event]:
    """ "Manage my event records": the gate's own records of the user, newest first."""
    own = events_visible_to(user, reading=Reading.OWN_RECORDS)
    return own.select_related("organisation").order_by("-created_at")


def revision_history(event: Event) -> QuerySet[EventRevision]:
    """Every revision of a record the reader was let see by the gate, newest first."""
    return event.revisions.select_related("actor").order_by("-number")


def revision_numbered(event: Event, number: int) -> EventRevision | None:
    """One revision of a record the reader was let see by the gate (the FHIR API's `_history/N`)."""
    return event.revisions.filter(number=number).first()


def latest_revisions_of(events: Iterable[Event]) -> dict[int, EventRevision]:
    """The latest revision of each of these records, by record id, in one query (a page of a list)."""
    latest: dict[int, EventRevision] = {}
    for revision in EventRevision.objects.filter(event__in=list(events)).order_by("event_id", "-number"):
        latest.setdefault(revision.event_id, revision)
    return latest
