"""A v5 and a v6 record of the same event: filtered, counted, shown and exported together."""

from __future__ import annotations

import csv
import io
import json
import re
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
    (file,) = versions_of(events)  # one file: v6 is derived from v5
    assert (file.version, file.count, file.versions) == ("5", 2, ("5", "6"))
    assert file.label == "question set versions 5 and 6"
    (only_v5,) = versions_of(events.filter(question_set_version="5"))
    assert only_v5.label == "question set version 5"


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


# -- the organisation screens, through their pages (issue 15: v6 records on the organisation screens) --
_ROW = re.compile(
    r'<dt class="govuk-summary-list__key">(?P<label>.*?)</dt>\s*'
    r'<dd class="govuk-summary-list__value">(?P<value>.*?)</dd>\s*'
    r'(?:<dd class="govuk-summary-list__actions">\s*<a class="govuk-link"\s*'
    r'href="[^"]*/change/(?P<page>[^/"]+)/")?',
    re.S,
)


def _answer_rows(body: str) -> dict[tuple[str, str], str]:
    """(page id, label) -> value of every answer row with a Change link on the record page."""
    answers = body.split('data-testid="answers"', 1)[1].split('data-testid="statutory"', 1)[0]
    rows = {}
    for match in _ROW.finditer(answers):
        if match["page"]:
            value = " ".join(re.sub(r"<[^>]+>", " ", match["value"]).split())
            rows[(match["page"], " ".join(match["label"].split()))] = value
    return rows


def _shared_pages(events) -> set[str]:
    """The pages whose rows are questions both versions ask (v6's new questions are not compared)."""
    pages: dict[str, bool] = {}
    for event in events:
        for section in revision_journey(event.visible_revision).review():
            for row in section.rows:
                pages[row.page_id] = pages.get(row.page_id, True) and row.question_id in SHARED
    return {page for page, shared in pages.items() if shared}


def test_the_organisation_record_page_shows_the_same_answers(both, client, trust_admin):
    from django.urls import reverse

    client.force_login(trust_admin)
    rows = {}
    for version, event in both.items():
        response = client.get(reverse("events:organisation_event", args=[event.reference]))
        assert response.status_code == 200
        rows[version] = _answer_rows(response.content.decode())
    shared = _shared_pages(both.values())
    v5 = {key: value for key, value in rows["5"].items() if key[0] in shared}
    v6 = {key: value for key, value in rows["6"].items() if key[0] in shared}
    assert v5 == v6
    assert len(v5) > 30
    assert set(rows["6"]) - set(rows["5"]), "the v6 record shows its own questions too"


def test_the_csv_download_shows_the_same_answers(both, client, trust_admin):
    from django.urls import reverse

    client.force_login(trust_admin)
    page = client.get(reverse("events:download"))
    assert "question set versions 5 and 6, 2 records" in page.content.decode()
    response = client.get(reverse("events:download_csv"), {"version": "5"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = {row["QuestionSetVersion"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"5", "6"}
    shared = [c for c in rows["5"] if c.rsplit("/", 1)[-1] in SHARED]
    assert len(shared) > 30
    assert {c: rows["5"][c] for c in shared} == {c: rows["6"][c] for c in shared}
    assert rows["5"]["EventType"] == rows["6"]["EventType"] == "Incident"


def test_the_dashboard_filters_find_both(both, client, trust_admin):
    from django.urls import reverse

    client.force_login(trust_admin)
    references = {event.display_reference for event in both.values()}
    for params in (
        {"event_type": "1"},
        {"physical_harm": "4"},
        {"category": "4"},
        {"event_type": "1", "physical_harm": "4", "category": "3"},
    ):
        body = client.get(reverse("events:organisation_events"), params).content.decode()
        listed = set(re.findall(r"\d{3}-\d{3}-\d{3}", body))
        assert references <= listed, params
    none = client.get(reverse("events:organisation_events"), {"event_type": "3"}).content.decode()
    assert not references & set(re.findall(r"\d{3}-\d{3}-\d{3}", none))


def test_an_organisation_user_edits_and_reviews_a_v6_record(both, client, trust_admin):
    from django.urls import reverse

    from events.models import EventStatus, RevisionAction

    client.force_login(trust_admin)
    event = both["6"]
    change = reverse("events:organisation_question", args=[event.reference, "Description"])
    assert client.get(change).status_code == 200
    response = client.post(change, {"Description": "Reworded by the patient safety team"})
    assert response.status_code == 302, response.content.decode()[:3000]
    process = reverse("events:organisation_question", args=[event.reference, "HealthcareProcess"])
    form = client.get(process)
    assert form.status_code == 200 and "HealthcareProcess" in form.content.decode()
    response = client.post(process, {"HealthcareProcess": ["6", "3"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        reverse("events:organisation_resubmit", args=[event.reference]), {"reviewed": "yes"}, follow=True
    )
    assert f"Record {event.display_reference} has been reviewed." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEWED
    latest = event.revisions.order_by("-number").first()
    assert latest.action == RevisionAction.REVIEWED and latest.question_set_version == "6"
    answers = latest.answers
    assert answers["Description"] == "Reworded by the patient safety team"
    assert sorted(answers["HealthcareProcess"]) == ["3", "6"]
    assert "Process" not in answers and "VTMString" in answers  # still a v6 record, v6 answers kept
    revision_publish(revision_id=latest.pk, redacted_answers=latest.answers)
    body = client.get(reverse("events:organisation_event", args=[event.reference])).content.decode()
    assert "Reworded by the patient safety team" in body
