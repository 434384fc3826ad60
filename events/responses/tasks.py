"""Celery entry points for responses; the work is done by services."""

from celery import shared_task


@shared_task(name="responses.redact_response", acks_late=True, bind=True, max_retries=8)
def redact_response(self, response_id: int) -> bool:
    from .redaction import response_redact

    try:
        return response_redact(response_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 1))) from error


@shared_task(name="responses.overdue_reminders", acks_late=True)
def overdue_reminders_task() -> int:
    """Emails the owners of overdue safety actions (run daily by beat)."""
    from .actions import overdue_reminders_send

    return overdue_reminders_send()
