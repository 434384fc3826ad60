"""The dashboards' search within organisations, in one index (PostgreSQL only; docs/adr/0022)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models

from events.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_revision_pending_idx"),
    ]

    operations = [
        BtreeGinExtension(),
        AddIndexOnPostgreSQL(
            model_name="event",
            index=GinIndex(
                fields=["organisation", "search_vector"],
                condition=models.Q(visible_revision__isnull=False),
                name="event_org_search_gin",
            ),
        ),
    ]
