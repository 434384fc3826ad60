"""The issue's bad-input targets, page by page: a due date in the past, an unknown owner, a sign-off by
someone without the role, and a transition that is not allowed each get a clear message in the GOV.UK
error summary, and what was typed is still on the page (or shown as not saved, when the form no longer
applies)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.responses import actions, plans, services
from events.responses.models import Response, ResponsePlan, SafetyAction
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import executive_lead, incident

REPORT = {key: key for key in ("Scope", "Timeline", "Findings", "ReportSummary", "AreasForImprovement")}


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    lead = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="lead@nhs.net")
    return hierarchy, recorder, lead


def summary(html: str) -> bool:
    return "There is a problem" in html and "govuk-error-summary" in html


def action_form(due: dt.date, owner: str, **overrides) -> dict:
    return {
        "area_for_improvement": "Insulin prescribing",
        "action": "Remove free-text doses typed here",
        "owner_email": owner,
        "due_date-day": str(due.day),
        "due_date-month": str(due.month),
        "due_date-year": str(due.year),
        "measure": "Monthly audit typed here",
        "strength": "stronger",
        "status": "in_progress",
        "evidence": "Evidence typed here",
        **overrides,
    }


def test_editing_an_action_to_a_past_due_date_or_an_unknown_owner_keeps_every_field(client, world):
    hierarchy, _recorder, lead = world
    action = actions.safety_action_create(
        actor=lead,
        organisation=hierarchy["T1"],
        values={
            "area_for_improvement": "Insulin",
            "action": "Before",
            "owner_email": "lead@nhs.net",
            "due_date": timezone.localdate() + dt.timedelta(days=10),
            "measure": "Audit",
            "strength": "weaker",
        },
    )
    client.force_login(lead)
    last_week = timezone.localdate() - dt.timedelta(days=7)
    answer = client.post(
        reverse("responses:action", args=[action.pk]), action_form(last_week, "ghost@nhs.net")
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and summary(html)
    assert "The due date must be today or in the future" in html
    assert "No one with the email address ghost@nhs.net has an account on this service" in html
    for typed in ("Remove free-text doses typed here", "Monthly audit typed here", "Evidence typed here"):
        assert typed in html
    assert 'value="ghost@nhs.net"' in html and f'value="{last_week.day}"' in html
    assert SafetyAction.objects.get(pk=action.pk).action == "Before"  # nothing saved


def test_an_owner_outside_the_organisation_is_refused_on_the_page(client, world):
    hierarchy, _recorder, lead = world
    member(hierarchy["U1"], AccountType.ADMIN, email="elsewhere@nhs.net")
    client.force_login(lead)
    answer = client.post(
        reverse("responses:action_new") + "?organisation=T1",
        action_form(timezone.localdate() + dt.timedelta(days=3), "elsewhere@nhs.net"),
    )
    html = answer.content.decode()
    assert summary(html) and "elsewhere@nhs.net is not a member of" in html
    assert "Remove free-text doses typed here" in html and not SafetyAction.objects.exists()


def test_a_sign_off_by_someone_without_the_role_keeps_the_note(client, world):
    hierarchy, recorder, lead = world
    response = services.response_decide(actor=lead, event=incident(recorder), kind="psii", rationale="PSII")
    services.response_answers_save(actor=lead, response=response, data=REPORT)
    services.response_submit_for_sign_off(actor=lead, response=response)
    client.force_login(member(hierarchy["T1"], AccountType.ADMIN))  # may lead, but holds no role
    answer = client.post(
        reverse("responses:sign_off", args=[response.pk]), {"decision": "return", "note": "Typed note kept"}
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and summary(html)
    assert "Only the organisation&#x27;s PSIRF executive lead can sign off a PSII report" in html
    assert "Typed note kept" in html and 'value="return" checked' in html.replace("\n", " ")
    assert Response.objects.get(pk=response.pk).status == "awaiting_sign_off"


def test_a_sign_off_of_a_report_no_longer_awaiting_it_says_why_and_keeps_the_note(client, world):
    hierarchy, recorder, lead = world
    response = services.response_decide(actor=lead, event=incident(recorder), kind="psii", rationale="PSII")
    services.response_answers_save(actor=lead, response=response, data=REPORT)
    client.force_login(executive_lead(hierarchy["T1"]))
    answer = client.post(
        reverse("responses:sign_off", args=[response.pk]), {"decision": "return", "note": "Typed note kept"}
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and summary(html) and "Typed note kept" in html
    assert "is not allowed on a response that is in progress" in html


@pytest.mark.parametrize(
    ("kind", "step", "message"),
    [
        (
            "aar",
            "share",
            "'Shared with the ICB' is not allowed on a response that is in progress (After Action",
        ),
        (
            "psii",
            "share",
            "'Shared with the ICB' is not allowed on a response that is in progress (Patient safety",
        ),
    ],
)
def test_a_transition_that_is_not_allowed_is_refused_on_the_page(client, world, kind, step, message):
    _hierarchy, recorder, lead = world
    response = services.response_decide(actor=lead, event=incident(recorder), kind=kind, rationale="x")
    services.response_answers_save(actor=lead, response=response, data=REPORT if kind == "psii" else {})
    client.force_login(lead)
    answer = client.post(reverse("responses:move", args=[response.pk]), {"step": step})
    html = answer.content.decode().replace("&#x27;", "'")
    assert answer.status_code == 200 and summary(html)
    assert message in html
    assert Response.objects.get(pk=response.pk).status == "in_progress"


def test_closing_a_referral_already_closed_shows_the_note_as_not_saved(client, world):
    _hierarchy, recorder, lead = world
    referral = services.response_decide(
        actor=lead, event=incident(recorder), kind="referral", rationale="x", referral_body="MNSI"
    )
    services.referral_close(actor=lead, response=referral, note="Closed first")
    client.force_login(lead)
    answer = client.post(
        reverse("responses:move", args=[referral.pk]),
        {"step": "close_referral", "note": "Typed a second time"},
    )
    html = answer.content.decode()
    assert (
        answer.status_code == 200 and summary(html) and "is not allowed on a response that is closed" in html
    )
    assert "What you typed was not saved" in html and "Typed a second time" in html


def test_a_plan_step_that_is_not_allowed_keeps_the_note(client, world):
    hierarchy, _recorder, _lead = world
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    icb_admin = member(hierarchy["Q1"], AccountType.ADMIN)
    plan = plans.plan_write(
        actor=admin,
        organisation=hierarchy["T1"],
        summary="Plan",
        data={"priority-1": "Falls", "method-1": "aar"},
    )
    client.force_login(icb_admin)
    answer = client.post(
        reverse("responses:plan", args=[plan.pk]), {"step": "return", "note": "Typed ICB note"}
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and summary(html) and "A plan that is draft cannot be returned" in html
    assert "Typed ICB note" in html
    assert ResponsePlan.objects.get(pk=plan.pk).status == "draft"
