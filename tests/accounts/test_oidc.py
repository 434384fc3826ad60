"""Sign-in through a real OpenID Connect provider (npm `oidc-provider`), end to end.

Each test drives the authorization code flow with requests: Django /oidc/authenticate/ → the
provider's authorization endpoint → its development login and consent pages → Django
/oidc/callback/ (token, JWKS and userinfo requests from Django to the provider) → home.
"""

import logging
import re
from urllib.parse import urlsplit

import pytest
import requests
from allauth.account.decorators import verified_email_required
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.access import membership_remove
from accounts.models import AccountType, AuditLogEntry, Membership, MembershipStatus, User
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from tests.oidc_provider import (
    TEST_ODS_CODE,
    UNKNOWN_ODS_CODE,
    OIDCTestProvider,
    sign_in_with_requests,
)

pytest_plugins = ["tests.oidc_provider.fixtures"]

pytestmark = pytest.mark.django_db(transaction=True)

HOME_HEADING = "Welcome to your patient safety home"
OIDC_BUTTON = re.compile(
    r'<a href="([^"]+)"[^>]*data-testid="oidc-sign-in"[^>]*>\s*Sign in with NHS England Applications\s*</a>'
)


def _sign_in(live_server, provider: OIDCTestProvider, sub: str, http: requests.Session | None = None):
    http = http or requests.Session()
    return sign_in_with_requests(http, live_server.url + "/oidc/authenticate/", login=sub), http


def _assert_signed_in_at_home(live_server, journey, email: str) -> None:
    response = journey.response
    assert response.status_code == 200, response.text[:500]
    assert response.url == live_server.url + "/home/"
    assert HOME_HEADING in response.text
    assert f"Signed in as: {email}" in response.text


def test_login_page_offers_sign_in_with_nhs_england_applications(oidc_settings, live_server):
    page = requests.get(live_server.url + "/accounts/login/", timeout=10)

    match = OIDC_BUTTON.search(page.text)
    assert match, "the sign-in page has no 'Sign in with NHS England Applications' button"
    assert match.group(1) == "/oidc/authenticate/"


def test_first_sign_in_creates_the_user_and_lands_on_home(oidc_settings, live_server):
    provider = oidc_settings
    account = provider.account("nhs-member")
    OrganisationFactory(ods_code=TEST_ODS_CODE, name="Riverside NHS Trust")
    http = requests.Session()
    login_page = http.get(live_server.url + "/accounts/login/", timeout=10)
    start = OIDC_BUTTON.search(login_page.text).group(1)

    journey = sign_in_with_requests(http, live_server.url + start, login=account["sub"])

    _assert_signed_in_at_home(live_server, journey, "alex.morgan@nhs.net")
    # The journey really went through the provider and back through Django's callback.
    hosts = [urlsplit(url).netloc for url in journey.urls]
    assert urlsplit(provider.issuer).netloc in hosts
    assert any(url.startswith(live_server.url + "/oidc/callback/?code=") for url in journey.urls)
    assert journey.prompts == ["login", "consent"]

    user = User.objects.get()
    assert user.email == "alex.morgan@nhs.net"  # lower-cased from Alex.Morgan@NHS.net
    assert (user.first_name, user.last_name) == ("Alex", "Morgan")
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("alex.morgan@nhs.net", True, True)
    assert AuditLogEntry.objects.filter(action="user_registered", subject=user).count() == 1


def test_nhs_net_user_with_an_ods_code_becomes_an_active_standard_member(oidc_settings, live_server):
    organisation = OrganisationFactory(ods_code=TEST_ODS_CODE, name="Riverside NHS Trust")

    journey, _ = _sign_in(live_server, oidc_settings, "nhs-member")

    _assert_signed_in_at_home(live_server, journey, "alex.morgan@nhs.net")
    membership = Membership.objects.get(user__email="alex.morgan@nhs.net")
    assert membership.organisation == organisation
    assert membership.account_type == AccountType.STANDARD
    assert membership.status == MembershipStatus.ACTIVE
    assert "waiting for approval" not in journey.response.text
    assert AuditLogEntry.objects.filter(action="membership_created", organisation=organisation).count() == 1


def test_other_domain_user_with_an_ods_code_awaits_approval(oidc_settings, live_server):
    organisation = OrganisationFactory(ods_code=TEST_ODS_CODE, name="Riverside NHS Trust")

    journey, _ = _sign_in(live_server, oidc_settings, "partner-member")

    _assert_signed_in_at_home(live_server, journey, "jo.bloggs@partner.example.org")
    membership = Membership.objects.get(user__email="jo.bloggs@partner.example.org")
    assert membership.organisation == organisation
    assert membership.account_type == AccountType.STANDARD
    assert membership.status == MembershipStatus.AWAITING_APPROVAL
    assert (
        f"Your access to Riverside NHS Trust ({TEST_ODS_CODE}) is waiting for approval"
        in journey.response.text
    )


