"""Shared data for the responses tests (no tests here): the hierarchy of tests/factories.make_hierarchy,
incidents recorded through the recording services and redacted as the worker would, and the people
who respond to them."""

from django.db import transaction

from accounts.models import AccountType
from events.organisation_services import event_statutory_update
from events.responses.models import PsirfRole, PsirfRoleName
from tests.events.test_organisation_support import member, processed_event


def incident(recorder, code="T1", *, statutory=None, **overrides):
    event = processed_event(recorder, code, **overrides)
    if statutory:
        admin = member(event.organisation if code != "T1S" else event.organisation.parent, AccountType.ADMIN)
        event_statutory_update(event=event, actor=admin, answers=statutory)
        event.refresh_from_db()
    return event


def fatal_patient(**fields):
    return {"patients": [{"PhysicalHarm": "1", "StrengthOfAssociation": "6", **fields}]}


def executive_lead(organisation):
    user = member(organisation, AccountType.ADMIN, first_name="Eve", last_name="Lead")
    PsirfRole.objects.create(organisation=organisation, user=user, role=PsirfRoleName.EXECUTIVE_LEAD)
    return user


def run_on_commit(function):
    """Runs `function` and the on-commit callbacks it queues (tests inside a transaction)."""
    with transaction.atomic():
        return function()


def redact_pending() -> int:
    """Runs the worker's free-text job (events/responses/free_text.py) for every record still awaiting
    it, as the worker would after the commit; returns how many it stored."""
    from events.responses import free_text

    stored = 0
    for kind, (model, _fields) in free_text.FIELDS.items():
        for pk in model.objects.filter(redacted_texts__isnull=True).values_list("pk", flat=True):
            stored += free_text.free_text_redact(kind, pk)
    return stored


def fake_pipeline(texts):
    """What the tests' redaction replaces: one name, as tests/events do for records."""
    return {key: value.replace("Jane Doe", "[PERSON 1]") for key, value in texts.items()}
