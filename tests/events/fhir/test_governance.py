"""The adverse-event-governance-5 extension: the record's statutory and national policy answers,
held once (StatutoryRequirements, as the statutory screen stores them), over the API."""

from __future__ import annotations

import csv
import io

import pytest

from events.csv_export import csv_layout, csv_lines
from events.models import Event, StatutoryRequirements
from events.organisation_services import event_statutory_update
from tests.events.questionnaire.helpers import GOOD_CARE, INCIDENT

from .checks import codes, fhir_json, outcome
from .payloads import PATH, SD, complete_answers, find_extension, payload_from_answers, without_none

pytestmark = pytest.mark.django_db
GOVERNANCE = f"{SD}/adverse-event-governance-5"


def governance(*properties: tuple[str, str, object]) -> dict:
    return {
        "url": GOVERNANCE,
        "extension": [{"url": url, f"value{kind}": value} for url, kind, value in properties],
    }


def payload(event_type=INCIDENT, *properties):
    document = payload_from_answers(without_none(complete_answers(event_type)))
    if properties:
        document["extension"].insert(0, governance(*properties))
    return document


SENT = (
    ("DutyOfCandour", "Boolean", True),
    ("CqcNotify", "Boolean", True),
    ("CqcCriteria", "Code", "1"),
    ("CqcCriteria", "Code", "3"),
    ("NeverEvent", "Boolean", True),
    ("NeverEventType", "Code", "12"),
    ("SeriousIncident", "Boolean", False),
)
STORED = {
    "DutyOfCandour": "y",
    "CqcNotify": "y",
    "CqcCriteria": ["1", "3"],
    "NeverEvent": "y",
    "NeverEventType": "12",
    "SeriousIncident": "n",
}


def post(api, document) -> dict:
    response = api.post(PATH, document)
    assert response.status_code == 201, response.content[:3000]
    return fhir_json(response)


def test_governance_is_stored_as_the_records_statutory_answers_and_returned(api):
    body = post(api, payload(INCIDENT, *SENT))
    event = Event.objects.get(uuid=body["id"])
    assert event.statutory.answers == STORED
    assert event.statutory.revision == event.revisions.get()  # written with the revision, once
    assert StatutoryRequirements.objects.filter(event=event).count() == 1
    returned = find_extension(body, "adverse-event-governance")["extension"]
    assert returned == [
        {"url": name, f"value{kind}": value} for name, kind, value in _in_document_order(SENT)
    ]
    again = fhir_json(api.get(f"{PATH}/{body['id']}"))
    assert find_extension(again, "adverse-event-governance") == find_extension(
        body, "adverse-event-governance"
    )


def _in_document_order(sent):
    order = ["CqcNotify", "CqcCriteria", "DutyOfCandour", "LocalAuthoritySafeguarding",
             "DesignationsMentalHealth", "DeprivationOfLiberty", "NeverEvent", "NeverEventType",
             "SeriousIncident", "HsibNotify"]  # fmt: skip
    return sorted(sent, key=lambda item: order.index(item[0]))


def test_the_screen_and_the_api_share_one_set_of_answers(api, trust_admin):
    body = post(api, payload(INCIDENT, *SENT))
    event = Event.objects.get(uuid=body["id"])
    event.visible_revision = event.revisions.get()
    event.save(update_fields=["visible_revision"])
    event_statutory_update(event=event, actor=trust_admin, answers={"DutyOfCandour": "n", "HsibNotify": "y"})
    shown = find_extension(fhir_json(api.get(f"{PATH}/{body['id']}")), "adverse-event-governance")
    assert shown["extension"] == [
        {"url": "DutyOfCandour", "valueBoolean": False},
        {"url": "HsibNotify", "valueBoolean": True},
    ]
    first = fhir_json(api.get(f"{PATH}/{body['id']}/_history/1"))  # a version read: as it was then
    assert len(find_extension(first, "adverse-event-governance")["extension"]) == len(SENT)


def test_a_put_without_the_extension_keeps_the_answers_and_one_with_it_replaces_them(api):
    document = payload(INCIDENT, *SENT)
    body = post(api, document)
    event = Event.objects.get(uuid=body["id"])
    document["id"] = body["id"]
    same = api.put(f"{PATH}/{body['id']}", document)
    assert same.status_code == 200 and fhir_json(same)["meta"]["versionId"] == "1"
    without = {**document, "extension": [e for e in document["extension"] if e["url"] != GOVERNANCE]}
    assert fhir_json(api.put(f"{PATH}/{body['id']}", without))["meta"]["versionId"] == "1"
    event.refresh_from_db()
    assert event.statutory.answers == STORED
    changed = {
        **document,
        "extension": [governance(("SeriousIncident", "Boolean", True)), *without["extension"]],
    }
    response = fhir_json(api.put(f"{PATH}/{body['id']}", changed))
    assert response["meta"]["versionId"] == "2"
    event.refresh_from_db()
    assert event.statutory.answers == {"SeriousIncident": "y"}
    assert event.statutory.revision.number == 2


def test_governance_is_in_the_csv(api):
    body = post(api, payload(INCIDENT, *SENT))
    events = Event.objects.filter(uuid=body["id"])
    lines = "".join(csv_lines(events, csv_layout(events, "5")))
    row = next(csv.DictReader(io.StringIO(lines.lstrip("\ufeff"))))
    assert row["DutyOfCandour"] == "Yes" and row["SeriousIncident"] == "No"
    assert "Transfusion or transplantation of ABO-incompatible" in row["NeverEventType"]


@pytest.mark.parametrize(
    ("event_type", "properties", "expected"),
    [
        (GOOD_CARE, (("DutyOfCandour", "Boolean", True),), ("not-applicable", "extension[0].extension[0]")),
        (INCIDENT, (("NeverEvent", "Boolean", False), ("NeverEventType", "Code", "3")),
         ("not-applicable", "extension[0].extension[1]")),
        (INCIDENT, (("CqcNotify", "Boolean", True), ("CqcCriteria", "Code", "9")),
         ("unknown-code", "extension[0].extension[1]")),
        (INCIDENT, (("CqcNotify", "Boolean", True),), ("required", "extension('CqcCriteria')")),
        (INCIDENT, (("SeriousIncident", "Code", "y"),), ("wrong-type", "extension[0].extension[0]")),
        (INCIDENT, (("NeverEventCode", "Code", "3"),), ("unknown-element", "extension[0].extension[0]")),
    ],
)  # fmt: skip
def test_bad_governance_is_an_outcome_naming_the_property(api, event_type, properties, expected):
    status = 400 if expected[0] in ("wrong-type", "unknown-element") else 422
    issues = outcome(api.post(PATH, payload(event_type, *properties)), status)
    found = codes(issues)
    assert any(code == expected[0] and expected[1] in (where or "") for code, where in found), found
    assert not Event.objects.exists()
