"""The similarity app listens to the lifecycle: when a record's visible (redacted) revision changes,
its vector and duplicate flags are rebuilt by the worker once the transaction commits."""

import logging
from functools import partial

from django.db import transaction

from events.extensions import (
    CsvColumn,
    csv_columns,
    derived_work_runs_here,
    submission_checks,
    visible_revision_changed,
)

logger = logging.getLogger(__name__)

# The CSV column saying which record a linked duplicate is the same event as (empty for the record
# counted): counting rows with it empty counts each event once.
DUPLICATE_OF = "DuplicateOfReference"


def _queue_embedding(sender, *, event_id: int, revision_id: int, superseded: bool = False, **kwargs) -> None:
    from events.redaction_queue import BACKFILL_QUEUE, LIVE_QUEUE

    from .tasks import event_embed_task

    if derived_work_runs_here() and not superseded:
        transaction.on_commit(partial(_embed_here, event_id))
        return
    # Text redacted again (a back-fill of thousands) waits on the back-fill queue, so that the live
    # queue holds what new records need first (docs/adr/0022).
    queue = BACKFILL_QUEUE if superseded else LIVE_QUEUE
    transaction.on_commit(partial(event_embed_task.apply_async, (event_id,), queue=queue))


def _embed_here(event_id: int) -> None:
    """The vector and duplicate flags, in the worker that just published the record; on failure, the
    task (with its retries) does it instead."""
    from events.redaction_queue import LIVE_QUEUE

    from .services import event_embed
    from .tasks import event_embed_task

    try:
        event_embed(event_id)
    except Exception as error:  # noqa: BLE001 - the record is published; its task tries again
        logger.warning("Embedding record %s failed (%s): queued as a task", event_id, type(error).__name__)
        try:
            event_embed_task.apply_async((event_id,), queue=LIVE_QUEUE)
        except Exception as broker_error:  # noqa: BLE001 - broker down: embeddings_refresh fills it in
            logger.warning("Could not queue embedding of %s: %s", event_id, type(broker_error).__name__)


def connect() -> None:
    from .selectors import annotate_duplicate_of
    from .submission import duplicate_warning

    if not any(column.header == DUPLICATE_OF for column in csv_columns):
        csv_columns.append(CsvColumn(DUPLICATE_OF, annotate_duplicate_of, "duplicate_of", lambda v: v or ""))

    visible_revision_changed.connect(_queue_embedding, dispatch_uid="similarity.embed")
    if duplicate_warning not in submission_checks:
        submission_checks.append(duplicate_warning)
