"""The reconciliation's count of lost drafts (bench/load/reconcile.py), against the test database."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from django.db import connection

from bench.load.reconcile import drafts_of, reconcile
from events.models import Draft
from events.questionnaire import latest_version


def test_a_draft_is_counted_once_however_many_times_it_was_written_down():
    entries = [
        {"kind": "draft-lost", "draft": "a"},
        {"kind": "draft-lost", "draft": "a"},
        {"kind": "draft-signed-out", "draft": "b"},
        {"kind": "draft-signed-out", "draft": "b"},
        {"kind": "draft-lost", "draft": "c"},
        {"kind": "form", "reference": "123456789", "sent": 0.0},
    ]
    assert drafts_of(entries) == {"lost": ["a", "c"], "signed_out": ["b"]}


def dsn() -> str:
    settings = connection.settings_dict
    return (
        f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
        f"dbname={settings['NAME']} user={settings['USER']} password={settings['PASSWORD']}"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the reconciliation reads PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_lost_drafts_are_counted_apart_from_submissions(tmp_path):
    kept = Draft.objects.create(is_anonymous=True, question_set_version=latest_version(), answers={})
    gone = str(uuid.uuid4())
    lines = [
        {"kind": "draft-lost", "draft": str(kept.key), "anonymous": True},
        {"kind": "draft-lost", "draft": str(kept.key), "anonymous": True},
        {"kind": "draft-lost", "draft": gone, "anonymous": False},
        {"kind": "draft-signed-out", "draft": gone, "anonymous": False},
    ]
    accepted = tmp_path / "accepted.jsonl"
    accepted.write_text("".join(json.dumps({**line, "at": time.time()}) + "\n" for line in lines))
    result = reconcile(dsn(), accepted, time.time() - 60)
    assert result["drafts_lost"] == 2
    assert result["drafts_lost_still_in_database"] == 1
    assert result["drafts_signed_out"] == 1
    assert result["answers_never_received"] == 0  # not taken for submissions whose answer was lost
    assert result["lost"] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the reconciliation reads PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_submit_to_visible_is_given_for_the_window_each_record_was_sent_in(tmp_path):
    from django.utils import timezone

    from events.models import RedactionRun
    from tests.anonymisation.test_revision_redaction import submitted
    from tests.factories import UserFactory

    started = time.time() - 60
    revisions = [submitted(UserFactory()) for _ in range(2)]
    now = timezone.now()
    RedactionRun.objects.filter(revision__in=revisions).update(completed_at=now)
    sent = [now.timestamp() - 55, now.timestamp() - 20]  # in the first window and the fifth
    lines = [
        {"kind": "form", "reference": revision.event.reference, "sent": at}
        for revision, at in zip(revisions, sent, strict=True)
    ]
    accepted = tmp_path / "accepted.jsonl"
    accepted.write_text("".join(json.dumps(line) + "\n" for line in lines))
    by_window = reconcile(dsn(), accepted, started)["submit_to_visible_p95_by_window"]
    assert set(by_window) == {"0", "4"}
    assert by_window["0"] == pytest.approx(55, abs=0.5) and by_window["4"] == pytest.approx(20, abs=0.5)
