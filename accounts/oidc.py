"""Sign-in through NHS England Applications (OpenID Connect).

The first sign-in creates the user. When the identity provider sends an organisation claim (an ODS
code), the user joins that organisation exactly as if they had chosen it at registration.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from organisations.selectors import organisation_by_code

from .services import user_join_organisation


class OrganisationClaimOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            email=claims["email"].strip().lower(),
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
        )
        self._honour_organisation_claim(user, claims)
        return user

    def update_user(self, user, claims):
        self._honour_organisation_claim(user, claims)
        return user

    def _honour_organisation_claim(self, user, claims) -> None:
        code = claims.get(settings.OIDC_ORGANISATION_CLAIM)
        if not code:
            return
        organisation = organisation_by_code(str(code))
        if organisation is not None:
            user_join_organisation(user=user, organisation=organisation, actor=user)
