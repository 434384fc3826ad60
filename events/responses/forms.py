"""Reading the response pages' forms: GOV.UK date inputs and lists of reference numbers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

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
