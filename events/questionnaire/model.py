"""The immutable objects a question set document is parsed into.

Nothing here knows about answers: `engine.Journey` walks these objects against a set of answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conditions import Condition


class Kind(StrEnum):
    """How a question is asked and what its stored answer looks like."""

    SINGLE_CHOICE = "single_choice"  # radios; answer: one code
    MULTIPLE_CHOICE = "multiple_choice"  # checkboxes; answer: list of codes in option order
    SELECT = "select"  # one code from a long list (specialty), shown as a searchable select
    TEXT = "text"  # answer: str
    DATE = "date"  # answer: "YYYY-MM-DD"
    MONTH_YEAR = "month_year"  # answer: "YYYY-MM"
    TIME = "time"  # answer: "HH:MM" (24-hour)
    NUMBER = "number"  # answer: int
    AGE = "age"  # answer: int days (taxonomy §2.6), or an escape code such as "unknown"
    ORGANISATION = "organisation"  # answer: ODS code, or an escape code such as "other"
    REFERENCE = "reference"  # answer: a record reference "NNN-NNN-NNN"


# The question sets the service ships, each a series of versioned documents (loader.py): what a
# recorder answers about an event, and what an organisation's admins answer later about a record.
RECORDER = "recorder"
STATUTORY = "statutory"
PATIENT = "patient"  # the plain-English form for patients, families and carers (events/patients)
# PSIRF learning responses (events/responses): what a response team records about its review.
RESPONSE_DOCUMENTS = ("swarm", "aar", "mdt", "thematic", "psii")
QUESTION_SETS_SHIPPED = (RECORDER, STATUTORY, PATIENT, *RESPONSE_DOCUMENTS)

CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.SELECT})
# Kinds whose answer is a free value but which may also offer a few coded escape answers
# ("I don't know the age", "I cannot find the organisation").
ESCAPE_KINDS = frozenset({Kind.AGE, Kind.ORGANISATION})


@dataclass(frozen=True)
class EventType:
    code: str  # the FHIR `event` code (CL001)
    key: str  # the name conditions and wording use: incident, outcome, risk, good_care
    name: str  # short name for lists: "Incident"
    noun: str  # fills {event} in wording: "incident", "poor outcome"
    label: str  # the radio label on "What do you want to record?"
    hint: str = ""


@dataclass(frozen=True)
class Wording:
    """Text that may differ by event type and may mention the event (`{event}`, `{Event}`)."""

    default: str
    overrides: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def render(self, event_type: EventType | None = None) -> str:
        text = self.overrides.get(event_type.key, self.default) if event_type else self.default
        noun = event_type.noun if event_type else "event"
        return text.replace("{event}", noun).replace("{Event}", noun[:1].upper() + noun[1:])

    def variants(self) -> Iterator[str]:
        yield self.default
        yield from self.overrides.values()


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Question:
    """One answer key. Top-level questions get a page each; reveals sit on their parent's page."""

    id: str
    kind: Kind
    text: Wording
    section_id: str
    short: Wording | None = None  # label on the review page when the question is long
    hint: Wording | None = None
    name: Wording | None = None  # starts error messages: "Description must be ..."
    error: Wording | None = None  # message when a required question is left unanswered
    optional: bool = False
    required_for: frozenset[str] = frozenset()  # event type keys for which an optional one is required
    event_types: frozenset[str] | None = None  # None: every event type its section applies to
    when: Condition | None = None
    options: tuple[Option, ...] = ()
    code_list: str | None = None
    exclusive: frozenset[str] = frozenset()  # codes that cannot be combined with others
    reveals: tuple[Question, ...] = ()
    reveal_of: str | None = None  # for a reveal: the parent question id
    opened_by: str | None = None  # for a reveal: the parent's option code that shows it
    group: str | None = None  # repeated group id (patients) the question belongs to
    free_text: bool = False  # typed prose the anonymisation pipeline redacts
    multiline: bool = False
    max_length: int | None = None
    past_only: bool = False
    minimum: int | None = None
    maximum: int | None = None
    question_code: str | None = None  # NHS England warehouse QuestionId, where known
    tags: frozenset[str] = frozenset()

    # Worked out once per question (a question set is loaded once per process and never changed): the
    # API's validation and the worker ask for them many times a record (docs/adr/0022).
    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)

    @cached_property
    def _options_by_code(self) -> dict[str, Option]:
        by_code: dict[str, Option] = {}
        for option in self.options:
            by_code.setdefault(option.code, option)  # the first of a code, as a search in order finds
        return by_code

    def option(self, code: str) -> Option | None:
        return self._options_by_code.get(code)

    def is_optional(self, event_type: EventType | None) -> bool:
        return self.optional and not (event_type and event_type.key in self.required_for)

    def review_label(self, event_type: EventType | None) -> str:
        return (self.short or self.text).render(event_type)

    def reveals_for(self, codes: Iterator[str] | tuple[str, ...] | list[str]) -> Iterator[Question]:
        chosen = set(codes)
        return (reveal for reveal in self.reveals if reveal.opened_by in chosen)


