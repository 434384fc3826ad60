"""Writing a record's answers as an LFPSE AdverseEvent (FHIR STU3, as taxonomy versions 4 and 5 are).

The shape is the national service's: answers in nested extensions with bare inner names, one
sub-extension per selected code, contained Patient / Location / Practitioner / Medication / Device
referenced as `#patient1` ..., and the `adverse-event-reference-metadata` extension last, its first
sub-extension the ReferenceNumber (vendors read it from the last extension; docs/spec/taxonomy.md §1.4).
What `reading.py` reads back from this is exactly the answers written (a test checks the round trip).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.questionnaire import EVENT_TYPE, Kind, Question, load_question_set
from events.references import reference_display

from .mapping import CONTAINED_IDS, CONTAINED_TYPES, ORGANISATION_OTHER, extension_url, placements

FHIR_VERSION = "3.0.2"
REFERENCE_METADATA = "adverse-event-reference-metadata"


def profile_url(base: str, version: str) -> str:
    return extension_url(base, placements(version).profile, version)


def code_system_url(base: str, name: str, version: str) -> str:
    return f"{base}/taxonomy/fhir/CodeSystem/{name}-{version}"


def adverse_event_resource(
    *,
    answers: dict[str, Any],
    version: str,
    base: str,
    resource_id: str,
    version_id: int,
    last_updated: dt.datetime,
    reference: str,
    recorded_on: dt.date,
    anonymous: bool,
    data_sharing_opt_out: bool,
    from_online_forms: bool = False,
    statutory: dict[str, Any] | None = None,
    recorded_by_patient: bool = False,
) -> dict[str, Any]:
    """The AdverseEvent for one revision's answers (redacted ones, for everybody but the author),
    with the record's statutory and national policy answers as of that revision (codes only)."""
    places = placements(version)
    question_set = load_question_set(version)
    contained: dict[str, list[dict]] = {name: [] for name in CONTAINED_TYPES}
    contained_elements: dict[str, dict[str, str]] = {}
    extensions: list[dict] = []
    for spec in places.extensions:
        url = extension_url(base, spec.name, version)
        if spec.repeats:
            for sequence, item in enumerate(answers.get(spec.repeats) or [], start=1):
                inner = [{"url": "PatientSequence", "valueInteger": sequence}]
                inner += _properties(question_set, spec.questions, item)
                contained[spec.resource].append({"url": url, "extension": inner})
            continue
        if spec.question_set:
            other = places.other_question_set(spec.question_set)
            inner = _properties(other, spec.questions, statutory or {}, spec=spec)
        else:
            inner = _properties(question_set, spec.questions, answers, spec=spec)
        if spec.name == REFERENCE_METADATA:
            inner = [
                {"url": "ReferenceNumber", "valueString": reference_display(reference)},
                {"url": "FromOnlineForms", "valueBoolean": from_online_forms},
                {"url": "IsAnonymous", "valueBoolean": anonymous},
                {"url": "DataSharingOptOut", "valueBoolean": data_sharing_opt_out},
                # Our marker (docs/adr/0019), sent only when true: the national profile has no such field.
                *([{"url": "RecordedByPatientOrFamily", "valueBoolean": True}] * recorded_by_patient),
                *inner,
            ]
        if not inner:
            continue
        holder = extensions if spec.resource == "AdverseEvent" else contained[spec.resource]
        holder.append({"url": url, "extension": inner})
    reference_metadata = [e for e in extensions if e["url"].endswith(f"/{REFERENCE_METADATA}-{version}")]
    extensions = [e for e in extensions if e not in reference_metadata] + reference_metadata

    for question_id, element in places.elements.items():  # v6: the contained Device's own elements
        resource_type, _, name = element.partition(".")
        if name and answers.get(question_id):
            contained_elements.setdefault(resource_type, {})[name] = answers[question_id]
    r4 = places.elements.get(EVENT_TYPE) == "event"  # v6: R4 element names
    if r4 and not contained["Patient"]:
        contained_elements.setdefault("Patient", {})  # R4 AdverseEvent.subject is required
    event_type = question_set.event_type(answers.get(EVENT_TYPE))
    resource: dict[str, Any] = {
        "resourceType": "AdverseEvent",
        "id": resource_id,
        "meta": {
            "versionId": str(version_id),
            "lastUpdated": last_updated.isoformat(timespec="milliseconds"),
            "profile": [profile_url(base, version)],
        },
        "contained": [
            {"resourceType": name, "id": CONTAINED_IDS[name]}
            | contained_elements.get(name, {})
            | ({"extension": items} if items else {})
            for name, items in contained.items()
            if items or name in contained_elements
        ],
        "extension": extensions,
    }
    if r4:
        resource["actuality"] = "actual"
    else:
        resource["category"] = "AE"
    if not resource["contained"]:
        del resource["contained"]
    if event_type is not None:
        resource[places.elements.get(EVENT_TYPE, "type")] = {
            "coding": [
                {
                    "system": code_system_url(base, _event_type_name(version), version),
                    "code": event_type.code,
                    "display": event_type.name,
                }
            ]
        }
    present = {item["resourceType"] for item in resource.get("contained", [])}
    if "Patient" in present:
        resource["subject"] = {"reference": f"#{CONTAINED_IDS['Patient']}"}
    date = answers.get("EventDate") or (
        recorded_on.isoformat() if answers.get("IncidentOccurredToday") == "y" else None
    )
    if date and places.element_of("EventDate"):
        resource["date"] = date
    if "Location" in present:
        resource["location"] = {"reference": f"#{CONTAINED_IDS['Location']}"}
    if "Practitioner" in present:
        resource["recorder"] = {"reference": f"#{CONTAINED_IDS['Practitioner']}"}
    if answers.get("Description") and places.element_of("Description"):
        resource["description"] = answers["Description"]
    suspects = [name for name in ("Medication", "Device") if name in present]
    if suspects:
        resource["suspectEntity"] = [
            {"instance": {"reference": f"#{CONTAINED_IDS[name]}"}} for name in suspects
        ]
    return resource


