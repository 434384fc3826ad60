"""Payloads for the API tests: built from complete answers, and hand-written in the shapes vendors
send to the national service (docs/spec/taxonomy.md §1.1)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from events.fhir.writing import adverse_event_resource
from tests.events.questionnaire.helpers import GOOD_CARE, INCIDENT, OUTCOME, RISK, complete, journey

EVENT_TYPES = {"incident": INCIDENT, "outcome": OUTCOME, "risk": RISK, "good_care": GOOD_CARE}
ODS_CODES = ["RJ1", "RJ121", "A81001", "QNQ", "D4U1Y"]
# The national UAT host: payloads built for the national service must be accepted as they are.
NATIONAL = "https://psims-uat.azure-api.net"
SD = f"{NATIONAL}/taxonomy/fhir/StructureDefinition"
PROFILE = f"{SD}/patient-safety-adverse-event-5"
PATH = "/adverse-event/fhir/AdverseEvent"


def complete_answers(event_type: str = INCIDENT, *, anonymous: bool = False, **overrides) -> dict[str, Any]:
    answers = complete(journey({"EventType": event_type, **overrides}, anonymous=anonymous)).prune()
    return answers


def without_none(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as the API stores them: a skipped optional question is simply absent."""
    cleaned = {}
    for key, value in answers.items():
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [without_none(item) for item in value]
        cleaned[key] = value
    return cleaned


def payload_from_answers(
    answers: dict[str, Any],
    *,
    anonymous: bool = False,
    base: str = NATIONAL,
    today: dt.date | None = None,
    version: str = "5",
) -> dict[str, Any]:
    """What an LRMS would POST for these answers: no id, no version, no server-assigned metadata."""
    resource = adverse_event_resource(
        answers=answers,
        version=version,
        base=base,
        resource_id="unused",
        version_id=1,
        last_updated=dt.datetime.now(dt.UTC),
        reference="146925633",
        recorded_on=today or dt.date.today(),
        anonymous=anonymous,
        data_sharing_opt_out=False,
    )
    del resource["id"]
    resource["meta"] = {"profile": resource["meta"]["profile"]}
    for extension in resource["extension"]:
        extension["extension"] = [
            inner
            for inner in extension["extension"]
            if inner["url"] not in ("ReferenceNumber", "FromOnlineForms")
        ]
    return resource


def ext(name: str, *properties: tuple[str, str, Any]) -> dict[str, Any]:
    """An outer extension with bare-named sub-extensions: ("PhysicalHarm", "Code", "4")."""
    return {
        "url": f"{SD}/{name}-5",
        "extension": [{"url": url, f"value{fhir_type}": value} for url, fhir_type, value in properties],
    }


