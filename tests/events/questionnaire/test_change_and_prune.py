"""Changing an answer from the review page: the pages it opens, and the answers it drops."""

import pytest

from events.questionnaire import REVIEW, PageNotFound

from .helpers import INCIDENT, OUTCOME, QS, RISK, complete, journey, stale_keys


@pytest.fixture
def done():
    return complete(
        journey({"EventType": INCIDENT, "InvolvedAgents": ["4"], "DrugInvolvementFactors": ["6"]})
    )


def test_a_change_that_opens_follow_ups_walks_them_then_returns_to_review(done):
    changed = done.record("DrugInvolvementFactors", {"DrugInvolvementFactors": ["1", "2"]})
    assert changed.change_pages("DrugInvolvementFactors") == ["DrugUsedTooMuch", "DrugInsufficientDetails"]
    assert changed.next_page("DrugInvolvementFactors", mode="change") == "DrugUsedTooMuch"
    changed = changed.record("DrugUsedTooMuch", {"DrugUsedTooMuch": ["1"]})
    assert changed.next_page("DrugUsedTooMuch", mode="change") == "DrugInsufficientDetails"
    changed = changed.record("DrugInsufficientDetails", {"DrugInsufficientDetails": ["6"]})
    assert changed.next_page("DrugInsufficientDetails", mode="change") == REVIEW
    assert changed.is_complete()
    assert changed.previous_page("DrugUsedTooMuch", mode="change") == "DrugInvolvementFactors"
    assert changed.previous_page("DrugsInvolved", mode="change") == REVIEW


def test_a_change_that_opens_nothing_goes_straight_back_to_review(done):
    changed = done.record("LevelOfConcern", {"LevelOfConcern": "1"})
    assert changed.change_pages("LevelOfConcern") == []
    assert changed.next_page("LevelOfConcern", mode="change") == REVIEW


def test_change_pages_stay_inside_the_changed_section(done):
    changed = done.record("InvolvedAgents", {"InvolvedAgents": ["4", "3"]})
    assert changed.change_pages("InvolvedAgents") == []  # the new Devices section is its own task
    assert changed.next_page("InvolvedAgents", mode="change") == REVIEW
    assert not changed.is_complete()


def test_a_change_in_one_patient_opens_pages_for_that_patient_only(done):
    two = complete(done.record("patients-1-AnotherPatient", {"AnotherPatient": "y"}))
    changed = two.record("patients-1-PhysicalHarm", {"PhysicalHarm": "2"})
    assert changed.change_pages("patients-1-PhysicalHarm") == ["patients-1-StrengthOfAssociation"]


def test_adding_another_patient_from_review_walks_the_new_patient(done):
    changed = done.record("patients-1-AnotherPatient", {"AnotherPatient": "y"})
    pages = changed.change_pages("patients-1-AnotherPatient")
    assert pages[0] == "patients-2-AgeAtTimeOfIncidentDays"
    assert all(page.startswith("patients-2-") for page in pages)


def test_unticking_medications_drops_every_medication_answer(done):
    medication_ids = {q.id for q in QS.section("medications").questions}
    assert medication_ids & set(done.prune())
    changed = done.record("InvolvedAgents", {"InvolvedAgents": ["3"]})
    assert not medication_ids & set(changed.prune())
    assert "medications" not in [item.section_id for item in changed.task_list()]


def test_fatal_physical_harm_drops_psychological_harm_and_keeps_the_rest(done):
    patient = done.prune()["patients"][0]
    assert "PsychologicalHarm" in patient
    changed = done.record("patients-1-PhysicalHarm", {"PhysicalHarm": "1"})
    kept = changed.prune()["patients"][0]
    assert "PsychologicalHarm" not in kept
    assert kept["Gender"] == patient["Gender"]


def test_unticking_other_drops_its_text():
    j = journey({"EventType": RISK, "RiskTheme": ["1", "8"], "RiskThemeOther": "Parking"})
    assert j.prune()["RiskThemeOther"] == "Parking"
    assert "RiskThemeOther" not in j.record("RiskTheme", {"RiskTheme": ["1"]}).prune()


def test_answering_no_more_patients_drops_the_later_patients(done):
    three = complete(done.record("patients-1-AnotherPatient", {"AnotherPatient": "y"}))
    three = complete(three.record("patients-2-AnotherPatient", {"AnotherPatient": "y"}))
    assert len(three.prune()["patients"]) == 3
    one = three.record("patients-1-AnotherPatient", {"AnotherPatient": "n"})
    assert len(one.prune()["patients"]) == 1


def test_removing_a_patient_keeps_the_chain_of_patients_whole(done):
    three = complete(done.record("patients-1-AnotherPatient", {"AnotherPatient": "y"}))
    three = complete(three.record("patients-2-AnotherPatient", {"AnotherPatient": "y"}))
    three = three.record("patients-3-PhysicalHarm", {"PhysicalHarm": "3"})
    middle_removed = three.remove_item("patients", 2)
    assert [p["PhysicalHarm"] for p in middle_removed.prune()["patients"]] == ["5", "3"]
    assert middle_removed.is_complete()
    last_removed = three.remove_item("patients", 3)
    assert len(last_removed.prune()["patients"]) == 2
    assert last_removed.prune()["patients"][-1]["AnotherPatient"] == "n"
    assert last_removed.is_complete()
    with pytest.raises(PageNotFound):
        three.remove_item("patients", 4)


def test_reclassifying_drops_the_answers_that_do_not_apply(done):
    outcome = done.record("EventType", {"EventType": OUTCOME})
    answers = outcome.prune()
    assert "InvolvedAgents" not in answers
    assert "DrugInvolvementFactors" not in answers
    assert "SafetyChallenges" not in answers
    assert answers["Description"] == done.prune()["Description"]
    assert "patients" in answers
    risk = done.record("EventType", {"EventType": RISK})
    assert "patients" not in risk.prune()
    assert stale_keys(QS, risk.prune(), anonymous=False) == []


def test_prune_drops_unknown_keys_and_is_idempotent():
    j = journey({"EventType": INCIDENT, "Nonsense": 1, "DrugUsedTooMuch": ["1"], "patients": [{"Bogus": 1}]})
    assert j.prune() == {"EventType": INCIDENT}
    assert journey(j.prune()).prune() == j.prune()


def test_record_rejects_answers_that_are_not_on_the_page():
    with pytest.raises(ValueError, match="not answers on page"):
        journey({"EventType": INCIDENT}).record("Description", {"Process": "1"})


def test_record_does_not_change_the_journey_it_was_called_on():
    before = journey({"EventType": INCIDENT})
    before.record("Description", {"Description": "Text"})
    assert "Description" not in before.prune()
