"""Super admins create (the key is shown once), list and revoke LRMS API keys; keys are stored hashed."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from accounts.models import ApiClient, AuditLogEntry
from events.fhir.clients import ApiClientRefused, api_client_create
from tests.factories import TEST_PASSWORD

from .checks import FhirClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        assert client.login(email=user.email, password=TEST_PASSWORD)
        return client

    return sign_in


def test_only_super_admins_see_the_screens(signed_in, trust_admin):
    web = signed_in(trust_admin)
    for name in ("accounts:api_clients", "accounts:api_client_new"):
        assert web.get(reverse(name)).status_code == 403
    with pytest.raises(ApiClientRefused):
        api_client_create(name="x", organisations=[], rate_limit=None, actor=trust_admin)


def test_a_super_admin_creates_a_key_sees_it_once_and_it_works(signed_in, super_admin, organisations):
    web = signed_in(super_admin)
    response = web.post(
        reverse("accounts:api_client_new"),
        {"name": "Ulysses at GSTT", "organisations": "rj1, rj121", "rate_limit": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'value="(lfpse_[^"]+)"', response.content.decode()).group(1)
    client = ApiClient.objects.get(name="Ulysses at GSTT")
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(f"lfpse_{client.key_prefix}_")
    assert key not in str(ApiClient.objects.filter(pk=client.pk).values().get())  # only the hash is kept
    assert {o.ods_code for o in client.organisations.all()} == {"RJ1", "RJ121"}
    assert AuditLogEntry.objects.filter(action="api_client_created", actor=super_admin).exists()

    listing = web.get(reverse("accounts:api_clients")).content.decode()
    assert "Ulysses at GSTT" in listing and client.key_prefix in listing and key not in listing
    assert FhirClient(key).get("/adverse-event/fhir/AdverseEvent").status_code == 200


def test_the_form_reports_unknown_organisations(signed_in, super_admin, organisations):
    web = signed_in(super_admin)
    response = web.post(reverse("accounts:api_client_new"), {"name": "LRMS", "organisations": "RJ1 ZZZ9"})
    assert response.status_code == 200
    assert "No organisation has the ODS code ZZZ9" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_a_super_admin_revokes_a_key(signed_in, super_admin, client_and_key):
    client, key = client_and_key
    web = signed_in(super_admin)
    url = reverse("accounts:api_client_revoke", args=[client.pk])
    assert "Are you sure" in web.get(url).content.decode()
    response = web.post(url)
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None and client.revoked_by == super_admin
    assert FhirClient(key).get("/adverse-event/fhir/AdverseEvent").status_code == 401
    assert web.post(url).status_code == 409  # already revoked
