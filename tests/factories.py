"""Test data factories."""

import factory

from accounts.models import AccountType, Membership, MembershipStatus, User
from organisations.models import Organisation, OrganisationKind

TEST_PASSWORD = "Patient5afety"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("ods_code",)

    ods_code = factory.Sequence(lambda n: f"X{n:04d}")
    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    kind = OrganisationKind.NHS_TRUST


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@nhs.net")
    first_name = "Sam"
    last_name = "Taylor"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Users made for tests have a confirmed email address, as allauth requires to sign in."""
        if create:
            user.save()
            user.emailaddress_set.get_or_create(
                email=user.email, defaults={"verified": True, "primary": True}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    account_type = AccountType.STANDARD
    status = MembershipStatus.ACTIVE


def make_hierarchy() -> dict:
    """Two regions' worth of organisations that the permission and review tests share:

    region Y1 ─ ICB Q1 ─ trust T1 ─ site T1S
                      └─ trust T2
    region Y2 ─ ICB Q2 ─ trust U1          (unrelated to everything above)
    """

    def org(code, kind, parent=None):
        return OrganisationFactory(ods_code=code, name=f"Organisation {code}", kind=kind, parent=parent)

    y1 = org("Y1", OrganisationKind.REGION)
    q1 = org("Q1", OrganisationKind.ICB, y1)
    t1 = org("T1", OrganisationKind.NHS_TRUST, q1)
    y2 = org("Y2", OrganisationKind.REGION)
    q2 = org("Q2", OrganisationKind.ICB, y2)
    return {
        "Y1": y1,
        "Q1": q1,
        "T1": t1,
        "T1S": org("T1S", OrganisationKind.TRUST_SITE, t1),
        "T2": org("T2", OrganisationKind.NHS_TRUST, q1),
        "Y2": y2,
        "Q2": q2,
        "U1": org("U1", OrganisationKind.NHS_TRUST, q2),
    }
