"""Every organisation screen, for every account type, on a record of the user's own organisation, of
a child organisation and of an unrelated one: what fixtures/permissions.csv forbids answers 403 or 404
(anonymous visitors are sent to sign in) and never shows a byte of the record.

Each operation is tried the way a crafted request would: a URL with the record's reference or the
organisation's code, a form post straight to the action. Account types belong to the hierarchy as in
tests/accounts/test_permissions_table.py: provider and read-only types to trust T1, ICB types to
ICB Q1; "child" is T1 for ICB members and the sibling trust T2 for everyone else; "unrelated" is U1,
under another ICB.
"""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AccountType
from events.models import Event, EventStatus, RevisionAction
from events.organisation_services import event_organisation_resubmit
from organisations.models import OrganisationKind
from tests.events.questionnaire.helpers import RISK
from tests.events.test_organisation_support import (
    RAW_DESCRIPTION,
    REDACTED_DESCRIPTION,
    member,
    organisation_edits,
    processed_event,
)
from tests.factories import OrganisationFactory, make_hierarchy

TABLE = Path(__file__).resolve().parents[2] / "fixtures" / "permissions.csv"


def read_table() -> tuple[list[str], dict[str, dict[str, bool]]]:
    with TABLE.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [name for name in rows[0] if name not in ("action", "source")]
    return columns, {row["action"]: {column: row[column] == "yes" for column in columns} for row in rows}


COLUMNS, CELLS = read_table()
COMMISSIONERS = {"icb_organisational", "icb_admin"}
MEMBERSHIP_FOR_COLUMN = {
    "standard": ("T1", AccountType.STANDARD),
    "provider_organisational": ("T1", AccountType.ORGANISATIONAL),
    "provider_admin": ("T1", AccountType.ADMIN),
    "icb_organisational": ("Q1", AccountType.ORGANISATIONAL),
    "icb_admin": ("Q1", AccountType.ADMIN),
    "read_only": ("T1", AccountType.READ_ONLY),
    "super_admin": ("T1", AccountType.STANDARD),
}
TARGETS = ("own", "child", "unrelated")
# operation: (action in "my organisation", action in a "child organisation" or None when none grants it)
OPERATIONS = {
    "list": ("view_events_of_my_organisation", "view_events_of_child_organisations"),
    "view": ("view_events_of_my_organisation", "view_events_of_child_organisations"),
    "update": ("update_event_of_my_organisation", "update_event_of_child_organisation"),
    "reclassify": ("update_event_of_my_organisation", "update_event_of_child_organisation"),
    "review": ("mark_event_of_my_organisation_reviewed", None),
    "statutory_edit": ("edit_statutory_for_my_organisation_events", None),
    "statutory_view": (
        "view_statutory_for_my_organisation_events",
        "view_statutory_for_child_organisation_events",
    ),
    "download": ("download_event_data_csv", "view_events_of_child_organisations"),
}


def test_the_matrix_reads_every_action_it_relies_on():
    used = {action for pair in OPERATIONS.values() for action in pair if action}
    assert used <= set(CELLS)
    assert COLUMNS[0] == "anonymous" and set(MEMBERSHIP_FOR_COLUMN) == set(COLUMNS[1:])


def target_code(column: str, target: str) -> str:
    if target == "unrelated":
        return "U1"
    if column in COMMISSIONERS:
        return "Q1" if target == "own" else "T1"
    return "T1" if target == "own" else "T2"


def expected(operation: str, column: str, target: str) -> bool:
    own_action, child_action = OPERATIONS[operation]
    if target == "own":
        return CELLS[own_action][column]
    if target == "child":
        allowed = bool(child_action) and CELLS[child_action][column]
        return allowed and (operation != "download" or CELLS["download_event_data_csv"][column])
    # Super admins see every organisation as if it were theirs; nobody else sees an unrelated one.
    return column == "super_admin" and CELLS[own_action][column]


@pytest.fixture
def world(db, client, request):
    column, target = request.param
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD, first_name="Nia", last_name="Okafor")
    event = processed_event(recorder, target_code(column, target))
    if column != "anonymous":
        code, account_type = MEMBERSHIP_FOR_COLUMN[column]
        actor = member(hierarchy[code], account_type, is_super_admin=column == "super_admin")
        client.force_login(actor)
    return column, target, event


def scope_params(column: str, target: str, event: Event) -> dict[str, str]:
    """How the screens reach the record's organisation: ICB members include those below them."""
    if column in COMMISSIONERS and target == "child":
        return {"organisation": "Q1", "scope": "below"}
    return {"organisation": event.organisation.ods_code}


def record(event: Event, name: str = "organisation_event", *args: str) -> str:
    return reverse(f"events:{name}", args=[event.reference, *args])


def content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def attempt(client, operation: str, column: str, target: str, event: Event):
    """Does the operation; returns the response and whether it took effect."""
    if operation == "list":
        response = client.get(reverse("events:organisation_events"), scope_params(column, target, event))
        return response, response.status_code == 200 and event.display_reference in content(response)
    if operation in ("view", "statutory_view"):
        response = client.get(record(event))
        text = content(response) if response.status_code == 200 else ""
        if operation == "view":
            return response, REDACTED_DESCRIPTION in text
        return response, "Statutory requirements" in text
    if operation == "update":
        response = client.post(
            record(event, "organisation_question", "Description"), {"Description": "Changed"}
        )
        return response, organisation_edits().filter(event=event).exists()
    if operation == "reclassify":
        response = client.post(
            record(event, "organisation_reclassify"), {"event_type": RISK, "confirm": "yes"}
        )
        return response, Event.objects.get(pk=event.pk).event_type == RISK
    if operation == "review":
        response = client.post(record(event, "organisation_resubmit"), {"reviewed": "yes"})
        return response, Event.objects.get(pk=event.pk).status == EventStatus.REVIEWED
    if operation == "statutory_edit":
        response = client.post(record(event, "organisation_statutory"), {"DutyOfCandour": "y"})
        return response, Event.objects.get(pk=event.pk).statutory_id is not None
    params = {**scope_params(column, target, event), "version": event.question_set_version}
    response = client.get(reverse("events:download_csv"), params)
    return response, response.status_code == 200 and event.reference in content(response)


