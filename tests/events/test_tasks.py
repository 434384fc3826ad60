"""The periodic draft expiry, in process and through the real Redis and worker."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from events.models import Draft
from events.services import draft_create
from events.tasks import drafts_expire_task
from lfpse.celery import app
from tests.factories import UserFactory


def old_draft(days: int) -> Draft:
    draft = draft_create(actor=UserFactory(), anonymous=False)
    Draft.objects.filter(pk=draft.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    return draft


@pytest.mark.django_db
def test_the_task_deletes_expired_drafts():
    expired, kept = old_draft(31), old_draft(29)
    assert drafts_expire_task.apply().get() == 1
    assert list(Draft.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Draft.objects.filter(pk=expired.pk).exists()


def test_beat_runs_the_expiry_every_five_minutes():
    schedule = app.conf.beat_schedule["expire-drafts"]
    assert schedule["task"] == drafts_expire_task.name
    assert schedule["schedule"] == 300.0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_expiry(celery_worker):
    assert not app.conf.task_always_eager  # REDIS_URL is set: tasks go through the broker
    old_draft(40)
    drafts_expire_task.delay()
    deadline = time.monotonic() + 30
    while Draft.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Draft.objects.exists()
