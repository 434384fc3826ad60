"""Migration 0003 moves the notes that audit entries held in clear (`detail.note`, written before the
notes became encrypted, redacted fields) to the field each belongs to now, and the entries keep only
`note_recorded`. Its RunPython function is called directly on rows seeded as they were before."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError

from accounts.models import AccountType
from events.responses import services
from events.responses.models import Response, ResponseAuditEntry, ResponsePlan
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import incident

migration = importlib.import_module("events.responses.migrations.0003_free_text_redaction")
pytestmark = pytest.mark.django_db


def old_entry(action, note, **links):
    return ResponseAuditEntry.objects.create(action=action, detail={"note": note, "version": 1}, **links)


def test_the_notes_leave_the_audit_for_their_encrypted_fields(monkeypatch):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    referral = services.response_decide(
        actor=decider, event=incident(recorder), kind="referral", rationale="r", referral_body="Coroner"
    )
    psii = services.response_decide(actor=decider, event=incident(recorder), kind="psii", rationale="r")
    kept = services.response_decide(actor=decider, event=incident(recorder), kind="aar", rationale="r")
    Response.objects.filter(pk=kept.pk).update(sign_off_note="Written since", redacted_texts={"x": "y"})
    plan = ResponsePlan.objects.create(organisation=hierarchy["T1"], version=1, written_by=decider)
    ResponsePlan.objects.filter(pk=plan.pk).update(redacted_texts={})
    old_entry("referral_closed", "Coroner's inquest opened", response=referral)
    old_entry("returned", "Older: add the timeline", response=psii)
    old_entry("returned", "Newer: add the family's view", response=psii)
    old_entry("signed_off", "Not over what is there", response=kept)
    old_entry("plan_returned", "Add the maternity priorities", plan=plan)
    ResponseAuditEntry.objects.create(action="decided", detail={"kind": "aar"}, response=kept)
    monkeypatch.setattr(migration, "BATCH", 2)  # several batches

    migration.notes_out_of_the_audit(apps, None)

    referral.refresh_from_db(), psii.refresh_from_db(), kept.refresh_from_db(), plan.refresh_from_db()
    assert referral.referral_note == "Coroner's inquest opened" and referral.redacted_texts is None
    assert psii.sign_off_note == "Newer: add the family's view" and psii.redacted_texts is None
    assert kept.sign_off_note == "Written since" and kept.redacted_texts == {"x": "y"}  # not empty: kept
    assert plan.decision_note == "Add the maternity priorities" and plan.redacted_texts is None
    assert plan.texts_changed_at is not None  # the sweep queues it to the worker
    details = [entry.detail for entry in ResponseAuditEntry.objects.order_by("id")]
    assert not [detail for detail in details if "note" in detail]
    moved = [d for d in details if d.get("note_recorded")]
    assert len(moved) == 5 and all(d["version"] == 1 for d in moved)  # the rest of the detail stays
    assert {"kind": "aar"} in details
    with connection.cursor() as cursor:
        cursor.execute("SELECT detail::text FROM responses_responseauditentry")
        assert not [text for (text,) in cursor.fetchall() if "inquest" in text or "timeline" in text]


def test_going_back_is_refused_while_there_is_text_to_lose():
    hierarchy = make_hierarchy()
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    ResponsePlan.objects.create(organisation=hierarchy["T1"], version=1, written_by=decider)

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    with pytest.raises(IrreversibleError, match="cannot be reversed"):
        migration.irreversible(apps, editor)


def test_0006_moves_what_an_earlier_0003_left_and_finds_nothing_after_it(monkeypatch):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    referral = services.response_decide(
        actor=decider, event=incident(recorder), kind="referral", rationale="r", referral_body="Coroner"
    )
    old_entry("referral_closed", "Inquest opened", response=referral)
    later = importlib.import_module("events.responses.migrations.0006_audit_notes_out")
    later.notes_out_of_the_audit(apps, None)
    referral.refresh_from_db()
    assert referral.referral_note == "Inquest opened"
    assert ResponseAuditEntry.objects.get(action="referral_closed").detail == {
        "version": 1,
        "note_recorded": True,
    }
    later.notes_out_of_the_audit(apps, None)  # again: nothing left to move, nothing changes
    assert ResponseAuditEntry.objects.get(action="referral_closed").detail["note_recorded"] is True


def test_the_audit_refuses_a_note():
    from events.responses.lifecycle import audit

    with pytest.raises(ValueError, match="free text is not audited"):
        audit("referral_closed", detail={"note": "Inquest opened"})
    assert not ResponseAuditEntry.objects.exists()