def refused(response, column: str) -> bool:
    if column == "anonymous":
        return response.status_code == 302 and response.url.startswith(reverse("account_login"))
    return response.status_code in (200, 302, 403, 404)


CASES = [(column, target) for column in COLUMNS for target in TARGETS]


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("world", CASES, indirect=True, ids=[f"{c}-{t}" for c, t in CASES])
def test_each_operation_does_what_the_table_allows_and_nothing_more(client, world, operation):
    column, target, event = world
    allowed = expected(operation, column, target)
    response, done = attempt(client, operation, column, target, event)
    text = content(response)
    assert RAW_DESCRIPTION not in text  # the recorder's raw text, never
    assert done is allowed, f"{column} / {operation} on a record of the {target} organisation"
    if allowed:
        return
    assert refused(response, column)
    if response.status_code in (403, 404) or column == "anonymous":
        assert event.display_reference not in text and event.reference not in text
        assert REDACTED_DESCRIPTION not in text
    if operation in ("list", "view", "download"):
        # Nothing visible, so not a byte of it: refused outright, never an empty success.
        assert response.status_code in (302, 403, 404)


SCREEN_CONTROLS = {
    "update": "Re-classify event",
    "review": "Tick this box to show that you have completed the review",
    "statutory_edit": "Complete statutory and national policy requirements",
    "statutory_view": "Statutory requirements",
}


@pytest.mark.parametrize("world", CASES, indirect=True, ids=[f"{c}-{t}" for c, t in CASES])
def test_the_record_page_offers_only_what_the_table_allows(client, world):
    column, target, event = world
    response = client.get(record(event))
    if not expected("view", column, target):
        assert response.status_code in (302, 404)
        return
    text = content(response)
    for operation, control in SCREEN_CONTROLS.items():
        assert (control in text) is expected(operation, column, target), f"{column}: {control}"
    assert (record(event, "organisation_question", "Description") in text) is expected(
        "update", column, target
    )


@pytest.mark.django_db
@pytest.mark.parametrize("account_type", [AccountType.READ_ONLY, AccountType.STANDARD])
def test_read_only_users_change_nothing_even_on_records_they_made_themselves(client, account_type):
    hierarchy = make_hierarchy()
    user = member(hierarchy["T1"], account_type)
    event = processed_event(user, "T1")
    client.force_login(user)
    for name, args, data in [
        ("organisation_question", ["Description"], {"Description": "Changed"}),
        ("organisation_resubmit", [], {"reviewed": "yes"}),
        ("organisation_reclassify", [], {"event_type": RISK, "confirm": "yes"}),
        ("organisation_statutory", [], {"DutyOfCandour": "y"}),
    ]:
        assert client.post(record(event, name, *args), data).status_code in (403, 404), name
    event.refresh_from_db()
    assert event.revisions.count() == 1 and event.status == EventStatus.RECORDER_SUBMITTED
    assert not organisation_edits().exists()


REVIEW_BOX = "Tick this box to show that you have completed the review"


@pytest.fixture
def practice_record(db):
    """A record an ICB organisational user made at a GP practice below their ICB, and a colleague of
    theirs at the ICB who did not make it."""
    hierarchy = make_hierarchy()
    OrganisationFactory(ods_code="P81001", kind=OrganisationKind.GP_PRACTICE, parent=hierarchy["Q1"])
    recorder = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    colleague = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    return processed_event(recorder, "P81001"), recorder, colleague


def test_an_icb_member_is_offered_the_review_of_a_record_they_made_below_the_icb(client, practice_record):
    event, recorder, colleague = practice_record
    client.force_login(recorder)
    text = content(client.get(record(event)))
    assert REVIEW_BOX in text
    assert "Re-classify event" not in text  # the practice's record stays read-only otherwise
    response = client.post(record(event, "organisation_resubmit"), {"reviewed": "yes"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEWED
    assert event.revisions.order_by("-number").first().action == RevisionAction.REVIEWED

    client.force_login(colleague)
    assert REVIEW_BOX not in content(client.get(record(event)))


def test_an_icb_colleague_who_did_not_make_the_record_can_neither_see_nor_use_the_review(
    client, practice_record
):
    event, _, colleague = practice_record
    client.force_login(colleague)
    text = content(client.get(record(event)))
    assert REDACTED_DESCRIPTION in text and REVIEW_BOX not in text
    assert client.post(record(event, "organisation_resubmit"), {"reviewed": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.status == EventStatus.RECORDER_SUBMITTED


def test_the_review_service_decides_as_the_page_does(practice_record):
    event, recorder, colleague = practice_record
    with pytest.raises(PermissionDenied):
        event_organisation_resubmit(event=event, actor=colleague, reviewed=True)
    revisions = event_organisation_resubmit(event=event, actor=recorder, reviewed=True)
    assert [revision.action for revision in revisions] == [RevisionAction.REVIEWED]
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEWED
