"""Next, previous and Back along the route actually taken."""

import itertools

import pytest

from events.questionnaire import REVIEW, TASK_LIST, PageNotFound

from .helpers import INCIDENT, RISK, complete, journey, walk


def test_the_event_type_page_comes_first_and_opens_the_route():
    start = journey({})
    assert start.route() == ["EventType"]
    assert start.next_page("EventType") == REVIEW
    assert start.previous_page("EventType") is None
    chosen = start.record("EventType", {"EventType": INCIDENT})
    assert chosen.next_page("EventType") == "IncidentOccurredToday"
    assert chosen.next_page("EventType", mode="section") == TASK_LIST


def test_next_and_previous_follow_the_answers():
    before = journey({"EventType": INCIDENT, "IncidentOccurredToday": "y"})
    assert before.next_page("IncidentOccurredToday") == "EstimatedTime"
    after = before.record("IncidentOccurredToday", {"IncidentOccurredToday": "n"})
    assert after.next_page("IncidentOccurredToday") == "EventDate"
    assert after.next_page("EventDate") == "EstimatedTime"
    assert after.previous_page("EstimatedTime") == "EventDate"
    assert before.previous_page("EstimatedTime") == "IncidentOccurredToday"


def test_back_skips_pages_the_route_did_not_take():
    medication = journey({"EventType": INCIDENT, "InvolvedAgents": ["4"], "DrugInvolvementFactors": ["2"]})
    assert medication.previous_page("ProblemDescriptionDrugs") == "DrugInsufficientDetails"
    assert medication.previous_page("DrugInsufficientDetails") == "DrugInvolvementFactors"


def test_a_complete_route_walks_to_review_and_back_again():
    done = complete(journey({"EventType": INCIDENT, "InvolvedAgents": ["4", "11"]}))
    route = done.route()
    assert walk(done) == route
    assert done.next_page(route[-1]) == REVIEW
    assert done.previous_page(REVIEW) == route[-1]
    for before, after in itertools.pairwise(route):
        assert done.previous_page(after) == before


def test_section_mode_returns_to_the_task_list_at_either_end():
    risk = journey({"EventType": RISK})
    first, last = "RiskDescription", "RiskTimeframe"
    assert risk.previous_page(first, mode="section") == TASK_LIST
    assert risk.next_page(first, mode="section") == "RiskTheme"
    assert risk.next_page(last, mode="section") == TASK_LIST
    assert risk.previous_page(last, mode="section") == "RiskPopulation"


def test_patients_pages_run_on_from_one_patient_to_the_next():
    two = journey({"EventType": INCIDENT, "patients": [{"AnotherPatient": "y"}]})
    assert two.next_page("patients-1-AnotherPatient") == "patients-2-AgeAtTimeOfIncidentDays"
    assert two.previous_page("patients-2-AgeAtTimeOfIncidentDays") == "patients-1-AnotherPatient"
    assert two.next_page("patients-2-AnotherPatient", mode="section") == TASK_LIST


def test_a_hidden_or_unknown_page_is_not_found():
    incident = journey({"EventType": INCIDENT})
    for page_id in ("DrugUsedTooMuch", "patients-2-PhysicalHarm", "Nonsense"):
        with pytest.raises(PageNotFound):
            incident.page(page_id)
        with pytest.raises(PageNotFound):
            incident.next_page(page_id)


def test_page_ids_are_url_safe_and_pages_know_their_place():
    done = complete(journey({"EventType": INCIDENT, "patients": [{"AnotherPatient": "y"}]}))
    for page_id in done.route():
        assert page_id.replace("-", "").isalnum()
    page = done.page("patients-2-PhysicalHarm")
    assert (page.item, page.section.id, page.question.id) == (2, "patients", "PhysicalHarm")
    assert page.text == "What was the physical harm to the patient?"
    assert done.page("Description").caption == "What happened"


def test_resume_goes_to_the_first_page_never_answered():
    partly = journey({"EventType": INCIDENT, "IncidentOccurredToday": "y", "EstimatedTime": "6"})
    assert partly.resume_page() == "LocationKnown"
    assert complete(partly).resume_page() == REVIEW


def test_a_skipped_optional_question_counts_as_answered_for_resume_and_change():
    skipped = journey(
        {"EventType": INCIDENT, "IncidentOccurredToday": "y", "EstimatedTime": "1", "PreciseTime": None}
    )
    assert skipped.resume_page() == "LocationKnown"
    assert skipped.values("PreciseTime") == {"PreciseTime": None}
