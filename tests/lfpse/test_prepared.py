"""The prepared draft read and write give exactly what the ORM gives, on SQLite and on PostgreSQL."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from events.models import Draft
from events.questionnaire import latest_version
from lfpse.prepared import PreparedGet, PreparedUpdate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"EventType": "1", "Description": "Ten times the dose of morphine", "patients": [{"Gender": "2"}]}
draft_with_owner = PreparedGet(Draft, "key", related="owner")
update_answers = PreparedUpdate(Draft, ["answers", "updated_at"])


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def new_draft(owner=None) -> Draft:
    return Draft.objects.create(
        owner=owner, is_anonymous=owner is None, question_set_version=latest_version(), answers=ANSWERS
    )


def test_a_draft_and_its_owner_come_back_as_the_orm_reads_them():
    draft = new_draft(UserFactory(job_role="Staff nurse", last_login=timezone.now()))
    expected = Draft.objects.select_related("owner").get(key=draft.key)

    with CaptureQueriesContext(connection) as queries:
        found = draft_with_owner(draft.key)
        owner = found.owner
    assert len(queries) == 1
    assert field_values(found) == field_values(expected)
    assert field_values(owner) == field_values(expected.owner)
    assert isinstance(found.key, uuid.UUID)
    assert found.answers == ANSWERS  # decrypted by the field's own converter
    assert timezone.is_aware(found.updated_at)
    assert isinstance(owner, User)
    assert not found._state.adding
    assert found._state.db == "default"


def test_a_draft_with_no_owner_has_owner_none_without_another_query():
    draft = new_draft()
    found = draft_with_owner(draft.key)
    with CaptureQueriesContext(connection) as queries:
        assert found.owner is None
    assert len(queries) == 0
    assert field_values(found) == field_values(Draft.objects.get(pk=draft.pk))


def test_an_unknown_key_is_none():
    new_draft()
    assert draft_with_owner(uuid.uuid4()) is None


def test_the_update_writes_encrypted_answers_and_the_time_and_nothing_else():
    draft = new_draft(UserFactory())
    before = Draft.objects.get(pk=draft.pk)
    draft.answers = {**ANSWERS, "Description": "A dose was missed"}
    draft.updated_at = timezone.now() + dt.timedelta(minutes=5)
    draft.question_set_version = "not saved"
    assert update_answers(draft) == 1

    after = Draft.objects.get(pk=draft.pk)
    assert after.answers["Description"] == "A dose was missed"
    assert after.updated_at == draft.updated_at
    assert after.question_set_version == before.question_set_version
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM events_draft WHERE id = %s", [draft.pk])
        stored = cursor.fetchone()[0]
    assert "A dose was missed" not in stored  # encrypted at rest, like every save through the ORM


def test_the_update_of_a_deleted_draft_changes_nothing():
    draft = new_draft(UserFactory())
    Draft.objects.filter(pk=draft.pk).delete()
    assert update_answers(draft) == 0
    assert not Draft.objects.exists()


@pytest.fixture
def hierarchy_event():
    from accounts.models import AccountType
    from tests.events.test_organisation_support import member, processed_event
    from tests.factories import make_hierarchy

    hierarchy = make_hierarchy()
    return processed_event(member(hierarchy["T1"], AccountType.STANDARD), "T1S")


def test_a_read_with_two_foreign_keys_gives_what_the_orm_gives(hierarchy_event):
    """Several foreign keys (the worker's read of a record with its visible revision and organisation),
    one of them null: each as select_related reads it, in one query."""
    from events.models import Event

    read = PreparedGet(Event, "id", related=("visible_revision", "organisation"))
    event = hierarchy_event
    expected = Event.objects.select_related("visible_revision", "organisation").get(pk=event.pk)
    with CaptureQueriesContext(connection) as queries:
        found = read(event.pk)
        revision, organisation = found.visible_revision, found.organisation
    assert len(queries) == 1
    assert field_values(found) == field_values(expected)
    assert field_values(revision) == field_values(expected.visible_revision)
    assert field_values(organisation) == field_values(expected.organisation)
    Event.objects.filter(pk=event.pk).update(visible_revision=None)
    with CaptureQueriesContext(connection) as queries:
        found = read(event.pk)
        assert found.visible_revision is None and found.organisation.pk == event.organisation_id
    assert len(queries) == 1
    assert read(0) is None


def test_a_read_with_the_reverse_of_a_one_to_one_gives_what_the_orm_gives(hierarchy_event):
    """A revision with its record and its redaction run (the one-to-one's other side), as the
    redaction task reads it; without a run, reading it raises as it does after select_related."""
    from events.models import EventRevision, RedactionRun

    read = PreparedGet(EventRevision, "id", related=("event", "redaction_run"))
    revision = hierarchy_event.revisions.get()
    expected = EventRevision.objects.select_related("event", "redaction_run").get(pk=revision.pk)
    with CaptureQueriesContext(connection) as queries:
        found = read(revision.pk)
        event, run = found.event, found.redaction_run
        assert run.revision is found
    assert len(queries) == 1
    assert field_values(found) == field_values(expected)
    assert field_values(event) == field_values(expected.event)
    assert field_values(run) == field_values(expected.redaction_run)
    RedactionRun.objects.filter(revision=revision).delete()
    with CaptureQueriesContext(connection) as queries:
        found = read(revision.pk)
        assert getattr(found, "redaction_run", None) is None
        with pytest.raises(RedactionRun.DoesNotExist):
            found.redaction_run  # noqa: B018 - the access is what is tested
    assert len(queries) == 1


def test_a_prepared_list_gives_the_rows_the_orm_gives_in_its_order_built_once_per_key():
    from lfpse.prepared import PreparedList

    built = []

    def named(surname):
        built.append(surname)
        return User.objects.filter(last_name=surname)

    users = PreparedList(named)
    UserFactory(email="b@nhs.net", last_name="Khan", last_login=timezone.now())
    UserFactory(email="a@nhs.net", last_name="Khan", job_role="Staff nurse")
    UserFactory(email="c@nhs.net", last_name="Jones")

    for _ in range(2):
        found = users("Khan")
        expected = list(User.objects.filter(last_name="Khan"))
        assert [field_values(user) for user in found] == [field_values(user) for user in expected]
        assert [user.email for user in found] == ["a@nhs.net", "b@nhs.net"]  # the model's ordering
        assert all(timezone.is_aware(user.date_joined) and not user._state.adding for user in found)
    assert [user.email for user in users("Jones")] == ["c@nhs.net"]
    assert users("Nobody") == []
    assert built == ["Khan", "Jones", "Nobody"]
    UserFactory(email="d@nhs.net", last_name="Jones")  # the rows are read each time, only the SQL kept
    assert [user.email for user in users("Jones")] == ["c@nhs.net", "d@nhs.net"]


def test_a_prepared_list_refuses_anything_but_whole_rows_of_one_model():
    from lfpse.prepared import PreparedList

    for make in (
        lambda key: Draft.objects.select_related("owner").filter(pk=key),
        lambda key: User.objects.only("email").filter(pk=key),
        lambda key: User.objects.filter(pk=key).values("email"),
    ):
        with pytest.raises(ValueError, match="whole rows"):
            PreparedList(make)(1)


postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="prepared statements are PostgreSQL's"
)


@postgresql_only
def test_the_reads_are_prepared_once_per_connection_with_a_generic_plan():
    """Planned once, not at every call (docs/adr/0022): PostgreSQL keeps the statement and its plan."""
    from lfpse.prepared import fetch_prepared

    sql = "SELECT %s::int + 1 AS prepared_read_check"
    assert [fetch_prepared(sql, [n]) for n in (1, 2, 3)] == [[(2,)], [(3,)], [(4,)]]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%prepared_read_check%"],
        )
        assert cursor.fetchall() == [(3, 0)]


@postgresql_only
def test_a_prepared_statement_fails_as_a_django_database_error_and_is_seen_by_execute_wrappers():
    """The outage page and the request timing see these statements as they see the ORM's."""
    from django.db import DatabaseError

    from lfpse.prepared import execute_prepared, fetch_prepared

    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper), CaptureQueriesContext(connection) as captured:
        assert fetch_prepared("SELECT %s::text", ["x"]) == [("x",)]
        assert execute_prepared("UPDATE events_draft SET kind = kind WHERE id = %s", [-1]) == 0
    assert seen == ["SELECT %s::text", "UPDATE events_draft SET kind = kind WHERE id = %s"]
    assert [q["sql"] for q in captured.captured_queries] == seen
    with pytest.raises(DatabaseError):
        fetch_prepared("SELECT no_such_column FROM events_draft")


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    """DATABASE_PREPARED_STATEMENTS=0: nothing is prepared (a transaction-mode pooler cannot keep them)."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json; from lfpse.settings import base; "
        "print(json.dumps(base.DATABASES['default'].get('OPTIONS', {})))"
    )
    url = "postgres://postgres@127.0.0.1:5432/any"

    def options(**env) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "DATABASE_URL": url, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert options()["prepare_threshold"] == 5
    assert "plan_cache_mode=force_generic_plan" in options()["options"]
    off = options(DATABASE_PREPARED_STATEMENTS="0")
    assert "prepare_threshold" not in off and "options" not in off
