"""Every recorder is emailed when their record reaches a new stage (issue 17, point 5): reviewed,
response chosen, actions agreed, closed; and "received" when the organisation writes to them. Once per
change, never when the stage stays the same, with nothing of the record but its reference, the stage
and the organisation's redacted note. Real database, real lifecycles, the worker's task run eagerly,
and Django's email outbox."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from events.lifecycle import event_create, revision_append
from events.models import Event
from events.patients.models import RecorderStage, Stage
from events.patients.selectors import recorder_stages
from events.patients.services import follow_link_create, recorder_update_give
from events.responses.actions import safety_action_create
from events.responses.lifecycle import response_move
from events.responses.services import response_decide

from .helpers import follow_token, publish, send

DESCRIPTION = "Mr Alan Walsh fell from the bed at night; the rails were down."


@pytest.fixture(autouse=True)
def _worker_runs_tasks_at_once(monkeypatch):
    """The worker's task (patients.record_progress_refresh) runs as soon as it is queued."""
    from lfpse.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def owner(places, user_factory, membership_factory):
    user = user_factory(email="owner@nhs.net")
    membership_factory(user=user, organisation=places["RR8"], account_type="organisational")
    return user


def _staff_record(places, *, recorder=None):
    revision = event_create(
        actor=recorder,
        answers={"EventType": "1", "Organisation": "RR8", "Description": DESCRIPTION},
        question_set_version="5",
        recorder_organisation=places["RR8"] if recorder else None,
        fallback_organisation=places["RR8"],
        is_anonymous=recorder is None,
    )
    return publish(revision.event)


def _committed(function, *args, **kwargs):
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = function(*args, **kwargs)
    return result


def _review(event):
    revision = event.visible_revision
    return revision_append(
        event=event, action="reviewed", actor=None, answers=revision.answers, redacted_from=revision
    )


def _decide(event, kind="aar"):
    return response_decide(
        actor=None, event=event, kind=kind, rationale="To learn from it.", api_client="test client"
    )


def _action(response, owner):
    return safety_action_create(
        actor=None,
        api_client="test client",
        organisation=response.organisation,
        response=response,
        values={
            "area_for_improvement": "Bed rails",
            "action": "Check bed rails at every handover.",
            "measure": "Audit of handovers.",
            "owner_email": owner.email,
            "due_date": dt.date.today() + dt.timedelta(days=30),
            "strength": "intermediate",
        },
    )


def _told(stage_label):
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    body = mail.outbox[0].body
    assert f"Where it has got to: {stage_label}" in body
    assert "Walsh" not in body and "rails were down" not in body  # nothing the recorder wrote
    for _content, mimetype in mail.outbox[0].alternatives:
        assert mimetype == "text/html"
    return mail.outbox[0]


def test_a_signed_in_recorder_is_emailed_at_every_stage_and_only_when_it_changes(places, owner, user_factory):
    recorder = user_factory(email="recorder@nhs.net")
    event = _staff_record(places, recorder=recorder)
    assert mail.outbox == []  # received: the "Record Submitted" page says so, no email

    _committed(_review, event)
    message = _told("Reviewed")
    assert message.to == ["recorder@nhs.net"] and event.display_reference in message.subject
    assert reverse("events:record_detail", args=[event.reference]) in message.body

    _committed(
        revision_append, event=event, action="updated", actor=recorder, answers=event.visible_revision.answers
    )
    assert mail.outbox == []  # recorder updated: still reviewed, nothing to tell
    _committed(_review, publish(event))
    assert mail.outbox == []  # reviewed again: the stage did not change

    response = _committed(_decide, event)
    _told("Response chosen")
    _committed(_action, response, owner)
    _told("Actions agreed")
    _committed(_action, response, owner)
    assert mail.outbox == []  # a second action: still "actions agreed"
    _committed(response_move, response, "completed", actor=None)
    _told("Closed")
    assert RecorderStage.objects.get(event=event).stage == Stage.CLOSED


def test_a_decision_of_no_further_response_closes_the_record_at_once(places, user_factory):
    recorder = user_factory(email="recorder@nhs.net")
    event = _staff_record(places, recorder=recorder)
    _committed(_decide, event, "none")
    _told("Closed")
    assert recorder_stages(Event.objects.filter(pk=event.pk)) == {event.pk: Stage.CLOSED}


