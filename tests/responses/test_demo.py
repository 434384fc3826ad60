"""`make run`'s demo responses, recorded through the services: a SWARM done, an AAR in progress, a
PSII awaiting sign-off, overdue safety actions and an agreed plan."""

import pytest

from events.models import EventRevision
from events.responses.demo import demo_responses_load
from events.responses.models import ResponsePlan, ResponseStatus
from events.responses.oversight import oversight_figures
from lfpse.demo import demo_data_load, demo_events_load
from tests.events.test_organisation_support import redacted


@pytest.fixture
def demo_records(db, monkeypatch):
    from django.db import transaction

    from events.lifecycle import revision_publish

    def queue(revision):
        revision_id = revision.pk
        transaction.on_commit(
            lambda: revision_publish(
                revision_id=revision_id,
                redacted_answers=redacted(EventRevision.objects.get(pk=revision_id).answers),
            )
        )

    monkeypatch.setattr("events.lifecycle.revision_redaction_queue", queue)
    monkeypatch.setattr("events.responses.redaction_queue.response_redaction_queue", lambda response: None)
    monkeypatch.setattr("events.responses.demo.demo_responses_load", lambda: 0, raising=False)
    monkeypatch.setattr("lfpse.demo.demo_responses_load", lambda: 0)
    demo_data_load()


def test_the_demo_responses_are_in_each_state(demo_records, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo_events_load()
    assert demo_responses_load() == 3
    from events.responses.models import Response

    states = dict(Response.objects.values_list("kind", "status"))
    assert states == {
        "swarm": ResponseStatus.COMPLETED,
        "aar": ResponseStatus.IN_PROGRESS,
        "psii": ResponseStatus.AWAITING_SIGN_OFF,
    }
    figures = oversight_figures(None)
    assert figures["overdue_actions"] == 2 and figures["open_actions"] == 3
    assert ResponsePlan.objects.get().status == "agreed"
