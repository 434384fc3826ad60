"""GET /healthz reports the database, the broker and the workers."""

import pytest
from django.db import connection
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db


def test_healthy_in_process_mode_when_tasks_run_eagerly(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["checks"]["broker"]["mode"] == "in-process"
    assert response["Cache-Control"].startswith("max-age=0")


def test_unhealthy_when_the_broker_cannot_be_reached(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from lfpse.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["workers"] == {"ok": False, "count": 0}


def test_unhealthy_when_the_database_fails(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from lfpse import health

    def broken_cursor():
        raise health.DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "DatabaseError"}


def test_only_get_is_allowed(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.worker
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthy_with_the_real_redis_and_a_running_worker(client, celery_worker):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["broker"] == {"ok": True, "mode": "redis"}
    assert body["checks"]["workers"]["ok"] is True
    assert body["checks"]["workers"]["count"] >= 1


@pytest.mark.worker
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_unhealthy_when_no_worker_answers(client, celery_worker):
    celery_worker.stop()
    try:
        response = client.get("/healthz")
    finally:
        celery_worker.start()
    assert response.status_code == 503
    assert response.json()["checks"]["workers"] == {"ok": False, "count": 0}
