"""The read gate (events/visibility.py): which records each kind of principal sees, its list and
one-record forms agreeing, and every reader going through it.

The hierarchy is tests/factories.make_hierarchy:

    region Y1 ─ ICB Q1 ─ trust T1 ─ site T1S
                      └─ trust T2
    region Y2 ─ ICB Q2 ─ trust U1
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import AccountType, ApiClient, ApiSubmission
from events import visibility
from events.presenters import BEING_PROCESSED
from events.visibility import (
    Reading,
    event_visible_to,
    events_visible_to,
    revision_for_redaction_qa,
    revision_just_submitted,
    scope_for,
)
from tests.events.test_organisation_support import (
    incident_answers,
    member,
    processed_event,
    submitted_event,
)
from tests.factories import UserFactory, make_hierarchy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROCESSED_AT = ("T1", "T1S", "T2", "Q1", "Y1", "U1", "Q2")

# Whose processed records each member sees in the organisation pages and the CSV (by ODS code).
ORGANISATION_READERS = {
    ("T1", AccountType.STANDARD): set(),
    ("T1", AccountType.ORGANISATIONAL): {"T1", "T1S"},
    ("T1", AccountType.ADMIN): {"T1", "T1S"},
    ("T1", AccountType.READ_ONLY): {"T1", "T1S"},
    ("T1S", AccountType.ORGANISATIONAL): {"T1S"},  # a site's member has the site alone
    ("T1S", AccountType.ADMIN): {"T1S"},
    ("Q1", AccountType.STANDARD): set(),
    ("Q1", AccountType.READ_ONLY): {"Q1"},  # read-only sees its own organisation, nothing below
    ("Q1", AccountType.ORGANISATIONAL): {"Q1", "T1", "T1S", "T2"},
    ("Q1", AccountType.ADMIN): {"Q1", "T1", "T1S", "T2"},
    ("Y1", AccountType.ORGANISATIONAL): {"Y1", "Q1", "T1", "T1S", "T2"},
    ("Y1", AccountType.READ_ONLY): {"Y1"},
}


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


@pytest.fixture
def recorder(hierarchy):
    return member(hierarchy["T1"], AccountType.STANDARD, first_name="Nia", last_name="Okafor")


@pytest.fixture
def records(recorder):
    """One processed record about each organisation, and one at T1 still waiting for redaction."""
    made = {code: processed_event(recorder, code) for code in PROCESSED_AT}
    made["pending"] = submitted_event(recorder, incident_answers("T1"))
    return made


@pytest.fixture
def super_admin(db):
    return UserFactory(is_super_admin=True)


def codes(events) -> set[str]:
    return {event.organisation.ods_code for event in events.select_related("organisation")}


def sent_through_the_api(event, client: ApiClient, organisation) -> None:
    """Marks a record as sent by an LRMS for one of its organisations, as the API's service does."""
    ApiSubmission.objects.create(event=event, client=client, organisation=organisation)


def api_client(*organisations) -> ApiClient:
    client = ApiClient.objects.create(
        name="LRMS", key_prefix="abcd1234", key_hash=f"hash-{len(organisations)}"
    )
    client.organisations.set(organisations)
    return client


# -- organisation, ICB and region users --------------------------------------------------------------
@pytest.mark.parametrize(("organisation", "account_type"), list(ORGANISATION_READERS))
def test_organisation_users_see_processed_records_of_their_organisations_and_below(
    hierarchy, records, organisation, account_type
):
    user = member(hierarchy[organisation], account_type)
    expected = ORGANISATION_READERS[(organisation, account_type)]
    assert codes(events_visible_to(user)) == expected
    for code in PROCESSED_AT:
        found = event_visible_to(user, records[code].reference)
        assert (found is not None) == (code in expected), code
    assert event_visible_to(user, records["pending"].reference) is None
    assert records["pending"] not in events_visible_to(user)


def test_a_member_of_several_organisations_sees_each_ones_records(hierarchy, records):
    user = member(hierarchy["T1S"], AccountType.ORGANISATIONAL)
    member_of_u1 = member(hierarchy["U1"], AccountType.READ_ONLY, email=user.email)
    assert member_of_u1 == user
    assert codes(events_visible_to(user)) == {"T1S", "U1"}


def test_a_scope_narrows_the_records_to_one_organisation_with_or_without_those_below(hierarchy, records):
    user = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    below = scope_for(user, "Q1", "below")
    assert codes(events_visible_to(user, scope=below)) == {"Q1", "T1", "T1S", "T2"}
    assert codes(events_visible_to(user, scope=scope_for(user, "Q1", "organisation"))) == {"Q1"}
    assert codes(events_visible_to(user, scope=scope_for(user, "T1", None))) == {"T1", "T1S"}
    assert scope_for(user, "U1", None) is None  # not theirs: no scope at all


def test_super_admins_see_every_processed_record(records, super_admin):
    assert codes(events_visible_to(super_admin)) == set(PROCESSED_AT)
    assert event_visible_to(super_admin, records["U1"].reference) == records["U1"]
    assert event_visible_to(super_admin, records["pending"].reference) is None


