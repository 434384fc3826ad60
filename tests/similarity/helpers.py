"""Records for the similarity tests, made through the recording services and published through the
lifecycle (as the redaction worker would), then embedded by the similarity service.

The raw descriptions name "Jane Doe"; the redacted ones read "[PERSON 1]" (tests/events/
test_organisation_support.redacted), so any page or CSV showing "Jane Doe" shows unredacted text.
"""

from events.models import Event
from events.similarity.services import event_embed
from tests.events.test_organisation_support import incident_answers, processed_event

RAW_NAME = "Jane Doe"

INSULIN = "Jane Doe was given 10 units of insulin instead of 1 unit on ward 7; blood glucose fell to 2.1."
INSULIN_AGAIN = (
    "Ward 7: Jane Doe received a tenfold insulin overdose, 10 units instead of 1 unit, glucose fell to 2.1."
)
FALL = "Jane Doe fell out of bed at night on the ward and was found on the floor with a cut to her head."
PRESSURE = "Pressure ulcer found on the heel of Jane Doe on admission from a care home."


def answers_for(organisation_code: str, description: str, **overrides) -> dict:
    """An incident whose only free text is the description (the helpers fill optional free text
    with the same filler in every record, which would make every record alike)."""
    answers = incident_answers(organisation_code, description=description, **overrides)
    for key in [k for k, v in answers.items() if v == "Some text"]:
        del answers[key]
    for patient in answers.get("patients") or []:
        patient["ClinicalOutcome"] = "Recovered."
    return answers


def embedded_event(recorder, organisation_code: str, description: str, **overrides) -> Event:
    answers = answers_for(organisation_code, description, **overrides)
    event = processed_event(recorder, organisation_code, answers=answers)
    event_embed(event.pk)
    event.refresh_from_db()
    return event
