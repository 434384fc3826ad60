"""Signing in with an NHS England Applications account, in a real browser, against a real provider.

The provider is the npm `oidc-provider` (tests/oidc_provider/server.mjs) with its development login
page: the login is the account id and any password is accepted. That page is the provider's, not
ours, so only the service's own pages are checked for accessibility.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import AccountType, Membership, MembershipStatus, User
from tests.browser.axe import assert_accessible, visit_and_check
from tests.factories import OrganisationFactory
from tests.oidc_provider import DEV_LOGIN_PASSWORD, TEST_ODS_CODE, OIDCTestProvider

pytest_plugins = ["tests.oidc_provider.fixtures"]

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_at_provider(page: Page, provider: OIDCTestProvider, sub: str) -> None:
    """Answer the provider's development login page, and its consent page when it asks."""
    expect(page).to_have_url(re.compile("^" + re.escape(provider.issuer) + "/interaction/"))
    page.locator("input[name=login]").fill(sub)
    page.locator("input[name=password]").fill(DEV_LOGIN_PASSWORD)
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state("load")
    if page.url.startswith(provider.issuer) and page.locator("input[name=prompt][value=consent]").count():
        page.get_by_role("button", name="Continue").click()


def _start_oidc_sign_in_from_landing(page: Page) -> None:
    visit_and_check(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn from patient safety events")

    page.get_by_role("button", name="Sign in to start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    page.get_by_role("button", name="Sign in with NHS England Applications").click()


def test_sign_in_with_nhs_england_applications_reaches_home(page: Page, oidc_settings, live_server):
    provider = oidc_settings
    account = provider.account("browser-user")
    organisation = OrganisationFactory(ods_code=TEST_ODS_CODE, name="Riverside NHS Trust")

    _start_oidc_sign_in_from_landing(page)
    _sign_in_at_provider(page, provider, account["sub"])

    expect(page).to_have_url(live_server.url + "/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to your patient safety home")
    expect(page.get_by_text(f"Signed in as: {account['email']}")).to_be_visible()
    assert_accessible(page)

    user = User.objects.get(email=account["email"])
    assert (user.first_name, user.last_name) == ("Robin", "Hughes")
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation
    assert (membership.account_type, membership.status) == (AccountType.STANDARD, MembershipStatus.ACTIVE)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn from patient safety events")
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_unverified_email_is_refused_with_a_clear_message(page: Page, oidc_settings, live_server):
    provider = oidc_settings

    _start_oidc_sign_in_from_landing(page)
    _sign_in_at_provider(page, provider, "unverified")

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_text(re.compile("its email address has not been verified"))).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    assert_accessible(page)
    assert not User.objects.filter(email=provider.account("unverified")["email"]).exists()
