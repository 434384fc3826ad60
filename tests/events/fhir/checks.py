"""Every API response is checked against the FHIR models of fhir.resources (STU3; R4 for v6)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from fhir.resources.R4B import get_fhir_model_class as r4_model
from fhir.resources.STU3 import get_fhir_model_class

from events.fhir.auth import API_KEY_HEADER


def valid_fhir(body: dict[str, Any]) -> dict[str, Any]:
    """The body, after fhir.resources has parsed it as its resourceType (raises when invalid): an
    AdverseEvent of taxonomy version 6 as FHIR R4 (R4B's AdverseEvent is R4's), everything else STU3."""
    profiles = (body.get("meta") or {}).get("profile") or []
    if body["resourceType"] == "AdverseEvent" and any(str(p).endswith("-adverse-event-6") for p in profiles):
        r4_model("AdverseEvent").model_validate(body)
        return body
    model = get_fhir_model_class(body["resourceType"])
    model.model_validate(body)
    return body


def fhir_json(response) -> dict[str, Any]:
    assert response["Content-Type"].startswith(("application/fhir+json", "application/json")), response[
        "Content-Type"
    ]
    return valid_fhir(json.loads(response.content))


def outcome(response, status: int) -> list[dict[str, Any]]:
    """The issues of an OperationOutcome response with this status."""
    assert response.status_code == status, (response.status_code, response.content[:2000])
    body = fhir_json(response)
    assert body["resourceType"] == "OperationOutcome"
    for issue in body["issue"]:
        assert issue["details"]["coding"][0]["code"] and issue["details"]["text"] and issue["diagnostics"]
    return body["issue"]


def codes(issues: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """(our issue code, expression) of each error."""
    return [
        (issue["details"]["coding"][0]["code"], (issue.get("expression") or [None])[0])
        for issue in issues
        if issue["severity"] in ("error", "fatal")
    ]


def reference_number(resource: dict[str, Any]) -> str:
    """Read as vendors do: the last extension's first sub-extension."""
    last = resource["extension"][-1]
    assert last["url"].endswith("/adverse-event-reference-metadata-5")
    first = last["extension"][0]
    assert first["url"] == "ReferenceNumber"
    return first["valueString"]


class FhirClient:
    """Django's test client speaking FHIR JSON with an API key."""

    def __init__(self, key: str | None):
        self.client = Client()
        self.key = key

    def _headers(self, headers: dict | None) -> dict:
        merged = {API_KEY_HEADER: self.key} if self.key else {}
        merged.update(headers or {})
        return merged

    def get(self, path: str, headers: dict | None = None, **params):
        return self.client.get(path, params, headers=self._headers(headers))

    def post(self, path: str, body, headers: dict | None = None, content_type="application/fhir+json"):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.client.post(path, data, content_type=content_type, headers=self._headers(headers))

    def put(self, path: str, body, headers: dict | None = None, content_type="application/fhir+json"):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.client.put(path, data, content_type=content_type, headers=self._headers(headers))
