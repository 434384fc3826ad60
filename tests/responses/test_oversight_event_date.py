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
from events.responses.models import Response, SafetyAction
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
    figures = oversight_figures(Response.objects.all(), SafetyAction.objects.all())
    assert figures["decisions_measured"] == 4 and figures["decisions_from_recording"] == 1
    # Waits: 5 (from the recording), 10, 20 and 30 days (from each event date's midnight, so up to a
    # day more): the median is the second of the four.
    assert 10 <= figures["decision_days_median"] < 11
    assert 30 <= figures["decision_days_p90"] < 31

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
        row[:2] == ["Decisions", "Median days from event to decision"] and row[2].startswith("10.")
        for row in rows
    )
