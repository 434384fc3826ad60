"""Writes to organisations: importing ODS files into the hierarchy (docs/adr/0003-ods-hierarchy.md)."""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from .models import Organisation, OrganisationKind
from .ods import OdsFileError, OdsRow, OdsRowError, read_ods_file

# What each ODS file holds, by the start of its name ("etr.csv", "etr-2025-06.csv", "ETR.CSV").
# eregion, eicb and epharmacy are this project's names: ODS Data Search & Export names its reports
# differently over time, and a renamed download, or --kind, covers whatever it calls them.
FILE_KINDS: dict[str, OrganisationKind] = {
    "eregion": OrganisationKind.REGION,
    "eicb": OrganisationKind.ICB,
    "eccg": OrganisationKind.SUB_ICB_LOCATION,
    "etr": OrganisationKind.NHS_TRUST,
    "ets": OrganisationKind.TRUST_SITE,
    "epraccur": OrganisationKind.GP_PRACTICE,
    "epharmacy": OrganisationKind.PHARMACY,
    "edispensary": OrganisationKind.PHARMACY,
}
_FILE_NAME = re.compile(r"(?P<stem>[a-z]+)(?:[^a-z].*)?")

# epraccur lists every prescribing cost centre; only prescribing setting 4 is a GP practice.
GP_PRACTICE_PRESCRIBING_SETTING = 4

# Rows are read and written in batches of this size, well under every database's parameter limit.
_BATCH_SIZE = 500


@dataclass(frozen=True)
class ImportProblem:
    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kinds: Counter = field(default_factory=Counter)
    warnings: list[ImportProblem] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def nothing_read(self) -> bool:
        return self.rows_read == 0


class _Incoming(NamedTuple):
    row: OdsRow
    kind: str
    parent_code: str | None
    parent_column: str


class _Existing(NamedTuple):
    id: int
    name: str
    kind: str
    status: str
    postcode: str
    parent_id: int | None


def kind_for_file(path: str | PathLike) -> OrganisationKind | None:
    match = _FILE_NAME.fullmatch(Path(path).name.lower())
    return FILE_KINDS.get(match["stem"]) if match else None


def ods_import(paths: Iterable[str | PathLike], *, kind: str | None = None) -> ImportReport:
    """Create or update the organisations in these ODS files and link each to its parent.

    `kind` applies to every row of every file instead of the kind the file name implies. Parents are
    looked up once all rows of all files are read, among them and among organisations already
    stored; an unknown parent is left empty and reported as a warning. Bad rows are reported with
    their file and line and skipped. Everything is written in one transaction.
    """
    if kind is not None and kind not in OrganisationKind.values:
        raise ValueError(f"unknown organisation kind {kind!r}")
    if isinstance(paths, str | PathLike):
        paths = [paths]
    report = ImportReport()
    incoming: dict[str, _Incoming] = {}
    for path in paths:
        _read_file(Path(path), kind, incoming, report)
    if incoming:
        with transaction.atomic():
            _save(incoming, report)
    return report


def _read_file(path: Path, kind: str | None, incoming: dict[str, _Incoming], report: ImportReport) -> None:
    file_kind = OrganisationKind(kind) if kind else kind_for_file(path)
    if file_kind is None:
        known = ", ".join(f"{stem}.csv" for stem in FILE_KINDS)
        report.errors.append(
            ImportProblem(
                path.name,
                None,
                f"cannot tell the kind of organisation from the file name ({known}); use --kind",
            )
        )
        return
    try:
        rows = read_ods_file(path)
    except OdsFileError as exc:
        report.errors.append(ImportProblem(exc.source, None, f"cannot be read: {exc.reason}"))
        return
    report.files.append(path.name)
    split_practices = kind is None and file_kind == OrganisationKind.GP_PRACTICE
    for row in rows:
        if isinstance(row, OdsRowError):
            report.errors.append(ImportProblem(row.source, row.line, row.reason))
            continue
        row_kind = file_kind
        if split_practices and row.prescribing_setting != GP_PRACTICE_PRESCRIBING_SETTING:
            row_kind = OrganisationKind.OTHER
        earlier = incoming.get(row.code)
        if earlier is not None:
            report.warnings.append(
                ImportProblem(
                    row.source,
                    row.line,
                    f"{row.code} is also at {earlier.row.source}:{earlier.row.line}; this later row is used",
                )
            )
        parent_code, parent_column = _parent_code(row, row_kind)
        incoming[row.code] = _Incoming(row, row_kind, parent_code, parent_column)
        report.rows_read += 1


def _parent_code(row: OdsRow, kind: str) -> tuple[str | None, str]:
    """The code of the organisation directly above this one, and the column it came from."""
    candidates: Sequence[tuple[str, str]]
    if kind == OrganisationKind.REGION:
        candidates = ()
    elif kind == OrganisationKind.ICB:
        candidates = ((row.national_grouping, "column 3"),)
    elif kind in (OrganisationKind.SUB_ICB_LOCATION, OrganisationKind.NHS_TRUST):
        candidates = ((row.health_geography, "column 4"), (row.national_grouping, "column 3"))
    elif kind == OrganisationKind.TRUST_SITE:
        candidates = ((row.commissioner, "column 15"), (row.code[:3], "the first 3 characters of the code"))
    else:
        candidates = ((row.commissioner, "column 15"), (row.health_geography, "column 4"))
    for code, column in candidates:
        if code and code != row.code:
            return code, column
    return None, ""


