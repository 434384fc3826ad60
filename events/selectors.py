"""Reads for recorders: their drafts, their records and a record's history, always scoped to them."""

from django.db.models import QuerySet

from .models import Draft, DraftKind, Event, EventRevision


def drafts_of(user) -> QuerySet[Draft]:
    """A signed-in recorder's drafts of new records (edit drafts are reached from their record)."""
    if not user.is_authenticated:
        return Draft.objects.none()
    return Draft.objects.filter(owner=user, kind=DraftKind.NEW).order_by("-updated_at")


def draft_for(user, key, *, anonymous_keys: list[str]) -> Draft | None:
    """The draft behind a URL: the user's own, or an anonymous one whose key is in their session."""
    draft = Draft.objects.filter(key=key).first()
    if draft is None:
        return None
    if draft.is_anonymous:
        return draft if str(draft.key) in anonymous_keys else None
    return draft if user.is_authenticated and draft.owner_id == user.pk else None


def events_recorded_by(user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    return Event.objects.filter(recorded_by=user).select_related("organisation").order_by("-created_at")


def event_recorded_by(user, reference: str) -> Event | None:
    return events_recorded_by(user).filter(reference=reference).first()


def revision_history(event: Event) -> QuerySet[EventRevision]:
    return event.revisions.select_related("actor").order_by("-number")
