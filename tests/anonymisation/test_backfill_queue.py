"""With the real Redis and a real worker: a back-fill of re-redactions waits behind live submissions."""

import datetime as dt
import time

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from events.models import EventRevision, RedactionRun, RedactionStatus
from events.redaction import redaction_backfill, redaction_sweep, revision_redact
from events.redaction_queue import BACKFILL_QUEUE
from events.services import event_submit
from tests.events.test_services import ready_draft
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def queue_length(name: str) -> int:
    from lfpse.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.client.llen(name)


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_a_live_submission_is_redacted_before_a_backfill_queued_ahead_of_it(celery_worker):
    from lfpse.celery import app

    recorder = UserFactory()
    old = [event_submit(draft=ready_draft(recorder), actor=recorder) for _ in range(6)]
    assert wait_for(
        lambda: not EventRevision.objects.filter(redaction_status=RedactionStatus.PENDING).exists(), 120
    )
    celery_worker.stop()
    app.control.purge()

    assert redaction_backfill([revision.pk for revision in old]) == 6
    assert queue_length(BACKFILL_QUEUE) == 6
    assert queue_length("lfpse") == 0
    assert RedactionRun.objects.filter(revision__in=old, rerun_requested_at__isnull=False).count() == 6
    assert redaction_sweep(now=timezone.now() + dt.timedelta(minutes=10)) == 0  # on their way: not again
    with transaction.atomic():
        live = event_submit(draft=ready_draft(recorder), actor=recorder)  # queued on commit, after them

    celery_worker.start()
    assert wait_for(lambda: not RedactionRun.objects.filter(rerun_requested_at__isnull=False).exists(), 180)
    live_done = RedactionRun.objects.get(revision=live).completed_at
    backfill_done = sorted(
        RedactionRun.objects.filter(revision__in=old).values_list("completed_at", flat=True)
    )
    assert live_done is not None
    # The worker holds one task when it starts (prefetch 1): the live one comes before all the others.
    assert sum(done < live_done for done in backfill_done) <= 1, (live_done, backfill_done)
    assert not revision_redact(live.pk)  # done once
