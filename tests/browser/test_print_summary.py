"""The "Record Submitted" page prints as a clean A4 summary: the record only, no navigation."""

from playwright.sync_api import Page, expect

from events.services import draft_create
from organisations.models import OrganisationKind
from tests.browser.axe import assert_accessible
from tests.events.questionnaire.helpers import complete, journey
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def test_the_confirmation_prints_the_record_on_a4(page: Page, log_in_as):
    trust = OrganisationFactory(ods_code="RJ1", name="Guy's and St Thomas'", kind=OrganisationKind.NHS_TRUST)
    user = UserFactory()
    MembershipFactory(user=user, organisation=trust)
    draft = draft_create(actor=user, anonymous=False)
    draft.answers = complete(journey({"EventType": "1"})).prune()
    draft.save()
    log_in_as(user)

    page.goto(f"/record/{draft.key}/review/")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record Submitted")
    print_button = page.get_by_role("button", name="Print summary")
    expect(print_button).to_be_visible()  # shown once the script can make it work
    assert_accessible(page)

    page.emulate_media(media="print")
    for hidden in (".govuk-service-navigation", ".govuk-footer", ".govuk-phase-banner", ".govuk-button"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", name="Summary of record")).to_be_visible()
    expect(page.locator(".app-print-summary dt", has_text="Description").first).to_be_visible()

    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 8, pages
