"""Where each answer of a question set travels in an LFPSE AdverseEvent, and as which FHIR type.

The placements are data (`extensions/v<N>.yaml`, one per question-set version), checked against the
question set when loaded: every question has exactly one place, so the web form, the API and the
published StructureDefinitions all come from the same two documents and cannot drift apart.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from events.questionnaire import Kind, Question, QuestionSet, latest_version, load_question_set
from events.questionnaire.loader import read_yaml

PLACEMENTS_DIR = Path(__file__).parent / "extensions"
CONTAINED_TYPES = ("Patient", "Location", "Practitioner", "Medication", "Device")
CONTAINED_IDS = {name: f"{name.lower()}1" for name in CONTAINED_TYPES}
RESOURCE_TYPES = ("AdverseEvent", *CONTAINED_TYPES)
ORGANISATION_OTHER = "other"  # the engine's "I cannot find the organisation": sent as ...Other text only
AGE_UNKNOWN = "unknown"

# The FHIR type each kind of answer is written as, and the types read (the first is the one written).
CODE_TYPES = ("Code", "String")
READ_TYPES: dict[Kind, tuple[str, ...]] = {
    Kind.SINGLE_CHOICE: CODE_TYPES,
    Kind.MULTIPLE_CHOICE: CODE_TYPES,
    Kind.SELECT: CODE_TYPES,
    Kind.TEXT: ("String",),
    Kind.DATE: ("Date", "DateTime"),
    Kind.MONTH_YEAR: ("String", "Date"),
    Kind.TIME: ("Time", "String"),
    Kind.NUMBER: ("Integer",),
    Kind.AGE: ("Integer", "Code"),
    Kind.ORGANISATION: ("Code", "String"),
    Kind.REFERENCE: ("String",),
}
# FHIR primitive types (as in value[x]) and what their JSON value must be.
JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "String": str,
    "Code": str,
    "Date": str,
    "DateTime": str,
    "Time": str,
    "Uri": str,
    "Id": str,
    "Markdown": str,
    "Instant": str,
    "Integer": int,
    "PositiveInt": int,
    "UnsignedInt": int,
    "Decimal": (int, float),
    "Boolean": bool,
}


class PlacementError(ValueError):
    pass


@dataclass(frozen=True)
class ExtensionSpec:
    """One taxonomy extension: which resource carries it and which questions it answers."""

    name: str  # "patient-information"
    resource: str  # "Patient"
    title: str
    questions: tuple[str, ...]  # page questions in question-set order (their reveals travel with them)
    accepted: Mapping[str, str]  # sub-extensions that are not answers: name -> FHIR type
    repeats: str | None = None  # the repeated group (one extension per item), e.g. "patients"
    # Answers of another question-set document ("statutory": the record's StatutoryRequirements),
    # not of the recorder's questionnaire; None for the recorder's.
    question_set: str | None = None
    # Properties that now belong to another extension but are still read here, with a warning, for
    # clients built against the earlier placement (WentWell in adverse-event-went-well).
    moved: tuple[str, ...] = ()
    types: Mapping[str, str] = field(default_factory=dict)  # question id -> national FHIR type

    def national_type(self, question: Question) -> str | None:
        """The FHIR type the national taxonomy gives a property when it is not the kind's usual one:
        the governance extension's yes/no questions and v6's people factors are booleans (stored as
        "y"/"n"), v6's dm+d codes are codes (stored as text)."""
        if question.id in self.types:
            return self.types[question.id]
        if self.question_set and question.kind == Kind.SINGLE_CHOICE and set(question.codes) == {"y", "n"}:
            return "Boolean"
        return None


