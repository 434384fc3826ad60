"""Celery entry points for redaction; the work is in anonymisation.services.

The services (and Presidio with them) are imported when a task runs, not when Django starts, so that
web processes and management commands do not pay for loading the NLP stack.
"""

import random

from celery import shared_task

MAX_RETRIES = 8


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
    from .pipeline import TextTooLongError
    from .services import redaction_failed, revision_redact

    try:
        return revision_redact(revision_id)
    except TextTooLongError as error:  # will never succeed: recorded for the QA screen, not retried
        redaction_failed(revision_id, error)
        return False
    except Exception as error:
        redaction_failed(revision_id, error)
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(name="anonymisation.redaction_sweep", acks_late=True)
def redaction_sweep_task() -> int:
    from .services import redaction_sweep

    return redaction_sweep()
