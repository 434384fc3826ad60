"""Learning response documents (SWARM, AAR, MDT, thematic review, PSII) through the one engine.

Each kind is a question-set document (`events/questionnaire/versions/<kind>-v<N>.yaml`) read by the
same engine as the recorder's and the statutory questions: its validation gives the messages, its
review gives what the response page shows. A response's document is asked on one page, every
question may be saved unanswered (work in progress), and the questions tagged `required` must be
answered before the response is completed or submitted for sign-off.

Pure Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from events.questionnaire import (
    Journey,
    Kind,
    PageResult,
    Question,
    QuestionSet,
    latest_version,
    load_question_set,
)

INCIDENT = "1"


def question_set_kinds() -> tuple[str, ...]:
    """The response kinds recorded as a document (the others are a decision alone)."""
    from events.questionnaire.model import RESPONSE_DOCUMENTS

    return RESPONSE_DOCUMENTS


REQUIRED_TAG = "required"


def version(kind: str) -> str:
    return latest_version(kind)


def question_set(kind: str, document_version: str | None = None) -> QuestionSet:
    return load_question_set(document_version or version(kind), kind)


def validate(kind: str, data: Mapping[str, Any]) -> PageResult:
    """The answers to store from the submitted form, or errors in question order (text too long)."""
    return Journey(question_set(kind), {}, event_type=INCIDENT).validate_all(data)


def missing_for_completion(
    kind: str, answers: Mapping[str, Any], document_version: str | None = None
) -> dict[str, str]:
    """Question id -> message for each `required` question left unanswered."""
    return {
        question.id: question.error.render(None)
        if question.error
        else f"Answer ‘{question.text.render(None)}’"
        for question in question_set(kind, document_version).questions()
        if REQUIRED_TAG in question.tags and not answers.get(question.id)
    }


def free_text(kind: str, answers: Mapping[str, Any], document_version: str | None = None) -> dict[str, str]:
    """The answers the redaction pipeline reads: every free-text question answered."""
    return {
        question.id: answers[question.id]
        for question in question_set(kind, document_version).questions()
        if question.free_text and isinstance(answers.get(question.id), str) and answers[question.id]
    }


@dataclass(frozen=True)
class FormQuestion:
    id: str
    text: str
    hint: str
    kind: str  # "text", "textarea" or "radios"
    value: str
    options: tuple[tuple[str, str, bool], ...]
    error: str | None
    max_length: int | None


@dataclass(frozen=True)
class FormSection:
    title: str
    questions: tuple[FormQuestion, ...]


def form_sections(
    kind: str, fields: Mapping[str, Any], errors: Mapping[str, str], document_version: str | None = None
) -> list[FormSection]:
    """Every question of the document by section, filled from `fields` (stored answers or what was
    typed), with its message when it has one."""
    sections = []
    for section in question_set(kind, document_version).sections:
        sections.append(
            FormSection(
                section.title.render(None),
                tuple(_form_question(q, fields, errors) for q in section.questions),
            )
        )
    return sections


def _form_question(question: Question, fields: Mapping[str, Any], errors: Mapping[str, str]) -> FormQuestion:
    value = fields.get(question.id)
    shown = ("textarea" if question.multiline else "text") if question.kind == Kind.TEXT else "radios"
    return FormQuestion(
        id=question.id,
        text=question.text.render(None),
        hint=question.hint.render(None) if question.hint else "",
        kind=shown,
        value="" if value is None else str(value),
        options=tuple((o.code, o.label, o.code == value) for o in question.options),
        error=errors.get(question.id),
        max_length=question.max_length,
    )


@dataclass(frozen=True)
class ReviewRow:
    key: str
    value: str


def review_sections(
    kind: str, answers: Mapping[str, Any] | None, document_version: str | None = None
) -> list[tuple[str, tuple[ReviewRow, ...]]]:
    """What the response page shows: every question, "Not answered" where empty."""
    answers = answers or {}
    shown = []
    for section in question_set(kind, document_version).sections:
        rows = []
        for question in section.questions:
            value = answers.get(question.id)
            if question.options and value is not None:
                option = question.option(str(value))
                value = option.label if option else value
            rows.append(ReviewRow(question.text.render(None), str(value) if value else "Not answered"))
        shown.append((section.title.render(None), tuple(rows)))
    return shown
