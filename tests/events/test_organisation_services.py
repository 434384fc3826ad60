"""Organisation services: update, review, re-classification, statutory requirements, the dashboard
columns and the email to admins about records made from outside their organisation."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AccountType
from events.models import (
    Event,
    EventStatus,
    RedactionRun,
    RedactionStatus,
    RevisionAction,
    StatutoryRequirements,
)
from events.organisation_columns import agent_bit, dashboard_columns
from events.organisation_services import (
    ALREADY_REVIEWED_MESSAGE,
    BEING_PROCESSED_MESSAGE,
    EDIT_DISCARDED_MESSAGE,
    ReviewError,
    event_organisation_resubmit,
    event_reclassify,
    event_statutory_update,
    merged_answers,
    organisation_edit_open,
    organisation_edit_record_page,
)
from events.services import NO_CHANGES_MESSAGE, RecordingError, event_edit_open, event_resubmit
from tests.events.questionnaire.helpers import RISK, complete, journey
from tests.events.test_organisation_support import (
    RAW_DESCRIPTION,
    REDACTED_DESCRIPTION,
    finish_redaction,
    incident_answers,
    member,
    organisation_edits,
    processed_event,
    submitted_event,
)
from tests.factories import make_hierarchy

pytestmark = pytest.mark.django_db


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


@pytest.fixture
def recorder(hierarchy):
    return member(hierarchy["T1"], AccountType.STANDARD, first_name="Nia", last_name="Okafor")


@pytest.fixture
def reviewer(hierarchy):
    return member(hierarchy["T1"], AccountType.ORGANISATIONAL, first_name="Priya", last_name="Patel")


@pytest.fixture
def admin(hierarchy):
    return member(hierarchy["T1"], AccountType.ADMIN, first_name="Ade", last_name="Admin")


@pytest.fixture
def event(recorder):
    return processed_event(recorder, "T1")


def change_description(event, actor, text):
    draft = organisation_edit_open(event=event, actor=actor)
    organisation_edit_record_page(draft=draft, page_id="Description", values={"Description": text})
    return draft


# -- dashboard columns ------------------------------------------------------------------------------
def test_the_dashboard_columns_follow_the_visible_revision(recorder, hierarchy):
    answers = incident_answers("T1", InvolvedAgents=["4", "11"])
    answers["patients"][0]["PhysicalHarm"] = "2"
    answers["patients"][0]["PsychologicalHarm"] = "3"
    answers = complete(journey(answers)).prune()  # severe harm asks about the strength of association
    unprocessed = submitted_event(recorder, answers)
    assert unprocessed.categories == "" and unprocessed.search_text == ""

    event = processed_event(recorder, "T1", answers=answers)
    assert event.categories == "Medications; Blood"
    assert event.involved_agents == agent_bit("4") | agent_bit("11")
    assert (event.worst_physical_harm, event.worst_psychological_harm, event.patient_count) == (2, 3, 1)
    assert REDACTED_DESCRIPTION in event.search_text
    assert "Jane" not in event.search_text


def test_worst_harm_is_the_lowest_code_across_patients():
    answers = {"EventType": "1", "patients": [{"PhysicalHarm": "4"}, {"PhysicalHarm": "1"}, {}]}
    columns = dashboard_columns(answers, "5")
    assert (columns["worst_physical_harm"], columns["worst_psychological_harm"]) == (1, None)
    assert columns["patient_count"] == 3


# -- review ---------------------------------------------------------------------------------------------
def test_review_writes_a_reviewed_revision_shown_at_once(event, reviewer):
    (revision,) = event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEWED
    assert (revision.number, revision.action, revision.actor) == (2, RevisionAction.REVIEWED, reviewer)
    # Nothing new to redact: the copy is shown straight away, with the same redacted text.
    assert event.visible_revision_id == revision.pk
    assert revision.redaction_status == RedactionStatus.COMPLETE
    assert revision.redacted_answers["Description"] == REDACTED_DESCRIPTION
    assert revision.answers["Description"] == RAW_DESCRIPTION


def test_a_reviewed_record_cannot_be_reviewed_again_without_changes(event, reviewer):
    event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)
    event.refresh_from_db()
    with pytest.raises(ReviewError, match=ALREADY_REVIEWED_MESSAGE):
        event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)


def test_resubmitting_nothing_is_refused(event, reviewer):
    with pytest.raises(ReviewError, match=NO_CHANGES_MESSAGE):
        event_organisation_resubmit(event=event, actor=reviewer, reviewed=False)
    assert event.revisions.count() == 1


@pytest.mark.parametrize("account_type", [AccountType.STANDARD, AccountType.READ_ONLY])
def test_users_without_review_rights_are_refused(event, hierarchy, account_type):
    user = member(hierarchy["T1"], account_type)
    with pytest.raises(PermissionDenied):
        event_organisation_resubmit(event=event, actor=user, reviewed=True)
    with pytest.raises(PermissionDenied):
        organisation_edit_open(event=event, actor=user)
    assert event.revisions.count() == 1


def test_icb_users_see_child_records_read_only(event, hierarchy):
    commissioner = member(hierarchy["Q1"], AccountType.ADMIN)
    for attempt in (
        lambda: event_organisation_resubmit(event=event, actor=commissioner, reviewed=True),
        lambda: organisation_edit_open(event=event, actor=commissioner),
        lambda: event_reclassify(event=event, actor=commissioner, event_type=RISK),
        lambda: event_statutory_update(event=event, actor=commissioner, answers={"DutyOfCandour": "y"}),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert event.revisions.count() == 1


# -- update -------------------------------------------------------------------------------------------
def test_an_update_starts_from_the_redacted_answers(event, reviewer):
    draft = organisation_edit_open(event=event, actor=reviewer)
    assert draft.answers["Description"] == REDACTED_DESCRIPTION
    assert draft.base_revision_id == event.visible_revision_id
    assert organisation_edit_open(event=event, actor=reviewer) == draft  # reopened, not duplicated


def test_an_update_keeps_the_recorders_raw_text_where_nothing_changed(event, reviewer):
    change_description(event, reviewer, "Insulin was given by the wrong route")
    draft = organisation_edits().get(event=event, owner=reviewer)
    organisation_edit_record_page(
        draft=draft, page_id="ImmediateActions", values={"ImmediateActions": "Jo Bloggs"}
    )
    (revision,) = event_organisation_resubmit(event=event, actor=reviewer, reviewed=False)
    event.refresh_from_db()
    assert event.status == EventStatus.RECORDER_UPDATED
    assert (revision.number, revision.action, revision.actor) == (2, RevisionAction.UPDATED, reviewer)
    assert revision.answers["Description"] == "Insulin was given by the wrong route"
    # The organisation user typed a name: the new revision waits for redaction like any other.
    assert revision.redaction_status == RedactionStatus.PENDING
    assert RedactionRun.objects.filter(revision=revision).exists()
    assert event.visible_revision.number == 1
    assert not organisation_edits().exists()


def test_merged_answers_keep_raw_values_for_unchanged_answers_only():
    raw = {"A": "Jane", "B": "Jo", "patients": [{"C": "Ann", "D": "x"}], "E": "gone"}
    shown = {"A": "[PERSON 1]", "B": "[PERSON 2]", "patients": [{"C": "[PERSON 3]", "D": "x"}], "E": "gone"}
    edited = {"A": "[PERSON 1]", "B": "New", "patients": [{"C": "[PERSON 3]", "D": "y"}, {"C": "Bo"}]}
    assert merged_answers(raw, shown, edited) == {
        "A": "Jane",
        "B": "New",
        "patients": [{"C": "Ann", "D": "y"}, {"C": "Bo"}],
    }


def test_update_and_review_together_end_reviewed(event, reviewer):
    change_description(event, reviewer, "Changed")
    updated, reviewed = event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)
    event.refresh_from_db()
    assert (updated.action, reviewed.action) == (RevisionAction.UPDATED, RevisionAction.REVIEWED)
    assert (updated.number, reviewed.number) == (2, 3)
    assert event.status == EventStatus.REVIEWED
    # The review copies an answer still waiting for redaction: it waits too.
    assert reviewed.redaction_status == RedactionStatus.PENDING
    finish_redaction(event)
    assert event.visible_revision_id == reviewed.pk


def test_a_reviewed_record_that_is_updated_returns_to_recorder_updated(event, reviewer):
    event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)
    event.refresh_from_db()
    change_description(event, reviewer, "Changed after review")
    event_organisation_resubmit(event=event, actor=reviewer, reviewed=False)
    event.refresh_from_db()
    assert event.status == EventStatus.RECORDER_UPDATED


def test_nobody_acts_while_a_newer_revision_is_being_processed(event, reviewer):
    change_description(event, reviewer, "Changed")
    event_organisation_resubmit(event=event, actor=reviewer, reviewed=False)
    event.refresh_from_db()
    with pytest.raises(ReviewError, match=BEING_PROCESSED_MESSAGE):
        event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)
    with pytest.raises(ReviewError, match=BEING_PROCESSED_MESSAGE):
        organisation_edit_open(event=event, actor=reviewer)
    finish_redaction(event)
    event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)


def test_changes_left_for_30_minutes_are_discarded(event, reviewer):
    draft = change_description(event, reviewer, "Changed")
    organisation_edits().filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=31))
    with pytest.raises(ReviewError, match=EDIT_DISCARDED_MESSAGE):
        event_organisation_resubmit(event=event, actor=reviewer, reviewed=False)
    assert not organisation_edits().exists()
    assert event.revisions.count() == 1


def test_changes_based_on_an_older_revision_are_discarded(event, reviewer, admin):
    change_description(event, reviewer, "Changed")
    event_organisation_resubmit(event=event, actor=admin, reviewed=True)  # someone else acted first
    event.refresh_from_db()
    with pytest.raises(ReviewError, match=EDIT_DISCARDED_MESSAGE):
        event_organisation_resubmit(event=event, actor=reviewer, reviewed=False)


# -- re-classification --------------------------------------------------------------------------------
def test_reclassification_drops_answers_that_do_not_apply(event, reviewer):
    revision = event_reclassify(event=event, actor=reviewer, event_type=RISK)
    event.refresh_from_db()
    assert event.event_type == RISK and event.status == EventStatus.RECORDER_UPDATED
    assert revision.action == RevisionAction.RECLASSIFIED and revision.event_type == RISK
    assert "InvolvedAgents" not in revision.answers and "patients" not in revision.answers
    assert "Description" not in revision.redacted_answers
    assert event.visible_revision_id == revision.pk  # only removals: shown at once
    assert event.categories == "" and event.worst_physical_harm is None
    # The history keeps what was dropped.
    assert event.revisions.get(number=1).answers["InvolvedAgents"] == ["4"]


def test_reclassification_needs_a_different_known_type(event, reviewer):
    with pytest.raises(ReviewError, match="different"):
        event_reclassify(event=event, actor=reviewer, event_type=event.event_type)
    with pytest.raises(ReviewError, match="Select the type"):
        event_reclassify(event=event, actor=reviewer, event_type="99")


# -- statutory requirements -------------------------------------------------------------------------
def test_admins_record_statutory_requirements_with_a_revision(event, admin):
    statutory = event_statutory_update(
        event=event,
        actor=admin,
        answers={"DutyOfCandour": "y", "NeverEvent": "y", "NeverEventType": "5", "CqcNotify": "n"},
    )
    event.refresh_from_db()
    assert event.statutory == statutory
    assert statutory.answers == {
        "CqcNotify": "n",
        "DutyOfCandour": "y",
        "NeverEvent": "y",
        "NeverEventType": "5",
    }
    assert statutory.revision.action == RevisionAction.STATUTORY_UPDATED
    assert statutory.revision.actor == admin
    assert event.status == EventStatus.RECORDER_SUBMITTED  # unchanged
    assert event.visible_revision_id == statutory.revision_id
    # The same answers again change nothing.
    assert event_statutory_update(event=event, actor=admin, answers=dict(statutory.answers)) is None
    assert StatutoryRequirements.objects.count() == 1


def test_statutory_follow_up_questions_are_required_when_opened(event, admin):
    with pytest.raises(ReviewError, match="type of Never Event"):
        event_statutory_update(event=event, actor=admin, answers={"NeverEvent": "y"})


def test_organisational_users_cannot_edit_statutory_requirements(event, reviewer):
    with pytest.raises(PermissionDenied):
        event_statutory_update(event=event, actor=reviewer, answers={"DutyOfCandour": "y"})


def test_statutory_requirements_apply_to_incidents_only(event, admin, reviewer):
    event_reclassify(event=event, actor=reviewer, event_type=RISK)
    event.refresh_from_db()
    with pytest.raises(ReviewError, match="incidents only"):
        event_statutory_update(event=event, actor=admin, answers={"DutyOfCandour": "y"})


# -- email to admins -------------------------------------------------------------------------------
@pytest.fixture
def no_redaction_queue():
    """Running on-commit hooks would start the real redaction; these tests only look at emails."""
    with mock.patch("events.lifecycle.revision_redaction_queue"):
        yield


@pytest.mark.usefixtures("no_redaction_queue")
def test_admins_hear_of_records_made_from_outside_their_organisation(
    hierarchy, admin, django_capture_on_commit_callbacks, mailoutbox
):
    outsider = member(hierarchy["U1"], AccountType.STANDARD)
    with django_capture_on_commit_callbacks(execute=True):
        event = submitted_event(outsider, incident_answers("T1"))
    (email,) = mailoutbox
    assert email.to == [admin.email]
    assert "Organisation T1" in email.subject
    assert event.display_reference in email.body and "by a member of Organisation U1 (U1)" in email.body
    assert "Jane" not in email.body and "insulin" not in email.body  # never the record's text
    assert "/organisation/events/?organisation=T1" in email.body
    assert email.alternatives and "Jane" not in email.alternatives[0][0]


@pytest.mark.usefixtures("no_redaction_queue")
def test_admins_hear_of_anonymous_records_but_not_of_their_members_records(
    hierarchy, admin, recorder, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted_event(recorder, incident_answers("T1"))
        submitted_event(recorder, incident_answers("T1S"))  # a site of the recorder's trust
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        submitted_event(recorder, incident_answers("T1"), anonymous=True)
    (email,) = mailoutbox
    assert "anonymously" in email.body


@pytest.mark.usefixtures("no_redaction_queue")
def test_admins_of_the_trust_hear_of_records_about_its_sites(
    hierarchy, admin, django_capture_on_commit_callbacks, mailoutbox
):
    outsider = member(hierarchy["T2"], AccountType.STANDARD)
    with django_capture_on_commit_callbacks(execute=True):
        submitted_event(outsider, incident_answers("T1S"))
    assert [email.to for email in mailoutbox] == [[admin.email]]


def test_no_email_leaves_when_the_submission_rolls_back(hierarchy, admin, mailoutbox):
    outsider = member(hierarchy["U1"], AccountType.STANDARD)
    submitted_event(outsider, incident_answers("T1"))  # the test's transaction never commits
    assert mailoutbox == []
    assert Event.objects.count() == 1


# -- the recorder edits after an organisation user's update ---------------------------------------
def test_the_recorders_edit_shows_their_own_words_and_others_changes_redacted(event, reviewer, recorder):
    draft = organisation_edit_open(event=event, actor=reviewer)  # the description is left as it was
    organisation_edit_record_page(
        draft=draft, page_id="ImmediateActions", values={"ImmediateActions": "Jane Doe's daughter was told"}
    )
    event_organisation_resubmit(event=event, actor=reviewer, reviewed=False)
    with pytest.raises(RecordingError, match="being processed"):  # the update's text is not redacted yet
        event_edit_open(event=event, actor=recorder)

    finish_redaction(event)
    edit = event_edit_open(event=event, actor=recorder)
    assert edit.answers["Description"] == RAW_DESCRIPTION  # the recorder's own text, as they typed it
    assert edit.answers["ImmediateActions"] == "[PERSON 1]'s daughter was told"  # someone else's, redacted
    with pytest.raises(RecordingError, match=NO_CHANGES_MESSAGE):
        event_resubmit(draft=edit, actor=recorder)
