"""Query shapes of the responses' selectors: a thematic review resolves its linked references in one
query however many there are, through the read gate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccountType
from events.responses.selectors import events_by_references
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import incident

pytestmark = pytest.mark.django_db


def test_a_thematic_review_resolves_its_references_in_one_query_through_the_gate():
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    organisational = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    events = [incident(recorder) for _ in range(4)]
    elsewhere = incident(member(hierarchy["T2"], AccountType.STANDARD), "T2")
    references = [event.display_reference for event in events]

    events_by_references(organisational, references[:1])  # the policy's per-request reads, cached
    with CaptureQueriesContext(connection) as one:
        events_by_references(organisational, references[:1])
    with CaptureQueriesContext(connection) as many:
        found, missing = events_by_references(
            organisational, [*references, elsewhere.display_reference, "XYZ-999"]
        )
    assert len(many) == len(one)
    assert len([query for query in many if 'FROM "events_event"' in query["sql"]]) == 1
    assert found == events and missing == [elsewhere.display_reference, "XYZ-999"]
