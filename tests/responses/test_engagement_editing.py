"""Changing the people affected, the engagement entries and the response team after they were
recorded: the response team only (asked of the policy), the GOV.UK error summary and nothing lost on
bad input, every change audited, contact details still encrypted and never in the audit trail."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.responses import engagement, services
from events.responses.models import AffectedPerson, EngagementEntry, Response, ResponseAuditEntry
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import incident, redact_pending


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    lead = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="lead@nhs.net", first_name="Lee")
    response = services.response_decide(actor=lead, event=incident(recorder), kind="aar", rationale="AAR")
    person = engagement.affected_person_add(
        actor=lead,
        response=response,
        role="family",
        name="Jane Doe",
        contact="07700 900123",
        preferences="Calls",
    )
    entry = engagement.engagement_record(
        actor=lead, response=response, kind="meeting", happened_on=timezone.localdate(), note="First meeting"
    )
    return hierarchy, lead, response, person, entry


def trail(response):
    return list(
        ResponseAuditEntry.objects.filter(response=response).order_by("id").values_list("action", flat=True)
    )


def test_a_person_affected_is_changed_by_the_team_audited_without_their_details(client, world):
    _hierarchy, lead, response, person, _entry = world
    client.force_login(lead)
    url = reverse("responses:affected_person", args=[response.pk, person.pk])
    page = client.get(url).content.decode()
    assert 'value="Jane Doe"' in page and "07700 900123" in page
    answer = client.post(
        url, {"role": "patient", "name": "Jane Doe", "contact": "jane@example.org", "preferences": ""}
    )
    assert answer.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.details["contact"]) == ("patient", "jane@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM responses_affectedperson WHERE id = %s", [person.pk])
        assert "jane@example.org" not in cursor.fetchone()[0]  # still encrypted
    entry = ResponseAuditEntry.objects.filter(response=response, action="affected_person_updated").get()
    assert entry.detail == {"role": "patient", "changed": ["contact", "preferences", "role"]}
    assert "Jane" not in str(entry.detail) and "jane@" not in str(entry.detail)


def test_bad_input_on_a_person_keeps_what_was_typed(client, world):
    _hierarchy, lead, response, person, _entry = world
    client.force_login(lead)
    url = reverse("responses:affected_person", args=[response.pk, person.pk])
    answer = client.post(
        url, {"role": "", "name": "", "contact": "new contact typed", "preferences": "x" * 1001}
    )
    page = answer.content.decode()
    assert (
        answer.status_code == 200 and "There is a problem" in page and page.count("govuk-error-message") == 3
    )
    assert "Select who the person is" in page and "Enter the person&#x27;s name" in page
    assert 'value="new contact typed"' in page  # nothing typed is lost
    person.refresh_from_db()
    assert person.details["contact"] == "07700 900123"  # nothing saved
    assert "affected_person_updated" not in trail(response)


def test_someone_outside_the_team_may_not_change_or_remove_people(client, world):
    hierarchy, _lead, response, person, entry = world
    admin = member(hierarchy["T1"], AccountType.ADMIN)  # may lead responses, but not on this team
    client.force_login(admin)
    for url in (
        reverse("responses:affected_person", args=[response.pk, person.pk]),
        reverse("responses:engagement_entry", args=[response.pk, entry.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"remove": "yes"}).status_code == 403
    assert AffectedPerson.objects.filter(pk=person.pk).exists()
    with pytest.raises(services.NotAllowed):
        engagement.affected_person_remove(actor=admin, response=response, person=person)


def test_a_person_is_removed_and_audited(client, world):
    _hierarchy, lead, response, person, _entry = world
    client.force_login(lead)
    client.post(reverse("responses:affected_person", args=[response.pk, person.pk]), {"remove": "yes"})
    assert not AffectedPerson.objects.filter(pk=person.pk).exists()
    assert ResponseAuditEntry.objects.get(action="affected_person_removed").detail == {"role": "family"}


def test_an_engagement_entry_is_corrected_its_note_redacted_again(client, world):
    _hierarchy, lead, response, _person, entry = world
    redact_pending()
    client.force_login(lead)
    url = reverse("responses:engagement_entry", args=[response.pk, entry.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    answer = client.post(
        url,
        {
            "kind": "draft_shared",
            "happened_on-day": str(yesterday.day),
            "happened_on-month": str(yesterday.month),
            "happened_on-year": str(yesterday.year),
            "note": "Draft sent to Jane Doe",
        },
    )
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.happened_on, entry.note, entry.redacted_texts) == (
        "draft_shared",
        yesterday,
        "Draft sent to Jane Doe",
        None,
    )
    audit = ResponseAuditEntry.objects.get(action="engagement_updated")
    assert audit.detail["changed"] == ["happened_on", "kind", "note"] and "Jane" not in str(audit.detail)
    redact_pending()
    assert EngagementEntry.objects.get(pk=entry.pk).redacted_texts == {"note": "Draft sent to [PERSON 1]"}


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (("", "3", "2026"), "The date it happened must include a day"),
        (("31", "2", "2026"), "The date it happened must be a real date"),
        (None, "The date it happened must be today or in the past"),
    ],
)
def test_a_bad_date_on_an_entry_keeps_what_was_typed(client, world, date, message):
    _hierarchy, lead, response, _person, entry = world
    if date is None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        date = (str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    client.force_login(lead)
    answer = client.post(
        reverse("responses:engagement_entry", args=[response.pk, entry.pk]),
        {
            "kind": "comments",
            "happened_on-day": date[0],
            "happened_on-month": date[1],
            "happened_on-year": date[2],
            "note": "Typed and kept",
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "There is a problem" in page and message in page
    assert "Typed and kept" in page and 'value="comments" checked' in page.replace("\n", " ").replace(
        "  ", " "
    )
    assert EngagementEntry.objects.get(pk=entry.pk).kind == "meeting"


def test_the_team_and_its_lead_are_changed_audited_and_checked_by_the_policy(client, world):
    hierarchy, lead, response, _person, _entry = world
    member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="second@nhs.net")
    member(hierarchy["T1"], AccountType.READ_ONLY, email="reader@nhs.net")
    client.force_login(lead)
    url = reverse("responses:engagement", args=[response.pk])
    client.post(url, {"form": "team", "email": "second@nhs.net"})
    answer = client.post(url, {"form": "lead_change", "lead": "reader@nhs.net"})
    page = answer.content.decode()
    assert answer.status_code == 200 and "There is a problem" in page and "cannot lead responses" in page
    assert 'value="reader@nhs.net"' in page  # kept
    answer = client.post(url, {"form": "lead_change", "lead": "ghost@nhs.net"})
    assert "someone with an account on this service" in answer.content.decode()
    assert client.post(url, {"form": "lead_change", "lead": "second@nhs.net"}).status_code == 302
    response = Response.objects.get(pk=response.pk)
    assert response.lead.email == "second@nhs.net" and response.team.filter(pk=lead.pk).exists()
    second = response.lead
    # The decider (here the former lead) and the current lead stay on the team: refused, said why.
    for refused, reason in ((lead, "Whoever decided the response stays"), (second, "change the lead first")):
        answer = client.post(url, {"form": "team_remove", "member": str(refused.pk)})
        page = answer.content.decode()
        assert answer.status_code == 200 and "There is a problem" in page and reason in page
    assert response.team.filter(pk=lead.pk).exists()
    assert client.post(url, {"form": "team_remove", "member": "nobody"}).status_code == 200
    third = member(hierarchy["T1"], AccountType.ADMIN, email="third@nhs.net")
    client.post(url, {"form": "team", "email": "third@nhs.net"})
    assert client.post(url, {"form": "team_remove", "member": str(third.pk)}).status_code == 302
    assert not response.team.filter(pk=third.pk).exists()
    assert trail(response)[-4:] == [
        "team_member_added",
        "lead_changed",
        "team_member_added",
        "team_member_removed",
    ]


@pytest.mark.parametrize("page", ["entry", "engagement"])
def test_a_bad_date_is_reported_with_the_entrys_other_problems(client, world, page):
    """A bad date does not hide the other errors: the kind and the note are reported with it, on the
    correction page and on the engagement page alike, and what was typed is kept."""
    _hierarchy, lead, response, _person, entry = world
    client.force_login(lead)
    data = {
        "happened_on-day": "31",
        "happened_on-month": "2",
        "happened_on-year": "2026",
        "kind": "",
        "note": "x" * 2001,
    }
    if page == "entry":
        url = reverse("responses:engagement_entry", args=[response.pk, entry.pk])
    else:
        url, data = reverse("responses:engagement", args=[response.pk]), {**data, "form": "entry"}
    answer = client.post(url, data)
    html = answer.content.decode()
    assert answer.status_code == 200 and "There is a problem" in html
    for message in (
        "The date it happened must be a real date",
        "Select what happened",
        "The note must be 2,000 characters or less",
    ):
        assert message in html, message
    assert 'value="31"' in html
