"""The one merge behind both edit drafts (events/edit_merge.py), in both directions."""

import pytest

from events.edit_merge import NotRedactedYet, is_answer_group, merge_answers
from events.organisation_services import merged_answers

# The record as the recorder last wrote it, as an organisation user then changed it, and redacted.
RECORDERS = {
    "Description": "Jane Doe fell",
    "ImmediateActions": "Called Dr Smith",
    "patients": [{"Gender": "2", "ClinicalOutcome": "Jane bruised"}],
}
LATEST = {
    "Description": "Jane Doe fell",
    "ImmediateActions": "Told Jane's son Tom",  # the organisation user's words
    "patients": [
        {"Gender": "2", "ClinicalOutcome": "Jane bruised"},
        {"Gender": "1", "ClinicalOutcome": "Tom unhurt"},  # a patient the organisation user added
    ],
}
LATEST_REDACTED = {
    "Description": "[PERSON 1] fell",
    "ImmediateActions": "Told [PERSON 1]'s son [PERSON 2]",
    "patients": [
        {"Gender": "2", "ClinicalOutcome": "[PERSON 1] bruised"},
        {"Gender": "1", "ClinicalOutcome": "[PERSON 2] unhurt"},
    ],
}


def recorders_start(own, latest=LATEST, redacted=LATEST_REDACTED):
    return merge_answers(latest, unchanged_from=own, unchanged=latest, changed=redacted)


# -- the recorder's edit: their own words, the others' changes redacted ----------------------------
def test_the_recorder_reads_their_own_words_and_others_changes_redacted():
    assert recorders_start(RECORDERS) == {
        "Description": "Jane Doe fell",
        "ImmediateActions": "Told [PERSON 1]'s son [PERSON 2]",
        "patients": [
            {"Gender": "2", "ClinicalOutcome": "Jane bruised"},
            {"Gender": "1", "ClinicalOutcome": "[PERSON 2] unhurt"},  # never Tom's name
        ],
    }


def test_a_recorder_without_a_revision_of_their_own_reads_everything_redacted():
    assert recorders_start({}) == LATEST_REDACTED  # an anonymous record, say


def test_the_recorder_waits_while_someone_elses_change_is_not_redacted():
    with pytest.raises(NotRedactedYet):
        recorders_start(RECORDERS, redacted=None)
    # Nothing of anyone else's to hide: their own latest revision needs no redaction to edit.
    assert recorders_start(LATEST, redacted=None) == LATEST


def test_an_added_patient_waits_for_redaction_too():
    partial = {**LATEST_REDACTED, "patients": LATEST_REDACTED["patients"][:1]}
    with pytest.raises(NotRedactedYet):
        recorders_start(RECORDERS, redacted=partial)


def test_a_group_the_recorder_never_answered_is_read_redacted_whole():
    own = {key: value for key, value in RECORDERS.items() if key != "patients"}
    assert recorders_start(own)["patients"] == LATEST_REDACTED["patients"]


# -- the organisation user's re-submission: their changes, the recorder's raw text elsewhere ------
def test_an_unchanged_redacted_answer_keeps_the_raw_text():
    edited = {**LATEST_REDACTED, "ImmediateActions": "Told the family"}
    assert merged_answers(LATEST, LATEST_REDACTED, edited) == {
        "Description": "Jane Doe fell",
        "ImmediateActions": "Told the family",
        "patients": LATEST["patients"],
    }


def test_patients_merge_answer_by_answer_and_new_items_are_taken_as_typed():
    edited = {
        "patients": [
            {"Gender": "1", "ClinicalOutcome": "[PERSON 1] bruised"},
            {"Gender": "1", "ClinicalOutcome": "[PERSON 2] unhurt"},
            {"Gender": "2", "ClinicalOutcome": "New patient"},
        ]
    }
    assert merged_answers(LATEST, LATEST_REDACTED, edited) == {
        "patients": [
            {"Gender": "1", "ClinicalOutcome": "Jane bruised"},
            {"Gender": "1", "ClinicalOutcome": "Tom unhurt"},
            {"Gender": "2", "ClinicalOutcome": "New patient"},
        ]
    }


def test_answers_the_organisation_user_dropped_or_added_follow_their_edit():
    edited = {"Description": "[PERSON 1] fell", "Process": ["3"]}
    assert merged_answers(LATEST, LATEST_REDACTED, edited) == {
        "Description": "Jane Doe fell",
        "Process": ["3"],
    }


def test_the_merge_copies_so_later_changes_do_not_leak_back():
    merged = merged_answers(LATEST, LATEST_REDACTED, LATEST_REDACTED)
    merged["patients"][0]["Gender"] = "9"
    assert LATEST["patients"][0]["Gender"] == "2"


def test_answer_groups_are_non_empty_lists_of_answers():
    assert is_answer_group([{}]) and not is_answer_group([]) and not is_answer_group(["1"])