@dataclass(frozen=True)
class Repeat:
    """A section whose questions are asked once per item: patients 1..max_items."""

    group: str  # answers key holding the list of item dicts
    max_items: int
    item_label: str  # "Patient" → captions "Patient 1", "Patient 2"
    another: str  # the yes/no question ending each item; "y" opens the next item


@dataclass(frozen=True)
class Section:
    id: str
    title: Wording
    questions: tuple[Question, ...] = ()
    event_types: frozenset[str] | None = None
    when: Condition | None = None
    task_list: bool = True  # False for the event type page, which comes before the task list
    placeholder: bool = False  # a task-list row with no pages, always "Cannot start yet"
    repeat: Repeat | None = None


@dataclass(frozen=True)
class QuestionSet:
    version: str
    title: str
    event_types: tuple[EventType, ...]
    sections: tuple[Section, ...]
    code_lists: Mapping[str, tuple[Option, ...]]
    wording: Mapping[str, str]
    system_fields: tuple[str, ...] = ()
    name: str = RECORDER  # which question set this is a version of (RECORDER, STATUTORY)
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)
    # The two orders below, listed once (the set never changes after it is made).
    _questions: tuple[Question, ...] = field(init=False, default=(), repr=False, compare=False)
    _all_questions: tuple[Question, ...] = field(init=False, default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        questions = tuple(question for section in self.sections for question in section.questions)
        every = tuple(item for question in questions for item in (question, *question.reveals))
        object.__setattr__(self, "_questions", questions)
        object.__setattr__(self, "_all_questions", every)
        for question in every:
            self._by_id[question.id] = question

    def questions(self) -> Iterator[Question]:
        """Every question that has a page of its own, in route order."""
        return iter(self._questions)

    def all_questions(self) -> Iterator[Question]:
        """Every answer key: page questions followed by their reveals."""
        return iter(self._all_questions)

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    def section(self, section_id: str) -> Section:
        return next(section for section in self.sections if section.id == section_id)

    def event_type(self, code_or_key: str | None) -> EventType | None:
        return next((et for et in self.event_types if code_or_key in (et.code, et.key)), None)

    def free_text_ids(self) -> frozenset[str]:
        """Answer keys the anonymisation pipeline must redact (inside groups too)."""
        return self._free_text_ids

    @cached_property
    def _free_text_ids(self) -> frozenset[str]:
        return frozenset(q.id for q in self.all_questions() if q.free_text)

    def tagged(self, tag: str) -> tuple[Question, ...]:
        return tuple(q for q in self.all_questions() if tag in q.tags)

    def groups(self) -> dict[str, Repeat]:
        return {s.repeat.group: s.repeat for s in self.sections if s.repeat}
