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
