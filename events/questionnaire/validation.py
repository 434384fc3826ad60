"""Turn submitted form strings into typed answers, with specific GOV.UK-style error messages.

`validate_answer(question, data)` reads the form fields of one page (the question and its reveals)
and returns a `PageResult`: the typed `values` to store, or `errors` to show with what was typed
(`data`). `form_data(question, scope)` does the reverse, to fill a form from stored answers.

Form field names (what the web form posts, and what an API adapter builds):
    choices, text, time, number, organisation, reference: "<id>" (checkboxes: a list)
    date: "<id>-day", "<id>-month", "<id>-year"        month and year: "<id>-month", "<id>-year"
    age: "<id>-value" and "<id>-unit" (years, months, weeks, days, or an escape code)
    reveals ("Other" boxes): "<reveal id>"
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .display import DAYS_IN_MONTH, DAYS_IN_WEEK, DAYS_IN_YEAR, MONTHS, age_parts
from .model import EventType, Kind, Question

# Age units: days per unit and the range a recorder may enter in it (taxonomy §2.6 allows
# 1-30 days, then whole months up to 11, then whole years up to 74,028 days).
AGE_UNITS: dict[str, tuple[int, int, int]] = {
    "years": (DAYS_IN_YEAR, 1, 74028 // DAYS_IN_YEAR),
    "months": (DAYS_IN_MONTH, 1, 11),
    "weeks": (DAYS_IN_WEEK, 1, 4),
    "days": (1, 1, 30),
}
_NEXT_UNIT = {"months": "years", "weeks": "months", "days": "months"}
_ODS = re.compile(r"^(?:[A-Z0-9]{3}|[A-Z0-9]{5,7})$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


@dataclass(frozen=True)
class FieldError:
    key: str  # the answer key the message is about (question or reveal id)
    message: str
    field: str  # the form field the error summary links to ("EventDate-day")


@dataclass(frozen=True)
class PageResult:
    values: dict[str, Any]  # typed answers to store (empty when there are errors)
    errors: tuple[FieldError, ...]
    data: dict[str, Any] = field(default_factory=dict)  # what was submitted, to show it again

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self) -> dict[str, str]:
        return {error.key: error.message for error in self.errors}


class _Invalid(Exception):
    def __init__(self, message: str, field: str):
        self.message, self.field = message, field


def validate_answer(
    question: Question,
    data: Mapping[str, Any],
    *,
    event_type: EventType | None = None,
    today: dt.date | None = None,
) -> PageResult:
    """Validate one page's fields: the question, then the reveals its answer opens."""
    reader = _Reader(data)
    submitted = submitted_fields(question, data)
    today = today or dt.date.today()
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    try:
        values[question.id] = _parse(question, reader, event_type, today)
    except _Invalid as invalid:
        errors.append(FieldError(question.id, invalid.message, invalid.field))
    else:
        chosen = _codes_of(values[question.id])
        for reveal in question.reveals_for(chosen):
            try:
                values[reveal.id] = _parse(reveal, reader, event_type, today)
            except _Invalid as invalid:
                errors.append(FieldError(reveal.id, invalid.message, invalid.field))
    return PageResult(values={} if errors else values, errors=tuple(errors), data=submitted)


def submitted_fields(question: Question, data: Mapping[str, Any]) -> dict[str, Any]:
    """A page's form fields as typed (checkboxes a list, the rest a string), to show them again."""
    reader = _Reader(data)
    many = question.kind == Kind.MULTIPLE_CHOICE
    return {name: reader.raw(name, many=many and name == question.id) for name in _field_names(question)}


def form_data(question: Question, scope: Mapping[str, Any]) -> dict[str, Any]:
    """Form field values for stored answers (the inverse of `validate_answer`)."""
    value = scope.get(question.id)
    fields: dict[str, Any] = {}
    qid = question.id
    if value is None:
        pass
    elif question.kind == Kind.DATE:
        year, month, day = str(value).split("-")
        fields.update({f"{qid}-day": str(int(day)), f"{qid}-month": str(int(month)), f"{qid}-year": year})
    elif question.kind == Kind.MONTH_YEAR:
        year, month = str(value).split("-")
        fields.update({f"{qid}-month": str(int(month)), f"{qid}-year": year})
    elif question.kind == Kind.AGE:
        if isinstance(value, int):
            number, unit = age_parts(value)
            fields.update({f"{qid}-value": str(number), f"{qid}-unit": unit})
        else:
            fields[f"{qid}-unit"] = str(value)
    elif question.kind == Kind.MULTIPLE_CHOICE:
        fields[qid] = list(value)
    else:
        fields[qid] = str(value)
    for reveal in question.reveals:
        if scope.get(reveal.id) is not None:
            fields[reveal.id] = str(scope[reveal.id])
    return fields


