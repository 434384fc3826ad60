"""A new member of staff registers, confirms their email address, lands on their home page and signs out."""

import re

from playwright.sync_api import Page, expect

from accounts.models import AccountType, MembershipStatus, User
from organisations.models import OrganisationKind
from tests.browser.axe import assert_accessible, visit_and_check
from tests.factories import OrganisationFactory

EMAIL = "alex.morgan@nhs.net"
PASSWORD = "Harbour7Lights"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def _fill_passwords_and_register(page: Page) -> None:
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat your password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()


def test_register_confirm_email_and_reach_home(page: Page, mailoutbox):
    trust = OrganisationKind.NHS_TRUST
    OrganisationFactory(ods_code="RVA", name="Riverside Community NHS Trust", kind=trust)
    chosen = OrganisationFactory(
        ods_code="RVB", name="Riverside General Hospital NHS Foundation Trust", kind=trust
    )
    OrganisationFactory(ods_code="HLT", name="Hilltop Health NHS Trust", kind=trust)

    visit_and_check(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn from patient safety events")

    page.get_by_role("link", name="set up an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Do you have an NHS England Applications account?"
    )
    assert_accessible(page)

    page.get_by_label("Create an account").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register to access NHS England applications")
    assert_accessible(page)

    # First attempt: the confirmation email has a typo, and "Riverside" matches two organisations.
    page.get_by_label("First name").fill("Alex")
    page.get_by_label("Last name").fill("Morgan")
    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_label("Confirm email address").fill("alex.morgen@nhs.net")
    page.get_by_label("Job role (main)").select_option("Nurse")
    page.get_by_label("Organisation name or ODS code").fill("Riverside")
    page.get_by_label("I agree to the Terms and Conditions").check()
    _fill_passwords_and_register(page)

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("link")).to_have_text(
        [
            "You must type the same email each time.",
            "More than one organisation matches “Riverside”. Select your organisation from the list",
        ]
    )
    assert_accessible(page)

    # The answers already given are kept; passwords are never sent back to the browser.
    expect(page.get_by_label("First name")).to_have_value("Alex")
    expect(page.get_by_label("Last name")).to_have_value("Morgan")
    expect(page.get_by_label("Email address", exact=True)).to_have_value(EMAIL)
    expect(page.get_by_label("Job role (main)")).to_have_value("Nurse")
    expect(page.get_by_label("Organisation name or ODS code")).to_have_value("Riverside")
    expect(page.get_by_label("I agree to the Terms and Conditions")).to_be_checked()
    expect(page.get_by_label("Password", exact=True)).to_have_value("")

    # Each link in the summary moves focus to the answer that needs fixing.
    summary.get_by_role("link", name="You must type the same email each time.").click()
    expect(page.get_by_label("Confirm email address")).to_be_focused()
    summary.get_by_role("link", name=re.compile("More than one organisation matches")).click()
    expect(page.get_by_label("Organisation name or ODS code")).to_be_focused()

    matches = page.get_by_test_id("organisation-matches").get_by_role("radio")
    expect(matches).to_have_count(2)
    page.get_by_label("Confirm email address").fill(EMAIL)
    page.get_by_label("Riverside General Hospital NHS Foundation Trust (RVB)").check()
    _fill_passwords_and_register(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    link = CONFIRM_LINK.search(message.body)
    assert link, f"No confirmation link in:\n{message.body}"

    visit_and_check(page, link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_role("button", name="Confirm email address").click()

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: the same browser is signed in straight away.
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to your patient safety home")
    assert_accessible(page)
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(f"Signed in as: {EMAIL}")
    main_actions = page.get_by_test_id("home-actions").get_by_role("heading", level=2)
    expect(main_actions).to_have_count(2)
    expect(main_actions).to_contain_text(["Record a patient safety event", "Manage my event records"])
    expect(page.get_by_text("View events in my organisation(s), ICB or region")).to_have_count(0)
    expect(page.get_by_role("heading", name="Account settings")).to_be_visible()
    expect(page.get_by_test_id("account-settings").get_by_role("heading", level=2)).to_have_count(3)

    user = User.objects.get(email=EMAIL)
    assert (user.first_name, user.last_name, user.job_role) == ("Alex", "Morgan", "Nurse")
    assert user.emailaddress_set.get(email=EMAIL).verified
    membership = user.memberships.get()
    assert membership.organisation == chosen
    assert membership.account_type == AccountType.STANDARD
    assert membership.status == MembershipStatus.ACTIVE

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn from patient safety events")
    expect(page.get_by_text("Signed in as:")).to_have_count(0)
    assert_accessible(page)
