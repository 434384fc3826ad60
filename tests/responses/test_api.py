"""The responses API (docs/api.md): Task resources for the decision, the learning response status and
the safety actions of a record sent through the API, with the AdverseEvent API's keys, scope and
error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AccountType
from events.fhir.clients import api_client_create
from events.lifecycle import revision_publish
from events.models import Event
from events.presenters import BEING_PROCESSED
from events.responses.free_text import free_text_redact
from events.responses.models import Response, ResponseAuditEntry, SafetyAction
from tests.events.fhir.checks import FhirClient, codes, fhir_json, outcome
from tests.events.fhir.conftest import api, api_key, client_and_key, organisations, super_admin, trust_admin  # noqa: F401
from tests.events.fhir.payloads import PATH, vendor_incident
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TASK = "/adverse-event/fhir/Task"


@pytest.fixture
def record(api):  # noqa: F811
    created = fhir_json(api.post(PATH, vendor_incident()))
    event = Event.objects.get(uuid=created["id"])
    revision = event.revisions.get()
    revision_publish(revision_id=revision.pk, redacted_answers=revision.answers)
    return created["id"]


def decision(event_id: str, kind: str = "aar", rationale: str = "Local learning") -> dict:
    return {
        "resourceType": "Task",
        "status": "in-progress",
        "intent": "order",
        "code": {"coding": [{"code": kind}]},
        "focus": {"reference": f"AdverseEvent/{event_id}"},
        "reason": {"text": rationale},
    }


def action(response_task_id: str, **changes) -> dict:
    task = {
        "resourceType": "Task",
        "status": "ready",
        "intent": "plan",
        "code": {"coding": [{"code": "safety-action"}]},
        "partOf": [{"reference": f"Task/{response_task_id}"}],
        "description": "Standardise the insulin syringes",
        "owner": {"identifier": {"system": "email", "value": "owner@nhs.net"}},
        "restriction": {"period": {"end": (timezone.localdate() + dt.timedelta(days=60)).isoformat()}},
        "input": [
            {"type": {"text": "area-for-improvement"}, "valueString": "Insulin administration"},
            {"type": {"text": "measure"}, "valueString": "Quarterly audit"},
            {"type": {"text": "strength"}, "valueString": "intermediate"},
        ],
    }
    task.update(changes)
    return task


@pytest.fixture
def owner(organisations):  # noqa: F811
    user = UserFactory(email="owner@nhs.net")
    MembershipFactory(user=user, organisation=organisations["RJ1"], account_type=AccountType.ORGANISATIONAL)
    return user


def test_a_decision_is_written_read_and_searched_by_the_record(api, record):  # noqa: F811
    created = api.post(TASK, decision(record))
    assert created.status_code == 201
    task = fhir_json(created)
    assert task["businessStatus"]["coding"][0]["code"] == "in_progress" and task["status"] == "in-progress"
    assert created["Location"].endswith(f"/adverse-event/fhir/Task/{task['id']}")
    response = Response.objects.get()
    assert (response.decided_by, response.decided_by_api_client) == (None, "Datix at the trust")
    assert ResponseAuditEntry.objects.get().api_client == "Datix at the trust"
    # Free text as the AdverseEvent API shows it: "being processed" until the worker has redacted it.
    assert task["reason"]["text"] == BEING_PROCESSED
    free_text_redact("response", response.pk)
    assert fhir_json(api.get(f"{TASK}/{task['id']}"))["reason"]["text"] == "Local learning"
    found = fhir_json(api.get(TASK, focus=f"AdverseEvent/{record}"))
    assert [entry["resource"]["id"] for entry in found["entry"]] == [task["id"]]
    # A second decision for the same record is refused, as on the page.
    assert codes(outcome(api.post(TASK, decision(record, "swarm")), 422)) == [("invalid-value", "Task")]


def test_the_status_moves_as_the_lifecycle_allows(api, record):  # noqa: F811
    task = fhir_json(api.post(TASK, decision(record, "swarm")))
    body = {**task, "businessStatus": {"coding": [{"code": "awaiting_sign_off"}]}}
    refused = outcome(api.put(f"{TASK}/{task['id']}", body), 409)
    assert "not allowed on a response that is in progress" in refused[0]["diagnostics"]
    body = {**task, "businessStatus": {"coding": [{"code": "signed_off"}]}}
    assert "cannot set the status" in outcome(api.put(f"{TASK}/{task['id']}", body), 422)[0]["diagnostics"]
    body = {**task, "businessStatus": {"coding": [{"code": "completed"}]}}
    assert fhir_json(api.put(f"{TASK}/{task['id']}", body))["status"] == "completed"
    assert Response.objects.get().status == "completed"


def test_bad_input_names_the_element(api, record):  # noqa: F811
    issues = outcome(api.post(TASK, decision(record, "psii", rationale="")), 422)
    assert [(i["code"], i["expression"]) for i in issues] == [("value", ["Task.reason.text"])]
    issues = outcome(api.post(TASK, {**decision(record), "code": {"coding": [{"code": "audit"}]}}), 422)
    assert issues[0]["expression"] == ["Task.code"]


def test_safety_actions_are_created_updated_and_refused_with_reasons(api, record, owner):  # noqa: F811
    response_task = fhir_json(api.post(TASK, decision(record)))
    created = api.post(TASK, action(response_task["id"]))
    assert created.status_code == 201, created.content
    task = fhir_json(created)
    assert task["partOf"] == [{"reference": f"Task/{response_task['id']}"}]
    assert SafetyAction.objects.get().created_by == owner
    past = action(response_task["id"], restriction={"period": {"end": "2020-01-01"}})
    past["owner"] = {"identifier": {"value": "ghost@nhs.net"}}
    issues = outcome(api.post(TASK, past), 422)
    assert {tuple(i["expression"]) for i in issues} == {("Task.restriction.period.end",), ("Task.owner",)}
    assert SafetyAction.objects.count() == 1
    done = {**task, "businessStatus": {"coding": [{"code": "completed"}]}}
    done["output"] = [{"type": {"text": "evidence"}, "valueString": "Audit showed no errors"}]
    updated = fhir_json(api.put(f"{TASK}/{task['id']}", done))
    assert updated["status"] == "completed" and updated["output"][0]["valueString"] == BEING_PROCESSED
    free_text_redact("safety_action", SafetyAction.objects.get().pk)
    read = fhir_json(api.get(f"{TASK}/{task['id']}"))
    assert read["output"][0]["valueString"] == "Audit showed no errors"
    found = fhir_json(api.get(TASK, focus=f"AdverseEvent/{record}"))
    assert [entry["resource"]["id"] for entry in found["entry"]] == [response_task["id"], task["id"]]


def test_the_api_never_returns_raw_free_text(api, record, owner):  # noqa: F811
    """A name in the rationale or an action reaches no API client unredacted, not even the one that sent
    it: before the worker has run the text reads "being processed", after it the pipeline's text."""
    sent = fhir_json(api.post(TASK, decision(record, rationale="Spoke to Jane Doe")))
    assert sent["reason"]["text"] == BEING_PROCESSED
    body = action(sent["id"], description="Jane Doe to lead the audit")
    body["output"] = [{"type": {"text": "evidence"}, "valueString": "Signed by Jane Doe"}]
    made = fhir_json(api.post(TASK, body))
    assert "Jane Doe" not in str(made) and made["description"] == BEING_PROCESSED
    free_text_redact("response", Response.objects.get().pk)
    free_text_redact("safety_action", SafetyAction.objects.get().pk)
    found = fhir_json(api.get(TASK, focus=f"AdverseEvent/{record}"))
    tasks = [entry["resource"] for entry in found["entry"]]
    assert "Jane Doe" not in str(tasks)
    assert tasks[0]["reason"]["text"] == "Spoke to [PERSON 1]"
    assert tasks[1]["description"] == "[PERSON 1] to lead the audit"
    assert tasks[1]["output"][0]["valueString"] == "Signed by [PERSON 1]"
    assert tasks[1]["input"][0]["valueString"] == "Insulin administration"


