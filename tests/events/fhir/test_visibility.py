"""Events recorded through the API reach the organisation's views like any other, once redacted; the
API shows a key only what was sent through the API for its organisations (events/visibility.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from events.fhir.auth import API_KEY_HEADER
from events.fhir.clients import api_client_create
from events.fhir.presenting import from_online_forms
from events.models import Event
from events.redaction import revision_redact
from tests.events.test_organisation_support import processed_event
from tests.factories import TEST_PASSWORD

from .checks import codes, fhir_json, outcome
from .payloads import PATH, meg_outcome, with_changes

pytestmark = pytest.mark.django_db

NARRATIVE = "Mr Adebayo Okonkwo returned to theatre; his daughter was told on 07700 900123."


def test_after_redaction_the_event_is_listed_and_the_api_shows_redacted_text(api, client, trust_admin):
    payload = with_changes(meg_outcome(), lambda p: p.update(description=NARRATIVE))
    created = fhir_json(api.post(PATH, payload))
    event = Event.objects.get(uuid=created["id"])
    assert not from_online_forms(event)

    assert client.login(email=trust_admin.email, password=TEST_PASSWORD)
    listing = client.get(reverse("events:organisation_events"), {"organisation": "RJ1"})
    assert event.display_reference not in listing.content.decode()  # not redacted yet: not listed

    assert revision_redact(event.revisions.get().pk)
    listing = client.get(reverse("events:organisation_events"), {"organisation": "RJ1"})
    assert event.display_reference in listing.content.decode()
    page = client.get(reverse("events:organisation_event", args=[event.reference])).content.decode()
    assert "Okonkwo" not in page and "07700 900123" not in page
    assert "Recorded through a local risk management system" in page
    assert re.search(r"From online forms</dt>\s*<dd[^>]*>No</dd>", page)

    shown = fhir_json(api.get(f"{PATH}/{created['id']}"))["description"]
    assert "Okonkwo" not in shown and "07700 900123" not in shown
    assert "[PERSON 1]" in shown


def test_records_outside_the_keys_scope_are_not_found_by_read_vread_or_search(
    api, organisations, super_admin, trust_admin
):
    mine = fhir_json(api.post(PATH, meg_outcome()))
    _, other_key = api_client_create(
        name="Another LRMS", organisations=[organisations["A81001"]], rate_limit=None, actor=super_admin
    )
    web = processed_event(trust_admin, "RJ1")  # about the key's own trust, but made in the web app
    for path in (f"{PATH}/{web.uuid}", f"{PATH}/{web.uuid}/_history/1"):
        assert codes(outcome(api.get(path), 404)) == [("not-found", None)]
    for path in (f"{PATH}/{mine['id']}", f"{PATH}/{mine['id']}/_history/1"):
        foreign = api.get(path, headers={API_KEY_HEADER: other_key})
        assert codes(outcome(foreign, 404)) == [("not-found", None)]
    assert [entry["resource"]["id"] for entry in fhir_json(api.get(PATH))["entry"]] == [mine["id"]]
    assert fhir_json(api.get(PATH, headers={API_KEY_HEADER: other_key}))["total"] == 0
