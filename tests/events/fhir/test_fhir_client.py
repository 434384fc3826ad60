"""Round trips with a real FHIR client library (fhirpy) against a running server, as an LRMS would."""

from __future__ import annotations

import pytest
import requests
from fhirpy import SyncFHIRClient

from events.fhir.auth import API_KEY_HEADER
from events.models import Event
from events.redaction import revision_redact

from .checks import reference_number, valid_fhir
from .payloads import meg_outcome, vendor_incident, with_changes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fhir(live_server, api_key) -> SyncFHIRClient:
    return SyncFHIRClient(f"{live_server.url}/adverse-event/fhir", extra_headers={API_KEY_HEADER: api_key})


def test_create_read_update_and_search_with_fhirpy(fhir, live_server, api_key):
    resource = fhir.resource("AdverseEvent", **vendor_incident())
    resource.save()  # POST
    created = valid_fhir(resource.serialize())
    assert created["meta"]["versionId"] == "1"
    reference = reference_number(created)
    event = Event.objects.get(uuid=created["id"])
    assert event.display_reference == reference

    # Redact it here (idempotent if the in-process task already did): with a broker and no worker in
    # this test it would otherwise still be pending.
    revision_redact(event.revisions.get().pk)
    fetched = valid_fhir(fhir.reference("AdverseEvent", created["id"]).to_resource().serialize())
    assert fetched["description"] == "The infusion pump ran at twice the prescribed rate overnight."
    assert reference_number(fetched) == reference

    changed = with_changes(
        vendor_incident(), lambda p: p.update(id=created["id"], description="Pump ran fast.")
    )
    update = fhir.resource("AdverseEvent", **changed)
    update.save()  # PUT
    updated = valid_fhir(update.serialize())
    assert updated["id"] == created["id"] and updated["meta"]["versionId"] == "2"
    assert reference_number(updated) == reference

    found = fhir.resources("AdverseEvent").search(_lastUpdated="gt2000-01-01").fetch_all()
    assert [valid_fhir(item.serialize())["id"] for item in found] == [created["id"]]

    metadata = requests.get(f"{live_server.url}/adverse-event/fhir/metadata", timeout=10)
    assert valid_fhir(metadata.json())["resourceType"] == "CapabilityStatement"


def test_a_stale_update_is_refused_through_the_client(fhir, live_server, api_key):
    resource = fhir.resource("AdverseEvent", **meg_outcome())
    resource.save()
    url = f"{live_server.url}/adverse-event/fhir/AdverseEvent/{resource.id}"
    headers = {API_KEY_HEADER: api_key, "Content-Type": "application/fhir+json", "If-Match": 'W/"1"'}
    body = with_changes(meg_outcome(), lambda p: p.update(id=resource.id, description="Second"))
    assert requests.put(url, json=body, headers=headers, timeout=10).status_code == 200
    stale = requests.put(url, json={**body, "description": "Third"}, headers=headers, timeout=10)
    assert stale.status_code == 412
    assert valid_fhir(stale.json())["issue"][0]["details"]["coding"][0]["code"] == "version-conflict"
