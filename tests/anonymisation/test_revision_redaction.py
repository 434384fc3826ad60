"""Redaction of event revisions: the gate, numbering across revisions, idempotency, the sweep, and a
broker that is down when a record is submitted."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from anonymisation.pipeline.risk import residual_risk
from events import redaction as redaction_module
from events.free_text import free_text_fields
from events.models import EventRevision, PlaceholderNumbering, RedactionRun, RedactionStatus
from events.presenters import BEING_PROCESSED, answers_for_display
from events.redaction import placeholder_summary, redaction_sweep, revision_redact
from events.redaction_queue import QUEUED_AT_HEADER, send_for_redaction
from events.services import draft_record_page, event_edit_open, event_resubmit, event_submit
from tests.events.test_services import ready_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NARRATIVE = (
    "Nurse Joanna Kowalczyk found Mr Adebayo Okonkwo on the floor. She called his daughter on "
    "07700 900123 and emailed joanna.k@example.org. Mr Okonkwo has Parkinson's disease."
)


@pytest.fixture
def recorder(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def queue_head_unknown():
    """The sweep here decides by its delay alone, whatever another test or run left in the broker
    (tests/anonymisation/test_queue_drain.py tests the head of the queue, test_broker_loss.py a broker
    that came back empty)."""
    with (
        mock.patch("events.redaction.oldest_waiting", return_value=None),
        mock.patch("events.redaction.broker_came_back_empty", return_value=False),
    ):
        yield


def submitted(recorder, description=NARRATIVE) -> EventRevision:
    return event_submit(draft=ready_draft(recorder, Description=description), actor=recorder)


def test_a_revision_is_hidden_until_redacted_then_shows_numbered_placeholders(recorder):
    revision = submitted(recorder)
    assert revision.event.visible_revision is None
    assert answers_for_display(revision)["Description"] == BEING_PROCESSED

    assert revision_redact(revision.pk) is True
    revision.refresh_from_db()
    text = revision.redacted_answers["Description"]
    assert revision.redaction_status == RedactionStatus.COMPLETE
    assert revision.event.visible_revision_id == revision.pk
    for secret in ["Kowalczyk", "Adebayo", "Okonkwo", "07700 900123", "joanna.k@example.org"]:
        assert secret not in text
    assert "[PERSON 1]" in text and "[PERSON 2]" in text
    assert "[PHONE NUMBER 1]" in text and "[EMAIL ADDRESS 1]" in text
    assert "Parkinson's disease" in text  # an eponym, not a name
    # The coded answers are untouched and the raw text is still there, encrypted, for its author.
    assert revision.redacted_answers["EventType"] == revision.answers["EventType"]
    assert EventRevision.objects.get(pk=revision.pk).answers["Description"] == NARRATIVE


def test_the_summary_keeps_types_and_counts_never_values(recorder):
    revision = submitted(recorder)
    revision_redact(revision.pk)
    run = RedactionRun.objects.get(revision=revision)
    assert run.summary["PERSON"] >= 2
    assert run.summary["PHONE NUMBER"] == 1
    assert run.attempts == 1 and run.completed_at is not None
    assert "Okonkwo" not in str(run.summary)
    assert placeholder_summary({"a": "[PERSON 1] met [PERSON 2] and [PERSON 1]"}) == {"PERSON": 3}


def test_redacting_twice_changes_nothing(recorder):
    revision = submitted(recorder)
    revision_redact(revision.pk)
    first = EventRevision.objects.get(pk=revision.pk).redacted_answers
    assert revision_redact(revision.pk) is False
    assert EventRevision.objects.get(pk=revision.pk).redacted_answers == first
    assert RedactionRun.objects.get(revision=revision).attempts == 1


def test_the_same_person_keeps_their_number_across_revisions(recorder):
    first = submitted(recorder)
    revision_redact(first.pk)
    draft = event_edit_open(event=first.event, actor=recorder)
    draft_record_page(
        draft=draft,
        page_id="Description",
        values={"Description": "Dr Farah Siddiqui reviewed Mr Okonkwo the next morning."},
    )
    second = event_resubmit(draft=draft, actor=recorder)
    revision_redact(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    number_in_first = first.redacted_answers["Description"].split("Mr ")[1][:10]
    assert "[PERSON 2]" in number_in_first
    assert "Mr [PERSON 2]" in second.redacted_answers["Description"]
    assert "[PERSON 3]" in second.redacted_answers["Description"]  # Dr Siddiqui is new
    assert second.event.visible_revision_id == second.pk
    assert PlaceholderNumbering.objects.filter(event=first.event).count() == 1


def test_free_text_in_every_field_and_patient_is_redacted(recorder):
    revision = submitted(recorder)
    answers = revision.answers
    answers["ImmediateActions"] = "Told Priya Raman in pharmacy."
    answers["patients"][0]["ClinicalOutcome"] = "Seen by Dr Chen Wei."
    revision.answers = answers
    revision.save(update_fields=["answers"])
    revision_redact(revision.pk)
    revision.refresh_from_db()
    assert "Priya" not in revision.redacted_answers["ImmediateActions"]
    assert "Chen" not in revision.redacted_answers["patients"][0]["ClinicalOutcome"]


def test_the_sweep_queues_only_revisions_left_pending(recorder):
    stuck, done = submitted(recorder), submitted(recorder)
    revision_redact(done.pk)
    sent = []
    with mock.patch(
        "events.redaction.send_for_redaction", side_effect=lambda pk, **_: sent.append(pk) or True
    ):
        assert redaction_sweep(now=timezone.now()) == 0  # too recent: a worker may still be on it
        assert redaction_sweep(now=timezone.now() + dt.timedelta(minutes=6)) == 1
    assert sent == [stuck.pk]


def test_the_sweep_leaves_a_revision_queued_lately_whose_task_is_still_in_a_long_queue(recorder):
    """A back-fill of thousands: the tasks are on their way, re-queueing them every minute would only
    lengthen the queue. One queued longer ago than the sweep's delay (a lost task) is queued again."""
    revision = submitted(recorder)
    later = timezone.now() + dt.timedelta(minutes=10)
    sent = []
    with mock.patch(
        "events.redaction.send_for_redaction", side_effect=lambda pk, **_: sent.append(pk) or True
    ):
        RedactionRun.objects.filter(revision=revision).update(queued_at=later - dt.timedelta(minutes=2))
        assert redaction_sweep(now=later) == 0
        RedactionRun.objects.filter(revision=revision).update(queued_at=later - dt.timedelta(minutes=6))
        assert redaction_sweep(now=later) == 1
    assert sent == [revision.pk]


