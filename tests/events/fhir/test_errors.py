"""Every class of error is an OperationOutcome that says what is wrong and exactly where, and nothing
is stored when a request fails."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.models import ApiIdempotencyRecord
from events.fhir.auth import API_KEY_HEADER
from events.fhir.clients import api_client_create, api_client_revoke
from events.models import Event, EventRevision

from .checks import FhirClient, codes, outcome
from .payloads import PATH, SD, ext, meg_outcome, vendor_incident, with_changes

pytestmark = pytest.mark.django_db

PATIENT = "AdverseEvent.contained[0].extension[0]"  # the vendor incident's patient-information


@pytest.fixture(autouse=True)
def nothing_is_stored(db):
    yield
    assert not Event.objects.exists() and not EventRevision.objects.exists()
    assert not ApiIdempotencyRecord.objects.exists()


def patient_property(payload: dict, name: str) -> dict:
    return next(e for e in payload["contained"][0]["extension"][0]["extension"] if e["url"] == name)


def test_an_unknown_code_is_reported_where_it_was_sent(api):
    payload = with_changes(
        vendor_incident(), lambda p: patient_property(p, "PhysicalHarm").update(valueCode="9")
    )
    issues = outcome(api.post(PATH, payload), 422)
    assert codes(issues) == [("unknown-code", f"{PATIENT}.extension[4].valueCode")]
    assert "PhysicalHarm" in issues[0]["details"]["text"]


def test_an_unknown_event_type_is_an_unknown_code(api):
    payload = with_changes(vendor_incident(), lambda p: p.update(type={"coding": [{"code": "7"}]}))
    issues = outcome(api.post(PATH, payload), 422)
    assert codes(issues) == [("unknown-code", "AdverseEvent.type.coding[0].code")]


def test_a_missing_required_answer_names_where_it_belongs(api):
    def drop_physical_harm(payload):
        patient = payload["contained"][0]["extension"][0]
        patient["extension"] = [e for e in patient["extension"] if e["url"] != "PhysicalHarm"]

    issues = outcome(api.post(PATH, with_changes(vendor_incident(), drop_physical_harm)), 422)
    assert codes(issues) == [("required", f"{PATIENT}.extension('PhysicalHarm')")]
    assert issues[0]["code"] == "required"


def test_a_missing_extension_is_located_on_its_resource(api):
    def drop_location(payload):
        payload["contained"][2]["extension"] = []

    found = codes(outcome(api.post(PATH, with_changes(vendor_incident(), drop_location)), 422))
    url = "http://testserver/taxonomy/fhir/StructureDefinition/location-details-5"
    assert ("required", f"AdverseEvent.contained[2].extension('{url}').extension('LocationKnown')") in found
    assert {code for code, _ in found} == {"required"}


def test_a_value_of_the_wrong_type_is_a_400(api):
    payload = with_changes(
        vendor_incident(),
        lambda p: patient_property(p, "PhysicalHarm").update(valueInteger=4, valueCode=None),
    )
    patient_property(payload, "PhysicalHarm").pop("valueCode")
    issues = outcome(api.post(PATH, payload), 400)
    assert codes(issues) == [("wrong-type", f"{PATIENT}.extension[4].valueInteger")]


def test_a_number_given_as_text_is_the_wrong_type(api):
    payload = with_changes(
        vendor_incident(),
        lambda p: patient_property(p, "AgeAtTimeOfIncidentDays").update(valueInteger="18600"),
    )
    assert codes(outcome(api.post(PATH, payload), 400)) == [
        ("wrong-type", f"{PATIENT}.extension[1].valueInteger")
    ]


def test_an_answer_to_a_question_that_is_not_asked(api):
    def add_follow_up(payload):
        medication = payload["extension"][3]
        medication["extension"].append({"url": "DrugInsufficientDetails", "valueCode": "2"})

    issues = outcome(api.post(PATH, with_changes(vendor_incident(), add_follow_up)), 422)
    assert codes(issues) == [("not-applicable", "AdverseEvent.extension[3].extension[5].valueCode")]
    assert "DrugInvolvementFactors" in issues[0]["details"]["text"]


def test_answers_for_another_event_type_are_not_applicable(api):
    def outcome_type_on_an_incident(payload):
        payload["extension"][5]["extension"].append({"url": "OutcomeType", "valueCode": "2"})

    issues = outcome(api.post(PATH, with_changes(vendor_incident(), outcome_type_on_an_incident)), 422)
    assert codes(issues) == [("not-applicable", "AdverseEvent.extension[5].extension[1].valueCode")]
    assert "not asked for incident events" in issues[0]["details"]["text"]


def test_patients_sent_for_a_risk_are_not_applicable(api):
    from tests.events.questionnaire.helpers import RISK

    from .payloads import complete_answers, payload_from_answers, without_none

    payload = payload_from_answers(without_none(complete_answers(RISK)))
    patient = vendor_incident()["contained"][0]
    payload.setdefault("contained", []).insert(0, patient)
    issues = outcome(api.post(PATH, payload), 422)
    assert codes(issues) == [("not-applicable", "AdverseEvent.contained[0].extension[0]")]


def test_an_unknown_ods_code(api):
    def elsewhere(payload):
        location = payload["contained"][2]["extension"][0]
        location["extension"][1]["valueCode"] = "ZZZ99"

    issues = outcome(api.post(PATH, with_changes(vendor_incident(), elsewhere)), 422)
    assert codes(issues) == [
        ("unknown-organisation", "AdverseEvent.contained[2].extension[0].extension[1].valueCode")
    ]


def test_an_ods_code_in_the_wrong_format_uses_the_engine_message(api):
    def elsewhere(payload):
        payload["contained"][2]["extension"][0]["extension"][1]["valueCode"] = "not an ods code"

    issues = outcome(api.post(PATH, with_changes(vendor_incident(), elsewhere)), 422)
    assert codes(issues) == [
        ("invalid-value", "AdverseEvent.contained[2].extension[0].extension[1].valueCode")
    ]
    assert "Enter an ODS code in the correct format" in issues[0]["details"]["text"]


def test_engine_rules_apply_exclusive_options_lengths_and_dates(api):
    def break_rules(payload):
        payload["extension"][0]["extension"][0]["valueCode"] = "n"  # not today: the date is asked
        payload["date"] = "2999-01-01"
        payload["extension"][6]["extension"].append({"url": "SafetyChallenges", "valueCode": "1"})
        payload["description"] = "x" * 32001

    found = codes(outcome(api.post(PATH, with_changes(vendor_incident(), break_rules)), 422))
    assert ("invalid-value", "AdverseEvent.date") in found
    assert ("invalid-value", "AdverseEvent.description") in found
    assert ("invalid-value", "AdverseEvent.extension[6].extension[0].valueCode") in found


def test_a_single_answer_sent_twice(api):
    def twice(payload):
        patient_property(payload, "Gender")
        payload["contained"][0]["extension"][0]["extension"].append({"url": "Gender", "valueCode": "1"})

    assert codes(outcome(api.post(PATH, with_changes(vendor_incident(), twice)), 400)) == [
        ("repeated", f"{PATIENT}.extension[7].valueCode")
    ]


def test_a_property_in_the_wrong_extension_or_resource(api):
    def misplaced(payload):
        payload["extension"][1]["extension"].append({"url": "PhysicalHarm", "valueCode": "4"})
        payload["extension"].append(ext("location-details", ("LocationKnown", "Code", "y")))

    found = codes(outcome(api.post(PATH, with_changes(vendor_incident(), misplaced)), 400))
    assert found == [
        ("wrong-place", "AdverseEvent.extension[1].extension[1]"),
        ("wrong-place", "AdverseEvent.extension[9]"),
    ]


def test_an_unknown_property_and_an_unknown_element(api):
    def unknown(payload):
        payload["extension"][1]["extension"].append({"url": "GenderIdentity", "valueCode": "1"})
        payload["colour"] = "blue"

    found = codes(outcome(api.post(PATH, with_changes(vendor_incident(), unknown)), 400))
    assert ("unknown-element", "AdverseEvent.extension[1].extension[1].url") in found
    assert ("unknown-element", "AdverseEvent.colour") in found


def test_the_profile_must_name_a_shipped_version(api):
    v6 = with_changes(
        vendor_incident(), lambda p: p.update(meta={"profile": [f"{SD}/patient-safety-adverse-event-7"]})
    )
    assert codes(outcome(api.post(PATH, v6), 422)) == [("unknown-profile", "AdverseEvent.meta.profile[0]")]
    missing = with_changes(vendor_incident(), lambda p: p.pop("meta"))
    assert codes(outcome(api.post(PATH, missing), 422)) == [("required", "AdverseEvent.meta.profile")]

    def old_extension(payload):
        payload["extension"][1]["url"] = f"{SD}/adverse-event-process-4"

    found = codes(outcome(api.post(PATH, with_changes(vendor_incident(), old_extension)), 422))
    assert ("unknown-profile", "AdverseEvent.extension[1].url") in found


def test_follow_ups_of_an_answer_with_a_problem_are_not_reported_again(api):
    def bad_agents(payload):
        payload["extension"][2]["extension"][0]["valueCode"] = "99"

    found = codes(outcome(api.post(PATH, with_changes(vendor_incident(), bad_agents)), 422))
    assert found == [("unknown-code", "AdverseEvent.extension[2].extension[0].valueCode")]


def test_malformed_bodies(api):
    for body, status, code in [
        (b"{not json", 400, "invalid-json"),
        (b"[1, 2]", 400, "invalid-json"),
        (b'{"resourceType": "AdverseEvent", "resourceType": "Bundle"}', 400, "invalid-json"),
        (b'{"a": NaN}', 400, "invalid-json"),
        (b"\xff\xfe", 400, "invalid-json"),
        (b"[" * 100_000 + b"]" * 100_000, 400, "invalid-json"),
        (b'{"resourceType": "Bundle", "type": "transaction"}', 400, "not-an-adverse-event"),
    ]:
        assert codes(outcome(api.post(PATH, body), status))[0][0] == code, body[:40]


def test_wrong_content_types_are_415(api):
    for content_type in [
        "text/plain",
        "application/xml",
        "application/fhir+xml",
        "multipart/form-data; boundary=x",
    ]:
        response = api.post(PATH, vendor_incident(), content_type=content_type)
        assert codes(outcome(response, 415)) == [("unsupported-media-type", None)]


@override_settings(FHIR_MAX_BODY_BYTES=2048)
def test_a_body_over_the_limit_is_413(api):
    response = api.post(PATH, vendor_incident())
    assert codes(outcome(response, 413)) == [("too-large", None)]


def test_unknown_methods_and_paths(api):
    response = api.client.delete(PATH, headers={API_KEY_HEADER: api.key})
    assert codes(outcome(response, 405)) == [("method-not-allowed", None)]
    assert response["Allow"] == "GET, POST"
    assert codes(outcome(api.get("/adverse-event/fhir/Patient/1"), 404)) == [("not-found", None)]


def test_no_key_an_unknown_key_or_a_revoked_key_is_401(api, client_and_key, super_admin):
    assert codes(outcome(FhirClient(None).post(PATH, vendor_incident()), 401)) == [("unauthorised", None)]
    assert outcome(FhirClient("lfpse_00000000_guess").post(PATH, vendor_incident()), 401)
    api_client_revoke(client=client_and_key[0], actor=super_admin)
    assert outcome(api.post(PATH, vendor_incident()), 401)


def test_a_key_may_submit_only_for_its_organisations(organisations, super_admin):
    _, key = api_client_create(
        name="GP system", organisations=[organisations["A81001"]], rate_limit=None, actor=super_admin
    )
    response = FhirClient(key).post(PATH, vendor_incident())  # ReporterOrganisation RJ1
    assert codes(outcome(response, 403)) == [
        ("organisation-not-allowed", "AdverseEvent.contained[1].extension[0].extension[3].valueCode")
    ]


def test_a_key_for_several_organisations_must_say_which(organisations, super_admin):
    _, key = api_client_create(
        name="Group LRMS",
        organisations=[organisations["A81001"], organisations["QNQ"]],
        rate_limit=None,
        actor=super_admin,
    )

    def no_reporter_organisation(payload):
        practitioner = payload["contained"][1]["extension"][0]
        practitioner["extension"] = [
            e for e in practitioner["extension"] if e["url"] != "ReporterOrganisation"
        ]

    response = FhirClient(key).post(PATH, with_changes(vendor_incident(), no_reporter_organisation))
    assert codes(outcome(response, 422))[0][0] == "organisation-unclear"


def test_requests_over_the_rate_limit_get_429_with_retry_after(organisations, super_admin):
    _, key = api_client_create(
        name="Busy LRMS", organisations=[organisations["RJ1"]], rate_limit=2, actor=super_admin
    )
    api = FhirClient(key)
    assert api.get(PATH).status_code == 200
    assert api.get(PATH).status_code == 200
    response = api.get(PATH)
    assert codes(outcome(response, 429)) == [("rate-limited", None)]
    assert 1 <= int(response["Retry-After"]) <= 60


def test_an_invalid_if_match_or_idempotency_key_is_400(api):
    response = api.post(PATH, vendor_incident(), headers={"Idempotency-Key": "x" * 300})
    assert codes(outcome(response, 400)) == [("invalid-header", None)]


def test_a_put_that_fails_validation_stores_nothing(api, organisations):
    """(The autouse fixture checks that no event exists after any test of this module.)"""
    response = api.put(f"{PATH}/7d0f3c1e-0b0a-4f57-9d54-3f8f3f0b2a11", meg_outcome())
    assert outcome(response, 404)
