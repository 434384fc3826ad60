"""The decision tally (`DecisionTally`): responses counted by organisation, kind and whole days from the
event to the decision, kept as responses are made, so that oversight reads a few hundred rows for an
ICB rather than every response (docs/adr/0021, "Amended").

The wait runs from the start of the record's event date (its event-date answer when the response was
decided), or from the record's recording where the event date is not known; those are counted apart
so the page can say how many fell back.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import DecisionTally, Response

# The tally counted afresh from the responses, on PostgreSQL (`wait_days` in SQL; the time zone's name
# is the parameter): bench/responses_pages.py's load. Migration 0004's back-fill keeps its own copy
# of this and of `tally_key`, as they were when it was written.
TALLY_FROM_RESPONSES_SQL = """
    INSERT INTO responses_decisiontally (organisation_id, kind, is_decision, wait_days, from_recording, count)
    SELECT organisation_id, kind, is_decision,
           floor(extract(epoch FROM decided_at - COALESCE(event_date::timestamp AT TIME ZONE %s,
                                                          event_created_at)) / 86400)::int,
           event_date IS NULL, count(*)
    FROM responses_response GROUP BY 1, 2, 3, 4, 5
"""


def wait_days(decided_at: dt.datetime, event_date: dt.date | None, event_created_at: dt.datetime) -> int:
    """Whole days from the event (else its recording) to the decision."""
    start = (
        timezone.make_aware(dt.datetime.combine(event_date, dt.time.min))
        if event_date is not None
        else event_created_at
    )
    return math.floor((decided_at - start).total_seconds() / 86400)


def tally_key(response: Response) -> dict:
    return {
        "organisation_id": response.organisation_id,
        "kind": response.kind,
        "is_decision": response.is_decision,
        "wait_days": wait_days(response.decided_at, response.event_date, response.event_created_at),
        "from_recording": response.event_date is None,
    }


def tally_add(response: Response) -> None:
    """Counts a new response in (called by lifecycle.response_create, inside its transaction)."""
    key = tally_key(response)
    if DecisionTally.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DecisionTally.objects.create(**key, count=1)
    except IntegrityError:  # made meanwhile by a concurrent decision: count on it
        DecisionTally.objects.filter(**key).update(count=F("count") + 1)


def percentiles(histogram: list[tuple[int, int]], shares: tuple[float, ...]) -> list[int | None]:
    """The value at each share of the ordered values a histogram [(value, count)] describes, as
    PostgreSQL's percentile_disc picks it (the first value whose cumulative share reaches it)."""
    ordered = sorted(histogram)
    total = sum(count for _, count in ordered)
    found: list[int | None] = []
    for share in shares:
        if not total:
            found.append(None)
            continue
        wanted, seen = max(1, math.ceil(share * total)), 0
        for value, count in ordered:
            seen += count
            if seen >= wanted:
                found.append(value)
                break
    return found
