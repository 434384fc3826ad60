"""Fuzzing the endpoints with hypothesis: malformed JSON, random resources, mutated payloads, huge
bodies and wrong content types never give a 500, and every answer is FHIR. Bounded: a few hundred
examples in all, well under a minute."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .checks import fhir_json
from .payloads import PATH, meg_outcome, vendor_incident

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SAMPLE = vendor_incident()


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """Hundreds of requests with one key: the rate limit would answer most of them."""
    settings.FHIR_RATE_LIMIT = 10**6


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["AdverseEvent", "y", "1", "4", "RJ1", "PhysicalHarm", "valueCode", "2025-03-27"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def paths(value, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


ALL_PATHS = [path for path in paths(SAMPLE) if path]


def replaced(document, path, value):
    changed = copy.deepcopy(document)
    holder = changed
    for step in path[:-1]:
        holder = holder[step]
    if value is _DELETE:
        del holder[path[-1]]
    else:
        holder[path[-1]] = value
    return changed


_DELETE = object()


def assert_fhir_answer(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code != 204 and response.content:
        body = fhir_json(response)
        if response.status_code >= 400:
            assert body["resourceType"] == "OperationOutcome"


@FUZZ
@given(body=st.binary(max_size=300))
def test_random_bytes(api, body):
    assert_fhir_answer(api.post(PATH, body))


@FUZZ
@given(body=json_values)
def test_random_json(api, body):
    assert_fhir_answer(api.post(PATH, json.dumps(body)))


@FUZZ
@given(body=st.dictionaries(st.text(max_size=10), json_values, max_size=5))
def test_random_adverse_events(api, body):
    assert_fhir_answer(api.post(PATH, {"resourceType": "AdverseEvent", **body}))


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(ALL_PATHS), value=st.one_of(json_values, st.just(_DELETE)))
def test_mutated_payloads(api, path, value):
    response = api.post(PATH, replaced(SAMPLE, path, value))
    assert_fhir_answer(response)
    if response.status_code == 201:
        assert fhir_json(response)["resourceType"] == "AdverseEvent"


@FUZZ
@given(
    content_type=st.one_of(
        st.sampled_from(
            ["text/plain", "application/xml", "", "application/fhir+json; charset=utf-16", "*/*"]
        ),
        st.text(max_size=30),
    ),
    method=st.sampled_from(["post", "put", "patch", "delete", "get"]),
)
def test_wrong_content_types_and_methods(api, content_type, method):
    path = PATH if method in ("post", "get") else f"{PATH}/7d0f3c1e-0b0a-4f57-9d54-3f8f3f0b2a11"
    body = json.dumps(meg_outcome())
    try:
        response = getattr(api.client, method)(
            path, body, content_type=content_type, headers=api._headers(None)
        )
    except ValueError:  # the test client itself refuses some header values
        return
    assert_fhir_answer(response)


@override_settings(FHIR_MAX_BODY_BYTES=64 * 1024)
@settings(
    max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(size=st.integers(64 * 1024 + 1, 3 * 1024 * 1024))
def test_huge_bodies_are_413(api, size):
    padded = dict(vendor_incident(), description="x" * size)
    response = api.post(PATH, padded)
    assert response.status_code == 413
    assert fhir_json(response)["issue"][0]["details"]["coding"][0]["code"] == "too-large"


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["_lastUpdated", "_count", "_offset", "_sort", "x"]), st.text(max_size=25), max_size=3
    )
)
def test_random_search_parameters(api, params):
    assert_fhir_answer(api.get(PATH, **params))


@FUZZ
@example(resource_id="\n")
@given(
    resource_id=st.text(min_size=1, max_size=80).filter(
        lambda t: "/" not in t and "?" not in t and "#" not in t
    )
)
def test_random_ids(api, resource_id):
    from urllib.parse import quote

    assert_fhir_answer(api.get(f"{PATH}/{quote(resource_id)}"))
    assert_fhir_answer(api.client.get(f"/taxonomy/fhir/ValueSet/{quote(resource_id)}"))


# The version 6 example and the version 5 one with governance (docs/examples): mutated anywhere, never
# a 500, and a 201 only with a well-formed resource of the version meta.profile names.
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
EXAMPLE_DOCUMENTS = {
    name: json.loads((EXAMPLES / f"{name}.json").read_text()) for name in ("v6-incident", "v5-incident")
}
EXAMPLE_PATHS = [(name, path) for name, doc in EXAMPLE_DOCUMENTS.items() for path in paths(doc) if path]


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(where=st.sampled_from(EXAMPLE_PATHS), value=st.one_of(json_values, st.just(_DELETE)))
def test_mutated_examples_of_both_versions(api, organisations, where, value):
    name, path = where
    response = api.post(PATH, replaced(EXAMPLE_DOCUMENTS[name], path, value))
    assert_fhir_answer(response)
    if response.status_code == 201:
        body = fhir_json(response)
        assert body["meta"]["profile"][0].endswith(f"patient-safety-adverse-event-{body_version(body)}")


def body_version(body) -> str:
    return "6" if "actuality" in body else "5"