def test_an_anonymous_staff_recorder_with_a_follow_link_and_email_is_emailed(places, owner):
    event = _staff_record(places)
    token = follow_link_create(event=event, email="anon@nhs.net")
    _committed(_review, event)
    message = _told("Reviewed")
    assert message.to == ["anon@nhs.net"] and token not in message.body  # the link is never re-sent
    response = _committed(_decide, event)
    _told("Response chosen")
    _committed(_action, response, owner)
    _told("Actions agreed")
    _committed(response_move, response, "completed", actor=None)
    _told("Closed")


def test_an_anonymous_staff_recorder_without_an_email_is_not_written_to(places):
    event = _staff_record(places)
    follow_link_create(event=event)
    _committed(_review, event)
    assert mail.outbox == []
    assert RecorderStage.objects.get(event=event).stage == Stage.REVIEWED  # their link page says so


def test_a_patient_who_gave_an_email_is_emailed_at_every_stage(client, places, owner):
    event = publish(send(client))
    _committed(client.post, reverse("patients:sent"), {"email": "sam@example.org"})
    token = follow_token(client)
    _committed(_review, event)
    message = _told("Reviewed")
    assert message.to == ["sam@example.org"] and token not in message.body
    assert "insulin" not in message.body  # nothing of what they wrote
    response = _committed(
        response_decide,
        actor=None,
        event=event,
        kind="referral",
        rationale="For the coroner.",
        referral_body="HM Coroner",
        api_client="test client",
    )
    # A referral is a response chosen; closing it closes the record.
    _told("Response chosen")
    _committed(response_move, response, "referral_closed", actor=None)
    _told("Closed")


def test_a_patient_without_an_email_is_not_written_to(client, places):
    event = publish(send(client))
    _committed(_review, event)
    assert mail.outbox == []


def test_received_is_told_when_the_organisation_writes_and_a_bare_repeat_says_nothing(
    places, owner, user_factory
):
    recorder = user_factory(email="recorder@nhs.net")
    event = _staff_record(places, recorder=recorder)
    _committed(recorder_update_give, event=event, actor=owner, stage=Stage.RECEIVED, note="")
    assert mail.outbox == []  # still "received": nothing new
    # The worker redacts the note (run at once here), then writes to the recorder.
    _committed(
        recorder_update_give, event=event, actor=owner, stage=Stage.RECEIVED, note="Dr Priya Raman has it."
    )
    message = _told("Received")
    assert "Priya" not in message.body and "has it." in message.body
    # The organisation's own stage and the record's are one: no second email when the review follows.
    _committed(recorder_update_give, event=event, actor=owner, stage=Stage.REVIEWED, note="")
    _told("Reviewed")
    _committed(_review, event)
    assert mail.outbox == []


