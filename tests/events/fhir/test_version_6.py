"""Taxonomy version 6 beside version 5: meta.profile picks the version; v6 records are stored,
returned with R4 element names and the v6 extensions, and read back unchanged."""

from __future__ import annotations

import pytest

from events.fhir.mapping import placements
from events.models import Event
from events.questionnaire import Journey, load_question_set
from tests.events.questionnaire.helpers import GOOD_CARE, INCIDENT, OUTCOME, RISK, complete

from .checks import codes, fhir_json, outcome
from .payloads import PATH, PROFILE, find_extension, payload_from_answers, without_none

pytestmark = pytest.mark.django_db
QS6 = load_question_set("6")


def answers_v6(event_type: str, **overrides) -> dict:
    journey = Journey(QS6, {"EventType": event_type, **overrides})
    return without_none(complete(journey).prune())


def test_the_v6_question_set_is_v5_with_the_recorded_changes_and_the_form_stays_on_v5():
    from events.questionnaire import latest_version

    qs5 = load_question_set("5")
    ids5 = {q.id for q in qs5.all_questions()}
    ids6 = {q.id for q in QS6.all_questions()}
    assert ids5 - ids6 == {"Gender", "Process", "DrugsInvolved"}
    assert ids6 - ids5 == {
        "GenderIdentity", "GenderSameAsAtBirth", "HealthcareProcess", "LocationWithinServiceOther",
        "VTMString", "VTMCode", "VMPString", "VMPCode", "Manufacturer", "ModelNumber", "SerialNumber",
        "StaffAvailabilityIncidentFactor", "PeopleActionsDiffered", "PersonsActionsDiffered",
    }  # fmt: skip
    assert QS6.question("HealthcareProcess").codes == qs5.question("Process").codes  # codes stable
    assert latest_version() == "5"


def national_fields(resource: dict) -> dict[str, list]:
    """Every national field of a resource, by where it is: extension name (without host) -> the
    sub-extensions whose values are not free text (free text is shown redacted until processed),
    plus the elements a v6 AdverseEvent and its contained Device carry."""
    free_text = {q.id for q in QS6.all_questions() if q.free_text}
    found: dict[str, list] = {}
    for holder in (resource, *resource.get("contained", [])):
        for extension in holder.get("extension", []):
            name = extension["url"].rsplit("/", 1)[-1]
            items = [
                i
                for i in extension["extension"]
                if i["url"] not in free_text | {"ReferenceNumber", "FromOnlineForms"}
            ]
            found.setdefault(name, []).extend(items)
        if holder.get("resourceType") == "Device":
            found["Device"] = [holder.get(k) for k in ("manufacturer", "modelNumber", "serialNumber")]
    found["event"] = [resource["event"]["coding"][0]["code"], resource.get("actuality"), resource.get("date")]
    return found


def post_and_read_back(api, answers: dict) -> tuple[dict, dict]:
    document = payload_from_answers(answers, version="6")
    assert "event" in document and "type" not in document and document["actuality"] == "actual"
    response = api.post(PATH, document)
    assert response.status_code == 201, [i["diagnostics"] for i in fhir_json(response)["issue"]]
    body = fhir_json(response)
    read = fhir_json(api.get(f"{PATH}/{body['id']}"))
    assert national_fields(read) == national_fields(document)
    assert Event.objects.get(uuid=body["id"]).question_set_version == "6"
    return document, read


@pytest.mark.parametrize("event_type", [INCIDENT, OUTCOME, RISK, GOOD_CARE])
def test_a_v6_record_of_each_type_round_trips(api, event_type):
    answers = answers_v6(
        event_type,
        InvolvedAgents=["4", "3"],
        HealthcareProcess=["3", "6"],
        LocationWithinService="5",
        LocationWithinServiceOther="A dental surgery",
        VTMString="Amoxicillin",
        VTMCode="27658006",
        Manufacturer="Acme Medical",
        ModelNumber="X-200",
        SerialNumber="SN-0042",
    )
    post_and_read_back(api, answers)
    stored = Event.objects.get().revisions.get().answers
    for key, value in answers.items():
        if key != "patients":
            assert stored.get(key) == value, key


def test_the_v6_people_factors_round_trip_as_booleans(api):
    answers = answers_v6(
        INCIDENT, InvolvedAgents=["10"], PeopleActionsDiffered="y", PersonsActionsDiffered="n"
    )
    _, read = post_and_read_back(api, answers)
    people = find_extension(read, "adverse-event-problem-people", "6")["extension"]
    assert {"url": "PeopleActionsDiffered", "valueBoolean": True} in people
    assert {"url": "PersonsActionsDiffered", "valueBoolean": False} in people


