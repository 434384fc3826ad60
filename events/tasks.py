"""Celery entry points for recording; the work is done by services."""

from celery import shared_task

from .services import drafts_expire


@shared_task(name="events.drafts_expire", acks_late=True)
def drafts_expire_task() -> int:
    """Deletes expired drafts (run every few minutes by beat)."""
    return drafts_expire()
