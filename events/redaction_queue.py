"""Queueing revisions for redaction, after the transaction that created them commits.

Kept apart from the work (events/redaction.py) because the lifecycle queues and the work publishes
through the lifecycle: this module depends on neither.
"""

import datetime as dt
import json
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import RedactionRun
from .tasks import redact_revision

logger = logging.getLogger(__name__)


def revision_redaction_queue(revision) -> None:
    """Queues the revision's redaction once the current transaction commits.

    A broker that is down does not fail the caller: the revision stays pending and the sweep queues
    it again later.
    """
    revision_id = revision.pk
    # One INSERT ... ON CONFLICT DO NOTHING (a new revision has no run yet; one redacted again has).
    RedactionRun.objects.bulk_create([RedactionRun(revision_id=revision_id)], ignore_conflicts=True)
    transaction.on_commit(lambda: send_for_redaction(revision_id))


# Workers take from the live queue first and from this one only when the live queue is empty
# (CELERY_TASK_QUEUES and queue_order_strategy in lfpse/settings/base.py; docs/adr/0022): a back-fill
# of thousands of re-redactions never holds up a record someone has just submitted.
BACKFILL_QUEUE = "lfpse.backfill"
LIVE_QUEUE = "lfpse"
# Each redaction task carries the time it was queued, so that the sweep can tell from the task at the
# head of the queue which revisions are still waiting behind it (oldest_waiting).
QUEUED_AT_HEADER = "lfpse_queued_at"


def send_for_redaction(revision_id: int, *, backfill: bool = False) -> bool:
    now = timezone.now()
    try:
        redact_revision.apply_async(
            (revision_id,),
            queue=BACKFILL_QUEUE if backfill else LIVE_QUEUE,
            headers={QUEUED_AT_HEADER: now.timestamp()},
        )
    except Exception as error:  # noqa: BLE001 - broker down or unreachable: the sweep retries
        logger.warning("Could not queue redaction of revision %s: %s", revision_id, type(error).__name__)
        return False
    RedactionRun.objects.filter(revision_id=revision_id).update(queued_at=now)
    return True


def oldest_waiting(queue: str = LIVE_QUEUE, *, look_at: int = 50) -> dt.datetime | None:
    """When the redaction task a worker takes next from `queue` was queued, or None when that is not
    known (an empty queue, a broker other than Redis, one that does not answer, a task sent before
    tasks carried the time).

    The queue is first in, first out: a revision queued after that task is still waiting behind it,
    however long ago that was, so the sweep must not send it again (docs/adr/0022). Reads at most
    `look_at` tasks from the head of the list kombu's Redis transport keeps (LPUSH in, RPOP out)."""
    head = _on_broker(lambda client: client.lrange(queue, -look_at, -1), writes=False)
    for raw in reversed(head or ()):  # the oldest last
        try:
            message = json.loads(raw)
            stamp = message.get("headers", {}).get(QUEUED_AT_HEADER)
        except (ValueError, AttributeError):
            continue
        if stamp is not None:
            return dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC)
    return None


# A key the sweep keeps in the broker's own Redis. A Redis that keeps nothing on disk comes back from
# a restart empty: its queues and this key go together. A sweep that finds the key missing therefore
# knows that every task queued before then is gone, and sends those revisions again at once instead
# of after the sweep's delay (five minutes in production; docs/adr/0022, 2026-12-06).
BROKER_MARK = "lfpse:redaction-sweep-mark"


def broker_came_back_empty() -> bool:
    """Whether the broker lost what it held since the last sweep: its mark missing (then set again).
    False when the mark is there, and when nothing is known (the broker down or not Redis): then the
    sweep's delay alone decides, as before. The first sweep of a new broker finds it missing too,
    which costs at most a task sent twice (a redacted revision's task does nothing)."""
    return bool(_on_broker(lambda client: client.set(BROKER_MARK, "1", nx=True), writes=True))


def _on_broker(use: Callable, *, writes: bool):
    """`use(client)` on the broker's Redis client; None when there is none (another broker, the
    in-memory one of the tests without Redis) or it does not answer: then nothing is known, and the
    sweep decides without it."""
    from lfpse.celery import app

    connect = app.connection_for_write if writes else app.connection_for_read
    try:
        with connect() as connection:
            client = getattr(connection.default_channel, "client", None)
            return None if client is None else use(client)
    except Exception:  # noqa: BLE001 - broker down: nothing known
        return None
