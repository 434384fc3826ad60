"""LRMS submission outcomes: every POST and PUT is counted for its organisation, accepted or rejected
with its reason, and the organisation's data-quality page shows the rejection rates (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accounts.models import AccountType
from events.fhir.clients import api_client_create
from events.publication.models import ApiSubmissionOutcome
from tests.factories import MembershipFactory

from .checks import FhirClient, fhir_json
from .payloads import PATH

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


def example(version: str = "5") -> dict:
    return json.loads((EXAMPLES / f"v{version}-incident.json").read_text())


def counts() -> dict[tuple[str | None, str, str], int]:
    return {
        (row.organisation.ods_code if row.organisation else None, row.outcome, row.reason): row.count
        for row in ApiSubmissionOutcome.objects.select_related("organisation")
    }


def test_each_submission_is_counted_accepted_or_rejected_with_its_reason(api, organisations):
    created = api.post(PATH, example())
    assert created.status_code == 201
    with_v6_field = example()
    with_v6_field["actuality"] = "actual"
    assert api.post(PATH, with_v6_field).status_code == 400
    unknown_code = example("6")
    unknown_code["event"]["coding"][0]["code"] = "9"
    assert api.post(PATH, unknown_code).status_code == 422
    assert api.post(PATH, "{not json", content_type="application/fhir+json").status_code == 400
    resource = fhir_json(created)
    resource_id = resource["id"]
    updated = example()
    updated["id"] = resource_id
    assert api.put(f"{PATH}/{resource_id}", updated).status_code == 200
    assert counts() == {
        ("RJ1", "accepted", ""): 2,
        ("RJ1", "rejected", "unknown-element"): 1,
        ("RJ1", "rejected", "unknown-code"): 1,
        ("RJ1", "rejected", "invalid-json"): 1,
    }


def test_an_idempotent_replay_is_not_counted_again(api):
    headers = {"Idempotency-Key": "same-one"}
    assert api.post(PATH, example(), headers=headers).status_code == 201
    assert api.post(PATH, example(), headers=headers).status_code == 201
    assert counts() == {("RJ1", "accepted", ""): 1}


def test_a_rejection_counts_for_the_organisation_named_or_else_unattributed(organisations, super_admin):
    _, key = api_client_create(
        name="Shared LRMS",
        organisations=[organisations["RJ1"], organisations["A81001"]],
        rate_limit=None,
        actor=super_admin,
    )
    shared = FhirClient(key)
    named = example()  # ReporterOrganisation RJ1, one of the key's
    named["type"]["coding"][0]["code"] = "9"
    assert shared.post(PATH, named).status_code == 422
    assert shared.post(PATH, {"resourceType": "Bundle"}).status_code == 400  # names nobody
    assert counts() == {("RJ1", "rejected", "unknown-code"): 1, (None, "rejected", "not-an-adverse-event"): 1}


def test_the_data_quality_page_shows_the_rejection_rates(api, organisations, client):
    for _ in range(3):
        api.post(PATH, example())
    bad = example()
    bad["type"]["coding"][0]["code"] = "9"
    api.post(PATH, bad)
    user = MembershipFactory(organisation=organisations["RJ1"], account_type=AccountType.ORGANISATIONAL).user
    client.force_login(user)
    page = client.get("/statistics/data-quality/RJ1/").content.decode()
    assert "4 submissions through the API in the last 12 months: 3 accepted, 1 rejected (25.0%)" in page
    assert 'aria-labelledby="chart-api-title"' in page and 'data-testid="api-months"' in page
    assert "<code>unknown-code</code>" in page and "A code that is not in the property" in page
    other = MembershipFactory(
        organisation=organisations["A81001"], account_type=AccountType.ORGANISATIONAL
    ).user
    client.force_login(other)
    page = client.get("/statistics/data-quality/A81001/").content.decode()
    assert "No records were submitted through the API" in page
