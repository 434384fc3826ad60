"""The Task API's writes with the AdverseEvent API's guarantees (events/fhir/preconditions.py):

- a create runs in `idempotent_write`, so the same `Idempotency-Key` with the same body answers the
  stored Task again without a second decision or action, and the same key with another body is 422;
- an update locks the row, compares the version named in `If-Match` with the current one (the row's
  last write, `api.version_of`) and refuses a stale one with 412 before anything is written.

The writing itself is the services' (the same as the pages'); this module adds only the guards.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from accounts.models import ApiClient
from events.fhir.preconditions import version_conflict
from events.fhir.services import ApiResult, Idempotency, idempotent_write

from . import api
from .models import Response, SafetyAction


def task_create(
    *, client: ApiClient, idempotency: Idempotency | None, write: Callable[[], dict], base: str
) -> ApiResult:
    """`write()` makes the decision or the safety action and returns its Task; at most once per key."""

    def created() -> ApiResult:
        task = write()
        return ApiResult(201, task, f"{base}/adverse-event/fhir/Task/{task['id']}")

    return idempotent_write(client=client, idempotency=idempotency, write=created)


def task_update(*, row: Response | SafetyAction, if_match: int | None, write: Callable[[], object]):
    """`write()` under the row's lock, after the If-Match check; returns what `write()` returns."""
    with transaction.atomic():
        locked = type(row).objects.select_for_update().only("updated_at").get(pk=row.pk)
        current = api.version_of(locked)
        if if_match is not None and if_match != current:
            raise version_conflict(current, what=f"Task/{api.task_id_of(row)}")
        return write()
