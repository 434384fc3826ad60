"""What people and API clients see while a part of the service is down (docs/adr/0022).

The database outage is real: the test's connection is pointed at a port nothing listens on (never by
stopping the shared server), so every query fails the way it does when PostgreSQL restarts.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import override_settings

from events.models import Draft, Event
from lfpse.admission import ApiAdmissionMiddleware
from lfpse.cache import ResilientRedisCache
from tests.events.fhir.payloads import PATH, vendor_incident
from tests.events.test_services import ready_draft
from tests.factories import UserFactory

SORRY = "Sorry, there is a problem with the service"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="points the PostgreSQL connection at a closed port"
)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released again: nothing listens there


@contextlib.contextmanager
def database_down():
    """Every new connection to the default database is refused until the block ends."""
    original = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", closed_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = original


@pytest.fixture
def client():
    """A test client that answers like the server does instead of raising the request's error."""
    from django.test import Client

    return Client(raise_request_exception=False)


def assert_sorry_page(response) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert SORRY in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert "govuk-template" in body


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_pages_that_need_the_database_answer_503_with_the_sorry_page_then_recover(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/my-records/").status_code == 200
    with database_down():
        started = time.monotonic()
        assert_sorry_page(client.get("/my-records/"))
        assert_sorry_page(client.post("/record-anonymously/"))
        assert time.monotonic() - started < 10  # refused at once, not after a long time-out
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["down"][0] == "database"
    # Back without restarting anything: the dead connection is replaced before the next request.
    assert client.get("/my-records/").status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_draft_saved_before_the_outage_is_kept_and_can_be_continued(client):
    user = UserFactory()
    draft = ready_draft(user, Description="The first page's answer, saved before the outage")
    client.force_login(user)
    with database_down():
        response = client.post(f"/record/{draft.key}/description/", {"Description": "lost with the outage"})
        assert_sorry_page(response)
    kept = Draft.objects.get(pk=draft.pk)
    assert kept.answers["Description"] == "The first page's answer, saved before the outage"
    assert client.get(f"/record/{draft.key}/").status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_503_with_retry_after_and_an_operation_outcome_while_the_database_is_down(
    client, settings
):
    from events.fhir.clients import api_client_create
    from organisations.models import OrganisationKind
    from tests.factories import OrganisationFactory

    trust = OrganisationFactory(ods_code="RJ1", kind=OrganisationKind.NHS_TRUST)
    OrganisationFactory(ods_code="RJ121", kind=OrganisationKind.TRUST_SITE, parent=trust)
    admin = UserFactory(is_super_admin=True)
    _, key = api_client_create(name="LRMS", organisations=[trust], rate_limit=None, actor=admin)
    headers = {"HTTP_OCP_APIM_SUBSCRIPTION_KEY": key}
    body = json.dumps(vendor_incident())
    with database_down():
        response = client.post(PATH, body, content_type="application/fhir+json", **headers)
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "transient"
    assert Event.objects.count() == 0
    # The client sends it again after Retry-After: stored once.
    again = client.post(PATH, body, content_type="application/fhir+json", **headers)
    assert again.status_code == 201
    assert Event.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_api_submission_is_accepted_at_once_while_the_broker_is_down(client):
    """The revision stays pending (the sweep queues it later: tests/anonymisation/test_revision_redaction)."""
    from events.fhir.clients import api_client_create
    from events.models import EventRevision, RedactionStatus
    from lfpse.celery import app
    from organisations.models import OrganisationKind
    from tests.factories import OrganisationFactory

    trust = OrganisationFactory(ods_code="RJ1", kind=OrganisationKind.NHS_TRUST)
    OrganisationFactory(ods_code="RJ121", kind=OrganisationKind.TRUST_SITE, parent=trust)
    admin = UserFactory(is_super_admin=True)
    _, key = api_client_create(name="LRMS", organisations=[trust], rate_limit=None, actor=admin)

    original = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options)
    original_pools = app._pool, app.amqp._producer_pool
    app._pool = app.amqp._producer_pool = None
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 0.5}
    try:
        started = time.monotonic()
        response = client.post(
            PATH,
            json.dumps(vendor_incident()),
            content_type="application/fhir+json",
            HTTP_OCP_APIM_SUBSCRIPTION_KEY=key,
        )
        elapsed = time.monotonic() - started
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = original
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool, app.amqp._producer_pool = original_pools
    assert response.status_code == 201, response.content
    assert elapsed < 5, f"the submission waited {elapsed:.1f} s for the broker"
    revision = EventRevision.objects.get()
    assert revision.redaction_status == RedactionStatus.PENDING


def test_the_redis_cache_carries_on_without_redis():
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}}
    )
    started = time.monotonic()
    assert cache.get("session", "missing") == "missing"
    cache.set("session", "value")
    assert cache.add("counter", 0) is False
    assert cache.incr("counter") == 1  # rate limits fail open
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("session") is False
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_signed_in_pages_work_from_the_database_while_the_session_cache_is_down(client):
    unreachable = {
        "default": {
            "BACKEND": "lfpse.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    user = UserFactory()
    with override_settings(CACHES=unreachable, SESSION_ENGINE="lfpse.sessions"):
        client.force_login(user)
        response = client.get("/my-records/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_a_database_or_redis_failure_is_named_and_anything_else_is_not():
    from django.db import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError

    from lfpse.outage import failed_part

    assert failed_part(OperationalError("server closed the connection")) == "database"
    assert failed_part(RedisConnectionError("refused")) == "redis"
    try:
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError as cause:
            raise RuntimeError("while rendering") from cause
    except RuntimeError as error:
        assert failed_part(error) == "database"
    assert failed_part(ValueError("a bug")) is None
    assert failed_part(None) is None


def test_other_failures_stay_a_500_with_the_same_page(rf):
    from lfpse.views import server_error

    request = rf.get("/organisation/events/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert SORRY in response.content.decode()
    assert "Retry-After" not in response


@override_settings(FHIR_MAX_CONCURRENT_PER_PROCESS=2, FHIR_BUSY_RETRY_AFTER=3)
def test_a_full_api_answers_503_with_retry_after_at_once_and_staff_pages_still_get_through():
    from django.http import HttpResponse

    release, entered = threading.Event(), threading.Semaphore(0)

    def slow_view(request):
        entered.release()
        release.wait(10)
        return HttpResponse("done", status=201)

    middleware = ApiAdmissionMiddleware(slow_view)
    factory = RequestFactory()
    api = "/adverse-event/fhir/AdverseEvent"
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(middleware(factory.post(api)).status_code))]
    threads.append(threading.Thread(target=lambda: answers.append(middleware(factory.post(api)).status_code)))
    for thread in threads:
        thread.start()
    assert entered.acquire(timeout=5) and entered.acquire(timeout=5)  # both slots taken
    started = time.monotonic()
    busy = middleware(factory.post(api))
    assert time.monotonic() - started < 0.5
    assert busy.status_code == 503
    assert busy["Retry-After"] == "3"
    assert json.loads(busy.content)["issue"][0]["code"] == "transient"
    # Staff pages are not counted against the API's slots.
    staff = threading.Thread(target=lambda: answers.append(middleware(factory.get("/record/")).status_code))
    staff.start()
    assert entered.acquire(timeout=5)
    release.set()
    for thread in [*threads, staff]:
        thread.join(5)
    assert sorted(answers) == [201, 201, 201]
    assert middleware(factory.post(api)).status_code == 201  # slots given back
