"""The patient and family form in Chromium: every route (learn, complaint, get help now, shared with
contact details, on someone's behalf, follow my record), each page checked with axe (WCAG 2.2 AA), on
a 320 px wide phone, and the whole journey again without JavaScript."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import AccountType
from events.lifecycle import revision_publish
from events.models import Event
from events.patients.models import ComplaintsContact, FollowLink
from organisations.models import OrganisationKind
from tests.browser.axe import assert_accessible, visit_and_check
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PHONE = {"width": 320, "height": 640}


@pytest.fixture(scope="module", autouse=True)
def redaction_loaded():
    """Without a broker the live server redacts in the sending request: load the pipeline (spaCy,
    ~10 s) once beforehand, so the first "Send" is not slower than the browser waits."""
    from anonymisation import pipeline

    pipeline.redact_texts({"warm": "Warm up."}, pipeline.PlaceholderMapping.from_dict(None))


@pytest.fixture
def trust(transactional_db):
    icb = OrganisationFactory(ods_code="QWO", name="NHS West Yorkshire ICB", kind=OrganisationKind.ICB)
    trust = OrganisationFactory(
        ods_code="RR8",
        name="Leeds Teaching Hospitals NHS Trust",
        kind=OrganisationKind.NHS_TRUST,
        parent=icb,
        postcode="LS9 7TF",
    )
    OrganisationFactory(
        ods_code="RR801",
        name="Leeds General Infirmary",
        kind=OrganisationKind.TRUST_SITE,
        parent=trust,
        postcode="LS1 3EX",
    )
    return trust


def fits(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling at 320 px (WCAG 1.4.10 reflow)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def proceed(page: Page, *, check: bool = True) -> None:
    if check:
        assert_accessible(page)
        fits(page)
    page.get_by_role("button", name="Continue").click()


def choose(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def start(page: Page) -> None:
    visit_and_check(page, "/tell-us/")
    fits(page)
    page.get_by_role("button", name="Start now").click()


def answer_the_report(
    page: Page,
    *,
    wants=("Tell the NHS what happened so it can learn",),
    role="I am the patient",
    sharing="Also the place where it happened, but not my contact details",
    check=True,
):
    for want in wants:
        choose(page, want)
    proceed(page, check=check)
    choose(page, role)
    proceed(page, check=check)
    if role == "I am telling you on someone else's behalf":
        choose(page, "Yes, they know and they agree")
        proceed(page, check=check)
    page.get_by_label("Name or postcode").fill("LS1 3EX")
    proceed(page, check=check)
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    proceed(page, check=check)
    choose(page, "Treatment")
    proceed(page, check=check)
    choose(page, "A problem with medicine")
    proceed(page, check=check)
    page.get_by_label("Tell us what happened").fill("My dad was given his tablets twice on the ward.")
    proceed(page, check=check)
    choose(page, "Yes, a little, and they got better quickly")
    proceed(page, check=check)
    choose(page, "Yes, a little")
    proceed(page, check=check)
    proceed(page, check=check)  # "How has it affected the patient?" is optional
    choose(page, sharing)
    proceed(page, check=check)


def send(page: Page, *, check: bool = True) -> str:
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
    if check:
        assert_accessible(page)
        fits(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your report has been sent")
    if check:
        assert_accessible(page)
        fits(page)
    return page.get_by_test_id("follow-link").inner_text()


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


def test_learn_route_on_a_phone(phone: Page, trust):
    start(phone)
    answer_the_report(phone)
    follow_url = send(phone)
    event = Event.objects.get()
    assert event.source == "patient" and event.organisation.ods_code == "RR801"
    assert event.display_reference in phone.get_by_test_id("reference").inner_text()
    assert "/follow/" in follow_url
    expect(phone.get_by_role("heading", name="Making a complaint")).to_have_count(0)
    # The summary to print shows the coded answers, not what they typed.
    expect(phone.locator(".app-print-summary")).to_contain_text("Treatment")
    expect(phone.locator(".app-print-summary")).not_to_contain_text("tablets twice")
    expect(phone.get_by_role("button", name="Print this page")).to_be_visible()
    phone.emulate_media(media="print")
    expect(phone.locator(".govuk-service-navigation")).to_be_hidden()
    expect(phone.get_by_test_id("reference")).to_be_visible()
    expect(phone.get_by_role("heading", name="Summary of report")).to_be_visible()


def test_complaint_route_hands_over_to_the_complaints_contact(phone: Page, trust):
    page = phone
    ComplaintsContact.objects.create(
        organisation=trust, team_name="Leeds PALS", email="pals@leeds.example.org", phone="0113 000 0000"
    )
    start(page)
    answer_the_report(page, wants=("Tell the NHS what happened so it can learn", "Make a complaint"))
    send(page)
    contact = page.get_by_test_id("complaints-contact")
    expect(contact).to_contain_text("Leeds PALS")
    expect(contact).to_contain_text("pals@leeds.example.org")


def test_get_help_now_route(phone: Page, trust):
    start(phone)
    choose(phone, "Get help now")
    proceed(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Get help now")
    assert_accessible(phone)
    fits(phone)
    expect(phone.get_by_role("heading", name="Call 999 if someone's life is at risk")).to_be_visible()
    expect(phone.get_by_role("heading", name="If someone is being hurt or is not safe")).to_be_visible()


def test_shared_with_contact_on_someones_behalf_then_the_team_sees_the_contact(
    phone: Page, browser: Browser, live_server, trust, browser_errors
):
    page = phone
    browser_errors.allow(r"status of 400")  # a form with an error answers 400
    start(page)
    answer_the_report(
        page,
        role="I am telling you on someone else's behalf",
        sharing="Also the place where it happened, and they can contact me",
    )
    page.get_by_label("What is your name?").fill("Sam Jones")
    proceed(page)
    page.get_by_label("What is your email address?").fill("sam@")
    proceed(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("correct format")
    expect(page.get_by_label("What is your email address?")).to_have_value("sam@")  # nothing lost
    assert_accessible(page)
    page.get_by_label("What is your email address?").fill("sam@example.org")
    proceed(page)
    proceed(page)  # phone optional once an email address is given
    send(page)
    event = Event.objects.get()
    assert event.patient_report.contact["email"] == "sam@example.org"
    revision = event.revisions.get()
    revision_publish(revision_id=revision.pk, redacted_answers=dict(revision.answers))

    team = UserFactory()
    MembershipFactory(user=team, organisation=trust, account_type=AccountType.ORGANISATIONAL)
    context = browser.new_context(base_url=live_server.url)
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(team)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    staff = context.new_page()
    visit_and_check(staff, "/organisation/patient-reports/")
    expect(staff.get_by_test_id("patient-report")).to_have_count(1)
    visit_and_check(staff, f"/organisation/events/{event.reference}/")
    expect(staff.get_by_test_id("patient-marker")).to_be_visible()
    visit_and_check(staff, f"/organisation/events/{event.reference}/feedback/")
    expect(staff.get_by_test_id("contact-details")).to_contain_text("sam@example.org")
    staff.get_by_role("button", name="Send to the recorder").click()
    expect(staff.locator(".govuk-error-summary")).to_contain_text("Choose where the record has got to")
    assert_accessible(staff)
    staff.get_by_label("Reviewed").check()
    staff.get_by_role("button", name="Send to the recorder").click()
    expect(staff.get_by_role("alert", name="Success")).to_be_visible()
    expect(staff.locator("ol.govuk-list")).to_contain_text("Reviewed")
    assert_accessible(staff)
    context.close()


def test_follow_my_record(phone: Page, trust, browser_errors):
    browser_errors.allow(r"status of (400|404|410)")  # the error pages below answer with their status
    start(phone)
    answer_the_report(phone)
    follow_url = send(phone)
    visit_and_check(phone, follow_url)
    fits(phone)
    expect(phone.get_by_test_id("progress")).to_contain_text("Received")
    phone.get_by_role("button", name="Add this information").click()
    expect(phone.locator(".govuk-error-summary")).to_contain_text("Type the information you want to add")
    assert_accessible(phone)
    phone.get_by_label("Is there anything you want to add?").fill("He was also not given his inhaler.")
    phone.get_by_role("button", name="Add this information").click()
    expect(phone.locator("body")).to_contain_text("We have added your information")
    assert Event.objects.get().revisions.count() == 2
    phone.get_by_label("Email address (optional)").fill("sam@example.org")
    phone.get_by_role("button", name="Email me when there is news").click()
    expect(phone.locator("body")).to_contain_text("We will email sam@example.org")
    assert_accessible(phone)

    FollowLink.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    visit_and_check(phone, follow_url, status=410)
    visit_and_check(phone, "/follow/not-a-real-link/", status=404)


def test_the_whole_report_works_without_javascript(browser: Browser, live_server, trust):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto("/tell-us/")
    page.get_by_role("button", name="Start now").click()
    answer_the_report(page, check=False)
    send(page, check=False)
    assert Event.objects.filter(source="patient").count() == 1
    context.close()


def test_a_signed_in_staff_recorder_sees_what_happened_under_manage_my_event_records(
    page: Page, log_in_as, trust
):
    from events.lifecycle import event_create
    from events.patients.models import RecorderUpdate

    recorder = UserFactory()
    MembershipFactory(user=recorder, organisation=trust)
    revision = event_create(
        actor=recorder,
        answers={"EventType": "1", "Organisation": "RR8", "Description": "A fall on the ward."},
        question_set_version="5",
        recorder_organisation=trust,
        fallback_organisation=trust,
        is_anonymous=False,
    )
    RecorderUpdate.objects.create(
        event=revision.event,
        stage="actions_agreed",
        note="raw",
        redacted_note="Bed rails are now checked at every handover.",
        is_redacted=True,
    )
    log_in_as(recorder)
    visit_and_check(page, "/my-records/")
    expect(page.get_by_test_id("records").get_by_test_id("stage")).to_have_text("Actions agreed")
    visit_and_check(page, f"/my-records/{revision.event.reference}/")
    expect(page.get_by_test_id("progress")).to_contain_text("Actions agreed")
    expect(page.get_by_test_id("feedback-note")).to_have_text("Bed rails are now checked at every handover.")


def test_an_anonymous_staff_recorder_follows_their_record_from_record_submitted(
    phone: Page, live_server, trust
):
    """ "Record Submitted" offers an anonymous staff recorder a follow link; it works like a patient's."""
    from django.conf import settings
    from django.test import Client

    from events.lifecycle import event_create

    revision = event_create(
        actor=None,
        answers={"EventType": "1", "Organisation": "RR8", "Description": "A fall on the ward."},
        question_set_version="5",
        recorder_organisation=None,
        fallback_organisation=trust,
        is_anonymous=True,
    )
    client = Client()
    session = client.session
    session["submitted_record"] = {"revision": revision.pk}
    session.save()
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    visit_and_check(phone, "/record/submitted/")
    fits(phone)
    phone.get_by_role("button", name="Get a link to follow this record").click()
    expect(phone.locator("body")).to_contain_text(revision.event.display_reference)
    assert_accessible(phone)
    fits(phone)
    follow_url = phone.get_by_test_id("follow-link").inner_text()
    visit_and_check(phone, follow_url)
    fits(phone)
    expect(phone.get_by_test_id("progress")).to_contain_text("Received")


def test_super_admins_keep_complaints_contacts(page: Page, log_in_as, trust, browser_errors):
    browser_errors.allow(r"status of 400")
    log_in_as(UserFactory(is_super_admin=True))
    visit_and_check(page, "/organisation/complaints-contacts/")
    page.get_by_label("ODS code of the organisation").fill("XXX")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the ODS code of an organisation")
    expect(page.get_by_label("ODS code of the organisation")).to_have_value("XXX")
    assert_accessible(page)
    page.get_by_label("ODS code of the organisation").fill("RR8")
    page.get_by_label("Email address").fill("pals@leeds.example.org")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("table")).to_contain_text("Leeds Teaching Hospitals NHS Trust")
    assert_accessible(page)
    assert ComplaintsContact.objects.get().email == "pals@leeds.example.org"
