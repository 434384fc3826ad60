"""Sign-in through NHS England Applications (OpenID Connect).

mozilla-django-oidc runs the authorization code flow (with PKCE) and hands this backend the claims
from the provider's userinfo endpoint. The first sign-in creates the user; later sign-ins find the
user by email address. When the identity provider sends an organisation claim (an ODS code, claim
name from settings.OIDC_ORGANISATION_CLAIM), the user joins that organisation exactly as if they
had chosen it at registration (nhs.net addresses at once, others awaiting approval).

Users whose email address the provider has not verified (email_verified false) are refused. Users
created here have no usable password; they get a verified allauth EmailAddress when the provider
vouches for the address, so allauth's pages treat them like any confirmed local account.
"""

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from organisations.selectors import organisation_by_code

from .access_selectors import organisation_removed_by_user
from .backends import LoadedUserMixin
from .services import audit_log_write, user_join_organisation

logger = logging.getLogger(__name__)

UNVERIFIED_EMAIL_MESSAGE = (
    "We could not sign you in with your NHS England Applications account because its email address "
    "has not been verified. Verify your email address with NHS England Applications and try again, "
    "or sign in with your email address and password."
)
NO_EMAIL_MESSAGE = (
    "We could not sign you in with your NHS England Applications account because it did not share an "
    "email address with this service. Contact the helpdesk if this keeps happening."
)


def _claim_email(claims) -> str:
    return str(claims.get("email") or "").strip().lower()


def _email_verified(claims) -> bool | None:
    """True or False when the provider says; None when it sends no email_verified claim."""
    value = claims.get("email_verified")
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _organisation_codes(claims) -> list[str]:
    value = claims.get(getattr(settings, "OIDC_ORGANISATION_CLAIM", "ods_code"))
    if not value:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(code).strip() for code in values if str(code).strip()]


class OrganisationClaimOIDCBackend(LoadedUserMixin, OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = _claim_email(claims)
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def verify_claims(self, claims) -> bool:
        request = getattr(self, "request", None)
        if not _claim_email(claims):
            logger.warning(
                "OIDC sign-in refused: the provider sent no email claim (sub=%s)", claims.get("sub")
            )
            self._tell_user(request, NO_EMAIL_MESSAGE)
            return False
        if _email_verified(claims) is False:
            logger.warning(
                "OIDC sign-in refused: email not verified by the provider (sub=%s)", claims.get("sub")
            )
            self._tell_user(request, UNVERIFIED_EMAIL_MESSAGE)
            return False
        return True

    def create_user(self, claims):
        email = _claim_email(claims)
        try:
            with transaction.atomic():
                user = self.UserModel.objects.create_user(
                    email=email,
                    password=None,  # no usable password: they sign in through the provider
                    first_name=str(claims.get("given_name") or "").strip()[:150],
                    last_name=str(claims.get("family_name") or "").strip()[:150],
                )
                audit_log_write(actor=user, action="user_registered", subject=user, method="oidc")
                self._record_email_address(user, claims)
                self._honour_organisation_claim(user, claims)
        except IntegrityError:
            # Two first sign-ins raced; the other one created the user.
            user = self.UserModel.objects.filter(email__iexact=email).first()
            if user is None:
                raise
            return self.update_user(user, claims)
        logger.info("OIDC sign-in created user %s", user.pk)
        return user

    def update_user(self, user, claims):
        with transaction.atomic():
            changed = []
            for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
                value = str(claims.get(claim) or "").strip()[:150]
                if value and not getattr(user, field):
                    setattr(user, field, value)
                    changed.append(field)
            if changed:
                user.save(update_fields=changed)
            self._record_email_address(user, claims)
            self._honour_organisation_claim(user, claims)
        return user

    def _record_email_address(self, user, claims) -> None:
        """Give allauth a primary EmailAddress for the user, verified when the provider vouches.

        allauth treats a user without a verified EmailAddress as unconfirmed (its
        verified_email_required pages resend a confirmation email instead of opening, and a local
        password sign-in would be held at "verify your email"), so an OIDC user needs one.
        """
        verified = _email_verified(claims) is True
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address is None:
            has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
            EmailAddress.objects.create(
                user=user, email=user.email, verified=verified, primary=not has_primary
            )
            return
        if verified and not address.verified:
            # Someone registered this address locally but never confirmed it. The provider has now
            # proved who owns it; a password chosen before that proof may not be theirs (account
            # pre-hijacking), so it stops working and the owner can set one by password reset.
            address.verified = True
            address.save(update_fields=["verified"])
            if user.has_usable_password():
                user.set_unusable_password()
                user.save(update_fields=["password"])
                logger.warning(
                    "OIDC sign-in confirmed user %s's email; their unconfirmed password was cleared", user.pk
                )
            audit_log_write(actor=user, action="email_verified", subject=user, method="oidc")

    def _honour_organisation_claim(self, user, claims) -> None:
        for code in _organisation_codes(claims):
            organisation = organisation_by_code(code)
            if organisation is None:
                logger.warning(
                    "OIDC organisation claim names an unknown ODS code %r (user %s); ignored", code, user.pk
                )
                continue
            if organisation_removed_by_user(user, organisation):
                continue  # they took it off their profile: signing in again must not put it back
            user_join_organisation(user=user, organisation=organisation, actor=user)

    @staticmethod
    def _tell_user(request, message: str) -> None:
        if request is not None:
            messages.error(request, message, fail_silently=True)
