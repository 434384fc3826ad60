"""The patient form end to end with the test client: routes, answers mapped onto the taxonomy,
sharing, the marker, contact details, bad input."""

import pytest
from django.urls import reverse

from events.models import EventSource, EventStatus
from events.patients.models import PatientDraft, PatientReport, Sharing

from .helpers import send, walk

pytestmark = pytest.mark.django_db


def test_a_report_becomes_a_record_marked_as_from_a_patient_with_taxonomy_answers(client, places):
    event = send(client)
    assert event.source == EventSource.PATIENT
    assert event.status == EventStatus.RECORDER_SUBMITTED
    assert event.organisation == places["RR8"]
    assert event.is_anonymous and event.recorded_by is None
    assert event.shared_with_organisation
    assert str(event.event_date) == "2026-11-03"
    answers = event.revisions.get().answers
    assert answers["EventType"] == "1"
    assert answers["Process"] == "6"  # treatment
    assert answers["InvolvedAgents"] == ["4"]  # medicine; "communication" has no taxonomy agent
    assert answers["patients"] == [
        {
            "PhysicalHarm": "3",
            "PsychologicalHarm": "3",
            "ClinicalOutcome": "She stayed two more days in hospital.",
        }
    ]
    assert answers["Description"].startswith("My mother was given")
    report = PatientReport.objects.get(event=event)
    assert report.sharing == Sharing.ORGANISATION
    assert report.reporter_role == "family"
    assert "WhatHappened" not in report.answers and "PersonEffect" not in report.answers
    assert report.contact == {}
    assert not PatientDraft.objects.exists()


def test_national_learning_only_is_not_shared_with_the_organisation(client, places):
    event = send(client, Sharing={"Sharing": "national"})
    assert not event.shared_with_organisation


def test_contact_details_are_kept_encrypted_with_the_report_never_in_the_record(client, places):
    from django.db import connection

    event = send(client, Sharing={"Sharing": "contact"})
    report = PatientReport.objects.get(event=event)
    assert report.contact == {"name": "Sam Jones", "email": "sam.jones@example.org", "phone": "07700 900123"}
    assert "sam.jones" not in str(event.revisions.get().answers)
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM patients_patientreport WHERE id = %s", [report.pk])
        stored = cursor.fetchone()[0]
    assert "sam.jones" not in stored and "Sam Jones" not in stored


def test_get_help_now_leaves_the_form_for_the_help_page(client, places):
    response = client.post(reverse("patients:start"))
    response = client.post(response["Location"], {"ReporterWants": ["help"]})
    assert response["Location"] == reverse("patients:help_now")
    page = client.get(response["Location"]).content.decode()
    assert "999" in page and "111" in page and "safeguarding" in page


