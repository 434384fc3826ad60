"""Recording through the web layer (Django test client): the start, one page per question kind,
errors that keep what was typed, Back links, the task list, review and Change, submitting, drafts and
their privacy, a recorder's own records, editing and re-submitting, and anonymous recording."""

import datetime as dt
import re
import uuid
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Draft, DraftKind, Event, EventRevision, EventStatus, RedactionStatus, RevisionAction
from events.presenters import BEING_PROCESSED
from events.questionnaire import Journey, form_data, latest_version, load_question_set
from events.services import NO_CHANGES_MESSAGE
from events.views.recording import ANONYMOUS_DRAFTS
from organisations.models import OrganisationKind
from tests.events.medication_incident import INCIDENT, PATIENT
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

QS = load_question_set(latest_version())
REFERENCE = re.compile(r"\b\d{3}-\d{3}-\d{3}\b")
INCOMPLETE = "Answer every question that is not marked (Optional) before you submit."


# -- fixtures and helpers ------------------------------------------------------------------------
@pytest.fixture
def organisations():
    return {
        code: OrganisationFactory(ods_code=code, name=name, kind=OrganisationKind.NHS_TRUST)
        for code, name in [
            ("RVB", "Riverside General Hospital NHS Foundation Trust"),
            ("RR8", "Leeds Teaching Hospitals NHS Trust"),
            ("RY6", "Leeds Community Healthcare NHS Trust"),
        ]
    }


@pytest.fixture
def recorder(organisations):
    user = UserFactory(email="rita.recorder@nhs.net", first_name="Rita", last_name="Recorder")
    MembershipFactory(user=user, organisation=organisations["RVB"])
    return user


@pytest.fixture
def rita(client, recorder):
    client.force_login(recorder)
    return client


@pytest.fixture
def someone_else(organisations):
    user = UserFactory(email="omar.other@nhs.net", first_name="Omar", last_name="Other")
    MembershipFactory(user=user, organisation=organisations["RVB"])
    return user


def plain(html: str) -> str:
    """HTML as a person reads it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def text(response) -> str:
    return plain(re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S))


def question_url(key, page_id: str, mode: str | None = None) -> str:
    url = reverse("events:question", args=[key, page_id])
    return f"{url}?mode={mode}" if mode and mode != "journey" else url


def task_list_url(key) -> str:
    return reverse("events:task_list", args=[key])


def review_url(key) -> str:
    return reverse("events:review", args=[key])


def start(client) -> str:
    response = client.post(reverse("events:record_start"))
    assert response.status_code == 302
    key = response.url.split("/")[2]
    assert response.url == question_url(key, "EventType")
    return key


def start_anonymously(client) -> str:
    response = client.post(reverse("events:record_anonymously"))
    assert response.status_code == 302
    return response.url.split("/")[2]


def draft_with(user, answers: dict, *, anonymous: bool = False) -> Draft:
    return Draft.objects.create(
        owner=None if anonymous else user,
        is_anonymous=anonymous,
        question_set_version=latest_version(),
        answers=answers,
    )


def answers_of(key) -> dict:
    return Draft.objects.get(key=key).answers


def back_link(response) -> str:
    match = re.search(r'<a href="([^"]+)" class="govuk-back-link">', response.content.decode())
    assert match, "the page has no Back link"
    return unescape(match.group(1))


def error_summary(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, flags=re.S)
    return [unescape(m) for m in re.findall(r"<a [^>]*>(.*?)</a>", summary.group(1))] if summary else []


def statuses(response) -> dict[str, str]:
    """Task-list rows: title → status."""
    html = response.content.decode()
    rows = re.findall(r'<li class="govuk-task-list__item.*?</li>', html, flags=re.S)
    result = {}
    for row in rows:
        name = re.search(r'govuk-task-list__name-and-hint">(.*?)</div>\s*<div', row, flags=re.S).group(1)
        status = re.search(r"govuk-task-list__status[^>]*>(.*?)</div>", row, flags=re.S).group(1)
        result[plain(name)] = plain(status)
    return result


def review_rows(response) -> list[tuple[str, str, str, str]]:
    """Review rows as (caption, label, value, Change link); the caption is "Patient 2" in a group."""
    html = response.content.decode()
    rows = []
    caption = ""
    for match in re.finditer(
        r'<h2 class="govuk-heading-m[^"]*">|<h3 class="govuk-heading-s">(.*?)</h3>|'
        r'<div class="govuk-summary-list__row">(.*?)</div>\s*(?=<div class="govuk-summary-list__row">|</dl>)',
        html,
        flags=re.S,
    ):
        if match.group(0).startswith("<h2"):
            caption = ""
        elif match.group(1) is not None:
            caption = match.group(1).strip()
        else:
            row = match.group(2)
            label = re.search(r'__key">(.*?)</dt>', row, flags=re.S).group(1)
            value = re.search(r'__value">(.*?)</dd>', row, flags=re.S).group(1)
            link = re.search(r'href="([^"]+)"', row)
            rows.append(
                (
                    caption,
                    unescape(label).strip(),
                    " / ".join(unescape(line).strip() for line in value.split("<br>")),
                    unescape(link.group(1)) if link else "",
                )
            )
    return rows


def row_value(response, label: str, caption: str = "") -> str:
    values = [value for cap, lab, value, _ in review_rows(response) if lab == label and cap == caption]
    assert len(values) == 1, f"{len(values)} rows labelled {label!r} ({caption!r})"
    return values[0]


def post_answers(client, key, page_id: str, values: dict, mode: str | None = None):
    """Post a page's stored-answer values the way the form sends them."""
    question = Journey(QS, answers_of(key)).page(page_id).question
    return client.post(question_url(key, page_id, mode), form_data(question, values))


def walk_to_review(client, key, answers: dict, first: str, mode: str = "section"):
    """Answer pages from `first` with stored-answer values (question id → value, patients as the
    list under "patients"), following the redirects until the task list or review.
    Returns (the pages answered, where it ended)."""
    page_id, seen = first, []
    while True:
        response = client.get(question_url(key, page_id, mode))
        assert response.status_code == 200, page_id
        question_id = page_id.rsplit("-", 1)[-1]
        number = page_id.split("-")[1] if page_id.startswith("patients-") else None
        source = answers["patients"][int(number) - 1] if number else answers
        question = Journey(QS, answers_of(key)).page(page_id).question
        values = {k: source[k] for k in (question.id, *(r.id for r in question.reveals)) if k in source}
        assert question_id in values, f"no answer for {page_id}"
        response = client.post(question_url(key, page_id, mode), form_data(question, values))
        assert response.status_code == 302, (page_id, error_summary(response))
        seen.append(page_id)
        if response.url in (task_list_url(key), review_url(key)):
            return seen, response.url
        page_id = response.url.split("/")[3]


