"""A standard user asks for organisational access, their admin approves it from the email link, and
later revokes it; every page on the way is checked with axe-core (WCAG 2.2 AA)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import AccessRequest, AccountType, Membership
from organisations.models import OrganisationKind
from tests.browser.axe import assert_accessible
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

ORG_EVENTS = "View events in my organisation(s), ICB or region"
DECISION_LINK = re.compile(r"https?://\S+/access/requests/\d+/")


@pytest.fixture
def riverside(db):
    trust = OrganisationFactory(
        ods_code="RVB",
        name="Riverside General Hospital NHS Foundation Trust",
        kind=OrganisationKind.NHS_TRUST,
    )
    admin = UserFactory(email="ada.admin@nhs.net", first_name="Ada", last_name="Admin")
    MembershipFactory(user=admin, organisation=trust, account_type=AccountType.ADMIN)
    member = UserFactory(email="jo.bloggs@nhs.net", first_name="Jo", last_name="Bloggs")
    MembershipFactory(user=member, organisation=trust, account_type=AccountType.STANDARD)
    return trust, admin, member


def fill_sign_in(page: Page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def home_actions(page: Page):
    return page.get_by_test_id("home-actions")


def test_request_approve_from_the_email_link_then_revoke(
    page: Page, browser: Browser, live_server, sign_in, browser_errors, mailoutbox, riverside
):
    trust, admin, member = riverside

    # Jo, a standard user, asks for organisational access.
    sign_in(member.email)
    assert_accessible(page)
    expect(home_actions(page).get_by_text(ORG_EVENTS)).to_have_count(0)
    page.get_by_role("link", name="Manage my organisation(s), ICB or region").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage my organisation(s), ICB or region")
    expect(page.get_by_test_id("my-organisations")).to_contain_text("Standard")
    assert_accessible(page)

    page.get_by_role("link", name=f"Amend access to {trust.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What access do you need to {trust.name}?")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    summary.get_by_role("link", name="Select the type of access you need").click()
    expect(page.get_by_label("Organisational")).to_be_focused()
    page.get_by_label("Organisational").check()
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Manage my active access requests")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Your request for organisational access to {trust} has been sent to its admins."
    )
    expect(page.get_by_test_id("my-requests")).to_contain_text("Organisational")
    assert_accessible(page)

    # Ada gets the email; its link asks her to sign in, then opens the request.
    (email,) = [m for m in mailoutbox if m.to == [admin.email]]
    link = DECISION_LINK.search(email.body).group(0)
    assert link.startswith(live_server.url)
    admin_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    admin_page = admin_context.new_page()
    admin_page.on(
        "console",
        lambda message: message.type == "error" and browser_errors.record(f"admin page: {message.text}"),
    )
    try:
        admin_page.goto(link)
        expect(admin_page.get_by_role("heading", level=1)).to_have_text("Sign in")
        assert_accessible(admin_page)
        fill_sign_in(admin_page, admin.email)
        expect(admin_page).to_have_url(link)
        expect(admin_page.get_by_role("heading", level=1)).to_have_text(
            "Jo Bloggs has asked for organisational access"
        )
        expect(admin_page.get_by_test_id("access-request")).to_contain_text(member.email)
        assert_accessible(admin_page)
        admin_page.get_by_role("button", name="Approve").click()

        expect(admin_page.get_by_role("heading", level=1)).to_have_text(f"Manage users of {trust.name}")
        expect(admin_page.locator(".govuk-notification-banner--success")).to_contain_text(
            f"You approved Jo Bloggs’s request for organisational access to {trust}."
        )
        expect(admin_page.get_by_test_id("enhanced-users")).to_contain_text(member.email)
        assert_accessible(admin_page)

        # Jo, still signed in, now sees the organisation's events on her home page.
        page.goto(reverse("home"))
        expect(home_actions(page).get_by_role("heading", name=ORG_EVENTS)).to_be_visible()
        assert_accessible(page)
        assert any(m.to == [member.email] and "approved" in m.subject for m in mailoutbox)

        # Ada revokes Jo's access, after a confirmation page.
        admin_page.get_by_role("link", name="Revoke Access for Jo Bloggs").click()
        expect(admin_page.get_by_role("heading", level=1)).to_have_text(
            f"Are you sure you want to revoke Jo Bloggs’s access to {trust.name}?"
        )
        assert_accessible(admin_page)
        admin_page.get_by_role("button", name="Revoke Access").click()
        expect(admin_page.locator(".govuk-notification-banner--success")).to_contain_text(
            "They now have a standard account."
        )
        expect(admin_page.get_by_test_id("access-log")).to_contain_text("Revoked organisational access")
        assert_accessible(admin_page)

        admin_page.get_by_role("link", name=f"View all access decisions for {trust.name}").click()
        expect(admin_page.get_by_role("heading", level=1)).to_have_text("Access decisions log")
        expect(admin_page.get_by_test_id("access-log")).to_contain_text("Approved organisational access")
        assert_accessible(admin_page)
    finally:
        admin_context.close()

    # Jo's very next request no longer offers the organisation's events.
    page.reload()
    expect(home_actions(page).get_by_text(ORG_EVENTS)).to_have_count(0)
    assert_accessible(page)

    assert Membership.objects.get(user=member, organisation=trust).account_type == AccountType.STANDARD
    assert AccessRequest.objects.get(user=member).status == "approved"
