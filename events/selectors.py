"""Reads for recorders: their drafts, their records and a record's history, always scoped to them."""

from django.db.models import QuerySet

from lfpse.prepared import PreparedGet

from .models import Draft, DraftKind, Event, EventRevision


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


def edit_draft_of(owner, event: Event, kind: DraftKind) -> Draft | None:
    """The owner's edit draft of a record, of one kind (the recorder's, or an organisation user's),
    stale or not: `Draft.is_stale` says whether it may still be used."""
    return Draft.objects.filter(kind=kind, event=event, owner=owner).first()


def events_recorded_by(user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    return Event.objects.filter(recorded_by=user).select_related("organisation").order_by("-created_at")


def event_recorded_by(user, reference: str) -> Event | None:
    return events_recorded_by(user).filter(reference=reference).first()


def revision_history(event: Event) -> QuerySet[EventRevision]:
    return event.revisions.select_related("actor").order_by("-number")
