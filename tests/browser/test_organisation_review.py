"""Organisation users in a real browser: filter, open, change, review and re-submit a record; an admin
completes the statutory requirements; an ICB member reads a child organisation's record; a download.
Every page visited is checked with axe-core (WCAG 2.2 AA)."""

import csv
import io
import re

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from accounts.models import AccountType
from events.lifecycle import revision_publish
from events.models import EventRevision, EventStatus
from tests.browser.axe import assert_accessible
from tests.events.test_organisation_support import (
    REDACTED_DESCRIPTION,
    member,
    processed_event,
    redacted,
)
from tests.factories import make_hierarchy

DASHBOARD = "/organisation/events/"


@pytest.fixture
def redaction_worker(monkeypatch):
    """Stands in for the anonymisation worker (no Presidio model here): once the transaction commits,
    the revision is redacted by replacing the one name the tests use."""

    def queue(revision):
        revision_id = revision.pk

        def redact() -> None:
            answers = EventRevision.objects.get(pk=revision_id).answers
            revision_publish(revision_id=revision_id, redacted_answers=redacted(answers))

        transaction.on_commit(redact)

    monkeypatch.setattr("events.lifecycle.revision_redaction_queue", queue)


@pytest.fixture
def world(transactional_db, redaction_worker):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD, first_name="Nia", last_name="Okafor")
    insulin = processed_event(recorder, "T1")
    fall = processed_event(
        recorder, "T1", description="Jane Doe had a fall in the ward", InvolvedAgents=["3"]
    )
    return hierarchy, insulin, fall


def test_an_organisational_user_filters_changes_reviews_and_resubmits(page: Page, log_in_as, world):
    hierarchy, insulin, fall = world
    log_in_as(member(hierarchy["T1"], AccountType.ORGANISATIONAL, first_name="Priya", last_name="Patel"))

    page.goto(DASHBOARD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage events in my organisation")
    expect(page.get_by_test_id("selected-organisation")).to_contain_text(
        "Selected organisation: Organisation T1 (T1)"
    )
    expect(page.get_by_test_id("events")).to_contain_text(fall.display_reference)
    assert_accessible(page)

    page.get_by_label("Search description").fill("insulin")
    page.locator("summary").filter(has_text="Status").click()  # open the Status filter
    page.get_by_label("Recorder Submitted").check()
    page.get_by_role("button", name="Filter results").click()
    table = page.get_by_test_id("events")
    expect(table).to_contain_text(insulin.display_reference)
    expect(table).not_to_contain_text(fall.display_reference)
    assert_accessible(page)

    page.get_by_role("link", name=f"View record {insulin.display_reference}").click()
    expect(page.get_by_test_id("answers")).to_contain_text(REDACTED_DESCRIPTION)
    expect(page.locator("body")).not_to_contain_text("Jane")
    assert_accessible(page)

    page.get_by_role("link", name="Change description").click()
    expect(page.get_by_label("Describe what happened")).to_have_value(REDACTED_DESCRIPTION)
    assert_accessible(page)
    page.get_by_label("Describe what happened").fill(
        "[PERSON 1] was given 10 times the dose of insulin by syringe"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("answers")).to_contain_text("by syringe")
    expect(page.locator(".govuk-warning-text")).to_contain_text("not re-submitted yet")
    assert_accessible(page)

    page.get_by_label("Tick this box to show that you have completed the review").check()
    page.get_by_role("button", name="Re-Submit").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Record {insulin.display_reference} has been reviewed."
    )
    expect(page.get_by_role("row").filter(has_text=insulin.display_reference)).to_contain_text("Reviewed")
    assert_accessible(page)

    insulin.refresh_from_db()
    assert insulin.status == EventStatus.REVIEWED
    assert insulin.visible_revision.redacted_answers["Description"].endswith("by syringe")
    page.goto(f"/organisation/events/{insulin.reference}/history/")
    expect(page.get_by_test_id("history")).to_contain_text("Recorder Updated")
    expect(page.get_by_test_id("history")).to_contain_text("Priya Patel")
    assert_accessible(page)


