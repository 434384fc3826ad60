"""Local sign-in, lockout after repeated failures, sign-out and password reset."""

import re

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_verified_user_signs_in_and_lands_on_home(client):
    user = UserFactory(email="nurse@nhs.net")
    response = sign_in(client, "nurse@nhs.net", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert "Welcome to your patient safety home" in home.content.decode()
    assert f"Signed in as: {user.email}" in home.content.decode()


def test_email_is_case_insensitive_at_sign_in(client):
    UserFactory(email="nurse@nhs.net")
    assert sign_in(client, "Nurse@NHS.net", TEST_PASSWORD)["Location"] == reverse("home")


def test_a_wrong_password_shows_an_error_summary(client):
    UserFactory(email="nurse@nhs.net")
    response = sign_in(client, "nurse@nhs.net", "wrong")
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "The email address and/or password you specified are not correct." in content
    assert 'value="nurse@nhs.net"' in content  # what was typed is kept


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client):
    UserFactory(email="nurse@nhs.net")
    for _ in range(5):
        sign_in(client, "nurse@nhs.net", "wrong")
    response = sign_in(client, "nurse@nhs.net", TEST_PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_accounts_are_not_locked_out_by_someone_elses_failures(client):
    UserFactory(email="nurse@nhs.net")
    UserFactory(email="doctor@nhs.net")
    for _ in range(5):
        sign_in(client, "nurse@nhs.net", "wrong")
    assert sign_in(client, "doctor@nhs.net", TEST_PASSWORD)["Location"] == reverse("home")


def test_home_needs_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_out_is_a_post_and_returns_to_the_landing_page(client):
    UserFactory(email="nurse@nhs.net")
    sign_in(client, "nurse@nhs.net", TEST_PASSWORD)
    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("landing")
    assert client.get(reverse("home")).status_code == 302


def test_the_landing_page_sends_signed_in_users_home(client):
    UserFactory(email="nurse@nhs.net")
    assert b"Sign in to start" in client.get(reverse("landing")).content
    sign_in(client, "nurse@nhs.net", TEST_PASSWORD)
    assert client.get(reverse("landing"))["Location"] == reverse("home")


def test_password_reset_by_email(client, mailoutbox):
    UserFactory(email="nurse@nhs.net")
    response = client.post(reverse("account_reset_password"), {"email": "nurse@nhs.net"})
    assert response["Location"] == reverse("account_reset_password_done")
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    action = form_page.request["PATH_INFO"]
    weak = client.post(action, {"password1": "weakpass", "password2": "weakpass"})
    assert "at least 8 characters in length" in weak.content.decode()
    done = client.post(action, {"password1": "Brand-New-Pass9", "password2": "Brand-New-Pass9"})
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert sign_in(client, "nurse@nhs.net", "Brand-New-Pass9")["Location"] == reverse("home")


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@nhs.net"})
    assert response["Location"] == reverse("account_reset_password_done")
