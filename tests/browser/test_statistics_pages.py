"""Public statistics: every page opens without signing in, reads well without JavaScript, has 0 axe
violations, and bad addresses get the 404 page; a super admin previews and publishes a release."""

import pytest
from playwright.sync_api import Page, expect

from events.publication.kh03 import kh03_import
from events.publication.services import release_build_due, release_publish
from tests.browser.axe import assert_accessible, visit_and_check
from tests.factories import UserFactory, make_hierarchy
from tests.publication.helpers import in_quarter, published_event
from tests.publication.test_rates import SAMPLE


@pytest.fixture
def release(db, tmp_path):
    orgs = make_hierarchy()
    when = in_quarter()
    for _ in range(30):
        published_event(orgs["T1S"], created=when)
    for _ in range(4):
        published_event(
            orgs["T2"], created=when, event_type="3", physical=None, psychological=None, agents=()
        )
    for _ in range(15):
        published_event(orgs["U1"], created=when, physical=2)
    kh03_import(SAMPLE)
    return release_build_due()


def test_public_statistics_pages_are_accessible(page: Page, release, browser_errors):
    release_publish(release=release, actor=UserFactory(is_super_admin=True))
    page.goto("/")
    page.get_by_role("link", name="patient safety event statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("England")
    assert_accessible(page)
    expect(page.locator("svg[role=img]").first).to_be_visible()
    page.get_by_role("link", name="Organisation Y1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation Y1")
    assert_accessible(page)
    for url in (
        f"/statistics/{release.slug}/area/Q1/",
        f"/statistics/{release.slug}/area/T2/",
        f"/statistics/{release.slug}/trusts/",
        f"/statistics/{release.slug}/area/Q1/months/{release.quarter_start:%Y-%m}/",
        "/statistics/calendar/",
    ):
        visit_and_check(page, url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Release calendar")
    browser_errors.allow("404")
    visit_and_check(page, f"/statistics/{release.slug}/area/NOPE/", status=404)
    visit_and_check(page, "/statistics/2001-q1/", status=404)


def test_statistics_pages_work_without_javascript(browser, live_server, release):
    release_publish(release=release, actor=UserFactory(is_super_admin=True))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/statistics/{release.slug}/area/Q1/")
    expect(page.get_by_role("table", name="Type of event", exact=True)).to_contain_text("Incident")
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation Q1")
    by_type = page.get_by_role("table", name="Month recorded, by type of event: records")
    expect(by_type).to_contain_text("Incident")
    expect(
        page.get_by_role("table", name="Month recorded, by maximum physical harm: records")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Download month recorded, by type of event (CSV)")).to_be_visible()
    expect(page.get_by_role("table", name="Care setting or service involved", exact=True)).to_be_visible()
    context.close()


def test_a_super_admin_previews_then_publishes(page: Page, release, log_in_as):
    log_in_as(UserFactory(email="super@nhs.net", is_super_admin=True))
    visit_and_check(page, "/statistics/pre-release/")
    page.get_by_role("link", name=release.title).click()
    expect(page.get_by_text("Viewed before publication: super@nhs.net")).to_be_visible()
    page.get_by_role("button", name="Publish this release").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("England")
    expect(page.get_by_role("link", name="All figures (CSV)")).to_be_visible()


def test_an_organisation_user_sees_their_data_quality(page: Page, release, log_in_as):
    from accounts.models import AccountType
    from events.publication.api_outcomes import api_outcome_record
    from organisations.models import Organisation
    from tests.factories import MembershipFactory

    trust = Organisation.objects.get(ods_code="T1")
    for outcome, reason in (
        ("accepted", ""),
        ("accepted", ""),
        ("accepted", ""),
        ("rejected", "unknown-code"),
    ):
        api_outcome_record(organisation=trust, outcome=outcome, reason=reason)
    log_in_as(MembershipFactory(organisation=trust, account_type=AccountType.ORGANISATIONAL).user)
    visit_and_check(page, "/statistics/data-quality/")
    page.get_by_role("link", name="Organisation T1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation T1")
    expect(page.get_by_role("table", name="Records not yet reviewed")).to_be_visible()
    expect(page.get_by_test_id("api-summary")).to_contain_text("1 rejected (25.0%)")
    expect(page.get_by_role("table", name="API submissions by month")).to_contain_text("25.0")
    expect(page.get_by_role("img", name="Rejection rate of API submissions by month")).to_be_visible()
    expect(page.get_by_role("table", name="Why submissions were rejected")).to_contain_text("unknown-code")
    assert_accessible(page)
