"""PSIRF responses in a real browser (issue 19): the decision queue, a PSII from decision to sign-off
and sharing, the learning response document, engagement and the duty of candour, safety actions and
the overdue list, a response plan from writing to the public page, the ICB's oversight and board
report, and the national register. Every page visited, errors included, is checked with axe-core."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import AccountType
from events.lifecycle import revision_publish
from events.models import EventRevision
from events.responses.models import Response, SafetyAction
from tests.browser.axe import assert_accessible, visit_and_check
from tests.events.test_organisation_support import member, redacted
from tests.factories import make_hierarchy
from tests.responses.support import executive_lead, incident


@pytest.fixture
def workers(monkeypatch):
    """Stand-ins for the redaction worker (no Presidio model here) for records and responses: once the
    transaction commits, the one name the tests use is replaced."""

    def queue_record(revision):
        revision_id = revision.pk
        transaction.on_commit(
            lambda: revision_publish(
                revision_id=revision_id,
                redacted_answers=redacted(EventRevision.objects.get(pk=revision_id).answers),
            )
        )

    def queue_response(response):
        from events.responses.redaction import response_redact

        response_id = response.pk
        transaction.on_commit(lambda: response_redact(response_id))

    from lfpse.celery import app

    # The responses' other free text (rationale, actions, plans) is queued to `redact_free_text`: run
    # here, on commit, as the worker would, whether or not a broker is configured.
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    monkeypatch.setattr("events.lifecycle.revision_redaction_queue", queue_record)
    monkeypatch.setattr("events.responses.redaction_queue.response_redaction_queue", queue_response)
    monkeypatch.setattr(
        "events.responses.redaction.redact_texts",
        lambda texts: {key: value.replace("Jane Doe", "[PERSON 1]") for key, value in texts.items()},
    )
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def world(transactional_db, workers):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    never = incident(recorder, statutory={"NeverEvent": "y", "NeverEventType": "1", "DutyOfCandour": "y"})
    lead = member(
        hierarchy["T1"],
        AccountType.ORGANISATIONAL,
        first_name="Priya",
        last_name="Patel",
        email="priya@nhs.net",
    )
    return hierarchy, never, lead


def test_a_psii_from_the_queue_to_sign_off_with_actions_and_engagement(page: Page, log_in_as, world):
    hierarchy, never, lead = world
    log_in_as(lead)
    visit_and_check(page, "/organisation/responses/awaiting-decision/")
    row = page.get_by_test_id("queue").get_by_role("row").filter(has_text=never.display_reference)
    expect(row).to_contain_text("PSII required")
    expect(row).to_contain_text("Notification: due by")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("requirements")).to_contain_text("Never Event")
    assert_accessible(page)

    # A SWARM is not enough for a Never Event: the message says why and what was typed stays.
    page.get_by_label("SWARM huddle").check()
    page.get_by_label("Why this response?").fill("Wrong site surgery on the day list")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "requires a patient safety incident investigation"
    )
    expect(page.get_by_label("Why this response?")).to_have_value("Wrong site surgery on the day list")
    assert_accessible(page)
    page.get_by_label("Patient safety incident investigation (PSII)").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient safety incident investigation (PSII)")
    expect(page.get_by_test_id("candour")).to_contain_text("Notification: due by")
    assert_accessible(page)
    response = Response.objects.get(kind="psii")
    visit_and_check(page, reverse("events:organisation_event", args=[never.reference]))
    expect(page.get_by_test_id("record-responses")).to_contain_text("Patient safety incident investigation")
    expect(page.get_by_test_id("record-responses")).to_contain_text("Duty of candour notification: due by")
    page.get_by_test_id("record-responses").get_by_role("link").click()

    # The learning response document: saved with gaps, refused for sign-off until complete.
    page.get_by_role("link", name="Record the learning response").click()
    assert_accessible(page)
    page.get_by_label("What is the scope of the investigation?").fill("The day surgery list of Jane Doe")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The learning response has been saved."
    )
    page.get_by_role("button", name="Submit the report for sign-off").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what happened and when")
    assert_accessible(page)
    page.goto(f"/organisation/responses/{response.pk}/learning-response/")
    expect(page.get_by_label("What is the scope of the investigation?")).to_have_value(
        "The day surgery list of Jane Doe"
    )
    page.get_by_label("What happened and when?").fill("08:00 list starts")
    page.get_by_label("What did the investigation find?").fill("Marking was not checked")
    page.get_by_label("Summary of the report").fill("Summary")
    page.get_by_label("Areas for improvement").fill("Site marking")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit the report for sign-off").click()
    expect(page.get_by_test_id("status")).to_have_text("Awaiting sign-off")
    assert_accessible(page)

    # Engagement and the duty of candour: a date in the future is refused.
    page.get_by_role("link", name="Engagement and duty of candour").click()
    assert_accessible(page)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.locator("#notified_on-day").fill(str(tomorrow.day))
    page.locator("#notified_on-month").fill(str(tomorrow.month))
    page.locator("#notified_on-year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Save the duty of candour dates").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be today or in the past")
    expect(page.locator("#notified_on-year")).to_have_value(str(tomorrow.year))
    assert_accessible(page)
    today = timezone.localdate()
    page.locator("#notified_on-day").fill(str(today.day))
    page.locator("#notified_on-month").fill(str(today.month))
    page.locator("#notified_on-year").fill(str(today.year))
    page.get_by_role("button", name="Save the duty of candour dates").click()
    expect(page.get_by_test_id("candour")).to_contain_text("Notification: done on")
    page.get_by_label("Family or carer").check()
    page.get_by_label("Name", exact=True).fill("John Doe")
    page.get_by_label("Contact details").fill("07700 900123")
    page.get_by_role("button", name="Add the person").click()
    expect(page.get_by_test_id("people")).to_contain_text("John Doe (Family or carer)")
    assert_accessible(page)

    # A safety action: a past due date and an unknown owner are refused, the rest kept.
    page.goto(f"/organisation/responses/{response.pk}/")
    page.get_by_role("link", name="Add a safety action").click()
    assert_accessible(page)
    page.get_by_label("Area for improvement").fill("Site marking")
    page.get_by_label("Safety action").fill("Marking checked at the theatre door by a second person")
    page.get_by_label("Owner").fill("ghost@nhs.net")
    page.locator("#due_date-day").fill("1")
    page.locator("#due_date-month").fill("1")
    page.locator("#due_date-year").fill("2020")
    page.get_by_label("How its effectiveness will be measured").fill("Weekly audit")
    page.get_by_label("Stronger").check()
    page.get_by_role("button", name="Save the safety action").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The due date must be today or in the future")
    expect(summary).to_contain_text("No one with the email address ghost@nhs.net")
    expect(page.get_by_label("Safety action")).to_have_value(
        "Marking checked at the theatre door by a second person"
    )
    assert_accessible(page)
    page.get_by_label("Owner").fill("priya@nhs.net")
    page.locator("#due_date-year").fill(str(today.year + 1))
    page.get_by_role("button", name="Save the safety action").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Site marking")
    SafetyAction.objects.update(due_date=today - dt.timedelta(days=5))
    visit_and_check(page, "/organisation/safety-improvement-plans/")
    page.get_by_label("Name").fill("Safer surgery")
    page.get_by_role("button", name="Add the plan").click()
    visit_and_check(page, "/organisation/safety-actions/?overdue=1")
    expect(page.get_by_test_id("actions")).to_contain_text("Overdue")
    page.get_by_test_id("actions").get_by_role("link", name="Site marking").click()
    assert_accessible(page)
    page.get_by_label("Safety improvement plan (optional)").select_option(label="Safer surgery")
    page.get_by_label("Completed").check()
    page.get_by_role("button", name="Save the safety action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the evidence that the action is complete"
    )
    assert_accessible(page)
    page.get_by_label("Evidence").fill("Audit of 40 lists: every site marked and checked")
    page.get_by_role("button", name="Save the safety action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The safety action has been updated.")
    assert SafetyAction.objects.get().plan.title == "Safer surgery"
    visit_and_check(page, "/organisation/safety-actions/")
    visit_and_check(page, "/organisation/responses/")
    visit_and_check(page, "/organisation/safety-improvement-plans/")

    # The PSIRF executive lead signs off; then the report is shared with the ICB.
    log_in_as(executive_lead(hierarchy["T1"]))
    visit_and_check(page, f"/organisation/responses/{response.pk}/")
    expect(page.locator("body")).not_to_contain_text("Jane Doe")  # not on the response team: redacted
    expect(page.locator("body")).to_contain_text("The day surgery list of [PERSON 1]")
    page.get_by_role("link", name="Sign off or return the report").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether to sign off the report or return it"
    )
    assert_accessible(page)
    page.get_by_label("Yes, sign off the report").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Share the report with the ICB").click()
    expect(page.get_by_test_id("status")).to_have_text("Shared with ICB")
    assert_accessible(page)


def test_a_plan_agreed_by_the_icb_oversight_board_report_and_national_register(page: Page, log_in_as, world):
    hierarchy, _never, _lead = world
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    log_in_as(admin)
    visit_and_check(page, "/organisation/psirf-executive-lead/")
    page.get_by_label("Email address of the PSIRF executive lead").fill("ghost@nhs.net")
    page.get_by_role("button", name="Name the executive lead").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("someone with an account")
    assert_accessible(page)
    page.get_by_label("Email address of the PSIRF executive lead").fill("priya@nhs.net")
    page.get_by_role("button", name="Name the executive lead").click()
    expect(page.get_by_test_id("current")).to_contain_text("Priya Patel")

    visit_and_check(page, "/organisation/response-plan/")
    page.get_by_label("Summary").fill("Our response plan")
    page.locator("#priority-1").fill("Falls with harm")
    page.get_by_role("button", name="Save this version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the planned response method for priority 1"
    )
    expect(page.locator("#priority-1")).to_have_value("Falls with harm")
    assert_accessible(page)
    page.locator("#method-1").select_option("aar")
    page.get_by_role("button", name="Save this version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 1")
    page.get_by_role("button", name="Submit to the ICB").click()
    assert_accessible(page)

    log_in_as(member(hierarchy["Q1"], AccountType.ADMIN))
    visit_and_check(page, "/oversight/responses/?organisation=Q1&scope=below")
    page.get_by_test_id("awaiting").get_by_role("link").click()
    assert_accessible(page)
    page.get_by_role("button", name="Agree the plan").click()
    expect(page.get_by_test_id("status")).to_have_text("Agreed")
    visit_and_check(page, "/organisation/responses/board-report/?organisation=T1")
    visit_and_check(page, "/patient-safety-incident-response-plans/")
    page.get_by_role("link", name="Organisation T1").click()
    expect(page.get_by_test_id("priorities")).to_contain_text("Falls with harm")
    assert_accessible(page)

    log_in_as(member(hierarchy["T1"], AccountType.STANDARD, is_super_admin=True))
    visit_and_check(page, "/national/responses/")