def vendor_incident(today: dt.date | None = None) -> dict[str, Any]:
    """An incident in the shape a v5 vendor sends (STU3 `type` and `category`, today's `date`,
    contained resources with local ids, repeated sub-extensions, a Device with a model this service
    does not store). The R4 names a v6 vendor sends (`event`, `actuality`, `Device.manufacturer`) are
    errors in a v5 resource: tests/events/fhir/test_version_6.py."""
    today = today or dt.date.today()
    return {
        "resourceType": "AdverseEvent",
        "meta": {"profile": [PROFILE]},
        "contained": [
            {
                "resourceType": "Patient",
                "id": "patient1",
                "extension": [
                    ext(
                        "patient-information",
                        ("PatientSequence", "Integer", 1),
                        ("AgeAtTimeOfIncidentDays", "Integer", 18600),
                        ("Gender", "Code", "2"),
                        ("PatientEthnicity", "Code", "11"),
                        ("PhysicalHarm", "Code", "4"),
                        ("PsychologicalHarm", "Code", "4"),
                        ("ClinicalOutcome", "String", "Recovered after observation"),
                    )
                ],
            },
            {
                "resourceType": "Practitioner",
                "id": "practitioner1",
                "extension": [
                    ext(
                        "practitioner-details",
                        ("ReporterType", "Code", "3"),
                        ("ReporterRole", "Code", "5"),
                        ("ReporterInvolvement", "Code", "4"),
                        ("ReporterOrganisation", "Code", "RJ1"),
                    )
                ],
            },
            {
                "resourceType": "Location",
                "id": "location1",
                "extension": [
                    ext(
                        "location-details",
                        ("LocationKnown", "Code", "y"),
                        ("Organisation", "Code", "RJ121"),
                        ("ServiceArea", "Code", "1"),
                        ("ServiceArea", "Code", "19"),
                        ("LocationWithinService", "Code", "4"),
                        ("ResponsibleSpecialty", "Code", "65"),
                    )
                ],
            },
            {
                "resourceType": "Medication",
                "id": "medication1",
                "extension": [ext("medication-administration", ("MedicationAdministration", "Code", "n"))],
            },
            {
                "resourceType": "Device",
                "id": "device1",
                "model": "AP-200",
                "extension": [ext("adverse-event-device-details", ("DeviceType", "Code", "43"))],
            },
        ],
        "extension": [
            ext(
                "adverse-event-estimated-date",
                ("IncidentOccurredToday", "Code", "y"),
                ("EstimatedTime", "Code", "1"),
            ),
            ext("adverse-event-process", ("Process", "Code", "6")),
            ext(
                "adverse-event-agent",
                ("InvolvedAgents", "Code", "4"),
                ("InvolvedAgents", "Code", "3"),
                ("DrugsInvolved", "String", "Morphine sulfate"),
            ),
            ext(
                "adverse-event-problem-medication",
                ("InvolvedProcesses", "Code", "3"),
                ("DrugReaction", "Code", "6"),
                ("DrugInvolvementFactors", "Code", "1"),
                ("DrugUsedTooMuch", "Code", "1"),
                ("DrugUsedTooMuch", "Code", "4"),
            ),
            ext(
                "adverse-event-problem-devices",
                ("DeviceInvolvementFactors", "Code", "4"),
                ("DeviceBrokenDetails", "Code", "9"),
            ),
            ext("adverse-event-outcome", ("ImmediateActions", "String", "Infusion stopped, doctor called")),
            ext("adverse-event-safety-challenges", ("SafetyChallenges", "Code", "6")),
            ext("detection-factors", ("DetectionPoint", "Code", "4")),
            ext("adverse-event-classification", ("LevelOfConcern", "Code", "4")),
        ],
        "type": {"coding": [{"code": "1"}]},
        "category": "AE",
        "subject": {"reference": "#patient1"},
        "date": today.isoformat(),
        "location": {"reference": "#location1"},
        "recorder": {"reference": "#practitioner1"},
        "description": "The infusion pump ran at twice the prescribed rate overnight.",
        "suspectEntity": [
            {"instance": {"reference": "#medication1"}},
            {"instance": {"reference": "#device1"}},
        ],
    }


