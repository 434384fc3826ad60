"""Similar events in a real browser: "Events like this" on the record page, a possible duplicate
linked as the same event, the dashboard's search box, the possible-duplicates list and emerging
themes with a theme's page. Every page is checked with axe-core (WCAG 2.2 AA) and shows no
unredacted text."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import AccountType
from events.similarity import themes
from tests.browser.axe import assert_accessible
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy
from tests.similarity.helpers import FALL, INSULIN, INSULIN_AGAIN, RAW_NAME, embedded_event


@pytest.fixture
def world(transactional_db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    first = embedded_event(recorder, "T1", INSULIN)
    again = embedded_event(recorder, "T1", INSULIN_AGAIN)
    fall = embedded_event(recorder, "T1", FALL)
    third = embedded_event(recorder, "T2", INSULIN)
    return hierarchy, first, again, fall, third


def test_a_reviewer_sees_events_like_this_and_links_a_duplicate(page: Page, log_in_as, world):
    hierarchy, first, again, _fall, _ = world
    log_in_as(member(hierarchy["T1"], AccountType.ORGANISATIONAL))

    page.goto(f"/organisation/events/{again.reference}/")
    similar = page.get_by_test_id("similar-events")
    expect(similar).to_contain_text(first.display_reference)
    expect(similar.get_by_test_id("explanation").first).to_contain_text("Shares: insulin")
    expect(page.get_by_test_id("possible-duplicates")).to_contain_text(first.display_reference)
    expect(page.locator("body")).not_to_contain_text(RAW_NAME)
    assert_accessible(page)

    page.get_by_role("button", name=f"Link as the same event as record {first.display_reference}").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("linked as the same event")
    expect(page.get_by_test_id("linked-records")).to_contain_text(first.display_reference)
    assert_accessible(page)


def test_the_dashboard_search_and_the_duplicates_list(page: Page, log_in_as, world):
    hierarchy, first, again, _fall, third = world
    log_in_as(member(hierarchy["T1"], AccountType.ORGANISATIONAL))
    page.goto("/organisation/events/")
    page.get_by_label("Find events like this").fill("wrong insulin dose, ten times too much")
    page.get_by_role("button", name="Find events").click()
    results = page.get_by_test_id("similar-events")
    expect(results).to_contain_text(first.display_reference)
    expect(results).not_to_contain_text(third.display_reference)  # another trust's record
    expect(page.locator("body")).not_to_contain_text(RAW_NAME)
    assert_accessible(page)

    page.get_by_role("button", name="Find events").last.click()  # empty: the error summary
    page.get_by_label("Describe the event").fill("")
    page.get_by_role("button", name="Find events").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a description of the event")
    assert_accessible(page)

    page.goto("/organisation/possible-duplicates/")
    expect(page.get_by_test_id("duplicates")).to_contain_text(again.display_reference)
    assert_accessible(page)


def test_an_icb_user_sees_emerging_themes_with_redacted_examples(page: Page, log_in_as, world):
    hierarchy, first, *_ = world
    themes.themes_build_all(first.event_date.replace(day=1))
    embedded_event(member(hierarchy["T1"], AccountType.STANDARD), "T1", INSULIN)
    themes.themes_build_all(first.event_date.replace(day=1))
    log_in_as(member(hierarchy["Q1"], AccountType.ADMIN))
    page.goto("/organisation/events/")
    page.get_by_role("link", name="Emerging themes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emerging themes")
    assert_accessible(page)
    page.get_by_test_id("themes").get_by_role("link").first.click()
    expect(page.get_by_test_id("theme-examples")).to_contain_text("[PERSON 1]")
    expect(page.locator("body")).not_to_contain_text(RAW_NAME)
    assert_accessible(page)
