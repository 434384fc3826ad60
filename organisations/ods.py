"""Reader for the header-less, 27-column CSV files published by the NHS Organisation Data Service.

The same layout serves every ODS file (etr, ets, eccg, epraccur, ...); docs/spec/taxonomy.md §4.4 lists the
columns. This module only turns text into typed rows or row errors. Deciding what a row means for
the hierarchy (its kind and its parent) is the importer's job, in services.py.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from os import PathLike
from pathlib import Path

from .models import Organisation, OrganisationStatus

COLUMN_COUNT = 27

# 0-based positions of the columns we read; the others are Null or of no use here.
CODE = 0
NAME = 1
NATIONAL_GROUPING = 2
HEALTH_GEOGRAPHY = 3
ADDRESS_LINES = slice(4, 9)
POSTCODE = 9
OPEN_DATE = 10
CLOSE_DATE = 11
STATUS = 12
SUB_TYPE = 13
COMMISSIONER = 14
JOIN_DATE = 15
LEFT_DATE = 16
TELEPHONE = 17
AMENDED = 21
PROVIDER_PURCHASER = 23
PRESCRIBING_SETTING = 25

_CODE_PATTERN = re.compile(r"[A-Z0-9]+")
_CODE_MAX_LENGTH = Organisation._meta.get_field("ods_code").max_length
_NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length
_POSTCODE_MAX_LENGTH = Organisation._meta.get_field("postcode").max_length
_STATUS_CODES = frozenset(OrganisationStatus.values)


@dataclass(frozen=True)
class OdsRow:
    """One organisation as a row of an ODS file says it is."""

    source: str
    line: int
    code: str
    name: str
    national_grouping: str
    health_geography: str
    address_lines: tuple[str, ...]
    postcode: str
    open_date: date | None
    close_date: date | None
    status: OrganisationStatus
    sub_type: str
    commissioner: str
    join_date: date | None
    left_date: date | None
    telephone: str
    amended: str
    provider_purchaser: str
    prescribing_setting: int | None


@dataclass(frozen=True)
class OdsRowError:
    """A row that cannot be read, and why. `line` is the 1-based line the row starts on."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


class OdsFileError(Exception):
    """The file as a whole cannot be read (missing, a directory, not text)."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class _InvalidRow(ValueError):
    pass


def read_ods_file(path: str | PathLike, *, today: date | None = None) -> Iterator[OdsRow | OdsRowError]:
    """Rows of one ODS file, in file order. Raises OdsFileError if the file cannot be opened."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OdsFileError(path.name, exc.strerror or str(exc)) from exc
    return parse_ods_text(_decode(raw), source=path.name, today=today)


def parse_ods_text(text: str, *, source: str, today: date | None = None) -> Iterator[OdsRow | OdsRowError]:
    """Rows of ODS CSV text. Blank lines are skipped; a byte-order mark and CRLF endings are fine."""
    return parse_ods_lines(io.StringIO(text.removeprefix("\ufeff"), newline=""), source=source, today=today)


def parse_ods_lines(
    lines: Iterable[str], *, source: str, today: date | None = None
) -> Iterator[OdsRow | OdsRowError]:
    today = today or date.today()
    reader = csv.reader(lines)
    while True:
        # A quoted field may hold a newline, so a row starts on the line after the previous row ended.
        start_line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield OdsRowError(source, start_line, f"the file cannot be read past this line ({exc})")
            return
        if not any(field.strip() for field in fields):
            continue
        try:
            yield _row_from_fields(fields, source=source, line=start_line, today=today)
        except _InvalidRow as exc:
            yield OdsRowError(source, start_line, str(exc))


def _decode(raw: bytes) -> str:
    # ODS publishes UTF-8; spreadsheets re-saving the file on Windows write cp1252.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _row_from_fields(fields: list[str], *, source: str, line: int, today: date) -> OdsRow:
    if len(fields) != COLUMN_COUNT:
        raise _InvalidRow(f"expected {COLUMN_COUNT} columns, found {len(fields)}")
    fields = [field.strip() for field in fields]

    code = fields[CODE].upper()
    if not code:
        raise _InvalidRow("the organisation code (column 1) is empty")
    if len(code) > _CODE_MAX_LENGTH or not _CODE_PATTERN.fullmatch(code):
        raise _InvalidRow(f"organisation code {fields[CODE]!r} is not a valid ODS code")

    name = fields[NAME]
    if not name:
        raise _InvalidRow(f"organisation {code} has no name (column 2)")
    if len(name) > _NAME_MAX_LENGTH:
        raise _InvalidRow(f"the name of {code} is longer than {_NAME_MAX_LENGTH} characters")

    postcode = fields[POSTCODE].upper()
    if len(postcode) > _POSTCODE_MAX_LENGTH:
        raise _InvalidRow(f"postcode {fields[POSTCODE]!r} of {code} is too long")

    open_date = _date(fields[OPEN_DATE], "open date", 11)
    close_date = _date(fields[CLOSE_DATE], "close date", 12)
    if open_date and close_date and close_date < open_date:
        raise _InvalidRow(f"close date {fields[CLOSE_DATE]} is before open date {fields[OPEN_DATE]}")

    return OdsRow(
        source=source,
        line=line,
        code=code,
        name=name,
        national_grouping=fields[NATIONAL_GROUPING].upper(),
        health_geography=fields[HEALTH_GEOGRAPHY].upper(),
        address_lines=tuple(fields[ADDRESS_LINES]),
        postcode=postcode,
        open_date=open_date,
        close_date=close_date,
        status=_status(fields[STATUS], close_date, today),
        sub_type=fields[SUB_TYPE],
        commissioner=fields[COMMISSIONER].upper(),
        join_date=_date(fields[JOIN_DATE], "join date", 16),
        left_date=_date(fields[LEFT_DATE], "left date", 17),
        telephone=fields[TELEPHONE],
        amended=fields[AMENDED],
        provider_purchaser=fields[PROVIDER_PURCHASER].upper(),
        prescribing_setting=_prescribing_setting(fields[PRESCRIBING_SETTING]),
    )


def _date(value: str, label: str, column: int) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise _InvalidRow(f"{label} {value!r} (column {column}) is not a date in YYYYMMDD form") from None


def _status(value: str, close_date: date | None, today: date) -> OrganisationStatus:
    """Column 13 when given. The trust and site files leave it blank: there the close date decides."""
    if value:
        if value.upper() not in _STATUS_CODES:
            raise _InvalidRow(f"unknown status code {value!r} (column 13); expected one of A, C, D, P")
        return OrganisationStatus(value.upper())
    if close_date is not None and close_date <= today:
        return OrganisationStatus.CLOSED
    return OrganisationStatus.ACTIVE


def _prescribing_setting(value: str) -> int | None:
    if not value:
        return None
    if not value.isdecimal():
        raise _InvalidRow(f"prescribing setting {value!r} (column 26) is not a number")
    return int(value)
