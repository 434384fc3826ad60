"""Security headers on every response, the service's own error pages, and deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from lfpse import urls as project_urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_and_a_csp_without_inline_script(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_contain_no_inline_script(client):
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/accounts/register/"]:
        content = client.get(url).content.decode()
        for tag in content.split("<script")[1:]:
            assert "src=" in tag.split(">")[0], f"inline script on {url}"
        assert " style=" not in content, f"inline style on {url}"


def test_signed_in_pages_are_not_cached(client):
    client.force_login(UserFactory())
    assert client.get("/home/")["Cache-Control"] == "no-store"


def test_404_is_a_gov_uk_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-footer" in response.content.decode()


def boom(request):
    raise RuntimeError("a secret stack trace detail")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [
    *project_urls.urlpatterns,
    path("boom/", boom),
    path("forbidden/", forbidden),
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_shows_a_friendly_page_and_never_the_stack_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, there is a problem with the service" in content
    assert "secret stack trace" not in content and "Traceback" not in content


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_403_is_a_gov_uk_page(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "You do not have permission to view this page" in response.content.decode()


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    # The browser suite allows async-unsafe ORM calls in this process; the deploy check must not inherit it.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "lfpse.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x7Qp2Lm9" * 6,
        "ALLOWED_HOSTS": "lfpse.example.org",
        "FIELD_ENCRYPTION_KEYS": "NFLHQKVerqmRuqTypkpOxRjzuuGUBOt-BIZMV0d19LE=",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="lfpse.settings.production", DATABASE_URL="sqlite:///:memory:")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_every_response_says_how_long_the_server_took(client):
    header = client.get("/")["Server-Timing"]
    app, database = header.split(", ")
    assert app.startswith("app;dur=")
    assert float(app.split("=")[1]) >= 0
    assert database.startswith("db;dur=")


@pytest.mark.django_db
def test_server_timing_counts_the_database_statements_a_request_ran(client):
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        header = client.get("/")["Server-Timing"]
    assert len(context) > 0
    assert header.endswith(f'desc="{len(context)} queries"')
