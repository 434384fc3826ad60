"""The CapabilityStatement and the taxonomy resources, generated from the web form's question set."""

from __future__ import annotations

import pytest
from django.test import Client

from events.fhir.mapping import placements
from events.questionnaire import Kind, load_question_set

from .checks import codes, fhir_json, outcome

QS = load_question_set("5")
TAXONOMY = "/taxonomy/fhir"


@pytest.fixture
def web(db):
    return Client()


def test_the_capability_statement_lists_the_profile_and_needs_no_key(web):
    for path in ("/adverse-event/fhir/metadata", "/adverse-event/fhir/"):
        body = fhir_json(web.get(path))
        assert body["resourceType"] == "CapabilityStatement" and body["fhirVersion"] == "3.0.2"
        resource = body["rest"][0]["resource"][0]
        assert resource["type"] == "AdverseEvent"
        assert resource["profile"]["reference"].endswith(
            "/taxonomy/fhir/StructureDefinition/patient-safety-adverse-event-5"
        )
        assert {i["code"] for i in resource["interaction"]} >= {"create", "update", "read", "search-type"}


def test_every_taxonomy_resource_is_valid_fhir(web):
    for resource_type in ("StructureDefinition", "ValueSet", "CodeSystem"):
        bundle = fhir_json(web.get(f"{TAXONOMY}/{resource_type}"))
        assert bundle["total"] == len(bundle["entry"]) > 0
        for entry in bundle["entry"]:
            resource = entry["resource"]
            assert resource["id"].endswith(("-5", "-6"))
            single = fhir_json(web.get(f"{TAXONOMY}/{resource_type}/{resource['id']}"))
            assert single == resource


def test_value_sets_hold_exactly_the_question_set_codes(web):
    places = placements("5")
    for question in QS.all_questions():
        name = places.value_set_name(question)
        if name is None or question.id in places.not_sent:
            continue
        value_set = fhir_json(web.get(f"{TAXONOMY}/ValueSet/{name}-5"))
        concepts = value_set["compose"]["include"][0]["concept"]
        assert [c["code"] for c in concepts] == list(question.codes), question.id
        system = value_set["compose"]["include"][0]["system"]
        assert system.endswith(f"/taxonomy/fhir/CodeSystem/{name}-5")
        code_system = fhir_json(web.get(f"{TAXONOMY}/CodeSystem/{name}-5"))
        assert [c["display"] for c in code_system["concept"]] == [
            places.display(name, o.code, o.label) for o in question.options
        ]


def test_agent_types_and_specialties_are_published_under_taxonomy_names(web):
    agents = fhir_json(web.get(f"{TAXONOMY}/ValueSet/agent-type-5"))
    assert {"code": "4", "display": "Medications"} in agents["compose"]["include"][0]["concept"]
    specialty = fhir_json(web.get(f"{TAXONOMY}/CodeSystem/specialty-5"))
    assert specialty["count"] == 202


def test_each_extension_definition_has_a_slice_per_question(web):
    places = placements("5")
    for spec in places.extensions:
        definition = fhir_json(web.get(f"{TAXONOMY}/StructureDefinition/{spec.name}-5"))
        assert definition["context"] == [spec.resource]
        slices = {e["sliceName"] for e in definition["differential"]["element"] if "sliceName" in e}
        qs = places.question_set_of(spec, QS)
        expected = {key for qid in spec.questions for key in (qid, *(r.id for r in qs.question(qid).reveals))}
        assert slices == expected | set(spec.accepted), spec.name
    harm = fhir_json(web.get(f"{TAXONOMY}/StructureDefinition/patient-information-5"))
    value = next(
        e for e in harm["differential"]["element"] if e["id"] == "Extension.extension:PhysicalHarm.value[x]"
    )
    assert value["type"] == [{"code": "code"}, {"code": "string"}]
    assert value["binding"]["valueSetReference"]["reference"].endswith("/ValueSet/level-of-physical-harm-5")
    multiple = next(
        e for e in harm["differential"]["element"] if e.get("sliceName") == "AgeAtTimeOfIncidentDays"
    )
    assert multiple["alias"] == ["P004"]


def test_the_profile_names_every_extension_on_the_adverse_event(web):
    profile = fhir_json(web.get(f"{TAXONOMY}/StructureDefinition/patient-safety-adverse-event-5"))
    assert profile["type"] == "AdverseEvent"
    slices = {
        e["sliceName"] for e in profile["differential"]["element"] if e["path"] == "AdverseEvent.extension"
    }
    assert slices == {s.name for s in placements("5").extensions if s.resource == "AdverseEvent"}


def test_organisation_questions_bind_to_ods_codes(web):
    ods = fhir_json(web.get(f"{TAXONOMY}/ValueSet/ods-codes-5"))
    assert ods["compose"]["include"][0]["system"] == "https://fhir.nhs.uk/Id/ods-organization-code"
    organisations = [q for q in QS.all_questions() if q.kind == Kind.ORGANISATION]
    assert organisations


def test_unknown_taxonomy_ids_are_404(web):
    for path in (
        "StructureDefinition/patient-information-4",
        "ValueSet/nothing-5",
        "CodeSystem/agent-type",
        "Foo/1",
    ):
        assert codes(outcome(web.get(f"{TAXONOMY}/{path}"), 404)) == [("not-found", None)]


def test_the_issue_codes_are_published(web):
    body = fhir_json(web.get("/adverse-event/fhir/CodeSystem/submission-issue"))
    assert {"required", "unknown-code", "not-applicable"} <= {c["code"] for c in body["concept"]}
