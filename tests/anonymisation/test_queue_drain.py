"""The redaction queue drains between bursts (docs/adr/0022, amended): the sweep never sends again a
revision still waiting behind the head of the queue, a second back-fill over the same records queues
nothing new, and a re-run that gives the same text rebuilds nothing."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.utils import timezone

from events import redaction_queue
from events.lifecycle import revision_publish
from events.models import EventRevision, RedactionRun
from events.redaction import redaction_backfill, redaction_sweep, revision_redact
from events.redaction_queue import QUEUED_AT_HEADER, oldest_waiting
from tests.anonymisation.test_revision_redaction import submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorder(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def broker_kept_its_tasks():
    """The broker here never came back empty (tests/anonymisation/test_broker_loss.py)."""
    with mock.patch("events.redaction.broker_came_back_empty", return_value=False):
        yield


def head(minutes_ago: int, now):
    return mock.patch("events.redaction.oldest_waiting", return_value=now - dt.timedelta(minutes=minutes_ago))


def recording(sent: list):
    return mock.patch(
        "events.redaction.send_for_redaction", side_effect=lambda pk, **kw: sent.append((pk, kw)) or True
    )


def test_the_sweep_leaves_a_revision_queued_after_the_task_at_the_head_of_the_queue(recorder):
    """Ten minutes of backlog with a two-minute sweep delay: every task behind the head is still there."""
    revision = submitted(recorder)
    now = timezone.now() + dt.timedelta(minutes=30)
    RedactionRun.objects.filter(revision=revision).update(queued_at=now - dt.timedelta(minutes=8))
    sent = []
    with recording(sent), head(10, now):
        assert redaction_sweep(now=now) == 0
    # The head was queued after it: its task is not in the queue any more (lost), so it is sent again.
    with recording(sent), head(7, now):
        assert redaction_sweep(now=now) == 1
    # Nothing known about the queue (empty, or the broker down): the sweep's delay alone decides.
    with recording(sent), mock.patch("events.redaction.oldest_waiting", return_value=None):
        assert redaction_sweep(now=now) == 1
    assert sent == [(revision.pk, {}), (revision.pk, {})]


def test_the_head_of_the_queue_is_read_from_the_oldest_task_that_carries_its_time(settings):
    from lfpse.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs REDIS_URL")
    queue = "lfpse.test.head"
    stamp = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)
    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        client.delete(queue)
        try:
            assert oldest_waiting(queue) is None
            # kombu pushes on the left and takes from the right: the right end is the head.
            client.lpush(queue, json.dumps({"headers": {}}))  # sent before tasks carried the time
            client.lpush(queue, json.dumps({"headers": {QUEUED_AT_HEADER: stamp.timestamp()}}))
            client.lpush(queue, json.dumps({"headers": {QUEUED_AT_HEADER: stamp.timestamp() + 60}}))
            assert oldest_waiting(queue) == stamp
        finally:
            client.delete(queue)


def test_a_broker_that_does_not_answer_tells_the_sweep_nothing():
    with mock.patch("lfpse.celery.app.connection_for_read", side_effect=OSError("down")):
        assert oldest_waiting() is None


def test_a_second_backfill_over_records_still_waiting_queues_nothing_new(recorder):
    revisions = [submitted(recorder) for _ in range(3)]
    for revision in revisions:
        revision_redact(revision.pk)
    ids = [revision.pk for revision in revisions]
    with mock.patch("events.redaction.send_for_redaction", return_value=True) as send:
        assert redaction_backfill(ids[:2]) == 2
        assert redaction_backfill(ids) == 1  # the first two are still waiting for their re-run
    assert [call.args[0] for call in send.call_args_list] == [ids[0], ids[1], ids[2]]
    # Done (the worker cleared the request), or lost (queued more than an hour ago): sent again.
    RedactionRun.objects.filter(revision_id=ids[0]).update(rerun_requested_at=None)
    RedactionRun.objects.filter(revision_id=ids[1]).update(queued_at=timezone.now() - dt.timedelta(hours=2))
    with mock.patch("events.redaction.send_for_redaction", return_value=True) as send:
        assert redaction_backfill(ids) == 2
    assert sorted(call.args[0] for call in send.call_args_list) == [ids[0], ids[1]]


def test_a_rerun_that_gives_the_same_text_rebuilds_nothing_and_a_changed_one_waits_on_the_backfill_queue(
    recorder, django_capture_on_commit_callbacks
):
    revision = submitted(recorder)
    revision_redact(revision.pk)
    revision = EventRevision.objects.get(pk=revision.pk)
    embed = "events.similarity.tasks.event_embed_task.apply_async"
    with mock.patch(embed) as queued, django_capture_on_commit_callbacks(execute=True):
        revision_publish(revision_id=revision.pk, redacted_answers=revision.redacted_answers, supersede=True)
    queued.assert_not_called()
    changed = {**revision.redacted_answers, "Description": "[PERSON 1] was given the wrong dose."}
    with mock.patch(embed) as queued, django_capture_on_commit_callbacks(execute=True):
        revision_publish(revision_id=revision.pk, redacted_answers=changed, supersede=True)
    queued.assert_called_once_with((revision.event_id,), queue=redaction_queue.BACKFILL_QUEUE)
    assert EventRevision.objects.get(pk=revision.pk).redacted_answers["Description"] == changed["Description"]


def test_a_new_record_is_embedded_from_the_live_queue(recorder, django_capture_on_commit_callbacks):
    revision = submitted(recorder)
    with (
        mock.patch("events.similarity.tasks.event_embed_task.apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        revision_redact(revision.pk)
    queued.assert_called_once_with((revision.event_id,), queue=redaction_queue.LIVE_QUEUE)
