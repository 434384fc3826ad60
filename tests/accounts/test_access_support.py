"""Builders shared by the access management tests (no tests here).

The world every access test starts from:

    region Y1 ─ ICB Q1 ─ trust T1 ─ site T1S       T1: two admins (Ada, Abe), a standard member (Jo)
                      └─ trust T2                  T2: no admin, a standard member (Sam)
    ICB Q1: one admin (Ian). Two super admins (Sofia, Sunil) who belong to no organisation.
"""

from dataclasses import dataclass

from accounts.models import AccountType, MembershipStatus, User
from organisations.models import Organisation, OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def member(
    organisation: Organisation | None,
    account_type: str = AccountType.STANDARD,
    *,
    email: str,
    first_name: str = "Sam",
    last_name: str = "Taylor",
    status: str = MembershipStatus.ACTIVE,
    **fields,
) -> User:
    user = UserFactory(email=email, first_name=first_name, last_name=last_name, **fields)
    if organisation is not None:
        MembershipFactory(user=user, organisation=organisation, account_type=account_type, status=status)
    return user


@dataclass
class World:
    y1: Organisation
    q1: Organisation
    t1: Organisation
    t1s: Organisation
    t2: Organisation
    ada: User  # admin of T1
    abe: User  # admin of T1
    jo: User  # standard member of T1
    sam: User  # standard member of T2 (no admin)
    ian: User  # admin of ICB Q1
    sofia: User  # super admin
    sunil: User  # super admin

    def fresh(self, user: User) -> User:
        """The user as a new request would load them: no cached memberships."""
        return User.objects.get(pk=user.pk)


def make_world() -> World:
    def org(code, kind, parent=None, name=None):
        return OrganisationFactory(
            ods_code=code, name=name or f"Organisation {code}", kind=kind, parent=parent
        )

    y1 = org("Y1", OrganisationKind.REGION, name="North East and Yorkshire")
    q1 = org("Q1", OrganisationKind.ICB, y1, name="West Yorkshire ICB")
    t1 = org("T1", OrganisationKind.NHS_TRUST, q1, name="Leeds Teaching Hospitals")
    t1s = org("T1S", OrganisationKind.TRUST_SITE, t1, name="St James's University Hospital")
    t2 = org("T2", OrganisationKind.NHS_TRUST, q1, name="Bradford Community Trust")
    return World(
        y1=y1,
        q1=q1,
        t1=t1,
        t1s=t1s,
        t2=t2,
        ada=member(t1, AccountType.ADMIN, email="ada.admin@nhs.net", first_name="Ada", last_name="Admin"),
        abe=member(t1, AccountType.ADMIN, email="abe.admin@nhs.net", first_name="Abe", last_name="Admin"),
        jo=member(t1, email="jo.bloggs@nhs.net", first_name="Jo", last_name="Bloggs"),
        sam=member(t2, email="sam.smith@nhs.net", first_name="Sam", last_name="Smith"),
        ian=member(q1, AccountType.ADMIN, email="ian.icb@nhs.net", first_name="Ian", last_name="Icb"),
        sofia=member(
            None, email="sofia.super@nhs.net", first_name="Sofia", last_name="Super", is_super_admin=True
        ),
        sunil=member(
            None, email="sunil.super@nhs.net", first_name="Sunil", last_name="Super", is_super_admin=True
        ),
    )
