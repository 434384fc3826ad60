"""The organisation dashboard's filters and sorting (django-filter), over the denormalised columns.

Choices come from the latest question set, whose codes are stable across versions. Dates are GOV.UK
date inputs (day, month and year boxes) read as one ISO date by `DatePartsWidget`.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.http import QueryDict

from events.questionnaire import latest_version, load_question_set

from .models import EventSource, EventStatus
from .organisation_columns import AGENTS, PHYSICAL_HARM, PSYCHOLOGICAL_HARM, agent_bit
from .organisation_selectors import created_between, events_matching

DATE_PARTS = ("day", "month", "year")
DEFAULT_SORT = "-created"
NULLABLE_SORTS = frozenset({"event_date", "recorded_by__last_name"})
SORT_PARAM = "sort"
# Query parameters that choose whose records, rather than which of them.


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year boxes (GOV.UK date input), read as "YYYY-MM-DD" (or something a date
    field rejects when they do not make a real date)."""

    def __init__(self):
        super().__init__(widgets={part: forms.TextInput for part in DATE_PARTS})

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = [str(data.get(f"{name}_{part}", "")).strip() for part in DATE_PARTS]
        if not any(parts):
            return ""
        try:
            day, month, year = (int(part) for part in parts)
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return "not a date"

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part in DATE_PARTS)


@functools.cache
def _options(question_id: str) -> tuple[tuple[str, str], ...]:
    """A question's (code, label) choices. Cached per process: the question sets ship with the service."""
    question = load_question_set(latest_version()).question(question_id)
    return tuple((option.code, option.label) for option in question.options)


@functools.cache
def _event_types() -> tuple[tuple[str, str], ...]:
    return tuple(
        (event_type.code, event_type.name) for event_type in load_question_set(latest_version()).event_types
    )


def _date_filter(label: str, **kwargs) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        widget=DatePartsWidget,
        error_messages={"invalid": f"{label} must be a real date, for example 27 3 2026"},
        **kwargs,
    )


