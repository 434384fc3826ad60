"""Authentication backends, and signing a request's user in from a row a view has already read.

A question page reads the recorder's draft; joining the draft's owner into that one query and handing
the row to `session_user_adopt` saves the separate read of the user that every signed-in request
otherwise makes. The user is still checked exactly as Django checks it (`django.contrib.auth.get_user`:
the session's backend must be configured, the backend must accept the user, the session's hash must
match the user's password), because that very function runs; only the backend's database read is
replaced by the row in hand (docs/adr/0011).

Every backend here also refuses inactive users when it restores a session, so a deactivated account is
signed out on its next request whichever way it signed in.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from allauth.account.auth_backends import AuthenticationBackend as AllauthAuthenticationBackend
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

_loaded_user: ContextVar = ContextVar("loaded_user", default=None)


class LoadedUserMixin:
    """Restores a session's user from the row in hand when there is one, else from the database."""

    def get_user(self, user_id):
        user = _loaded_user.get()
        if user is None or user.pk != user_id:
            user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class ModelBackend(LoadedUserMixin, DjangoModelBackend):
    """Email and password, as the Django admin signs in."""


class EmailPasswordBackend(LoadedUserMixin, AllauthAuthenticationBackend):
    """Email and password through allauth's sign-in pages (lockout, verified addresses)."""


def session_user_id(request: HttpRequest):
    """The id of the user the session says is signed in, without reading the user; None if nobody."""
    try:
        return auth.get_user_model()._meta.pk.to_python(request.session[auth.SESSION_KEY])
    except (KeyError, ValidationError):
        return None


@contextmanager
def _user_in_hand(user):
    token = _loaded_user.set(user)
    try:
        yield
    finally:
        _loaded_user.reset(token)


def session_user_adopt(request: HttpRequest, user) -> None:
    """Sets request.user from `user` (a row just read), verified as Django verifies a session's user.

    If the session does not belong to `user` (another user, a changed password, an inactive account)
    request.user ends up as Django would make it: the session's own user, or anonymous.
    """
    with _user_in_hand(user):
        request.user = auth.get_user(request)
