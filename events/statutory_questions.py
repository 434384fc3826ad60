"""The statutory and national policy requirements of a record (taxonomy §2.13), through the engine.

The questions are a question-set document, `questionnaire/versions/statutory-v<N>.yaml`, read by the
same engine as the recorder's questionnaire: its conditions open the follow-ups, its validation
gives the messages, its review gives what the record page shows. What is particular to these
questions lives here: they are asked about a recorded event (the journey is told the record's type;
the document's sections apply to incidents), all on one page, by the organisation's admins, and
stored in `StatutoryRequirements` rows (docs/adr/0009, docs/adr/0015).

Pure Python: no Django here, so the form, the record page, the services and the CSV all read the
same document.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from events.questionnaire import (
    STATUTORY,
    Journey,
    Kind,
    PageResult,
    Question,
    QuestionSet,
    ReviewRow,
    ReviewSection,
    form_data,
    latest_version,
    load_question_set,
)

# The version new answers are checked against and stored with (StatutoryRequirements.version).
VERSION = latest_version(STATUTORY)


def question_set(version: str = VERSION) -> QuestionSet:
    return load_question_set(version, STATUTORY)


def journey(answers: Mapping[str, Any] | None, *, event_type: str, version: str = VERSION) -> Journey:
    """The questions as they stand for a record of this type (code) with these stored answers."""
    return Journey(question_set(version), answers or {}, event_type=event_type)


def applies_to(event_type: str | None) -> bool:
    """Whether the requirements are asked about records of this type: the document says (incidents)."""
    return event_type is not None and bool(journey({}, event_type=event_type).task_list())


def validate(data: Mapping[str, Any], *, event_type: str) -> PageResult:
    """The answers to store from the submitted form (`values`), or `errors` in question order.

    A follow-up is kept only when its question is "Yes", and is then required; every other question
    may be left unanswered, and is then absent from the answers."""
    return journey({}, event_type=event_type).validate_all(data)


def review_sections(
    answers: Mapping[str, Any] | None, *, event_type: str, version: str = VERSION
) -> list[tuple[ReviewSection, tuple[ReviewRow, ...]]]:
    """What the record page shows, by section: every question asked, "Not answered" where empty."""
    return [
        (section, section.rows)
        for section in journey(answers, event_type=event_type, version=version).review()
    ]


def csv_questions() -> tuple[Question, ...]:
    """The CSV's statutory columns, in document order: every question, follow-ups included."""
    return tuple(question_set().all_questions())


# -- the form ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormQuestion:
    """One question of the statutory form, ready for the template."""

    id: str
    text: str
    hint: str
    multiple: bool  # checkboxes rather than radios
    options: tuple[tuple[str, str, bool], ...]  # (code, label, checked)
    error: str | None
    follow_ups: tuple["FormQuestion", ...] = ()


@dataclass(frozen=True)
class FormSection:
    title: str
    questions: tuple[FormQuestion, ...]


def stored_fields(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form's fields filled from stored answers (the inverse of `validate`)."""
    answers = answers or {}
    fields: dict[str, Any] = {}
    for question in question_set().questions():
        fields.update(form_data(question, answers))
    return fields


def form_sections(
    fields: Mapping[str, Any], errors: Mapping[str, str], *, event_type: str
) -> list[FormSection]:
    """The form by section, every question shown (no script reveals, docs/adr/0009): a question that
    another one's answer opens (its condition reads that answer) sits under it as a follow-up.

    `fields` are the form's values (`stored_fields`, or what was typed: `PageResult.data`)."""
    event_type_of = question_set().event_type(event_type)
    sections = []
    for section in question_set().sections:
        if section.event_types is not None and (
            event_type_of is None or event_type_of.key not in section.event_types
        ):
            continue
        top: dict[str, FormQuestion] = {}
        follow_ups: dict[str, list[FormQuestion]] = {}
        for question in section.questions:
            opened_by = next((qid for qid, _ in question.when.references()), None) if question.when else None
            shown = _form_question(question, fields, errors, event_type_of)
            if opened_by in top:
                follow_ups.setdefault(opened_by, []).append(shown)
            else:
                top[question.id] = shown
        questions = tuple(
            replace(shown, follow_ups=tuple(follow_ups.get(qid, ()))) for qid, shown in top.items()
        )
        sections.append(FormSection(section.title.render(event_type_of), questions))
    return sections


def _form_question(question: Question, fields: Mapping[str, Any], errors: Mapping[str, str], event_type):
    value = fields.get(question.id)
    chosen = set(value) if isinstance(value, list | tuple) else {value}
    return FormQuestion(
        id=question.id,
        text=question.text.render(event_type),
        hint=question.hint.render(event_type) if question.hint else "",
        multiple=question.kind == Kind.MULTIPLE_CHOICE,
        options=tuple((option.code, option.label, option.code in chosen) for option in question.options),
        error=errors.get(question.id),
    )
