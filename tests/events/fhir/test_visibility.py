"""Events recorded through the API reach the organisation's views like any other, once redacted."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from events.fhir.presenting import from_online_forms
from events.models import Event
from events.redaction import revision_redact
from tests.factories import TEST_PASSWORD

from .checks import fhir_json
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
