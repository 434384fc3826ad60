"""Migration 0006 moves organisation users' edits (OrganisationEditDraft) into Draft, and back.

Run with Django's migration executor on a database holding both kinds of edit draft, written
through the models as they were before the migration.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory

BEFORE = [("events", "0005_dashboard_covering_indexes")]
AFTER = [("events", "0006_one_edit_draft")]


def migrate(targets):
    """Migrates to the targets and returns the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def at_0005(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_organisation_edits_become_drafts_and_come_back(at_0005):
    apps = at_0005
    Event = apps.get_model("events", "Event")
    EventRevision = apps.get_model("events", "EventRevision")
    Draft = apps.get_model("events", "Draft")
    OrganisationEditDraft = apps.get_model("events", "OrganisationEditDraft")

    organisation = OrganisationFactory(ods_code="T1")
    recorder, reviewer = UserFactory(), UserFactory()
    event = Event.objects.create(
        reference="123456789",
        event_type="1",
        status="recorder_submitted",
        question_set_version="5",
        organisation_id=organisation.pk,
        recorded_by_id=recorder.pk,
    )
    base = EventRevision.objects.create(
        event=event,
        number=1,
        action="submitted",
        actor_id=recorder.pk,
        status="recorder_submitted",
        event_type="1",
        question_set_version="5",
        answers={"EventType": "1", "Description": "Jane Doe fell"},
        redaction_status="complete",
        redacted_answers={"EventType": "1", "Description": "[PERSON 1] fell"},
    )
    new = Draft.objects.create(owner_id=recorder.pk, question_set_version="5", answers={"EventType": "1"})
    recorders_edit = Draft.objects.create(
        kind="edit",
        owner_id=recorder.pk,
        event=event,
        base_revision=base,
        question_set_version="5",
        answers={"EventType": "1", "Description": "Jane Doe fell over"},
    )
    changes = OrganisationEditDraft.objects.create(
        event=event,
        owner_id=reviewer.pk,
        base_revision=base,
        answers={"EventType": "1", "Description": "[PERSON 1] fell in the ward"},
    )
    idle_since = timezone.now() - dt.timedelta(minutes=12)
    OrganisationEditDraft.objects.filter(pk=changes.pk).update(
        created_at=idle_since - dt.timedelta(minutes=5), updated_at=idle_since
    )

    apps = migrate(AFTER)
    Draft = apps.get_model("events", "Draft")
    with pytest.raises(LookupError):
        apps.get_model("events", "OrganisationEditDraft")
    moved = Draft.objects.get(kind="organisation_edit")
    assert (moved.event_id, moved.owner_id, moved.base_revision_id) == (event.pk, reviewer.pk, base.pk)
    assert moved.answers == {"EventType": "1", "Description": "[PERSON 1] fell in the ward"}  # decrypted
    assert moved.question_set_version == "5" and not moved.is_anonymous
    assert moved.updated_at == idle_since and moved.created_at == idle_since - dt.timedelta(minutes=5)
    assert moved.key not in {new.key, recorders_edit.key}
    assert Draft.objects.get(pk=recorders_edit.pk).answers["Description"] == "Jane Doe fell over"
    assert Draft.objects.filter(kind__in=["new", "edit"]).count() == 2

    apps = migrate(BEFORE)
    OrganisationEditDraft = apps.get_model("events", "OrganisationEditDraft")
    back = OrganisationEditDraft.objects.get()
    assert (back.event_id, back.owner_id, back.base_revision_id) == (event.pk, reviewer.pk, base.pk)
    assert back.answers["Description"] == "[PERSON 1] fell in the ward" and back.updated_at == idle_since
    assert set(apps.get_model("events", "Draft").objects.values_list("kind", flat=True)) == {"new", "edit"}
