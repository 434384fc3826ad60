"""The response pages through the test client: who may open each, what bad input shows, and that
what was typed stays."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.responses import services
from events.responses.models import Response, SafetyAction
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import executive_lead, incident


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    organisational = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="org@nhs.net")
    return hierarchy, recorder, organisational


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_queue_lists_incidents_awaiting_a_decision_with_their_requirements(client, world):
    _hierarchy, recorder, organisational = world
    never = incident(recorder, statutory={"NeverEvent": "y", "NeverEventType": "1"})
    page = as_user(client, organisational).get(reverse("responses:queue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert never.display_reference in html and "PSII required" in html and "Never Event" in html


@pytest.mark.parametrize(
    ("account_type", "queue", "decide"),
    [
        (AccountType.STANDARD, 403, 404),
        (AccountType.READ_ONLY, 200, 403),
        (AccountType.ORGANISATIONAL, 200, 200),
        (AccountType.ADMIN, 200, 200),
    ],
)
def test_who_opens_the_queue_and_the_decision_page(client, world, account_type, queue, decide):
    hierarchy, recorder, _ = world
    event = incident(recorder)
    user = member(hierarchy["T1"], account_type)
    as_user(client, user)
    assert client.get(reverse("responses:queue")).status_code == queue
    assert client.get(reverse("responses:decide", args=[event.reference])).status_code == decide


def test_a_bad_decision_keeps_what_was_typed(client, world):
    _hierarchy, recorder, organisational = world
    event = incident(recorder)
    page = as_user(client, organisational).post(
        reverse("responses:decide", args=[event.reference]),
        {
            "kind": "referral",
            "rationale": "Refer it on please",
            "referral_body": "",
            "linked": "nonsense 123",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert "Refer it on please" in html and "nonsense 123" in html
    assert "These are not reference numbers of records you can see: nonsense, 123" in html
    assert not Response.objects.exists()


def test_a_decision_then_the_document_and_sign_off_pages(client, world):
    hierarchy, recorder, organisational = world
    event = incident(recorder, statutory={"NeverEvent": "y", "NeverEventType": "1"})
    as_user(client, organisational)
    page = client.post(
        reverse("responses:decide", args=[event.reference]), {"kind": "psii", "rationale": "Never Event"}
    )
    response = Response.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("responses:detail", args=[response.pk])
    detail = client.get(page["Location"])
    assert detail.status_code == 200
    history = detail.content.decode().split(">History<", 1)[1]
    assert ">In progress<" in history and "in_progress" not in history  # the status in words
    page = client.post(reverse("responses:document", args=[response.pk]), {"Scope": "x" * 5001})
    assert page.status_code == 200 and "must be 5,000 characters or less" in page.content.decode()
    page = client.post(reverse("responses:move", args=[response.pk]), {"step": "submit"})
    assert page.status_code == 200 and "Enter the scope of the investigation" in page.content.decode()
    data = {key: key for key in ("Scope", "Timeline", "Findings", "ReportSummary", "AreasForImprovement")}
    assert client.post(reverse("responses:document", args=[response.pk]), data).status_code == 302
    assert client.post(reverse("responses:move", args=[response.pk]), {"step": "submit"}).status_code == 302
    # Someone without the role is told so; the executive lead signs off.
    page = client.post(reverse("responses:sign_off", args=[response.pk]), {"decision": "sign_off"})
    assert (
        page.status_code == 200
        and "Only the organisation&#x27;s PSIRF executive lead" in page.content.decode()
    )
    as_user(client, executive_lead(hierarchy["T1"]))
    assert (
        client.post(reverse("responses:sign_off", args=[response.pk]), {"decision": "sign_off"}).status_code
        == 302
    )
    assert Response.objects.get().status == "signed_off"


def test_an_unrelated_organisation_sees_no_response(client, world):
    hierarchy, recorder, organisational = world
    response = services.response_decide(
        actor=organisational, event=incident(recorder), kind="none", rationale="x"
    )
    as_user(client, member(hierarchy["U1"], AccountType.ADMIN))
    assert client.get(reverse("responses:detail", args=[response.pk])).status_code == 404
    as_user(client, member(hierarchy["Q1"], AccountType.ORGANISATIONAL))
    assert client.get(reverse("responses:detail", args=[response.pk])).status_code == 200


def test_a_safety_action_with_a_past_due_date_and_an_unknown_owner_is_refused_and_kept(client, world):
    _hierarchy, _recorder, organisational = world
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = as_user(client, organisational).post(
        reverse("responses:action_new") + "?organisation=T1",
        {
            "area_for_improvement": "Insulin prescribing",
            "action": "Remove free-text insulin doses from the e-prescribing system",
            "owner_email": "nobody@nhs.net",
            "due_date-day": yesterday.day,
            "due_date-month": yesterday.month,
            "due_date-year": yesterday.year,
            "measure": "Audit of insulin errors",
            "strength": "stronger",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "The due date must be today or in the future" in html
    assert "No one with the email address nobody@nhs.net has an account on this service" in html
    assert "Remove free-text insulin doses" in html and f'value="{yesterday.year}"' in html
    assert not SafetyAction.objects.exists()


def test_the_register_and_overdue_list(client, world):
    from events.responses.actions import safety_action_create

    hierarchy, _recorder, organisational = world
    action = safety_action_create(
        actor=organisational,
        organisation=hierarchy["T1"],
        values={
            "area_for_improvement": "Falls",
            "action": "Low beds",
            "owner_email": "org@nhs.net",
            "due_date": timezone.localdate(),
            "measure": "Falls per 1,000 bed days",
            "strength": "stronger",
        },
    )
    SafetyAction.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    as_user(client, organisational)
    assert "Falls" in client.get(reverse("responses:register")).content.decode()
    overdue = client.get(reverse("responses:register") + "?overdue=1").content.decode()
    assert "Falls" in overdue and "Overdue" in overdue
    as_user(client, member(hierarchy["U1"], AccountType.ADMIN))
    assert "Falls" not in client.get(reverse("responses:register")).content.decode()


def test_a_decided_record_opens_its_response_instead_of_a_second_decision(client, world):
    _, recorder, organisational = world
    event = incident(recorder)
    response = services.response_decide(actor=organisational, event=event, kind="none", rationale="Low harm")
    page = as_user(client, organisational).get(
        reverse("responses:decide", args=[event.reference]), follow=True
    )
    assert page.redirect_chain[-1][0] == reverse("responses:detail", args=[response.pk])
    assert "A response has already been decided for this record." in page.content.decode()