def test_the_sweep_leaves_a_backfill_rerun_waiting_in_its_long_queue_until_it_cannot_be_there(recorder):
    """10,000 re-runs take longer than the sweep's delay to work through: sending them all again every
    few minutes only made the queue longer (it doubled in a load run). After an hour, a lost one is."""
    revision = submitted(recorder)
    revision_redact(revision.pk)
    later = timezone.now() + dt.timedelta(hours=3)
    RedactionRun.objects.filter(revision=revision).update(rerun_requested_at=later - dt.timedelta(hours=2))
    sent = []
    with mock.patch(
        "events.redaction.send_for_redaction", side_effect=lambda pk, **kw: sent.append((pk, kw)) or True
    ):
        RedactionRun.objects.filter(revision=revision).update(queued_at=later - dt.timedelta(minutes=30))
        assert redaction_sweep(now=later) == 0
        RedactionRun.objects.filter(revision=revision).update(queued_at=later - dt.timedelta(minutes=61))
        assert redaction_sweep(now=later) == 1
    assert sent == [(revision.pk, {"backfill": True})]


def test_a_submission_succeeds_while_the_broker_is_down_and_the_sweep_catches_up(
    recorder, django_capture_on_commit_callbacks, settings
):
    from lfpse.celery import app

    original_url, original_eager = app.conf.broker_url, app.conf.task_always_eager
    original_options = app.conf.broker_transport_options
    original_pools = app._pool, app.amqp._producer_pool
    # Connection and producer pools of their own for the dead address; the real ones are left alone.
    app._pool = app.amqp._producer_pool = None
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there: the broker is "down"
    app.conf.broker_transport_options = {"socket_connect_timeout": 0.5, "max_retries": 0}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            revision = submitted(recorder)
        assert EventRevision.objects.get(pk=revision.pk).redaction_status == RedactionStatus.PENDING
        assert RedactionRun.objects.get(revision=revision).queued_at is None
    finally:
        app.conf.broker_url, app.conf.task_always_eager = original_url, original_eager
        app.conf.broker_transport_options = original_options
        if app._pool is not None:
            app._pool.force_close_all()  # only the pool of the dead address
        app._pool, app.amqp._producer_pool = original_pools

    # The broker is back: the next sweep queues it (never queued, it has no task to wait for: not the
    # sweep's five minutes) and (tasks run in process here) it is redacted.
    with mock.patch(
        "events.redaction.send_for_redaction", side_effect=lambda pk, **_: bool(revision_redact(pk))
    ):
        assert redaction_sweep(now=timezone.now()) == 0  # a moment ago: its sending may be on the way
        assert redaction_sweep(now=timezone.now() + dt.timedelta(seconds=31)) == 1
    revision.refresh_from_db()
    assert revision.redaction_status == RedactionStatus.COMPLETE


