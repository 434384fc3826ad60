"""What a record looks like to people other than its author while drafting: redacted free text only."""

import copy
from typing import Any

from events.questionnaire import Journey

from .journeys import journey_for
from .models import EventRevision, RedactionStatus

BEING_PROCESSED = "This text is being processed to remove identifiable information."


def answers_for_display(revision: EventRevision) -> dict[str, Any]:
    """The redacted answers once redaction is complete; until then every free text reads as pending."""
    if revision.redaction_status == RedactionStatus.COMPLETE and revision.redacted_answers is not None:
        return revision.redacted_answers
    journey = journey_for({}, revision.question_set_version, anonymous=False)
    free_text = journey.question_set.free_text_ids()
    answers = copy.deepcopy(revision.answers)
    _mask(answers, free_text)
    return answers


def _mask(answers: dict[str, Any], free_text: frozenset[str]) -> None:
    for key, value in answers.items():
        if key in free_text and isinstance(value, str) and value:
            answers[key] = BEING_PROCESSED
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _mask(item, free_text)


def revision_journey(revision: EventRevision, answers: dict[str, Any] | None = None) -> Journey:
    return journey_for(
        answers if answers is not None else answers_for_display(revision),
        revision.question_set_version,
        anonymous=revision.event.is_anonymous,
    )
