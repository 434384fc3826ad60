"""Celery application. Tasks are thin entry points that call services."""

import os

from celery import Celery
from celery.signals import worker_init

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
