"""Published records for the statistics tests, written straight to the tables (fast, no redaction run)."""

import datetime as dt
import itertools

from django.utils import timezone

from events.models import Event, EventRevision, RedactionStatus

_references = itertools.count(100_000_000)


def published_event(
    organisation,
    *,
    created: dt.datetime,
    event_type="1",
    physical=4,
    psychological=4,
    agents=(4,),
    visible=True,
    answers=None,
    status="recorder_submitted",
):
    event = Event.objects.create(
        reference=str(next(_references)),
        event_type=event_type,
        status=status,
        question_set_version="5",
        organisation=organisation,
        event_date=created.date() - dt.timedelta(days=2),
        involved_agents=sum(1 << a for a in agents),
        worst_physical_harm=physical,
        worst_psychological_harm=psychological,
        patient_count=1,
    )
    Event.objects.filter(pk=event.pk).update(created_at=created)
    if visible:
        revision = EventRevision.objects.create(
            event=event,
            number=1,
            action="submitted",
            status="recorder_submitted",
            event_type=event_type,
            question_set_version="5",
            redaction_status=RedactionStatus.COMPLETE,
            redacted_answers=answers or {},
        )
        Event.objects.filter(pk=event.pk).update(visible_revision=revision)
    return event


def in_quarter(day: int = 10) -> dt.datetime:
    """A time in the last quarter to have ended."""
    today = timezone.localdate()
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    last = quarter_start - dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime(last.year, last.month, day, 12))
