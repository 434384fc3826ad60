"""A v5 and a v6 record of the same event: filtered, counted, shown and exported together."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from events.csv_export import csv_layout, csv_lines, versions_of
from events.filters import EventFilter
from events.lifecycle import revision_publish
from events.models import Event
from events.presenters import revision_journey
from events.questionnaire import load_question_set

from .checks import fhir_json
from .payloads import PATH

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
SHARED = {q.id for q in load_question_set("5").all_questions()} & {
    q.id for q in load_question_set("6").all_questions()
}


@pytest.fixture
def both(api) -> dict[str, Event]:
    """The same incident recorded once in each version (docs/examples), redaction done."""
    made = {}
    for version in ("5", "6"):
        response = api.post(PATH, json.loads((EXAMPLES / f"v{version}-incident.json").read_text()))
        event = Event.objects.get(uuid=fhir_json(response)["id"])
        revision = event.revisions.get()
        revision_publish(revision_id=revision.pk, redacted_answers=revision.answers)
        event.refresh_from_db()
        made[version] = event
    return made


def test_they_are_filtered_and_counted_together(both):
    events = Event.objects.all()
    for params in ({"physical_harm": ["4"]}, {"event_type": ["1"]}, {"category": ["4"]}):
        assert EventFilter(params, queryset=events).qs.count() == 2, params
    assert versions_of(events) == [("5", 2)]  # one file: v6 is derived from v5


def test_they_show_the_same_answers_on_the_record_page(both):
    shown = {}
    for version, event in both.items():
        rows = [row for section in revision_journey(event.visible_revision).review() for row in section.rows]
        shown[version] = {
            (row.question_id, row.caption): row.value for row in rows if row.question_id in SHARED
        }
    assert shown["5"] == shown["6"]
    assert len(shown["5"]) > 30


def test_they_are_exported_in_one_file_with_the_same_answers(both):
    events = Event.objects.all()
    text = "".join(csv_lines(events, csv_layout(events, "5")))
    rows = {row["QuestionSetVersion"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert set(rows) == {"5", "6"}
    header = list(rows["5"])
    shared = [c for c in header if c.rsplit("/", 1)[-1] in SHARED or c in ("EventType", "DutyOfCandour")]
    assert {c: rows["5"][c] for c in shared} == {c: rows["6"][c] for c in shared}
    assert rows["6"]["VTMString"] == "Paracetamol" and rows["5"]["VTMString"] == ""
    assert rows["5"]["Process"] and rows["6"]["HealthcareProcess"]
    assert rows["6"]["patients/1/GenderIdentity"] == rows["5"]["patients/1/Gender"] == "Female"


def test_the_record_page_shows_a_v6_record(both, client, trust_admin):
    from django.urls import reverse

    client.force_login(trust_admin)
    pages = {
        version: client.get(reverse("events:organisation_event", args=[event.reference]))
        for version, event in both.items()
    }
    assert {response.status_code for response in pages.values()} == {200}
    v5, v6 = (pages[v].content.decode() for v in ("5", "6"))
    for shown in ("Medications", "Devices", "Low physical harm"):
        assert shown in v5 and shown in v6, shown
    assert "Paracetamol" in v6 and "Acme Infusion Ltd" in v6
