"""Celery application. Tasks are thin entry points that call services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.demo")

app = Celery("lfpse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