def test_anonymous_visitors_see_nothing(records):
    visitor = AnonymousUser()
    for reading in Reading:
        assert not events_visible_to(visitor, reading=reading).exists()
        assert event_visible_to(visitor, records["T1"].reference, reading=reading) is None


# -- recorders ---------------------------------------------------------------------------------------
def test_recorders_see_everything_they_recorded_processed_or_not(hierarchy, recorder, records):
    own = events_visible_to(recorder, reading=Reading.OWN_RECORDS)
    assert set(own) == set(records.values())
    pending = event_visible_to(recorder, records["pending"].reference, reading=Reading.OWN_RECORDS)
    assert pending == records["pending"]
    # The same person as an organisation user does not see it until it is processed.
    assert event_visible_to(recorder, records["pending"].reference) is None


def test_recorders_do_not_see_other_peoples_records(hierarchy, records):
    colleague = member(hierarchy["T1"], AccountType.ADMIN)
    assert not events_visible_to(colleague, reading=Reading.OWN_RECORDS).exists()
    assert event_visible_to(colleague, records["T1"].reference, reading=Reading.OWN_RECORDS) is None


def test_the_submitted_page_shows_an_anonymous_record_to_its_session_and_others_to_their_recorder(
    hierarchy, recorder, records
):
    revision = records["pending"].revisions.get()
    assert revision_just_submitted(recorder, revision.pk) == revision
    assert revision_just_submitted(member(hierarchy["T1"], AccountType.ADMIN), revision.pk) is None
    assert revision_just_submitted(AnonymousUser(), revision.pk) is None
    anonymous = submitted_event(recorder, incident_answers("T1"), anonymous=True).revisions.get()
    assert revision_just_submitted(AnonymousUser(), anonymous.pk) == anonymous
    assert revision_just_submitted(recorder, 0) is None


# -- the redaction QA screen -------------------------------------------------------------------------
def test_redaction_qa_shows_super_admins_every_revision_in_any_state(hierarchy, records, super_admin):
    pending = records["pending"].revisions.get()
    assert revision_for_redaction_qa(super_admin, pending.pk) == pending
    assert events_visible_to(super_admin, reading=Reading.REDACTION_QA).count() == len(records)
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    assert revision_for_redaction_qa(admin, pending.pk) is None
    assert not events_visible_to(admin, reading=Reading.REDACTION_QA).exists()


# -- API clients -------------------------------------------------------------------------------------
def test_api_clients_see_what_was_sent_through_the_api_for_their_organisations_and_below(hierarchy, records):
    trust_client = api_client(hierarchy["T1"])
    other = api_client(hierarchy["U1"], hierarchy["Q2"])
    sent_through_the_api(records["T1"], trust_client, hierarchy["T1"])
    sent_through_the_api(records["T1S"], other, hierarchy["T1S"])  # another key, for the trust's site
    sent_through_the_api(records["U1"], other, hierarchy["U1"])
    sent_through_the_api(records["pending"], trust_client, hierarchy["T1"])

    assert set(events_visible_to(trust_client)) == {records["T1"], records["T1S"], records["pending"]}
    assert set(events_visible_to(other)) == {records["U1"]}
    # Web records of the same organisation are not API records.
    assert event_visible_to(trust_client, str(records["T2"].uuid)) is None
    assert event_visible_to(trust_client, str(records["T1S"].uuid)) == records["T1S"]
    assert event_visible_to(other, str(records["T1"].uuid)) is None
    # What the client sent is readable at once: its free text reads "being processed" until redacted.
    assert event_visible_to(trust_client, str(records["pending"].uuid)) == records["pending"]
    assert event_visible_to(trust_client, records["T1"].reference) is None  # addressed by id, not reference
    assert event_visible_to(trust_client, "not-a-uuid") is None


def test_an_api_client_without_organisations_sees_nothing(hierarchy, records):
    orphan = api_client()
    sent_through_the_api(records["T1"], api_client(hierarchy["T1"]), hierarchy["T1"])
    assert not events_visible_to(orphan).exists()
    assert event_visible_to(orphan, str(records["T1"].uuid)) is None


# -- the two forms of each rule agree ----------------------------------------------------------------
def test_the_list_and_one_record_forms_agree_for_every_principal(hierarchy, records, recorder, super_admin):
    sent_through_the_api(records["T2"], api_client(hierarchy["T2"]), hierarchy["T2"])
    people = [recorder, super_admin, AnonymousUser()]
    people += [member(hierarchy[code], account_type) for code, account_type in ORGANISATION_READERS]
    principals = [(person, reading) for person in people for reading in Reading]
    principals += [(client, Reading.ORGANISATIONS) for client in ApiClient.objects.all()]
    for principal, reading in principals:
        listed = set(events_visible_to(principal, reading=reading))
        for event in records.values():
            key = str(event.uuid) if isinstance(principal, ApiClient) else event.reference
            one = event_visible_to(principal, key, reading=reading)
            assert (one is not None) == (event in listed), (principal, reading, event.organisation)


