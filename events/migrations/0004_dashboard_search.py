"""The full-text index (PostgreSQL only) and the dashboard columns of records submitted before 0003."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """SQLite has no GIN indexes; there the dashboard searches search_text instead."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill_dashboard_columns(apps, schema_editor):
    from events.organisation_columns import SEARCH_CONFIG, dashboard_columns

    Event = apps.get_model("events", "Event")
    events = Event.objects.filter(visible_revision__isnull=False).select_related("visible_revision")
    for event in events.iterator(chunk_size=500):
        revision = event.visible_revision
        columns = dashboard_columns(revision.redacted_answers or {}, revision.question_set_version)
        Event.objects.filter(pk=event.pk).update(**columns)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE events_event SET search_vector = to_tsvector(%s, search_text) "
            "WHERE visible_revision_id IS NOT NULL",
            [SEARCH_CONFIG],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_organisation_review"),
    ]

    operations = [
        AddIndexOnPostgreSQL(
            model_name="event",
            index=GinIndex(fields=["search_vector"], name="event_search_gin"),
        ),
        migrations.RunPython(fill_dashboard_columns, migrations.RunPython.noop),
    ]
