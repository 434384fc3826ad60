"""What organisations see of patient reports: sharing decides, contact details only for the patient
safety team when allowed, never in the CSV; the triage queue with matching staff records; feedback to
the recorder (the policy decides, the note is redacted, the recorder is emailed)."""

import csv
import io

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from accounts.models import AccountType
from events.lifecycle import event_create
from events.models import Event
from events.patients.models import RecorderUpdate, Stage
from events.patients.services import recorder_update_redact
from events.visibility import event_visible_to, events_visible_to

from .helpers import follow_token, publish, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(places, user_factory, membership_factory):
    """Members of the trust: its patient safety team (organisational), and a read-only user."""

    def member(account_type):
        user = user_factory()
        membership_factory(user=user, organisation=places["RR8"], account_type=account_type)
        return user

    return {
        "organisational": member(AccountType.ORGANISATIONAL),
        "admin": member(AccountType.ADMIN),
        "read_only": member(AccountType.READ_ONLY),
    }


def test_a_report_for_national_learning_only_is_seen_by_super_admins_alone(
    client, places, team, user_factory
):
    event = publish(send(client, Sharing={"Sharing": "national"}))
    for user in team.values():
        assert event not in events_visible_to(user)
        assert event_visible_to(user, event.reference) is None
    super_admin = user_factory(is_super_admin=True)
    assert event in events_visible_to(super_admin)
    assert event_visible_to(super_admin, event.reference) == event


def test_a_shared_report_is_seen_by_the_organisation_with_the_marker(client, places, team):
    event = publish(send(client))
    user = team["read_only"]
    assert event_visible_to(user, event.reference) == event
    client.force_login(user)
    page = client.get(reverse("events:organisation_event", args=[event.reference])).content.decode()
    assert "Recorded by a patient or family" in page
    listing = client.get(reverse("events:organisation_events")).content.decode()
    assert "Patient or family" in listing
    only_patients = client.get(reverse("events:organisation_events") + "?source=patient").content.decode()
    assert event.display_reference in only_patients


def test_contact_details_are_shown_only_to_the_patient_safety_team_when_allowed(places, team, user_factory):
    from django.test import Client

    reporter = Client()
    allowed = publish(send(reporter, Sharing={"Sharing": "contact"}))
    not_allowed = publish(send(reporter, Sharing={"Sharing": "organisation"}))
    for name, user in [*team.items(), ("super_admin", user_factory(is_super_admin=True))]:
        viewer = Client()
        viewer.force_login(user)
        page = viewer.get(reverse("patients:feedback", args=[allowed.reference])).content.decode()
        assert "Not being listened to, or not being told things" in page  # their coded answers, their words
        expected = name in ("organisational", "admin")
        assert ("sam.jones@example.org" in page) is expected, name
        page = viewer.get(reverse("patients:feedback", args=[not_allowed.reference])).content.decode()
        assert "sam.jones@example.org" not in page


def test_contact_details_never_reach_the_csv(client, places, team):
    publish(send(client, Sharing={"Sharing": "contact"}))
    client.force_login(team["admin"])
    response = client.get(reverse("events:download_csv") + "?version=5")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows[0]["RecordedBy"] == "Patient or family"
    assert "sam.jones" not in text and "Sam Jones" not in text and "07700" not in text


def _staff_record(organisation, description, date="2026-11-03"):
    revision = event_create(
        actor=None,
        answers={
            "EventType": "1",
            "LocationKnown": "y",
            "Organisation": organisation.ods_code,
            "IncidentOccurredToday": "n",
            "EventDate": date,
            "Description": description,
        },
        question_set_version="5",
        recorder_organisation=organisation,
        fallback_organisation=organisation,
        is_anonymous=False,
    )
    return publish(revision.event)


def test_the_triage_queue_puts_the_likely_staff_record_beside_the_patient_report(client, places, team):
    report = publish(send(client))
    match = _staff_record(places["RR8"], "Wrong dose of insulin given on the ward overnight.")
    _staff_record(places["RR8"], "Patient fell in the car park.", date="2026-06-01")
    other_place = _staff_record(places["RAE"], "Wrong dose of insulin given on the ward overnight.")
    client.force_login(team["read_only"])
    page = client.get(reverse("patients:queue")).content.decode()
    assert report.display_reference in page
    matches = page.split('data-testid="matches"')[1].split("</ul>")[0]
    assert match.display_reference in matches
    assert other_place.display_reference not in matches
    assert page.count('data-testid="patient-report"') == 1  # staff records are not in the queue