def days_from_age(value: int, unit: str) -> int:
    """An age in a unit as stored days: years × 372, months × 31, weeks × 7 (taxonomy §2.6)."""
    return value * AGE_UNITS[unit][0]


# -- parsing -------------------------------------------------------------------------------------
class _Reader:
    """Reads single values and lists from a plain dict or a QueryDict-like object."""

    def __init__(self, data: Mapping[str, Any]):
        self.data = data

    def raw(self, name: str, *, many: bool) -> str | list[str]:
        """A field as typed: a list for checkboxes, otherwise the string ("" when missing)."""
        if many:
            return self.list(name)
        getlist = getattr(self.data, "getlist", None)
        raw = getlist(name) if getlist else self.data.get(name)
        if isinstance(raw, list | tuple):
            raw = raw[-1] if raw else None
        return "" if raw is None else str(raw)

    def text(self, name: str) -> str:
        values = self.list(name)
        return values[-1].strip() if values else ""

    def list(self, name: str) -> list[str]:
        getlist = getattr(self.data, "getlist", None)
        raw = getlist(name) if getlist else self.data.get(name)
        if raw is None:
            return []
        items = raw if isinstance(raw, list | tuple) else [raw]
        return [str(item) for item in items if str(item).strip()]


def _field_names(question: Question) -> list[str]:
    qid = question.id
    parts = {
        Kind.DATE: [f"{qid}-day", f"{qid}-month", f"{qid}-year"],
        Kind.MONTH_YEAR: [f"{qid}-month", f"{qid}-year"],
        Kind.AGE: [f"{qid}-value", f"{qid}-unit"],
    }.get(question.kind, [qid])
    return parts + [reveal.id for reveal in question.reveals]


