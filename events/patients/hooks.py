"""The closed loop listens to the lifecycles: when a record may have moved on (reviewed, a response
decided or moved, safety actions recorded), the worker works out its stage once the transaction
commits and emails the recorder if it changed (docs/adr/0019)."""

from functools import partial

from django.db import transaction

from events.extensions import record_progress_changed


def _queue_refresh(sender, *, event_ids=None, response_id=None, **kwargs) -> None:
    from .tasks import record_progress_refresh_task

    transaction.on_commit(
        partial(record_progress_refresh_task.delay, event_ids=event_ids, response_id=response_id), robust=True
    )


def connect() -> None:
    record_progress_changed.connect(_queue_refresh, dispatch_uid="patients.record_progress")
