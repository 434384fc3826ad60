from django.db import migrations

BATCH = 500

# Audit entries that held the person's note in `detail` before this migration, and where the note
# belongs now (an encrypted, redacted field of the response or the plan).
NOTE_HOMES = {
    "referral_closed": ("Response", "response_id", "referral_note"),
    "returned": ("Response", "response_id", "sign_off_note"),
    "signed_off": ("Response", "response_id", "sign_off_note"),
    "plan_returned": ("ResponsePlan", "plan_id", "decision_note"),
    "plan_agreed": ("ResponsePlan", "plan_id", "decision_note"),
}


def notes_out_of_the_audit(apps, schema_editor):
    """Takes the notes written into audit entries (`detail.note`, free text in clear) out of `detail`,
    losing none: the newest note of each field it belongs to now (highest id) moves to that field
    where it is still empty, marked for redaction; every other note (superseded, or its field written
    since) stays on its own entry encrypted (`detail.note_encrypted`). Every entry that had a note
    then says `note_recorded: true`. Reads the entries in batches (keyset on id, newest first).

    Migration 0003's move of the audit's notes, copied here (an applied migration keeps its own code),
    for databases that applied 0003 before the move was added to it. It acts only on entries still
    holding `detail.note`, so on a database where 0003 did it this finds nothing."""
    from django.utils import timezone

    from lfpse.encryption import encrypt_json

    Entry = apps.get_model("responses", "ResponseAuditEntry")
    now = timezone.now()
    seen: set[tuple[str, int, str]] = set()
    last_id = None
    while True:
        entries = Entry.objects.filter(action__in=list(NOTE_HOMES), detail__has_key="note").order_by("-id")
        if last_id is not None:
            entries = entries.filter(id__lt=last_id)
        batch = list(entries.only("id", "action", "detail", "response_id", "plan_id")[:BATCH])
        if not batch:
            break
        last_id = batch[-1].id
        notes = {entry.id: _note(entry.detail.get("note")) for entry in batch}
        newest: dict[str, dict[int, dict[str, object]]] = {}  # model -> pk -> field -> entry
        for entry in batch:
            home, note = NOTE_HOMES.get(entry.action), notes[entry.id]
            if home is None or not isinstance(note, str):
                continue
            model, column, field = home
            pk = getattr(entry, column)
            if pk is not None and (model, pk, field) not in seen:
                seen.add((model, pk, field))
                newest.setdefault(model, {}).setdefault(pk, {})[field] = entry
        moved: set[int] = set()
        for model, by_pk in newest.items():
            records = apps.get_model("responses", model).objects.in_bulk(list(by_pk))
            for pk, fields in by_pk.items():
                record = records.get(pk)
                if record is None:
                    continue
                empty = {name: entry for name, entry in fields.items() if not getattr(record, name)}
                if not empty:
                    continue
                for name, entry in empty.items():
                    setattr(record, name, notes[entry.id])
                    moved.add(entry.id)
                record.texts_changed_at, record.redacted_texts = now, None  # the sweep queues it
                record.save(update_fields=[*empty, "texts_changed_at", "redacted_texts"])
        for entry in batch:
            detail = {name: value for name, value in entry.detail.items() if name != "note"}
            if notes[entry.id] is not None:
                detail["note_recorded"] = True
                if entry.id not in moved:
                    detail["note_encrypted"] = encrypt_json(notes[entry.id])
            entry.detail = detail
        Entry.objects.bulk_update(batch, ["detail"])


def _note(value):
    """A note's text (stripped), or None when there is nothing to keep."""
    if isinstance(value, str):
        return value.strip() or None
    return None if value in (None, "", [], {}) else value


class Migration(migrations.Migration):

    dependencies = [
        ("responses", "0005_free_text_sweep_backoff"),
    ]

    # Going back leaves the notes where they now belong; 0003's reverse decides whether going further
    # back is possible.
    operations = [migrations.RunPython(notes_out_of_the_audit, migrations.RunPython.noop)]
