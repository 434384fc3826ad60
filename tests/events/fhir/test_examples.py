"""docs/examples/: one AdverseEvent for every event type in both taxonomy versions, as the national
team gives vendors. Each is valid FHIR, is accepted through the API, and reads back with every
national field unchanged (once its free text has been through redaction)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from events.lifecycle import revision_publish
from events.models import Event

from .checks import fhir_json, valid_fhir
from .payloads import PATH

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
FILES = sorted(EXAMPLES.glob("v*.json"))
EVENT_TYPES = {"incident": "1", "outcome": "2", "risk": "3", "good-care": "4"}
SERVER_SET = {"ReferenceNumber", "FromOnlineForms"}
# Codes from lists too long to enumerate: ODS codes (checked against the organisations known here)
# and dm+d ids (not checked: docs/adr/0018).
OPEN_CODES = {"Organisation", "ReporterOrganisation", "IdentifiedLocation", "VTMCode", "VMPCode"}

pytestmark = pytest.mark.django_db


def test_there_is_an_example_of_every_event_type_in_both_versions():
    assert {path.stem for path in FILES} == {f"v{v}-{t}" for v in ("5", "6") for t in EVENT_TYPES}


def national_fields(resource: dict) -> dict:
    """Everything a vendor maps, host-independent: each extension's properties by extension name
    (without the server-set ones), the contained resources' own elements, and the event's elements."""
    fields: dict = {}
    for holder in (resource, *resource.get("contained", [])):
        kind = holder.get("resourceType")
        for extension in holder.get("extension", []):
            name = extension["url"].rsplit("/", 1)[-1]
            fields[(kind, name)] = [i for i in extension["extension"] if i["url"] not in SERVER_SET]
        if kind != "AdverseEvent":
            fields[(kind, "elements")] = {k: v for k, v in holder.items() if k not in ("extension",)}
    for element in ("event", "type", "actuality", "category", "date", "description", "subject",
                    "location", "recorder", "suspectEntity"):  # fmt: skip
        if element in resource:
            value = resource[element]
            if element in ("event", "type"):
                value = [c["code"] for c in value["coding"]]
            fields[("AdverseEvent", element)] = value
    fields["profile"] = resource["meta"]["profile"][0].rsplit("/", 1)[-1]
    return fields


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_example_is_valid_fhir_and_round_trips_unchanged(api, path):
    example = json.loads(path.read_text())
    valid_fhir(example)
    version, _, event_type = path.stem.partition("-")
    response = api.post(PATH, example, headers={"Prefer": "return=OperationOutcome"})
    assert response.status_code == 201, [i["diagnostics"] for i in fhir_json(response)["issue"]]
    warnings = [i for i in fhir_json(response)["issue"] if i["severity"] != "information"]
    assert warnings == []  # nothing ignored, nothing moved: every field was taken as sent
    event = Event.objects.get()
    assert (event.event_type, event.question_set_version) == (EVENT_TYPES[event_type], version[1:])
    revision = event.revisions.get()
    revision_publish(revision_id=revision.pk, redacted_answers=revision.answers)  # nothing to redact
    read = fhir_json(api.get(f"{PATH}/{event.uuid}"))
    assert national_fields(read) == national_fields(example)


def coded_places(resource: dict):
    """(holder path, extension index, property index) of every valueCode in the examples' extensions,
    the first of each extension only (each extension's codes are checked by the same reader)."""
    holders = [("AdverseEvent", resource)] + [
        (f"AdverseEvent.contained[{n}]", item) for n, item in enumerate(resource.get("contained", []))
    ]
    for where, holder in holders:
        for e, extension in enumerate(holder.get("extension", [])):
            for p, item in enumerate(extension["extension"]):
                if "valueCode" in item and item["url"] not in OPEN_CODES:
                    yield holder, e, p, f"{where}.extension[{e}].extension[{p}].valueCode"
                    break


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_an_unknown_code_anywhere_in_an_example_is_an_error_naming_it(api, path):
    example = json.loads(path.read_text())
    places = list(coded_places(example))
    assert len(places) >= 3
    for holder, e, p, where in places:
        item = holder["extension"][e]["extension"][p]
        sent, item["valueCode"] = item["valueCode"], "999"
        response = api.post(PATH, example)
        item["valueCode"] = sent
        assert response.status_code == 422, (where, response.status_code)
        issues = fhir_json(response)["issue"]
        assert any(
            i["details"]["coding"][0]["code"] == "unknown-code" and i.get("expression") == [where]
            for i in issues
        ), (where, [i["diagnostics"] for i in issues])
    assert not Event.objects.exists()
