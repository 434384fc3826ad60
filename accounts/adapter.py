"""django-allauth's account adapter, so its sign-in rate limits take the client's address the way
every other limit does (lfpse/client_address.py: `TRUSTED_PROXY_HOPS`)."""

from allauth.account.adapter import DefaultAccountAdapter

from lfpse.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_address(request)
