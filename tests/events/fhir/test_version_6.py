"""Taxonomy version 6 beside version 5: meta.profile picks the version; v6 records are stored,
returned with R4 element names and the v6 extensions, and read back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

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


# -- every field of the other version is an error naming it (issue 15: never a silent drop) ----------
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
V5_URL = PROFILE.rsplit("/", 1)[0]


def _example(version: str) -> dict:
    return json.loads((EXAMPLES / f"v{version}-incident.json").read_text())


def _contained(document: dict, resource_type: str) -> dict:
    return next(item for item in document["contained"] if item["resourceType"] == resource_type)


def _add_property(name: str, version: str, item: dict):
    def change(document: dict) -> str:
        try:
            holder = find_extension(document, name, version)
        except KeyError:
            holder = {"url": f"{V5_URL}/{name}-{version}", "extension": []}
            document["extension"].append(holder)
        holder["extension"].append(item)
        return item["url"]

    return change


def _set(element: str, value, resource_type: str | None = None):
    def change(document: dict) -> str:
        (_contained(document, resource_type) if resource_type else document)[element] = value
        return element

    return change


def _add_extension(name: str, version: str, item: dict):
    def change(document: dict) -> str:
        document["extension"].append({"url": f"{V5_URL}/{name}-{version}", "extension": [item]})
        return f"{name}-{version}"

    return change


def _swap(old: str, new: str):
    def change(document: dict) -> str:
        document[new] = document.pop(old)
        return new

    return change


def _property(version: str, name: str, url: str, fhir_type: str, value):
    return (version, _add_property(name, version, {"url": url, f"value{fhir_type}": value}))


OTHER_VERSION_FIELDS = {
    # v6 fields in a v5 resource
    "v5 actuality": ("5", _set("actuality", "actual")),
    "v5 event beside type": ("5", _set("event", {"coding": [{"code": "1"}]})),
    "v5 event for type": ("5", _swap("type", "event")),
    "v5 recordedDate": ("5", _set("recordedDate", "2024-05-01")),
    "v5 Device.manufacturer": ("5", _set("manufacturer", "Acme Infusion Ltd", "Device")),
    "v5 Device.modelNumber": ("5", _set("modelNumber", "AP-200", "Device")),
    "v5 Device.SerialNumber": ("5", _set("SerialNumber", "SN-1", "Device")),
    "v5 GenderIdentity": _property("5", "patient-information", "GenderIdentity", "Code", "1"),
    "v5 GenderSameAsAtBirth": _property("5", "patient-information", "GenderSameAsAtBirth", "Code", "y"),
    "v5 HealthcareProcess": _property("5", "adverse-event-process", "HealthcareProcess", "Code", "6"),
    "v5 LocationWithinServiceOther": _property(
        "5", "location-details", "LocationWithinServiceOther", "String", "Clinic"
    ),
    "v5 StaffAvailabilityIncidentFactor": _property(
        "5", "adverse-event-problem-people", "StaffAvailabilityIncidentFactor", "Boolean", True
    ),
    "v5 VTMString": _property("5", "medication-administration", "VTMString", "String", "Paracetamol"),
    "v5 adverse-event-core-6": (
        "5", _add_extension("adverse-event-core", "6", {"url": "Description", "valueString": "x"})
    ),
    "v5 medication-dmd-6": ("5", _add_extension("medication-dmd", "6", {"url": "VTMCode", "valueCode": "1"})),
    # v5 fields in a v6 resource
    "v6 type beside event": ("6", _set("type", {"coding": [{"code": "1"}]})),
    "v6 type for event": ("6", _swap("event", "type")),
    "v6 category AE": ("6", _set("category", "AE")),
    "v6 reaction": ("6", _set("reaction", [{"reference": "#patient1"}])),
    "v6 Gender": _property("6", "patient-information", "Gender", "Code", "1"),
    "v6 Process": _property("6", "adverse-event-process", "Process", "Code", "6"),
    "v6 DrugsInvolved": _property("6", "adverse-event-agent", "DrugsInvolved", "String", "Paracetamol"),
    "v6 adverse-event-process-5": (
        "6", _add_extension("adverse-event-process", "5", {"url": "Process", "valueCode": "6"})
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(OTHER_VERSION_FIELDS))
def test_every_field_of_the_other_version_is_an_error_naming_it(api, case):
    version, change = OTHER_VERSION_FIELDS[case]
    document = _example(version)
    field = change(document)
    response = api.post(PATH, document, headers={"Prefer": "return=OperationOutcome"})
    assert response.status_code in (400, 422), (case, response.status_code)
    issues = fhir_json(response)["issue"]
    errors = [issue for issue in issues if issue["severity"] == "error"]
    assert any(field in issue["details"]["text"] for issue in errors), (case, errors)
    assert not [i for i in issues if i["severity"] != "error" and field in i["details"]["text"]], case
    other = "6" if version == "5" else "5"
    named = next(issue for issue in errors if field in issue["details"]["text"])
    assert f"version {other}" in named["details"]["text"] or f"-{other}" in named["details"]["text"], named
    assert not Event.objects.exists()


@pytest.mark.parametrize("version", ["5", "6"])
def test_the_examples_carry_no_field_of_the_other_version(api, version):
    response = api.post(PATH, _example(version), headers={"Prefer": "return=OperationOutcome"})
    assert response.status_code == 201
    assert [i for i in fhir_json(response)["issue"] if i["severity"] != "information"] == []


def test_an_r4_category_in_a_v6_resource_is_named_as_not_stored(api):
    document = _example("6")
    document["category"] = [{"coding": [{"code": "product-use-error"}]}]
    response = api.post(PATH, document, headers={"Prefer": "return=OperationOutcome"})
    assert response.status_code == 201
    ignored = [i for i in fhir_json(response)["issue"] if i["severity"] == "warning"]
    assert [i["expression"] for i in ignored] == [["AdverseEvent.category"]]
