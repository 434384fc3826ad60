"""National placement and ids: WentWell in adverse-event-outcome-5 (its earlier place still read,
with a warning), value set and code system ids exactly the national ones, earlier ids resolving."""

from __future__ import annotations

import pytest
from django.test import Client

from events.fhir.mapping import placements
from events.models import Event

from .checks import fhir_json
from .payloads import PATH, ext, find_extension, vendor_good_care

pytestmark = pytest.mark.django_db
TAXONOMY = "/taxonomy/fhir"
GOOD_CARE_TEXT = "The ward team spotted the deterioration early and called the outreach team."


def good_care_with_went_well(extension: str) -> dict:
    document = vendor_good_care()
    del document["description"]
    went_well = find_extension(document, "adverse-event-went-well")
    if extension == "adverse-event-went-well":
        went_well["extension"].insert(0, {"url": "WentWell", "valueString": GOOD_CARE_TEXT})
    else:
        document["extension"].append(ext(extension, ("WentWell", "String", GOOD_CARE_TEXT)))
    return document


def test_went_well_is_read_from_the_outcome_extension_and_written_there(api):
    response = api.post(PATH, good_care_with_went_well("adverse-event-outcome"))
    assert response.status_code == 201, response.content[:2000]
    body = fhir_json(response)
    event = Event.objects.get(uuid=body["id"])
    assert event.revisions.get().answers["WentWell"] == GOOD_CARE_TEXT
    outcome_extension = find_extension(body, "adverse-event-outcome")
    assert [item["url"] for item in outcome_extension["extension"]] == ["WentWell"]
    assert "WentWell" not in str(find_extension(body, "adverse-event-went-well"))
    issues = fhir_json(api.get(f"{PATH}/{body['id']}"))  # read back: still in the national place
    assert find_extension(issues, "adverse-event-outcome") == outcome_extension


def test_went_well_in_its_earlier_place_is_stored_with_a_warning(api):
    document = good_care_with_went_well("adverse-event-went-well")
    response = api.post(PATH, document, headers={"Prefer": "return=OperationOutcome"})
    assert response.status_code == 201, response.content[:2000]
    moved = [
        issue for issue in fhir_json(response)["issue"] if issue["details"]["coding"][0]["code"] == "moved"
    ]
    assert [issue["severity"] for issue in moved] == ["warning"]
    assert "adverse-event-outcome-5" in moved[0]["diagnostics"]
    assert moved[0]["expression"] == ["AdverseEvent.extension[1].extension[0]"]
    event = Event.objects.get()
    assert event.revisions.get().answers["WentWell"] == GOOD_CARE_TEXT


@pytest.mark.parametrize(
    ("earlier", "national"),
    [
        ("yes-no-unknown", "yes-no-unknown-codes"),
        ("level-of-concern", "worry-scale"),
        ("physical-harm", "level-of-physical-harm"),
    ],
)
def test_earlier_value_set_and_code_system_ids_still_resolve_to_the_national_resource(earlier, national):
    web = Client()
    for resource_type in ("ValueSet", "CodeSystem"):
        resource = fhir_json(web.get(f"{TAXONOMY}/{resource_type}/{earlier}-5"))
        assert resource["id"] == f"{national}-5"
        assert resource == fhir_json(web.get(f"{TAXONOMY}/{resource_type}/{national}-5"))
    listed = fhir_json(web.get(f"{TAXONOMY}/ValueSet"))
    ids = {entry["resource"]["id"] for entry in listed["entry"]}
    assert f"{national}-5" in ids and f"{earlier}-5" not in ids


def test_every_alias_points_at_a_published_value_set():
    web = Client()
    for earlier, national in placements("5").value_set_aliases.items():
        assert fhir_json(web.get(f"{TAXONOMY}/ValueSet/{earlier}-5"))["id"] == f"{national}-5"
