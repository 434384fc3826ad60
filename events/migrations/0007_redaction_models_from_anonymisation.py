"""The redaction models move from the anonymisation app to events (docs/adr/0013), and redaction
runs gain the residual-risk score and the corrections re-run request.

The move is state only: the tables keep their anonymisation_* names (Meta.db_table), so no row moves
and an existing database only gains the new columns and index."""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import lfpse.encryption

# SQLite cannot put NULLS LAST in an index; it sorts the QA list without one.
AddIndexOnPostgreSQL = import_module("events.migrations.0004_dashboard_search").AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_one_edit_draft"),
        ("anonymisation", "0002_redaction_models_to_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RedactionRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("queued_at", models.DateTimeField(blank=True, null=True)),
                        ("completed_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                        ("summary", models.JSONField(blank=True, default=dict)),
                        ("last_error", models.CharField(blank=True, max_length=200)),
                        ("corrected", models.BooleanField(default=False)),
                        (
                            "revision",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="redaction_run",
                                to="events.eventrevision",
                            ),
                        ),
                    ],
                    options={"db_table": "anonymisation_redactionrun", "ordering": ["-completed_at", "-id"]},
                ),
                migrations.CreateModel(
                    name="PlaceholderNumbering",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("mapping", lfpse.encryption.EncryptedJSONField(default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "event",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="placeholder_numbering",
                                to="events.event",
                            ),
                        ),
                    ],
                    options={"db_table": "anonymisation_placeholdernumbering"},
                ),
                migrations.CreateModel(
                    name="RedactionCorrection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("missed", "Missed: should have been redacted"),
                                    ("over_redacted", "Over-redacted: should have been kept"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("entity_type", models.CharField(blank=True, max_length=40)),
                        ("value", lfpse.encryption.EncryptedJSONField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "marked_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "revision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="corrections",
                                to="events.eventrevision",
                            ),
                        ),
                    ],
                    options={"db_table": "anonymisation_redactioncorrection", "ordering": ["created_at"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="redactionrun",
            name="rerun_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="redactionrun",
            name="risk_score",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="redactionrun",
            name="risk_reasons",
            field=models.JSONField(blank=True, default=list),
        ),
        AddIndexOnPostgreSQL(
            model_name="redactionrun",
            index=models.Index(
                models.OrderBy(models.F("risk_score"), descending=True, nulls_last=True),
                models.OrderBy(models.F("completed_at"), descending=True),
                condition=models.Q(("completed_at__isnull", False)),
                name="redaction_run_riskiest_idx",
            ),
        ),
    ]
