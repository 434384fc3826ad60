"""Shared data for the organisation review tests (no tests here).

The hierarchy is tests/factories.make_hierarchy:

    region Y1 ─ ICB Q1 ─ trust T1 ─ site T1S
                      └─ trust T2
    region Y2 ─ ICB Q2 ─ trust U1          (unrelated to everything above)

Records are submitted through the recording services and then "redacted" with
revision_publish, as the anonymisation worker would: the recorder's raw description names
Jane Doe; the redacted one reads [PERSON 1].
"""

import copy
from typing import Any

from django.db.models import QuerySet

from accounts.models import AccountType
from events.lifecycle import revision_publish
from events.models import Draft, DraftKind, Event
from events.services import draft_create, event_submit
from tests.events.questionnaire.helpers import INCIDENT, complete, journey
from tests.factories import MembershipFactory, UserFactory

RAW_DESCRIPTION = "Jane Doe was given 10 times the dose of insulin"
REDACTED_DESCRIPTION = "[PERSON 1] was given 10 times the dose of insulin"


def organisation_edits() -> QuerySet[Draft]:
    """Organisation users' unsent changes to records (edit drafts of that kind)."""
    return Draft.objects.filter(kind=DraftKind.ORGANISATION_EDIT)


def member(organisation, account_type=AccountType.ORGANISATIONAL, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation=organisation, account_type=account_type)
    return user


def incident_answers(organisation_code: str, *, description: str = RAW_DESCRIPTION, **overrides) -> dict:
    answers = complete(journey({"EventType": INCIDENT, **overrides})).prune()
    answers["Organisation"] = organisation_code
    answers["Description"] = description
    return answers


def redacted(answers: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(answers)
    for key, value in result.items():
        if isinstance(value, str):
            result[key] = value.replace("Jane Doe", "[PERSON 1]")
    return result


def submitted_event(recorder, answers: dict, *, anonymous: bool = False) -> Event:
    draft = draft_create(actor=recorder, anonymous=anonymous)
    draft.answers = answers
    draft.save()
    return event_submit(draft=draft, actor=recorder).event


def processed_event(recorder, organisation_code: str, *, anonymous: bool = False, **overrides) -> Event:
    """A submitted record whose redaction is complete, so organisation users see it."""
    answers = overrides.pop("answers", None) or incident_answers(organisation_code, **overrides)
    event = submitted_event(recorder, answers, anonymous=anonymous)
    revision = event.revisions.get()
    revision_publish(revision_id=revision.pk, redacted_answers=redacted(revision.answers))
    event.refresh_from_db()
    return event


def finish_redaction(event: Event) -> None:
    """Completes the redaction of every pending revision of the record, as the worker would."""
    for revision in event.revisions.filter(redaction_status="pending").order_by("number"):
        revision_publish(revision_id=revision.pk, redacted_answers=redacted(revision.answers))
    event.refresh_from_db()
