import importlib

from django.db import migrations


def notes_out_of_the_audit(apps, schema_editor):
    """Migration 0003's move of the audit's notes, again, for databases that applied 0003 before the
    move was added to it. It acts only on entries still holding `detail.note`, so on a database where
    0003 did it this finds nothing."""
    earlier = importlib.import_module("events.responses.migrations.0003_free_text_redaction")
    earlier.notes_out_of_the_audit(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("responses", "0005_free_text_sweep_backoff"),
    ]

    # Going back leaves the notes where they now belong; 0003's reverse decides whether going further
    # back is possible.
    operations = [migrations.RunPython(notes_out_of_the_audit, migrations.RunPython.noop)]
