"""Migration 0003 moves the notes that audit entries held in clear (`detail.note`, written before the
notes became encrypted, redacted fields) to the field each belongs to now, and the entries keep
`note_recorded`; a note that does not move (superseded, or its field written since) stays encrypted on
its entry. 0006 is a copy of that; 0007 does the same for every action's entries (the API wrote notes
for every status it set). Their RunPython functions are called directly on rows seeded as before."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError

from accounts.models import AccountType
from events.responses import services
from events.responses.models import Response, ResponseAuditEntry, ResponsePlan
from lfpse.encryption import decrypt_json
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
    # The notes that did not move are not lost: each stays on its own entry, encrypted.
    kept_on_entries = {decrypt_json(d["note_encrypted"]) for d in details if "note_encrypted" in d}
    assert kept_on_entries == {"Older: add the timeline", "Not over what is there"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(detail AS TEXT) FROM responses_responseauditentry")
        assert not [text for (text,) in cursor.fetchall() if "inquest" in text or "timeline" in text]


@pytest.mark.parametrize(
    "name", ["0003_free_text_redaction", "0006_audit_notes_out", "0007_every_audit_note_out"]
)
def test_a_superseded_note_is_kept_encrypted_on_its_entry(name):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    psii = services.response_decide(actor=decider, event=incident(recorder), kind="psii", rationale="r")
    older = old_entry("returned", "Older: add the timeline", response=psii)
    newer = old_entry("returned", "Newer: add the family's view", response=psii)
    importlib.import_module(f"events.responses.migrations.{name}").notes_out_of_the_audit(apps, None)
    psii.refresh_from_db(), older.refresh_from_db(), newer.refresh_from_db()
    assert psii.sign_off_note == "Newer: add the family's view"
    assert newer.detail == {"version": 1, "note_recorded": True}
    assert decrypt_json(older.detail.pop("note_encrypted")) == "Older: add the timeline"
    assert older.detail == {"version": 1, "note_recorded": True}


def test_0007_takes_the_note_out_of_every_actions_entries(monkeypatch):
    """The API wrote `detail.note` for every status it set; 0003 and 0006 looked only at the notes
    with a field of their own. 0007 keeps every other note encrypted on its entry."""
    later = importlib.import_module("events.responses.migrations.0007_every_audit_note_out")
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    response = services.response_decide(actor=decider, event=incident(recorder), kind="psii", rationale="r")
    api_moves = ["completed", "submitted_for_sign_off", "shared_with_icb", "closed"]
    for action in api_moves:
        old_entry(action, f"By the API: {action} for Jane Doe", response=response)
    old_entry("referral_closed", "Inquest opened", response=response)
    ResponseAuditEntry.objects.create(action="completed", detail={"note": "  "}, response=response)
    untouched = ResponseAuditEntry.objects.create(
        action="decided", detail={"kind": "psii"}, response=response
    )
    monkeypatch.setattr(later, "BATCH", 2)  # several batches

    later.notes_out_of_the_audit(apps, None)

    entries = list(
        ResponseAuditEntry.objects.exclude(pk=untouched.pk).filter(detail__has_key="note_encrypted")
    )
    assert sorted(decrypt_json(entry.detail["note_encrypted"]) for entry in entries) == sorted(
        f"By the API: {action} for Jane Doe" for action in api_moves
    )
    assert all(entry.detail["note_recorded"] is True and entry.detail["version"] == 1 for entry in entries)
    response.refresh_from_db()
    assert response.referral_note == "Inquest opened"  # has a field of its own, empty: moved there
    assert not ResponseAuditEntry.objects.filter(detail__has_key="note").exists()
    assert ResponseAuditEntry.objects.get(detail={}).action == "completed"  # a blank note: nothing to keep
    untouched.refresh_from_db()
    assert untouched.detail == {"kind": "psii"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(detail AS TEXT) FROM responses_responseauditentry")
        assert not [text for (text,) in cursor.fetchall() if "Doe" in text or "Inquest" in text]
    later.notes_out_of_the_audit(apps, None)  # again: nothing left, nothing changes
    assert ResponseAuditEntry.objects.filter(detail__has_key="note_encrypted").count() == 4


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