def meg_outcome() -> dict[str, Any]:
    """The outcome sample the LFPSE team published (as MEG's LRMS docs show it): STU3 `category` and
    `type`, one patient aged 50 years (18,600 days), Gender 2, the reporter's organisation on the
    Practitioner."""
    return {
        "resourceType": "AdverseEvent",
        "meta": {"profile": [PROFILE]},
        "category": "AE",
        "type": {"coding": [{"code": "2"}]},
        "contained": [
            {
                "resourceType": "Patient",
                "id": "patient",
                "extension": [
                    ext(
                        "patient-information",
                        ("PatientSequence", "Integer", 1),
                        ("AgeAtTimeOfIncidentDays", "Integer", 18600),
                        ("Gender", "Code", "2"),
                        ("PatientEthnicity", "Code", "52"),
                        ("PhysicalHarm", "Code", "3"),
                        ("PsychologicalHarm", "Code", "3"),
                    )
                ],
            },
            {
                "resourceType": "Practitioner",
                "id": "practitioner1",
                "extension": [
                    ext(
                        "practitioner-details",
                        ("ReporterOrganisation", "Code", "RJ1"),
                        ("ReporterType", "Code", "3"),
                        ("ReporterRole", "Code", "4"),
                        ("ReporterInvolvement", "Code", "3"),
                    )
                ],
            },
            {
                "resourceType": "Location",
                "id": "location1",
                "extension": [
                    ext(
                        "location-details",
                        ("LocationKnown", "Code", "n"),
                        ("ServiceArea", "Code", "1"),
                        ("LocationWithinService", "Code", "4"),
                        ("ResponsibleSpecialty", "Code", "42"),
                    )
                ],
            },
        ],
        "extension": [
            ext(
                "adverse-event-estimated-date",
                ("IncidentOccurredToday", "Code", "n"),
                ("EstimatedTime", "Code", "2"),
                ("PreciseTime", "Time", "02:15:00"),
            ),
            ext("adverse-event-outcome", ("OutcomeType", "Code", "5")),
            ext(
                "adverse-event-classification",
                ("PatientSafetyIncidentHasOccurred", "Code", "u"),
                ("LevelOfConcern", "Code", "3"),
            ),
        ],
        "subject": {"reference": "#patient"},
        "date": "2025-03-27",
        "location": {"reference": "#location1"},
        "recorder": {"reference": "#practitioner1"},
        "description": "Returned to theatre for a bleed on the first post-operative day.",
    }


def vendor_good_care(today: dt.date | None = None) -> dict[str, Any]:
    """Good care in the shape the v6-era vendor sends it (location, reporter role, description, date,
    HowFutureOccurrence, GoodCareDetectionFactor, an empty contained Patient), as a v5 resource: STU3
    `type` and `category`."""
    today = today or dt.date.today()
    return {
        "resourceType": "AdverseEvent",
        "meta": {"profile": [PROFILE]},
        "contained": [
            {"resourceType": "Patient", "id": "patient1"},
            {
                "resourceType": "Practitioner",
                "id": "practitioner1",
                "extension": [
                    ext("practitioner-details", ("ReporterType", "Code", "3"), ("ReporterRole", "Code", "3"))
                ],
            },
            {
                "resourceType": "Location",
                "id": "location1",
                "extension": [
                    ext(
                        "location-details",
                        ("LocationKnown", "Code", "u"),
                        ("ServiceArea", "Code", "6"),
                        ("LocationWithinService", "Code", "2"),
                        ("ResponsibleSpecialty", "Code", "149"),
                    )
                ],
            },
        ],
        "extension": [
            ext(
                "adverse-event-estimated-date",
                ("IncidentOccurredToday", "Code", "y"),
                ("EstimatedTime", "Code", "1"),
            ),
            ext(
                "adverse-event-went-well",
                ("GoodCareDetectionFactor", "Code", "4"),
                ("HowFutureOccurrence", "String", "Share the checklist at the regional forum"),
            ),
        ],
        "type": {"coding": [{"code": "4"}]},
        "category": "AE",
        "subject": {"reference": "#patient1"},
        "date": today.isoformat(),
        "location": {"reference": "#location1"},
        "recorder": {"reference": "#practitioner1"},
        "description": "The therapist spotted a pressure sore early and arranged a mattress the same day.",
    }


def with_changes(payload: dict[str, Any], change) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    change(changed)
    return changed


def find_extension(resource: dict[str, Any], name: str, version: str = "5") -> dict[str, Any]:
    """The outer extension called `name` (on the AdverseEvent or a contained resource)."""
    holders = [resource, *resource.get("contained", [])]
    for holder in holders:
        for extension in holder.get("extension", []):
            if extension["url"].endswith(f"/{name}-{version}"):
                return extension
    raise KeyError(name)
