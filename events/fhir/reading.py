"""Reading an LFPSE AdverseEvent: every value it carries, where each one is, and what is wrong with
its shape. Nothing here judges the answers themselves (that is validation.py, with the engine).

Outer extensions are recognised by the last part of their URL (`.../StructureDefinition/
patient-information-5`), whatever the host, so payloads built for the national service read as they
are. Inner sub-extensions are bare property names; a multi-select answer is the same name repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from events.questionnaire import QuestionSet, available_versions, load_question_set

from .mapping import CONTAINED_TYPES, JSON_TYPES, ExtensionSpec, Placements, extension_url, placements
from .outcome import Issue, IssueCode, error, warning

_DEFINITION = re.compile(r"/StructureDefinition/([a-z][a-z0-9-]*?)-(\d+)$")
# Every element of an STU3 or R4 AdverseEvent; the ones this service reads are in _READ.
_ADVERSE_EVENT_ELEMENTS = frozenset(
    {
        "resourceType", "id", "meta", "implicitRules", "language", "text", "contained", "extension",
        "modifierExtension", "identifier", "actuality", "category", "type", "event", "subject",
        "encounter", "date", "detected", "recordedDate", "resultingCondition", "reaction", "location",
        "seriousness", "severity", "outcome", "recorder", "contributor", "eventParticipant",
        "description", "suspectEntity", "subjectMedicalHistory", "referenceDocument", "study",
    }
)  # fmt: skip
_READ = frozenset({"resourceType", "meta", "contained", "extension", "type", "event", "date", "description"})
# Elements of one FHIR release only: sent in a resource of the other release's taxonomy version they
# are errors naming the element (taxonomy v5 is STU3, v6 is R4), never a silent drop.
_ONLY_IN = {
    "STU3": frozenset({"type", "reaction", "eventParticipant", "description"}),
    "R4": frozenset(
        {"actuality", "event", "encounter", "detected", "recordedDate", "resultingCondition", "severity",
         "contributor"}
    ),
}  # fmt: skip
_INSTEAD = {"type": "event", "event": "type", "actuality": "category"}
# Structural elements the writer sets itself: sent back by a client, they are expected, not ignored.
_EXPECTED = frozenset(
    {"id", "text", "category", "actuality", "subject", "location", "recorder", "suspectEntity"}
)
_CONTAINED_KEPT = frozenset({"resourceType", "id", "meta", "extension"})


@dataclass(frozen=True)
class Found:
    """One value as sent: its FHIR type ("Code"), the JSON value, and where it was."""

    type: str
    value: Any
    where: str


@dataclass
class Scope:
    """The answers of the event (top level) or of one patient."""

    answers: dict[str, list[Found]] = field(default_factory=dict)
    extras: dict[str, list[Found]] = field(default_factory=dict)  # accepted non-answers (PatientSequence)
    homes: dict[str, str] = field(default_factory=dict)  # extension name -> where it was
    rejected: set[str] = field(default_factory=set)  # answers sent in a shape that could not be read
    where: str | None = None  # a patient: its patient-information extension


@dataclass
class Reading:
    base: str = ""  # canonical base of this server, for the URLs in "missing" expressions
    version: str | None = None
    question_set: QuestionSet | None = None
    placements: Placements | None = None
    event_type: Found | None = None
    top: Scope = field(default_factory=Scope)
    patients: list[Scope] = field(default_factory=list)
    resources: dict[str, str] = field(default_factory=dict)  # contained type -> where the first one is
    # Answers of an extension answering another document (governance: the statutory requirements),
    # None when no such extension was sent (then the stored answers are left as they are).
    other_answers: dict[str, dict[str, list[Found]]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(issue.is_error for issue in self.issues)

    def missing_where(self, question_id: str, scope: Scope | None = None) -> str:
        """Where a missing answer should have been sent."""
        element = self.placements.element_of(question_id)
        if element:
            return f"AdverseEvent.{element}"
        spec = self.placements.extension_of(question_id)
        scope = scope or self.top
        home = scope.homes.get(spec.name) or scope.where
        if home:
            return f"{home}.extension('{question_id}')"
        url = extension_url(self.base, spec.name, self.version)
        if spec.resource == "AdverseEvent":
            holder = "AdverseEvent"
        else:
            holder = self.resources.get(spec.resource) or f"AdverseEvent.contained.ofType({spec.resource})"
        return f"{holder}.extension('{url}').extension('{question_id}')"


def profile_version(resource: dict) -> tuple[str | None, Issue | None]:
    """The question-set version named by meta.profile (patient-safety-adverse-event-<N>)."""
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, dict) else None
    if isinstance(profiles, str):
        profiles = [profiles]
    if not isinstance(profiles, list) or not profiles:
        return None, error(
            IssueCode.REQUIRED,
            "meta.profile must name the taxonomy version, e.g. "
            "…/StructureDefinition/patient-safety-adverse-event-5",
            "AdverseEvent.meta.profile",
        )
    for index, profile in enumerate(profiles):
        match = _DEFINITION.search(profile) if isinstance(profile, str) else None
        if match and match.group(1) == "patient-safety-adverse-event":
            version = match.group(2)
            if version not in available_versions():
                shipped = ", ".join(f"patient-safety-adverse-event-{v}" for v in available_versions())
                return None, error(
                    IssueCode.UNKNOWN_PROFILE,
                    f"Taxonomy version {version} is not supported here; supported profiles: {shipped}",
                    f"AdverseEvent.meta.profile[{index}]",
                )
            return version, None
    return None, error(
        IssueCode.UNKNOWN_PROFILE,
        "meta.profile names no patient-safety-adverse-event profile",
        "AdverseEvent.meta.profile",
    )


def read_adverse_event(resource: dict, *, base: str = "") -> Reading:
    reading = Reading(base=base)
    version, problem = profile_version(resource)
    if problem:
        reading.issues.append(problem)
        return reading
    reading.version = version
    reading.question_set = load_question_set(version)
    reading.placements = placements(version)
    _Reader(reading).read(resource)
    return reading


class _Reader:
    def __init__(self, reading: Reading):
        self.reading = reading
        self.placements = reading.placements
        self.question_set = reading.question_set

    def problem(self, code: IssueCode, text: str, where: str) -> None:
        self.reading.issues.append(error(code, text, where))

    def ignored(self, text: str, where: str) -> None:
        self.reading.issues.append(warning(IssueCode.IGNORED, text, where))

    # -- the AdverseEvent ---------------------------------------------------------------------------
    def read(self, resource: dict) -> None:
        release = self.placements.fhir_release
        for key in resource:
            where = f"AdverseEvent.{key}"
            if self.other_release_element(key, resource[key], release, where):
                continue
            if key not in _ADVERSE_EVENT_ELEMENTS and not key.startswith("_"):
                self.problem(IssueCode.UNKNOWN_ELEMENT, f"AdverseEvent has no element {key!r}", where)
            elif key == "modifierExtension":
                self.problem(IssueCode.UNKNOWN_ELEMENT, "Modifier extensions are not understood here", where)
            elif key not in _READ and (key not in _EXPECTED or (key == "category" and release == "R4")):
                self.ignored(f"{key} is not stored by this service", where)
        self.read_event_type(resource)
        self.read_element(resource, "date", "Date")
        self.read_element(resource, "description", "String")
        contained = resource.get("contained", [])
        if not isinstance(contained, list):
            self.problem(
                IssueCode.WRONG_TYPE, "contained must be a list of resources", "AdverseEvent.contained"
            )
            contained = []
        for index, item in enumerate(contained):
            where = f"AdverseEvent.contained[{index}]"
            if not isinstance(item, dict):
                self.problem(IssueCode.WRONG_TYPE, "A contained resource must be an object", where)
                continue
            resource_type = item.get("resourceType")
            if resource_type not in CONTAINED_TYPES:
                self.ignored(
                    f"A contained {resource_type or 'resource without resourceType'} is not read", where
                )
                continue
            self.reading.resources.setdefault(resource_type, where)
            elements = self.contained_elements(resource_type)
            for key in item:
                if key[:1].lower() + key[1:] in elements:
                    self.read_contained_element(
                        item[key], elements[key[:1].lower() + key[1:]], f"{where}.{key}"
                    )
                elif key == "modifierExtension":
                    self.problem(
                        IssueCode.UNKNOWN_ELEMENT,
                        "Modifier extensions are not understood here",
                        f"{where}.{key}",
                    )
                elif self.other_version_contained_element(resource_type, key, f"{where}.{key}"):
                    continue
                elif key not in _CONTAINED_KEPT:
                    self.ignored(f"{resource_type}.{key} is not stored by this service", f"{where}.{key}")
            self.read_extensions(item.get("extension", []), where, resource_type)
        self.read_extensions(resource.get("extension", []), "AdverseEvent", "AdverseEvent")
        self.order_patients()

    def other_release_element(self, key: str, value: Any, release: str, where: str) -> bool:
        """An element of the other FHIR release (an R4 element in a v5 resource, an STU3 one in a v6
        resource): an error naming it, except what this version reads from there (`read_also`)."""
        other = next(name for name in _ONLY_IN if name != release)
        version = self.reading.version
        if key == "category" and release == "R4" and not isinstance(value, list):
            self.problem(
                IssueCode.UNKNOWN_ELEMENT,
                f"category {value!r} is the STU3 form of taxonomy version 5; version {version} (R4) "
                "sends actuality instead",
                where,
            )
            return True
        if key not in _ONLY_IN[other] or key in self.placements.read_also:
            return False
        instead = f"; send {_INSTEAD[key]} instead" if key in _INSTEAD else ""
        users = [v for v in available_versions() if placements(v).fhir_release == other]
        self.problem(
            IssueCode.UNKNOWN_ELEMENT,
            f"{key} is an element of the {other} AdverseEvent of taxonomy version {', '.join(users)}; "
            f"meta.profile names version {version}, whose resources are {release}{instead}",
            where,
        )
        if key in ("type", "event"):
            self.reading.top.rejected.add("EventType")
        return True

    def other_version_contained_element(self, resource_type: str, key: str, where: str) -> bool:
        """An element of a contained resource that only another taxonomy version reads (v6's
        Device.manufacturer in a v5 resource): an error naming it and its version."""
        element = f"{resource_type}.{key[:1].lower() + key[1:]}"
        for version in available_versions():
            if version == self.reading.version:
                continue
            question_id = next((q for q, e in placements(version).elements.items() if e == element), None)
            if question_id is not None:
                self.problem(
                    IssueCode.UNKNOWN_ELEMENT,
                    f"{resource_type}.{key} ({question_id}) belongs to taxonomy version {version}, not to "
                    f"version {self.reading.version}, which meta.profile names",
                    where,
                )
                return True
        return False

    def read_event_type(self, resource: dict) -> None:
        """The event type, from this version's element only (STU3 `type` in v5, R4 `event` in v6)."""
        element = self.placements.elements.get("EventType", "type")
        if element not in resource:
            return
        concept = resource[element]
        where = f"AdverseEvent.{element}"
        codings = concept.get("coding") if isinstance(concept, dict) else None
        if not isinstance(codings, list) or not codings:
            self.problem(IssueCode.WRONG_TYPE, f"{element} must be a CodeableConcept with a coding", where)
            return
        coding = codings[0]
        code = coding.get("code") if isinstance(coding, dict) else None
        if not isinstance(code, str):
            self.problem(
                IssueCode.WRONG_TYPE, f"{element}.coding[0].code must be a code", f"{where}.coding[0]"
            )
            return
        self.reading.event_type = Found("Code", code, f"{where}.coding[0].code")

    def contained_elements(self, resource_type: str) -> dict[str, str]:
        """Element -> question id of the answers a contained resource carries as its own elements
        (v6: the Device's manufacturer, modelNumber and serialNumber)."""
        prefix = f"{resource_type}."
        return {
            element[len(prefix) :]: question_id
            for question_id, element in self.placements.elements.items()
            if element.startswith(prefix)
        }

    def read_contained_element(self, value: Any, question_id: str, where: str) -> None:
        if not isinstance(value, str) or not value.strip():
            self.problem(
                IssueCode.WRONG_TYPE, f"{where.rsplit('.', 1)[-1]} must be a non-empty string", where
            )
            self.reading.top.rejected.add(question_id)
            return
        self.reading.top.answers.setdefault(question_id, []).append(Found("String", value, where))

    def read_element(self, resource: dict, element: str, fhir_type: str) -> None:
        """An answer carried by an AdverseEvent element (date, description)."""
        question_id = next((q for q, e in self.placements.elements.items() if e == element), None)
        if question_id is None and element in resource and element in self.placements.read_also:
            question_id = self.placements.read_also[element]
            home = self.placements.extension_of(question_id)
            self.reading.issues.append(
                warning(
                    IssueCode.MOVED,
                    f"{element} was read as {question_id}, which belongs in "
                    f"{home.name}-{self.reading.version} in this taxonomy version",
                    f"AdverseEvent.{element}",
                )
            )
        if element not in resource or question_id is None:
            return
        value = resource[element]
        where = f"AdverseEvent.{element}"
        if not isinstance(value, str) or not value.strip():
            self.problem(IssueCode.WRONG_TYPE, f"{element} must be a non-empty {fhir_type.lower()}", where)
            self.reading.top.rejected.add(question_id)
            return
        self.reading.top.answers[question_id] = [Found(fhir_type, value, where)]

    # -- extensions -----------------------------------------------------------------------------------
    def read_extensions(self, extensions: Any, holder: str, resource_type: str) -> None:
        if not isinstance(extensions, list):
            self.problem(IssueCode.WRONG_TYPE, "extension must be a list", f"{holder}.extension")
            return
        for index, extension in enumerate(extensions):
            where = f"{holder}.extension[{index}]"
            if not isinstance(extension, dict) or not isinstance(extension.get("url"), str):
                self.problem(IssueCode.WRONG_TYPE, "An extension must be an object with a url", where)
                continue
            spec = self.extension_spec(extension["url"], where)
            if spec is None:
                continue
            if spec.resource != resource_type:
                carrier = (
                    "the AdverseEvent"
                    if spec.resource == "AdverseEvent"
                    else f"the contained {spec.resource}"
                )
                self.problem(IssueCode.WRONG_PLACE, f"{spec.name} belongs on {carrier}", where)
                continue
            if any(key.startswith("value") for key in extension):
                self.problem(IssueCode.WRONG_TYPE, f"{spec.name} has sub-extensions, not a value", where)
                continue
            if spec.repeats:
                scope = Scope(where=where)
                self.reading.patients.append(scope)
            else:
                scope = self.reading.top
                if spec.name in scope.homes:
                    self.problem(IssueCode.REPEATED, f"{spec.name} may be sent only once", where)
                    continue
            scope.homes[spec.name] = where
            if spec.question_set:
                self.reading.other_answers.setdefault(spec.question_set, {})
            self.read_properties(extension.get("extension", []), where, spec, scope)

    def extension_spec(self, url: str, where: str) -> ExtensionSpec | None:
        match = _DEFINITION.search(url)
        spec = self.placements.extension(match.group(1)) if match else None
        other_version = match and spec is None and match.group(2) in available_versions()
        if other_version and placements(match.group(2)).extension(match.group(1)) is not None:
            self.problem(
                IssueCode.UNKNOWN_PROFILE,
                f"{match.group(1)}-{match.group(2)} belongs to taxonomy version {match.group(2)}, not to "
                f"version {self.reading.version}, which meta.profile names",
                f"{where}.url",
            )
            return None
        if spec is None:
            self.ignored(f"The extension {url} is not part of this profile and is not stored", where)
            return None
        if match.group(2) != self.reading.version:
            self.problem(
                IssueCode.UNKNOWN_PROFILE,
                f"{spec.name}-{match.group(2)} does not belong to taxonomy version {self.reading.version}, "
                "which meta.profile names",
                f"{where}.url",
            )
            return None
        return spec

    def read_properties(self, items: Any, holder: str, spec: ExtensionSpec, scope: Scope) -> None:
        if not isinstance(items, list):
            self.problem(IssueCode.WRONG_TYPE, "extension must be a list", f"{holder}.extension")
            return
        for index, item in enumerate(items):
            where = f"{holder}.extension[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                self.problem(IssueCode.WRONG_TYPE, "A sub-extension must be an object with a url", where)
                continue
            name = item["url"]
            found = self.value_of(item, where)
            if found is None:
                scope.rejected.add(name)
                continue
            if name in spec.accepted:
                expected = spec.accepted[name]
                if found.type.lower() != expected.lower():
                    self.problem(
                        IssueCode.WRONG_TYPE, f"{name} must be a value{expected.capitalize()}", found.where
                    )
                else:
                    scope.extras.setdefault(name, []).append(found)
            elif self.placements.extension_of(name) is spec and spec.question_set:
                self.reading.other_answers[spec.question_set].setdefault(name, []).append(found)
            elif self.placements.extension_of(name) is spec:
                scope.answers.setdefault(name, []).append(found)
            elif name in spec.moved:
                home = self.placements.extension_of(name)
                self.reading.issues.append(
                    warning(
                        IssueCode.MOVED,
                        f"{name} belongs in {home.name}-{self.reading.version}, as in the national taxonomy; "
                        f"it was read from {spec.name}, where this service accepted it before",
                        where,
                    )
                )
                scope.answers.setdefault(name, []).append(found)
            elif (
                self.question_set.has_question(name)
                or name in self.placements.elements
                or self.placements.extension_of(name) is not None
            ):
                self.problem(
                    IssueCode.WRONG_PLACE, f"{name} belongs {self.home_of(name)}, not in {spec.name}", where
                )
            elif other := self.other_version_of(name, spec):
                self.problem(
                    IssueCode.UNKNOWN_ELEMENT,
                    f"{name!r} is a property of {other} (taxonomy version {other.rsplit('-', 1)[-1]}), "
                    f"not of {spec.name}-{self.reading.version}: meta.profile names version "
                    f"{self.reading.version}",
                    f"{where}.url",
                )
            else:
                self.problem(
                    IssueCode.UNKNOWN_ELEMENT,
                    f"{name!r} is not a property of {spec.name}-{self.reading.version}"
                    + (" (inner urls are bare property names, e.g. 'PhysicalHarm')" if "/" in name else ""),
                    f"{where}.url",
                )

    def other_version_of(self, name: str, spec: ExtensionSpec) -> str | None:
        """Where another taxonomy version carries a property this one does not ("patient-information-6"
        for GenderIdentity in a v5 resource); None when no version has it."""
        for version in available_versions():
            if version == self.reading.version:
                continue
            home = placements(version).extension_of(name)
            if home is not None:
                return f"{home.name}-{version}"
        return None

    def home_of(self, name: str) -> str:
        element = self.placements.element_of(name)
        if element:
            return f"in AdverseEvent.{element}"
        if name in self.placements.not_sent:
            return "nowhere (it is not sent)"
        return f"in {self.placements.extension_of(name).name}"

    def value_of(self, item: dict, where: str) -> Found | None:
        value_keys = [key for key in item if key.startswith("value")]
        others = set(item) - {"url", "id", *value_keys}
        if others:
            self.problem(IssueCode.UNKNOWN_ELEMENT, f"Unexpected {sorted(others)} in {item['url']}", where)
            return None
        if len(value_keys) != 1:
            self.problem(IssueCode.WRONG_TYPE, f"{item['url']} needs exactly one value[x]", where)
            return None
        key = value_keys[0]
        fhir_type = key[len("value") :]
        value = item[key]
        where = f"{where}.{key}"
        expected = JSON_TYPES.get(fhir_type)
        if expected is None:
            return Found(fhir_type, value, where)  # a complex type: judged by the question's types
        if isinstance(value, bool) and expected is not bool:
            expected_ok = False
        else:
            expected_ok = isinstance(value, expected)
        if not expected_ok or (isinstance(value, str) and not value.strip()):
            self.problem(
                IssueCode.WRONG_TYPE,
                f"{key} must be a non-empty FHIR {fhir_type[:1].lower() + fhir_type[1:]}",
                where,
            )
            return None
        return Found(fhir_type, value, where)

    def order_patients(self) -> None:
        """Patients in PatientSequence order (document order when none is given)."""
        patients = self.reading.patients
        sequences = []
        for patient in patients:
            values = patient.extras.get("PatientSequence", [])
            if len(values) > 1:
                self.problem(IssueCode.REPEATED, "PatientSequence may be sent only once", values[1].where)
            sequences.append(values[0].value if values else None)
        given = [s for s in sequences if s is not None]
        if not given:
            return
        if len(given) != len(sequences):
            missing = patients[sequences.index(None)]
            self.problem(
                IssueCode.REQUIRED,
                "Give every patient a PatientSequence, or none",
                f"{missing.where}.extension('PatientSequence')",
            )
            return
        if len(set(given)) != len(given):
            duplicate = next(p for p, s in zip(patients, sequences, strict=True) if sequences.count(s) > 1)
            self.problem(
                IssueCode.REPEATED,
                "Two patients have the same PatientSequence",
                duplicate.extras["PatientSequence"][0].where,
            )
            return
        order = sorted(range(len(patients)), key=lambda index: sequences[index])
        self.reading.patients = [patients[index] for index in order]