def test_a_task_read_and_put_back_keeps_its_stored_text(api, record, owner):  # noqa: F811
    """What the API showed (the "being processed" sentence, then the redacted text), sent back in an
    update, leaves the stored text as it was; a new text replaces it."""
    response_task = fhir_json(api.post(TASK, decision(record)))
    body = action(response_task["id"], description="Jane Doe to lead the audit")
    shown = fhir_json(api.post(TASK, body))
    started = {**shown, "businessStatus": {"coding": [{"code": "in_progress"}]}}
    fhir_json(api.put(f"{TASK}/{shown['id']}", started))
    stored = SafetyAction.objects.get()
    assert (stored.status, stored.action, stored.measure) == (
        "in_progress",
        "Jane Doe to lead the audit",
        "Quarterly audit",
    )
    free_text_redact("safety_action", stored.pk)
    shown = fhir_json(api.get(f"{TASK}/{shown['id']}"))
    assert shown["description"] == "[PERSON 1] to lead the audit"
    fhir_json(
        api.put(f"{TASK}/{shown['id']}", {**shown, "businessStatus": {"coding": [{"code": "completed"}]}})
    )
    assert SafetyAction.objects.get().action == "Jane Doe to lead the audit"
    fhir_json(api.put(f"{TASK}/{shown['id']}", {**shown, "description": "Ward manager to lead the audit"}))
    assert SafetyAction.objects.get().action == "Ward manager to lead the audit"


