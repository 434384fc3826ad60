"""The Task API's guarantees under concurrent requests against a running server (PostgreSQL): one
decision for three simultaneous retries with one Idempotency-Key, and of two updates naming the same
version one wins and the other gets 412."""

from __future__ import annotations

import pytest
import requests
from django.db import connection

from events.fhir.auth import API_KEY_HEADER
from events.responses.models import Response, SafetyAction
from tests.events.fhir.conftest import api, api_key, client_and_key, organisations, super_admin, trust_admin  # noqa: F401
from tests.events.fhir.test_concurrency import race
from tests.responses.test_api import TASK, action, decision, owner, record  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def test_one_decision_per_key_and_412_for_the_stale_update(live_server, api_key, record, owner):  # noqa: F811
    headers = {API_KEY_HEADER: api_key, "Content-Type": "application/fhir+json"}
    keyed = {**headers, "Idempotency-Key": "decide/42"}
    answers = race(
        *[
            lambda: requests.post(
                f"{live_server.url}{TASK}", json=decision(record), headers=keyed, timeout=30
            )
            for _ in range(3)
        ]
    )
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert len({answer.json()["id"] for answer in answers}) == 1 and Response.objects.count() == 1

    response_id = answers[0].json()["id"]
    created = requests.post(f"{live_server.url}{TASK}", json=action(response_id), headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    url = f"{live_server.url}{TASK}/{created.json()['id']}"
    # Read again: the redaction after the create (run at once here) is a new version of the Task.
    current = requests.get(url, headers=headers, timeout=30)
    assert current.headers["ETag"] != created.headers["ETag"]
    bodies = [{**current.json(), "description": text} for text in ("Left", "Right")]
    answers = race(
        *[
            lambda body=body: requests.put(
                url, json=body, headers={**headers, "If-Match": current.headers["ETag"]}, timeout=30
            )
            for body in bodies
        ]
    )
    assert sorted(answer.status_code for answer in answers) == [200, 412]
    winner = next(body for body, answer in zip(bodies, answers, strict=True) if answer.status_code == 200)
    assert SafetyAction.objects.get().action == winner["description"]
