"""The response screens for every account type of fixtures/permissions.csv, on a record and a response
of trust T1 (own for provider and read-only types, a child for ICB types, unrelated to U1's admin):
what the table forbids answers 403 or 404 and never shows the response."""

import pytest
from django.urls import reverse

from accounts.models import AccountType
from events.responses import services
from tests.accounts.test_permissions_table import CELLS, MEMBERSHIP_FOR_COLUMN
from tests.events.test_organisation_support import member
from tests.factories import MembershipFactory, UserFactory, make_hierarchy

from .support import incident, redact_pending

RATIONALE = "A rationale only readers of the response see"


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    decided = incident(recorder)
    response = services.response_decide(actor=decider, event=decided, kind="aar", rationale=RATIONALE)
    redact_pending()  # the worker's job: readers outside the team read the redacted rationale
    return hierarchy, incident(recorder), response


def actor(column, hierarchy):
    code, account_type = MEMBERSHIP_FOR_COLUMN[column]
    user = UserFactory(is_super_admin=column == "super_admin")
    MembershipFactory(user=user, organisation=hierarchy[code], account_type=account_type)
    return user


def expected_detail(column: str) -> int:
    """Own organisation's responses (view), or a child's (oversee) for ICB types; 404 otherwise."""
    if column.startswith("icb"):
        return 200 if CELLS["oversee_responses_of_child_organisations"][column] else 404
    return 200 if CELLS["view_responses_of_my_organisation"][column] else 404


def expected_decide(column: str) -> int:
    """Deciding is for the record's own organisation; a record one cannot see is 404."""
    sees_record = column not in ("standard",)
    if not sees_record:
        return 404
    own = not column.startswith("icb")
    return 200 if own and CELLS["decide_response_for_my_organisation_events"][column] else 403


@pytest.mark.parametrize("column", list(MEMBERSHIP_FOR_COLUMN))
def test_each_account_type_on_the_response_screens(client, world, column):
    hierarchy, undecided, response = world
    client.force_login(actor(column, hierarchy))
    detail = client.get(reverse("responses:detail", args=[response.pk]))
    assert detail.status_code == expected_detail(column), column
    assert (RATIONALE in detail.content.decode()) is (detail.status_code == 200)
    assert client.get(reverse("responses:decide", args=[undecided.reference])).status_code == expected_decide(
        column
    )
    posted = client.post(
        reverse("responses:decide", args=[undecided.reference]), {"kind": "none", "rationale": "x"}
    )
    assert posted.status_code == (302 if expected_decide(column) == 200 else expected_decide(column))
    # The learning response is its team's: nobody else records it, whatever their account type.
    document = client.post(reverse("responses:document", args=[response.pk]), {"Expected": "x"})
    assert document.status_code in (403, 404)


def test_an_unrelated_admin_sees_nothing(client, world):
    hierarchy, undecided, response = world
    client.force_login(member(hierarchy["U1"], AccountType.ADMIN))
    assert client.get(reverse("responses:detail", args=[response.pk])).status_code == 404
    assert client.get(reverse("responses:decide", args=[undecided.reference])).status_code == 404
    listing = client.get(reverse("responses:list")).content.decode()
    # The filter form names every type; the list itself has no row.
    assert (
        RATIONALE not in listing
        and 'data-testid="responses"' not in listing
        and "No responses yet" in listing
    )
