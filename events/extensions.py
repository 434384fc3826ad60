"""Where the apps built on records (events/similarity, ...) plug into events without events importing
them: dependencies point one way (docs/design: organisations <- accounts <- events <- those apps).

- `visible_revision_changed`: sent by the lifecycle, inside its transaction, whenever a record's
  visible (redacted) revision changes; receivers defer their work with `transaction.on_commit`, to a
  task of their own or, inside `derived_work_here()` (the redaction worker), done by this process
  once the transaction commits.
- `record_progress_changed`: sent inside their transaction by the lifecycles when something that
  says how far a record has got may have changed (its status; a response to it decided or moved, a
  safety action recorded or its status changed): `event_ids`, or `response_id` for the records
  linked to that response. Receivers (the closed loop, events/patients) defer with `on_commit`.
- `submission_checks`: functions a new revision is shown to after submission (the form's "Record
  submitted" page and the FHIR API); each returns warnings for the submitter, never a refusal.
- `csv_columns`: extra CSV columns, each an annotation on the download's queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.dispatch import Signal

visible_revision_changed = Signal()  # kwargs: event_id, revision_id, superseded (redacted again)
record_progress_changed = Signal()  # kwargs: event_ids (list[int]) or response_id (int)

# A web request hands what is built on a record's redacted text (vectors, duplicate flags) to the worker
# as a task. The redaction worker, which publishes nearly every revision, does it itself after commit:
# one task a record instead of two (each task costs a worker about 3 ms of Celery's own work, and the
# second waited behind the live queue again; docs/adr/0022).
_derived_work_here: ContextVar[bool] = ContextVar("derived_work_here", default=False)


@contextmanager
def derived_work_here() -> Iterator[None]:
    """Within it, receivers of `visible_revision_changed` do their work in this process on commit."""
    token = _derived_work_here.set(True)
    try:
        yield
    finally:
        _derived_work_here.reset(token)


def derived_work_runs_here() -> bool:
    return _derived_work_here.get()


type SubmissionCheck = Callable[[Any], list[str]]
submission_checks: list[SubmissionCheck] = []


def submission_warnings(revision) -> list[str]:
    """Every registered check's warnings about a revision just submitted (its record's first or new)."""
    warnings: list[str] = []
    for check in submission_checks:
        warnings.extend(check(revision))
    return warnings


@dataclass(frozen=True)
class CsvColumn:
    header: str
    annotate: Callable[[QuerySet], QuerySet]  # adds the annotation `field` to the download's queryset
    field: str
    format: Callable[[Any], str]


csv_columns: list[CsvColumn] = []
