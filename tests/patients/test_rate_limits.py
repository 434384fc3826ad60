"""Rate limits on the public form and the follow links, per IP address and per record."""

import pytest
from django.test import Client
from django.urls import reverse

from events.patients import ratelimit
from events.patients.models import PatientDraft

from .helpers import follow_token, send

pytestmark = pytest.mark.django_db


def test_the_form_refuses_an_address_that_saves_too_many_pages(settings, places):
    settings.PATIENT_RATE_LIMITS = {"form_page_ip": (3, 600)}
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.post(reverse("patients:start")).status_code == 302
    response = client.post(reverse("patients:start"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Please wait before trying again" in response.content.decode()
    assert PatientDraft.objects.count() == 3
    assert Client(REMOTE_ADDR="203.0.113.8").post(reverse("patients:start")).status_code == 302


def test_sending_reports_is_limited_per_address(settings, places):
    settings.PATIENT_RATE_LIMITS = {"submit_ip": (1, 3600)}
    client = Client(REMOTE_ADDR="203.0.113.9")
    send(client)
    from .helpers import walk

    response = client.post(walk(client))
    assert response.status_code == 429
    assert PatientDraft.objects.count() == 1  # the second report's answers are kept, not lost


def test_guessing_follow_links_locks_the_address_out(settings, places):
    settings.PATIENT_RATE_LIMITS = {"follow_bad_ip": (3, 3600)}
    reporter = Client(REMOTE_ADDR="198.51.100.1")
    send(reporter)
    token = follow_token(reporter)
    guesser = Client(REMOTE_ADDR="198.51.100.2")
    for attempt in range(3):
        assert guesser.get(reverse("patients:follow", args=[f"guess{attempt}"])).status_code == 404
    assert guesser.get(reverse("patients:follow", args=["guess-again"])).status_code == 429
    # Even the right token is refused to that address for now; the reporter's own address is not.
    assert guesser.get(reverse("patients:follow", args=[token])).status_code == 429
    assert reporter.get(reverse("patients:follow", args=[token])).status_code == 200


def test_follow_pages_are_limited_per_address_and_per_record(settings, places):
    settings.PATIENT_RATE_LIMITS = {"follow_ip": (2, 600), "follow_reference": (3, 600)}
    reporter = Client(REMOTE_ADDR="192.0.2.1")
    send(reporter)
    url = reverse("patients:follow", args=[follow_token(reporter)])
    assert [reporter.get(url).status_code for _ in range(3)] == [200, 200, 429]  # per address
    other = Client(REMOTE_ADDR="192.0.2.2")
    assert [other.get(url).status_code for _ in range(2)] == [200, 429]  # the record's third and fourth


def test_adding_information_is_limited_per_record(settings, places):
    settings.PATIENT_RATE_LIMITS = {"add_reference": (1, 86400)}
    reporter = Client(REMOTE_ADDR="192.0.2.3")
    event = send(reporter)
    url = reverse("patients:follow", args=[follow_token(reporter)])
    assert reporter.post(url, {"form": "information", "information": "One more thing."}).status_code == 302
    assert reporter.post(url, {"form": "information", "information": "And another."}).status_code == 429
    assert event.revisions.count() == 2


def test_counts_are_kept_in_the_cache_without_the_address_itself():
    from django.core.cache import cache

    ratelimit.hit("follow_ip", "203.0.113.50", now=1000.0)
    keys = getattr(cache, "_cache", {}).keys()
    assert keys and not any("203.0.113.50" in str(key) for key in keys)


def test_asking_for_emails_is_limited_per_record_so_the_service_cannot_be_used_to_send_mail(settings, places):
    from django.core import mail
    from django.test import TestCase

    from events.patients.models import FollowLink

    settings.PATIENT_RATE_LIMITS = {"add_reference": (2, 86400)}
    reporter = Client(REMOTE_ADDR="192.0.2.4")
    send(reporter)
    url = reverse("patients:follow", args=[follow_token(reporter)])
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert reporter.post(reverse("patients:sent"), {"email": "a@example.org"}).status_code == 302
        assert reporter.post(url, {"form": "email", "email": "b@example.org"}).status_code == 302
        assert reporter.post(url, {"form": "email", "email": "victim@example.org"}).status_code == 429
        assert reporter.post(reverse("patients:sent"), {"email": "victim@example.org"}).status_code == 429
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    assert FollowLink.objects.get().email == "b@example.org"
