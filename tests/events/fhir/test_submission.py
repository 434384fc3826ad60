"""POST, PUT, GET and search of AdverseEvents through the API, every response checked as FHIR."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import ApiSubmission
from events.models import Event, EventRevision, EventStatus, RedactionRun, RevisionAction
from events.presenters import BEING_PROCESSED
from tests.events.questionnaire.helpers import GOOD_CARE, INCIDENT, OUTCOME, RISK

from .checks import codes, fhir_json, outcome, reference_number
from .payloads import (
    PATH,
    complete_answers,
    find_extension,
    meg_outcome,
    payload_from_answers,
    vendor_good_care,
    vendor_incident,
    with_changes,
    without_none,
)

pytestmark = pytest.mark.django_db


def created(api, payload, **headers) -> dict:
    response = api.post(PATH, payload, headers=headers)
    assert response.status_code == 201, response.content[:3000]
    body = fhir_json(response)
    assert response["Location"].endswith(f"/adverse-event/fhir/AdverseEvent/{body['id']}/_history/1")
    assert response["ETag"] == 'W/"1"'
    return body


@pytest.mark.parametrize("sample", [vendor_incident, meg_outcome, vendor_good_care])
def test_the_national_sample_shapes_are_accepted(api, sample):
    body = created(api, sample())
    assert body["resourceType"] == "AdverseEvent"
    assert body["meta"]["versionId"] == "1"
    assert re.fullmatch(r"\d{3}-\d{3}-\d{3}", reference_number(body))
    event = Event.objects.get(uuid=body["id"])
    assert event.display_reference == reference_number(body)


@pytest.mark.parametrize("event_type", [INCIDENT, OUTCOME, RISK, GOOD_CARE])
def test_a_payload_of_each_event_type_is_stored_as_a_first_revision(api, event_type, trust_admin):
    answers = without_none(complete_answers(event_type))
    body = created(api, payload_from_answers(answers))
    event = Event.objects.get(uuid=body["id"])
    revision = event.revisions.get()
    assert (event.event_type, event.status, event.recorded_by) == (
        event_type,
        EventStatus.RECORDER_SUBMITTED,
        None,
    )
    assert (revision.number, revision.action, revision.actor) == (1, RevisionAction.SUBMITTED, None)
    assert revision.answers == answers
    submission = ApiSubmission.objects.get(event=event)
    assert submission.organisation.ods_code == "RJ1"
    assert RedactionRun.objects.filter(revision=revision).exists()  # queued for redaction
    assert event.visible_revision is None  # not in organisation views until redacted


def test_the_response_never_echoes_raw_free_text(api):
    body = created(api, vendor_incident())
    assert body["description"] == BEING_PROCESSED
    patient = find_extension(body, "patient-information")
    clinical = next(e for e in patient["extension"] if e["url"] == "ClinicalOutcome")
    assert clinical["valueString"] == BEING_PROCESSED
    raw = EventRevision.objects.get(event__uuid=body["id"]).answers
    assert raw["Description"].startswith("The infusion pump")  # stored once, encrypted, for redaction


def test_the_organisation_admins_are_told_once_it_commits(
    api, trust_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created(api, vendor_incident())
    # The vendor incident happened at the trust's site RJ121: the trust's admins look after its sites.
    assert Event.objects.get().organisation.ods_code == "RJ121"
    (message,) = [m for m in mail.outbox if trust_admin.email in m.to]
    assert "by a local risk management system" in message.body


def test_admins_of_the_event_organisation_are_notified(api, trust_admin, django_capture_on_commit_callbacks):
    answers = without_none(complete_answers(INCIDENT))
    assert answers["Organisation"] == "RJ1"
    with django_capture_on_commit_callbacks(execute=True):
        created(api, payload_from_answers(answers))
    (message,) = [m for m in mail.outbox if trust_admin.email in m.to]
    assert "by a local risk management system" in message.body


def test_read_and_vread_return_the_stored_resource(api):
    body = created(api, meg_outcome())
    url = f"{PATH}/{body['id']}"
    response = api.get(url)
    assert response.status_code == 200
    read = fhir_json(response)
    assert read["id"] == body["id"] and read["meta"]["versionId"] == "1"
    assert response["ETag"] == 'W/"1"'
    assert read["extension"] == body["extension"] and read["contained"] == body["contained"]
    version = fhir_json(api.get(f"{url}/_history/1"))
    assert version["meta"]["versionId"] == "1"
    assert codes(outcome(api.get(f"{url}/_history/2"), 404)) == [("not-found", None)]


def test_put_replaces_the_answers_as_a_new_revision(api):
    body = created(api, meg_outcome())
    changed = with_changes(
        meg_outcome(), lambda p: p.update(id=body["id"], description="A different account")
    )
    response = api.put(f"{PATH}/{body['id']}", changed, headers={"If-Match": 'W/"1"'})
    assert response.status_code == 200, response.content
    updated = fhir_json(response)
    assert updated["meta"]["versionId"] == "2" and response["ETag"] == 'W/"2"'
    assert reference_number(updated) == reference_number(body)
    event = Event.objects.get(uuid=body["id"])
    assert event.status == EventStatus.RECORDER_UPDATED
    latest = event.revisions.order_by("-number").first()
    assert (latest.number, latest.action, latest.actor) == (2, RevisionAction.UPDATED, None)
    assert latest.answers["Description"] == "A different account"


def test_put_with_a_stale_version_is_refused_with_412(api):
    body = created(api, meg_outcome())
    url = f"{PATH}/{body['id']}"
    changed = with_changes(meg_outcome(), lambda p: p.update(id=body["id"], description="Second"))
    assert api.put(url, changed, headers={"If-Match": 'W/"1"'}).status_code == 200
    again = with_changes(changed, lambda p: p.update(description="Third"))
    response = api.put(url, again, headers={"If-Match": 'W/"1"'})
    assert codes(outcome(response, 412)) == [("version-conflict", None)]
    assert response["ETag"] == 'W/"2"'
    assert Event.objects.get(uuid=body["id"]).revisions.count() == 2


def test_put_of_unchanged_answers_keeps_the_version(api):
    body = created(api, meg_outcome())
    same = with_changes(meg_outcome(), lambda p: p.update(id=body["id"]))
    response = api.put(f"{PATH}/{body['id']}", same)
    assert response.status_code == 200
    assert fhir_json(response)["meta"]["versionId"] == "1"


def test_put_needs_the_id_of_the_url(api):
    body = created(api, meg_outcome())
    response = api.put(f"{PATH}/{body['id']}", meg_outcome())
    assert codes(outcome(response, 400)) == [("id-mismatch", "AdverseEvent.id")]


def test_put_and_get_of_an_unknown_or_foreign_event_are_404(api, organisations, super_admin):
    from events.fhir.auth import API_KEY_HEADER
    from events.fhir.clients import api_client_create

    body = created(api, meg_outcome())
    _, other_key = api_client_create(
        name="Another LRMS", organisations=[organisations["A81001"]], rate_limit=None, actor=super_admin
    )
    foreign = api.get(f"{PATH}/{body['id']}", headers={API_KEY_HEADER: other_key})
    assert codes(outcome(foreign, 404)) == [("not-found", None)]
    assert outcome(api.get(f"{PATH}/not-a-uuid"), 404)
    assert outcome(api.get(f"{PATH}/7d0f3c1e-0b0a-4f57-9d54-3f8f3f0b2a11"), 404)


def test_a_second_key_of_the_same_organisation_may_update(api, organisations, super_admin):
    from events.fhir.auth import API_KEY_HEADER
    from events.fhir.clients import api_client_create

    body = created(api, meg_outcome())
    _, new_key = api_client_create(
        name="Replacement key", organisations=[organisations["RJ1"]], rate_limit=None, actor=super_admin
    )
    changed = with_changes(meg_outcome(), lambda p: p.update(id=body["id"], description="Amended"))
    response = api.put(f"{PATH}/{body['id']}", changed, headers={API_KEY_HEADER: new_key})
    assert response.status_code == 200


def test_search_by_last_updated_lists_the_clients_events(api):
    first = created(api, meg_outcome())
    second = created(api, vendor_incident())
    bundle = fhir_json(api.get(PATH, _lastUpdated="gt2000-01-01"))
    assert bundle["type"] == "searchset" and bundle["total"] == 2
    assert [entry["resource"]["id"] for entry in bundle["entry"]] == [first["id"], second["id"]]
    assert fhir_json(api.get(PATH, _lastUpdated="lt2000-01-01"))["total"] == 0
    paged = fhir_json(api.get(PATH, _count="1"))
    assert len(paged["entry"]) == 1 and any(link["relation"] == "next" for link in paged["link"])
    for bad in (
        {"_lastUpdated": "gt-yesterday"},
        {"status": "x"},
        {"_count": "-1"},
        {"_count": "²"},  # a digit to str.isdigit, not to int(): found by the fuzz test
        {"_offset": "1²"},
        {"_lastUpdated": "xx2020"},
    ):
        assert codes(outcome(api.get(PATH, **bad), 400))[0][0] == "invalid-search"


def test_prefer_return_operation_outcome_gives_the_warnings(api):
    response = api.post(PATH, vendor_incident(), headers={"Prefer": "return=OperationOutcome"})
    issues = outcome(response, 201)
    assert {issue["expression"][0] for issue in issues} == {"AdverseEvent.contained[4].model"}
    assert all(issue["severity"] == "warning" for issue in issues)
    minimal = api.post(PATH, meg_outcome(), headers={"Prefer": "return=minimal"})
    assert minimal.status_code == 201 and minimal.content == b"" and minimal["Location"]


def test_the_same_idempotency_key_replays_the_first_response(api):
    first = api.post(PATH, meg_outcome(), headers={"Idempotency-Key": "lrms-42"})
    retry = api.post(PATH, meg_outcome(), headers={"Idempotency-Key": "lrms-42"})
    assert first.status_code == retry.status_code == 201
    assert fhir_json(retry) == fhir_json(first) and retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Event.objects.count() == 1
    other = with_changes(meg_outcome(), lambda p: p.update(description="Something else"))
    reused = api.post(PATH, other, headers={"Idempotency-Key": "lrms-42"})
    assert codes(outcome(reused, 422)) == [("idempotency-key-reused", None)]
    assert api.post(PATH, meg_outcome(), headers={"Idempotency-Key": "lrms-43"}).status_code == 201
    assert Event.objects.count() == 2


def test_expired_idempotency_responses_are_purged_by_a_create_at_most_once_a_minute(api, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from accounts.models import ApiIdempotencyRecord
    from events.fhir import services

    monkeypatch.setattr(services, "_purged_at", [float("-inf")])
    api.post(PATH, meg_outcome(), headers={"Idempotency-Key": "lrms-old"})
    ApiIdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    api.post(PATH, meg_outcome(), headers={"Idempotency-Key": "lrms-new"})
    # Purged by the first create a minute ago: the next one leaves the expired response for later.
    assert set(ApiIdempotencyRecord.objects.values_list("key", flat=True)) == {"lrms-old", "lrms-new"}
    services._purged_at[0] -= services.PURGE_EVERY_SECONDS
    api.post(PATH, meg_outcome(), headers={"Idempotency-Key": "lrms-newer"})
    assert set(ApiIdempotencyRecord.objects.values_list("key", flat=True)) == {"lrms-new", "lrms-newer"}
    # An expired response is never replayed meanwhile: the same key makes a new record.
    three_days_ago = timezone.now() - dt.timedelta(days=3)
    ApiIdempotencyRecord.objects.filter(key="lrms-new").update(created_at=three_days_ago)
    again = api.post(PATH, meg_outcome(), headers={"Idempotency-Key": "lrms-new"})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again


def test_anonymous_and_data_sharing_flags_round_trip(api):
    from .payloads import ext

    def anonymous(payload):
        payload["extension"].append(
            ext(
                "adverse-event-reference-metadata",
                ("IsAnonymous", "Boolean", True),
                ("DataSharingOptOut", "Boolean", True),
            )
        )
        practitioner = payload["contained"][1]["extension"][0]["extension"]
        practitioner.append({"url": "WhyAnonymous", "valueCode": "4"})

    body = created(api, with_changes(meg_outcome(), anonymous))
    event = Event.objects.get(uuid=body["id"])
    assert event.is_anonymous and event.api_submission.data_sharing_opt_out
    metadata = {e["url"]: e for e in body["extension"][-1]["extension"]}
    assert metadata["IsAnonymous"]["valueBoolean"] is True
    assert metadata["DataSharingOptOut"]["valueBoolean"] is True
    assert metadata["FromOnlineForms"]["valueBoolean"] is False
    assert event.revisions.get().answers["WhyAnonymous"] == ["4"]

    signed = with_changes(
        meg_outcome(),
        lambda p: p["contained"][1]["extension"][0]["extension"].append(
            {"url": "WhyAnonymous", "valueCode": "4"}
        ),
    )
    issues = outcome(api.post(PATH, signed), 422)
    assert codes(issues)[0][0] == "not-applicable"


def test_the_example_in_the_api_documentation_is_accepted(api):
    import json
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))
    body = created(api, example)
    assert body["type"]["coding"][0]["code"] == "2"
