""" "Manage my event records" shows where each record has got to, in the same number of queries
however many records the page lists (issue 17, point 5)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.lifecycle import event_create, revision_append
from events.patients.models import RecorderUpdate, Stage
from events.responses.services import response_decide

from .helpers import publish


def _record(places, recorder):
    revision = event_create(
        actor=recorder,
        answers={"EventType": "1", "Organisation": "RR8", "Description": "A fall on the ward."},
        question_set_version="5",
        recorder_organisation=places["RR8"],
        fallback_organisation=places["RR8"],
        is_anonymous=False,
    )
    return publish(revision.event)


def _stages(client) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("events:my_records")).content.decode()
    cells = [cell.split("</td>")[0] for cell in page.split('data-testid="stage">')[1:]]
    return cells, len(queries)


def test_the_list_shows_each_records_stage_in_a_fixed_number_of_queries(client, places, user_factory):
    recorder = user_factory(email="recorder@nhs.net")
    client.force_login(recorder)
    first = _record(places, recorder)
    stages, one_record = _stages(client)
    assert stages == ["Received"]

    reviewed = _record(places, recorder)
    revision_append(
        event=reviewed,
        action="reviewed",
        actor=None,
        answers=reviewed.visible_revision.answers,
        redacted_from=reviewed.visible_revision,
    )
    decided = _record(places, recorder)
    response_decide(actor=None, event=decided, kind="aar", rationale="Learn.", api_client="test client")
    closed = _record(places, recorder)
    response_decide(actor=None, event=closed, kind="none", rationale="Known risk.", api_client="test client")
    told = _record(places, recorder)
    RecorderUpdate.objects.create(event=told, stage=Stage.ACTIONS_AGREED, note="", is_redacted=True)
    RecorderUpdate.objects.create(event=first, stage=Stage.REVIEWED, note="Looking", is_redacted=False)

    stages, five_records = _stages(client)
    # Newest first; a note still being redacted does not count yet.
    assert stages == ["Actions agreed", "Closed", "Response chosen", "Reviewed", "Received"]
    assert five_records == one_record, (one_record, five_records)


def test_the_feedback_page_shows_the_organisation_what_the_recorder_sees(client, places, user_factory):
    from events.responses.services import response_decide as decide

    team = user_factory()
    from tests.factories import MembershipFactory

    MembershipFactory(user=team, organisation=places["RR8"], account_type="organisational")
    event = _record(places, user_factory())
    client.force_login(team)
    url = reverse("patients:feedback", args=[event.reference])
    assert "<strong>Received</strong>" in client.get(url).content.decode()
    decide(actor=None, event=event, kind="aar", rationale="Learn.", api_client="test client")
    page = client.get(url).content.decode()
    assert (
        "<strong>Response chosen</strong>" in page.split('data-testid="recorder-stage"')[1].split("</p>")[0]
    )


def test_the_stages_are_read_through_the_gate(client, places, user_factory):
    """The stage query of "Manage my event records" is the gate's own-records queryset narrowed to the
    page; given somebody else's record, the selectors tell nothing of it."""
    from django.db import connection

    from events.patients.selectors import (
        own_record_progress,
        own_records_with_stages,
        recorder_stage_label_for,
    )

    recorder = user_factory(email="recorder@nhs.net")
    closed = _record(places, recorder)
    response_decide(actor=None, event=closed, kind="none", rationale="Known risk.", api_client="test client")
    client.force_login(recorder)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("events:my_records"))
    [stage_query] = [query["sql"] for query in queries.captured_queries if '"told_stage"' in query["sql"]]
    assert f'"recorded_by_id" = {recorder.pk}' in stage_query

    stranger = user_factory(email="stranger@nhs.net")
    assert own_records_with_stages(stranger, [closed]) == [(closed, "Received")]
    assert own_record_progress(stranger, closed).stage == Stage.RECEIVED
    assert recorder_stage_label_for(stranger, closed) == "Received"
    assert own_records_with_stages(recorder, [closed]) == [(closed, "Closed")]
    assert own_record_progress(recorder, closed).stage == Stage.CLOSED
