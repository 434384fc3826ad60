"""The Task API keeps the AdverseEvent API's write guarantees (events/fhir/preconditions.py): the same
Idempotency-Key replays the stored Task without a second write (another body with it is refused), a
versioned ETag that If-Match must name on update (412 when stale), one key and one rate limit for both
resources; the CapabilityStatement lists Task; every code system a Task names is served at its URL."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from events.fhir.clients import api_client_create
from events.responses.models import Response, ResponseAuditEntry, SafetyAction
from tests.events.fhir.checks import FhirClient, codes, fhir_json, outcome
from tests.events.fhir.conftest import api, api_key, client_and_key, organisations, super_admin, trust_admin  # noqa: F401
from tests.events.fhir.payloads import PATH
from tests.responses.test_api import TASK, action, decision, owner, record  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_same_idempotency_key_and_body_replay_the_decision_without_a_second_write(api, record):  # noqa: F811
    key = {"Idempotency-Key": "decide-1"}
    first = api.post(TASK, decision(record), headers=key)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = api.post(TASK, decision(record), headers=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert fhir_json(again) == fhir_json(first)
    assert (again["Location"], again["ETag"]) == (first["Location"], first["ETag"])
    assert Response.objects.count() == 1 and ResponseAuditEntry.objects.count() == 1
    # The same key with another body is refused by name and writes nothing.
    other = api.post(TASK, decision(record, "swarm"), headers=key)
    assert codes(outcome(other, 422)) == [("idempotency-key-reused", None)]
    assert Response.objects.count() == 1


def test_a_safety_action_is_created_once_per_key_and_a_refused_create_stores_no_answer(api, record, owner):  # noqa: F811
    response_task = fhir_json(api.post(TASK, decision(record)))
    bad = action(response_task["id"], restriction={"period": {"end": "2020-01-01"}})
    assert outcome(api.post(TASK, bad, headers={"Idempotency-Key": "act-1"}), 422)
    # The refusal was not stored under the key: the corrected request with the same key is a new one.
    good = action(response_task["id"])
    first = api.post(TASK, good, headers={"Idempotency-Key": "act-1"})
    assert first.status_code == 201, first.content
    assert api.post(TASK, good, headers={"Idempotency-Key": "act-1"})["Idempotent-Replayed"] == "true"
    assert SafetyAction.objects.count() == 1
    assert codes(outcome(api.post(TASK, good, headers={"Idempotency-Key": " "}), 400)) == [
        ("invalid-header", None)
    ]


def test_updates_need_the_current_version_when_they_name_one(api, record, owner):  # noqa: F811
    created = api.post(TASK, decision(record, "swarm"))
    task = fhir_json(created)
    url = f"{TASK}/{task['id']}"
    assert created["ETag"] == f'W/"{task["meta"]["versionId"]}"'
    read = api.get(url)
    assert read["ETag"] == created["ETag"]
    done = {**task, "businessStatus": {"coding": [{"code": "completed"}]}}
    moved = api.put(url, done, headers={"If-Match": read["ETag"]})
    assert moved.status_code == 200 and moved["ETag"] != read["ETag"]
    # The version read before the move is stale now: 412 naming the current one, nothing written.
    reopened = {**task, "businessStatus": {"coding": [{"code": "in_progress"}]}}
    stale = api.put(url, reopened, headers={"If-Match": read["ETag"]})
    issues = outcome(stale, 412)
    assert codes(issues) == [("version-conflict", None)]
    assert task["id"] in issues[0]["diagnostics"] and stale["ETag"] == moved["ETag"]
    assert Response.objects.get().status == "completed"
    assert codes(outcome(api.put(url, done, headers={"If-Match": "yesterday"}), 400)) == [
        ("invalid-header", None)
    ]

    action_created = api.post(TASK, action(task["id"]))
    action_task = fhir_json(action_created)
    action_url = f"{TASK}/{action_task['id']}"
    changed = {**action_task, "description": "Withdraw the 1 ml syringes"}
    updated = api.put(action_url, changed, headers={"If-Match": action_created["ETag"]})
    assert updated.status_code == 200, updated.content
    again = {**action_task, "description": "Something else"}
    assert codes(outcome(api.put(action_url, again, headers={"If-Match": action_created["ETag"]}), 412)) == [
        ("version-conflict", None)
    ]
    assert SafetyAction.objects.get().action == "Withdraw the 1 ml syringes"
    # Without If-Match the update is unconditional, as for AdverseEvent.
    assert api.put(action_url, again).status_code == 200


def test_tasks_and_adverse_events_share_one_key_and_one_rate_limit(record, organisations, super_admin):  # noqa: F811
    _, key = api_client_create(
        name="Busy LRMS", organisations=[organisations["RJ1"]], rate_limit=2, actor=super_admin
    )
    busy = FhirClient(key)
    assert busy.get(PATH).status_code == 200
    assert busy.get(TASK, focus="AdverseEvent/unknown").status_code == 404
    limited = busy.post(TASK, decision(record))
    assert codes(outcome(limited, 429)) == [("rate-limited", None)] and limited["Retry-After"]
    assert codes(outcome(FhirClient("not-a-key").get(TASK, focus="x"), 401)) == [("unauthorised", None)]


def test_the_capability_statement_lists_task_with_its_interactions_and_search(api):  # noqa: F811
    statement = fhir_json(FhirClient(None).get("/adverse-event/fhir/metadata"))
    resources = {entry["type"]: entry for entry in statement["rest"][0]["resource"]}
    assert set(resources) == {"AdverseEvent", "Task"}
    task = resources["Task"]
    assert {i["code"] for i in task["interaction"]} == {"create", "update", "read", "search-type"}
    assert task["versioning"] == "versioned-update"
    assert [(p["name"], p["type"]) for p in task["searchParam"]] == [("focus", "reference")]
    assert api.get(TASK, focus="AdverseEvent/x", status="ready").status_code == 400


def _systems(value) -> set[str]:
    if isinstance(value, dict):
        found = {value["system"]} if isinstance(value.get("system"), str) else set()
        return found.union(*(_systems(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_systems(item) for item in value))
    return set()


def test_every_code_system_a_task_names_is_served_at_its_url(api, record, owner):  # noqa: F811
    response_task = fhir_json(api.post(TASK, decision(record)))
    action_task = fhir_json(api.post(TASK, action(response_task["id"])))
    found = fhir_json(api.get(TASK, focus=f"AdverseEvent/{record}"))
    tasks = [response_task, action_task, *(entry["resource"] for entry in found["entry"])]
    codings = [
        coding
        for task in tasks
        for concept in (
            task["code"],
            task["businessStatus"],
            *(i.get("valueCodeableConcept") for i in task.get("input", [])),
        )
        if concept
        for coding in concept["coding"]
    ]
    urls = {system for task in tasks for system in _systems(task)}
    assert len(urls) == 5  # response type and status, action type, status and strength
    anonymous = FhirClient(None)
    for url in sorted(urls):
        served = anonymous.get(urlsplit(url).path)
        assert served.status_code == 200, url
        code_system = fhir_json(served)
        assert code_system["resourceType"] == "CodeSystem" and code_system["url"] == url
        known = {concept["code"] for concept in code_system["concept"]}
        assert {c["code"] for c in codings if c["system"] == url} <= known
    assert outcome(anonymous.get("/adverse-event/fhir/CodeSystem/psirf-nothing"), 404)
    assert anonymous.get("/adverse-event/fhir/CodeSystem/submission-issue").status_code == 200
