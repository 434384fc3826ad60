"""Access emails: plain text and HTML, absolute links, escaping, the SMTP or console backend by setting."""

import re

import pytest
from django.test import override_settings

from accounts.access import access_request_approve, access_request_create, access_request_reject
from accounts.models import RequestedAccess
from tests.accounts.test_access_support import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return run


def html_of(message) -> str:
    (content, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return content


def test_the_request_email_links_to_the_decision_page(world, committed, mailoutbox):
    request = committed(
        access_request_create,
        actor=world.jo,
        organisation=world.t1,
        account_type=RequestedAccess.ORGANISATIONAL,
        site_url="https://record.example.nhs.uk/",
    )
    message = mailoutbox[0]
    assert message.subject == (
        "[Record patient safety events] Access request from Jo Bloggs: organisational access"
    )
    link = f"https://record.example.nhs.uk/access/requests/{request.pk}/"
    assert link in message.body
    assert f'href="{link}"' in html_of(message)
    assert "Dear Abe Admin" in message.body or "Dear Ada Admin" in message.body
    assert (
        "Jo Bloggs (jo.bloggs@nhs.net) has asked for organisational access to Leeds Teaching Hospitals (T1)"
        in (message.body)
    )


def test_site_url_setting_wins_over_the_requests_host(world, committed, mailoutbox, settings):
    settings.SITE_URL = "https://lfpse.example.org"
    committed(
        access_request_create,
        actor=world.jo,
        organisation=world.t1,
        account_type=RequestedAccess.ADMIN,
        site_url="http://evil.example.com/",
    )
    assert re.search(r"https://lfpse\.example\.org/access/requests/\d+/", mailoutbox[0].body)
    assert "evil" not in mailoutbox[0].body


def test_names_are_escaped_in_html_and_plain_in_text(world, committed, mailoutbox):
    world.jo.first_name, world.jo.last_name = "<b>Jo</b>", "O'Brien & Co"
    world.jo.save()
    request = committed(
        access_request_create,
        actor=world.jo,
        organisation=world.t1,
        account_type=RequestedAccess.ORGANISATIONAL,
    )
    html = html_of(mailoutbox[0])
    assert "<b>Jo</b>" not in html and "&lt;b&gt;Jo&lt;/b&gt;" in html
    assert "<b>Jo</b> O'Brien & Co" in mailoutbox[0].body

    mailoutbox.clear()
    committed(access_request_reject, request, actor=world.ada, reason="<script>alert(1)</script>")
    assert "<script>" not in html_of(mailoutbox[0])
    assert "Reason: <script>alert(1)</script>" in mailoutbox[0].body


def test_the_decision_email_goes_to_the_requester(world, committed, mailoutbox):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=RequestedAccess.ADMIN)
    committed(access_request_approve, request, actor=world.abe)
    (message,) = mailoutbox
    assert message.to == ["jo.bloggs@nhs.net"]
    assert message.subject.endswith("Your request for admin access has been approved")
    assert "approved by Abe Admin" in message.body and "approved by Abe Admin" in html_of(message)


@pytest.mark.parametrize(
    "backend",
    ["django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.smtp.EmailBackend"],
)
def test_the_backend_is_a_setting(world, committed, backend, capsys, monkeypatch):
    sent = []
    if backend.endswith("smtp.EmailBackend"):
        monkeypatch.setattr(
            "django.core.mail.backends.smtp.EmailBackend.send_messages",
            lambda self, messages: sent.extend(messages) or len(messages),
        )
    with override_settings(EMAIL_BACKEND=backend):
        committed(
            access_request_create, actor=world.jo, organisation=world.t1, account_type=RequestedAccess.ADMIN
        )
    if sent:
        assert sorted(m.to[0] for m in sent) == ["abe.admin@nhs.net", "ada.admin@nhs.net"]
    else:
        assert "Access request from Jo Bloggs" in capsys.readouterr().out


def test_a_failing_mail_server_does_not_undo_the_request(world, committed, monkeypatch, caplog):
    def refuse(self, messages):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    request = committed(
        access_request_create, actor=world.jo, organisation=world.t1, account_type=RequestedAccess.ADMIN
    )
    request.refresh_from_db()
    assert request.is_pending
    assert "no mail server" in caplog.text
