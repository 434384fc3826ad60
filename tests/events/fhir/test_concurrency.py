"""Concurrent requests against a running server (PostgreSQL: row locks and unique constraints)."""

from __future__ import annotations

import threading

import pytest
import requests
from django.db import connection

from events.fhir.auth import API_KEY_HEADER
from events.models import Event, EventRevision

from .payloads import PATH, meg_outcome, with_changes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def race(*calls):
    """Runs the calls at the same moment, each in its own thread; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_puts_with_the_same_version_one_wins_one_gets_412(live_server, api_key):
    headers = {API_KEY_HEADER: api_key, "Content-Type": "application/fhir+json"}
    created = requests.post(
        f"{live_server.url}{PATH}", json=meg_outcome(), headers=headers, timeout=30
    ).json()
    url = f"{live_server.url}{PATH}/{created['id']}"
    for round_number in range(3):
        version = str(round_number + 1)
        bodies = [
            with_changes(meg_outcome(), lambda p, text=text: p.update(id=created["id"], description=text))
            for text in (f"Left {round_number}", f"Right {round_number}")
        ]
        calls = [
            lambda body=body, version=version: requests.put(
                url, json=body, headers={**headers, "If-Match": f'W/"{version}"'}, timeout=30
            )
            for body in bodies
        ]
        statuses = sorted(response.status_code for response in race(*calls))
        assert statuses == [200, 412], statuses
    event = Event.objects.get(uuid=created["id"])
    assert list(event.revisions.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]


def test_a_retried_post_with_the_same_idempotency_key_creates_one_record(live_server, api_key):
    headers = {
        API_KEY_HEADER: api_key,
        "Content-Type": "application/fhir+json",
        "Idempotency-Key": "batch-7/12",
    }
    calls = [
        lambda: requests.post(f"{live_server.url}{PATH}", json=meg_outcome(), headers=headers, timeout=30)
        for _ in range(3)
    ]
    responses = race(*calls)
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Event.objects.count() == 1 and EventRevision.objects.count() == 1
