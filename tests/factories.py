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
