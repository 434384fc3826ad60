"""The super admins' redaction QA screen: who may open it, the audit of raw text, and corrections."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from anonymisation.models import RawTextAccess
from events.models import EventRevision, RedactionCorrection, RedactionRun
from events.redaction import revision_redact
from events.services import event_submit
from tests.events.test_services import ready_draft
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Sister Aoife Brennan gave the dose. The patient has Down syndrome and Lesch-Nyhan syndrome."


@pytest.fixture
def revision(db):
    OrganisationFactory(ods_code="RJ1", name="Guy's and St Thomas'")  # where the complete answers say
    recorder = UserFactory()
    revision = event_submit(draft=ready_draft(recorder, Description=TEXT), actor=recorder)
    revision_redact(revision.pk)
    revision.refresh_from_db()
    return revision


@pytest.fixture
def super_admin(db):
    return UserFactory(is_super_admin=True)


@pytest.mark.parametrize("account_type", [AccountType.STANDARD, AccountType.ADMIN, AccountType.READ_ONLY])
def test_only_super_admins_may_open_it(client, revision, account_type):
    user = UserFactory()
    MembershipFactory(user=user, organisation=revision.event.organisation, account_type=account_type)
    client.force_login(user)
    assert client.get(reverse("anonymisation:qa_list")).status_code == 403
    response = client.get(reverse("anonymisation:qa_detail", args=[revision.pk]))
    assert response.status_code == 403
    assert "Brennan" not in response.content.decode()
    assert not RawTextAccess.objects.exists()


def test_the_list_shows_recent_redactions_without_values(client, revision, super_admin):
    client.force_login(super_admin)
    content = client.get(reverse("anonymisation:qa_list")).content.decode()
    assert revision.event.display_reference in content
    assert "Person: " in content
    assert "Brennan" not in content
    assert not RawTextAccess.objects.exists()  # the list shows no raw text, so nothing to audit


def test_opening_a_record_shows_both_texts_and_is_audited(client, revision, super_admin):
    client.force_login(super_admin)
    content = client.get(reverse("anonymisation:qa_detail", args=[revision.pk])).content.decode()
    assert "Aoife Brennan" in content  # original
    assert "[PERSON 1]" in content  # redacted
    access = RawTextAccess.objects.get()
    assert (access.user, access.revision, access.purpose) == (
        super_admin,
        revision,
        "redaction quality assurance",
    )


def test_corrections_are_saved_and_the_record_redacted_again_by_the_worker(
    client, revision, super_admin, django_capture_on_commit_callbacks
):
    client.force_login(super_admin)
    before = revision.redacted_answers["Description"]
    url = reverse("anonymisation:qa_detail", args=[revision.pk])
    with (
        mock.patch("events.redaction_queue.redact_revision.apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            url, {"missed": "Lesch-Nyhan", "missed_type": "PERSON", "keep": "Aoife Brennan"}
        )
    assert response.status_code == 302
    send.assert_called_once()  # queued for the worker, not redacted in the request
    assert send.call_args.args == ((revision.pk,),) and send.call_args.kwargs["queue"] == "lfpse"
    page = client.get(url).content.decode()
    assert "Your corrections have been saved. The record is being redacted again." in page
    assert "being redacted again with your corrections" in page
    # Until the worker stores the new text, everyone keeps reading the previous redaction.
    assert EventRevision.objects.get(pk=revision.pk).redacted_answers["Description"] == before
    assert RedactionCorrection.objects.filter(revision=revision).count() == 2
    run = RedactionRun.objects.get(revision=revision)
    assert run.rerun_requested_at is not None and not run.corrected

    assert revision_redact(revision.pk) is True  # what the worker does with the queued task
    after = EventRevision.objects.get(pk=revision.pk).redacted_answers["Description"]
    assert after != before
    assert "Lesch-Nyhan" not in after  # marked missed
    assert "Aoife Brennan" in after  # marked over-redacted (a contrived mark, to show it is honoured)
    run.refresh_from_db()
    assert run.corrected and run.rerun_requested_at is None
    assert revision_redact(revision.pk) is False  # a duplicate delivery changes nothing
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM anonymisation_redactioncorrection")
        stored = [row[0] for row in cursor.fetchall()]
    assert all("Lesch" not in value and "Brennan" not in value for value in stored)  # encrypted


def test_an_empty_correction_explains_what_to_enter(client, revision, super_admin):
    client.force_login(super_admin)
    response = client.post(reverse("anonymisation:qa_detail", args=[revision.pk]), {"missed_type": "PERSON"})
    assert response.status_code == 200
    assert (
        "Enter text that should have been redacted, or text that should have been kept"
        in response.content.decode()
    )


def test_text_is_escaped_on_the_qa_screen(client, super_admin):
    recorder = UserFactory()
    revision = event_submit(
        draft=ready_draft(recorder, Description="<script>alert('x')</script> seen by Mr Tomasz Nowak"),
        actor=recorder,
    )
    revision_redact(revision.pk)
    client.force_login(super_admin)
    content = client.get(reverse("anonymisation:qa_detail", args=[revision.pk])).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content


def _runs_in(content: str) -> list[str]:
    return re.findall(r"record (\d{3}-\d{3}-\d{3}) revision", content)


@pytest.fixture
def three_runs(db):
    """Three redacted records with known risks (low, high, none) completed in that order."""
    recorder = UserFactory()
    revisions = []
    for minutes, score, reasons in [
        (3, 0.0, []),
        (2, 7.0, ["title not followed by a placeholder"]),
        (1, 1.0, []),
    ]:
        revision = event_submit(draft=ready_draft(recorder, Description=TEXT), actor=recorder)
        revision_redact(revision.pk)
        RedactionRun.objects.filter(revision=revision).update(
            risk_score=score,
            risk_reasons=reasons,
            completed_at=timezone.now() - dt.timedelta(minutes=minutes),
        )
        revisions.append(revision)
    return revisions


def test_the_list_puts_the_riskiest_first_with_its_reasons(client, super_admin, three_runs):
    low, high, medium = (revision.event.display_reference for revision in three_runs)
    client.force_login(super_admin)
    content = client.get(reverse("anonymisation:qa_list")).content.decode()
    assert _runs_in(content) == [high, medium, low]
    assert "Title not followed by a placeholder" in content
    assert "Brennan" not in content and "Aoife" not in content  # reasons name signals, never words
    assert not RawTextAccess.objects.exists()


def test_the_list_can_show_the_most_recent_first_or_high_risk_only(client, super_admin, three_runs):
    low, high, medium = (revision.event.display_reference for revision in three_runs)
    client.force_login(super_admin)
    recent = client.get(reverse("anonymisation:qa_list"), {"order": "recent"}).content.decode()
    assert _runs_in(recent) == [medium, high, low]
    risky = client.get(
        reverse("anonymisation:qa_list"), {"order": "risk", "high_risk": "on"}
    ).content.decode()
    assert _runs_in(risky) == [high]
    assert 'name="high_risk" type="checkbox" value="on" checked' in risky
    nonsense = client.get(reverse("anonymisation:qa_list"), {"order": "x"}).content.decode()
    assert _runs_in(nonsense) == [high, medium, low]


def test_the_list_runs_the_same_queries_however_many_records_it_shows(client, super_admin, three_runs):
    client.force_login(super_admin)
    url = reverse("anonymisation:qa_list")
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    RedactionRun.objects.exclude(pk=RedactionRun.objects.order_by("pk").first().pk).update(completed_at=None)
    with CaptureQueriesContext(connection) as one:
        assert len(_runs_in(client.get(url).content.decode())) == 1
    assert len(three) == len(one)


def test_the_page_links_keep_the_sort_order_and_filter(client, super_admin):
    recorder = UserFactory()
    for _ in range(26):
        event_submit(draft=ready_draft(recorder, Description=TEXT), actor=recorder)
    RedactionRun.objects.update(completed_at=timezone.now(), risk_score=5.0)
    client.force_login(super_admin)
    content = client.get(
        reverse("anonymisation:qa_list"), {"order": "recent", "high_risk": "on"}
    ).content.decode()
    assert 'href="?order=recent&amp;high_risk=on&amp;page=2"' in content
    assert 'href="?page=2"' in client.get(reverse("anonymisation:qa_list")).content.decode()
