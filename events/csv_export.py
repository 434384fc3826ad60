"""Download event data: one CSV row per record, streamed, redacted text only.

The records are the ones the download page lists: the read gate's (events/visibility.py) for the
user and scope, narrowed by the page's filters. Nothing here widens them; the answers read are the
visible revision's redacted ones.

Columns are stable codes: a few record fields, then every question of the record's question set by
its taxonomy property name (`Description`, `InvolvedAgents`), repeated groups as
`patients/1/PhysicalHarm`, then the statutory and national policy answers. Choices read as their
labels (several joined by "; "), dates as ISO dates, ages as the stored days. Records of different
question-set versions have different columns, so each version is its own file; a version derived
from another (taxonomy v6 from v5, codes stable) shares its base's file, whose columns are then the
union of both (docs/adr/0018).

Rows come from the database in chunks through a server-side cursor and leave as they are written,
so memory stays flat however many rows there are. A cell a spreadsheet would read as a formula is
neutralised with a leading apostrophe (OWASP "CSV injection").
"""

import csv
from collections.abc import Iterator
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Count, Func, Max, QuerySet
from django.utils import timezone

from events.questionnaire import EVENT_TYPE, Question, base_version, derived_versions, load_question_set

from . import statutory_questions
from .extensions import csv_columns
from .models import Event, EventSource, EventStatus

CHUNK_SIZE = 5000
ROWS_PER_WRITE = 500
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
RECORD_COLUMNS = (
    "ReferenceNumber",
    "EventType",
    "Status",
    "CreatedOn",
    "DerivedEventDate",  # what the dashboard shows; the EventDate column is the recorder's exact answer
    "OrganisationCode",
    "OrganisationName",
    "IsAnonymous",
    "RecordedBy",  # "Staff" or "Patient or family" (docs/adr/0019)
    "QuestionSetVersion",
)
ROW_FIELDS = (
    "reference",
    "event_type",
    "status",
    "created_on",
    "event_date",
    "organisation__ods_code",
    "organisation__name",
    "is_anonymous",
    "source",
    "question_set_version",
    "visible_revision__redacted_answers",
    "statutory__answers",
)
STATUS_LABELS = dict(EventStatus.choices)
SOURCE_LABELS = dict(EventSource.choices)


