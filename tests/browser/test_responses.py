"""PSIRF responses in a real browser (docs/adr/0021): the response list's filter form, a response's
redacted free text, changing the people affected, an engagement entry and the team, the register's
filter, and the board report on screen and as printed. Every page visited is checked with axe-core
(WCAG 2.2 AA)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import AccountType
from events.responses import actions, engagement, services
from tests.browser.axe import assert_accessible
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy
from tests.responses.support import fake_pipeline, incident


@pytest.fixture
def world(transactional_db, monkeypatch):
    """Records are published as the worker would (processed_event); the responses' free text is
    redacted in this process once each change commits, by the tests' stand-in for the pipeline."""
    from lfpse.celery import app

    monkeypatch.setattr("events.lifecycle.revision_redaction_queue", lambda revision: None)
    monkeypatch.setattr("events.responses.free_text.redact_texts", fake_pipeline)
    monkeypatch.setattr("events.responses.redaction.redact_texts", fake_pipeline)
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    lead = member(
        hierarchy["T1"], AccountType.ORGANISATIONAL, email="lead@nhs.net", first_name="Lee", last_name="Lead"
    )
    member(
        hierarchy["T1"],
        AccountType.ORGANISATIONAL,
        email="second@nhs.net",
        first_name="Sam",
        last_name="Second",
    )
    aar = services.response_decide(
        actor=lead, event=incident(recorder), kind="aar", rationale="Jane Doe was given the wrong dose"
    )
    services.response_decide(actor=lead, event=incident(recorder), kind="none", rationale="Low harm")
    engagement.affected_person_add(
        actor=lead, response=aar, role="family", name="Jane Doe", contact="07700 900123", preferences="Calls"
    )
    engagement.engagement_record(
        actor=lead, response=aar, kind="meeting", happened_on=timezone.localdate(), note="Met Jane Doe"
    )
    action = actions.safety_action_create(
        actor=lead,
        organisation=hierarchy["T1"],
        response=aar,
        values={
            "area_for_improvement": "Insulin doses for Jane Doe",
            "action": "Remove free-text doses",
            "owner_email": "lead@nhs.net",
            "due_date": timezone.localdate() + dt.timedelta(days=30),
            "measure": "Audit",
            "strength": "stronger",
        },
    )
    yield hierarchy, lead, aar, action
    app.conf.task_always_eager = before


def test_the_list_filter_form_keeps_its_values_and_names_a_bad_one(page: Page, log_in_as, world):
    _hierarchy, lead, _aar, _action = world
    log_in_as(lead)
    page.goto("/organisation/responses/?organisation=T1")
    expect(page.get_by_test_id("responses")).to_contain_text("No further response")
    assert_accessible(page)
    page.get_by_label("Type of response").select_option("aar")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("responses")).to_contain_text("After Action Review")
    expect(page.get_by_test_id("responses")).not_to_contain_text("No further response")
    expect(page.get_by_label("Type of response")).to_have_value("aar")
    assert_accessible(page)
    page.goto("/organisation/responses/?organisation=T1&kind=nonsense")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a type of response from the list")
    assert_accessible(page)


def test_a_reader_outside_the_team_reads_the_redacted_text(page: Page, log_in_as, world):
    hierarchy, _lead, aar, action = world
    log_in_as(member(hierarchy["T1"], AccountType.READ_ONLY))
    page.goto(f"/organisation/responses/{aar.pk}/")
    expect(page.get_by_test_id("rationale")).to_have_text("[PERSON 1] was given the wrong dose")
    expect(page.get_by_test_id("engagement-log")).to_contain_text("Met [PERSON 1]")
    expect(page.locator("main")).not_to_contain_text("Jane")
    assert_accessible(page)
    page.goto(f"/organisation/safety-actions/{action.pk}/")
    expect(page.locator("main")).to_contain_text("Insulin doses for [PERSON 1]")
    expect(page.locator("main")).not_to_contain_text("Jane")
    assert_accessible(page)


def test_the_team_changes_a_person_an_entry_and_the_lead(page: Page, log_in_as, world):
    _hierarchy, lead, aar, _action = world
    log_in_as(lead)
    page.goto(f"/organisation/responses/{aar.pk}/engagement/")
    expect(page.get_by_test_id("people")).to_contain_text("Jane Doe")
    assert_accessible(page)

    page.get_by_role("link", name="Change Jane Doe").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("")
    page.get_by_label("Contact details").fill("jane@example.org")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's name")
    expect(page.get_by_label("Contact details")).to_have_value("jane@example.org")  # kept
    assert_accessible(page)
    page.get_by_label("Name").fill("Jane Doe")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_test_id("people")).to_contain_text("jane@example.org")

    page.get_by_role("link", name="Change this entry").click()
    assert_accessible(page)
    page.get_by_label("Draft report shared").check()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date it happened must be a real date")
    expect(page.get_by_label("Draft report shared")).to_be_checked()  # kept
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_test_id("engagement")).to_contain_text("Draft report shared")

    page.get_by_label("Email address of a new lead").fill("nobody@nhs.net")
    page.get_by_role("button", name="Change the lead").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("someone with an account on this service")
    expect(page.get_by_label("Email address of a new lead")).to_have_value("nobody@nhs.net")
    assert_accessible(page)
    page.get_by_label("Email address of a new lead").fill("second@nhs.net")
    page.get_by_role("button", name="Change the lead").click()
    expect(page.get_by_test_id("team")).to_contain_text("Sam Second")
    assert_accessible(page)


def test_the_register_filter_and_the_board_report_in_print(page: Page, log_in_as, world):
    _hierarchy, lead, _aar, _action = world
    log_in_as(lead)
    page.goto("/organisation/safety-actions/?organisation=T1")
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Status")).to_have_value("overdue")
    expect(page.locator("main")).to_contain_text("No safety actions")
    assert_accessible(page)

    page.goto("/organisation/responses/board-report/?organisation=T1")
    print_link = page.get_by_test_id("print")
    expect(print_link).to_be_visible()  # shown once the script can make it work
    assert_accessible(page)
    page.emulate_media(media="print")
    for hidden in (".govuk-template__header", ".govuk-footer", ".govuk-back-link", ".govuk-phase-banner"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(print_link).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_test_id("psiis")).to_be_visible()
    styles = page.evaluate(
        """() => {
            const table = document.querySelector('[data-testid="psiis"]');
            const link = document.querySelector('.app-board-report a.govuk-link');
            return {
                table: getComputedStyle(table).breakInside,
                after: link ? getComputedStyle(link, '::after').content : 'none',
            };
        }"""
    )
    assert styles == {"table": "avoid", "after": "none"}
