"""The "recorded by a patient or family" marker reaches FHIR and the statistics."""

import datetime as dt

import pytest
from django.utils import timezone

from events.fhir.presenting import event_resource
from events.publication import tables as t
from events.publication.build import Period, organisation_counts

from .helpers import publish, send

pytestmark = pytest.mark.django_db


def metadata(resource) -> dict:
    block = resource["extension"][-1]["extension"]
    return {
        item["url"]: next(value for key, value in item.items() if key.startswith("value")) for item in block
    }


def test_fhir_says_a_record_was_recorded_by_a_patient_or_family(client, places):
    event = publish(send(client))
    resource = event_resource(event, event.visible_revision, None, base="https://example.org")
    assert metadata(resource)["RecordedByPatientOrFamily"] is True
    assert metadata(resource)["IsAnonymous"] is True


def test_staff_records_carry_no_such_flag(places):
    from events.lifecycle import event_create

    revision = event_create(
        actor=None,
        answers={"EventType": "1", "Description": "A fall."},
        question_set_version="5",
        recorder_organisation=None,
        fallback_organisation=places["RR8"],
        is_anonymous=True,
    )
    event = publish(revision.event)
    assert "RecordedByPatientOrFamily" not in metadata(
        event_resource(event, event.visible_revision, None, base="")
    )


def test_statistics_count_patient_reports_beside_staff_records(client, places):
    publish(send(client))
    publish(send(client, Sharing={"Sharing": "national"}))  # counted nationally even when not shared
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    counts = organisation_counts(Period.for_quarter(quarter_start))
    assert counts[(places["RR8"].pk, t.RECORDED_BY.key, "patient")] == 2
    assert counts[(places["RR8"].pk, t.RECORDED_BY.key, "staff")] == 0
    assert "patient" in t.categories(t.RECORDED_BY, quarter_start)
