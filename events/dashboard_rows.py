"""The rows of the organisation dashboard's table, formatted once in Python.

Formatting 25 rows in the template (two `date` filters, a `{% url %}`, the recorder's name and the
status label per row) was most of the page's rendering (docs/adr/0022, amended). The text is the same
as the template's filters gave: dates in the service's time zone, "27 Mar 2026 14:05".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from .models import Event, EventSource, EventStatus
from .organisation_selectors import event_type_name

# Django's "M" (English, the service's only language): the month's three-letter abbreviation.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PLACEHOLDER = "REFERENCE"


@dataclass(frozen=True)
class DashboardRow:
    reference: str  # as shown: "ABC-DEF-GHI"
    url: str
    created: str
    patient: bool  # a patient or family report: a tag instead of the recorder's name
    recorded_by: str  # "-" for anonymous records and records without a recorder
    event_date: str
    type_name: str
    categories: str
    status: str


def short_date(value: dt.date) -> str:
    """As `date:"j M Y"`: "7 Mar 2026"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def short_datetime(value: dt.datetime) -> str:
    """As `date:"j M Y H:i"` in the service's time zone: "7 Mar 2026 09:05"."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{short_date(local)} {local.hour:02d}:{local.minute:02d}"


def dashboard_rows(events: Iterable[Event]) -> list[DashboardRow]:
    statuses = {value: str(label) for value, label in EventStatus.choices}
    record_url = reverse("events:organisation_event", args=[_PLACEHOLDER])
    rows = []
    for event in events:
        recorder = event.recorded_by if not event.is_anonymous else None
        rows.append(
            DashboardRow(
                reference=event.display_reference,
                url=record_url.replace(_PLACEHOLDER, event.reference),
                created=short_datetime(event.created_at),
                patient=event.source == EventSource.PATIENT,
                recorded_by=recorder.get_full_name() if recorder else "-",
                event_date=short_date(event.event_date) if event.event_date else "Not known",
                type_name=event_type_name(event),
                categories=event.categories or "-",
                status=statuses.get(event.status, event.status),
            )
        )
    return rows
