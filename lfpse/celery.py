"""Celery application. Tasks are thin entry points that call services."""

import os

from celery import Celery
from celery.signals import task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.demo")

app = Celery("lfpse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _warm_up(**_kwargs) -> None:
    """Loads what tasks need before the worker takes one, and before its pool forks (lfpse/warmup.py)."""
    from django.conf import settings

    if settings.WARM_UP_ON_START:
        from lfpse import warmup

        warmup.worker()


@task_prerun.connect
def _keep_or_refresh_connections(sender=None, **_kwargs) -> None:
    """A worker keeps its database connection from task to task, as the web keeps one from request to
    request: closed when older than CONN_MAX_AGE or unusable, and checked before its first statement
    (CONN_HEALTH_CHECKS), so a restarted PostgreSQL costs no task. Celery's own Django fix-up would close
    it around every task (CELERY_DB_REUSE_MAX, settings): a new PostgreSQL backend each task, which plans
    every statement on cold catalogue caches (docs/adr/0022). Not for tasks run in place (eager), which
    run inside the caller's transaction."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
