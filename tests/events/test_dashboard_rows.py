"""The dashboard's rows formatted in Python read exactly as the template's filters wrote them."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

from accounts.models import User
from events.dashboard_rows import dashboard_rows, short_date, short_datetime
from events.models import Event, EventSource, EventStatus
from events.questionnaire import latest_version

DATE = Template('{{ value|date:"j M Y" }}')
DATETIME = Template('{{ value|date:"j M Y H:i" }}')


def test_dates_read_as_the_date_filter_wrote_them_in_every_month_and_either_side_of_summer_time():
    london = timezone.get_current_timezone()
    for month in range(1, 13):
        day = dt.date(2026, month, 7)
        assert short_date(day) == DATE.render(Context({"value": day}))
        for hour in (0, 9, 23):
            moment = dt.datetime(2026, month, 7, hour, 5, tzinfo=dt.UTC)
            assert short_datetime(moment) == DATETIME.render(Context({"value": moment}))
    # 00:30 UTC on the last Sunday of March is 00:30 GMT; an hour later it is 02:30 BST.
    for moment in (
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),
    ):
        assert short_datetime(moment) == DATETIME.render(Context({"value": moment}))
    assert short_datetime(dt.datetime(2026, 10, 25, 0, 59, tzinfo=london)) == "25 Oct 2026 00:59"


def _event(**fields) -> Event:
    values = {
        "reference": "ABC123DEF",
        "event_type": "1",
        "question_set_version": latest_version(),
        "status": EventStatus.REVIEWED,
        "created_at": dt.datetime(2026, 7, 1, 13, 4, tzinfo=dt.UTC),
        "event_date": dt.date(2026, 6, 30),
        "categories": "Medication",
        "recorded_by": User(first_name="Ada", last_name="Lovelace", email="ada@nhs.net"),
    }
    return Event(**(values | fields))


def test_a_row_shows_what_the_template_showed():
    [row] = dashboard_rows([_event()])
    assert row.reference == "ABC-123-DEF"
    assert row.url == "/organisation/events/ABC123DEF/"
    assert row.created == "1 Jul 2026 14:04"  # British Summer Time
    assert (row.recorded_by, row.event_date, row.categories) == ("Ada Lovelace", "30 Jun 2026", "Medication")
    assert row.status == EventStatus.REVIEWED.label
    assert row.type_name and not row.patient


def test_anonymous_unknown_and_patient_records():
    anonymous, unknown, patient = dashboard_rows(
        [
            _event(is_anonymous=True),
            _event(recorded_by=None, event_date=None, categories=""),
            _event(source=EventSource.PATIENT),
        ]
    )
    assert anonymous.recorded_by == "-"
    assert (unknown.recorded_by, unknown.event_date, unknown.categories) == ("-", "Not known", "-")
    assert patient.patient