def _checkboxes(label: str, **kwargs) -> django_filters.MultipleChoiceFilter:
    return django_filters.MultipleChoiceFilter(
        label=label,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # one row per record already: DISTINCT would only slow the count down
        error_messages={"invalid_choice": f"Select {label.lower()} using the options shown"},
        **kwargs,
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by one column, newest first by default, with the id breaking ties so that pages never
    repeat or skip a record. Empty values (unknown event date, anonymous recorder) sort last, the way
    the event date index is built."""

    def filter(self, qs, value):
        params = [param for param in value or () if param] or [DEFAULT_SORT]
        ordering = []
        for param in params:
            field = self.get_ordering_value(param)
            descending = field.startswith("-")
            name = field.lstrip("-")
            if name in NULLABLE_SORTS:
                expression = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
                ordering.append(expression)
            else:
                ordering.append(field)
        return qs.order_by(*ordering, "-id" if params[-1].startswith("-") else "id")


SORTABLE = {
    # parameter: (model field, column heading)
    "reference": ("reference", "Reference number"),
    "created": ("created_at", "Created on"),
    "created_by": ("recorded_by__last_name", "Created by"),
    "event_date": ("event_date", "Event date"),
    "event_type": ("event_type", "Event type"),
    "category": ("categories", "Category of event"),
    "status": ("status", "Status"),
}


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search description", method="filter_text")
    category = _checkboxes("Category of event", method="filter_category")
    event_type = _checkboxes("Event type", field_name="event_type")
    created_from = _date_filter("Created from", method="filter_created_from")
    created_to = _date_filter("Created to", method="filter_created_to")
    event_from = _date_filter("Event date from", field_name="event_date", lookup_expr="gte")
    event_to = _date_filter("Event date to", field_name="event_date", lookup_expr="lte")
    physical_harm = _checkboxes("Physical harm", field_name="worst_physical_harm")
    psychological_harm = _checkboxes("Psychological harm", field_name="worst_psychological_harm")
    status = _checkboxes("Status", field_name="status", choices=EventStatus.choices)
    source = _checkboxes("Recorded by", field_name="source", choices=EventSource.choices)
    sort = StableOrderingFilter(fields={field: param for param, (field, _) in SORTABLE.items()})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].extra["choices"] = _options(AGENTS)
        self.filters["event_type"].extra["choices"] = _event_types()
        self.filters["physical_harm"].extra["choices"] = _options(PHYSICAL_HARM)
        self.filters["psychological_harm"].extra["choices"] = _options(PSYCHOLOGICAL_HARM)

    def checkboxes(self, name: str) -> "CheckboxFilter":
        """One checkbox filter as plain values for the template's loop (iterating the bound field's
        widgets built a dictionary of attributes per option: a third of the page's rendering)."""
        field = self.form[name]
        chosen = {str(value) for value in field.value() or ()}
        options = [
            CheckboxOption(f"{field.auto_id}_{index}", str(code), label, str(code) in chosen)
            for index, (code, label) in enumerate(field.field.choices)
        ]
        used = bool(chosen)
        return CheckboxFilter(field.label, field.html_name, field.auto_id, field.errors, options, used)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return events_matching(queryset, value)

    def filter_category(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        mask = sum(agent_bit(code) for code in value)
        return queryset.alias(chosen_agents=F("involved_agents").bitand(mask)).filter(chosen_agents__gt=0)

    def filter_created_from(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return created_between(queryset, value, None)

    def filter_created_to(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return created_between(queryset, None, value)

    @property
    def cleaned(self) -> dict:
        """The values that passed validation (a field with an error filters nothing)."""
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def current_sort(self) -> str:
        value = self.cleaned.get(SORT_PARAM)
        return value[0] if value else DEFAULT_SORT


@dataclass(frozen=True)
class CheckboxOption:
    id: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class CheckboxFilter:
    label: str
    name: str
    id: str
    errors: list[str]
    options: list[CheckboxOption]
    used: bool  # some value was sent: the filter opens


def query_without(params: QueryDict, *names: str) -> QueryDict:
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept


@dataclass(frozen=True)
class SortColumn:
    heading: str
    url: str
    aria_sort: str  # "ascending", "descending" or "none"


def sort_columns(params: QueryDict, current: str) -> list[SortColumn]:
    """Column headings that sort the table: choosing the sorted column again reverses it."""
    base = query_without(params, SORT_PARAM, "page")
    columns = []
    for param, (_, heading) in SORTABLE.items():
        if current.lstrip("-") == param:
            descending = current.startswith("-")
            aria_sort = "descending" if descending else "ascending"
            next_sort = param if descending else f"-{param}"
        else:
            aria_sort = "none"
            next_sort = f"-{param}" if param in ("created", "event_date") else param
        query = base.copy()
        query[SORT_PARAM] = next_sort
        columns.append(SortColumn(heading, f"?{query.urlencode()}", aria_sort))
    return columns


def date_parts(filterset: EventFilter, name: str) -> list[dict[str, str]]:
    """The day, month and year boxes of a date filter, as typed (for the template)."""
    return [
        {
            "name": f"{name}_{part}",
            "label": part.capitalize(),
            "value": str(filterset.data.get(f"{name}_{part}", "")),
            "width": "4" if part == "year" else "2",
        }
        for part in DATE_PARTS
    ]


def filter_query(params: QueryDict) -> str:
    """The query string that reproduces a filtered list (without its page), for links."""
    return urlencode(
        sorted((key, value) for key, values in query_without(params, "page").lists() for value in values)
    )


def error_links(filterset: EventFilter) -> list[tuple[str, str]]:
    """(element id, message) for the error summary: a date's day box, a list's first checkbox."""
    links = []
    for name, messages in filterset.form.errors.items():
        widget = filterset.form.fields[name].widget if name in filterset.form.fields else None
        if isinstance(widget, DatePartsWidget):
            target = f"{name}_day"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            target = f"id_{name}_0"
        else:
            target = f"id_{name}"
        links.extend((target, message) for message in messages)
    return links
