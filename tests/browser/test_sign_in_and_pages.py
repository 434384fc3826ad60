"""Signing in and out, every public page, and the home page each kind of account sees."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import AccountType
from lfpse.pages import PAGES
from organisations.models import OrganisationKind
from tests.browser.axe import assert_accessible, visit_and_check
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

RECORD = "Record a patient safety event"
MY_RECORDS = "Manage my event records"
ORGANISATION_EVENTS = "View events in my organisation(s), ICB or region"
MANAGE_USERS = "Manage users in my organisation, ICB or region"
DOWNLOAD = "Download event data for my ICB or region"
ACCOUNT_SETTINGS = [
    "Manage my organisation(s), ICB or region",
    "Add an organisation, ICB or region",
    "Manage my active access requests",
]
EVERY_MAIN_ACTION = [RECORD, MY_RECORDS, ORGANISATION_EVENTS, MANAGE_USERS, DOWNLOAD]


def test_existing_user_signs_in_and_out(page: Page):
    UserFactory(email="jo.bloggs@nhs.net")

    visit_and_check(page, "/")
    page.get_by_role("button", name="Sign in to start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email address").fill("jo.bloggs@nhs.net")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to your patient safety home")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Signed in as: jo.bloggs@nhs.net")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn from patient safety events")
    expect(page.get_by_text("Signed in as:")).to_have_count(0)
    # Signed out means signed out: home sends the browser back to sign in.
    page.goto(reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_signed_in_user_opening_the_landing_page_goes_home(page: Page, sign_in):
    UserFactory(email="jo.bloggs@nhs.net")
    sign_in("jo.bloggs@nhs.net")

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to your patient safety home")
    # The service name in the header leads home too, not back to the landing page.
    expect(page.get_by_role("link", name="Record patient safety events")).to_have_attribute(
        "href", reverse("home")
    )


def test_wrong_password_shows_the_error_summary(page: Page):
    UserFactory(email="jo.bloggs@nhs.net")

    visit_and_check(page, reverse("account_login"))
    page.get_by_label("Email address").fill("jo.bloggs@nhs.net")
    page.get_by_label("Password").fill("Not" + TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        "The email address and/or password you specified are not correct."
    )
    expect(page).to_have_title("Error: Sign in – Record patient safety events")
    expect(page.get_by_label("Email address")).to_have_value("jo.bloggs@nhs.net")
    expect(page.get_by_label("Password")).to_have_value("")
    assert_accessible(page)

    summary.get_by_role("link").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    expect(page.get_by_text("Signed in as:")).to_have_count(0)


PUBLIC_PAGES = [
    ("landing", "Learn from patient safety events"),
    ("account_login", "Sign in"),
    ("register_start", "Do you have an NHS England Applications account?"),
    ("account_signup", "Register to access NHS England applications"),
    ("account_reset_password", "Reset your password"),
    *((f"pages:{name}", None) for _, name, _ in PAGES),
]


@pytest.mark.parametrize(("url_name", "heading"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_page_is_accessible(page: Page, url_name: str, heading: str | None):
    visit_and_check(page, reverse(url_name))
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_count(1)
    if heading:
        expect(h1).to_have_text(heading)
    expect(page).to_have_title(re.compile(r"(^|\S – )Record patient safety events$"))


def test_footer_links_every_help_page(page: Page):
    page.goto("/")
    footer_links = page.get_by_role("contentinfo").get_by_role("link")
    expect(footer_links).to_have_count(len(PAGES))
    hrefs = {footer_links.nth(i).get_attribute("href") for i in range(len(PAGES))}
    assert hrefs == {reverse(f"pages:{name}") for _, name, _ in PAGES}


def test_register_start_error_state_is_accessible(page: Page):
    visit_and_check(page, reverse("register_start"))
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Connect your NHS England Applications account")).to_be_focused()


def test_missing_page_shows_the_service_404(page: Page, browser_errors):
    browser_errors.allow(r"status of 404 \(Not Found\)")
    visit_and_check(page, "/no-such-page/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main").get_by_role("link", name="contact the helpdesk")).to_be_visible()


def _trust_member(account_type):
    return MembershipFactory(account_type=account_type, organisation__kind=OrganisationKind.NHS_TRUST).user


def _icb_member(account_type):
    icb = OrganisationFactory(kind=OrganisationKind.ICB, name="North Shore Integrated Care Board")
    OrganisationFactory(kind=OrganisationKind.NHS_TRUST, parent=icb)
    return MembershipFactory(account_type=account_type, organisation=icb).user


def _super_admin(_):
    return UserFactory(is_super_admin=True)


RESPONSES = "Respond to patient safety incidents"
OVERSIGHT = "Oversee responses in my ICB or region"
NATIONAL = "National register of PSIIs and Never Events"
HOME_CASES = {
    "standard-at-trust": (_trust_member, AccountType.STANDARD, [RECORD, MY_RECORDS]),
    "organisational-at-trust": (
        _trust_member,
        AccountType.ORGANISATIONAL,
        [RECORD, MY_RECORDS, ORGANISATION_EVENTS, RESPONSES],
    ),
    "admin-at-trust": (
        _trust_member,
        AccountType.ADMIN,
        [RECORD, MY_RECORDS, ORGANISATION_EVENTS, MANAGE_USERS, RESPONSES],
    ),
    "organisational-at-icb": (
        _icb_member,
        AccountType.ORGANISATIONAL,
        [RECORD, MY_RECORDS, ORGANISATION_EVENTS, DOWNLOAD, RESPONSES, OVERSIGHT],
    ),
    "admin-at-icb": (_icb_member, AccountType.ADMIN, [*EVERY_MAIN_ACTION, RESPONSES, OVERSIGHT]),
    "super-admin": (
        _super_admin,
        None,
        [
            *EVERY_MAIN_ACTION,
            NATIONAL,
            "Check redaction quality",
            "Manage API keys for local risk management systems",
        ],
    ),
}


@pytest.mark.parametrize("case", HOME_CASES)
def test_home_page_shows_what_the_account_may_do(page: Page, log_in_as, case: str):
    make_user, account_type, expected = HOME_CASES[case]
    user = make_user(account_type)
    log_in_as(user)

    visit_and_check(page, reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to your patient safety home")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(f"Signed in as: {user.email}")
    main_actions = page.get_by_test_id("home-actions").get_by_role("heading", level=2)
    expect(main_actions).to_have_count(len(expected))
    expect(main_actions).to_contain_text(expected)
    for absent in set(EVERY_MAIN_ACTION) - set(expected):
        expect(page.get_by_role("heading", name=absent)).to_have_count(0)
    settings_actions = page.get_by_test_id("account-settings").get_by_role("heading", level=2)
    expect(settings_actions).to_contain_text(ACCOUNT_SETTINGS)
