"""events/lifecycle.py: the transitions table, revision numbering under concurrency, the indexed
columns, publication of copies and of the worker's results."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events.lifecycle import (
    NEW,
    TRANSITIONS,
    IllegalTransition,
    event_create,
    is_allowed,
    revision_append,
    revision_publish,
    transition,
)
from events.models import Event, EventRevision, EventStatus, RedactionRun, RedactionStatus, RevisionAction
from events.questionnaire import latest_version
from organisations.models import OrganisationKind
from tests.events.test_services import complete_answers
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

S, A = EventStatus, RevisionAction
EXPECTED = {
    (NEW, A.SUBMITTED): S.RECORDER_SUBMITTED,
    (S.RECORDER_SUBMITTED, A.UPDATED): S.RECORDER_UPDATED,
    (S.RECORDER_UPDATED, A.UPDATED): S.RECORDER_UPDATED,
    (S.REVIEWED, A.UPDATED): S.RECORDER_UPDATED,
    (S.RECORDER_SUBMITTED, A.REVIEWED): S.REVIEWED,
    (S.RECORDER_UPDATED, A.REVIEWED): S.REVIEWED,
    (S.RECORDER_SUBMITTED, A.RECLASSIFIED): S.RECORDER_UPDATED,
    (S.RECORDER_UPDATED, A.RECLASSIFIED): S.RECORDER_UPDATED,
    (S.REVIEWED, A.RECLASSIFIED): S.RECORDER_UPDATED,
    (S.RECORDER_SUBMITTED, A.STATUTORY_UPDATED): S.RECORDER_SUBMITTED,
    (S.RECORDER_UPDATED, A.STATUTORY_UPDATED): S.RECORDER_UPDATED,
    (S.REVIEWED, A.STATUTORY_UPDATED): S.REVIEWED,
}
ILLEGAL = [(status, action) for status in [NEW, *S] for action in A if (status, action) not in EXPECTED]


@pytest.fixture
def trust(db):
    return OrganisationFactory(ods_code="RJ1", name="Guy's and St Thomas'", kind=OrganisationKind.NHS_TRUST)


@pytest.fixture
def actor(db):
    return UserFactory()


def new_record(actor, trust, **overrides) -> EventRevision:
    return event_create(
        actor=actor,
        answers=complete_answers(**overrides),
        question_set_version=latest_version(),
        recorder_organisation=trust,
        fallback_organisation=trust,
        is_anonymous=False,
    )


def published(revision: EventRevision) -> EventRevision:
    return revision_publish(revision_id=revision.pk, redacted_answers=dict(revision.answers))


def append(event: Event, action: str, actor, source: EventRevision) -> EventRevision:
    copies = action in (A.REVIEWED, A.STATUTORY_UPDATED, A.RECLASSIFIED)
    return revision_append(
        event=event,
        action=action,
        actor=actor,
        answers=source.answers,
        redacted_from=source if copies else None,
    )


# -- the table --------------------------------------------------------------------------------------------
def test_the_table_is_exactly_the_documented_rules():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize(("status", "action"), [pair for pair in EXPECTED if pair[0] is not NEW])
def test_every_allowed_transition_moves_the_record_and_writes_its_revision(actor, trust, status, action):
    first = published(new_record(actor, trust))
    event = first.event
    Event.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()

    revision = append(event, action, actor, first)

    expected = EXPECTED[(status, action)]
    assert (revision.number, revision.action, revision.status, revision.actor) == (2, action, expected, actor)
    assert event.status == expected
    assert Event.objects.get(pk=event.pk).status == expected


def test_a_new_record_starts_recorder_submitted_with_revision_one(actor, trust):
    revision = new_record(actor, trust)
    event = Event.objects.get(pk=revision.event_id)
    assert (event.status, revision.number, revision.status) == (S.RECORDER_SUBMITTED, 1, S.RECORDER_SUBMITTED)
    assert len(event.reference) == 9 and event.recorded_by == actor
    assert RedactionRun.objects.filter(revision=revision).exists()  # its text waits for the worker
    assert revision.redaction_status == RedactionStatus.PENDING


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_other_pair_is_an_illegal_transition(status, action):
    assert not is_allowed(status, action)
    with pytest.raises(IllegalTransition) as raised:
        transition(status, action)
    assert RevisionAction(action).label in str(raised.value)
    assert (raised.value.status, raised.value.action) == (status, action)


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (S.REVIEWED, A.REVIEWED, "'Reviewed' is not allowed on a record with status 'Reviewed'"),
        (S.RECORDER_UPDATED, A.SUBMITTED, "'Recorder Submitted' is not allowed on a record with status "),
    ],
)
def test_an_illegal_append_says_why_and_writes_nothing(actor, trust, status, action, message):
    first = published(new_record(actor, trust))
    event = first.event
    Event.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()
    # The lifecycle joins its caller's transaction, so an illegal transition fails the caller's write
    # as a whole; the savepoint here lets the test go on reading. Nothing was written before the check.
    with (
        CaptureQueriesContext(connection) as queries,
        transaction.atomic(),
        pytest.raises(IllegalTransition, match=message),
    ):
        append(event, action, actor, first)
    assert not [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert event.revisions.count() == 1
    assert Event.objects.get(pk=event.pk).status == status


def test_updating_a_record_that_does_not_exist_yet_is_illegal():
    with pytest.raises(IllegalTransition, match="'Recorder Updated' is not allowed on a new record"):
        transition(NEW, A.UPDATED)


def test_a_copy_must_say_where_its_text_comes_from(actor, trust):
    first = new_record(actor, trust)
    with pytest.raises(ValueError, match="redacted_from"):
        revision_append(event=first.event, action=A.REVIEWED, actor=actor, answers=first.answers)
    with pytest.raises(ValueError, match="redacted_from"):
        revision_append(
            event=first.event, action=A.UPDATED, actor=actor, answers=first.answers, redacted_from=first
        )


# -- indexed columns ----------------------------------------------------------------------------------
def test_new_answers_set_the_indexed_columns_and_a_copy_leaves_them(actor, trust):
    other = OrganisationFactory(ods_code="RYJ", name="Imperial College", kind=OrganisationKind.NHS_TRUST)
    first = published(new_record(actor, trust))
    event = first.event
    assert (event.organisation, event.event_type) == (trust, first.answers["EventType"])

    answers = {
        **first.answers,
        "Organisation": "RYJ",
        "IncidentOccurredToday": "n",
        "EventDate": "2026-01-02",
    }
    update = revision_append(event=event, action=A.UPDATED, actor=actor, answers=answers)
    stored = Event.objects.get(pk=event.pk)
    assert (stored.organisation, stored.event_date) == (other, dt.date(2026, 1, 2))
    assert update.event_type == stored.event_type

    published(update)
    statutory = revision_append(
        event=stored, action=A.STATUTORY_UPDATED, actor=actor, answers=update.answers, redacted_from=update
    )
    after = Event.objects.get(pk=event.pk)
    assert (after.organisation, after.event_date, after.status) == (
        other,
        dt.date(2026, 1, 2),
        S.RECORDER_UPDATED,
    )
    assert statutory.number == 3


# -- publication --------------------------------------------------------------------------------------
def test_a_copy_of_redacted_text_is_shown_at_once_and_of_pending_text_waits(actor, trust):
    first = new_record(actor, trust)
    event = first.event
    waiting = append(event, A.REVIEWED, actor, first)  # the source is not redacted yet
    assert waiting.redaction_status == RedactionStatus.PENDING
    assert RedactionRun.objects.filter(revision=waiting).exists()

    published(first)
    Event.objects.filter(pk=event.pk).update(status=S.RECORDER_UPDATED)
    event.refresh_from_db()
    source = EventRevision.objects.get(pk=first.pk)
    review = append(event, A.REVIEWED, actor, source)
    assert review.redaction_status == RedactionStatus.COMPLETE
    assert review.redacted_answers == source.redacted_answers
    assert Event.objects.get(pk=event.pk).visible_revision_id == review.pk
    assert not RedactionRun.objects.filter(revision=review).exists()  # nothing for the worker to do


def test_publishing_is_idempotent_and_an_older_result_never_hides_a_newer_one(actor, trust):
    first = new_record(actor, trust)
    second = revision_append(event=first.event, action=A.UPDATED, actor=actor, answers=first.answers)
    revision_publish(revision_id=second.pk, redacted_answers={"Description": "[PERSON 1]"})
    revision_publish(revision_id=second.pk, redacted_answers={"Description": "a second result"})
    revision_publish(revision_id=first.pk, redacted_answers={"Description": "older"})

    event = Event.objects.get(pk=first.event_id)
    assert event.visible_revision_id == second.pk
    assert EventRevision.objects.get(pk=second.pk).redacted_answers == {"Description": "[PERSON 1]"}
    assert EventRevision.objects.get(pk=first.pk).redacted_answers == {"Description": "older"}


def test_a_corrected_result_supersedes_the_visible_text(actor, trust):
    first = published(new_record(actor, trust, Description="Seen by Dr Okafor."))
    revision_publish(
        revision_id=first.pk,
        redacted_answers={**first.answers, "Description": "Seen by Dr [PERSON 1]."},
        supersede=True,
    )
    event = Event.objects.get(pk=first.event_id)
    assert event.visible_revision_id == first.pk
    assert "[PERSON 1]" in event.search_text  # the dashboard columns follow the new text


# -- concurrency ------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_revision_numbers(actor, trust):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL: set DATABASE_URL")
    first = new_record(actor, trust)
    writers = 8
    barrier = threading.Barrier(writers)
    errors = []

    def write():
        try:
            # Each writer read the record before any of the others wrote.
            event = Event.objects.get(pk=first.event_id)
            barrier.wait()
            revision_append(event=event, action=A.UPDATED, actor=actor, answers=first.answers)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(EventRevision.objects.filter(event_id=first.event_id).values_list("number", flat=True))
    assert numbers == list(range(1, writers + 2))
