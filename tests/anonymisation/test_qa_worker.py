"""With the real Redis and a real worker: a super admin's corrections are redacted on the worker, not
in the web request, and the record keeps its previous redacted text until the worker is done."""

import pytest
from django.urls import reverse

from events.models import EventRevision, RedactionRun
from events.services import event_submit
from tests.anonymisation.test_worker_faults import _complete, wait_for
from tests.events.test_services import ready_draft
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TEXT = "Sister Aoife Brennan gave the dose. The patient has Lesch-Nyhan syndrome."


def test_corrections_are_redacted_again_on_the_worker(client, celery_worker):
    OrganisationFactory(ods_code="RJ1", name="Guy's and St Thomas'")
    recorder = UserFactory()
    revision = event_submit(draft=ready_draft(recorder, Description=TEXT), actor=recorder)
    assert wait_for(lambda: _complete(revision.pk), 90), "the first redaction did not complete"
    before = EventRevision.objects.get(pk=revision.pk).redacted_answers["Description"]
    assert "Lesch-Nyhan" in before

    client.force_login(UserFactory(is_super_admin=True))
    url = reverse("anonymisation:qa_detail", args=[revision.pk])
    response = client.post(url, {"missed": "Lesch-Nyhan", "missed_type": "PERSON", "keep": ""}, follow=True)
    assert (
        "Your corrections have been saved. The record is being redacted again." in response.content.decode()
    )

    def corrected() -> bool:
        run = RedactionRun.objects.get(revision=revision)
        return run.corrected and run.rerun_requested_at is None

    assert wait_for(corrected, 60), "the worker did not redact the record again"
    after = EventRevision.objects.get(pk=revision.pk)
    assert "Lesch-Nyhan" not in after.redacted_answers["Description"]
    assert "Brennan" not in after.redacted_answers["Description"]
    assert after.event.visible_revision_id == after.pk
    assert RedactionRun.objects.get(revision=revision).attempts == 2
