"""Sessions when the Redis cache goes away and comes back (docs/adr/0022, amended: the lost draft).

A private redis-server with an append-only file, as the load stack and docker-compose run it, is
stopped and started again for real, so it comes back with what it held before it stopped; the shared
Redis is never touched. Requests go through the whole stack with the production session engine.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.contrib.sessions.models import Session
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from organisations.models import OrganisationKind
from tests.events.test_recording_views import (
    INCIDENT,
    draft_with,
    question_url,
    start,
    start_anonymously,
    task_list_url,
)
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server to restart"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, stopped with SIGTERM (it writes its append-only file) and
    started again on the same port and directory, as the load run's redis-restart fault does."""

    def __init__(self, directory):
        self.directory, self.port, self.process = directory, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_timeout=1).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=1)


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    caches = {
        "default": {
            "BACKEND": "lfpse.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=caches, SESSION_ENGINE="lfpse.sessions"):
        yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def recorder():
    user = UserFactory(email="rita.recorder@nhs.net")
    trust = OrganisationFactory(ods_code="RVB", kind=OrganisationKind.NHS_TRUST)
    MembershipFactory(user=user, organisation=trust)
    return user


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_an_anonymous_draft_started_while_redis_was_down_is_found_after_it_comes_back(private_redis, client):
    """The full load run's lost draft: the session was written to the database while Redis was down,
    and Redis came back from its append-only file with the session as it was before."""
    first = start_anonymously(client)  # the session is cached with one draft's key
    assert client.get(question_url(first, "EventType")).status_code == 200
    private_redis.stop()
    second = start_anonymously(client)  # saved to the database; the cache could not be written
    assert client.get(question_url(second, "EventType")).status_code == 200  # read from the database
    private_redis.start()  # back with the copy from before the outage
    for key in (first, second):
        assert client.get(question_url(key, "EventType")).status_code == 200, key


def test_an_anonymous_draft_survives_the_loss_of_the_cached_session(private_redis, client):
    key = start_anonymously(client)
    private_redis.client().flushall()  # the cache lost every entry (a restart without its file)
    assert client.get(question_url(key, "EventType")).status_code == 200


def test_a_session_written_while_redis_is_down_is_not_saved_empty(private_redis, client):
    key = start_anonymously(client)
    private_redis.stop()
    assert client.get(question_url(key, "EventType")).status_code == 200
    second = start_anonymously(client)
    (row,) = Session.objects.all()
    assert set(row.get_decoded()["anonymous_drafts"]) == {key, second}
    private_redis.start()


def test_a_signed_in_recorder_whose_session_ended_is_sent_to_sign_in_and_back_to_the_draft(
    private_redis, client, recorder
):
    client.force_login(recorder)
    key = start(client)
    Session.objects.all().delete()  # the session ended (expired, or lost with the cache and the database)
    private_redis.client().flushall()
    url = task_list_url(key)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"
    signed_in = client.post(response.url, {"login": recorder.email, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302 and signed_in.url == url
    assert client.get(url).status_code in (200, 302)


def test_a_stranger_signed_out_is_sent_to_sign_in_and_still_not_shown_the_draft(
    private_redis, client, recorder
):
    draft = draft_with(recorder, dict(INCIDENT))
    url = task_list_url(draft.key)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_session_write_redis_acknowledged_and_then_lost_is_not_read_back(private_redis, client):
    """A restart after a crash loses up to the last second of the append-only file: the cache then
    holds an older copy although its write was acknowledged."""
    first = start_anonymously(client)
    redis_client = private_redis.client()
    (cached_key,) = redis_client.keys("*sessions*")
    before = redis_client.get(cached_key)
    second = start_anonymously(client)
    assert redis_client.get(cached_key) != before
    redis_client.set(cached_key, before)  # the copy from before the lost second
    for key in (first, second):
        assert client.get(question_url(key, "EventType")).status_code == 200, key


def session_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and q["sql"].startswith("SELECT")]


def test_the_cache_still_serves_the_latest_copy_without_the_database(private_redis, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lfpse.sessions import STAMP_COOKIE

    key = start_anonymously(client)
    assert client.cookies[STAMP_COOKIE].value
    with CaptureQueriesContext(connection) as queries:
        assert client.get(question_url(key, "EventType")).status_code == 200
    assert session_reads(queries) == []
    stamp = client.cookies.pop(STAMP_COOKIE).value  # a browser without the stamp is given it back
    response = client.get(question_url(key, "EventType"))
    assert response.status_code == 200
    assert response.cookies[STAMP_COOKIE].value == stamp
    client.cookies[STAMP_COOKIE] = "an-older-copy"  # a stamp the cache does not hold: the database's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(question_url(key, "EventType"))
    assert response.status_code == 200
    assert len(session_reads(queries)) == 1
    assert response.cookies[STAMP_COOKIE].value == stamp
    with CaptureQueriesContext(connection) as queries:
        assert client.get(question_url(key, "EventType")).status_code == 200
    assert session_reads(queries) == []


def test_signing_out_removes_the_stamp_with_the_session(private_redis, client, recorder):
    from lfpse.sessions import STAMP_COOKIE

    client.post(reverse("account_login"), {"login": recorder.email, "password": TEST_PASSWORD})
    assert client.cookies[STAMP_COOKIE].value
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 0
    assert response.cookies[STAMP_COOKIE]["max-age"] == 0
    assert response.cookies[STAMP_COOKIE].value == ""


def test_a_form_sent_after_the_session_ended_leads_to_sign_in_and_the_drafts_task_list(
    private_redis, client, recorder
):
    client.force_login(recorder)
    key = start(client)
    client.logout()
    response = client.post(question_url(key, "EventType"), {"EventType": "1"})
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={task_list_url(key)}"


def test_a_session_signed_out_while_redis_was_down_is_not_served_from_its_copy_afterwards(
    private_redis, client, recorder
):
    """Signing out while Redis is away deletes the database row but cannot delete the cached copy;
    Redis then comes back from its append-only file with that copy. Whoever still holds the old
    cookies (a shared computer's browser, a copied cookie) must not be signed in by it."""
    client.post(reverse("account_login"), {"login": recorder.email, "password": TEST_PASSWORD})
    my_records = reverse("events:my_records")
    assert client.get(my_records).status_code == 200
    old_cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    private_redis.stop()
    assert client.post(reverse("account_logout")).status_code == 302
    assert not Session.objects.exists()
    private_redis.start()  # back with the signed-in copy
    assert private_redis.client().keys("*sessions*")
    holder = Client(raise_request_exception=False)
    for name, value in old_cookies.items():
        holder.cookies[name] = value
    response = holder.get(my_records)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not private_redis.client().keys("*sessions*")  # the stale copy is gone too


def test_signing_out_while_redis_is_down_ends_the_users_other_sessions_too(private_redis, client, recorder):
    """The price of the above: the copy cannot be told apart from the user's other sessions without a
    read on every request, so they end too (the user signs in again there); a sign-out with Redis up
    ends only its own session, and a signed-in page still costs no read of the session's row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    elsewhere = Client(raise_request_exception=False)
    for browser in (client, elsewhere):
        browser.post(reverse("account_login"), {"login": recorder.email, "password": TEST_PASSWORD})
    my_records = reverse("events:my_records")
    with CaptureQueriesContext(connection) as queries:
        assert elsewhere.get(my_records).status_code == 200
    assert session_reads(queries) == []
    third = Client(raise_request_exception=False)
    third.post(reverse("account_login"), {"login": recorder.email, "password": TEST_PASSWORD})
    third.post(reverse("account_logout"))  # Redis up: only that session ends
    assert elsewhere.get(my_records).status_code == 200
    private_redis.stop()
    client.post(reverse("account_logout"))
    private_redis.start()
    response = elsewhere.get(my_records)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    again = Client(raise_request_exception=False)
    again.post(reverse("account_login"), {"login": recorder.email, "password": TEST_PASSWORD})
    assert again.get(my_records).status_code == 200