@dataclass(frozen=True)
class Placements:
    version: str
    profile: str  # "patient-safety-adverse-event"
    description: str
    elements: Mapping[str, str]  # question id -> AdverseEvent element, or "Device.manufacturer"
    not_sent: frozenset[str]
    extensions: tuple[ExtensionSpec, ...]
    value_set_names: Mapping[str, str]
    value_set_aliases: Mapping[str, str] = field(default_factory=dict)  # earlier id -> national id
    # AdverseEvent elements read as an answer placed elsewhere (v6: `description` -> Description)
    read_also: Mapping[str, str] = field(default_factory=dict)
    # value set name -> code -> the national display, where the form's label is worded differently
    displays: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    _by_question: dict[str, ExtensionSpec] = field(default_factory=dict, compare=False, repr=False)

    @property
    def profile_id(self) -> str:
        return f"{self.profile}-{self.version}"

    @property
    def fhir_release(self) -> str:
        """ "R4" when the event type travels in R4's `event` (version 6), else "STU3" (versions 4, 5)."""
        return "R4" if self.elements.get("EventType") == "event" else "STU3"

    def extension(self, name: str) -> ExtensionSpec | None:
        return next((spec for spec in self.extensions if spec.name == name), None)

    def extension_of(self, question_id: str) -> ExtensionSpec | None:
        """The extension carrying an answer (a reveal's is its parent's); None for elements."""
        return self._by_question.get(question_id)

    def display(self, value_set_name: str, code: str, label: str) -> str:
        """A code's display on the taxonomy resources: the national one, else the form's label."""
        return self.displays.get(value_set_name, {}).get(code, label)

    def other_question_set(self, name: str) -> QuestionSet:
        """The question set of an extension answering another document ("statutory")."""
        return load_question_set(latest_version(name), name)

    def question_set_of(self, spec: ExtensionSpec, recorder: QuestionSet) -> QuestionSet:
        return self.other_question_set(spec.question_set) if spec.question_set else recorder

    def element_of(self, question_id: str) -> str | None:
        return self.elements.get(question_id)

    def value_set_name(self, question: Question) -> str | None:
        """The ValueSet (and CodeSystem) id, without the version, for a coded question."""
        if question.kind not in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.SELECT):
            return None
        if question.id in self.value_set_names:
            return self.value_set_names[question.id]
        return question.code_list or kebab(question.id)


def kebab(name: str) -> str:
    """PhysicalHarm -> physical-harm, ITSystemsInvolvementFactors -> it-systems-involvement-factors."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name)
    return spaced.lower()


def extension_url(base: str, name: str, version: str) -> str:
    return f"{base}/taxonomy/fhir/StructureDefinition/{name}-{version}"


def read_types(question: Question) -> tuple[str, ...]:
    types = READ_TYPES[question.kind]
    if question.kind == Kind.SINGLE_CHOICE and {"y", "n"} <= set(question.codes):
        types = (*types, "Boolean")  # yes/no questions: valueBoolean true/false reads as "y"/"n"
    return types


@functools.cache
def placements(version: str) -> Placements:
    """The checked placements of a shipped question-set version (cached: immutable)."""
    return parse_placements(placements_document(version), load_question_set(version))


def placements_document(version: str) -> dict:
    """The placements document of a version, a derived one (`derived_from`) completed from its base:
    the base's extensions with the recorded `changes`, its own `elements`, `read_also`, `version` and
    `description`, and its `value_sets` added to the base's."""
    path = PLACEMENTS_DIR / f"v{version}.yaml"
    if not path.exists():
        raise LookupError(f"no FHIR placements for question set version {version!r}")
    document = read_yaml(path)
    if "derived_from" not in document:
        return document
    derived = copy.deepcopy(placements_document(str(document["derived_from"])))
    for key in ("version", "description", "elements", "read_also", "not_sent"):
        if key in document:
            derived[key] = copy.deepcopy(document[key])
    derived["value_sets"] = {**(derived.get("value_sets") or {}), **(document.get("value_sets") or {})}
    extensions = derived["extensions"]
    problems = []
    for number, change in enumerate(document.get("changes") or (), start=1):
        names = [raw["name"] for raw in extensions]
        if not str(change.get("reason") or "").strip():
            problems.append(f"change {number} needs a reason")
        elif "add_extension" in change:
            position = names.index(change["before"]) if change.get("before") in names else len(names)
            extensions.insert(position, copy.deepcopy(change["add_extension"]))
        elif change.get("extension") in names:
            extensions[names.index(change["extension"])].update(copy.deepcopy(change["set"]))
        else:
            problems.append(f"change {number}: no extension {change.get('extension')!r} to change")
    if problems:
        raise PlacementError(f"placements for version {version}: " + "; ".join(problems))
    return derived


