"""An index for the duplicate rule's candidates: one organisation's processed records by event date.

The records table belongs to events/, whose migrations this app does not add to (docs/adr/0020); the
index is made here, by SQL, and dropped with this migration. At 1,000,000 records it turns the
duplicate check's read of every organisation's records in the 48-hour window (about 4,400 rows) into a
range scan per organisation (about 200 rows).
"""

from django.db import migrations

INDEX = "similarity_event_org_date_idx"


class Migration(migrations.Migration):
    dependencies = [("similarity", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_event (organisation_id, event_date DESC, id DESC) "
            "WHERE visible_revision_id IS NOT NULL",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