def _save(incoming: dict[str, _Incoming], report: ImportReport) -> None:
    existing = _existing({*incoming, *(item.parent_code for item in incoming.values() if item.parent_code)})
    parent_of = _resolve_parents(incoming, existing, report)
    ids = {code: stored.id for code, stored in existing.items()}

    new_codes = [code for code in incoming if code not in existing]
    for level in _levels(new_codes, parent_of):
        organisations = [
            Organisation(ods_code=code, **_values(incoming[code], _parent_id(ids, parent_of[code])))
            for code in level
        ]
        Organisation.objects.bulk_create(organisations, batch_size=_BATCH_SIZE)
        ids.update(_ids_of(organisations))
    report.created = len(new_codes)

    now = timezone.now()
    changed = []
    for code, item in incoming.items():
        stored = existing.get(code)
        if stored is None:
            continue
        values = _values(item, _parent_id(ids, parent_of[code]))
        if all(getattr(stored, name) == value for name, value in values.items()):
            report.unchanged += 1
        else:
            changed.append(Organisation(id=stored.id, ods_code=code, updated_at=now, **values))
    Organisation.objects.bulk_update(
        changed, ["name", "kind", "status", "postcode", "parent", "updated_at"], batch_size=_BATCH_SIZE
    )
    report.updated = len(changed)
    report.kinds.update(item.kind for item in incoming.values())


def _values(item: _Incoming, parent_id: int | None) -> dict:
    row = item.row
    return {
        "name": row.name,
        "kind": item.kind,
        "status": row.status,
        "postcode": row.postcode,
        "parent_id": parent_id,
    }


def _parent_id(ids: dict[str, int], parent_code: str | None) -> int | None:
    return None if parent_code is None else ids[parent_code]


def _existing(codes: set[str]) -> dict[str, _Existing]:
    found = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), _BATCH_SIZE):
        rows = Organisation.objects.filter(ods_code__in=ordered[start : start + _BATCH_SIZE]).values_list(
            "ods_code", "id", "name", "kind", "status", "postcode", "parent_id"
        )
        found.update((code, _Existing(*rest)) for code, *rest in rows)
    return found


def _resolve_parents(
    incoming: dict[str, _Incoming], existing: dict[str, _Existing], report: ImportReport
) -> dict[str, str | None]:
    parent_of: dict[str, str | None] = {}
    for code, item in incoming.items():
        parent = item.parent_code
        if parent is not None and parent not in incoming and parent not in existing:
            report.warnings.append(
                ImportProblem(
                    item.row.source,
                    item.row.line,
                    f"parent {parent} of {code} ({item.parent_column}) is not a known organisation; "
                    f"{code} is left without a parent",
                )
            )
            parent = None
        parent_of[code] = parent
    _break_loops(parent_of, incoming, report)
    return parent_of


def _break_loops(
    parent_of: dict[str, str | None], incoming: dict[str, _Incoming], report: ImportReport
) -> None:
    """Rows that name each other as parents would make the tree a loop: cut each loop at one row."""
    done: set[str] = set()
    for start in parent_of:
        path: list[str] = []
        on_path: set[str] = set()
        code = start
        while code in parent_of and code not in done and code not in on_path:
            path.append(code)
            on_path.add(code)
            code = parent_of[code]
        if code in on_path:
            last = path[-1]
            loop = path[path.index(code) :]
            parent_of[last] = None
            row = incoming[last].row
            report.warnings.append(
                ImportProblem(
                    row.source,
                    row.line,
                    f"parents of {' → '.join([*loop, code])} form a loop; {last} is left without a parent",
                )
            )
        done.update(path)


def _levels(new_codes: list[str], parent_of: dict[str, str | None]) -> list[list[str]]:
    """New organisations in the order they can be inserted: each after its parent, if that is new too."""
    new = set(new_codes)
    depth: dict[str, int] = {}
    for start in new_codes:
        path = []
        code = start
        while code in new and code not in depth:
            path.append(code)
            code = parent_of[code]
        base = depth[code] + 1 if code in depth else 0
        for offset, node in enumerate(reversed(path)):
            depth[node] = base + offset
    levels: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for code in new_codes:
        levels[depth[code]].append(code)
    return levels


def _ids_of(organisations: list[Organisation]) -> dict[str, int]:
    if all(organisation.pk is not None for organisation in organisations):
        return {organisation.ods_code: organisation.pk for organisation in organisations}
    codes = [organisation.ods_code for organisation in organisations]
    ids = {}
    for start in range(0, len(codes), _BATCH_SIZE):
        ids.update(
            Organisation.objects.filter(ods_code__in=codes[start : start + _BATCH_SIZE]).values_list(
                "ods_code", "id"
            )
        )
    return ids