def parse_placements(document: Mapping, question_set: QuestionSet) -> Placements:
    problems: list[str] = []
    sections = {section.id: section for section in question_set.sections}
    claimed_by_section: dict[str, str] = {}
    claimed_by_question: dict[str, str] = {}
    raw_extensions = document.get("extensions") or []
    for raw in raw_extensions:
        if raw.get("question_set"):
            continue  # another document's questions: claimed below, all of them
        for section_id in raw.get("sections") or ():
            if section_id not in sections:
                problems.append(f"{raw['name']}: unknown section {section_id!r}")
                continue
            for question in sections[section_id].questions:
                claimed_by_section[question.id] = raw["name"]
        for question_id in raw.get("questions") or ():
            if not question_set.has_question(question_id):
                problems.append(f"{raw['name']}: unknown question {question_id!r}")
            elif question_id in claimed_by_question:
                problems.append(f"{question_id} is claimed by two extensions")
            claimed_by_question[question_id] = raw["name"]
    elements = dict(document.get("elements") or {})
    not_sent = frozenset(document.get("not_sent") or ())
    owner = {**claimed_by_section, **claimed_by_question}
    for question_id in (*elements, *not_sent):
        owner.pop(question_id, None)
    by_question: dict[str, ExtensionSpec] = {}
    extensions = []
    for raw in raw_extensions:
        name = raw["name"]
        other = raw.get("question_set")
        if other:
            questions = tuple(q.id for q in load_question_set(latest_version(other), other).all_questions())
            clashes = [qid for qid in questions if question_set.has_question(qid)]
            if clashes:
                problems.append(f"{name}: {clashes} are also questions of the recorder's question set")
        else:
            questions = tuple(q.id for q in question_set.questions() if owner.get(q.id) == name)
        moved = tuple(raw.get("moved") or ())
        for question_id in moved:
            if owner.get(question_id) in (None, name):
                problems.append(f"{name}: moved {question_id!r} must belong to another extension")
        spec = ExtensionSpec(
            name=name,
            resource=raw.get("resource", "AdverseEvent"),
            title=str(raw.get("title") or name),
            questions=questions,
            accepted=MappingProxyType(dict(raw.get("accepted") or {})),
            repeats=raw.get("repeats"),
            question_set=other,
            moved=moved,
            types=MappingProxyType(dict(raw.get("types") or {})),
        )
        if spec.resource not in RESOURCE_TYPES:
            problems.append(f"{name}: unknown resource {spec.resource!r}")
        extensions.append(spec)
        if other:
            by_question.update(dict.fromkeys(questions, spec))
            continue
        for question_id in questions:
            question = question_set.question(question_id)
            for key in (question.id, *(reveal.id for reveal in question.reveals)):
                by_question[key] = spec
    for question in question_set.questions():
        places = [question.id in elements, question.id in not_sent, question.id in owner]
        if sum(places) != 1:
            problems.append(f"{question.id} must have exactly one place (element, not_sent or extension)")
        if question.group and question.id in owner:
            spec = by_question[question.id]
            if spec.repeats != question.group:
                problems.append(f"{question.id} is in group {question.group} but {spec.name} does not repeat")
    if problems:
        raise PlacementError(f"placements for version {question_set.version}: " + "; ".join(problems))
    return Placements(
        version=str(document.get("version") or question_set.version),
        profile=str(document["profile"]),
        description=" ".join(str(document.get("description") or "").split()),
        elements=MappingProxyType(elements),
        not_sent=not_sent,
        extensions=tuple(extensions),
        value_set_names=MappingProxyType(dict(document.get("value_sets") or {})),
        value_set_aliases=MappingProxyType(dict(document.get("value_set_aliases") or {})),
        read_also=MappingProxyType(dict(document.get("read_also") or {})),
        displays=MappingProxyType(
            {
                name: MappingProxyType({str(k): str(v) for k, v in codes.items()})
                for name, codes in (document.get("displays") or {}).items()
            }
        ),
        _by_question=by_question,
    )
