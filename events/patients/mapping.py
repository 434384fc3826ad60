"""The patient form's answers as LFPSE taxonomy answers (question set version 5), so that a patient
report is stored, redacted, filtered, counted, exported and sent exactly like a staff record.

Every code of the patient form that means something in the taxonomy has a row below; the tests check
each row's target is a code the taxonomy's question offers, and that every option of the patient
form is mapped or deliberately left out (`UNMAPPED`). Free text goes to the taxonomy's free-text
questions, which the redaction pipeline redacts; contact details are never mapped.
"""

from __future__ import annotations

from typing import Any

from events.questionnaire import EVENT_TYPE

TAXONOMY_VERSION = "5"
INCIDENT = "1"

# CareStage -> Process (taxonomy §2.3, "What was being done when it went wrong?")
PROCESS = {
    "before": "1",  # accessing healthcare, treatment, or advice
    "tests": "3",  # assessment, examination, investigation, testing ...
    "treatment": "6",  # intervention, treatment, care provision ...
    "discharge": "9",  # discharge or ending a type of healthcare
    "ongoing": "7",  # evaluation, review, monitoring or follow-up
    "unknown": "12",  # I don't know
}
# WentWrong -> InvolvedAgents (taxonomy §2.4): the things involved; anything else is "None of the above".
INVOLVED_AGENTS = {"medicine": "4", "equipment": "3", "building": "13"}
NONE_OF_THE_ABOVE = "10"
# PersonHarm -> PhysicalHarm (taxonomy §2.6: 5 none ... 1 fatal)
PHYSICAL_HARM = {"none": "5", "low": "4", "moderate": "3", "severe": "2", "died": "1"}
# PersonFeelings -> PsychologicalHarm (4 none ... 1 severe)
PSYCHOLOGICAL_HARM = {"none": "4", "low": "3", "moderate": "2", "severe": "1"}
# Codes with no taxonomy counterpart: kept on the patient report (codes only), shown to reviewers.
UNMAPPED = {
    "CareStage": frozenset(),
    "WentWrong": frozenset({"diagnosis", "delay", "communication", "fall", "infection", "other"}),
    "PersonHarm": frozenset({"unknown"}),
    "PersonFeelings": frozenset({"unknown"}),
}
# Where each question's codes go: (patient question, taxonomy question, table).
CODED = (
    ("CareStage", "Process", PROCESS),
    ("WentWrong", "InvolvedAgents", INVOLVED_AGENTS),
    ("PersonHarm", "PhysicalHarm", PHYSICAL_HARM),
    ("PersonFeelings", "PsychologicalHarm", PSYCHOLOGICAL_HARM),
)
# Patient answers that are free text (redacted with the record) or contact details (never mapped).
FREE_TEXT = ("WhatHappened", "PersonEffect", "OrganisationOther")
CONTACT = ("ContactName", "ContactEmail", "ContactPhone")


def taxonomy_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The record's answers (taxonomy version 5) for a patient report's answers."""
    mapped: dict[str, Any] = {EVENT_TYPE: INCIDENT}
    organisation = answers.get("Organisation")
    if organisation:
        mapped["LocationKnown"] = "y"
        mapped["Organisation"] = organisation
        if organisation == "other" and answers.get("OrganisationOther"):
            mapped["OrganisationOther"] = answers["OrganisationOther"]
    if answers.get("EventDate"):
        mapped["IncidentOccurredToday"] = "n"
        mapped["EventDate"] = answers["EventDate"]
    else:
        mapped["IncidentOccurredToday"] = "u"
    mapped["Description"] = answers.get("WhatHappened") or ""
    if stage := PROCESS.get(answers.get("CareStage") or ""):
        mapped["Process"] = stage
    went_wrong = answers.get("WentWrong") or []
    agents = sorted({INVOLVED_AGENTS[code] for code in went_wrong if code in INVOLVED_AGENTS}, key=int)
    mapped["InvolvedAgents"] = agents or [NONE_OF_THE_ABOVE]
    patient: dict[str, Any] = {}
    if harm := PHYSICAL_HARM.get(answers.get("PersonHarm") or ""):
        patient["PhysicalHarm"] = harm
    if feelings := PSYCHOLOGICAL_HARM.get(answers.get("PersonFeelings") or ""):
        patient["PsychologicalHarm"] = feelings
    if answers.get("PersonEffect"):
        patient["ClinicalOutcome"] = answers["PersonEffect"]
    if patient:
        mapped["patients"] = [patient]
    return mapped


def coded_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers kept on the patient report: everything but free text and contact details."""
    return {key: value for key, value in answers.items() if key not in FREE_TEXT + CONTACT}


def contact_details(answers: dict[str, Any]) -> dict[str, str]:
    """Name, email and phone, only when the reporter said the organisation may contact them."""
    if answers.get("Sharing") != "contact":
        return {}
    return {
        key: str(answers[question]).strip()
        for key, question in (("name", "ContactName"), ("email", "ContactEmail"), ("phone", "ContactPhone"))
        if answers.get(question)
    }


def with_added_information(record_answers: dict[str, Any], text: str, added_on: str) -> dict[str, Any]:
    """The record's answers with what the reporter added later at the end of the description."""
    updated = dict(record_answers)
    before = (updated.get("Description") or "").rstrip()
    addition = f"Added by the reporter on {added_on}:\n{text.strip()}"
    updated["Description"] = f"{before}\n\n{addition}" if before else addition
    return updated
