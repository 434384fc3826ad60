"""The admins' queues (one query) and the decision check (per request) apply the same routing rules.

For every actor and every pending request in a varied world, a request is in
`access_requests_decidable_by(actor)` exactly when `access_request_refusal(actor, request)` is None,
and the users told about a request are exactly those who may decide it.
"""

import pytest

from accounts.access_selectors import (
    access_request_deciders,
    access_request_refusal,
    access_requests_decidable_by,
    access_requests_visible_to,
)
from accounts.models import AccessRequest, AccountType, MembershipStatus, RequestedAccess
from tests.accounts.test_access_support import make_world, member
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(db):
    world = make_world()
    kim = member(world.t2, email="kim@agency.example.org", status=MembershipStatus.AWAITING_APPROVAL)
    site_member = member(world.t1s, email="sita@nhs.net")
    site_admin = member(world.t1s, AccountType.ADMIN, email="sian@nhs.net")
    commissioner = member(world.q1, email="cara@nhs.net")
    inactive_admin_org = world.y1
    MembershipFactory(
        user=member(None, email="gone@nhs.net", is_active=False),
        organisation=inactive_admin_org,
        account_type=AccountType.ADMIN,
    )
    # Sam is the only admin of T2 and asks for something else there.
    world.sam.memberships.update(account_type=AccountType.ADMIN)

    def pending(user, organisation, account_type):
        return AccessRequest.objects.create(user=user, organisation=organisation, account_type=account_type)

    requests = [
        pending(world.jo, world.t1, RequestedAccess.ORGANISATIONAL),
        pending(world.jo, world.t1, RequestedAccess.READ_ONLY),
        pending(world.ada, world.t1, RequestedAccess.READ_ONLY),  # an admin asking at their own trust
        pending(world.sam, world.t2, RequestedAccess.ORGANISATIONAL),  # T2's only admin
        pending(world.jo, world.t2, RequestedAccess.READ_ONLY),  # Sam decides
        pending(world.jo, world.y1, RequestedAccess.READ_ONLY),  # nobody can
        pending(kim, world.t2, RequestedAccess.STANDARD),
        pending(site_member, world.t1s, RequestedAccess.ADMIN),
        pending(commissioner, world.q1, RequestedAccess.ADMIN),
        pending(commissioner, world.y1, RequestedAccess.ORGANISATIONAL),  # only an inactive admin
        pending(world.jo, None, RequestedAccess.SUPER_ADMIN),
        pending(world.sofia, None, RequestedAccess.SUPER_ADMIN),
    ]
    decided = pending(world.abe, world.t1, RequestedAccess.READ_ONLY)
    decided.status, decided.decided_at = "rejected", decided.created_at
    decided.save()
    actors = [
        world.ada,
        world.abe,
        world.jo,
        world.sam,
        world.ian,
        world.sofia,
        world.sunil,
        kim,
        site_member,
        site_admin,
        commissioner,
    ]
    return world, actors, [*requests, decided]


def test_the_queue_and_the_decision_check_agree(scenario):
    world, actors, requests = scenario
    for actor in actors:
        actor = world.fresh(actor)
        queue = set(access_requests_decidable_by(actor).values_list("pk", flat=True))
        for request in requests:
            refusal = access_request_refusal(actor, request)
            assert (request.pk in queue) is (refusal is None), (actor.email, request, refusal)


def test_those_told_are_those_who_may_decide(scenario):
    world, actors, requests = scenario
    for request in requests[:-1]:
        told = set(access_request_deciders(request).values_list("email", flat=True))
        may = {actor.email for actor in actors if access_request_refusal(world.fresh(actor), request) is None}
        assert told == may, request


def test_expected_deciders(scenario):
    _, _, requests = scenario
    by_summary = {
        (r.user.email, r.organisation.ods_code if r.organisation else None, r.account_type): r
        for r in requests[:-1]
    }

    def deciders(email, code, account_type):
        return sorted(
            access_request_deciders(by_summary[email, code, account_type]).values_list("email", flat=True)
        )

    supers = ["sofia.super@nhs.net", "sunil.super@nhs.net"]
    assert deciders("jo.bloggs@nhs.net", "T1", "organisational") == ["abe.admin@nhs.net", "ada.admin@nhs.net"]
    assert deciders("ada.admin@nhs.net", "T1", "read_only") == ["abe.admin@nhs.net"]
    assert deciders("sam.smith@nhs.net", "T2", "organisational") == supers
    assert deciders("jo.bloggs@nhs.net", "T2", "read_only") == ["sam.smith@nhs.net"]
    assert deciders("jo.bloggs@nhs.net", "Y1", "read_only") == []
    assert deciders("kim@agency.example.org", "T2", "standard") == supers
    assert deciders("sita@nhs.net", "T1S", "admin") == [
        "abe.admin@nhs.net",
        "ada.admin@nhs.net",
        "sian@nhs.net",
    ]
    assert deciders("cara@nhs.net", "Q1", "admin") == ["ian.icb@nhs.net"]
    assert deciders("cara@nhs.net", "Y1", "organisational") == supers
    assert deciders("jo.bloggs@nhs.net", None, "super_admin") == supers
    assert deciders("sofia.super@nhs.net", None, "super_admin") == ["sunil.super@nhs.net"]


def test_who_may_open_a_request(scenario):
    world, _, requests = scenario
    t1_request = requests[0]
    assert t1_request in access_requests_visible_to(world.fresh(world.jo))  # the requester
    assert t1_request in access_requests_visible_to(world.fresh(world.ada))  # T1's admin
    assert t1_request in access_requests_visible_to(world.fresh(world.sofia))  # a super admin
    assert t1_request not in access_requests_visible_to(world.fresh(world.sam))  # T2's admin
    assert t1_request not in access_requests_visible_to(world.fresh(world.ian))  # the ICB's admin
