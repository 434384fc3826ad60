"""Celery entry points: thin, they call services."""

from celery import shared_task

from .services import release_build_due


@shared_task(name="publication.release_build_due")
def release_build_due_task() -> str:
    release = release_build_due()
    return str(release) if release else "nothing due"
