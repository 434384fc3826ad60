"""A real OpenID Connect provider (npm `oidc-provider`) for end-to-end sign-in tests.

- server.mjs: the provider itself (Node).
- fixtures.py: starts it (``run_oidc_provider``) and the pytest fixtures ``oidc_provider`` and
  ``oidc_settings``; load them with ``pytest_plugins = ["tests.oidc_provider.fixtures"]``.
- this module: the default accounts, the provider handle and ``sign_in_with_requests``, which
  drives the authorization code flow without a browser. Import these from ``tests.oidc_provider``
  (not from the fixtures module, which pytest loads as a plugin).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

SERVER_SCRIPT = Path(__file__).resolve().with_name("server.mjs")
REPO_ROOT = Path(__file__).resolve().parents[2]
CALLBACK_PATH = "/oidc/callback/"
DEFAULT_CLIENT_ID = "lfpse-test"
# The development login accepts any password.
DEV_LOGIN_PASSWORD = "any password"

# The default accounts claim these ODS codes; tests create the organisation they need.
TEST_ODS_CODE = "RXOIDC"
UNKNOWN_ODS_CODE = "ZZ9NONE"

DEFAULT_ACCOUNTS: tuple[dict, ...] = (
    {
        # Mixed case on purpose: the service stores email addresses lower-cased.
        "sub": "nhs-member",
        "email": "Alex.Morgan@NHS.net",
        "email_verified": True,
        "given_name": "Alex",
        "family_name": "Morgan",
        "ods_code": TEST_ODS_CODE,
    },
    {
        "sub": "partner-member",
        "email": "jo.bloggs@partner.example.org",
        "email_verified": True,
        "given_name": "Jo",
        "family_name": "Bloggs",
        "ods_code": TEST_ODS_CODE,
    },
    {
        "sub": "unknown-organisation",
        "email": "casey.lee@nhs.net",
        "email_verified": True,
        "given_name": "Casey",
        "family_name": "Lee",
        "ods_code": UNKNOWN_ODS_CODE,
    },
    {
        "sub": "no-organisation",
        "email": "sam.patel@nhs.net",
        "email_verified": True,
        "given_name": "Sam",
        "family_name": "Patel",
    },
    {
        "sub": "unverified",
        "email": "pat.unverified@nhs.net",
        "email_verified": False,
        "given_name": "Pat",
        "family_name": "Quinn",
        "ods_code": TEST_ODS_CODE,
    },
    {
        "sub": "browser-user",
        "email": "robin.hughes@nhs.net",
        "email_verified": True,
        "given_name": "Robin",
        "family_name": "Hughes",
        "ods_code": TEST_ODS_CODE,
    },
)


@dataclass(frozen=True)
class OIDCTestProvider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    accounts: tuple[dict, ...]
    configuration: dict  # the provider's /.well-known/openid-configuration

    def account(self, sub: str) -> dict:
        for account in self.accounts:
            if account["sub"] == sub:
                return account
        raise KeyError(f"the test provider has no account {sub!r}")

    def django_settings(self) -> dict[str, object]:
        """The Django settings that make mozilla-django-oidc use this provider."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.configuration["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.configuration["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.configuration["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.configuration["jwks_uri"],
            "OIDC_VERIFY_SSL": True,
        }


# Driving the flow without a browser -----------------------------------------------------------------


@dataclass
class _Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(_Form(attributes.get("action", ""), attributes.get("method", "get").lower()))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1].fields[attributes["name"]] = attributes.get("value", "")


def provider_prompt_form(html: str) -> _Form | None:
    """The development login or consent form on a provider page, if the page is one."""
    parser = _FormParser()
    parser.feed(html)
    return next((form for form in parser.forms if "prompt" in form.fields), None)


@dataclass
class SignInJourney:
    response: requests.Response  # the last page reached
    urls: list[str]  # every URL requested, redirects included, in order
    prompts: list[str]  # the provider interactions answered ("login", "consent")


def sign_in_with_requests(
    http: requests.Session,
    start_url: str,
    *,
    login: str,
    password: str = DEV_LOGIN_PASSWORD,
    max_steps: int = 10,
) -> SignInJourney:
    """Follow the authorization code flow from start_url (normally Django's /oidc/authenticate/).

    Answers the provider's development login form (login = the account's sub, any password) and
    its consent form, and follows every redirect back to Django.
    """
    urls: list[str] = []
    prompts: list[str] = []

    def record(response: requests.Response) -> requests.Response:
        urls.extend(r.url for r in response.history)
        urls.append(response.url)
        return response

    response = record(http.get(start_url, timeout=30))
    for _ in range(max_steps):
        form = (
            provider_prompt_form(response.text)
            if "html" in response.headers.get("content-type", "")
            else None
        )
        if form is None:
            return SignInJourney(response=response, urls=urls, prompts=prompts)
        data = dict(form.fields)
        if data["prompt"] == "login":
            data.update(login=login, password=password)
        prompts.append(data["prompt"])
        response = record(http.post(urljoin(response.url, form.action), data=data, timeout=30))
    raise AssertionError(f"The sign-in did not finish within {max_steps} provider pages: {urls}")
