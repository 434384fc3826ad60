"""The taxonomy served at /taxonomy/fhir/ against the national v5 dictionary, property by property.

Every extension, property, FHIR type, value set id, code and display of the national file
(fixtures/taxonomy/taxonomy-v5-national.json) is compared with the StructureDefinitions, ValueSets
and CodeSystems this service serves. A difference fails the test unless it is on the allow-list
(fixtures/taxonomy/allowed-differences.yaml, each with its reason), and so does an allow-list entry
that is no longer a difference; docs/api.md lists every entry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.test import Client

from .checks import fhir_json

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "taxonomy"
NATIONAL = json.loads((FIXTURES / "taxonomy-v5-national.json").read_text())
ALLOWED = yaml.safe_load((FIXTURES / "allowed-differences.yaml").read_text())
API_DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
TAXONOMY = "/taxonomy/fhir"


def _bundle(web: Client, resource_type: str) -> dict[str, dict]:
    body = fhir_json(web.get(f"{TAXONOMY}/{resource_type}"))
    resources = (entry["resource"] for entry in body["entry"])
    return {resource["id"]: resource for resource in resources if resource["id"].endswith("-5")}


def served_properties(definition: dict) -> dict[str, tuple[str, str | None]]:
    """property -> (the first FHIR type of its value, the id of the value set it is bound to)."""
    found = {}
    for element in definition["differential"]["element"]:
        path = element["id"]
        if not (path.startswith("Extension.extension:") and path.endswith(".value[x]")):
            continue
        name = path.split(":", 1)[1].split(".", 1)[0]
        reference = element.get("binding", {}).get("valueSetReference", {}).get("reference")
        found[name] = (element["type"][0]["code"], reference.rsplit("/", 1)[-1] if reference else None)
    return found


def compare(web: Client) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """(figures, differences): matched counts, and every (kind, what) that differs."""
    definitions = _bundle(web, "StructureDefinition")
    code_systems = _bundle(web, "CodeSystem")
    value_sets = _bundle(web, "ValueSet")
    figures = {"extensions": 0, "properties": 0, "codes": 0, "displays": 0}
    differences: set[tuple[str, str]] = set()
    national_value_sets = set()
    for extension_id, extension in NATIONAL["extensions"].items():
        definition = definitions.get(extension_id)
        if definition is None:
            differences.add(("missing-extension", extension_id))
            continue
        figures["extensions"] += 1
        served = served_properties(definition)
        for name in set(served) - set(extension["properties"]):
            differences.add(("extra-property", f"{extension_id}/{name}"))
        for name, wanted in extension["properties"].items():
            what = f"{extension_id}/{name}"
            if name not in served:
                differences.add(("missing-property", what))
                continue
            figures["properties"] += 1
            fhir_type, value_set_id = served[name]
            if fhir_type != wanted["type"]:
                differences.add(("type", what))
            if wanted.get("valueset") != value_set_id:
                differences.add(("value-set", what))
            national_value_sets.add(wanted.get("valueset"))
            if "codes" not in wanted:
                continue
            served_codes = {
                c["code"]: c["display"] for c in code_systems.get(value_set_id, {}).get("concept", [])
            }
            value_set_codes = {
                c["code"]: c["display"] for c in value_sets.get(value_set_id, {"compose": {"include": [{}]}})[
                    "compose"]["include"][0].get("concept", [])
            }  # fmt: skip
            for code in set(served_codes) - {code for code, _ in wanted["codes"]}:
                differences.add(("extra-code", f"{value_set_id}/{code}"))
            for code, display in wanted["codes"]:
                if code not in served_codes:
                    differences.add(("missing-code", f"{value_set_id}/{code}"))
                    continue
                figures["codes"] += 1
                if served_codes[code] == display == value_set_codes.get(code):
                    figures["displays"] += 1
                else:
                    differences.add(("display", f"{value_set_id}/{code}"))
    for definition_id in set(definitions) - set(NATIONAL["extensions"]):
        differences.add(("extra-structure-definition", definition_id))
    for value_set_id in set(value_sets) - national_value_sets:
        differences.add(("extra-value-set", value_set_id))
    return figures, differences


@pytest.fixture(scope="module")
def comparison():
    return compare(Client())


def national_totals() -> dict[str, int]:
    properties = [p for e in NATIONAL["extensions"].values() for p in e["properties"].values()]
    codes = sum(len(p.get("codes", [])) for p in properties)
    return {"extensions": len(NATIONAL["extensions"]), "properties": len(properties), "codes": codes}


def test_the_national_file_is_the_one_the_targets_count():
    assert national_totals() == {"extensions": 25, "properties": 147, "codes": 770}


def test_every_national_extension_property_code_and_display_is_served(comparison):
    figures, _ = comparison
    totals = national_totals()
    assert figures == {**totals, "displays": totals["codes"]}


def test_every_difference_is_on_the_allow_list_and_every_entry_is_still_a_difference(comparison):
    _, differences = comparison
    allowed = {(entry["kind"], entry["what"]) for entry in ALLOWED}
    assert differences - allowed == set()
    assert allowed - differences == set()
    assert all(entry["reason"].strip() for entry in ALLOWED)


def test_docs_list_every_allowed_difference():
    text = API_DOC.read_text()
    for entry in ALLOWED:
        assert f"`{entry['what']}`" in text, entry["what"]


def test_the_comparison_notices_a_missing_display(comparison, monkeypatch):
    from events.fhir import mapping

    monkeypatch.setattr(mapping.Placements, "display", lambda self, name, code, label: label)
    _, differences = compare(Client())
    assert ("display", "people-actions-5/1") in differences
