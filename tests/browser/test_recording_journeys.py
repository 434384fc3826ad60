"""Recording events in Chromium through the real pages, section by section from the task list, with
axe-core (WCAG 2.2 AA) run on every page visited: question pages, their error states, the task list,
review, the confirmation and the "Page not found" page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from events.models import Draft, Event, EventStatus
from events.questionnaire import latest_version
from organisations.models import OrganisationKind
from tests.browser.axe import assert_accessible, visit_and_check
from tests.browser.recording import (
    answer,
    choose_event_type,
    fill_question,
    labels_of,
    on_review,
    on_task_list,
    press,
    record,
    review_rows,
    review_value,
    search_then_choose,
    start_anonymously,
    start_signed_in,
    submit,
    task_list,
    walk,
    walk_task_list,
)
from tests.events.medication_incident import INCIDENT as MEDICATION_INCIDENT
from tests.events.medication_incident import PATIENT
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

INCIDENT = "A patient safety incident (including near misses)"
TOO_HIGH = "The prescribed/dispensed/administered dosage was too high"

# A complete incident with medications, as stored answers (for journeys that start part-way).
STORED_INCIDENT = {
    **MEDICATION_INCIDENT,
    "Description": "The patient was given ten times the prescribed dose.",
    "ImmediateActions": None,
    "patients": [{**PATIENT, "ClinicalOutcome": None}],
    "HowFutureOccurrence": None,
    "ReporterOrganisation": None,
}


@pytest.fixture
def recorder(db):
    organisations = {
        code: OrganisationFactory(ods_code=code, name=name, kind=OrganisationKind.NHS_TRUST)
        for code, name in [
            ("RVB", "Riverside General Hospital NHS Foundation Trust"),
            ("RR8", "Leeds Teaching Hospitals NHS Trust"),
            ("RY6", "Leeds Community Healthcare NHS Trust"),
        ]
    }
    user = UserFactory(email="rita.recorder@nhs.net", first_name="Rita", last_name="Recorder")
    MembershipFactory(user=user, organisation=organisations["RVB"])
    return user


@pytest.fixture
def signed_in(page: Page, log_in_as, recorder):
    log_in_as(recorder)
    return recorder


def stored_draft(user, answers: dict) -> Draft:
    return Draft.objects.create(owner=user, question_set_version=latest_version(), answers=answers)


def event_with(reference: str) -> Event:
    return Event.objects.get(reference=reference.replace("-", ""))


def test_incident_with_medications_a_device_and_two_patients(page: Page, signed_in):
    start_signed_in(page)
    answers = {
        "IncidentOccurredToday": "No",
        "EventDate": "2025-03-01",
        "EstimatedTime": "Night shift",
        "PreciseTime": "17:05",
        "LocationKnown": "Yes",
        "Organisation": search_then_choose("Leeds", "Leeds Teaching Hospitals NHS Trust (RR8)"),
        "ServiceArea": ["1"],  # Acute, general or specialist services
        "LocationWithinService": "Hospital",
        "ResponsibleSpecialty": "Anaesthetics",
        "Description": "The patient was given ten times the prescribed dose of morphine through a pump.",
        "Process": "6",
        "InvolvedAgents": ["Medications", "Devices"],
        "ImmediateActions": "Naloxone was given",
        "LinkedRecordReference": None,
        "DrugsInvolved": "Morphine",
        "InvolvedProcesses": ["Administering"],
        "DrugReaction": ["None of the above"],
        "MedicationAdministration": "Yes",
        "DrugInvolvementFactors": ["Too much medication was prescribed/dispensed/administered"],
        "DrugUsedTooMuch": [TOO_HIGH],
        "ProblemDescriptionDrugs": None,
        "DeviceType": ["Defibrillators (external and accessories)"],
        "DeviceInvolvementFactors": ["The device was used incorrectly"],
        "DeviceWrongUsageDetails": ["5"],
        "patients-1-AgeAtTimeOfIncidentDays": ("67", "years"),
        "patients-1-PhysicalHarm": "Fatal",
        "patients-1-StrengthOfAssociation": "The incident caused the outcome",
        "patients-1-AnotherPatient": "Yes",
        "patients-2-AgeAtTimeOfIncidentDays": "unknown",
        "patients-2-AgeBracket": "66-85 years",
        "patients-2-PhysicalHarm": "Low physical harm",
        "patients-2-PsychologicalHarm": "Moderate psychological harm",
        "ClinicalOutcome": None,
        "SafetyChallenges": ["None of the above"],
        "DetectionPoint": "Other",
        "DetectionPointOther": "At the evening drug round",
        "ReporterType": "I am a member of staff",
        "ReporterRole": "Nurse or midwife",
        "ReporterInvolvement": "I was helping provide the care when it happened",
        "ReporterOrganisation": "RVB",
    }
    choose_event_type(page, INCIDENT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Task list")
    assert task_list(page)["Details of what was involved"] == "Cannot start yet"

    visited = walk_task_list(page, answers)
    assert "patients-1-PsychologicalHarm" not in visited  # fatal physical harm skips it
    assert "patients-1-StrengthOfAssociation" in visited
    assert "patients-2-PsychologicalHarm" in visited
    assert visited.index("DrugUsedTooMuch") == visited.index("DrugInvolvementFactors") + 1
    assert "DeviceType" in visited

    assert review_value(page, "What was the date of the incident?") == "1 March 2025"
    assert review_value(page, "What was the time of the incident?") == "5:05pm"
    assert (
        review_value(page, "What organisation did the incident happen in?")
        == "Leeds Teaching Hospitals NHS Trust (RR8)"
    )
    assert review_value(page, "What things were involved in what went wrong?") == "Medications\nDevices"
    assert review_value(page, "How was too much medication prescribed/dispensed/administered?") == TOO_HIGH
    assert (
        review_value(page, "What type of device was involved?") == "Defibrillators (external and accessories)"
    )
    assert review_value(page, "Age", "Patient 1") == "67 years"
    assert review_value(page, "Physical harm", "Patient 1") == "Fatal"
    assert "Psychological harm" not in labels_of(review_rows(page), "Patient 1")
    assert review_value(page, "Estimated age", "Patient 2") == "66-85 years"
    assert review_value(page, "Psychological harm", "Patient 2") == "Moderate psychological harm"
    assert (
        review_value(page, "At what point was the incident detected?") == "Other: At the evening drug round"
    )
    assert review_value(page, "Your organisation") == "Riverside General Hospital NHS Foundation Trust (RVB)"

    reference = submit(page)
    event = event_with(reference)
    assert event.status == EventStatus.RECORDER_SUBMITTED
    assert event.recorded_by == signed_in
    assert event.organisation.ods_code == "RR8"
    answers = event.revisions.get().answers
    assert answers["DrugUsedTooMuch"] == ["1"]
    assert [p["PhysicalHarm"] for p in answers["patients"]] == ["1", "4"]
    assert "PsychologicalHarm" not in answers["patients"][0]

    page.get_by_role("link", name="all your patient safety records").click()
    expect(page.get_by_test_id("records")).to_contain_text(reference)
    assert_accessible(page)


def test_good_care(page: Page, signed_in):
    start_signed_in(page)
    visited = record(
        page,
        "Good care",
        {
            "Organisation": "RVB",
            "WentWell": "The pharmacist spotted a tenfold dosing error before it reached the patient.",
            "GoodCareDetectionFactor": "I witnessed it but was not directly involved in the patient's care",
            "HowFutureOccurrence": "Share the checklist at the safety huddle",
        },
    )
    assert "EventDate" not in visited  # it happened today
    assert not [page_id for page_id in visited if page_id.startswith("patients-")]
    assert "LevelOfConcern" not in visited
    assert review_value(page, "Description") == (
        "The pharmacist spotted a tenfold dosing error before it reached the patient."
    )
    assert review_value(page, "How could this good care be repeated or shared more widely?") == (
        "Share the checklist at the safety huddle"
    )
    assert event_with(submit(page)).event_type == "4"


def test_risk(page: Page, signed_in):
    start_signed_in(page)
    visited = record(
        page,
        "A risk",
        {
            "LocationAtRisk": "A different organisation",
            "Organisation": "rr8",
            "RiskIdentifiedLocation": ["My organisation"],
            "RiskDescription": "Infusion pumps are often missing from the ward",
            "RiskTheme": ["Medical devices, including supply issues", "Other"],
            "RiskThemeOther": "Storage",
            "RiskTimeframe": "Months",
        },
    )
    assert visited[:2] == ["LocationAtRisk", "Organisation"]
    assert "IncidentOccurredToday" not in visited  # a risk has no date
    assert (
        review_value(page, "Which organisation is the risk in?") == "Leeds Teaching Hospitals NHS Trust (RR8)"
    )
    assert review_value(page, "What is the risk about?") == (
        "Medical devices, including supply issues\nOther: Storage"
    )
    event = event_with(submit(page))
    assert (event.event_type, event.organisation.ods_code, event.event_date) == ("3", "RR8", None)


def test_poor_outcome(page: Page, signed_in):
    start_signed_in(page)
    visited = record(
        page,
        "A poor outcome",
        {
            "LocationKnown": "No",
            "OutcomeType": ["Return to theatre"],
            "PatientSafetyIncidentHasOccurred": "I don't know",
            "Description": "The patient returned to theatre the day after surgery.",
            "PhysicalHarm": "Moderate physical harm",
        },
    )
    assert "Organisation" not in visited
    assert "patients-1-AnotherPatient" in visited and "patients-2-Gender" not in visited
    assert review_value(page, "Outcome type") == "Return to theatre"
    assert review_value(page, "Physical harm", "Patient 1") == "Moderate physical harm"
    event = event_with(submit(page))
    assert event.event_type == "2"
    assert event.organisation.ods_code == "RVB"  # the recorder's own organisation


def test_anonymous_incident(page: Page, recorder, browser_errors):
    start_anonymously(page)
    visited = record(
        page,
        INCIDENT,
        {
            "Organisation": "Riverside",
            "InvolvedAgents": ["IT Systems or Software"],
            "ITSystemsInvolvementFactors": ["IT systems or software were faulty/malfunctioned"],
            "WhyAnonymous": ["Other"],
            "WhyAnonymousOther": "I prefer not to say",
        },
    )
    assert "WhyAnonymous" in visited
    assert "ReporterContact" not in visited
    assert review_value(page, "Why are you recording anonymously?") == "Other: I prefer not to say"
    task_list_url = page.url.replace("review/", "")

    reference = submit(page)
    expect(page.get_by_role("main")).to_contain_text("You recorded this event anonymously")
    event = event_with(reference)
    assert event.is_anonymous
    assert event.recorded_by is None
    assert event.revisions.get().actor is None

    # Nothing can be retrieved afterwards: the confirmation and the draft are gone (404 pages).
    browser_errors.allow(r"status of 404")
    visit_and_check(page, reverse("events:submitted"), status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    visit_and_check(page, task_list_url, status=404)


def test_changing_what_was_involved_on_review_walks_the_new_section(page: Page, signed_in):
    draft = stored_draft(signed_in, STORED_INCIDENT)
    page.goto(reverse("events:review", args=[draft.key]))
    assert_accessible(page)
    assert "Devices" not in [title for _, title, _ in review_rows(page)]

    with page.expect_navigation():
        page.get_by_role("link", name="Change what things were involved in what went wrong?").click()
    expect(page.get_by_label("Medications", exact=True)).to_be_checked()
    expect(page.get_by_role("link", name="Back to Review your answers")).to_be_visible()
    visited = walk(
        page,
        {
            "InvolvedAgents": ["Medications", "Devices"],
            "DeviceType": ["16"],
            "DeviceInvolvementFactors": [
                "The device was available but broken, not fit for use or didn't perform as expected"
            ],
            "DeviceBrokenDetails": ["The device had no power/battery"],
            "ProblemDescriptionDevices": "The battery was flat",
        },
    )
    assert visited == [
        "InvolvedAgents",
        "DeviceType",
        "DeviceInvolvementFactors",
        "DeviceBrokenDetails",
        "ProblemDescriptionDevices",
    ]
    assert on_review(page)
    assert review_value(page, "What things were involved in what went wrong?") == "Medications\nDevices"
    assert review_value(
        page, "How was the device broken, not fit for use or not performing as expected?"
    ) == ("The device had no power/battery")
    assert review_value(page, "How was too much medication prescribed/dispensed/administered?") == TOO_HIGH
    event = event_with(submit(page))
    assert event.revisions.get().answers["InvolvedAgents"] == ["4", "3"]


def test_a_validation_error_keeps_the_other_answers(page: Page, signed_in):
    answers = {
        key: value for key, value in STORED_INCIDENT.items() if key not in ("EventDate", "DetectionPoint")
    }
    draft = stored_draft(signed_in, answers)
    page.goto(reverse("events:task_list", args=[draft.key]))
    assert_accessible(page)
    assert task_list(page)["When it happened"] == "In progress"

    with page.expect_navigation():
        page.get_by_role("link", name="When it happened", exact=True).click()
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    answer(page, {})

    # A date that does not exist: the error, and the three boxes as they were typed.
    fill_question(page, {"EventDate": ("31", "2", "2024")})
    assert_accessible(page)
    press(page, "Continue")
    expect(page).to_have_title(re.compile(r"^Error: What was the date of the incident\?"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Date must be a real date")
    expect(page.locator("#EventDate-error")).to_contain_text("Date must be a real date")
    expect(page.get_by_label("Day")).to_have_value("31")
    expect(page.get_by_label("Month")).to_have_value("2")
    expect(page.get_by_label("Year")).to_have_value("2024")
    assert_accessible(page)
    summary.get_by_role("link", name="Date must be a real date").click()
    expect(page.get_by_label("Day")).to_be_focused()

    page.get_by_label("Day").fill("29")
    press(page, "Continue")
    # The answers given before are still there.
    expect(page.get_by_label("Day shift")).to_be_checked()
    answer(page, {})
    expect(page.get_by_label("What was the time of the incident? (Optional)")).to_have_value("09:30")
    answer(page, {})
    assert on_task_list(page)
    assert task_list(page)["When it happened"] == "Completed"

    # An "Other" box left empty: the error shows inside the opened reveal, the choice stays.
    with page.expect_navigation():
        page.get_by_role("link", name="Learning points and further details", exact=True).click()
    expect(page.get_by_label("None of the above")).to_be_checked()
    answer(page, {})
    page.get_by_label("Other", exact=True).check()
    press(page, "Continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter when the incident was detected")
    expect(page.get_by_label("Other", exact=True)).to_be_checked()
    expect(page.get_by_label("When was it detected?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("When was it detected?").fill("At handover")
    press(page, "Continue")
    assert Draft.objects.get(pk=draft.pk).answers["DetectionPointOther"] == "At handover"
    assert Draft.objects.get(pk=draft.pk).answers["EventDate"] == "2024-02-29"