# -- start, event type, task list ----------------------------------------------------------------
def test_recording_needs_sign_in_or_the_anonymous_route(client):
    response = client.get(reverse("events:record_start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.get(reverse("events:record_anonymously")).status_code == 200


def test_start_then_event_type_then_task_list(rita):
    response = rita.get(reverse("events:record_start"))
    assert "Record a patient safety event" in text(response)
    key = start(rita)
    assert Draft.objects.get(key=key).owner.email == "rita.recorder@nhs.net"

    response = rita.get(question_url(key, "EventType"))
    page = text(response)
    assert "What do you want to record?" in page
    for label in (
        "A patient safety incident (including near misses)",
        "A poor outcome",
        "A risk",
        "Good care",
    ):
        assert label in page
    assert back_link(response) == reverse("events:record_start")
    assert "Back to task list" not in page

    response = rita.post(question_url(key, "EventType"), {})
    assert response.status_code == 200
    assert error_summary(response) == ["Select what you want to record"]
    assert "<title>Error: " in response.content.decode()

    response = rita.post(question_url(key, "EventType"), {"EventType": "1"})
    assert response.status_code == 302
    assert response.url == task_list_url(key)
    response = rita.get(response.url)
    assert statuses(response) == {
        "When it happened": "Not yet started",
        "Where it happened": "Not yet started",
        "What happened": "Not yet started",
        "Details of what was involved": "Cannot start yet",
        "Patients": "Not yet started",
        "Learning points and further details": "Not yet started",
        "About you": "Not yet started",
    }
    assert f'href="{question_url(key, "IncidentOccurredToday", "section")}"' in response.content.decode()
    assert back_link(response) == question_url(key, "EventType")
    assert "this draft will be deleted on" in text(response)


def test_a_draft_without_an_event_type_goes_to_the_first_question(rita):
    key = start(rita)
    assert rita.get(task_list_url(key)).url == question_url(key, "EventType")
    assert rita.get(review_url(key)).url == question_url(key, "EventType")


def test_task_list_statuses_follow_the_answers(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    post_answers(rita, key, "IncidentOccurredToday", {"IncidentOccurredToday": "n"}, "section")
    assert statuses(rita.get(task_list_url(key)))["When it happened"] == "In progress"
    for page_id, values in [
        ("EventDate", {"EventDate": "2025-03-01"}),
        ("EstimatedTime", {"EstimatedTime": "6"}),  # "I don't know" skips the precise time
    ]:
        assert post_answers(rita, key, page_id, values, "section").status_code == 302
    response = rita.get(task_list_url(key))
    assert statuses(response)["When it happened"] == "Completed"
    assert "Review your answers so far" in text(response)

    post_answers(rita, key, "InvolvedAgents", {"InvolvedAgents": ["4", "3"]}, "section")
    rows = statuses(rita.get(task_list_url(key)))
    assert "Details of what was involved" not in rows
    assert rows["What happened"] == "In progress"
    assert rows["Medications"] == "Not yet started"
    assert rows["Devices"] == "Not yet started"


# -- one page per question kind ------------------------------------------------------------------
def test_radios_with_an_other_box_that_must_be_filled_in(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    response = rita.get(question_url(key, "DetectionPoint", "section"))
    html = response.content.decode()
    assert 'type="radio" value="8"' in html
    # The "Other" box is shown under its option (no aria-expanded on radios, which ARIA forbids).
    assert '<div class="govuk-radios__conditional" id="conditional-DetectionPoint-8">' in html
    assert "data-aria-controls" not in html

    response = rita.post(question_url(key, "DetectionPoint", "section"), {"DetectionPoint": "8"})
    assert response.status_code == 200
    assert error_summary(response) == ["Enter when the incident was detected"]
    html = response.content.decode()
    assert 'value="8" checked' in html
    assert 'href="#DetectionPointOther"' in html

    response = rita.post(
        question_url(key, "DetectionPoint", "section"),
        {"DetectionPoint": "8", "DetectionPointOther": "At the weekly audit"},
    )
    assert response.status_code == 302
    assert response.url == question_url(key, "HowFutureOccurrence", "section")
    answers = answers_of(key)
    assert answers["DetectionPoint"] == "8"
    assert answers["DetectionPointOther"] == "At the weekly audit"

    # Choosing another answer drops the text that belonged to "Other".
    rita.post(
        question_url(key, "DetectionPoint", "section"), {"DetectionPoint": "4", "DetectionPointOther": "x"}
    )
    assert "DetectionPointOther" not in answers_of(key)


def test_checkboxes_reject_an_exclusive_answer_combined_with_another(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    url = question_url(key, "InvolvedAgents", "section")
    html = rita.get(url).content.decode()
    assert 'type="checkbox" value="10" data-behaviour="exclusive"' in html

    response = rita.post(url, {"InvolvedAgents": ["4", "10"]})
    assert response.status_code == 200
    assert error_summary(response) == ["Select ‘None of the above’ on its own, or choose other answers"]
    html = response.content.decode()
    assert 'value="4" checked' in html
    assert 'value="10" checked' in html
    assert "InvolvedAgents" not in answers_of(key)

    response = rita.post(url, {})
    assert error_summary(response) == [
        "Select what was involved in what went wrong, or select ‘None of the above’"
    ]

    response = rita.post(url, {"InvolvedAgents": ["3", "4"]})
    assert response.status_code == 302
    assert answers_of(key)["InvolvedAgents"] == ["4", "3"]  # stored in option order


def test_checkboxes_with_an_other_box(rita, recorder):
    key = str(draft_with(recorder, dict(INCIDENT)).key)
    url = question_url(key, "InvolvedProcesses", "section")
    response = rita.post(url, {"InvolvedProcesses": ["1", "4"]})
    assert error_summary(response) == ["Enter the other process"]
    html = response.content.decode()
    assert 'value="1" checked' in html and 'value="4" checked' in html
    response = rita.post(url, {"InvolvedProcesses": ["1", "4"], "InvolvedProcessesOther": "Ordering"})
    assert response.status_code == 302
    assert answers_of(key)["InvolvedProcessesOther"] == "Ordering"


def test_checkboxes_say_select_all_that_apply_once(rita, recorder):
    incident = draft_with(recorder, {**INCIDENT, "InvolvedAgents": ["4", "3"]})
    devices = text(rita.get(question_url(incident.key, "DeviceType")))
    assert devices.count("Select all that apply") == 1  # the question set's own hint says it already
    risk = draft_with(recorder, {"EventType": "3", "LocationAtRisk": "1"})
    page = text(rita.get(question_url(risk.key, "RiskIdentifiedLocation")))
    assert "Select all that apply." in page  # no hint in the question set: the page adds it


def test_select_a_specialty(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    url = question_url(key, "ResponsibleSpecialty", "section")
    response = rita.get(url)
    html = response.content.decode()
    assert '<select class="govuk-select" id="ResponsibleSpecialty" name="ResponsibleSpecialty"' in html
    assert '<option value="">Choose an answer</option>' in html
    assert '<option value="5">Anaesthetics</option>' in html

    response = rita.post(url, {"ResponsibleSpecialty": ""})
    assert error_summary(response) == ["Select a specialty from the list"]
    response = rita.post(url, {"ResponsibleSpecialty": "not-a-code"})
    assert error_summary(response) == ["Select a specialty from the list"]

    response = rita.post(url, {"ResponsibleSpecialty": "101"})  # I don't know: asks to describe it
    assert response.url == question_url(key, "ResponsibleSpecialtyOther", "section")
    assert '<option value="101" selected>' in rita.get(url).content.decode()
    response = rita.post(question_url(key, "ResponsibleSpecialtyOther", "section"), {})
    assert response.url == task_list_url(key)
    assert answers_of(key)["ResponsibleSpecialtyOther"] is None  # optional, skipped


def test_text_with_a_maximum_length_keeps_what_was_typed(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    url = question_url(key, "Description", "section")
    html = rita.get(url).content.decode()
    assert 'data-maxlength="32000"' in html
    assert "<textarea" in html

    response = rita.post(url, {"Description": "   "})
    assert error_summary(response) == ["Enter a description of what happened"]

    too_long = "Sandy & Alex <b>" + "x" * 32000
    response = rita.post(url, {"Description": too_long})
    assert error_summary(response) == ["Description must be 32,000 characters or less"]
    assert "Sandy &amp; Alex &lt;b&gt;xxx" in response.content.decode()
    assert "Description" not in answers_of(key)

    response = rita.post(url, {"Description": "Line one\r\nLine two"})
    assert response.url == question_url(key, "Process", "section")
    assert answers_of(key)["Description"] == "Line one\nLine two"


def test_date(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1", "IncidentOccurredToday": "n"}).key)
    url = question_url(key, "EventDate", "section")
    html = rita.get(url).content.decode()
    for part in ("day", "month", "year"):
        assert f'id="EventDate-{part}" name="EventDate-{part}"' in html

    response = rita.post(url, {"EventDate-day": "31", "EventDate-month": "2", "EventDate-year": "2024"})
    assert error_summary(response) == ["Date must be a real date"]
    html = response.content.decode()
    assert 'name="EventDate-day" type="text" inputmode="numeric" value="31"' in html
    assert 'name="EventDate-month" type="text" inputmode="numeric" value="2"' in html
    assert 'name="EventDate-year" type="text" inputmode="numeric" value="2024"' in html
    assert 'href="#EventDate-day"' in html

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    future = {
        "EventDate-day": tomorrow.day,
        "EventDate-month": tomorrow.month,
        "EventDate-year": tomorrow.year,
    }
    response = rita.post(url, future)
    assert error_summary(response) == ["Date must be today or in the past"]

    response = rita.post(url, {"EventDate-day": "", "EventDate-month": "3", "EventDate-year": "2024"})
    assert error_summary(response) == ["Date must include a day"]

    response = rita.post(url, {"EventDate-day": "29", "EventDate-month": "2", "EventDate-year": "2024"})
    assert response.url == question_url(key, "EstimatedTime", "section")
    assert answers_of(key)["EventDate"] == "2024-02-29"
    html = rita.get(url).content.decode()
    assert 'name="EventDate-day" type="text" inputmode="numeric" value="29"' in html


def test_month_and_year(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    response = post_answers(rita, key, "IncidentOccurredToday", {"IncidentOccurredToday": "u"}, "section")
    assert response.url == question_url(key, "ApproximateDate", "section")
    url = response.url
    html = rita.get(url).content.decode()
    assert 'id="ApproximateDate-month"' in html and 'id="ApproximateDate-day"' not in html

    response = rita.post(url, {"ApproximateDate-month": "13", "ApproximateDate-year": "2024"})
    assert error_summary(response) == ["The month and year must be a real month and year"]
    assert 'value="13"' in response.content.decode()
    next_year = dt.date.today().year + 1
    response = rita.post(url, {"ApproximateDate-month": "1", "ApproximateDate-year": str(next_year)})
    assert error_summary(response) == ["The month and year must be this month or in the past"]

    response = rita.post(url, {"ApproximateDate-month": "March", "ApproximateDate-year": "2024"})
    assert response.url == question_url(key, "EstimatedTime", "section")
    assert answers_of(key)["ApproximateDate"] == "2024-03"


def test_time(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1", "EstimatedTime": "1"}).key)
    url = question_url(key, "PreciseTime", "section")
    response = rita.get(url)
    assert "What was the time of the incident? (Optional)" in text(response)
    response = rita.post(url, {"PreciseTime": "25:10"})
    assert error_summary(response) == ["Time must be a real time"]
    assert 'value="25:10"' in response.content.decode()
    response = rita.post(url, {"PreciseTime": "half past"})
    assert error_summary(response) == ["Enter the time in the correct format, like 09:30 or 17:05"]
    response = rita.post(url, {"PreciseTime": "5.17pm"})
    assert response.url == task_list_url(key)
    assert answers_of(key)["PreciseTime"] == "17:17"
    rita.post(url, {"PreciseTime": ""})
    assert answers_of(key)["PreciseTime"] is None


def test_age_with_a_unit_or_i_dont_know(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    url = question_url(key, "patients-1-AgeAtTimeOfIncidentDays", "section")
    response = rita.get(url)
    html = response.content.decode()
    assert "Patient 1" in text(response)
    assert 'id="AgeAtTimeOfIncidentDays-value"' in html
    assert 'id="AgeAtTimeOfIncidentDays-unit-unknown"' in html

    response = rita.post(url, {"AgeAtTimeOfIncidentDays-value": "40"})
    assert error_summary(response) == ["Select whether the age is in years, months, weeks or days"]
    assert 'value="40"' in response.content.decode()
    response = rita.post(
        url, {"AgeAtTimeOfIncidentDays-value": "13", "AgeAtTimeOfIncidentDays-unit": "months"}
    )
    assert error_summary(response) == [
        "Age in months must be between 1 and 11. For 12 months or more, enter the age in years"
    ]
    assert 'value="months" checked' in response.content.decode()

    response = rita.post(
        url, {"AgeAtTimeOfIncidentDays-value": "40", "AgeAtTimeOfIncidentDays-unit": "years"}
    )
    assert response.url == question_url(key, "patients-1-Gender", "section")
    assert answers_of(key)["patients"] == [{"AgeAtTimeOfIncidentDays": 40 * 372}]

    response = rita.post(url, {"AgeAtTimeOfIncidentDays-unit": "unknown"})
    assert response.url == question_url(key, "patients-1-AgeBracket", "section")
    assert answers_of(key)["patients"][0]["AgeAtTimeOfIncidentDays"] == "unknown"
    assert back_link(rita.get(response.url)) == url


def test_reference_of_a_linked_record(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1"}).key)
    url = question_url(key, "LinkedRecordReference", "section")
    assert "give the reference number of the first one, for example 146-925-633" in text(rita.get(url))
    response = rita.post(url, {"LinkedRecordReference": "12345"})
    assert error_summary(response) == ["Enter the reference number in the correct format, like 146-925-633"]
    assert 'value="12345"' in response.content.decode()
    response = rita.post(url, {"LinkedRecordReference": "146 925 633"})
    assert response.url == task_list_url(key)
    assert answers_of(key)["LinkedRecordReference"] == "146-925-633"


# -- organisations -------------------------------------------------------------------------------
@pytest.fixture
def organisation_page(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1", "LocationKnown": "y"}).key)
    return key, question_url(key, "Organisation", "section")


def test_organisation_by_exact_ods_code(rita, organisation_page):
    key, url = organisation_page
    html = rita.get(url).content.decode()
    assert 'id="Organisation-search" name="Organisation-search"' in html
    response = rita.post(url, {"Organisation-search": " rr8 "})
    assert response.url == question_url(key, "ServiceArea", "section")
    assert answers_of(key)["Organisation"] == "RR8"
    response = rita.get(url)
    assert "Currently: Leeds Teaching Hospitals NHS Trust (RR8)" in text(response)


def test_organisation_by_a_name_matching_one(rita, organisation_page):
    key, url = organisation_page
    response = rita.post(url, {"Organisation-search": "riverside general"})
    assert response.status_code == 302
    assert answers_of(key)["Organisation"] == "RVB"


def test_organisation_by_a_name_matching_several_then_choosing_one(rita, organisation_page):
    key, url = organisation_page
    response = rita.post(url, {"Organisation-search": "Leeds"})
    assert response.status_code == 200
    assert error_summary(response) == [
        "More than one organisation matches “Leeds”. Choose the organisation from the list"
    ]
    html = response.content.decode()
    matches = re.search(r'data-testid="organisation-matches">(.*?)</div>\s*</div>\s*<div', html, flags=re.S)
    assert matches
    assert re.findall(r'name="Organisation" type="radio" value="(\w+)"', html) == ["RY6", "RR8"]
    assert "Leeds Community Healthcare NHS Trust (RY6)" in text(response)
    assert 'value="Leeds"' in html  # the search is kept
    assert "Organisation" not in answers_of(key)

    response = rita.post(url, {"Organisation-search": "Leeds", "Organisation": "RY6"})
    assert response.status_code == 302
    assert answers_of(key)["Organisation"] == "RY6"


def test_organisation_with_no_match(rita, organisation_page):
    key, url = organisation_page
    response = rita.post(url, {"Organisation-search": "Nowhere Hospital"})
    assert error_summary(response) == [
        "No organisation matches “Nowhere Hospital”. Check the name or ODS code"
    ]
    assert 'href="#Organisation-search"' in response.content.decode()
    assert 'value="Nowhere Hospital"' in response.content.decode()
    response = rita.post(url, {})
    assert error_summary(response) == ["Enter the name or ODS code of the organisation"]
    assert 'href="#Organisation-search"' in response.content.decode()  # not the "cannot find" box
    assert "Organisation" not in answers_of(key)


def test_organisation_with_an_unknown_but_well_formed_code(rita, organisation_page):
    key, url = organisation_page
    response = rita.post(url, {"Organisation-search": "ZZZ99"})
    assert response.status_code == 200
    assert error_summary(response) == ["No organisation matches “ZZZ99”. Check the name or ODS code"]
    # A code posted as if chosen from the list, but unknown, is not stored either.
    response = rita.post(url, {"Organisation": "ZZZ99"})
    assert response.status_code == 200
    assert error_summary(response)
    assert "Organisation" not in answers_of(key)


def test_organisation_that_cannot_be_found(rita, organisation_page):
    key, url = organisation_page
    html = rita.get(url).content.decode()
    assert 'name="Organisation" type="checkbox" value="other"' in html
    assert "I cannot find the organisation" in html
    hidden = "govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden"
    assert f'class="{hidden}" id="conditional-Organisation"' in html

    response = rita.post(url, {"Organisation": "other"})
    assert error_summary(response) == ["Enter the name of the organisation"]
    assert 'class="govuk-checkboxes__conditional" id="conditional-Organisation"' in response.content.decode()

    response = rita.post(url, {"Organisation": "other", "OrganisationOther": "St Elsewhere"})
    assert response.status_code == 302
    answers = answers_of(key)
    assert answers["Organisation"] == "other"
    assert answers["OrganisationOther"] == "St Elsewhere"
    html = rita.get(url).content.decode()
    assert 'value="other" checked' in html
    assert 'value="St Elsewhere"' in html


# -- Back links ----------------------------------------------------------------------------------
def test_back_links_follow_the_route_taken(rita, recorder):
    key = str(draft_with(recorder, dict(INCIDENT)).key)
    # journey mode: the previous page on the route, across sections
    assert back_link(rita.get(question_url(key, "IncidentOccurredToday"))) == question_url(key, "EventType")
    assert back_link(rita.get(question_url(key, "LocationKnown"))) == question_url(key, "PreciseTime")
    # section mode: back to the task list from a section's first page
    assert back_link(rita.get(question_url(key, "LocationKnown", "section"))) == task_list_url(key)
    assert back_link(rita.get(question_url(key, "Organisation", "section"))) == question_url(
        key, "LocationKnown", "section"
    )
    # the route taken: "I don't know" the day means the approximate date, not the exact one
    post_answers(rita, key, "IncidentOccurredToday", {"IncidentOccurredToday": "u"}, "section")
    assert back_link(rita.get(question_url(key, "EstimatedTime", "section"))) == question_url(
        key, "ApproximateDate", "section"
    )
    # patient 2's first page goes back to patient 1's last
    post_answers(rita, key, "patients-1-AnotherPatient", {"AnotherPatient": "y"}, "section")
    assert back_link(
        rita.get(question_url(key, "patients-2-AgeAtTimeOfIncidentDays", "section"))
    ) == question_url(key, "patients-1-AnotherPatient", "section")
    # change mode: back to review from a section's first page
    response = rita.get(question_url(key, "IncidentOccurredToday", "change"))
    assert back_link(response) == review_url(key)
    assert "Back to Review your answers" in text(response)
    assert back_link(rita.get(question_url(key, "ApproximateDate", "change"))) == question_url(
        key, "IncidentOccurredToday", "change"
    )


def test_a_page_that_no_longer_applies_goes_to_the_task_list(rita, recorder):
    key = str(draft_with(recorder, {"EventType": "1", "IncidentOccurredToday": "y"}).key)
    response = rita.get(question_url(key, "EventDate"), follow=True)
    assert response.redirect_chain == [(task_list_url(key), 302)]
    assert "That question no longer applies to this record." in text(response)
    assert rita.get(question_url(key, "NotAQuestion")).url == task_list_url(key)


# -- the whole journey through the pages ---------------------------------------------------------
def test_every_page_of_an_incident_renders_and_posts(rita, recorder, organisations):
    key = start(rita)
    rita.post(question_url(key, "EventType"), {"EventType": "1"})
    answers = {
        **INCIDENT,
        "InvolvedAgents": ["4", "3"],
        "DeviceType": ["2"],
        "DeviceInvolvementFactors": ["7"],
    }
    answers["ProblemDescriptionDevices"] = None
    answers["patients"] = [
        {**PATIENT, "PhysicalHarm": "1", "StrengthOfAssociation": "6", "AnotherPatient": "y"},
        dict(PATIENT),
    ]
    seen, end = walk_to_review(rita, key, answers, "IncidentOccurredToday", mode="journey")
    assert end == review_url(key)
    assert "patients-1-PsychologicalHarm" not in seen  # fatal physical harm skips psychological harm
    assert "patients-1-StrengthOfAssociation" in seen
    assert "patients-2-PsychologicalHarm" in seen
    assert seen.index("DrugUsedTooMuch") == seen.index("DrugInvolvementFactors") + 1
    assert Journey(QS, answers_of(key)).is_complete()

    response = rita.get(task_list_url(key))
    assert set(statuses(response).values()) == {"Completed"}
    assert f'href="{review_url(key)}" role="button"' in response.content.decode()


@pytest.mark.parametrize(
    ("event_type", "answers", "first"),
    [
        (
            "4",
            {
                "IncidentOccurredToday": "y",
                "EstimatedTime": "6",
                "LocationKnown": "n",
                "ServiceArea": ["17"],
                "LocationWithinService": "11",
                "ResponsibleSpecialty": "5",
                "WentWell": "The team spotted the error early",
                "StrengthsOfCare": None,
                "GoodCareDetectionFactor": "4",
                "HowFutureOccurrence": "Share at the safety huddle",
                "ReporterType": "3",
                "ReporterRole": "4",
                "ReporterOrganisation": None,
                "ReporterContact": "rita@example.nhs.uk",
            },
            "IncidentOccurredToday",
        ),
        (
            "3",
            {
                "LocationAtRisk": "2",
                "Organisation": "RR8",
                "RiskIdentifiedLocation": ["1"],
                "LocationWithinService": "4",
                "ResponsibleSpecialty": "5",
                "RiskDescription": "Infusion pumps are often missing",
                "RiskTheme": ["2"],
                "RiskImminent": "n",
                "RiskServiceArea": ["1"],
                "RiskPopulation": None,
                "RiskTimeframe": "1",
                "HowFutureOccurrence": None,
                "LevelOfConcern": "4",
                "ReporterType": "5",
                "ReporterTypeOther": "Volunteer",
                "ReporterInvolvement": "2",
                "ReporterContact": None,
            },
            "LocationAtRisk",
        ),
    ],
    ids=["good-care", "risk"],
)
def test_other_event_types_walk_their_own_sections(rita, organisations, event_type, answers, first):
    key = start(rita)
    rita.post(question_url(key, "EventType"), {"EventType": event_type})
    seen, end = walk_to_review(rita, key, answers, first, mode="journey")
    assert end == review_url(key)
    assert not any(page_id.startswith("patients-") for page_id in seen)
    response = rita.post(review_url(key))
    assert response.url == reverse("events:submitted")
    event = Event.objects.get()
    assert event.event_type == event_type
    if event_type == "3":
        assert event.organisation.ods_code == "RR8"
        assert event.event_date is None  # a risk has no date
    else:
        assert event.event_date == timezone.localdate()  # it happened today
        assert event.organisation.ods_code == "RVB"  # the recorder's own organisation


# -- review and Change ---------------------------------------------------------------------------
def test_review_rows_and_change_links(rita, recorder, organisations):
    answers = {**INCIDENT, "patients": [{**PATIENT, "AnotherPatient": "y"}, {**PATIENT, "PhysicalHarm": "1"}]}
    del answers["patients"][1]["PsychologicalHarm"]
    answers["patients"][1]["StrengthOfAssociation"] = "5"
    key = str(draft_with(recorder, answers).key)
    response = rita.get(review_url(key))
    assert response.status_code == 200
    assert back_link(response) == task_list_url(key)
    assert "Some questions still need an answer" not in text(response)
    assert row_value(response, "What was the date of the incident?") == "1 March 2025"
    assert row_value(response, "What organisation did the incident happen in?") == (
        "Riverside General Hospital NHS Foundation Trust (RVB)"
    )
    assert row_value(response, "What things were involved in what went wrong?") == "Medications"
    assert row_value(response, "How was too much medication prescribed/dispensed/administered?") == (
        "The prescribed/dispensed/administered dosage was too high"
    )
    assert row_value(response, "Linked record reference number") == "Not answered"
    assert row_value(response, "Physical harm", "Patient 1") == "Low physical harm"
    assert row_value(response, "Psychological harm", "Patient 1") == "No psychological harm"
    assert row_value(response, "Physical harm", "Patient 2") == "Fatal"
    labels_2 = [label for caption, label, _, _ in review_rows(response) if caption == "Patient 2"]
    assert "Psychological harm" not in labels_2
    assert "Another patient involved" in labels_2
    assert "Another patient involved" not in [
        lab for cap, lab, _, _ in review_rows(response) if cap == "Patient 1"
    ]
    links = {label: link for caption, label, _, link in review_rows(response) if not caption}
    assert links["What things were involved in what went wrong?"] == question_url(
        key, "InvolvedAgents", "change"
    )
    assert all(link.endswith("?mode=change") for _, _, _, link in review_rows(response))
    assert "Now submit your record" in text(response)
    assert "Re-Submit" not in text(response)


def test_change_walks_only_the_pages_it_opened_then_returns_to_review(rita, recorder):
    key = str(draft_with(recorder, dict(INCIDENT)).key)
    # A change that opens nothing goes straight back.
    response = post_answers(rita, key, "Process", {"Process": "7"}, "change")
    assert response.url == review_url(key)

    # "I don't know" the day opens the approximate date; the rest of the section is answered.
    response = post_answers(rita, key, "IncidentOccurredToday", {"IncidentOccurredToday": "u"}, "change")
    assert response.url == question_url(key, "ApproximateDate", "change")
    response = rita.post(response.url, {"ApproximateDate-month": "2", "ApproximateDate-year": "2025"})
    assert response.url == review_url(key)
    answers = answers_of(key)
    assert "EventDate" not in answers
    assert answers["ApproximateDate"] == "2025-02"
    assert row_value(rita.get(review_url(key)), "Roughly when did the incident happen?") == "February 2025"

    # Fatal harm drops psychological harm and asks how strongly the incident was associated.
    response = post_answers(rita, key, "patients-1-PhysicalHarm", {"PhysicalHarm": "1"}, "change")
    assert response.url == question_url(key, "patients-1-StrengthOfAssociation", "change")
    response = rita.post(response.url, {"StrengthOfAssociation": "6"})
    assert response.url == review_url(key)
    patient = answers_of(key)["patients"][0]
    assert "PsychologicalHarm" not in patient
    assert patient["StrengthOfAssociation"] == "6"


def test_changing_what_was_involved_walks_the_new_section(rita, recorder):
    key = str(draft_with(recorder, dict(INCIDENT)).key)
    response = post_answers(rita, key, "InvolvedAgents", {"InvolvedAgents": ["4", "9"]}, "change")
    assert response.url == question_url(key, "ITSystemsInvolvementFactors", "change")
    assert back_link(rita.get(response.url)) == review_url(key)
    response = rita.post(response.url, {"ITSystemsInvolvementFactors": ["4"]})
    assert response.url == question_url(key, "ProblemDescriptionSystemsSoftware", "change")
    response = rita.post(
        response.url, {"ProblemDescriptionSystemsSoftware": "The pump library was out of date"}
    )
    assert response.url == review_url(key)
    response = rita.get(response.url)
    assert row_value(response, "What things were involved in what went wrong?") == (
        "Medications / IT Systems or Software"
    )
    assert row_value(response, "How were IT systems or software involved in what went wrong?") == (
        "IT systems or software were faulty/malfunctioned"
    )

    # Replacing the medications drops their answers.
    response = post_answers(rita, key, "InvolvedAgents", {"InvolvedAgents": ["9"]}, "change")
    assert response.url == review_url(key)
    answers = answers_of(key)
    assert "DrugUsedTooMuch" not in answers and "DrugsInvolved" not in answers
    assert "Medications" not in text(rita.get(review_url(key)))


def test_adding_a_patient_from_review_walks_the_new_patient(rita, recorder):
    key = str(draft_with(recorder, dict(INCIDENT)).key)
    response = post_answers(rita, key, "patients-1-AnotherPatient", {"AnotherPatient": "y"}, "change")
    assert response.url == question_url(key, "patients-2-AgeAtTimeOfIncidentDays", "change")
    seen, end = walk_to_review(
        rita,
        key,
        {"patients": [INCIDENT["patients"][0], dict(PATIENT)]},
        "patients-2-AgeAtTimeOfIncidentDays",
        mode="change",
    )
    assert end == review_url(key)
    assert seen[-1] == "patients-2-AnotherPatient"
    assert len(answers_of(key)["patients"]) == 2


# -- submitting ----------------------------------------------------------------------------------
def test_submit_gives_a_reference_and_the_confirmation(rita, recorder, organisations):
    draft = draft_with(recorder, dict(INCIDENT))
    response = rita.post(review_url(draft.key))
    assert response.status_code == 302
    assert response.url == reverse("events:submitted")

    response = rita.get(response.url)
    page = text(response)
    assert "Record Submitted" in page
    event = Event.objects.get()
    assert re.fullmatch(r"\d{9}", event.reference)
    assert f"Your reference number {event.display_reference}" in page
    assert REFERENCE.fullmatch(event.display_reference)
    assert "What happens next" in page
    assert "all your patient safety records" in page
    assert "Summary of record" in page and "Morphine" in page

    assert event.status == EventStatus.RECORDER_SUBMITTED
    assert event.recorded_by == recorder
    assert event.recorder_organisation == organisations["RVB"]
    assert event.organisation == organisations["RVB"]
    assert event.event_date == dt.date(2025, 3, 1)
    assert not event.is_anonymous
    revision = event.revisions.get()
    assert (revision.number, revision.action, revision.actor) == (1, RevisionAction.SUBMITTED, recorder)
    assert revision.answers == INCIDENT
    assert not Draft.objects.filter(pk=draft.pk).exists()
    # A signed-in recorder can open the confirmation again.
    assert rita.get(reverse("events:submitted")).status_code == 200


def test_submitting_an_incomplete_draft_shows_the_error(rita, recorder):
    answers = dict(INCIDENT)
    del answers["Description"]
    key = draft_with(recorder, answers).key
    response = rita.get(review_url(key))
    assert row_value(response, "Description") == "Not answered"
    assert "Some questions still need an answer" in text(response)
    response = rita.post(review_url(key))
    assert response.status_code == 200
    assert error_summary(response) == [INCOMPLETE]
    assert "<title>Error: Review your answers" in response.content.decode()
    assert not Event.objects.exists()
    assert rita.get(reverse("events:submitted")).status_code == 404


# -- drafts --------------------------------------------------------------------------------------
def test_drafts_are_private(client, recorder, someone_else):
    draft = draft_with(recorder, dict(INCIDENT))
    client.force_login(someone_else)
    for url in (
        task_list_url(draft.key),
        review_url(draft.key),
        question_url(draft.key, "Description"),
        reverse("events:delete_draft", args=[draft.key]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(review_url(draft.key)).status_code == 404
    assert client.post(question_url(draft.key, "Description"), {"Description": "x"}).status_code == 404
    assert client.post(reverse("events:remove_item", args=[draft.key, "patients", 1])).status_code == 404
    assert client.get(task_list_url(uuid.uuid4())).status_code == 404
    assert Draft.objects.get(pk=draft.pk).answers == INCIDENT


def test_a_draft_is_closed_to_its_owner_once_their_session_has_ended(rita, recorder):
    draft = draft_with(recorder, dict(INCIDENT))
    assert rita.get(question_url(draft.key, "Description")).status_code == 200
    recorder.set_password("A-different-Passw0rd")  # changed in another browser: this session ends
    recorder.save()
    response = rita.get(question_url(draft.key, "Description"))
    assert "_auth_user_id" not in rita.session
    # Signed out, so sent to sign in and then back to the draft (docs/adr/0022, amended: the lost draft).
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={question_url(draft.key, 'Description')}"


@pytest.mark.parametrize("page_id", ["IncidentOccurredToday", "Description", "DrugInvolvementFactors"])
def test_a_question_page_reads_the_draft_and_its_owner_in_one_query(rita, recorder, page_id):
    """The signed-in owner comes with the draft, so a page costs one query however far the draft has got."""
    draft = draft_with(recorder, dict(INCIDENT))
    rita.get(question_url(draft.key, page_id))  # the session is now in the cache
    with CaptureQueriesContext(connection) as reads:
        page = rita.get(question_url(draft.key, page_id))
    assert page.status_code == 200
    assert f"Signed in as: {recorder.email}" in page.content.decode()
    assert len(reads) == 1, [q["sql"] for q in reads]
    with CaptureQueriesContext(connection) as writes:
        saved = rita.post(question_url(draft.key, "Description"), {"Description": "A dose was missed."})
    assert saved.status_code == 302
    assert len(writes) == 2, [q["sql"] for q in writes]  # read the draft, update it
    assert answers_of(draft.key)["Description"] == "A dose was missed."


def test_anonymous_drafts_are_reached_only_from_their_own_session(client, recorder):
    key = start_anonymously(client)
    assert client.get(question_url(key, "EventType")).status_code == 200

    stranger = Client()
    assert stranger.get(question_url(key, "EventType")).status_code == 404
    stranger.force_login(recorder)
    assert stranger.get(question_url(key, "EventType")).status_code == 404
    assert stranger.post(review_url(key)).status_code == 404


def test_my_records_lists_drafts_with_their_deletion_date_and_submitted_records(rita, recorder, someone_else):
    draft = draft_with(recorder, {"EventType": "3"})
    Draft.objects.filter(pk=draft.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    draft_with(someone_else, {"EventType": "4"})
    rita.post(review_url(draft_with(recorder, dict(INCIDENT)).key))
    event = Event.objects.get()

    response = rita.get(reverse("events:my_records"))
    page = text(response)
    deleted_on = timezone.localtime(timezone.now() + dt.timedelta(days=20)).date()
    assert "Risk" in page
    assert deleted_on.strftime("%-d %B %Y") in page
    assert "Drafts that are not submitted are deleted 30 days after they were started." in page
    assert "Good care" not in page  # someone else's draft
    assert event.display_reference in page
    assert "Recorder Submitted" in page
    assert "1 March 2025" in page
    html = response.content.decode()
    assert f'href="{task_list_url(draft.key)}"' in html
    assert f'href="{reverse("events:record_detail", args=[event.reference])}"' in html


def test_deleting_a_draft(rita, recorder):
    draft = draft_with(recorder, {"EventType": "1"})
    url = reverse("events:delete_draft", args=[draft.key])
    response = rita.get(url)
    assert "Are you sure you want to delete this draft?" in text(response)
    response = rita.post(url, follow=True)
    assert response.redirect_chain == [(reverse("events:my_records"), 302)]
    assert "Your draft has been deleted." in text(response)
    assert "You have no drafts." in text(response)
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_removing_patient_2(rita, recorder):
    answers = {**INCIDENT, "patients": [{**PATIENT, "AnotherPatient": "y"}, {**PATIENT, "Gender": "2"}]}
    key = draft_with(recorder, answers).key
    assert rita.get(reverse("events:remove_item", args=[key, "patients", 2])).status_code == 405
    response = rita.post(reverse("events:remove_item", args=[key, "patients", 2]), follow=True)
    assert response.redirect_chain == [(task_list_url(key), 302)]
    assert "Patient 2 has been removed from this record." in text(response)
    assert answers_of(key)["patients"] == [dict(PATIENT)]  # patient 1 now ends the list
    assert rita.post(reverse("events:remove_item", args=[key, "patients", 2])).status_code == 404
    assert rita.post(reverse("events:remove_item", args=[key, "nobody", 1])).status_code == 404


# -- a recorder's own records: detail, edit, re-submit, history ----------------------------------
@pytest.fixture
def submitted(rita, recorder, organisations) -> Event:
    rita.post(review_url(draft_with(recorder, dict(INCIDENT)).key))
    return Event.objects.get()


def test_record_detail_hides_free_text_until_redaction_is_complete(rita, submitted):
    url = reverse("events:record_detail", args=[submitted.reference])
    response = rita.get(url)
    page = text(response)
    assert f"Record {submitted.display_reference}" in page
    assert "Recorder Submitted" in page
    assert BEING_PROCESSED in page
    assert "Sandy" not in page and "Morphine" not in page
    assert "Low physical harm" in page  # coded answers are shown

    revision = submitted.revisions.get()
    redacted = {
        **INCIDENT,
        "Description": "[PERSON 1] was given ten times the dose.",
        "DrugsInvolved": "Morphine",
    }
    EventRevision.objects.filter(pk=revision.pk).update(
        redaction_status=RedactionStatus.COMPLETE, redacted_answers=redacted
    )
    page = text(rita.get(url))
    assert BEING_PROCESSED not in page
    assert "[PERSON 1] was given ten times the dose." in page
    assert "Sandy" not in page


def test_other_peoples_records_are_not_found(client, submitted, someone_else):
    client.force_login(someone_else)
    for name in ("record_detail", "history"):
        assert client.get(reverse(f"events:{name}", args=[submitted.reference])).status_code == 404
    assert client.post(reverse("events:record_edit", args=[submitted.reference])).status_code == 404


def test_edit_and_resubmit_without_changes_is_refused(rita, submitted):
    response = rita.post(reverse("events:record_edit", args=[submitted.reference]))
    draft = Draft.objects.get(kind=DraftKind.EDIT)
    assert response.url == review_url(draft.key)
    response = rita.get(response.url)
    page = text(response)
    assert f"The answers provided for event {submitted.display_reference} are shown below." in page
    assert (
        "A record cannot be submitted if no fields have been edited. "
        "Drafts will be discarded if 30 minutes pass without changes being made."
    ) in page
    assert "Re-Submit" in page
    assert f'href="{reverse("events:history", args=[submitted.reference])}"' in response.content.decode()

    response = rita.post(review_url(draft.key))
    assert response.status_code == 200
    assert error_summary(response) == [NO_CHANGES_MESSAGE]
    assert submitted.revisions.count() == 1

    # Opening the record again continues the same edit draft.
    rita.post(reverse("events:record_edit", args=[submitted.reference]))
    assert Draft.objects.filter(kind=DraftKind.EDIT).count() == 1
    # Edit drafts are not listed as drafts of new records.
    assert "You have no drafts." in text(rita.get(reverse("events:my_records")))


def test_edit_with_a_change_and_resubmit(rita, recorder, submitted):
    rita.post(reverse("events:record_edit", args=[submitted.reference]))
    draft = Draft.objects.get(kind=DraftKind.EDIT)
    response = rita.get(question_url(draft.key, "SafetyChallenges", "change"))
    assert back_link(response) == review_url(draft.key)
    assert "Back to Review your answers" in text(response)
    response = post_answers(rita, draft.key, "LevelOfConcern", {"LevelOfConcern": "5"}, "change")
    assert response.url == review_url(draft.key)
    assert row_value(rita.get(review_url(draft.key)), "Your concern") == "Very concerned"
    # The task list of an edit draft goes back to review and cannot be deleted as a draft.
    response = rita.get(task_list_url(draft.key))
    assert back_link(response) == review_url(draft.key)
    assert f"You are updating record {submitted.display_reference}" in text(response)

    response = rita.post(review_url(draft.key))
    assert response.url == reverse("events:submitted")
    assert "Record Re-Submitted" in text(rita.get(response.url))

    submitted.refresh_from_db()
    assert submitted.status == EventStatus.RECORDER_UPDATED
    assert [r.action for r in submitted.revisions.order_by("number")] == [
        RevisionAction.SUBMITTED,
        RevisionAction.UPDATED,
    ]
    assert submitted.revisions.get(number=2).answers["LevelOfConcern"] == "5"
    assert not Draft.objects.exists()

    response = rita.get(reverse("events:history", args=[submitted.reference]))
    page = text(response)
    assert f"Reference number {submitted.display_reference}" in page
    assert "Event type Incident" in page
    assert "Created by Rita Recorder" in page
    rows = re.findall(r"<tr class=\"govuk-table__row\">\s*<td.*?</tr>", response.content.decode(), flags=re.S)
    assert len(rows) == 2
    assert "Recorder Updated" in rows[0] and "Rita Recorder" in rows[0]
    assert "Recorder Submitted" in rows[1]
    assert "Page 1 of 1." in page
    assert "Recorder Updated" in text(rita.get(reverse("events:record_detail", args=[submitted.reference])))


def test_record_history_is_paginated(rita, recorder, submitted):
    revision = submitted.revisions.get()
    for number in range(2, 13):
        EventRevision.objects.create(
            event=submitted,
            number=number,
            action=RevisionAction.UPDATED,
            actor=recorder,
            status=EventStatus.RECORDER_UPDATED,
            event_type="1",
            question_set_version=revision.question_set_version,
            answers=revision.answers,
        )
    url = reverse("events:history", args=[submitted.reference])
    response = rita.get(url)
    html = response.content.decode()
    assert len(re.findall(r"<tr class=\"govuk-table__row\">\s*<td", html)) == 10
    assert "Page 1 of 2." in text(response)
    assert 'href="?page=2" rel="next"' in html
    response = rita.get(url, {"page": 2})
    html = response.content.decode()
    assert len(re.findall(r"<tr class=\"govuk-table__row\">\s*<td", html)) == 2
    assert "Recorder Submitted" in text(response)
    assert 'href="?page=1" rel="prev"' in html


# -- anonymous recording -------------------------------------------------------------------------
def test_anonymous_recording_stores_no_user_and_confirms_once(client, organisations):
    key = start_anonymously(client)
    draft = Draft.objects.get(key=key)
    assert (draft.owner, draft.is_anonymous) == (None, True)
    assert client.session[ANONYMOUS_DRAFTS] == [key]
    assert back_link(client.get(question_url(key, "EventType"))) == reverse("events:record_anonymously")

    client.post(question_url(key, "EventType"), {"EventType": "1"})
    response = client.get(task_list_url(key))
    assert "You are recording anonymously" in text(response)
    assert "Delete this draft" in text(response)
    # Every other question answered (the pages themselves are covered above).
    draft.answers = {name: value for name, value in INCIDENT.items() if name != "ReporterContact"}
    draft.save()
    # The anonymous route asks why, and never for contact details.
    journey = Journey(QS, answers_of(key), anonymous=True)
    assert journey.resume_page() == "WhyAnonymous"
    assert "ReporterContact" not in journey.route()
    response = client.get(question_url(key, "WhyAnonymous", "section"))
    assert "Why are you recording anonymously? (Optional)" in text(response)
    response = client.post(
        question_url(key, "WhyAnonymous", "section"),
        {"WhyAnonymous": "8", "WhyAnonymousOther": "I prefer not to say"},
    )
    assert response.url == task_list_url(key)

    response = client.post(review_url(key))
    assert response.url == reverse("events:submitted")
    event = Event.objects.get()
    assert event.is_anonymous
    assert event.recorded_by is None
    assert event.recorder_organisation is None
    assert event.organisation == organisations["RVB"]  # the organisation named in the answers
    revision = event.revisions.get()
    assert revision.actor is None
    assert revision.answers["WhyAnonymousOther"] == "I prefer not to say"
    assert client.session[ANONYMOUS_DRAFTS] == []

    response = client.get(reverse("events:submitted"))
    page = text(response)
    assert "Record Submitted" in page
    assert event.display_reference in page
    assert "you will not be able to view or change this record later" in page
    assert client.get(reverse("events:submitted")).status_code == 404  # shown once
    assert client.get(task_list_url(key)).status_code == 404
    assert client.get(reverse("events:my_records")).status_code == 302  # nothing to retrieve


def test_an_anonymous_recorder_can_delete_their_draft(client):
    key = start_anonymously(client)
    response = client.post(reverse("events:delete_draft", args=[key]))
    assert response.url == reverse("landing")
    assert not Draft.objects.exists()


def test_a_signed_in_user_may_record_anonymously(rita, recorder):
    key = start_anonymously(rita)
    draft = Draft.objects.get(key=key)
    assert draft.owner is None and draft.is_anonymous
    rita.post(question_url(key, "EventType"), {"EventType": "4"})
    assert "WhyAnonymous" in Journey(QS, answers_of(key), anonymous=True).route()


def test_the_review_page_of_a_fresh_walk_lists_no_stale_answers(rita, recorder):
    key = str(draft_with(recorder, dict(INCIDENT)).key)
    post_answers(rita, key, "LocationKnown", {"LocationKnown": "n"}, "change")
    response = rita.get(review_url(key))
    labels = [label for _, label, _, _ in review_rows(response)]
    assert "What organisation did the incident happen in?" not in labels
    assert "Organisation" not in answers_of(key)


@pytest.mark.django_db
def test_the_review_page_offers_to_remove_a_patient_when_there_are_several(client):
    from events.presenters import review_groups
    from tests.events.questionnaire.helpers import complete, journey

    answers = complete(journey({"EventType": "1"})).prune()
    answers["patients"][0]["AnotherPatient"] = "y"
    answers["patients"].append(dict(answers["patients"][0], AnotherPatient="n"))
    sections = {
        s["section_id"]: s for s in review_groups(journey(answers).review(), lambda page: f"/{page}/")
    }
    groups = sections["patients"]["groups"]
    assert [(g["caption"], g["group"], g["number"]) for g in groups] == [
        ("Patient 1", "patients", 1),
        ("Patient 2", "patients", 2),
    ]
    assert all(g["number"] is None for g in sections["when"]["groups"])
    first_row = groups[1]["rows"][0]
    assert first_row["page_id"].startswith("patients-2-")
    assert first_row["change_url"] == f"/{first_row['page_id']}/"
    assert first_row["change_hint"].endswith(" (Patient 2)")
