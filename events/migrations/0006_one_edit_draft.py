"""One edit-draft model (docs/adr/0015): an organisation user's changes to a record become a Draft of
kind "organisation_edit", beside the recorder's "edit" drafts; OrganisationEditDraft goes.

Existing organisation edits are moved, not dropped (they live 30 idle minutes at most, but a user
may be in the middle of one during the deployment), keeping their base revision and timestamps so
that the 30-minute rule and the staleness check see them as before.
"""

from django.db import migrations, models

ORGANISATION_EDIT = "organisation_edit"


def move_organisation_edits_into_drafts(apps, schema_editor):
    OrganisationEditDraft = apps.get_model("events", "OrganisationEditDraft")
    Draft = apps.get_model("events", "Draft")
    for old in OrganisationEditDraft.objects.select_related("base_revision").order_by("pk").iterator():
        draft = Draft.objects.create(
            kind=ORGANISATION_EDIT,
            owner_id=old.owner_id,
            is_anonymous=False,
            event_id=old.event_id,
            base_revision_id=old.base_revision_id,
            question_set_version=old.base_revision.question_set_version,
            answers=old.answers,
        )
        # auto_now and auto_now_add set both on create: the edit keeps its own clock.
        Draft.objects.filter(pk=draft.pk).update(created_at=old.created_at, updated_at=old.updated_at)
    _check_foreign_keys_now(schema_editor)


def move_organisation_edits_back(apps, schema_editor):
    OrganisationEditDraft = apps.get_model("events", "OrganisationEditDraft")
    Draft = apps.get_model("events", "Draft")
    drafts = Draft.objects.filter(kind=ORGANISATION_EDIT)
    for draft in drafts.filter(base_revision__isnull=False).order_by("pk").iterator():
        old = OrganisationEditDraft.objects.create(
            event_id=draft.event_id,
            owner_id=draft.owner_id,
            base_revision_id=draft.base_revision_id,
            answers=draft.answers,
        )
        OrganisationEditDraft.objects.filter(pk=old.pk).update(
            created_at=draft.created_at, updated_at=draft.updated_at
        )
    drafts.delete()  # one without a base revision could not be re-submitted anyway
    _check_foreign_keys_now(schema_editor)


def _check_foreign_keys_now(schema_editor):
    """PostgreSQL checks foreign keys at commit; rows still to check would make the next ALTER TABLE
    of the same table fail ("pending trigger events"), so they are checked here."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_dashboard_covering_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="draft",
            name="kind",
            field=models.CharField(
                choices=[
                    ("new", "New record"),
                    ("edit", "Edit of a submitted record"),
                    ("organisation_edit", "Organisation user's changes to a record"),
                ],
                default="new",
                max_length=24,
            ),
        ),
        migrations.RemoveConstraint(
            model_name="draft",
            name="one_edit_draft_per_event_and_owner",
        ),
        migrations.AddConstraint(
            model_name="draft",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind__in", ("edit", "organisation_edit"))),
                fields=("event", "owner", "kind"),
                name="one_edit_draft_per_event_owner_and_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="draft",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "new"),
                    models.Q(("event__isnull", False), ("is_anonymous", False), ("owner__isnull", False)),
                    _connector="OR",
                ),
                name="edit_draft_has_event_and_owner",
            ),
        ),
        migrations.RunPython(move_organisation_edits_into_drafts, move_organisation_edits_back),
        migrations.DeleteModel(
            name="OrganisationEditDraft",
        ),
    ]