# -- every reader goes through the gate --------------------------------------------------------------
def listed(response) -> set[str]:
    return set(re.findall(r"\d{3}-\d{3}-\d{3}", response.content.decode()))


def test_a_record_outside_the_scope_is_not_found_on_any_organisation_surface(client, hierarchy, records):
    client.force_login(member(hierarchy["T1"], AccountType.ADMIN))
    outside = records["U1"]
    assert outside.display_reference not in listed(client.get(reverse("events:organisation_events")))
    assert client.get(reverse("events:organisation_events"), {"organisation": "U1"}).status_code == 404
    for name in (
        "organisation_event",
        "organisation_history",
        "organisation_reclassify",
        "organisation_statutory",
    ):
        assert client.get(reverse(f"events:{name}", args=[outside.reference])).status_code == 404, name
    question = reverse("events:organisation_question", args=[outside.reference, "Description"])
    assert client.get(question).status_code == 404
    for name in ("organisation_resubmit", "organisation_discard"):
        assert client.post(reverse(f"events:{name}", args=[outside.reference])).status_code == 404, name
    version = records["T1"].question_set_version
    download = client.get(reverse("events:download_csv"), {"version": version})
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {records["T1"].reference, records["T1S"].reference}


def test_a_record_not_yet_redacted_is_only_the_recorders(client, hierarchy, recorder, records):
    pending = records["pending"]
    client.force_login(member(hierarchy["T1"], AccountType.ADMIN))
    assert pending.display_reference not in listed(client.get(reverse("events:organisation_events")))
    assert client.get(reverse("events:organisation_event", args=[pending.reference])).status_code == 404
    client.force_login(recorder)
    assert pending.display_reference in listed(client.get(reverse("events:my_records")))
    detail = client.get(reverse("events:record_detail", args=[pending.reference]))
    assert detail.status_code == 200 and BEING_PROCESSED in detail.content.decode()


def test_another_recorders_record_is_not_found_in_manage_my_event_records(client, hierarchy, records):
    client.force_login(member(hierarchy["T1"], AccountType.ADMIN))
    theirs = records["T1"]
    assert theirs.display_reference not in listed(client.get(reverse("events:my_records")))
    for name in ("record_detail", "history"):
        assert client.get(reverse(f"events:{name}", args=[theirs.reference])).status_code == 404, name
    assert client.post(reverse("events:record_edit", args=[theirs.reference])).status_code == 404


def test_the_organisation_surfaces_ask_the_gate(client, hierarchy, records, monkeypatch):
    """With the gate's policy question answering no, no organisation page shows the record."""
    user = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    client.force_login(user)
    record = reverse("events:organisation_event", args=[records["T1"].reference])
    assert client.get(record).status_code == 200
    monkeypatch.setattr(visibility, "may_view_events_of", lambda user, organisation: False)
    monkeypatch.setattr(visibility, "may_include_below", lambda user, organisation: False)
    assert client.get(record).status_code == 404
    assert client.get(reverse("events:organisation_events")).status_code == 403
    assert client.get(reverse("events:download")).status_code == 403


def test_the_qa_screen_reads_its_revision_through_the_gate(client, records, super_admin, monkeypatch):
    client.force_login(super_admin)
    url = reverse("anonymisation:qa_detail", args=[records["pending"].revisions.get().pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("anonymisation:qa_detail", args=[0])).status_code == 404
    monkeypatch.setattr(visibility, "_may_check_redaction", lambda user: False)
    assert client.get(url).status_code == 404


def test_records_are_queried_only_by_the_gate():
    """No reader builds its own query of records: lists and single records come from the gate."""
    readers = [
        "events/selectors.py",
        "events/organisation_selectors.py",
        "events/fhir/selectors.py",
        "events/csv_export.py",
        "events/presenters.py",
        "events/fhir/views.py",
        "anonymisation/views/qa.py",
        "events/publication/source.py",
        "events/publication/build.py",
        "events/publication/quality.py",
        *(str(path.relative_to(ROOT)) for path in (ROOT / "events" / "views").glob("*.py")),
    ]
    for reader in readers:
        source = (ROOT / reader).read_text()
        assert not re.search(r"\bEvent\.objects\b", source), reader
        assert "get_object_or_404" not in source, reader


# -- public statistics ------------------------------------------------------------------------------
def test_public_statistics_count_every_processed_record_anonymous_ones_included(hierarchy, recorder, records):
    from events.models import Event

    anonymous = processed_event(recorder, "T2")
    Event.objects.filter(pk=anonymous.pk).update(is_anonymous=True)
    expected = {event.pk for key, event in records.items() if key != "pending"} | {anonymous.pk}
    assert set(visibility.events_for_public_statistics().values_list("pk", flat=True)) == expected


def test_the_statistics_read_their_records_through_the_gate(records, monkeypatch):
    from events.models import Event
    from events.publication import source

    assert source.published_records().count() == len(PROCESSED_AT)
    monkeypatch.setattr(source, "events_for_public_statistics", lambda: Event.objects.none())
    assert source.published_records().count() == 0