def test_queueing_records_when_a_revision_was_sent(recorder, settings):
    revision = submitted(recorder)
    with mock.patch("events.tasks.redact_revision.apply_async") as send:
        assert send_for_redaction(revision.pk) is True
    send.assert_called_once()
    assert send.call_args.args == ((revision.pk,),) and send.call_args.kwargs["queue"] == "lfpse"
    queued_at = RedactionRun.objects.get(revision=revision).queued_at
    assert queued_at is not None
    # The task carries the same time, for the sweep to read at the head of the queue.
    assert send.call_args.kwargs["headers"] == {QUEUED_AT_HEADER: queued_at.timestamp()}


def test_the_run_keeps_the_residual_risk_of_what_was_left_never_the_words(recorder):
    revision = submitted(recorder, "Seen by Dr Okonkwo. Hospital number RXX-1234567 noted by OYELARAN.")
    revision_redact(revision.pk)
    revision.refresh_from_db()
    run = RedactionRun.objects.get(revision=revision)
    expected = residual_risk(free_text_fields(revision.redacted_answers, revision.question_set_version))
    assert run.risk_score == expected.score
    assert run.risk_reasons == list(expected.reasons)
    assert all("Okonkwo" not in reason and "1234567" not in reason for reason in run.risk_reasons)


def test_the_run_counts_name_like_words_left_in_lower_case_text(recorder):
    revision = submitted(recorder, "msg from deb in group: can someone check the pressure areas")
    revision_redact(revision.pk)
    run = RedactionRun.objects.get(revision=revision)
    assert "name-like word left" in run.risk_reasons
    assert run.risk_score >= 2.0
    assert all("deb" not in reason for reason in run.risk_reasons)


def test_a_name_like_word_marked_as_missed_is_no_longer_counted_once_corrected(recorder):
    """The super admin marks the word the redaction kept: the re-run redacts it, and the risk stops
    counting it as a name-like word left."""
    from events.redaction import redaction_corrections_record

    revision = submitted(recorder, "msg from deb in group: can someone check the pressure areas")
    revision_redact(revision.pk)
    assert "name-like word left" in RedactionRun.objects.get(revision=revision).risk_reasons
    admin = UserFactory(is_super_admin=True)
    redaction_corrections_record(revision=revision, actor=admin, missed=[("PERSON", "deb")], keep=[])
    assert revision_redact(revision.pk) is True
    revision.refresh_from_db()
    assert "deb" not in revision.redacted_answers["Description"]
    run = RedactionRun.objects.get(revision=revision)
    assert not any("name-like" in reason for reason in run.risk_reasons)


def test_the_sweep_queues_a_correction_run_left_waiting(recorder):
    revision = submitted(recorder)
    revision_redact(revision.pk)
    RedactionRun.objects.filter(revision=revision).update(rerun_requested_at=timezone.now())
    sent = []
    with mock.patch(
        "events.redaction.send_for_redaction", side_effect=lambda pk, **_: sent.append(pk) or True
    ):
        assert redaction_sweep(now=timezone.now()) == 0
        assert redaction_sweep(now=timezone.now() + dt.timedelta(minutes=6)) == 1
    assert sent == [revision.pk]


def test_corrections_marked_while_a_rerun_works_ask_for_another_run(recorder):
    revision = submitted(recorder)
    revision_redact(revision.pk)
    first_request = timezone.now() - dt.timedelta(seconds=5)
    RedactionRun.objects.filter(revision=revision).update(rerun_requested_at=first_request)
    newer = timezone.now()

    def newer_corrections_arrive(*args, **kwargs):
        RedactionRun.objects.filter(revision=revision).update(rerun_requested_at=newer)
        return original(*args, **kwargs)

    original = redaction_module.revision_publish
    with mock.patch("events.redaction.revision_publish", side_effect=newer_corrections_arrive):
        assert revision_redact(revision.pk) is True
    run = RedactionRun.objects.get(revision=revision)
    assert run.rerun_requested_at == newer and not run.corrected  # still waiting for its own run
    assert revision_redact(revision.pk) is True
    run.refresh_from_db()
    assert run.rerun_requested_at is None and run.corrected
