"""Reads for the FHIR API. Which records a client may see is the read gate's rule
(events/visibility.py): the events sent through the API for its organisations and those below them,
by any of their keys. Here: searching them, and the client's own organisations."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from accounts.models import ApiClient
from events.models import Event
from events.visibility import events_visible_to
from organisations.models import Organisation

_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


class SearchError(ValueError):
    pass


def client_only_organisation(client: ApiClient) -> Organisation | None:
    """The client's organisation when it has exactly one: whom it submits for when a submission
    does not say."""
    own = list(client.organisations.all()[:2])
    return own[0] if len(own) == 1 else None


def events_last_updated(client: ApiClient, conditions: list[str]) -> QuerySet[Event]:
    """The client's events filtered by `_lastUpdated` values such as "gt2025-03-01", oldest first."""
    events = events_visible_to(client).annotate(last_updated=Max("revisions__created_at"))
    for condition in conditions:
        events = events.filter(_last_updated_filter(condition))
    return events.select_related("api_submission").order_by("last_updated", "pk")


def search_page(
    client: ApiClient, conditions: list[str], *, offset: int, count: int
) -> tuple[int, list[Event]]:
    """One page of a `_lastUpdated` search: how many match in all, and the page's records."""
    events = events_last_updated(client, conditions)
    return events.count(), list(events[offset : offset + count])


def _last_updated_filter(condition: str) -> Q:
    prefix = condition[:2] if condition[:2] in _PREFIXES else "eq"
    value = condition[2:] if condition[:2] in _PREFIXES else condition
    start, end = _period(value)
    filters = {
        "eq": Q(last_updated__gte=start, last_updated__lt=end),
        "ne": ~Q(last_updated__gte=start, last_updated__lt=end),
        "gt": Q(last_updated__gte=end),
        "sa": Q(last_updated__gte=end),
        "ge": Q(last_updated__gte=start),
        "lt": Q(last_updated__lt=start),
        "eb": Q(last_updated__lt=start),
        "le": Q(last_updated__lt=end),
    }
    if prefix not in filters:
        raise SearchError(f"The prefix {prefix!r} is not supported for _lastUpdated")
    return filters[prefix]


def _period(value: str) -> tuple[dt.datetime, dt.datetime]:
    """The instants a FHIR date or dateTime stands for, at its precision: [start, end)."""
    match = _DATE.match(value)
    if not match:
        raise SearchError(
            f"{value!r} is not a FHIR date or dateTime, like 2025-03-01 or 2025-03-01T09:30:00Z"
        )
    parts = match.groupdict()
    tz = _timezone(parts["tz"])
    try:
        year = int(parts["year"])
        if parts["month"] is None:
            start = dt.datetime(year, 1, 1, tzinfo=tz)
            return start, start.replace(year=year + 1)
        month = int(parts["month"])
        if parts["day"] is None:
            start = dt.datetime(year, month, 1, tzinfo=tz)
            return start, (start + dt.timedelta(days=32)).replace(day=1)
        day = dt.datetime(year, month, int(parts["day"]), tzinfo=tz)
        if parts["hour"] is None:
            return day, day + dt.timedelta(days=1)
        start = day.replace(
            hour=int(parts["hour"]), minute=int(parts["minute"]), second=int(parts["second"] or 0)
        )
        width = dt.timedelta(seconds=1) if parts["second"] else dt.timedelta(minutes=1)
        return start, start + width
    except (ValueError, OverflowError):
        raise SearchError(f"{value!r} is not a real date") from None


def _timezone(text: str | None) -> dt.tzinfo:
    if not text:
        return timezone.get_current_timezone()
    if text == "Z":
        return dt.UTC
    sign = 1 if text[0] == "+" else -1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        raise SearchError(f"{text!r} is not a time zone offset")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
