"""Duplicate warnings: at submission (the form's "Record submitted" page, the FHIR API as an
OperationOutcome warning, never a refusal), flags on the record page, link and dismiss, clusters
counted once."""

from html import escape

import pytest
from django.urls import reverse

from accounts.models import AccountType
from events.fhir.outcome import IssueCode
from events.lifecycle import revision_publish
from events.models import Event
from events.similarity import selectors, services
from events.similarity.models import ClusterMember, DuplicateFlag, DuplicateStatus
from events.similarity.submission import WARNING, duplicate_warning
from events.views.recording import SUBMITTED
from tests.events.fhir.checks import outcome
from tests.events.fhir.payloads import PATH, vendor_incident
from tests.events.test_organisation_support import member, redacted, submitted_event
from tests.factories import make_hierarchy
from tests.similarity.helpers import FALL, INSULIN, INSULIN_AGAIN, PRESSURE, answers_for, embedded_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


@pytest.fixture
def recorder(hierarchy):
    return member(hierarchy["T1"], AccountType.STANDARD)


def test_a_retelling_of_the_same_event_is_flagged_and_a_different_event_is_not(hierarchy, recorder):
    first = embedded_event(recorder, "T1", INSULIN)
    again = embedded_event(recorder, "T1", INSULIN_AGAIN)
    other = embedded_event(recorder, "T1", PRESSURE)
    elsewhere = embedded_event(recorder, "T2", INSULIN)  # another trust: never the same event
    flags = {(f.event_id, f.candidate_id) for f in DuplicateFlag.objects.all()}
    assert flags == {(again.pk, first.pk)}
    assert other.pk not in {pk for pair in flags for pk in pair}
    assert elsewhere.pk not in {pk for pair in flags for pk in pair}


def test_a_different_patient_is_not_a_duplicate(hierarchy, recorder):
    first = embedded_event(recorder, "T1", INSULIN)
    older = embedded_event(recorder, "T1", INSULIN.replace("Jane Doe", "a 45-year-old man, Jane Doe,"))
    younger = embedded_event(recorder, "T1", INSULIN.replace("Jane Doe", "a 72-year-old man, Jane Doe,"))
    assert not DuplicateFlag.objects.filter(event=younger, candidate=older).exists()
    assert DuplicateFlag.objects.filter(event=older, candidate=first).exists()


