"""Registration with allauth: the extra details, the organisation picker, the nhs.net rule, email
verification and the password rule."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditLogEntry, Membership, MembershipStatus, User
from organisations.models import OrganisationKind, OrganisationStatus
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Safer-Care42"


@pytest.fixture
def leeds(db):
    return OrganisationFactory(ods_code="RR8", name="Leeds Teaching Hospitals NHS Trust")


def form_data(**overrides):
    data = {
        "first_name": "Jo",
        "last_name": "Bloggs",
        "email": "jo.bloggs@nhs.net",
        "email2": "jo.bloggs@nhs.net",
        "job_role": "Nurse",
        "organisation_search": "RR8",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def register(client, **overrides):
    return client.post(reverse("account_signup"), form_data(**overrides))


def test_an_nhs_net_user_becomes_an_active_standard_member_at_once(client, leeds, mailoutbox):
    response = register(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="jo.bloggs@nhs.net")
    assert (user.first_name, user.last_name, user.job_role) == ("Jo", "Bloggs", "Nurse")
    membership = Membership.objects.get(user=user)
    assert membership.organisation == leeds
    assert membership.account_type == "standard"
    assert membership.status == MembershipStatus.ACTIVE
    assert AuditLogEntry.objects.filter(subject=user, action="membership_created").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["jo.bloggs@nhs.net"]


def test_other_email_domains_wait_for_a_super_admin(client, leeds):
    register(client, email="jo@leedsth.example.org", email2="jo@leedsth.example.org")
    membership = Membership.objects.get(user__email="jo@leedsth.example.org")
    assert membership.status == MembershipStatus.AWAITING_APPROVAL


def test_nhs_net_lookalike_domains_are_not_auto_approved(client, leeds):
    register(client, email="jo@fake-nhs.net", email2="jo@fake-nhs.net")
    assert Membership.objects.get(user__email="jo@fake-nhs.net").status == MembershipStatus.AWAITING_APPROVAL


def test_the_email_must_be_verified_before_signing_in(client, leeds, mailoutbox):
    register(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "jo.bloggs@nhs.net", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mailoutbox[-1].body).group(1)
    page = client.get(link)
    assert b"Confirm your email address" in page.content
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_search_matching_several_organisations_asks_the_user_to_choose(client):
    OrganisationFactory(ods_code="RAE", name="Bradford Teaching Hospitals NHS Foundation Trust")
    OrganisationFactory(ods_code="RR8", name="Leeds Teaching Hospitals NHS Trust")
    response = register(client, organisation_search="Teaching Hospitals")
    assert response.status_code == 200
    content = response.content.decode()
    assert "More than one organisation matches" in content
    assert 'value="RAE"' in content and 'value="RR8"' in content
    # Nothing already typed is lost.
    assert 'value="Jo"' in content and 'value="Bloggs"' in content and 'value="jo.bloggs@nhs.net"' in content
    assert 'value="Teaching Hospitals"' in content
    assert not User.objects.exists()

    register(client, organisation_search="Teaching Hospitals", organisation_code="RAE")
    assert Membership.objects.get(user__email="jo.bloggs@nhs.net").organisation.ods_code == "RAE"


def test_a_search_matching_nothing_says_so(client, leeds):
    response = register(client, organisation_search="Atlantis General")
    assert "No organisation matches “Atlantis General”" in response.content.decode()
    assert not User.objects.exists()


def test_closed_organisations_cannot_be_chosen(client):
    OrganisationFactory(ods_code="RXX", name="Closed Trust", status=OrganisationStatus.CLOSED)
    response = register(client, organisation_search="Closed Trust")
    assert "No organisation matches" in response.content.decode()


def test_other_organisation_needs_a_name_and_creates_no_membership(client, leeds):
    response = register(client, organisation_search="", organisation_unlisted="on")
    assert "Enter the name of your organisation" in response.content.decode()
    register(client, organisation_search="", organisation_unlisted="on", unlisted_organisation="New Hospice")
    user = User.objects.get(email="jo.bloggs@nhs.net")
    assert user.unlisted_organisation == "New Hospice"
    assert not user.memberships.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter your first name"),
        ("last_name", "", "Enter your last name"),
        ("job_role", "", "Select your job role"),
        ("accept_terms", "", "You must agree to the Terms and Conditions to register"),
        ("email2", "someone.else@nhs.net", "You must type the same email each time."),
    ],
)
def test_each_mistake_has_a_specific_message_in_the_error_summary(client, leeds, field, value, message):
    response = register(client, **{field: value})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert message in content
    assert content.count(message) == 2  # once in the summary, once next to the field
    assert response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["Short1A", "alllowercase1", "ALLUPPERCASE1", "NoNumbersHere"])
def test_passwords_must_follow_the_service_rule(client, leeds, password):
    response = register(client, password1=password, password2=password)
    assert "at least 8 characters in length and contain each of the following" in response.content.decode()
    assert not User.objects.exists()


def test_registering_twice_with_one_email_creates_no_second_account(client, leeds):
    register(client)
    client.logout()
    response = register(client, first_name="Impostor")
    # The page does not reveal whether the address is registered (allauth emails the owner instead).
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="jo.bloggs@nhs.net").count() == 1
    assert User.objects.get().first_name == "Jo"


def test_email_addresses_are_stored_in_lower_case(client, leeds):
    register(client, email="Jo.Bloggs@NHS.net", email2="Jo.Bloggs@NHS.net")
    user = User.objects.get()
    assert user.email == "jo.bloggs@nhs.net"
    assert Membership.objects.get(user=user).status == MembershipStatus.ACTIVE


def test_registration_asks_which_kind_of_account_first(client):
    response = client.get(reverse("register_start"))
    assert b"Do you have an NHS England Applications account?" in response.content
    missing = client.post(reverse("register_start"), {})
    assert b"Select whether you already have an NHS England Applications account" in missing.content
    assert client.post(reverse("register_start"), {"has_account": "no"})["Location"] == reverse(
        "account_signup"
    )
    assert client.post(reverse("register_start"), {"has_account": "yes"})["Location"] == reverse(
        "account_login"
    )


def test_organisation_kinds_do_not_matter_for_registration(client):
    OrganisationFactory(ods_code="B86001", name="Practice One", kind=OrganisationKind.GP_PRACTICE)
    register(client, organisation_search="b86001")
    assert Membership.objects.get().organisation.ods_code == "B86001"


def test_an_empty_form_lists_specific_errors_in_page_order(client):
    response = client.post(reverse("account_signup"), {})
    content = response.content.decode()
    summary = content.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert re.findall(r'href="#id_(\w+)"', summary) == [
        "first_name",
        "last_name",
        "email",
        "email2",
        "job_role",
        "organisation_search",
        "password1",
        "password2",
        "accept_terms",
    ]
    assert "This field is required" not in content
    for message in ["Enter your email address", "Enter a password", "Enter your password again"]:
        assert message in content
