"""Recording services: submit, edit and re-submit, draft expiry, references (PostgreSQL for concurrency)."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AccountType
from events.lifecycle import revision_publish
from events.models import Draft, DraftKind, Event, EventRevision, EventStatus, RevisionAction
from events.presenters import BEING_PROCESSED, answers_for_display
from events.references import reference_display, reference_generate, reference_parse
from events.services import (
    NO_CHANGES_MESSAGE,
    RecordingError,
    draft_create,
    draft_record_page,
    drafts_expire,
    event_edit_open,
    event_resubmit,
    event_submit,
)
from organisations.models import OrganisationKind
from tests.events.questionnaire.helpers import INCIDENT, complete, journey
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def complete_answers(event_type=INCIDENT, *, anonymous=False, **overrides):
    answers = complete(journey({"EventType": event_type, **overrides}, anonymous=anonymous)).prune()
    return answers


@pytest.fixture
def trust(db):
    return OrganisationFactory(ods_code="RJ1", name="Guy's and St Thomas'", kind=OrganisationKind.NHS_TRUST)


@pytest.fixture
def recorder(trust):
    user = UserFactory(first_name="Nia", last_name="Okafor")
    MembershipFactory(user=user, organisation=trust, account_type=AccountType.STANDARD)
    return user


def ready_draft(user, *, anonymous=False, **overrides) -> Draft:
    draft = draft_create(actor=user, anonymous=anonymous)
    draft.answers = complete_answers(anonymous=anonymous, **overrides)
    draft.save()
    return draft


def test_references_are_nine_digits_shown_in_threes():
    references = {reference_generate() for _ in range(200)}
    assert all(len(ref) == 9 and ref.isdigit() and ref[0] != "0" for ref in references)
    assert len(references) > 190  # random, not sequential
    assert reference_display("146925633") == "146-925-633"
    assert reference_parse("146 925 633") == reference_parse("146-925-633") == "146925633"
    assert reference_parse("14692563") is None


def test_submit_creates_the_event_and_its_first_revision(recorder, trust):
    draft = ready_draft(recorder)
    revision = event_submit(draft=draft, actor=recorder)
    event = revision.event
    assert event.status == EventStatus.RECORDER_SUBMITTED
    assert event.recorded_by == recorder
    assert event.recorder_organisation == trust
    assert event.organisation == trust  # the organisation answer is RJ1 in the complete answers
    assert event.event_type == INCIDENT
    assert event.event_date == timezone.localdate()  # "Did the incident happen today?" Yes
    assert (revision.number, revision.action, revision.actor) == (1, RevisionAction.SUBMITTED, recorder)
    assert revision.answers == complete_answers()
    assert not Draft.objects.exists()


def test_the_event_date_comes_from_the_exact_or_approximate_date(recorder):
    # The simple answers give 1 March 2024 as the exact date and March 2024 as the approximate one.
    draft = ready_draft(recorder, IncidentOccurredToday="n")
    assert event_submit(draft=draft, actor=recorder).event.event_date == dt.date(2024, 3, 1)


def test_raw_answers_are_encrypted_at_rest(recorder):
    revision = event_submit(draft=ready_draft(recorder), actor=recorder)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM events_eventrevision WHERE id = %s", [revision.pk])
        stored = cursor.fetchone()[0]
    assert "Some text" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert EventRevision.objects.get(pk=revision.pk).answers["Description"] == "Some text"


def test_an_incomplete_draft_cannot_be_submitted(recorder):
    draft = draft_create(actor=recorder, anonymous=False)
    draft_record_page(draft=draft, page_id="EventType", values={"EventType": INCIDENT})
    with pytest.raises(RecordingError, match="Answer every question"):
        event_submit(draft=draft, actor=recorder)
    assert not Event.objects.exists()


def test_anonymous_records_keep_nothing_about_the_recorder(recorder):
    draft = ready_draft(recorder, anonymous=True)
    assert draft.owner is None
    revision = event_submit(draft=draft, actor=recorder)
    event = revision.event
    assert event.is_anonymous
    assert event.recorded_by is None and event.recorder_organisation is None and revision.actor is None
    assert "WhyAnonymous" in revision.answers


def test_until_redaction_other_views_see_free_text_as_being_processed(recorder):
    revision = event_submit(draft=ready_draft(recorder), actor=recorder)
    shown = answers_for_display(revision)
    assert shown["Description"] == BEING_PROCESSED
    assert shown["EventType"] == INCIDENT


def test_edit_then_resubmit_makes_a_new_revision(recorder):
    event = event_submit(draft=ready_draft(recorder), actor=recorder).event
    draft = event_edit_open(event=event, actor=recorder)
    assert draft.kind == DraftKind.EDIT and draft.answers == complete_answers()
    assert event_edit_open(event=event, actor=recorder) == draft  # reopened, not duplicated
    draft_record_page(draft=draft, page_id="Description", values={"Description": "More detail"})
    revision = event_resubmit(draft=draft, actor=recorder)
    event.refresh_from_db()
    assert event.status == EventStatus.RECORDER_UPDATED
    assert (revision.number, revision.action) == (2, RevisionAction.UPDATED)
    assert revision.answers["Description"] == "More detail"
    assert EventRevision.objects.get(event=event, number=1).answers["Description"] == "Some text"


def test_resubmitting_without_changes_is_refused(recorder):
    event = event_submit(draft=ready_draft(recorder), actor=recorder).event
    draft = event_edit_open(event=event, actor=recorder)
    with pytest.raises(RecordingError, match=NO_CHANGES_MESSAGE):
        event_resubmit(draft=draft, actor=recorder)
    assert event.revisions.count() == 1


def test_an_edit_draft_idle_for_30_minutes_is_discarded(recorder):
    event = event_submit(draft=ready_draft(recorder), actor=recorder).event
    draft = event_edit_open(event=event, actor=recorder)
    draft_record_page(draft=draft, page_id="Description", values={"Description": "Changed"})
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=31))
    draft.refresh_from_db()
    with pytest.raises(RecordingError, match="30 minutes passed"):
        event_resubmit(draft=draft, actor=recorder)
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_only_the_recorder_can_edit_their_record(recorder, trust):
    event = event_submit(draft=ready_draft(recorder), actor=recorder).event
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=trust)
    with pytest.raises(RecordingError):
        event_edit_open(event=event, actor=colleague)


def test_a_stale_edit_is_refused_when_the_record_changed_meanwhile(recorder):
    event = event_submit(draft=ready_draft(recorder), actor=recorder).event
    first = event_edit_open(event=event, actor=recorder)
    draft_record_page(draft=first, page_id="Description", values={"Description": "First change"})
    event_resubmit(draft=first, actor=recorder)
    second = event_edit_open(event=event, actor=recorder)
    second.base_revision = EventRevision.objects.get(event=event, number=1)
    second.save()
    draft_record_page(draft=second, page_id="Description", values={"Description": "Second change"})
    with pytest.raises(RecordingError, match="updated by someone else"):
        event_resubmit(draft=second, actor=recorder)


def test_drafts_expire_on_their_own_clocks(recorder):
    now = timezone.now()
    old_new = draft_create(actor=recorder, anonymous=False)
    fresh_new = draft_create(actor=recorder, anonymous=False)
    Draft.objects.filter(pk=old_new.pk).update(created_at=now - dt.timedelta(days=31))
    event = event_submit(draft=ready_draft(recorder), actor=recorder).event
    idle_edit = event_edit_open(event=event, actor=recorder)
    Draft.objects.filter(pk=idle_edit.pk).update(updated_at=now - dt.timedelta(minutes=31))
    stale_anonymous = draft_create(actor=recorder, anonymous=True)
    Draft.objects.filter(pk=stale_anonymous.pk).update(updated_at=now - dt.timedelta(days=2))

    assert drafts_expire(now=now) == 3
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh_new.pk]


def test_reference_collisions_are_retried(recorder):
    first = event_submit(draft=ready_draft(recorder), actor=recorder).event
    taken, free = first.reference, "987654321"
    with mock.patch("events.lifecycle.reference_generate", side_effect=[taken, taken, free]):
        second = event_submit(draft=ready_draft(recorder), actor=recorder).event
    assert second.reference == free


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_references(recorder):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL: set DATABASE_URL")
    drafts = [ready_draft(recorder) for _ in range(8)]
    # Every thread first draws the same reference, so all but one must retry.
    draws = iter(["555555555"] * 8 + [str(100000000 + n) for n in range(1, 100)])
    lock = threading.Lock()

    def draw():
        with lock:
            return next(draws)

    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(draft):
        try:
            barrier.wait()
            event_submit(draft=draft, actor=recorder)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch("events.lifecycle.reference_generate", side_effect=draw):
        threads = [threading.Thread(target=submit, args=(draft,)) for draft in drafts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    references = list(Event.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 8
    assert "555555555" in references


def test_the_newest_redacted_revision_is_the_visible_one(recorder):
    first = event_submit(draft=ready_draft(recorder), actor=recorder)
    event = first.event
    assert event.visible_revision is None
    draft = event_edit_open(event=event, actor=recorder)
    draft_record_page(draft=draft, page_id="Description", values={"Description": "Second"})
    second = event_resubmit(draft=draft, actor=recorder)

    revision_publish(revision_id=second.pk, redacted_answers={**second.answers, "Description": "[PERSON 1]"})
    revision_publish(revision_id=first.pk, redacted_answers=first.answers)  # late, older: not shown
    event.refresh_from_db()
    assert event.visible_revision_id == second.pk
    assert answers_for_display(event.visible_revision)["Description"] == "[PERSON 1]"

    # Idempotent: a second result for the same revision changes nothing.
    revision_publish(revision_id=second.pk, redacted_answers={"Description": "other"})
    assert EventRevision.objects.get(pk=second.pk).redacted_answers["Description"] == "[PERSON 1]"
