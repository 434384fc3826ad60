"""With the real Redis and a real worker: a worker killed in the middle of a redaction."""

import datetime as dt
import time

import pytest

from events.models import EventRevision, RedactionRun, RedactionStatus
from events.redaction import redaction_sweep
from events.redaction_queue import send_for_redaction
from events.services import event_submit
from tests.events.test_services import ready_draft
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LONG_TEXT = " ".join(
    f"On ward {n % 9 + 1} Nurse Grace Oduya checked the infusion pump with Dr Liam O'Connor."
    for n in range(300)
)


def wait_for(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def test_a_revision_is_redacted_once_after_its_worker_was_killed_mid_task(celery_worker):
    recorder = UserFactory()
    revision = event_submit(draft=ready_draft(recorder, Description=LONG_TEXT), actor=recorder)

    # The task has started (its attempt is counted before the model loads and the text is analysed).
    assert wait_for(lambda: RedactionRun.objects.filter(revision=revision, attempts__gte=1).exists(), 60)
    celery_worker.kill()
    assert EventRevision.objects.get(pk=revision.pk).redaction_status == RedactionStatus.PENDING

    celery_worker.start()
    # The unacknowledged task comes back by itself after the visibility timeout; the sweep is the
    # safety net when it does not.
    if not wait_for(lambda: _complete(revision.pk), 45):
        redaction_sweep(now=revision.created_at + dt.timedelta(hours=1))
    assert wait_for(lambda: _complete(revision.pk), 90), "the revision was not redacted after the restart"

    done = EventRevision.objects.get(pk=revision.pk)
    completed_at = RedactionRun.objects.get(revision=revision).completed_at
    assert "Oduya" not in done.redacted_answers["Description"]
    assert done.event.visible_revision_id == done.pk

    # Delivered again (a duplicate): nothing changes.
    assert send_for_redaction(revision.pk)
    time.sleep(3)
    assert RedactionRun.objects.get(revision=revision).completed_at == completed_at
    assert EventRevision.objects.get(pk=revision.pk).redacted_answers == done.redacted_answers


def _complete(revision_id: int) -> bool:
    return EventRevision.objects.filter(pk=revision_id, redaction_status=RedactionStatus.COMPLETE).exists()


@pytest.mark.django_db
def test_a_redaction_that_fails_with_the_database_down_is_tried_again_not_dropped():
    """The database down: the task's read fails, and so does noting the failure on the run. The task is
    still tried again (before, the second failure escaped, the task was acknowledged as failed and its
    record stayed hidden until the sweep's delay)."""
    from unittest import mock

    from django.db import OperationalError

    from events.tasks import redact_revision

    recorder = UserFactory()
    revision = event_submit(draft=ready_draft(recorder), actor=recorder)
    down = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    with (
        mock.patch("events.redaction.revision_redact", side_effect=down),
        mock.patch("events.redaction.RedactionRun.objects.filter", side_effect=down),
        mock.patch.object(redact_revision, "retry", side_effect=RuntimeError("tried again")) as retry,
        pytest.raises(RuntimeError, match="tried again"),
    ):
        redact_revision.run(revision.pk)
    assert retry.call_args.kwargs["exc"] is down