def neutralise(cell: str) -> str:
    """A cell starting with = + - @ (or a tab or carriage return) is text, not a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


class CsvFile(NamedTuple):
    """One download: the file's version (its layout), its records, and the question-set versions
    those records were made with (a base version's file also holds the versions derived from it)."""

    version: str
    count: int
    versions: tuple[str, ...]

    @property
    def label(self) -> str:
        """ "question set version 5", or "question set versions 5 and 6" for a file holding both."""
        if len(self.versions) == 1:
            return f"question set version {self.versions[0]}"
        return f"question set versions {', '.join(self.versions[:-1])} and {self.versions[-1]}"


def _version_order(version: str) -> tuple[int, str]:
    return (len(version), version)


def versions_of(events: QuerySet[Event]) -> list[CsvFile]:
    """A file for each base question-set version among the events, oldest first, with its records
    and the versions they were made with."""
    rows = events.order_by().values_list("question_set_version").annotate(count=Count("id"))
    counts: dict[str, int] = {}
    held: dict[str, set[str]] = {}
    for version, count in rows:
        counts[base_version(version)] = counts.get(base_version(version), 0) + count
        held.setdefault(base_version(version), set()).add(version)
    return [
        CsvFile(version, counts[version], tuple(sorted(held[version], key=_version_order)))
        for version in sorted(counts, key=_version_order)
    ]


class LocalTimeText(Func):
    """A timestamp in the service's time zone as "YYYY-MM-DD HH:MM". PostgreSQL formats it, which
    spares half a million datetime conversions in Python; other databases return the timestamp and
    the row formats it."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", [*params, settings.TIME_ZONE]

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


class _Line:
    """csv.writer writes into this and gets the line back, so nothing accumulates."""

    def write(self, line: str) -> str:
        return line


def _formatter(question: Question):
    """How one question's stored answer reads in a cell: choices as labels, the rest as stored."""
    labels = {option.code: option.label for option in question.options}

    def format_answer(value: Any) -> str:
        if isinstance(value, str):
            return labels.get(value, value)
        if isinstance(value, list):
            return LIST_SEPARATOR.join(labels.get(str(code), str(code)) for code in value)
        return str(value)

    return format_answer


class CsvLayout:
    """The columns of one question-set version's file, and how a record becomes a row."""

    def __init__(self, version: str, patients: int):
        self.version = version
        self.versions = file_versions(version)
        question_sets = [load_question_set(v) for v in self.versions]
        question_set = question_sets[0]
        self.event_types = {event_type.code: event_type.name for event_type in question_set.event_types}
        groups = question_set.groups()
        every = _union(question_sets)  # a derived version's own questions after the base's
        top = [q for q in every if q.group is None and q.id != EVENT_TYPE]
        self.header = [*RECORD_COLUMNS, *(q.id for q in top)]
        self._index: dict[Any, int] = {q.id: len(RECORD_COLUMNS) + n for n, q in enumerate(top)}
        self._formatters = {q.id: _formatter(q) for q in every}
        for group, repeat in groups.items():
            members = [q for q in every if q.group == group and q.id != repeat.another]
            for number in range(1, min(patients, repeat.max_items) + 1):
                for question in members:
                    self._index[(group, number, question.id)] = len(self.header)
                    self.header.append(f"{group}/{number}/{question.id}")
        self._groups = frozenset(groups)
        self._zone = timezone.get_current_timezone()
        statutory = statutory_questions.csv_questions()
        self._statutory = [(question.id, _formatter(question)) for question in statutory]
        self._statutory_start = len(self.header)
        self.header.extend(question.id for question in statutory)
        # Columns of the apps built on records (events/extensions.py), last.
        self.extension_columns = list(csv_columns)
        self._extension_start = len(self.header)
        self.header.extend(column.header for column in self.extension_columns)

    def row(self, values: tuple) -> list[str]:
        """One record's cells. Only the few answered cells are formatted and neutralised: this runs
        half a million times a download."""
        (
            reference,
            event_type,
            status,
            created_on,
            event_date,
            code,
            name,
            anonymous,
            source,
            version,
            answers,
            statutory_answers,
        ) = values[: len(ROW_FIELDS)]
        if not isinstance(created_on, str):  # formatted by PostgreSQL, else here
            created_on = f"{created_on.astimezone(self._zone):%Y-%m-%d %H:%M}"
        row = [""] * len(self.header)
        row[: len(RECORD_COLUMNS)] = [
            reference,
            self.event_types.get(event_type, event_type),
            STATUS_LABELS.get(status, status),
            created_on,
            event_date.isoformat() if event_date else "",
            neutralise(code or ""),
            neutralise(name or ""),
            "Yes" if anonymous else "No",
            SOURCE_LABELS.get(source, source),
            version,
        ]
        index, formatters, groups = self._index, self._formatters, self._groups
        for key, value in (answers or {}).items():
            if key in groups and isinstance(value, list):
                for number, item in enumerate(value, start=1):
                    for inner, inner_value in item.items():
                        column = index.get((key, number, inner))
                        if column is not None and inner_value is not None:
                            row[column] = neutralise(formatters[inner](inner_value))
            else:
                column = index.get(key)
                if column is not None and value is not None:
                    row[column] = neutralise(formatters[key](value))
        if statutory_answers:
            start = self._statutory_start
            for offset, (question_id, format_answer) in enumerate(self._statutory, start=start):
                value = statutory_answers.get(question_id)
                if value is not None:
                    row[offset] = format_answer(value)
        for offset, (column, value) in enumerate(
            zip(self.extension_columns, values[len(ROW_FIELDS) :], strict=True), start=self._extension_start
        ):
            row[offset] = neutralise(column.format(value))
        return row


def _union(question_sets) -> list[Question]:
    """Every question of the versions, the base's in order, then each later version's new ones."""
    seen: dict[str, Question] = {}
    for question_set in question_sets:
        for question in question_set.all_questions():
            seen.setdefault(question.id, question)
    return list(seen.values())


def file_versions(version: str) -> tuple[str, ...]:
    """The question-set versions whose records a file holds: a base version and those derived from it."""
    return derived_versions(version) if version == base_version(version) else (version,)


def csv_layout(events: QuerySet[Event], version: str) -> CsvLayout:
    """The layout for the file's records among the events: as many patient columns as needed."""
    in_file = events.filter(question_set_version__in=file_versions(version))
    return CsvLayout(version, in_file.aggregate(most=Max("patient_count"))["most"] or 0)


def csv_lines(events: QuerySet[Event], layout: CsvLayout) -> Iterator[str]:
    """The file, a few hundred lines at a time: a byte-order mark and the header, then the rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(layout.header)
    # In the order the records were made: the cheapest order to read, whatever the list's sort.
    selected = events.filter(question_set_version__in=layout.versions).annotate(
        created_on=LocalTimeText("created_at")
    )
    for column in layout.extension_columns:
        selected = column.annotate(selected)
    extra_fields = [column.field for column in layout.extension_columns]
    rows = selected.order_by("id").values_list(*ROW_FIELDS, *extra_fields)
    # Inside a transaction the server-side cursor streams rows as PostgreSQL finds them; outside one
    # (autocommit) Django declares it WITH HOLD, and PostgreSQL runs the whole query before the first
    # row. The transaction also gives the file one consistent snapshot.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The whole query costs enough to trigger JIT compilation, which only delays the first
            # row: rows are read a chunk at a time, and each is cheap. And every row is read: planned
            # for a cursor's first tenth (PostgreSQL's default), an area's week walked the records in id
            # order through the primary key, 621 ms on 1,000,000 records against 79 ms planned whole.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        batch: list[str] = []
        for values in rows.iterator(chunk_size=CHUNK_SIZE):
            batch.append(writer.writerow(layout.row(values)))
            if len(batch) >= ROWS_PER_WRITE:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)
