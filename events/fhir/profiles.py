"""The taxonomy as FHIR conformance resources, generated from the question set the web form uses.

StructureDefinitions (the AdverseEvent profile and one per extension), ValueSets and CodeSystems
(one per coded question's code list) and the CapabilityStatement are all built from
`events/questionnaire/versions/v<N>.yaml` and `events/fhir/extensions/v<N>.yaml`, so what the API
publishes, what it accepts and what the web form asks cannot differ. Ids end in `-<version>`, as the
national service's do (`patient-information-5`, `agent-type-5`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from events.questionnaire import (
    EVENT_TYPE,
    Kind,
    Option,
    Question,
    available_versions,
    latest_version,
    load_question_set,
)

from .mapping import CONTAINED_TYPES, ExtensionSpec, extension_url, placements, read_types
from .writing import FHIR_VERSION, code_system_url, profile_url

PUBLISHER = "Record patient safety events"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SPECIAL_VALUE_SETS = {Kind.ORGANISATION: "ods-codes"}
STATUS = "active"


def value_set_url(base: str, name: str, version: str) -> str:
    return f"{base}/taxonomy/fhir/ValueSet/{name}-{version}"


def split_id(resource_id: str) -> tuple[str, str] | None:
    """("patient-information", "5") from "patient-information-5"; None without a version suffix."""
    name, _, version = resource_id.rpartition("-")
    if not name or not version.isdecimal():
        return None
    return name, version


# -- code lists ---------------------------------------------------------------------------------------
@functools.cache
def code_lists(version: str) -> dict[str, tuple[Option, ...]]:
    """ValueSet name -> options, for every coded question of a version (shared lists once)."""
    places = placements(version)
    found: dict[str, tuple[Option, ...]] = {}
    for question in _coded_questions(version):
        name = places.value_set_name(question)
        if name is None or question.id in places.not_sent:
            continue
        if name in found and found[name] != question.options:
            raise ValueError(f"ValueSet {name}-{version} would hold two different code lists")
        found[name] = question.options
    return found


def _coded_questions(version: str):
    """Every question of a version whose answer may be a code list's: the recorder's, then those of
    extensions answering another document (governance), except the ones sent as booleans."""
    yield from load_question_set(version).all_questions()
    places = placements(version)
    for spec in places.extensions:
        if spec.question_set:
            other = places.other_question_set(spec.question_set)
            for question in other.all_questions():
                if spec.national_type(question) is None:
                    yield question


def resolve_name(name: str, version: str) -> str:
    """The national id for one this service published earlier (`level-of-concern` -> `worry-scale`)."""
    return placements(version).value_set_aliases.get(name, name)


def value_set(name: str, version: str, *, base: str) -> dict[str, Any] | None:
    name = resolve_name(name, version)
    if name == SPECIAL_VALUE_SETS[Kind.ORGANISATION]:
        return _resource_header(
            "ValueSet", f"{name}-{version}", value_set_url(base, name, version), version, name
        ) | {
            "description": "Organisation Data Service codes of the organisations this service knows",
            "compose": {"include": [{"system": ODS_SYSTEM}]},
        }
    options = code_lists(version).get(name)
    if options is None:
        return None
    return _resource_header(
        "ValueSet", f"{name}-{version}", value_set_url(base, name, version), version, name
    ) | {
        "compose": {
            "include": [
                {
                    "system": code_system_url(base, name, version),
                    "concept": [
                        {
                            "code": option.code,
                            "display": placements(version).display(name, option.code, option.label),
                        }
                        for option in options
                    ],
                }
            ]
        },
    }


def code_system(name: str, version: str, *, base: str) -> dict[str, Any] | None:
    name = resolve_name(name, version)
    options = code_lists(version).get(name)
    if options is None:
        return None
    return _resource_header(
        "CodeSystem", f"{name}-{version}", code_system_url(base, name, version), version, name
    ) | {
        "content": "complete",
        "valueSet": value_set_url(base, name, version),
        "count": len(options),
        "concept": [
            _concept(option, placements(version).display(name, option.code, option.label))
            for option in options
        ],
    }


def _concept(option: Option, display: str) -> dict[str, str]:
    concept = {"code": option.code, "display": display}
    if option.hint:
        concept["definition"] = option.hint
    return concept


# -- structure definitions ------------------------------------------------------------------------------
def structure_definition_ids(version: str) -> list[str]:
    places = placements(version)
    return [places.profile_id] + [f"{spec.name}-{version}" for spec in places.extensions]


def structure_definition(resource_id: str, *, base: str) -> dict[str, Any] | None:
    parts = split_id(resource_id)
    if parts is None or parts[1] not in available_versions():
        return None
    name, version = parts
    places = placements(version)
    if name == places.profile:
        return _profile(version, base)
    spec = places.extension(name)
    return _extension_definition(spec, version, base) if spec else None


def _profile(version: str, base: str) -> dict[str, Any]:
    places = placements(version)
    question_set = load_question_set(version)
    event_type = question_set.question(EVENT_TYPE)
    elements: list[dict[str, Any]] = [
        {"id": "AdverseEvent", "path": "AdverseEvent", "short": question_set.title},
        {
            "id": f"AdverseEvent.{places.elements.get(EVENT_TYPE, 'type')}",
            "path": f"AdverseEvent.{places.elements.get(EVENT_TYPE, 'type')}",
            "short": f"Event type (CL001), in the {places.fhir_release} element",
            "min": 1,
            "binding": _binding(base, places.value_set_name(event_type), version),
        },
    ]
    for question_id, element in places.elements.items():
        if question_id == EVENT_TYPE or "." in element:  # "Device.manufacturer": on the contained slice
            continue
        question = question_set.question(question_id)
        elements.append(
            {
                "id": f"AdverseEvent.{element}",
                "path": f"AdverseEvent.{element}",
                "short": f"{question_id}: {question.text.render()}",
                "comment": _asked_when(question_set, question),
            }
        )
    for spec in places.extensions:
        if spec.resource != "AdverseEvent":
            continue
        elements.append(
            {
                "id": f"AdverseEvent.extension:{spec.name}",
                "path": "AdverseEvent.extension",
                "sliceName": spec.name,
                "short": spec.title,
                "min": 0,
                "max": "1",
                "type": [{"code": "Extension", "profile": extension_url(base, spec.name, version)}],
            }
        )
    for resource in CONTAINED_TYPES:
        specs = [spec for spec in places.extensions if spec.resource == resource]
        own = [qid for qid, element in places.elements.items() if element.startswith(f"{resource}.")]
        carried = ", ".join(
            [f"{spec.name}-{version}" for spec in specs]
            + [f"{places.elements[qid].partition('.')[2]} ({qid})" for qid in own]
        )
        elements.append(
            {
                "id": f"AdverseEvent.contained:{resource.lower()}",
                "path": "AdverseEvent.contained",
                "sliceName": resource.lower(),
                "short": f"A contained {resource} (id {resource.lower()}1) carrying {carried}",
                "min": 0,
                "max": "1",
                "type": [{"code": resource}],
            }
        )
    return _resource_header(
        "StructureDefinition", places.profile_id, profile_url(base, version), version, places.profile
    ) | {
        "description": places.description,
        "fhirVersion": FHIR_VERSION,
        "kind": "resource",
        "abstract": False,
        "type": "AdverseEvent",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/AdverseEvent",
        "derivation": "constraint",
        "differential": {"element": elements},
    }


def _extension_definition(spec: ExtensionSpec, version: str, base: str) -> dict[str, Any]:
    places = placements(version)
    question_set = places.question_set_of(spec, load_question_set(version))
    url = extension_url(base, spec.name, version)
    elements: list[dict[str, Any]] = [
        {"id": "Extension", "path": "Extension", "short": spec.title, "max": "*" if spec.repeats else "1"},
    ]
    for name, fhir_type in spec.accepted.items():
        elements += _slice(name, f"{name} (set by the service or the sender's bookkeeping)", [fhir_type], "1")
    for question_id in spec.questions:
        question = question_set.question(question_id)
        for item in (question, *question.reveals):
            national = spec.national_type(item)
            types = (national,) if national else read_types(item)
            elements += _slice(
                item.id,
                item.text.render(),
                [_fhir_type_name(t) for t in types],
                "*" if item.kind == Kind.MULTIPLE_CHOICE else "1",
                comment=_asked_when(question_set, item),
                alias=item.question_code,
                binding=None
                if national
                else _binding(
                    base, places.value_set_name(item) or SPECIAL_VALUE_SETS.get(item.kind), version
                ),
            )
    elements += [
        {"id": "Extension.url", "path": "Extension.url", "fixedUri": url},
        {"id": "Extension.value[x]", "path": "Extension.value[x]", "max": "0"},
    ]
    return _resource_header("StructureDefinition", f"{spec.name}-{version}", url, version, spec.name) | {
        "description": f"{spec.title}. Sub-extensions use bare property names as their url; "
        "a multi-select answer repeats the sub-extension once per code.",
        "fhirVersion": FHIR_VERSION,
        "kind": "complex-type",
        "abstract": False,
        "contextType": "resource",
        "context": [spec.resource],
        "type": "Extension",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Extension",
        "derivation": "constraint",
        "differential": {"element": elements},
    }


def _slice(name, short, types, maximum, *, comment=None, alias=None, binding=None) -> list[dict[str, Any]]:
    head: dict[str, Any] = {
        "id": f"Extension.extension:{name}",
        "path": "Extension.extension",
        "sliceName": name,
        "short": short,
        "min": 0,
        "max": maximum,
    }
    if comment:
        head["comment"] = comment
    if alias:
        head["alias"] = [alias]
    value: dict[str, Any] = {
        "id": f"Extension.extension:{name}.value[x]",
        "path": "Extension.extension.value[x]",
        "min": 1,
        "type": [{"code": fhir_type} for fhir_type in types],
    }
    if binding:
        value["binding"] = binding
    return [
        head,
        {"id": f"Extension.extension:{name}.url", "path": "Extension.extension.url", "fixedUri": name},
        value,
    ]


def _fhir_type_name(read_type: str) -> str:
    """ "DateTime" -> "dateTime": FHIR type codes start in lower case."""
    return read_type[:1].lower() + read_type[1:]


def _binding(base: str, name: str | None, version: str) -> dict[str, Any] | None:
    if name is None:
        return None
    return {"strength": "required", "valueSetReference": {"reference": value_set_url(base, name, version)}}


def _asked_when(question_set, question: Question) -> str:
    """When a question is asked, and whether it must then be answered, in words."""
    parent = question_set.question(question.reveal_of) if question.reveal_of else question
    section = question_set.section(parent.section_id)
    parts = []
    event_types = parent.event_types or section.event_types
    if event_types:
        parts.append("event type is " + " or ".join(sorted(event_types)))
    for condition in (section.when, parent.when):
        if condition is not None:
            parts.append(condition.describe())
    if question.reveal_of:
        parts.append(f"{parent.id} includes {question.opened_by}")
    asked = "Asked when " + " and ".join(parts) if parts else "Asked of every event of its type"
    if question.optional and question.required_for:
        required = "; optional, except for " + ", ".join(sorted(question.required_for))
    else:
        required = "; optional" if question.optional else "; required when asked"
    return asked + required + "."


def _resource_header(
    resource_type: str, resource_id: str, url: str, version: str, name: str
) -> dict[str, Any]:
    return {
        "resourceType": resource_type,
        "id": resource_id,
        "url": url,
        "version": version,
        "name": "".join(part.capitalize() for part in name.split("-")),
        "title": name,
        "status": STATUS,
        "publisher": PUBLISHER,
    }


# -- the capability statement ----------------------------------------------------------------------------
# Resources other apps serve under /adverse-event/fhir/ (the responses' Task): each a function of the
# base returning its CapabilityStatement.rest.resource entry, registered by its app's ready(), so that
# `events` imports none of them.
CAPABILITY_RESOURCES: list[Callable[[str], dict[str, Any]]] = []


def capability_resource_register(describe: Callable[[str], dict[str, Any]]) -> None:
    if describe not in CAPABILITY_RESOURCES:
        CAPABILITY_RESOURCES.append(describe)


def capability_statement(*, base: str, published: str) -> dict[str, Any]:
    versions = available_versions()
    return {
        "resourceType": "CapabilityStatement",
        "id": "lfpse-adverse-event",
        "url": f"{base}/adverse-event/fhir/metadata",
        "name": "LfpseAdverseEventApi",
        "title": "Record patient safety events: AdverseEvent submission API",
        "status": STATUS,
        "date": published,
        "publisher": PUBLISHER,
        "kind": "instance",
        "software": {"name": PUBLISHER},
        "implementation": {
            "description": "AdverseEvent submission for local risk management systems",
            "url": f"{base}/adverse-event/fhir",
        },
        "fhirVersion": FHIR_VERSION,
        "acceptUnknown": "extensions",
        "format": ["application/fhir+json", "application/json"],
        "profile": [{"reference": profile_url(base, version)} for version in versions],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": "Send the API key issued to your organisation in the "
                    "Ocp-Apim-Subscription-Key header."
                },
                "resource": [
                    {
                        "type": "AdverseEvent",
                        "profile": {"reference": profile_url(base, latest_version())},
                        "interaction": [
                            {"code": code} for code in ("create", "update", "read", "vread", "search-type")
                        ],
                        "versioning": "versioned-update",
                        "readHistory": True,
                        "updateCreate": False,
                        "conditionalCreate": False,
                        "conditionalUpdate": False,
                        "searchParam": [
                            {
                                "name": "_lastUpdated",
                                "type": "date",
                                "documentation": "gt, ge, lt, le or eq a date or time",
                            },
                            {"name": "_count", "type": "number", "documentation": "page size (at most 200)"},
                        ],
                    },
                    *(describe(base) for describe in CAPABILITY_RESOURCES),
                ],
            }
        ],
    }
