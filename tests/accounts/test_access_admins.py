"""The admins told of a record are read with a statement built once; they are `organisation_admins`."""

import pytest

from accounts.access_selectors import organisation_admin_list, organisation_admins
from accounts.models import AccountType, MembershipStatus
from tests.factories import MembershipFactory, UserFactory, make_hierarchy

pytestmark = pytest.mark.django_db


def admin(organisation, email, **changes):
    membership = MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, account_type=AccountType.ADMIN
    )
    for name, value in changes.items():
        target = membership.user if name == "is_active" else membership
        setattr(target, name, value)
        target.save()
    return membership.user


def test_the_list_is_the_selectors_admins_for_sites_trusts_and_organisations_without_any():
    world = make_hierarchy()
    admin(world["T1"], "trust.admin@nhs.net")
    admin(world["T1S"], "a.site.admin@nhs.net")
    admin(world["T1S"], "left@nhs.net", is_active=False)
    admin(world["T1S"], "awaiting@nhs.net", status=MembershipStatus.AWAITING_APPROVAL)
    admin(world["T2"], "other.trust@nhs.net")
    admin(world["Q1"], "icb@nhs.net")
    MembershipFactory(user=UserFactory(email="standard@nhs.net"), organisation=world["T1S"])

    for _ in range(2):  # built the first time, reused the second
        for organisation in world.values():
            expected = list(organisation_admins(organisation))
            assert [(u.pk, u.email, u.is_active) for u in organisation_admin_list(organisation)] == [
                (u.pk, u.email, u.is_active) for u in expected
            ]
    assert [u.email for u in organisation_admin_list(world["T1S"])] == [
        "a.site.admin@nhs.net",
        "trust.admin@nhs.net",
    ]
    assert organisation_admin_list(world["U1"]) == []