def test_an_admin_completes_the_statutory_requirements(page: Page, log_in_as, world):
    hierarchy, insulin, _ = world
    log_in_as(member(hierarchy["T1"], AccountType.ADMIN, first_name="Ade", last_name="Admin"))

    page.goto(f"/organisation/events/{insulin.reference}/")
    expect(page.get_by_test_id("statutory")).to_contain_text("Not answered")
    page.get_by_role("link", name="Complete statutory and national policy requirements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statutory and national policy requirements")
    assert_accessible(page)

    page.locator("#NeverEvent").check()  # Yes, without saying which type
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the type of Never Event")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.locator("#NeverEvent-2").check()  # No
    page.locator("#CqcNotify").check()  # Yes, then the criteria below it
    page.get_by_label("Death of a service user").check()
    page.locator("#DutyOfCandour").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The statutory and national policy requirements have been updated."
    )
    statutory = page.get_by_test_id("statutory")
    expect(statutory).to_contain_text("Death of a service user")
    expect(statutory.locator(".govuk-summary-list__row").filter(has_text="Duty of Candour")).to_contain_text(
        "Yes"
    )
    assert_accessible(page)


def test_an_icb_member_reads_a_child_organisations_record(page: Page, log_in_as, world):
    hierarchy, insulin, _ = world
    log_in_as(member(hierarchy["Q1"], AccountType.ADMIN))

    page.goto(DASHBOARD)
    expect(page.get_by_test_id("selected-organisation")).to_contain_text("and every organisation below it")
    assert_accessible(page)
    page.get_by_role("link", name=f"View record {insulin.display_reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"View record {insulin.display_reference}")
    expect(page.get_by_test_id("answers")).to_contain_text(REDACTED_DESCRIPTION)
    expect(page.get_by_test_id("statutory")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    expect(page.get_by_role("button", name="Re-Submit")).to_have_count(0)
    expect(page.get_by_role("link", name="Re-classify event")).to_have_count(0)
    assert_accessible(page)


def test_a_download_of_the_filtered_records(page: Page, log_in_as, world):
    hierarchy, _, fall = world
    log_in_as(member(hierarchy["T1"], AccountType.READ_ONLY))

    page.goto(f"{DASHBOARD}?q=fall")
    page.get_by_role("button", name="Download event data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download event data")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download event data \(CSV")).click()
    download = download_info.value
    assert re.fullmatch(r"event-data-T1-v5-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["ReferenceNumber"] for row in rows] == [fall.reference]
    assert rows[0]["Description"] == "[PERSON 1] had a fall in the ward"
    assert "Jane" not in text


def test_reclassification_pages(page: Page, log_in_as, world):
    hierarchy, insulin, _ = world
    log_in_as(member(hierarchy["T1"], AccountType.ORGANISATIONAL))

    page.goto(f"/organisation/events/{insulin.reference}/")
    page.get_by_role("link", name="Re-classify event").click()
    assert_accessible(page)
    page.get_by_label("A risk").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("dropped-answers")).to_contain_text("Description")
    assert_accessible(page)
    page.get_by_role("button", name="Re-classify event").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "has been re-classified as Risk"
    )
    assert_accessible(page)


def test_the_download_page_names_both_versions_a_file_holds(page: Page, log_in_as, world):
    from events.models import Event

    hierarchy, insulin, _ = world
    Event.objects.filter(pk=insulin.pk).update(question_set_version="6")  # a v6 record beside a v5 one
    log_in_as(member(hierarchy["T1"], AccountType.READ_ONLY))
    page.goto("/organisation/events/download/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Download event data")
    expect(page.get_by_role("link", name=re.compile(r"^Download event data \(CSV"))).to_have_text(
        "Download event data (CSV, question set versions 5 and 6, 2 records)"
    )
    expect(page.get_by_text("Version 6 of the questions is version 5 with a few changes")).to_be_visible()
    assert_accessible(page)