def test_signing_in_again_does_not_duplicate_the_user_or_membership(oidc_settings, live_server):
    OrganisationFactory(ods_code=TEST_ODS_CODE)
    first, http = _sign_in(live_server, oidc_settings, "nhs-member")
    _assert_signed_in_at_home(live_server, first, "alex.morgan@nhs.net")

    # Another browser: the whole flow again, login and consent included.
    second, _ = _sign_in(live_server, oidc_settings, "nhs-member")
    _assert_signed_in_at_home(live_server, second, "alex.morgan@nhs.net")
    assert second.prompts == ["login", "consent"]

    # The first browser signs out of the service; the provider still remembers it, so signing in
    # again goes straight back through without a login page.
    home = http.get(live_server.url + "/home/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    signed_out = http.post(
        live_server.url + "/accounts/logout/",
        data={"csrfmiddlewaretoken": csrf},
        headers={"Referer": live_server.url + "/home/"},
        timeout=10,
    )
    assert signed_out.url == live_server.url + "/"
    third = sign_in_with_requests(http, live_server.url + "/oidc/authenticate/", login="nhs-member")
    _assert_signed_in_at_home(live_server, third, "alex.morgan@nhs.net")
    assert "login" not in third.prompts

    assert User.objects.filter(email__iexact="alex.morgan@nhs.net").count() == 1
    assert Membership.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    assert AuditLogEntry.objects.filter(action="membership_created").count() == 1
    assert AuditLogEntry.objects.filter(action="user_registered").count() == 1


def test_an_organisation_the_user_removed_is_not_added_back_at_the_next_sign_in(oidc_settings, live_server):
    OrganisationFactory(ods_code=TEST_ODS_CODE)
    first, _ = _sign_in(live_server, oidc_settings, "nhs-member")
    _assert_signed_in_at_home(live_server, first, "alex.morgan@nhs.net")
    user = User.objects.get(email__iexact="alex.morgan@nhs.net")
    membership_remove(Membership.objects.get(user=user), actor=user)

    again, _ = _sign_in(live_server, oidc_settings, "nhs-member")
    _assert_signed_in_at_home(live_server, again, "alex.morgan@nhs.net")
    assert not Membership.objects.filter(user=user).exists()


def test_unknown_ods_code_creates_the_user_without_a_membership(oidc_settings, live_server, caplog):
    OrganisationFactory(ods_code=TEST_ODS_CODE)

    with caplog.at_level(logging.WARNING, logger="accounts.oidc"):
        journey, _ = _sign_in(live_server, oidc_settings, "unknown-organisation")

    _assert_signed_in_at_home(live_server, journey, "casey.lee@nhs.net")
    user = User.objects.get(email="casey.lee@nhs.net")
    assert not user.memberships.exists()
    assert any(UNKNOWN_ODS_CODE in record.getMessage() for record in caplog.records)


def test_no_organisation_claim_creates_the_user_without_a_membership(oidc_settings, live_server):
    journey, _ = _sign_in(live_server, oidc_settings, "no-organisation")

    _assert_signed_in_at_home(live_server, journey, "sam.patel@nhs.net")
    assert not Membership.objects.exists()


def test_unverified_email_is_refused_with_a_clear_page(oidc_settings, live_server):
    OrganisationFactory(ods_code=TEST_ODS_CODE)

    journey, http = _sign_in(live_server, oidc_settings, "unverified")

    response = journey.response
    assert response.status_code == 200
    assert response.url == live_server.url + "/"
    assert "Learn from patient safety events" in response.text
    assert "its email address has not been verified" in response.text
    assert "Signed in as" not in response.text
    assert "Traceback" not in response.text
    assert not User.objects.filter(email__iexact="pat.unverified@nhs.net").exists()
    assert not Membership.objects.exists()
    # Not signed in: home sends them to the sign-in page.
    home = http.get(live_server.url + "/home/", allow_redirects=False, timeout=10)
    assert home.status_code == 302
    assert home.headers["Location"].startswith("/accounts/login/")


def test_existing_local_user_is_found_by_email_and_keeps_their_password(oidc_settings, live_server):
    local = UserFactory(email="alex.morgan@nhs.net", first_name="Alexandra", last_name="Morgan")

    journey, _ = _sign_in(live_server, oidc_settings, "nhs-member")

    _assert_signed_in_at_home(live_server, journey, "alex.morgan@nhs.net")
    assert User.objects.count() == 1
    local.refresh_from_db()
    assert local.first_name == "Alexandra"  # the service's own details are not overwritten
    assert local.check_password(TEST_PASSWORD)
    assert EmailAddress.objects.filter(user=local, verified=True, primary=True).count() == 1


def test_unconfirmed_local_registration_is_confirmed_and_its_password_cleared(oidc_settings, live_server):
    # Someone registered this address locally but never confirmed it: the password may not be the
    # owner's (account pre-hijacking). The provider proves who owns the address.
    squatter = User.objects.create_user(email="alex.morgan@nhs.net", password="Squatter123")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)

    journey, _ = _sign_in(live_server, oidc_settings, "nhs-member")

    _assert_signed_in_at_home(live_server, journey, "alex.morgan@nhs.net")
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    assert EmailAddress.objects.get(user=squatter).verified


def test_users_created_by_oidc_pass_allauths_verified_email_check(oidc_settings, live_server):
    """allauth's verified_email_required opens only for users with a verified EmailAddress."""
    journey, _ = _sign_in(live_server, oidc_settings, "no-organisation")
    _assert_signed_in_at_home(live_server, journey, "sam.patel@nhs.net")

    @verified_email_required
    def protected(request):
        return HttpResponse("opened")

    request = RequestFactory().get("/protected/")
    request.user = User.objects.get(email="sam.patel@nhs.net")
    assert protected(request).content == b"opened"

    request.user = AnonymousUser()
    assert protected(request).status_code == 302
