"""Celery entry points for the patients app; the work is done by services."""

from celery import shared_task


@shared_task(name="patients.redact_recorder_update", bind=True, acks_late=True, max_retries=8)
def redact_recorder_update(self, update_id: int) -> bool:
    """Redacts the note of an organisation's feedback to a recorder, then emails the recorder."""
    from .services import recorder_update_redact

    try:
        return recorder_update_redact(update_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 1))) from error


@shared_task(name="patients.record_progress_refresh", bind=True, acks_late=True, max_retries=8)
def record_progress_refresh_task(self, event_ids=None, response_id=None) -> int:
    """Emails recorders whose record reached a new stage (a review, a response, actions, closure)."""
    from .services import record_progress_refresh

    try:
        return record_progress_refresh(event_ids=event_ids, response_id=response_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 1))) from error


@shared_task(name="patients.send_recorder_progress", bind=True, acks_late=True, max_retries=5)
def send_recorder_progress(self, event_id: int, stage: str, update_id: int | None = None) -> int:
    """Emails a recorder where their record has got to (and the organisation's redacted note); ids
    only in the message, the text is read here. Retried when sending fails."""
    from .notifications import recorder_progress_send

    try:
        return recorder_progress_send(event_id, stage, update_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 1))) from error


@shared_task(name="patients.drafts_expire", acks_late=True)
def patient_drafts_expire_task() -> int:
    from .services import patient_drafts_expire

    return patient_drafts_expire()
