"""Emails about plans and PSII reports (notifications.py): who is told is asked of the policy, the
emails go through the worker's task once the change commits (run at once here, conftest.py), and carry
no free text."""

import pytest

from accounts.models import AccountType
from events.responses import notifications, plans, services
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import executive_lead, incident

DATA = {"priority-1": "Falls with harm, Jane Doe", "method-1": "aar"}
REPORT = {key: key for key in ("Scope", "Timeline", "Findings", "ReportSummary", "AreasForImprovement")}


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    people = {
        "admin": member(hierarchy["T1"], AccountType.ADMIN, email="admin@nhs.net"),
        "organisational": member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="org@nhs.net"),
        "icb_admin": member(hierarchy["Q1"], AccountType.ADMIN, email="icb.admin@nhs.net"),
        "icb_organisational": member(hierarchy["Q1"], AccountType.ORGANISATIONAL, email="icb.org@nhs.net"),
        "recorder": member(hierarchy["T1"], AccountType.STANDARD, email="recorder@nhs.net"),
    }
    return hierarchy, people


def sent(mailoutbox, since=0):
    return sorted(address for email in mailoutbox[since:] for address in email.to)


def about_responses(mailoutbox):
    """The emails of this module, without the recorder's own news of their record's stage (the closed
    loop of issue 17 tells the recorder when a response is chosen)."""
    return [email for email in mailoutbox if "News about your patient safety record" not in email.subject]


def test_plan_emails_go_to_whoever_the_policy_lets_decide_or_write(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    hierarchy, people = world
    plan = plans.plan_write(actor=people["admin"], organisation=hierarchy["T1"], summary="Plan", data=DATA)
    assert mailoutbox == []  # a draft tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_step(actor=people["admin"], plan=plan, step="submit")
    assert sent(mailoutbox) == ["icb.admin@nhs.net"]  # ICB organisational users do not agree plans
    assert "has submitted its response plan (version 1)" in mailoutbox[0].subject
    assert f"/organisation/response-plan/{plan.pk}/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives and "Jane Doe" not in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_step(actor=people["icb_admin"], plan=plan, step="return", note="Add Jane Doe's falls")
    assert sent(mailoutbox, 1) == ["admin@nhs.net"]  # the organisation's admins, not its other members
    assert (
        mailoutbox[1].subject.endswith("has been returned by the ICB")
        and "Jane Doe" not in mailoutbox[1].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_step(actor=people["admin"], plan=plan, step="submit")
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_step(actor=people["icb_admin"], plan=plan, step="agree")
    assert sent(mailoutbox, 3) == ["admin@nhs.net"] and mailoutbox[3].subject.endswith("agreed by the ICB")


def test_a_report_awaiting_sign_off_goes_to_the_executive_leads_and_a_shared_one_to_the_icb(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    hierarchy, people = world
    lead = executive_lead(hierarchy["T1"])
    response = services.response_decide(
        actor=people["organisational"], event=incident(people["recorder"]), kind="psii", rationale="Jane Doe"
    )
    services.response_answers_save(actor=people["organisational"], response=response, data=REPORT)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit_for_sign_off(actor=people["organisational"], response=response)
    assert sent(about_responses(mailoutbox)) == [lead.email]
    assert "awaiting your sign-off" in about_responses(mailoutbox)[0].subject
    assert f"/organisation/responses/{response.pk}/sign-off/" in about_responses(mailoutbox)[0].body
    services.response_sign_off(actor=lead, response=response, decision="sign_off")
    with django_capture_on_commit_callbacks(execute=True):
        services.response_share_with_icb(actor=people["organisational"], response=response)
    # The ICB's users who oversee the organisation's responses: its admin and organisational users.
    assert sent(about_responses(mailoutbox), 1) == ["icb.admin@nhs.net", "icb.org@nhs.net"]
    assert all("Jane Doe" not in email.body for email in mailoutbox)


def test_a_role_holder_the_policy_no_longer_allows_is_not_emailed(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    hierarchy, people = world
    lead = executive_lead(hierarchy["T1"])
    lead.memberships.update(account_type=AccountType.READ_ONLY)  # the role alone does not sign off
    response = services.response_decide(
        actor=people["organisational"], event=incident(people["recorder"]), kind="psii", rationale="PSII"
    )
    services.response_answers_save(actor=people["organisational"], response=response, data=REPORT)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit_for_sign_off(actor=people["organisational"], response=response)
    assert about_responses(mailoutbox) == []
    assert notifications.sign_off_deciders(response) == []


def test_a_rolled_back_change_emails_nobody(world, mailoutbox, django_capture_on_commit_callbacks):
    hierarchy, people = world
    plan = plans.plan_write(actor=people["admin"], organisation=hierarchy["T1"], summary="Plan", data=DATA)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.Problems):
        plans.plan_step(actor=people["icb_admin"], plan=plan, step="agree")  # a draft cannot be agreed
    assert mailoutbox == []


def test_the_emails_are_sent_by_the_worker_task(
    world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    hierarchy, people = world
    queued = []
    monkeypatch.setattr("events.responses.tasks.send_emails.delay", lambda emails: queued.append(emails))
    plan = plans.plan_write(actor=people["admin"], organisation=hierarchy["T1"], summary="Plan", data=DATA)
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_step(actor=people["admin"], plan=plan, step="submit")
    assert mailoutbox == [] and len(queued) == 1  # queued to Celery, not sent by the web process
    assert notifications.emails_send(queued[0]) == 1 and sent(mailoutbox) == ["icb.admin@nhs.net"]


def test_no_queued_email_message_carries_free_text(world, django_capture_on_commit_callbacks, monkeypatch):
    """What rests in the broker: the composed emails of plans and PSII reports hold names, links and
    statuses, never the plan's text, a note or a rationale (the overdue reminder queues ids only,
    tests/responses/test_actions_plans_oversight.py)."""
    hierarchy, people = world
    queued = []
    monkeypatch.setattr("events.responses.tasks.send_emails.delay", lambda *args: queued.append(args))
    plan = plans.plan_write(
        actor=people["admin"], organisation=hierarchy["T1"], summary="Jane Doe", data=DATA
    )
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_step(actor=people["admin"], plan=plan, step="submit")
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_step(actor=people["icb_admin"], plan=plan, step="return", note="Add Jane Doe's falls")
    lead = executive_lead(hierarchy["T1"])
    psii = services.response_decide(
        actor=people["organisational"], event=incident(people["recorder"]), kind="psii", rationale="Jane Doe"
    )
    services.response_answers_save(actor=people["organisational"], response=psii, data=REPORT)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit_for_sign_off(actor=people["organisational"], response=psii)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_sign_off(actor=lead, response=psii, decision="sign_off", note="Jane Doe agreed")
        services.response_share_with_icb(actor=lead, response=psii)
    assert len(queued) >= 4 and "Jane Doe" not in repr(queued)
