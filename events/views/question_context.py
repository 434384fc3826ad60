"""Template context for one question page: its fields, options, reveals and errors."""

from dataclasses import dataclass, field
from typing import Any

from events.questionnaire import AGE_UNITS, FieldError, Journey, Kind, Page, Question
from organisations.models import Organisation
from organisations.selectors import organisation_by_code

from .organisation_answers import search_field

TEMPLATES = {
    Kind.SINGLE_CHOICE: "radios",
    Kind.MULTIPLE_CHOICE: "checkboxes",
    Kind.SELECT: "select",
    Kind.TEXT: "text",
    Kind.DATE: "date",
    Kind.MONTH_YEAR: "date",
    Kind.TIME: "input",
    Kind.NUMBER: "input",
    Kind.REFERENCE: "input",
    Kind.AGE: "age",
    Kind.ORGANISATION: "organisation",
}
SELECT_ALL = "Select all that apply"
HINTS = {
    Kind.TIME: "Use the 24-hour clock, for example 14:30",
    Kind.REFERENCE: "For example, 146-925-633",
}


@dataclass
class Reveal:
    id: str
    label: str
    hint: str
    value: str
    error: str | None
    multiline: bool
    max_length: int | None


@dataclass
class Choice:
    code: str
    label: str
    hint: str
    id: str
    checked: bool
    exclusive: bool = False
    reveals: list[Reveal] = field(default_factory=list)


def _reveal(question: Question, data: dict[str, Any], errors: dict[str, str], event_type) -> Reveal:
    return Reveal(
        id=question.id,
        label=question.text.render(event_type),
        hint=question.hint.render(event_type) if question.hint else "",
        value=str(data.get(question.id) or ""),
        error=errors.get(question.id),
        multiline=question.multiline or (question.max_length or 0) > 500,
        max_length=question.max_length,
    )


def _choices(page: Page, data: dict[str, Any], errors: dict[str, str]) -> list[Choice]:
    question = page.question
    raw = data.get(question.id)
    selected = set(raw) if isinstance(raw, list) else {raw} if raw else set()
    choices = []
    for index, option in enumerate(question.options):
        reveals = [
            _reveal(reveal, data, errors, page.event_type)
            for reveal in question.reveals
            if reveal.opened_by == option.code
        ]
        choices.append(
            Choice(
                code=option.code,
                label=option.label,
                hint=option.hint,
                id=question.id if index == 0 else f"{question.id}-{index + 1}",
                checked=option.code in selected,
                exclusive=option.code in question.exclusive,
                reveals=reveals,
            )
        )
    return choices


def _hint(page: Page) -> str:
    """The page's hint; checkboxes always say "Select all that apply", once (most hints in the
    question set already start with it)."""
    hint = page.hint or HINTS.get(page.question.kind, "")
    if page.question.kind == Kind.MULTIPLE_CHOICE and not hint.startswith(SELECT_ALL):
        return f"{hint} {SELECT_ALL}." if hint else f"{SELECT_ALL}."
    return hint


def _search_value(question: Question, data: dict[str, Any]) -> str:
    if data.get(search_field(question)):
        return data[search_field(question)]
    answer = data.get(question.id) or ""
    return "" if answer in question.codes else answer


def question_page_context(
    journey: Journey,
    page: Page,
    data: dict[str, Any],
    field_errors: list[FieldError],
    organisation_matches: list[Organisation],
) -> dict[str, Any]:
    question = page.question
    errors = {error.key: error.message for error in field_errors}
    context: dict[str, Any] = {
        "journey": journey,
        "page": page,
        "question": question,
        "widget": f"events/questions/{TEMPLATES[question.kind]}.html",
        "heading": page.text + (" (Optional)" if page.optional else ""),
        "hint": _hint(page),
        "data": data,
        "value": data.get(question.id, ""),
        "error": errors.get(question.id),
        "errors": [(error.field, error.message) for error in field_errors],
        "choices": _choices(page, data, errors),
        "is_multiline": question.multiline or (question.max_length or 0) > 500,
        "search_field": search_field(question),
        "search_value": _search_value(question, data),
        "organisation_matches": organisation_matches,
        "input_width": {Kind.TIME: "5", Kind.NUMBER: "5", Kind.REFERENCE: "10"}.get(question.kind),
    }
    if question.kind in (Kind.DATE, Kind.MONTH_YEAR):
        parts = ("day", "month", "year") if question.kind == Kind.DATE else ("month", "year")
        context["date_parts"] = [
            {
                "name": f"{question.id}-{part}",
                "label": part.capitalize(),
                "value": data.get(f"{question.id}-{part}", ""),
                "width": "4" if part == "year" else "2",
            }
            for part in parts
        ]
    if question.kind == Kind.AGE:
        unit = data.get(f"{question.id}-unit", "")
        context["age_value"] = data.get(f"{question.id}-value", "")
        context["age_units"] = [
            {
                "code": code,
                "label": code.capitalize(),
                "checked": unit == code,
                "id": f"{question.id}-unit-{code}",
            }
            for code in AGE_UNITS
        ]
        context["age_escapes"] = [
            {
                "code": option.code,
                "label": option.label,
                "checked": unit == option.code,
                "id": f"{question.id}-unit-{option.code}",
            }
            for option in question.options
        ]
    if question.kind == Kind.ORGANISATION:
        code = data.get(question.id, "")
        current = organisation_by_code(code) if code and code not in question.codes else None
        context["organisation_current"] = current
        context["organisation_escape"] = context["choices"][0] if context["choices"] else None
    return context
