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


@shared_task(name="responses.redact_free_text", acks_late=True, bind=True, max_retries=8)
def redact_free_text(self, kind: str, pk: int) -> bool:
    """Redacts the free text of a decision, safety action, plan or engagement note (free_text.py)."""
    from .free_text import free_text_redact

    try:
        return free_text_redact(kind, pk)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 1))) from error


@shared_task(name="responses.free_text_sweep", acks_late=True)
def free_text_sweep_task() -> int:
    """Queues again free text left unredacted (a lost task; rows from before the encryption)."""
    from .free_text import free_text_sweep

    return free_text_sweep()


@shared_task(name="responses.send_emails", acks_late=True, bind=True, max_retries=5)
def send_emails(self, emails: list[dict]) -> int:
    """Sends the emails a response service composed (notifications.py), from the worker."""
    from .notifications import emails_send

    try:
        return emails_send(emails)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 1))) from error


@shared_task(name="responses.send_overdue_reminder", acks_late=True, bind=True, max_retries=5)
def send_overdue_reminder(self, owner_id: int, action_ids: list[int], day: str) -> int:
    """Renders and sends one owner's overdue reminder from ids (notifications.overdue_actions)."""
    from .notifications import overdue_reminder_send

    try:
        return overdue_reminder_send(owner_id, action_ids, day)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 1))) from error
