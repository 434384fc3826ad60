"""Restoring a session's user: from the database, or from a row a view has already read; inactive
accounts and changed passwords end the session either way."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import session_user_adopt, session_user_id
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.EmailPasswordBackend",
    "accounts.oidc.OrganisationClaimOIDCBackend",
]


def signed_in_request(user, backend=BACKENDS[0]):
    """A request carrying the session a browser signed in as `user` would send."""
    client = Client()
    client.force_login(user, backend=backend)
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def test_session_user_id_reads_the_session_only():
    user = UserFactory()
    request = signed_in_request(user)
    with CaptureQueriesContext(connection) as queries:
        assert session_user_id(request) == user.pk
    assert len(queries) == 0


def test_nobody_signed_in_has_no_session_user_id(client):
    request = RequestFactory().get("/")
    request.session = client.session
    assert session_user_id(request) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_adopting_the_row_in_hand_signs_the_user_in_without_reading_them_again(backend):
    user = UserFactory()
    request = signed_in_request(user, backend)
    row = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        session_user_adopt(request, row)
    assert len(queries) == 0
    assert request.user is row
    assert request.user.is_authenticated


def test_a_row_that_is_not_the_sessions_user_is_ignored():
    user, someone_else = UserFactory(), UserFactory()
    request = signed_in_request(user)
    session_user_adopt(request, someone_else)
    assert request.user == user


def test_a_changed_password_ends_the_session_even_with_the_row_in_hand():
    user = UserFactory()
    request = signed_in_request(user)
    user.set_password("A-new-Passw0rd-here")
    user.save()
    session_user_adopt(request, user)
    assert isinstance(request.user, AnonymousUser)
    assert SESSION_KEY not in request.session


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deactivated_account_is_signed_out_on_its_next_request(backend):
    user = UserFactory()
    client = Client()
    client.force_login(user, backend=backend)
    assert client.get(reverse("home")).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deactivated_account_is_refused_with_the_row_in_hand():
    user = UserFactory()
    request = signed_in_request(user)
    user.is_active = False
    session_user_adopt(request, user)
    assert isinstance(request.user, AnonymousUser)
