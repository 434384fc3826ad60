"""Vectors of redacted text only, made by the worker after the lifecycle publishes a revision; stored
with the model's name, so a model change re-embeds in the background; the backfill command."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from accounts.models import AccountType
from events.lifecycle import revision_publish
from events.similarity import embedding
from events.similarity.models import EventEmbedding, TermStatistics
from events.similarity.services import embeddings_backfill, events_needing_embedding
from tests.events.test_organisation_support import member, redacted, submitted_event
from tests.factories import make_hierarchy
from tests.similarity.helpers import FALL, INSULIN, answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(request, monkeypatch):
    """Tasks run where they are queued, as in the demo (with REDIS_URL set they would go to Redis);
    the worker test below uses the real worker instead."""
    if "worker" not in request.keywords:
        from lfpse.celery import app

        monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def recorder(db):
    return member(make_hierarchy()["T1"], AccountType.STANDARD)


def published(recorder, description, capture):
    event = submitted_event(recorder, answers_for("T1", description))
    revision = event.revisions.get()
    with capture(execute=True):
        revision_publish(revision_id=revision.pk, redacted_answers=redacted(revision.answers))
    event.refresh_from_db()
    return event


def test_publishing_a_redacted_revision_embeds_its_redacted_text_once_committed(
    recorder, django_capture_on_commit_callbacks
):
    event = submitted_event(recorder, answers_for("T1", INSULIN))
    assert not EventEmbedding.objects.exists()  # nothing before redaction
    revision = event.revisions.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        revision_publish(revision_id=revision.pk, redacted_answers=redacted(revision.answers))
    assert not EventEmbedding.objects.exists()  # queued for after the commit, not done inside it
    for callback in callbacks:
        callback()
    stored = EventEmbedding.objects.get(event=event)
    assert stored.model_name == embedding.current_model().name
    assert stored.revision_id == revision.pk
    event.refresh_from_db()
    assert "[PERSON 1]" in event.search_text and "Jane Doe" not in event.search_text
    vector = embedding.from_bytes(stored.vector)
    assert np.allclose(vector, embedding.encode([event.search_text])[0])
    raw = "\n".join([INSULIN, "Recovered."])
    assert not np.allclose(vector, embedding.encode([raw])[0])


def test_a_model_change_re_embeds_every_record_in_the_background(
    recorder, django_capture_on_commit_callbacks, settings
):
    events = [published(recorder, text, django_capture_on_commit_callbacks) for text in (INSULIN, FALL)]
    assert not events_needing_embedding().exists()
    current = embedding.current_model()
    other = embedding.EmbeddingModel("test-model-v2", current.dimensions, current.encode)
    embedding.LOADERS["test"] = lambda: other
    settings.SIMILARITY_EMBEDDING_MODEL = "test"
    try:
        assert set(events_needing_embedding().values_list("id", flat=True)) == {e.pk for e in events}
        assert embeddings_backfill(limit=5000) == 2
        assert set(EventEmbedding.objects.values_list("model_name", flat=True)) == {"test-model-v2"}
        assert not events_needing_embedding().exists()
    finally:
        del embedding.LOADERS["test"]
        embedding._loaded.pop("test", None)


def test_the_backfill_command_embeds_what_lacks_a_vector_with_a_progress_bar(
    recorder, django_capture_on_commit_callbacks
):
    events = [published(recorder, text, django_capture_on_commit_callbacks) for text in (INSULIN, FALL)]
    EventEmbedding.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("similar_events_backfill", stdout=out, stderr=err)
    assert "2 record(s) to embed" in out.getvalue() and "Embedded 2 record(s)" in out.getvalue()
    assert "2/2" in err.getvalue()  # tqdm's bar
    assert EventEmbedding.objects.count() == len(events)
    assert TermStatistics.objects.get().documents == 2
    out = StringIO()
    call_command("similar_events_backfill", stdout=out, stderr=StringIO())
    assert "0 record(s) to embed" in out.getvalue()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_redacts_then_embeds_the_redacted_text(celery_worker):
    from events.services import event_submit
    from tests.anonymisation.test_worker_faults import wait_for
    from tests.events.test_services import ready_draft
    from tests.factories import UserFactory

    recorder = UserFactory()
    text = "Sister Aoife Brennan gave 10 units of insulin instead of 1 unit on ward 7."
    revision = event_submit(draft=ready_draft(recorder, Description=text), actor=recorder)
    assert wait_for(lambda: EventEmbedding.objects.filter(event_id=revision.event_id).exists(), 180)
    stored = EventEmbedding.objects.select_related("event").get(event_id=revision.event_id)
    assert "Aoife Brennan" not in stored.event.search_text and "insulin" in stored.event.search_text
    assert np.allclose(embedding.from_bytes(stored.vector), embedding.encode([stored.event.search_text])[0])


def test_the_redaction_task_embeds_in_its_own_process_without_queueing_a_second_task(
    recorder, django_capture_on_commit_callbacks
):
    from unittest import mock

    from events.similarity.models import DuplicateFlag
    from events.similarity.tasks import event_embed_task
    from events.tasks import redact_revision

    first = published(recorder, INSULIN, django_capture_on_commit_callbacks)
    again = submitted_event(recorder, answers_for("T1", INSULIN))
    with (
        mock.patch.object(event_embed_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert redact_revision(again.revisions.get().pk)
    queued.assert_not_called()
    stored = EventEmbedding.objects.select_related("event").get(event=again)
    assert stored.revision_id == again.revisions.get().pk
    assert np.allclose(embedding.from_bytes(stored.vector), embedding.encode([stored.event.search_text])[0])
    assert DuplicateFlag.objects.filter(event=again, candidate=first).exists()


def test_when_embedding_fails_in_the_redaction_task_the_embedding_task_is_queued(
    recorder, django_capture_on_commit_callbacks
):
    from unittest import mock

    from events.similarity.tasks import event_embed_task
    from events.tasks import redact_revision

    event = submitted_event(recorder, answers_for("T1", INSULIN))
    with (
        mock.patch("events.similarity.services.embedding.encode", side_effect=RuntimeError("model")),
        mock.patch.object(event_embed_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert redact_revision(event.revisions.get().pk)
    event.refresh_from_db()
    assert event.visible_revision_id == event.revisions.get().pk  # published all the same
    queued.assert_called_once_with((event.pk,), queue="lfpse")


def test_a_publication_outside_the_redaction_task_queues_the_embedding_task(
    recorder, django_capture_on_commit_callbacks
):
    from unittest import mock

    from events.similarity.tasks import event_embed_task

    event = submitted_event(recorder, answers_for("T1", INSULIN))
    revision = event.revisions.get()
    with (
        mock.patch.object(event_embed_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        revision_publish(revision_id=revision.pk, redacted_answers=redacted(revision.answers))
    queued.assert_called_once_with((event.pk,), queue="lfpse")
    assert not EventEmbedding.objects.exists()


def test_the_refresh_embeds_and_flags_a_record_whose_worker_stopped_before_embedding_it(
    recorder, django_capture_on_commit_callbacks
):
    from events.similarity.models import DuplicateFlag
    from events.similarity.services import events_missed_by_their_worker
    from events.similarity.tasks import embeddings_refresh_task

    first = published(recorder, INSULIN, django_capture_on_commit_callbacks)
    again = published(recorder, INSULIN, django_capture_on_commit_callbacks)
    EventEmbedding.objects.filter(event=again).delete()  # killed between publishing and embedding
    DuplicateFlag.objects.all().delete()
    assert list(events_missed_by_their_worker()) == [again]
    assert embeddings_refresh_task() == 1
    assert EventEmbedding.objects.filter(event=again).exists()
    assert DuplicateFlag.objects.filter(event=again, candidate=first).exists()
    assert not events_missed_by_their_worker().exists()