def test_records_already_moved_on_are_remembered_at_their_stage_by_the_migration(places, owner, user_factory):
    """So that the first change after the release does not email anyone about an old stage."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("events.patients.migrations.0002_recorder_stage")
    untouched = _staff_record(places, recorder=user_factory())
    reviewed = _staff_record(places, recorder=user_factory())
    _review(reviewed)
    decided = _staff_record(places, recorder=user_factory())
    response = _decide(decided)
    _action(response, owner)
    RecorderStage.objects.all().delete()
    migration.remember_stages_reached(apps, None)
    assert dict(RecorderStage.objects.values_list("event_id", "stage")) == {
        reviewed.pk: Stage.REVIEWED,
        decided.pk: Stage.ACTIONS_AGREED,
    }
    assert recorder_stages(Event.objects.filter(pk=untouched.pk)) == {untouched.pk: "received"}
    mail.outbox.clear()
    _committed(
        revision_append,
        event=reviewed,
        action="updated",
        actor=None,
        answers=reviewed.visible_revision.answers,
    )
    assert mail.outbox == []


def test_a_note_redacted_twice_at_once_is_emailed_once(places, owner, user_factory, monkeypatch):
    """A redelivered or concurrent redaction of the same note finds it already redacted when it writes,
    and tells nobody: the run that redacted it has told the recorder."""
    from anonymisation import pipeline
    from events.patients.models import RecorderUpdate
    from events.patients.services import recorder_update_redact

    recorder = user_factory(email="recorder@nhs.net")
    event = _staff_record(places, recorder=recorder)
    update = RecorderUpdate.objects.create(
        event=event, stage=Stage.RECEIVED, note="Dr Priya Raman has it.", is_redacted=False, author=owner
    )
    redact = pipeline.redact_texts

    def the_other_run_finishes_first(texts, mapping):
        result = redact(texts, mapping)
        RecorderUpdate.objects.filter(pk=update.pk).update(redacted_note="[name] has it.", is_redacted=True)
        return result

    monkeypatch.setattr(pipeline, "redact_texts", the_other_run_finishes_first)
    assert _committed(recorder_update_redact, update.pk) is False
    assert mail.outbox == []


def test_a_backward_move_is_remembered_but_not_emailed(places, owner, user_factory):
    """Cancelling the only safety action takes the record back to "response chosen": the recorder,
    told of "actions agreed", is not emailed an older stage; a new action is news again."""
    from events.patients.services import record_progress_refresh
    from events.responses.models import ActionStatus, SafetyAction

    recorder = user_factory(email="recorder@nhs.net")
    event = _staff_record(places, recorder=recorder)
    response = _committed(_decide, event)
    action = _committed(_action, response, owner)
    _told("Actions agreed")
    SafetyAction.objects.filter(pk=action.pk).update(status=ActionStatus.CANCELLED)
    assert _committed(record_progress_refresh, event_ids=[event.pk]) == 0
    assert mail.outbox == []
    assert RecorderStage.objects.get(event=event).stage == Stage.RESPONSE_CHOSEN
    _committed(_action, response, owner)
    _told("Actions agreed")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SELECT ... FOR UPDATE needs PostgreSQL")
def test_the_stage_is_read_after_the_lock_is_taken(places, user_factory):
    """Of two refreshes at once, the one that waited for the lock reads the newer facts, so an older
    stage is never stored or emailed after a newer one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.patients.services import recorder_stage_tell

    event = _staff_record(places, recorder=user_factory(email="recorder@nhs.net"))
    _review(event)
    with CaptureQueriesContext(connection) as queries:
        recorder_stage_tell(event.pk)
    sql = [query["sql"] for query in queries.captured_queries]
    locked = next(i for i, text in enumerate(sql) if "FOR UPDATE" in text)
    read = next(i for i, text in enumerate(sql) if '"told_stage"' in text)
    assert locked < read, sql


def test_an_email_that_fails_to_send_is_retried_by_the_worker(places, owner, user_factory, monkeypatch):
    """The stage is remembered when the update commits; the email goes through a task of its own that
    the worker retries when the mail server fails, instead of being logged and lost."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    recorder = user_factory(email="recorder@nhs.net")
    event = _staff_record(places, recorder=recorder)
    send = EmailBackend.send_messages
    failures = []

    def fails_once(self, messages):
        if not failures:
            failures.append(messages)
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fails_once)
    from lfpse.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)  # as a worker: a retry runs again
    _committed(_review, event)
    assert failures
    _told("Reviewed")


def test_the_queued_email_carries_ids_never_text(places, owner, user_factory, monkeypatch):
    from events.patients import tasks

    recorder = user_factory(email="recorder@nhs.net")
    event = _staff_record(places, recorder=recorder)
    queued = []
    apply = tasks.send_recorder_progress.apply

    def delay(*args, **kwargs):
        queued.append((args, kwargs))
        return apply(args, kwargs)

    monkeypatch.setattr(tasks.send_recorder_progress, "delay", delay)
    _committed(
        recorder_update_give, event=event, actor=owner, stage=Stage.RECEIVED, note="Dr Priya Raman has it."
    )
    message = _told("Received")
    assert "Priya" not in message.body and "has it." in message.body
    [(args, kwargs)] = queued
    assert all(isinstance(arg, int | None) or arg in Stage.values for arg in [*args, *kwargs.values()])
    assert "has it" not in repr(queued)


def test_the_migration_remembering_stages_imports_no_app_code():
    """Its stage rules are a frozen copy: it imports Django alone, and reads historical models."""
    import ast
    from pathlib import Path

    import events.patients.migrations as migrations

    source = (Path(migrations.__file__).parent / "0002_recorder_stage.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    assert imported and all(name.split(".")[0] == "django" for name in imported), imported
    assert "frozen copy" in source
