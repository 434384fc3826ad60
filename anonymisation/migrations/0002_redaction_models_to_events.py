"""RedactionRun, PlaceholderNumbering and RedactionCorrection now belong to the events app
(docs/adr/0013). Only Django's idea of which app owns them changes: the tables stay where they are,
under their anonymisation_* names, and events 0006 takes the models over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("anonymisation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="RedactionCorrection"),
                migrations.DeleteModel(name="PlaceholderNumbering"),
                migrations.DeleteModel(name="RedactionRun"),
            ],
            database_operations=[],
        ),
    ]
