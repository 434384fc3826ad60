"""Celery entry points for events; the work is done by services.

The services are imported when a task runs, not when this module is imported: the redaction work
loads Presidio and spaCy, which web processes never need, and the lifecycle imports this module to
queue redaction (events/redaction_queue.py), so it must not import the lifecycle back.

The redaction tasks keep the names they had in the anonymisation app, so tasks already queued when a
new version is deployed still find their code (docs/adr/0013).
"""

import random

from celery import shared_task

MAX_RETRIES = 8


@shared_task(name="events.drafts_expire", acks_late=True)
def drafts_expire_task() -> int:
    """Deletes expired drafts (run every few minutes by beat)."""
    from .services import drafts_expire

    return drafts_expire()


def _backoff(retries: int) -> int:
    """Seconds before the next try: 2, 4, 8 ... up to ten minutes, with jitter."""
    return min(600, 2 ** (retries + 1)) + random.randint(0, 3)  # noqa: S311 - jitter, not security


@shared_task(
    bind=True,
    name="anonymisation.redact_revision",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def redact_revision(self, revision_id: int) -> bool:
    from anonymisation.pipeline import TextTooLongError

    from .extensions import derived_work_here
    from .redaction import redaction_failed, revision_redact

    try:
        # What is built on the published text (vectors, duplicate flags) is done here after commit,
        # not queued as a second task (events/extensions.py).
        with derived_work_here():
            return revision_redact(revision_id)
    except TextTooLongError as error:  # will never succeed: recorded for the QA screen, not retried
        redaction_failed(revision_id, error)
        return False
    except Exception as error:
        redaction_failed(revision_id, error)
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(name="anonymisation.redaction_sweep", acks_late=True)
def redaction_sweep_task() -> int:
    """Queues revisions left pending (run every minute by beat)."""
    from .redaction import redaction_sweep

    return redaction_sweep()