def test_the_queue_needs_an_organisation_user(client, places, user_factory):
    client.force_login(user_factory())
    assert client.get(reverse("patients:queue")).status_code == 403


def test_feedback_to_the_recorder_is_the_patient_safety_teams_decision(client, places, team):
    event = publish(send(client))
    client.force_login(team["read_only"])
    page = client.get(reverse("patients:feedback", args=[event.reference]))
    assert page.status_code == 200 and 'name="stage"' not in page.content.decode()
    response = client.post(
        reverse("patients:feedback", args=[event.reference]), {"stage": "closed", "note": ""}
    )
    assert response.status_code == 403
    client.force_login(team["organisational"])
    response = client.post(
        reverse("patients:feedback", args=[event.reference]), {"stage": "", "note": "kept"}
    )
    assert response.status_code == 400
    assert (
        "Choose where the record has got to" in response.content.decode()
        and "kept" in response.content.decode()
    )
    response = client.post(
        reverse("patients:feedback", args=[event.reference]), {"stage": "reviewed", "note": ""}
    )
    assert response.status_code == 302
    assert RecorderUpdate.objects.get().stage == Stage.REVIEWED


def test_a_signed_in_staff_recorder_sees_the_redacted_note_and_is_emailed(
    client, places, team, user_factory, monkeypatch
):
    from lfpse.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the email's own task runs at once
    recorder = user_factory(email="recorder@nhs.net")
    revision = event_create(
        actor=recorder,
        answers={"EventType": "1", "Organisation": "RR8", "Description": "A fall."},
        question_set_version="5",
        recorder_organisation=places["RR8"],
        fallback_organisation=places["RR8"],
        is_anonymous=False,
    )
    event = publish(revision.event)
    client.force_login(team["organisational"])
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(
            reverse("patients:feedback", args=[event.reference]),
            {"stage": "actions_agreed", "note": "Dr Priya Raman checked the bed rails; call 0113 496 0000."},
        )
    update = RecorderUpdate.objects.get()
    assert not update.is_redacted
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert recorder_update_redact(update.pk)  # the real pipeline, as the worker runs it
    update.refresh_from_db()
    assert "Priya" not in update.redacted_note and "0113 496 0000" not in update.redacted_note
    assert "bed rails" in update.redacted_note
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["recorder@nhs.net"]
    assert "Actions agreed" in mail.outbox[0].body and "Priya" not in mail.outbox[0].body
    client.force_login(recorder)
    page = client.get(reverse("events:record_detail", args=[event.reference])).content.decode()
    assert "Actions agreed" in page and "bed rails" in page and "Priya" not in page


def test_a_follow_link_holder_who_asked_for_email_is_emailed(client, places, team, monkeypatch):
    from lfpse.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the email's own task runs at once
    event = publish(send(client))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("patients:sent"), {"email": "sam@example.org"})
    mail.outbox.clear()
    staff = client.__class__()
    staff.force_login(team["admin"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        staff.post(reverse("patients:feedback", args=[event.reference]), {"stage": "closed", "note": ""})
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    assert follow_token(client) not in mail.outbox[0].body  # the link is never re-sent in updates
    assert Event.objects.get(pk=event.pk).recorder_updates.get().stage == "closed"


def test_the_queue_reads_the_same_number_of_queries_however_many_reports(client, places, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_queue() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("patients:queue")).status_code == 200
        return len(captured)

    reporter = client.__class__()
    for _ in range(2):
        publish(send(reporter))
        _staff_record(places["RR8"], "Wrong dose of insulin given on the ward overnight.")
    client.force_login(team["read_only"])
    few = queries_for_queue()
    for _ in range(4):
        publish(send(reporter))
        _staff_record(places["RR8"], "Wrong dose of insulin given on the ward overnight.")
    assert queries_for_queue() == few


def test_the_national_team_answers_reports_kept_for_national_learning_only(
    client, places, team, user_factory
):
    event = publish(send(client, Sharing={"Sharing": "national"}))
    super_admin = user_factory(is_super_admin=True)
    staff = client.__class__()
    staff.force_login(super_admin)
    url = reverse("patients:feedback", args=[event.reference])
    assert 'name="stage"' in staff.get(url).content.decode()
    assert staff.post(url, {"stage": "closed", "note": ""}).status_code == 302
    shared = publish(send(client))
    assert (
        'name="stage"'
        not in staff.get(reverse("patients:feedback", args=[shared.reference])).content.decode()
    )
    assert RecorderUpdate.objects.get().event == event