def _codes_of(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(value)
    return (value,) if isinstance(value, str) else ()


def _parse(question: Question, reader: _Reader, event_type: EventType | None, today: dt.date) -> Any:
    messages = _Messages(question, event_type)
    parser = _PARSERS[question.kind]
    return parser(question, reader, messages, today)


class _Messages:
    def __init__(self, question: Question, event_type: EventType | None):
        self.question = question
        self.optional = question.is_optional(event_type)
        self.required = question.error.render(event_type) if question.error else "Enter an answer"
        default_name = "Details" if question.reveal_of else "Your answer"
        self.name = question.name.render(event_type) if question.name else default_name

    def missing(self, field: str) -> None:
        """Unanswered: None for an optional question, else the question's own message."""
        if self.optional:
            return None
        raise _Invalid(self.required, field)


def _single(question, reader, messages, today):
    value = reader.text(question.id)
    if not value:
        return messages.missing(question.id)
    if value not in question.codes:
        raise _Invalid(messages.required, question.id)
    return value


def _multiple(question, reader, messages, today):
    chosen = set(reader.list(question.id))
    if not chosen:
        return messages.missing(question.id)
    if chosen - set(question.codes):
        raise _Invalid(messages.required, question.id)
    for code in sorted(chosen & question.exclusive):
        if len(chosen) > 1:
            label = question.option(code).label
            raise _Invalid(f"Select ‘{label}’ on its own, or choose other answers", question.id)
    return [code for code in question.codes if code in chosen]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(question, reader, messages, today):
    # Control characters (other than line breaks and tabs) carry no meaning in a narrative and some
    # cannot be stored in PostgreSQL's JSON: they are dropped.
    value = _CONTROL.sub("", reader.text(question.id).replace("\r\n", "\n"))
    if not value:
        return messages.missing(question.id)
    if question.max_length and len(value) > question.max_length:
        raise _Invalid(f"{messages.name} must be {question.max_length:,} characters or less", question.id)
    return value


def _date(question, reader, messages, today):
    qid = question.id
    parts = {part: reader.text(f"{qid}-{part}") for part in ("day", "month", "year")}
    if not any(parts.values()):
        return messages.missing(f"{qid}-day")
    missing = [part for part in ("day", "month", "year") if not parts[part]]
    if missing:
        raise _Invalid(f"{messages.name} must include a {' and '.join(missing)}", f"{qid}-{missing[0]}")
    month = _month_number(parts["month"])
    if not (parts["day"].isdecimal() and month and parts["year"].isdecimal()):
        field = "day" if not parts["day"].isdecimal() else "month" if not month else "year"
        raise _Invalid(f"{messages.name} must be a real date", f"{qid}-{field}")
    if len(parts["year"]) != 4:
        raise _Invalid("Year must include 4 numbers", f"{qid}-year")
    try:
        value = dt.date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        raise _Invalid(f"{messages.name} must be a real date", f"{qid}-day") from None
    if question.past_only and value > today:
        raise _Invalid(f"{messages.name} must be today or in the past", f"{qid}-day")
    return value.isoformat()


def _month_year(question, reader, messages, today):
    qid = question.id
    month_text, year_text = reader.text(f"{qid}-month"), reader.text(f"{qid}-year")
    if not month_text and not year_text:
        return messages.missing(f"{qid}-month")
    if not month_text or not year_text:
        part = "month" if not month_text else "year"
        raise _Invalid(f"{messages.name} must include a {part}", f"{qid}-{part}")
    month = _month_number(month_text)
    if not month:
        raise _Invalid(f"{messages.name} must be a real month and year", f"{qid}-month")
    if not (year_text.isdecimal() and len(year_text) == 4):
        raise _Invalid("Year must include 4 numbers", f"{qid}-year")
    if question.past_only and (int(year_text), month) > (today.year, today.month):
        raise _Invalid(f"{messages.name} must be this month or in the past", f"{qid}-month")
    return f"{int(year_text):04d}-{month:02d}"


def _time(question, reader, messages, today):
    value = reader.text(question.id).lower().replace(" ", "")
    if not value:
        return messages.missing(question.id)
    match = _TIME.match(value)
    if not match or (match.group(2) is None and match.group(3) is None):
        raise _Invalid("Enter the time in the correct format, like 09:30 or 17:05", question.id)
    hours, minutes, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hours <= 12:
            raise _Invalid(f"{messages.name} must be a real time", question.id)
        hours = hours % 12 + (12 if half == "pm" else 0)
    if hours > 23 or minutes > 59:
        raise _Invalid(f"{messages.name} must be a real time", question.id)
    return f"{hours:02d}:{minutes:02d}"


def _number(question, reader, messages, today):
    text = reader.text(question.id).replace(",", "")
    if not text:
        return messages.missing(question.id)
    if not re.fullmatch(r"-?\d+", text):
        raise _Invalid(f"{messages.name} must be a whole number", question.id)
    value = int(text)
    low, high = question.minimum, question.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            message = f"{messages.name} must be between {low:,} and {high:,}"
        elif low is not None:
            message = f"{messages.name} must be {low:,} or more"
        else:
            message = f"{messages.name} must be {high:,} or less"
        raise _Invalid(message, question.id)
    return value


def _age(question, reader, messages, today):
    qid = question.id
    unit, text = reader.text(f"{qid}-unit"), reader.text(f"{qid}-value").replace(",", "")
    if unit in question.codes:  # an escape answer such as "I don't know"
        return unit
    if not unit and not text:
        return messages.missing(f"{qid}-value")
    if unit not in AGE_UNITS:
        raise _Invalid("Select whether the age is in years, months, weeks or days", f"{qid}-unit")
    if not text:
        raise _Invalid(f"Enter the age in {unit}", f"{qid}-value")
    if not text.isdecimal():
        raise _Invalid(f"{messages.name} must be a whole number", f"{qid}-value")
    _, low, high = AGE_UNITS[unit]
    if not low <= int(text) <= high:
        message = f"Age in {unit} must be between {low} and {high}"
        if unit in _NEXT_UNIT:
            message += f". For {high + 1} {unit} or more, enter the age in {_NEXT_UNIT[unit]}"
        raise _Invalid(message, f"{qid}-value")
    return days_from_age(int(text), unit)


def _organisation(question, reader, messages, today):
    value = reader.text(question.id)
    if not value:
        return messages.missing(question.id)
    if value in question.codes:  # "I cannot find the organisation"
        return value
    code = value.upper()
    if not _ODS.match(code):
        raise _Invalid("Enter an ODS code in the correct format, like RJ1 or A81001", question.id)
    return code


def _reference(question, reader, messages, today):
    value = reader.text(question.id)
    if not value:
        return messages.missing(question.id)
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{9}", digits):
        raise _Invalid(
            f"Enter the {messages.name.lower()} in the correct format, like 146-925-633", question.id
        )
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def _month_number(text: str) -> int | None:
    """1-12 from '3', '03', 'mar' or 'March'."""
    if text.isdecimal():
        return int(text) if 1 <= int(text) <= 12 else None
    lowered = text.lower()
    for number, name in enumerate(MONTHS, start=1):
        if len(lowered) >= 3 and name.lower().startswith(lowered):
            return number
    return None


_PARSERS = {
    Kind.SINGLE_CHOICE: _single,
    Kind.SELECT: _single,
    Kind.MULTIPLE_CHOICE: _multiple,
    Kind.TEXT: _text,
    Kind.DATE: _date,
    Kind.MONTH_YEAR: _month_year,
    Kind.TIME: _time,
    Kind.NUMBER: _number,
    Kind.AGE: _age,
    Kind.ORGANISATION: _organisation,
    Kind.REFERENCE: _reference,
}
