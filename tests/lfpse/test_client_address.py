"""Rate limits behind reverse proxies: the client's address is the X-Forwarded-For entry written by the
outermost trusted proxy (`TRUSTED_PROXY_HOPS`); entries a client writes itself are ignored."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from lfpse.client_address import client_address


def _request(remote="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, None, "10.0.0.2"),
        (0, "203.0.113.5", "10.0.0.2"),  # no trusted proxy: the header is anybody's
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # spoofed left-most entry ignored
        (1, "6.6.6.6,203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),  # two proxies: the outer one's entry
        (2, "203.0.113.5", "10.0.0.2"),  # fewer entries than proxies: not through them all
        (1, None, "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "6.6.6.6, not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Proxies that write the client's port: the address without it.
        (1, "203.0.113.5:4711", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5:4711", "203.0.113.5"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "[2001:db8::1]", "2001:db8::1"),
        (1, "2001:db8::1:443", "2001:db8::1:443"),  # a bare IPv6 address: its last group is no port
        (1, "203.0.113.5:port", "10.0.0.2"),
        (1, "[2001:db8::1]:x", "10.0.0.2"),
        (1, "[not-an-address]:443", "10.0.0.2"),
    ],
)
def test_the_client_address(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    assert client_address(_request(forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("unknown", "unknown"),
    ],
)
def test_rate_limits_key_an_ipv6_client_by_its_64(address, key):
    from lfpse.client_address import rate_limit_address

    assert rate_limit_address(address) == key


def test_the_default_is_the_connections_address():
    from django.conf import settings

    assert settings.TRUSTED_PROXY_HOPS == 0


def _behind_proxy(forwarded: str) -> Client:
    """A browser behind one proxy at 10.0.0.2, which appended the address it saw."""
    return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_the_patient_form_limit_keys_on_the_visitor_not_the_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.PATIENT_RATE_LIMITS = {"form_page_ip": (2, 600)}
    visitor = _behind_proxy("203.0.113.7")
    assert [visitor.post(reverse("patients:start")).status_code for _ in range(3)] == [302, 302, 429]
    # Another visitor through the same proxy has limits of their own.
    assert _behind_proxy("203.0.113.8").post(reverse("patients:start")).status_code == 302
    # Writing a different address in front of one's own changes nothing.
    spoofer = _behind_proxy("198.51.100.99, 203.0.113.7")
    assert spoofer.post(reverse("patients:start")).status_code == 429


@pytest.mark.django_db
def test_visitors_behind_a_proxy_that_writes_ports_have_limits_of_their_own(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.PATIENT_RATE_LIMITS = {"form_page_ip": (1, 600)}
    assert _behind_proxy("203.0.113.7:4711").post(reverse("patients:start")).status_code == 302
    assert _behind_proxy("203.0.113.7:5000").post(reverse("patients:start")).status_code == 429
    assert _behind_proxy("203.0.113.8:4711").post(reverse("patients:start")).status_code == 302
    assert _behind_proxy("[2001:db8:0:1::5]:443").post(reverse("patients:start")).status_code == 302


@pytest.mark.django_db
def test_an_ipv6_visitor_rotating_within_its_64_shares_one_limit(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.PATIENT_RATE_LIMITS = {"form_page_ip": (2, 600)}
    inside = ["2001:db8:0:1::5", "2001:db8:0:1::6", "[2001:db8:0:1:ffff::7]:443"]
    assert [_behind_proxy(address).post(reverse("patients:start")).status_code for address in inside] == [
        302,
        302,
        429,
    ]
    assert _behind_proxy("2001:db8:0:2::5").post(reverse("patients:start")).status_code == 302  # next /64
    # What is logged and what allauth is given stays the full address.
    assert client_address(_request(forwarded="2001:db8:0:1::5")) == "2001:db8:0:1::5"


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(settings):
    settings.PATIENT_RATE_LIMITS = {"form_page_ip": (1, 600)}
    assert _behind_proxy("203.0.113.1").post(reverse("patients:start")).status_code == 302
    assert _behind_proxy("203.0.113.2").post(reverse("patients:start")).status_code == 429


def test_sign_in_limits_use_the_same_address(settings):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_HOPS = 1
    assert get_adapter().get_client_ip(_request(forwarded="6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    assert get_adapter().get_client_ip(_request(forwarded="6.6.6.6, 203.0.113.5:4711")) == "203.0.113.5"
    settings.TRUSTED_PROXY_HOPS = 0
    assert get_adapter().get_client_ip(_request(forwarded="6.6.6.6, 203.0.113.5")) == "10.0.0.2"


@pytest.mark.django_db
def test_failed_sign_ins_are_counted_per_visitor_behind_the_proxy(settings, user_factory):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/m/ip"}
    user_factory(email="someone@nhs.net")
    wrong = {"login": "someone@nhs.net", "password": "not the password"}
    too_many = "Too many failed login attempts"

    def refused(client) -> bool:
        return too_many in client.post(reverse("account_login"), wrong).content.decode()

    guesser = _behind_proxy("203.0.113.66")
    assert [refused(guesser) for _ in range(3)] == [False, False, True]
    assert refused(_behind_proxy("192.0.2.1, 203.0.113.66"))  # a forged entry in front changes nothing
    assert not refused(_behind_proxy("203.0.113.67"))  # another visitor behind the same proxy
