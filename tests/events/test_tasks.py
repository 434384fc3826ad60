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
    _expire_an_old_draft_through_the_worker()


def _expire_an_old_draft_through_the_worker() -> None:
    old_draft(40)
    drafts_expire_task.delay()
    deadline = time.monotonic() + 30
    while Draft.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Draft.objects.exists()


def _worker_backends() -> set[tuple[int, object]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return set(cursor.fetchall())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_keeps_its_database_connection_from_task_to_task(celery_worker):
    """Not a new PostgreSQL backend for every task (Celery's Django fix-up would close the connection
    around each one): the same backend serves the next task (lfpse/celery.py, docs/adr/0022)."""
    seen = []
    for _ in range(3):
        _expire_an_old_draft_through_the_worker()
        time.sleep(0.3)  # the task's postrun has run by now
        seen.append(_worker_backends())
    assert seen[0], "the worker's connection was closed after its task"
    assert seen[0] == seen[1] == seen[2]


def test_a_task_run_in_place_leaves_the_callers_connection_alone(db):
    from django.db import connection

    from lfpse.celery import _keep_or_refresh_connections

    class Eager:
        class request:
            is_eager = True

    connection.ensure_connection()
    before = connection.connection
    _keep_or_refresh_connections(sender=Eager)
    assert connection.connection is before and connection.in_atomic_block