def _event_type_name(version: str) -> str:
    question_set = load_question_set(version)
    return placements(version).value_set_name(question_set.question(EVENT_TYPE))


def _properties(
    question_set, question_ids: tuple[str, ...], answers: dict[str, Any], *, spec=None
) -> list[dict]:
    inner: list[dict] = []
    for question_id in question_ids:
        question = question_set.question(question_id)
        value = answers.get(question.id)
        national = spec.national_type(question) if spec is not None else None
        if national == "Boolean" and value in ("y", "n"):
            inner.append({"url": question.id, "valueBoolean": value == "y"})
            continue
        if national == "Code" and value:
            inner.append({"url": question.id, "valueCode": str(value)})
            continue
        inner += _values(question, value)
        for reveal in question.reveals:
            inner += _values(reveal, answers.get(reveal.id))
    return inner


def _values(question: Question, value: Any) -> list[dict]:
    """The sub-extensions for one answer: none when unanswered, one per code for a multi-select."""
    if value is None or value == "" or value == []:
        return []
    name = question.id
    kind = question.kind
    if kind == Kind.MULTIPLE_CHOICE:
        return [{"url": name, "valueCode": str(code)} for code in value]
    if kind in (Kind.SINGLE_CHOICE, Kind.SELECT):
        return [{"url": name, "valueCode": str(value)}]
    if kind == Kind.ORGANISATION:
        return [] if value == ORGANISATION_OTHER else [{"url": name, "valueCode": str(value)}]
    if kind == Kind.AGE:
        return [
            {"url": name, "valueInteger": value}
            if isinstance(value, int)
            else {"url": name, "valueCode": value}
        ]
    if kind == Kind.DATE:
        return [{"url": name, "valueDate": value}]
    if kind == Kind.TIME:
        return [{"url": name, "valueTime": f"{value}:00"}]
    if kind == Kind.NUMBER:
        return [{"url": name, "valueInteger": int(value)}]
    return [{"url": name, "valueString": str(value)}]  # text, month and year, reference
