"""A broker that came back empty (Redis restarted without its data): the sweep sends the revisions
whose tasks went with it at once, not after its delay (docs/adr/0022, 2026-12-06). With the real Redis."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from events.models import EventRevision, RedactionRun
from events.redaction import redaction_sweep
from events.redaction_queue import BROKER_MARK, broker_came_back_empty
from tests.anonymisation.test_revision_redaction import submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    from lfpse.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs REDIS_URL")
    with app.connection_for_write() as connection:
        yield connection.default_channel.client


@pytest.fixture
def waiting(db):
    """A revision sent for redaction a minute ago and not redacted yet: under the sweep's delay."""
    revision = submitted(UserFactory())
    now = timezone.now()
    EventRevision.objects.filter(pk=revision.pk).update(created_at=now - dt.timedelta(seconds=61))
    RedactionRun.objects.filter(revision=revision).update(queued_at=now - dt.timedelta(seconds=60))
    return revision


def sweep(sent: list, head: dt.datetime | None = None) -> int:
    with (
        mock.patch("events.redaction.oldest_waiting", return_value=head),
        mock.patch(
            "events.redaction.send_for_redaction", side_effect=lambda pk, **kw: sent.append((pk, kw)) or True
        ),
    ):
        return redaction_sweep()


def test_a_revision_whose_task_the_broker_lost_is_sent_again_at_the_next_sweep(broker, waiting):
    broker.set(BROKER_MARK, "1")
    sent: list = []
    assert sweep(sent) == 0  # its task is on its way: the sweep waits its delay
    broker.delete(BROKER_MARK)  # Redis restarted, and kept nothing
    assert sweep(sent) == 1
    assert sent == [(waiting.pk, {})]
    assert broker.get(BROKER_MARK) is not None  # marked again: the next sweep waits its delay again
    assert sweep(sent) == 0


def test_a_revision_queued_after_the_broker_came_back_is_still_in_the_queue(broker, waiting):
    broker.delete(BROKER_MARK)
    sent: list = []
    # The head of the queue was sent before this revision's task: that task is behind it, not lost.
    assert sweep(sent, head=timezone.now() - dt.timedelta(seconds=90)) == 0
    assert sent == []


def test_a_revision_made_a_moment_ago_is_left_to_its_own_task(broker, waiting):
    EventRevision.objects.filter(pk=waiting.pk).update(created_at=timezone.now())
    broker.delete(BROKER_MARK)
    sent: list = []
    assert sweep(sent) == 0


def test_the_broker_mark_is_set_once_and_nothing_is_known_when_the_broker_does_not_answer(broker):
    broker.delete(BROKER_MARK)
    assert broker_came_back_empty() is True
    assert broker_came_back_empty() is False
    with mock.patch("lfpse.celery.app.connection_for_write", side_effect=OSError("down")):
        assert broker_came_back_empty() is False
