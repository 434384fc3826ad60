"""Reading the response pages' forms: GOV.UK date inputs and lists of reference numbers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

_REFERENCE = re.compile(r"\d{3}-?\d{3}-?\d{3}")


def date_from(
    data: Mapping[str, str], name: str, label: str
) -> tuple[dt.date | None, str | None, dict[str, str]]:
    """(date, message, typed) from `name-day`, `name-month`, `name-year`; (None, None, typed) when empty."""
    typed = {part: (data.get(f"{name}-{part}") or "").strip() for part in ("day", "month", "year")}
    if not any(typed.values()):
        return None, None, typed
    missing = [part for part, value in typed.items() if not value]
    if missing:
        return None, f"{label} must include a {' and '.join(missing)}", typed
    if not all(value.isdecimal() for value in typed.values()) or len(typed["year"]) != 4:
        return None, f"{label} must be a real date", typed
    try:
        return dt.date(int(typed["year"]), int(typed["month"]), int(typed["day"])), None, typed
    except ValueError:
        return None, f"{label} must be a real date", typed


def date_typed(value: dt.date | None) -> dict[str, str]:
    if value is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


def references_from(text: str) -> tuple[list[str], list[str]]:
    """Reference numbers (digits only) from free typing; and the words that are not references."""
    found, wrong = [], []
    for word in re.split(r"[\s,;]+", text or ""):
        if not word:
            continue
        if _REFERENCE.fullmatch(word):
            found.append(word.replace("-", ""))
        else:
            wrong.append(word)
    return found, wrong


# -- list filters (GET forms: the values stay in the form, a bad value gets a message) ---------------
@dataclass(frozen=True)
class Filters:
    values: dict[str, str]  # what the form shows, as typed (a bad value too)
    applied: dict[str, str]  # the valid ones, what the list is filtered by
    errors: dict[str, str]

    def query(self, scope_params: Mapping[str, str]) -> str:
        """The query-string prefix the pagination links keep (ends in "&", or empty)."""
        kept = {**{k: v for k, v in scope_params.items() if v}, **self.applied}
        return urlencode(kept) + "&" if kept else ""


def _choose(
    query: Mapping[str, str], name: str, allowed: Iterable[str], message: str, filters: Filters
) -> None:
    value = (query.get(name) or "").strip()
    filters.values[name] = value
    if not value:
        return
    if value in allowed:
        filters.applied[name] = value
    else:
        filters.errors[name] = message


def response_filters(query: Mapping[str, str], kinds: Iterable[str], statuses: Iterable[str]) -> Filters:
    """The response list's filters: its type and its status."""
    filters = Filters({}, {}, {})
    _choose(query, "kind", tuple(kinds), "Select a type of response from the list", filters)
    _choose(query, "status", tuple(statuses), "Select a status from the list", filters)
    return filters


OVERDUE = "overdue"


def register_filters(query: Mapping[str, str], statuses: Iterable[str]) -> Filters:
    """The register's filter: a status, or "overdue" (open actions past their due date). The older
    `?overdue=1` still means overdue."""
    if query.get("overdue") == "1" and not query.get("status"):
        query = {**query, "status": OVERDUE}
    filters = Filters({}, {}, {})
    _choose(query, "status", (*statuses, OVERDUE), "Select a status from the list", filters)
    if query.get("overdue") not in (None, "", "1"):
        filters.errors["status"] = "Select a status from the list"
    return filters


def scope_params(query: Mapping[str, str]) -> dict[str, str]:
    return {name: query.get(name, "") for name in ("organisation", "scope")}