def test_another_key_sees_nothing_and_no_key_is_refused(api, record, organisations, super_admin):  # noqa: F811
    task = fhir_json(api.post(TASK, decision(record)))
    _, other = api_client_create(
        name="Another LRMS", organisations=[organisations["A81001"]], rate_limit=None, actor=super_admin
    )
    stranger = FhirClient(other)
    assert codes(outcome(stranger.get(f"{TASK}/{task['id']}"), 404)) == [("not-found", None)]
    assert codes(outcome(stranger.get(TASK, focus=f"AdverseEvent/{record}"), 404)) == [("not-found", None)]
    assert codes(outcome(stranger.post(TASK, decision(record, "swarm")), 404)) == [("not-found", None)]
    assert outcome(FhirClient(None).get(f"{TASK}/{task['id']}"), 401)


def test_closing_a_referral_needs_a_note_kept_as_free_text_never_in_the_audit(api, record):  # noqa: F811
    referral = {**decision(record, "referral"), "performerType": [{"text": "Coroner"}]}
    task = fhir_json(api.post(TASK, referral))
    closing = {**task, "businessStatus": {"coding": [{"code": "closed"}]}}
    # As on the page, the note is required; the Task's own national-requirement notes do not count.
    closing["note"] = task.get("note", [])
    issues = outcome(api.put(f"{TASK}/{task['id']}", closing), 422)
    assert [(i["code"], i["expression"]) for i in issues] == [("value", ["Task.note"])]
    assert Response.objects.get(kind="referral", referral_body="Coroner").status == "referred"
    closing["note"] = [*closing["note"], {"text": "Inquest opened; Mr Jones's family told"}]
    closed_task = fhir_json(api.put(f"{TASK}/{task['id']}", closing))
    assert closed_task["businessStatus"]["coding"][0]["code"] == "closed"
    response = Response.objects.get(status="closed")
    assert response.referral_note == "Inquest opened; Mr Jones's family told"
    assert response.redacted_texts is None and response.texts_changed_at is not None
    closed = ResponseAuditEntry.objects.get(action="referral_closed")
    assert closed.detail == {"note_recorded": True} and closed.api_client == "Datix at the trust"
    assert not [entry.detail for entry in ResponseAuditEntry.objects.all() if "note" in (entry.detail or {})]


def test_the_task_version_changes_when_its_text_is_redacted(api, record, owner):  # noqa: F811
    """The body changes from "being processed" to the redacted text: the version (ETag) changes too,
    for a decision and for a safety action."""
    decided = api.post(TASK, decision(record, rationale="Jane Doe's fall"))
    task = fhir_json(decided)
    created = api.post(TASK, action(task["id"]))
    action_task = fhir_json(created)
    for kind, found, model in (("response", task, Response), ("safety_action", action_task, SafetyAction)):
        before = api.get(f"{TASK}/{found['id']}")
        assert free_text_redact(kind, model.objects.get().pk)
        after = api.get(f"{TASK}/{found['id']}")
        assert fhir_json(after) != fhir_json(before)
        assert after["ETag"] != before["ETag"], kind
        assert fhir_json(after)["meta"]["versionId"] != fhir_json(before)["meta"]["versionId"], kind
