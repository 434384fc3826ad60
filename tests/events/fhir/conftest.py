"""Fixtures for the FHIR API tests: organisations, an API client with its key, and a JSON client."""

from __future__ import annotations

import pytest

from accounts.models import AccountType
from events.fhir.clients import api_client_create
from organisations.models import OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .checks import FhirClient
from .payloads import ODS_CODES


@pytest.fixture
def organisations(db):
    """Every ODS code the payload helpers use, a trust with a site among them."""
    made = {code: OrganisationFactory(ods_code=code, name=f"Organisation {code}") for code in ODS_CODES}
    trust = made["RJ1"]
    trust.kind = OrganisationKind.NHS_TRUST
    trust.name = "Guy's and St Thomas' NHS Foundation Trust"
    trust.save()
    site = made["RJ121"]
    site.kind, site.parent = OrganisationKind.TRUST_SITE, trust
    site.save()
    return made


@pytest.fixture
def super_admin(db):
    return UserFactory(email="national.team@nhs.net", is_super_admin=True)


@pytest.fixture
def trust_admin(organisations):
    user = UserFactory(email="trust.admin@nhs.net")
    MembershipFactory(user=user, organisation=organisations["RJ1"], account_type=AccountType.ADMIN)
    return user


@pytest.fixture
def client_and_key(organisations, super_admin):
    return api_client_create(
        name="Datix at the trust", organisations=[organisations["RJ1"]], rate_limit=None, actor=super_admin
    )


@pytest.fixture
def api_key(client_and_key) -> str:
    return client_and_key[1]


@pytest.fixture
def api(api_key) -> FhirClient:
    return FhirClient(api_key)
