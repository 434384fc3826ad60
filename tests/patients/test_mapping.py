"""The patient question set maps onto the taxonomy: every target code exists, every option is mapped
or deliberately left out, and a mapped record passes the taxonomy question set's own checks."""

import ast

import pytest

from events.patients import i18n, mapping
from events.questionnaire import PATIENT, Journey, latest_version, load_question_set

PATIENT_SET = load_question_set(latest_version(PATIENT), PATIENT)
TAXONOMY = load_question_set(mapping.TAXONOMY_VERSION)


@pytest.mark.parametrize(("patient_question", "taxonomy_question", "table"), mapping.CODED)
def test_every_option_is_mapped_to_a_taxonomy_code_or_deliberately_left_out(
    patient_question, taxonomy_question, table
):
    options = set(PATIENT_SET.question(patient_question).codes)
    assert set(table) | mapping.UNMAPPED[patient_question] == options
    assert not set(table) & mapping.UNMAPPED[patient_question]
    assert set(table.values()) <= set(TAXONOMY.question(taxonomy_question).codes)


def test_free_text_of_the_patient_form_is_marked_for_redaction_and_mapped_to_redacted_questions():
    assert PATIENT_SET.free_text_ids() == set(mapping.FREE_TEXT)
    free = TAXONOMY.free_text_ids()
    assert {"Description", "ClinicalOutcome", "OrganisationOther"} <= free


def test_a_mapped_record_answers_the_taxonomy_questions_with_valid_codes():
    answers = mapping.taxonomy_answers(
        {
            "ReporterWants": ["learn"],
            "Organisation": "RR8",
            "EventDate": "2026-11-03",
            "CareStage": "discharge",
            "WentWrong": ["equipment", "building", "fall"],
            "WhatHappened": "The bed alarm did not work.",
            "PersonHarm": "died",
            "PersonEffect": "",
            "Sharing": "national",
            "ContactEmail": "never@example.org",
        }
    )
    assert answers["InvolvedAgents"] == ["3", "13"]
    assert answers["Process"] == "9"
    assert answers["patients"] == [{"PhysicalHarm": "1"}]
    assert "never@example.org" not in str(answers)
    journey = Journey(TAXONOMY, answers)
    kept = journey.prune()
    for key in ("EventType", "Organisation", "EventDate", "Description", "Process", "InvolvedAgents"):
        assert kept.get(key) == answers[key], key  # still asked, with these answers, in the taxonomy's route


def test_nothing_mapped_when_nothing_went_wrong_with_a_thing():
    assert mapping.taxonomy_answers({"WentWrong": ["delay"]})["InvolvedAgents"] == ["10"]


def test_the_messages_module_lists_every_word_of_the_question_set():
    tree = ast.parse(i18n.MESSAGES_MODULE.read_text())
    listed = [node.args[0].value for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert listed == i18n.question_set_strings(), "run events.patients.i18n.write_messages_module()"
