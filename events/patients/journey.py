"""The patient form's journey: the questionnaire engine over the patient question set."""

from typing import Any

from events.journeys import OrganisationNames
from events.questionnaire import PATIENT, Journey, load_question_set

INCIDENT = "1"  # the form does not ask the type: a patient report is about something that went wrong


def patient_journey(answers: dict[str, Any], version: str) -> Journey:
    return Journey(
        load_question_set(version, PATIENT),
        answers,
        event_type=INCIDENT,
        organisation_name=OrganisationNames(),
    )
