"""Reads for organisation users over the records they may see: what a list shows, searching and
narrowing it, and what they may do with one record.

Which records they may see is not decided here: every queryset these functions narrow comes from the
read gate, events/visibility.py.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.permissions import Action, Target, allows
from events import statutory_questions
from events.questionnaire import EVENT_TYPE, load_question_set

from .models import Draft, DraftKind, Event
from .organisation_columns import SEARCH_CONFIG
from .presenters import revision_journey
from .selectors import edit_draft_of, latest_revision

# What list pages and the CSV never need to load.
HEAVY_COLUMNS = ("search_text", "search_vector")


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


class CappedPaginator(Paginator):
    """Pages of a list of records in two small queries whatever the page size: the page's ids first
    (which PostgreSQL can often read from the dashboard index alone), then those records with what
    the table shows. Counts at most `cap` + 1 matches, with the ordering dropped so the database may
    count them any way it likes; pages beyond the cap are not offered (docs/adr/0009)."""

    def __init__(self, object_list: QuerySet[Event], per_page: int, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[start : start + self.per_page])
        found = {event.pk: event for event in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)

    @cached_property
    def count(self) -> int:
        return min(self.object_list.order_by()[: self.cap + 1].count(), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return max(1, -(-min(self.count, self.cap) // self.per_page))


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
