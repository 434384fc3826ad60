"""Download event data: one CSV row per record, streamed, redacted text only.

Columns are stable codes: a few record fields, then every question of the record's question set by
its taxonomy property name (`Description`, `InvolvedAgents`), repeated groups as
`patients/1/PhysicalHarm`, then the statutory and national policy answers. Choices read as their
labels (several joined by "; "), dates as ISO dates, ages as the stored days. Records of different
question-set versions have different columns, so each version is its own file.

Rows come from the database in chunks through a server-side cursor and leave as they are written,
so memory stays flat however many rows there are. A cell a spreadsheet would read as a formula is
neutralised with a leading apostrophe (OWASP "CSV injection").
"""

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from events.questionnaire import EVENT_TYPE, Question, load_question_set

from . import governance
from .models import Event, EventStatus

CHUNK_SIZE = 2000
ROWS_PER_WRITE = 500
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
RECORD_COLUMNS = (
    "ReferenceNumber",
    "EventType",
    "Status",
    "CreatedOn",
    "EventDate",
    "OrganisationCode",
    "OrganisationName",
    "IsAnonymous",
    "QuestionSetVersion",
)
ROW_FIELDS = (
    "reference",
    "event_type",
    "status",
    "created_at",
    "event_date",
    "organisation__ods_code",
    "organisation__name",
    "is_anonymous",
    "question_set_version",
    "visible_revision__redacted_answers",
    "statutory__answers",
)
STATUS_LABELS = dict(EventStatus.choices)


def neutralise(cell: str) -> str:
    """A cell starting with = + - @ (or a tab or carriage return) is text, not a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


def versions_of(events: QuerySet[Event]) -> list[tuple[str, int]]:
    """(question-set version, number of records) for each version among the events, oldest first."""
    rows = events.order_by().values_list("question_set_version").annotate(count=Count("id"))
    return sorted(rows, key=lambda row: (len(row[0]), row[0]))


class _Line:
    """csv.writer writes into this and gets the line back, so nothing accumulates."""

    def write(self, line: str) -> str:
        return line


class _Formatter:
    """How one question's stored answer reads in a cell."""

    def __init__(self, question: Question):
        self.labels = {option.code: option.label for option in question.options}

    def __call__(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return LIST_SEPARATOR.join(self.labels.get(str(code), str(code)) for code in value)
        if isinstance(value, str):
            return self.labels.get(value, value)
        return str(value)


class CsvLayout:
    """The columns of one question-set version's file, and how a record becomes a row."""

    def __init__(self, version: str, patients: int):
        question_set = load_question_set(version)
        self.version = version
        self.event_types = {event_type.code: event_type.name for event_type in question_set.event_types}
        groups = question_set.groups()
        top = [q for q in question_set.all_questions() if q.group is None and q.id != EVENT_TYPE]
        self.header = [*RECORD_COLUMNS, *(q.id for q in top)]
        self._index: dict[Any, int] = {q.id: len(RECORD_COLUMNS) + n for n, q in enumerate(top)}
        self._formatters = {q.id: _Formatter(q) for q in question_set.all_questions()}
        for group, repeat in groups.items():
            members = [q for q in question_set.all_questions() if q.group == group and q.id != repeat.another]
            for number in range(1, min(patients, repeat.max_items) + 1):
                for question in members:
                    self._index[(group, number, question.id)] = len(self.header)
                    self.header.append(f"{group}/{number}/{question.id}")
        self._groups = frozenset(groups)
        self._statutory = list(governance.questions())
        self._statutory_start = len(self.header)
        self.header.extend(question.id for question in self._statutory)

    def row(self, values: tuple) -> list[str]:
        (reference, event_type, status, created_at, event_date, code, name, anonymous, version, answers, statutory) = (
            values
        )
        row = [""] * len(self.header)
        row[: len(RECORD_COLUMNS)] = [
            reference,
            self.event_types.get(event_type, event_type),
            STATUS_LABELS.get(status, status),
            timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
            event_date.isoformat() if event_date else "",
            code or "",
            name or "",
            "Yes" if anonymous else "No",
            version,
        ]
        for key, value in (answers or {}).items():
            if key in self._groups and isinstance(value, list):
                for number, item in enumerate(value, start=1):
                    for inner, inner_value in item.items():
                        self._put(row, (key, number, inner), inner, inner_value)
            else:
                self._put(row, key, key, value)
        for offset, question in enumerate(self._statutory):
            value = (statutory or {}).get(question.id)
            if value is not None:
                row[self._statutory_start + offset] = LIST_SEPARATOR.join(
                    governance.display_lines(question, value)
                )
        return [neutralise(cell) for cell in row]

    def _put(self, row: list[str], column: Any, question_id: str, value: Any) -> None:
        index = self._index.get(column)
        if index is not None:
            row[index] = self._formatters[question_id](value)


def csv_layout(events: QuerySet[Event], version: str) -> CsvLayout:
    """The layout for the version's records among the events: as many patient columns as needed."""
    patients = events.filter(question_set_version=version).aggregate(most=Max("patient_count"))["most"]
    return CsvLayout(version, patients or 0)


def csv_lines(events: QuerySet[Event], layout: CsvLayout) -> Iterator[str]:
    """The file, a few hundred lines at a time: a byte-order mark and the header, then the rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(layout.header)
    rows = events.filter(question_set_version=layout.version).values_list(*ROW_FIELDS)
    batch: list[str] = []
    for values in rows.iterator(chunk_size=CHUNK_SIZE):
        batch.append(writer.writerow(layout.row(values)))
        if len(batch) >= ROWS_PER_WRITE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)