def test_organisation_users_link_records_as_one_event_counted_once(client, hierarchy, recorder):
    first = embedded_event(recorder, "T1", INSULIN)
    again = embedded_event(recorder, "T1", INSULIN_AGAIN)
    flag = DuplicateFlag.objects.get(event=again)
    reviewer = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    client.force_login(reviewer)
    page = client.get(reverse("events:organisation_event", args=[again.reference])).content.decode()
    assert "Possible duplicates" in page and "Link as the same event" in page
    url = reverse("similarity:duplicate_decide", args=[again.reference, flag.pk])
    response = client.post(url, {"decision": "link"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.LINKED and flag.decided_by == reviewer
    member_rows = ClusterMember.objects.filter(event__in=[first, again])
    assert {m.cluster.canonical_id for m in member_rows} == {first.pk}
    counted = selectors.counted_once(Event.objects.filter(pk__in=[first.pk, again.pk]))
    assert list(counted) == [first]
    page = client.get(reverse("events:organisation_event", args=[again.reference])).content.decode()
    assert "which is the one counted" in page and "Link as the same event" not in page
    # A flag already decided cannot be decided again.
    client.post(url, {"decision": "dismiss"})
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.LINKED


def test_a_third_record_joins_the_existing_cluster(hierarchy, recorder):
    first = embedded_event(recorder, "T1", INSULIN)
    second = embedded_event(recorder, "T1", INSULIN_AGAIN)
    third = embedded_event(recorder, "T1", INSULIN_AGAIN.replace("Ward 7:", "On ward 7,"))
    reviewer = member(hierarchy["T1"], AccountType.ADMIN)
    services.duplicate_link(actor=reviewer, flag=DuplicateFlag.objects.get(event=second, candidate=first))
    services.duplicate_link(actor=reviewer, flag=DuplicateFlag.objects.get(event=third, candidate=second))
    clusters = {m.cluster_id for m in ClusterMember.objects.all()}
    assert len(clusters) == 1 and ClusterMember.objects.count() == 3
    counted = selectors.counted_once(Event.objects.filter(pk__in=[first.pk, second.pk, third.pk]))
    assert list(counted) == [first]


def test_dismissed_flags_stay_dismissed_and_read_only_users_cannot_decide(client, hierarchy, recorder):
    embedded_event(recorder, "T1", INSULIN)
    again = embedded_event(recorder, "T1", INSULIN_AGAIN)
    flag = DuplicateFlag.objects.get(event=again)
    url = reverse("similarity:duplicate_decide", args=[again.reference, flag.pk])
    client.force_login(member(hierarchy["T1"], AccountType.READ_ONLY))
    page = client.get(reverse("events:organisation_event", args=[again.reference])).content.decode()
    assert "Possible duplicates" in page and "Link as the same event" not in page
    assert client.post(url, {"decision": "dismiss"}).status_code == 403
    client.force_login(member(hierarchy["T1"], AccountType.ORGANISATIONAL))
    client.post(url, {"decision": "dismiss"})
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.DISMISSED
    services.event_embed(again.pk)  # re-embedded (a new revision): the pair is not flagged again
    assert DuplicateFlag.objects.filter(event=again).count() == 1
    assert not ClusterMember.objects.exists()


def test_the_record_submitted_page_warns_of_a_probable_duplicate_without_naming_it(
    client, hierarchy, recorder
):
    existing = embedded_event(recorder, "T1", INSULIN)
    client.force_login(recorder)
    duplicate = submitted_event(recorder, answers_for("T1", INSULIN_AGAIN))
    session = client.session
    session[SUBMITTED] = {"revision": duplicate.revisions.get().pk}
    session.save()
    page = client.get(reverse("events:submitted")).content.decode()
    assert "Record Submitted" in page and escape(WARNING) in page
    assert existing.reference not in page and existing.display_reference not in page
    different = submitted_event(recorder, answers_for("T1", FALL))
    session = client.session
    session[SUBMITTED] = {"revision": different.revisions.get().pk}
    session.save()
    page = client.get(reverse("events:submitted")).content.decode()
    assert "Record Submitted" in page and "may describe the same event" not in page
    assert duplicate_warning(different.revisions.get()) == []


def test_the_api_returns_a_possible_duplicate_as_an_operation_outcome_warning(api, organisations):
    prefer = {"Prefer": "return=OperationOutcome"}
    first = outcome(api.post(PATH, vendor_incident(), headers=prefer), 201)
    assert IssueCode.POSSIBLE_DUPLICATE.value not in str(first)
    event = Event.objects.get()
    revision = event.revisions.get()
    revision_publish(revision_id=revision.pk, redacted_answers=redacted(revision.answers))
    services.event_embed(event.pk)
    response = api.post(PATH, vendor_incident(), headers=prefer)
    issues = outcome(response, 201)  # stored, never refused
    duplicate = [i for i in issues if i["details"]["coding"][0]["code"] == IssueCode.POSSIBLE_DUPLICATE.value]
    assert len(duplicate) == 1 and duplicate[0]["severity"] == "warning"
    assert Event.objects.count() == 2


def test_the_csv_says_which_record_a_linked_duplicate_is_the_same_event_as(client, hierarchy, recorder):
    import csv
    import io

    first = embedded_event(recorder, "T1", INSULIN)
    again = embedded_event(recorder, "T1", INSULIN_AGAIN)
    reviewer = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    services.duplicate_link(actor=reviewer, flag=DuplicateFlag.objects.get(event=again))
    client.force_login(reviewer)
    response = client.get(reverse("events:download_csv"), {"version": first.question_set_version})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_reference = {row["ReferenceNumber"]: row["DuplicateOfReference"] for row in rows}
    assert by_reference == {first.reference: "", again.reference: first.reference}
    # Counting rows with the column empty counts the event once, as counted_once does.
    assert sum(1 for value in by_reference.values() if not value) == 1


def _retold(value, replacements: dict[str, str]):
    """The payload with its free-text strings replaced (a different event of the same organisation)."""
    if isinstance(value, dict):
        return {key: _retold(item, replacements) for key, item in value.items()}
    if isinstance(value, list):
        return [_retold(item, replacements) for item in value]
    return replacements.get(value, value) if isinstance(value, str) else value


def _put(api, resource_id: str, body: dict, headers: dict):
    body = dict(body, id=resource_id)
    return api.put(f"{PATH}/{resource_id}", body, headers=headers)


def _duplicate_warnings(issues: list[dict]) -> list[dict]:
    return [i for i in issues if i["details"]["coding"][0]["code"] == IssueCode.POSSIBLE_DUPLICATE.value]


def _processed(event: Event) -> None:
    revision = event.revisions.order_by("-number").first()
    revision_publish(revision_id=revision.pk, redacted_answers=redacted(revision.answers))
    services.event_embed(event.pk)


def test_the_api_warns_of_a_possible_duplicate_on_update_as_on_create_and_never_refuses(api, organisations):
    prefer = {"Prefer": "return=OperationOutcome"}
    outcome(api.post(PATH, vendor_incident(), headers=prefer), 201)
    first = Event.objects.get()
    _processed(first)
    different = _retold(
        vendor_incident(),
        {
            "The infusion pump ran at twice the prescribed rate overnight.": (
                "The patient slipped on a wet floor in the day room and bruised a hip."
            ),
            "Morphine sulfate": "Paracetamol",
            "Infusion stopped, doctor called": "Floor dried, sign put out",
            "Recovered after observation": "Bruising, X-ray clear",
        },
    )
    issues = outcome(api.post(PATH, different, headers=prefer), 201)
    assert not _duplicate_warnings(issues)
    second = Event.objects.exclude(pk=first.pk).get()
    # The second record is replaced (PUT) by a retelling of the first: warned, stored, 200.
    issues = outcome(_put(api, str(second.uuid), vendor_incident(), prefer), 200)
    warned = _duplicate_warnings(issues)
    assert len(warned) == 1 and warned[0]["severity"] == "warning"
    assert first.reference not in str(issues) and first.display_reference not in str(issues)
    assert second.revisions.count() == 2 and Event.objects.count() == 2
    # The same body again changes nothing (no new revision): no new warning.
    issues = outcome(_put(api, str(second.uuid), vendor_incident(), prefer), 200)
    assert not _duplicate_warnings(issues) and second.revisions.count() == 2


def test_an_update_is_not_warned_about_a_pair_the_reviewers_already_decided(api, organisations):
    prefer = {"Prefer": "return=OperationOutcome"}
    outcome(api.post(PATH, vendor_incident(), headers=prefer), 201)
    first = Event.objects.get()
    _processed(first)
    outcome(api.post(PATH, vendor_incident(), headers=prefer), 201)
    second = Event.objects.exclude(pk=first.pk).get()
    _processed(second)
    flag = DuplicateFlag.objects.get(event=second, candidate=first)
    reviewer = member(second.organisation, AccountType.ORGANISATIONAL)
    services.duplicate_dismiss(actor=reviewer, flag=flag)
    changed = vendor_incident()
    changed["description"] += " The pump was replaced."
    issues = outcome(_put(api, str(second.uuid), changed, prefer), 200)
    assert not _duplicate_warnings(issues)
    assert second.revisions.count() == 2


def test_flags_for_many_alike_records_take_a_handful_of_queries(
    hierarchy, recorder, django_assert_max_num_queries
):
    """A batch of alike records from one system: each new one matches all the others; the flags are
    read and written at once, not a query or four per match."""
    first = [embedded_event(recorder, "T1", INSULIN) for _ in range(6)]
    event = embedded_event(recorder, "T1", INSULIN_AGAIN)
    assert set(DuplicateFlag.objects.filter(event=event).values_list("candidate_id", flat=True)) == {
        e.pk for e in first
    }
    DuplicateFlag.objects.filter(event=event).delete()
    DuplicateFlag.objects.filter(event=first[0]).delete()
    ClusterMember.objects.all().delete()
    with django_assert_max_num_queries(12):
        made = services.duplicate_flags_refresh(event)
    assert len(made) == 6
    assert DuplicateFlag.objects.filter(event=event).count() == 6
    # Again: every pair is flagged already, nothing is added.
    assert services.duplicate_flags_refresh(event) == []


def test_the_warning_at_submission_stops_comparing_at_the_first_match(hierarchy, recorder):
    """One match is enough to warn: a batch of alike records is not compared with every earlier one."""
    from unittest import mock

    from events.similarity import ranking

    for _ in range(5):
        embedded_event(recorder, "T1", INSULIN)
    revision = submitted_event(recorder, answers_for("T1", INSULIN_AGAIN)).revisions.get()
    with mock.patch(
        "events.similarity.submission.probable_duplicate", wraps=ranking.probable_duplicate
    ) as compared:
        assert duplicate_warning(revision) == [WARNING]
    assert compared.call_count == 1
    different = submitted_event(recorder, answers_for("T1", FALL)).revisions.get()
    with mock.patch(
        "events.similarity.submission.probable_duplicate", wraps=ranking.probable_duplicate
    ) as compared:
        assert duplicate_warning(different) == []
    assert compared.call_count == 5  # no match: every candidate compared


def test_a_match_is_explained_with_what_the_rule_measured_not_measured_again(hierarchy, recorder):
    # The worker compares each record with up to 150 candidates; a match's explanation reuses the
    # similarities and probability the rule has just worked out (docs/adr/0022, amended): the same
    # match as working them out again, at about half the cost.
    from unittest import mock

    from events.similarity import ranking
    from events.similarity.profiles import profiles_of
    from events.similarity.statistics import corpus_statistics

    first = embedded_event(recorder, "T1", INSULIN)
    again = embedded_event(recorder, "T1", INSULIN_AGAIN)
    query, candidate = profiles_of(Event.objects.filter(pk__in=[again.pk, first.pk]).order_by("-pk"))
    stats, tune = corpus_statistics(), ranking.tuning()
    with mock.patch.object(ranking, "semantic_similarity", wraps=ranking.semantic_similarity) as measured:
        match = ranking.probable_duplicate(query, candidate, tune=tune, stats=stats)
    assert match is not None and measured.call_count == 1
    assert match == ranking.compare(query, candidate, tune, stats, duplicate=True)


def test_the_candidates_read_by_hand_are_the_query_sets_rows(hierarchy, recorder):
    """The duplicate check reads its candidates with a statement built by hand (docs/adr/0022): the
    same rows, in the same order, as `duplicate_candidates`, with a site's records, without another
    trust's, those outside the window, the record itself or those left out."""
    import datetime as dt

    from events.similarity.profiles import PROFILE_FIELDS, _with_coded_text, profile_of_stored, profiles_of
    from tests.events.test_organisation_support import processed_event
    from tests.similarity.helpers import answers_for

    query = embedded_event(recorder, "T1", INSULIN)
    alike = embedded_event(recorder, "T1", INSULIN_AGAIN)
    earlier = embedded_event(recorder, "T1", FALL)
    far = embedded_event(recorder, "T1", PRESSURE)
    site = embedded_event(recorder, "T1S", FALL)
    other_trust = embedded_event(recorder, "T2", INSULIN)
    without_vector = processed_event(recorder, "T1", answers=answers_for("T1", PRESSURE))
    Event.objects.filter(pk=earlier.pk).update(event_date=query.event_date - dt.timedelta(days=1))
    Event.objects.filter(pk=far.pk).update(event_date=query.event_date - dt.timedelta(days=30))
    fields = (*PROFILE_FIELDS, "created_at")
    for leaving_out in [set(), {alike.pk}]:
        candidates = services.duplicate_candidates(query).exclude(pk__in=leaving_out)
        expected = [
            (*row[:-1], row[-1].timestamp())  # when each was made, in seconds since the epoch
            for row in _with_coded_text(candidates[: services.CANDIDATE_LIMIT]).values_list(*fields)
        ]
        assert services.duplicate_candidate_rows(query, leaving_out=leaving_out) == expected
    found = {row[0] for row in services.duplicate_candidate_rows(query)}
    assert found == {alike.pk, earlier.pk, site.pk, without_vector.pk}
    assert not found & {query.pk, far.pk, other_trust.pk}
    (own,) = profiles_of(Event.objects.filter(pk=query.pk))
    read = profile_of_stored(query.pk)
    assert (read.key, read.text, read.coded, read.organisation_group, read.event_date) == (
        own.key,
        own.text,
        own.coded,
        own.organisation_group,
        own.event_date,
    )
    assert (read.vector == own.vector).all()
    assert profile_of_stored(0) is None


def test_the_candidate_limit_takes_the_latest_across_a_trust_and_its_sites(hierarchy, recorder, monkeypatch):
    """Each organisation's latest records are picked before the latest of them all (docs/adr/0022): with
    the limit cutting through the trust's and its site's records, the rows are still the query set's."""
    import datetime as dt

    from events.similarity.profiles import PROFILE_FIELDS, _with_coded_text
    from tests.events.test_organisation_support import processed_event

    query = embedded_event(recorder, "T1", INSULIN)
    made = [processed_event(recorder, code, answers=answers_for(code, FALL)) for code in ["T1", "T1S"] * 3]
    for days, event in zip([0, -1, 1, 0, -2, 2], made, strict=True):
        Event.objects.filter(pk=event.pk).update(event_date=query.event_date + dt.timedelta(days=days))
    monkeypatch.setattr(services, "CANDIDATE_LIMIT", 4)
    fields = (*PROFILE_FIELDS, "created_at")
    expected = [
        (*row[:-1], row[-1].timestamp())
        for row in _with_coded_text(services.duplicate_candidates(query)[:4]).values_list(*fields)
    ]
    rows = services.duplicate_candidate_rows(query)
    assert rows == expected
    assert {row[2] for row in rows} == {made[0].organisation_id, made[1].organisation_id}
    assert [row[0] for row in rows] == [made[5].pk, made[2].pk, made[3].pk, made[0].pk]


def test_candidates_read_lately_are_read_again_when_their_rows_change(hierarchy, recorder):
    """The wide columns of candidates read moments before are not read again (docs/adr/0022), but any
    change to a candidate's record, its vector or its organisation, made through the ORM or not, even
    twice in one transaction, is read: the rows stay the query set's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.similarity.models import EventEmbedding
    from events.similarity.profiles import PROFILE_FIELDS, _with_coded_text
    from organisations.models import Organisation

    query = embedded_event(recorder, "T1", INSULIN)
    alike = embedded_event(recorder, "T1", INSULIN_AGAIN)
    site = embedded_event(recorder, "T1S", FALL)
    fields = (*PROFILE_FIELDS, "created_at")

    def expected():
        candidates = services.duplicate_candidates(query)[: services.CANDIDATE_LIMIT]
        return [(*row[:-1], row[-1].timestamp()) for row in _with_coded_text(candidates).values_list(*fields)]

    assert services.duplicate_candidate_rows(query) == expected()
    if connection.vendor == "postgresql":
        expected_rows = expected()
        with CaptureQueriesContext(connection) as read:
            assert services.duplicate_candidate_rows(query) == expected_rows
        # Which records, at which versions; no text or vector read again.
        assert not [q["sql"] for q in read.captured_queries if "search_text" in q["sql"]]
        assert any("xmin" in q["sql"] for q in read.captured_queries)
    changes = [
        lambda: Event.objects.filter(pk=alike.pk).update(search_text="a changed redacted text"),
        lambda: Event.objects.filter(pk=alike.pk).update(search_text="changed again in the same transaction"),
        lambda: Event.objects.filter(pk=site.pk).update(worst_physical_harm=1),
        lambda: EventEmbedding.objects.filter(event=alike).update(
            vector=bytes(len(alike.similarity_embedding.vector))
        ),
        lambda: EventEmbedding.objects.filter(event=site).update(coded={"Location": ["Theatre"]}),
        lambda: EventEmbedding.objects.filter(event=site).update(model_name="another-model"),
        # The trust moved under another parent: its records' rows say so.
        lambda: Organisation.objects.filter(pk=alike.organisation_id).update(parent_id=hierarchy["T2"].pk),
    ]
    for change in changes:
        before = services.duplicate_candidate_rows(query)
        change()
        after = services.duplicate_candidate_rows(query)
        assert after == expected()
        assert after != before


def test_candidates_whose_coded_patient_is_another_are_left_out_after_the_limit(
    hierarchy, recorder, monkeypatch
):
    """With the record's patient, the candidates of another coded age band or sex are not read (the rule
    rejects them whatever else they share), chosen after the limit: the others are the same rows in the
    same order, and none beyond the limit comes in instead (docs/adr/0022, fourth session)."""
    import datetime as dt

    from events.similarity.models import EventEmbedding
    from events.similarity.services import Patient
    from tests.events.test_organisation_support import processed_event

    query = embedded_event(recorder, "T1", INSULIN)
    same = embedded_event(recorder, "T1", INSULIN_AGAIN)
    older = embedded_event(recorder, "T1", FALL)
    woman = embedded_event(recorder, "T1S", FALL)
    unknown = embedded_event(recorder, "T1", PRESSURE)
    without_vector = processed_event(recorder, "T1", answers=answers_for("T1", PRESSURE))
    furthest = embedded_event(recorder, "T1", INSULIN_AGAIN)
    for event, days in [(furthest, -2), (without_vector, -1)]:
        Event.objects.filter(pk=event.pk).update(event_date=query.event_date + dt.timedelta(days=days))

    def code(event, **coded):
        stored = EventEmbedding.objects.get(event=event).coded
        EventEmbedding.objects.filter(event=event).update(coded={**stored, **coded})

    for event in (query, same, furthest):
        code(event, age_band=4, sex="male")
    code(older, age_band=7, sex="male")
    code(woman, age_band=4, sex="female")
    code(unknown, age_band=None, sex=None)
    patient = Patient(4, "male")
    every = services.duplicate_candidate_rows(query)
    rows = services.duplicate_candidate_rows(query, patient=patient)
    assert rows == [row for row in every if row[0] not in {older.pk, woman.pk}]
    assert {row[0] for row in rows} == {same.pk, unknown.pk, without_vector.pk, furthest.pk}
    assert [row[0] for row in every if patient.differs_from_stored(row[10])] == [
        row[0] for row in every if row[0] in {older.pk, woman.pk}
    ]
    assert services.duplicate_candidate_rows(query, patient=Patient(None, None)) == every
    # The limit is taken first: the furthest, beyond it, does not come in for those left out.
    monkeypatch.setattr(services, "CANDIDATE_LIMIT", 5)
    limited = [row[0] for row in services.duplicate_candidate_rows(query, patient=patient)]
    assert furthest.pk not in limited and set(limited) == {same.pk, unknown.pk, without_vector.pk}