def test_v6_extensions_and_elements_are_where_the_national_v6_puts_them(api):
    answers = answers_v6(
        INCIDENT,
        InvolvedAgents=["4", "3"],
        VTMString="Amoxicillin",
        VTMCode="27658006",
        Manufacturer="Acme Medical",
        SerialNumber="SN-0042",
    )
    body = fhir_json(api.post(PATH, payload_from_answers(answers, version="6")))
    assert find_extension(body, "adverse-event-core", "6")["extension"][0]["url"] == "Description"
    dmd = find_extension(body, "medication-dmd", "6")["extension"]
    assert {"url": "VTMCode", "valueCode": "27658006"} in dmd
    device = next(item for item in body["contained"] if item["resourceType"] == "Device")
    assert device["manufacturer"] == "Acme Medical" and device["serialNumber"] == "SN-0042"
    assert "description" not in body and "category" not in body


def test_a_v6_vendors_description_and_capitalised_device_elements_are_read(api):
    answers = answers_v6(INCIDENT, InvolvedAgents=["3"])
    document = payload_from_answers(answers, version="6")
    core = find_extension(document, "adverse-event-core", "6")
    document["extension"].remove(core)
    document["description"] = core["extension"][0]["valueString"]
    device = next(item for item in document["contained"] if item["resourceType"] == "Device")
    device.pop("modelNumber", None)
    device["ModelNumber"] = "X-200"
    response = api.post(PATH, document, headers={"Prefer": "return=OperationOutcome"})
    assert response.status_code == 201, [i["diagnostics"] for i in fhir_json(response)["issue"]]
    moved = [i for i in fhir_json(response)["issue"] if i["details"]["coding"][0]["code"] == "moved"]
    assert moved and moved[0]["expression"] == ["AdverseEvent.description"]
    stored = Event.objects.get().revisions.get().answers
    assert stored["Description"] == document["description"] and stored["ModelNumber"] == "X-200"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a v6 property in a v5 resource
        (lambda d: d["contained"][0]["extension"][0]["extension"].append(
            {"url": "GenderIdentity", "valueCode": "1"}), ("unknown-element", "extension[0].extension")),
        # a v6 extension in a v5 resource
        (lambda d: d["extension"].append(
            {"url": PROFILE.replace("patient-safety-adverse-event-5", "adverse-event-core-6"),
             "extension": [{"url": "Description", "valueString": "x"}]}), ("unknown-profile", ".url")),
    ],
)  # fmt: skip
def test_v6_fields_in_a_v5_resource_are_named_errors(api, change, expected):
    from .payloads import complete_answers

    document = payload_from_answers(without_none(complete_answers(INCIDENT)))
    document["contained"].sort(key=lambda item: item["resourceType"] != "Patient")
    change(document)
    found = codes(outcome(api.post(PATH, document), 400 if expected[0] == "unknown-element" else 422))
    assert any(code == expected[0] and expected[1] in (where or "") for code, where in found), found
    assert not Event.objects.exists()


def test_the_v6_taxonomy_is_served_beside_v5(web=None):
    from django.test import Client

    client = Client()
    for name in ("adverse-event-core-6", "medication-dmd-6", "adverse-event-process-6",
                 "patient-safety-adverse-event-6", "adverse-event-governance-6"):  # fmt: skip
        assert fhir_json(client.get(f"/taxonomy/fhir/StructureDefinition/{name}"))["id"] == name
    process = fhir_json(client.get("/taxonomy/fhir/ValueSet/healthcare-process-6"))
    assert len(process["compose"]["include"][0]["concept"]) == 12
    assert {spec.name for spec in placements("6").extensions} >= {"adverse-event-core", "medication-dmd"}


@pytest.mark.parametrize(
    ("extension", "item", "code"),
    [
        ("patient-information", {"url": "Gender", "valueCode": "1"}, "unknown-element"),
        ("adverse-event-process", {"url": "Process", "valueCode": "6"}, "unknown-element"),
        ("adverse-event-agent", {"url": "DrugsInvolved", "valueString": "Paracetamol"}, "unknown-element"),
        ("adverse-event-problem-people", {"url": "PeopleActionsDiffered", "valueCode": "y"}, "wrong-type"),
    ],
)
def test_v5_fields_in_a_v6_resource_are_named_errors(api, extension, item, code):
    answers = answers_v6(INCIDENT, InvolvedAgents=["10"])
    document = payload_from_answers(answers, version="6")
    holder = find_extension(document, extension, "6")
    holder["extension"] = [i for i in holder["extension"] if i["url"] != item["url"]] + [item]
    index = len(holder["extension"]) - 1
    response = api.post(PATH, document)
    assert response.status_code in (400, 422)
    found = codes(fhir_json(response)["issue"])
    assert any(
        c == code
        and (where or "").endswith(
            f"extension[{index}]" + (".url" if code == "unknown-element" else ".valueCode")
        )
        for c, where in found
    ), found
    assert not Event.objects.exists()
