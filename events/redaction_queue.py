"""Queueing revisions for redaction, after the transaction that created them commits.

Kept apart from the work (events/redaction.py) because the lifecycle queues and the work publishes
through the lifecycle: this module depends on neither.
"""

import logging

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
    RedactionRun.objects.get_or_create(revision=revision)
    transaction.on_commit(lambda: send_for_redaction(revision_id))


# Workers take from the live queue first and from this one only when the live queue is empty
# (CELERY_TASK_QUEUES and queue_order_strategy in lfpse/settings/base.py; docs/adr/0022): a back-fill
# of thousands of re-redactions never holds up a record someone has just submitted.
BACKFILL_QUEUE = "lfpse.backfill"


def send_for_redaction(revision_id: int, *, backfill: bool = False) -> bool:
    try:
        if backfill:
            redact_revision.apply_async((revision_id,), queue=BACKFILL_QUEUE)
        else:
            redact_revision.delay(revision_id)
    except Exception as error:  # noqa: BLE001 - broker down or unreachable: the sweep retries
        logger.warning("Could not queue redaction of revision %s: %s", revision_id, type(error).__name__)
        return False
    RedactionRun.objects.filter(revision_id=revision_id).update(queued_at=timezone.now())
    return True
