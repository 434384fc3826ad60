"""Time from event to decision (issue 19, oversight): measured from the event's own date (the record's
event-date answer), from the recording only where the event date is unknown, and the page and the
board report's CSV say how many decisions fell back."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.models import Event
from events.responses import services
from events.responses.models import Response
from events.responses.oversight import oversight_figures
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import incident

pytestmark = pytest.mark.django_db


def test_decision_time_runs_from_the_event_date_and_counts_the_records_without_one(client):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    now = timezone.now()
    # Recorded now; the events happened 10, 20 and 30 days before (their event-date answers); a fourth
    # has no event date, and was decided 5 days after it was recorded.
    for days in (10, 20, 30, None):
        event = incident(recorder)
        Event.objects.filter(pk=event.pk).update(
            event_date=None if days is None else (now - dt.timedelta(days=days)).date(), created_at=now
        )
        event.refresh_from_db()
        services.response_decide(
            actor=decider,
            event=event,
            kind="none",
            rationale="Low harm",
            decided_at=now + dt.timedelta(days=5) if days is None else now,
        )
    figures = oversight_figures(None)
    assert figures["decisions_measured"] == 4 and figures["decisions_from_recording"] == 1
    # Waits in whole days: 5 (from the recording), 10, 20 and 30 (from each event date's start):
    # the median is the second of the four, the 90th percentile the last.
    assert (figures["decision_days_median"], figures["decision_days_p90"]) == (10, 30)

    icb = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    client.force_login(icb)
    page = client.get(reverse("responses:oversight") + "?organisation=Q1&scope=below").content.decode()
    assert "Median days from event to decision" in page
    assert "1 of 4 from the recording date: the event date is not known" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("responses:board_report_csv") + "?organisation=T1").content.decode()
            )
        )
    )
    assert ["Decisions", "Measured from the recording date (event date not known)", "1"] in rows
    assert any(
        row[:2] == ["Decisions", "Median days from event to decision"] and row[2] == "10.0" for row in rows
    )


def test_the_tally_counts_every_response_as_the_responses_themselves_say():
    """The oversight reads the tally the lifecycle keeps; it must agree with counting the responses
    (a thematic review's decision, the referrals tracked beside a decision)."""
    from events.responses.figures import percentiles, tally_key
    from events.responses.models import DecisionTally

    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    first, second = incident(recorder), incident(recorder)
    services.response_decide(
        actor=decider, event=first, kind="thematic", rationale="x", linked_events=[second]
    )
    services.response_decide(
        actor=decider,
        event=incident(recorder, statutory={"LocalAuthoritySafeguarding": "y"}),
        kind="none",
        rationale="x",
    )
    expected: dict[tuple, int] = {}
    for response in Response.objects.all():
        key = tuple(sorted(tally_key(response).items()))
        expected[key] = expected.get(key, 0) + 1
    stored = {
        tuple(
            sorted(
                {
                    k: getattr(row, k)
                    for k in ("organisation_id", "kind", "is_decision", "wait_days", "from_recording")
                }.items()
            )
        ): row.count
        for row in DecisionTally.objects.all()
    }
    assert stored == expected and sum(stored.values()) == Response.objects.count() >= 3
    assert Response.objects.filter(is_decision=False, kind="referral").exists()
    figures = oversight_figures({hierarchy["T1"].pk})
    assert figures["decisions_measured"] == Response.objects.filter(is_decision=True).count() == 2
    assert dict(figures["mix"])["Thematic review"] == 1

    # percentile_disc's choice, on a histogram.
    values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
    histogram = [(v, values.count(v)) for v in set(values)]
    ordered = sorted(values)
    for share in (0.1, 0.5, 0.9, 1.0):
        assert percentiles(histogram, (share,)) == [
            ordered[max(1, -(-int(share * 100) * len(values) // 100)) - 1]
        ]
    assert percentiles([], (0.5,)) == [None]
