"""How stored answers read on "Review your answers": labels not codes, GOV.UK dates and times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .conditions import is_answered, selected_codes
from .model import Kind, Question

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

DAYS_IN_YEAR = 372  # taxonomy §2.6: a year is stored as 372 days
DAYS_IN_MONTH = 31  # and a month as 31
DAYS_IN_WEEK = 7


def answer_lines(
    question: Question,
    value: Any,
    scope: Mapping[str, Any],
    organisation_name: Callable[[str], str | None] | None = None,
) -> tuple[str, ...]:
    """Display lines for an answer and its reveals; empty when unanswered."""
    if not is_answered(value):
        return ()
    if question.kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.SELECT):
        return tuple(_option_line(question, code, scope) for code in selected_codes(value))
    if isinstance(value, str) and question.option(value):  # an escape answer: "I don't know"
        return (_option_line(question, value, scope),)
    if question.kind == Kind.DATE:
        return (format_date(value),)
    if question.kind == Kind.MONTH_YEAR:
        return (format_month_year(value),)
    if question.kind == Kind.TIME:
        return (format_time(value),)
    if question.kind == Kind.AGE:
        return (format_age(value),)
    if question.kind == Kind.ORGANISATION:
        name = organisation_name(value) if organisation_name else None
        return (f"{name} ({value})" if name else str(value),)
    return tuple(str(value).splitlines()) or (str(value),)


def _option_line(question: Question, code: str, scope: Mapping[str, Any]) -> str:
    option = question.option(code)
    label = option.label if option else code
    details = [scope.get(reveal.id) for reveal in question.reveals_for((code,))]
    details = [str(detail) for detail in details if is_answered(detail)]
    return f"{label}: {details[0]}" if details else label


def format_date(value: str) -> str:
    """'1984-09-02' → '2 September 1984'."""
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_month_year(value: str) -> str:
    """'1984-09' → 'September 1984'."""
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return f"{MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return str(value)


def format_time(value: str) -> str:
    """'17:05' → '5:05pm'; '12:00' → 'midday'; '00:00' → 'midnight' (GOV.UK style)."""
    try:
        hours, minutes = (int(part) for part in str(value).split(":"))
    except ValueError:
        return str(value)
    if (hours, minutes) == (12, 0):
        return "midday"
    if (hours, minutes) == (0, 0):
        return "midnight"
    suffix = "am" if hours < 12 else "pm"
    return f"{(hours % 12) or 12}:{minutes:02d}{suffix}"


def age_parts(days: int) -> tuple[int, str]:
    """Stored days back to the unit a recorder would have used: (50, 'years'), (2, 'weeks')."""
    if days >= DAYS_IN_YEAR and days % DAYS_IN_YEAR == 0:
        return days // DAYS_IN_YEAR, "years"
    if days >= DAYS_IN_MONTH and days % DAYS_IN_MONTH == 0:
        return days // DAYS_IN_MONTH, "months"
    if days < DAYS_IN_MONTH and days % DAYS_IN_WEEK == 0:
        return days // DAYS_IN_WEEK, "weeks"
    return days, "days"


def format_age(days: Any) -> str:
    """18600 → '50 years'; 62 → '2 months'; 14 → '2 weeks'; 1 → '1 day'."""
    if not isinstance(days, int):
        return str(days)
    number, unit = age_parts(days)
    return f"{number} {unit[:-1] if number == 1 else unit}"