def test_help_cannot_be_combined_with_other_wants(client, places):
    response = client.post(reverse("patients:start"))
    response = client.post(response["Location"], {"ReporterWants": ["help", "learn"]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_bad_input_says_what_is_wrong_and_keeps_what_was_typed(client, places):
    check = walk(client)
    key = check.split("/")[-3]
    page = reverse("patients:question", args=[key, "EventDate"])
    response = client.post(page, {"EventDate-day": "31", "EventDate-month": "2", "EventDate-year": "2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'value="31"' in body
    response = client.post(
        reverse("patients:question", args=[key, "WhatHappened"]), {"WhatHappened": "x" * 8001}
    )
    assert "There is a problem" in response.content.decode()
    assert "x" * 8001 in response.content.decode()


def test_an_email_address_must_look_like_one_and_someone_to_contact_gives_email_or_phone(client, places):
    response = client.post(reverse("patients:start"))
    check = walk(client, Sharing={"Sharing": "contact"})
    key = check.split("/")[-3]
    response = client.post(reverse("patients:question", args=[key, "ContactEmail"]), {"ContactEmail": "sam@"})
    assert "correct format" in response.content.decode()
    assert 'value="sam@"' in response.content.decode()
    client.post(reverse("patients:question", args=[key, "ContactEmail"]), {"ContactEmail": ""})
    response = client.post(reverse("patients:question", args=[key, "ContactPhone"]), {"ContactPhone": ""})
    assert "Enter a phone number" in response.content.decode()


def test_a_place_can_be_found_by_postcode(client, places):
    response = client.post(reverse("patients:start"))
    key = response["Location"].split("/")[-3]
    client.post(reverse("patients:question", args=[key, "ReporterWants"]), {"ReporterWants": ["learn"]})
    client.post(reverse("patients:question", args=[key, "ReporterRole"]), {"ReporterRole": "self"})
    response = client.post(
        reverse("patients:question", args=[key, "Organisation"]), {"Organisation-search": "ls1 3ex"}
    )
    assert response.status_code == 302
    assert PatientDraft.objects.get(key=key).answers["Organisation"] == "RR801"


def test_someone_elses_draft_is_not_reachable(client, places):
    check = walk(client)
    other = client.__class__()
    assert other.get(check).status_code == 404


def test_the_complaint_route_shows_the_organisations_complaints_contact(client, places):
    from events.patients.models import ComplaintsContact

    ComplaintsContact.objects.create(
        organisation=places["RR8"],
        team_name="PALS at Leeds",
        email="pals@t1.example.org",
        phone="0113 000 0000",
    )
    send(
        client,
        ReporterWants={"ReporterWants": ["learn", "complaint"]},
        Organisation={"Organisation-search": "Leeds General Infirmary"},
    )
    page = client.get(reverse("patients:sent")).content.decode()
    assert "PALS at Leeds" in page and "pals@t1.example.org" in page  # a site shows its trust's contact
    report = PatientReport.objects.get()
    assert report.wants == ["learn", "complaint"] and report.is_complaint


def test_the_place_search_speaks_plainly_and_keeps_what_was_typed(client, places):
    response = client.post(reverse("patients:start"))
    key = response["Location"].split("/")[-3]
    client.post(reverse("patients:question", args=[key, "ReporterWants"]), {"ReporterWants": ["learn"]})
    client.post(reverse("patients:question", args=[key, "ReporterRole"]), {"ReporterRole": "self"})
    url = reverse("patients:question", args=[key, "Organisation"])
    body = client.post(url, {"Organisation-search": "Nowhere Hospital"}).content.decode()
    assert "We cannot find that place" in body and "ODS" not in body
    assert 'value="Nowhere Hospital"' in body
    body = client.post(url, {"Organisation-search": "Leeds"}).content.decode()
    assert "More than one place matches" in body and "Leeds General Infirmary, LS1 3EX" in body


def test_unfinished_reports_are_deleted_after_a_day_without_a_change(client, places):
    import datetime as dt

    from django.utils import timezone

    from events.patients.services import patient_drafts_expire

    walk(client)
    fresh = PatientDraft.objects.get()
    assert patient_drafts_expire() == 0
    assert patient_drafts_expire(now=timezone.now() + dt.timedelta(days=1, minutes=1)) == 1
    assert not PatientDraft.objects.filter(pk=fresh.pk).exists()


def test_only_super_admins_keep_complaints_contacts(client, places, user_factory, membership_factory):
    admin = user_factory()
    membership_factory(user=admin, organisation=places["RR8"], account_type="admin")
    client.force_login(admin)
    url = reverse("patients:complaints_contacts")
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"organisation": "RR8", "team_name": "PALS", "email": "a@b.org"}).status_code == 403
    )
    client.force_login(user_factory(is_super_admin=True))
    response = client.post(url, {"organisation": "RR8", "team_name": "PALS", "email": "not-an-email"})
    assert response.status_code == 400 and "correct format" in response.content.decode()
    assert 'value="not-an-email"' in response.content.decode()
    assert (
        client.post(url, {"organisation": "RR8", "team_name": "PALS", "email": "a@b.org"}).status_code == 302
    )
