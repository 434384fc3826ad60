"""What a record looks like to people other than its author while drafting: redacted free text only."""

from collections.abc import Callable
from typing import Any

from events.questionnaire import Journey, copy_answers

from .journeys import journey_for
from .models import EventRevision, RedactionStatus

BEING_PROCESSED = "This text is being processed to remove identifiable information."


def answers_for_display(revision: EventRevision) -> dict[str, Any]:
    """The redacted answers once redaction is complete; until then every free text reads as pending."""
    if revision.redaction_status == RedactionStatus.COMPLETE and revision.redacted_answers is not None:
        return revision.redacted_answers
    journey = journey_for({}, revision.question_set_version, anonymous=False)
    free_text = journey.question_set.free_text_ids()
    answers = copy_answers(revision.answers)
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


def review_groups(sections, change_url: Callable[[str], str]) -> list[dict[str, Any]]:
    """Review sections with their rows grouped per repeated item ("Patient 2"), so each item can offer
    its own "Remove" button. Each row comes with its Change link, `change_url(page_id)`."""
    result = []
    for section in sections:
        groups: list[dict[str, Any]] = []
        for row in section.rows:
            if not groups or groups[-1]["caption"] != row.caption:
                group_id, number = _item_of(row.page_id) if row.caption else (None, None)
                groups.append({"caption": row.caption, "group": group_id, "number": number, "rows": []})
            groups[-1]["rows"].append(
                {
                    "label": row.label,
                    "value": "\n".join(row.value),  # shown with |linebreaksbr: one answer per line
                    "change_url": change_url(row.page_id),
                    "change_hint": row.label.lower() + (f" ({row.caption})" if row.caption else ""),
                    "page_id": row.page_id,
                }
            )
        result.append({"title": section.title, "section_id": section.section_id, "groups": groups})
    return result


def _item_of(page_id: str) -> tuple[str | None, int | None]:
    """ "patients-2-PhysicalHarm" → ("patients", 2)."""
    group, _, rest = page_id.partition("-")
    number = rest.split("-", 1)[0]
    return (group, int(number)) if number.isdecimal() else (None, None)
