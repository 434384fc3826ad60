"""Writes of the similarity app: vectors, duplicate flags, links and dismissals.

Records themselves are never written here (events/lifecycle.py is their only writer): every row
points at a record and is computed from its visible, redacted revision.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.permissions import Action, Target, allows
from events.models import Event
from lfpse.prepared import PreparedGet

from . import embedding
from .features import Profile
from .models import ClusterMember, DuplicateCluster, DuplicateFlag, DuplicateStatus, EventEmbedding
from .profiles import (
    CODED_TEXT,
    coded_signals,
    kept_profile_rows,
    profile_of_stored,
    stored_profile_rows,
    stored_profiles,
)
from .ranking import Match, patients_differ, probable_duplicates, tuning
from .statistics import corpus_statistics

# Read by every redaction task: the statement is built once (lfpse/prepared.py, docs/adr/0022).
_event_with_visible_revision = PreparedGet(Event, "id", related=("visible_revision", "organisation"))


def event_embed(event_id: int) -> bool:
    """Stores the vector of the record's visible revision and refreshes its duplicate flags.
    False when the record has no redacted revision yet (nothing to embed)."""
    event = _event_with_visible_revision(event_id)
    if event is None or event.visible_revision is None:
        return False
    vector = embedding.encode([event.search_text or ""])[0]
    values = embedding_values_with(event, vector, embedding.current_model().name)
    with transaction.atomic():
        # One INSERT ... ON CONFLICT DO UPDATE, not update_or_create's look-up, savepoint and write.
        EventEmbedding.objects.bulk_create(
            [EventEmbedding(event=event, **values)],
            update_conflicts=True,
            unique_fields=["event"],
            update_fields=[name for name in values if name != "event"] + ["updated_at"],
        )
        # The record's own profile is read back as stored: the order of its coded answers (jsonb's)
        # decides which shared answers a flag names first.
        duplicate_flags_refresh(event)
    return True


def events_needing_embedding() -> QuerySet[Event]:
    """Processed records with free text but without a vector of the current model's, or with one of an
    older revision (records of codes only, such as generated history, have nothing to embed)."""
    model_name = embedding.current_model().name
    return _processed_with_text().filter(
        Q(similarity_embedding__isnull=True)
        | ~Q(similarity_embedding__model_name=model_name)
        | ~Q(similarity_embedding__revision_id=F("visible_revision_id"))
    )


def events_missed_by_their_worker() -> QuerySet[Event]:
    """Processed records whose vector of the current model is missing or of an older revision: the
    redaction worker embeds a record right after publishing it, so these are records whose worker
    stopped in between (killed, say), whose duplicate flags were never refreshed either."""
    model_name = embedding.current_model().name
    return _processed_with_text().filter(
        Q(similarity_embedding__isnull=True)
        | Q(similarity_embedding__model_name=model_name)
        & ~Q(similarity_embedding__revision_id=F("visible_revision_id"))
    )


def _processed_with_text() -> QuerySet[Event]:
    """Records shown to organisations whose visible revision has free text to embed."""
    return Event.objects.filter(visible_revision__isnull=False).exclude(search_text="")


def embeddings_backfill(
    *,
    batch_size: int = 512,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    flag_duplicates: bool = False,
    events: QuerySet[Event] | None = None,
) -> int:
    """Embeds every record that needs it (or those of `events`), a batch at a time (one encode call
    per batch); returns how many. Duplicate flags are left to the per-record work unless asked for."""
    done = 0
    events = events_needing_embedding() if events is None else events
    for batch in _batches(events.order_by("id"), batch_size):
        vectors = embedding.encode([event.search_text or "" for event in batch])
        model_name = embedding.current_model().name
        with transaction.atomic():
            # A batch is replaced in two statements, not one upsert a record: the worker's rate.
            EventEmbedding.objects.filter(event_id__in=[event.pk for event in batch]).delete()
            EventEmbedding.objects.bulk_create(
                EventEmbedding(event=event, **embedding_values_with(event, vector, model_name))
                for event, vector in zip(batch, vectors, strict=True)
            )
        if flag_duplicates:
            for event in batch:
                duplicate_flags_refresh(event)
        done += len(batch)
        if progress:
            progress(len(batch))
        if limit is not None and done >= limit:
            break
    return done


def embedding_values_with(event: Event, vector, model_name: str) -> dict:
    revision = event.visible_revision
    return {
        "revision": revision,
        "model_name": model_name,
        "vector": embedding.to_bytes(vector),
        "coded": coded_signals(revision.redacted_answers or {}, revision.question_set_version),
    }


def _batches(events: QuerySet[Event], size: int) -> Iterator[list[Event]]:
    last = 0
    while True:
        batch = list(events.filter(id__gt=last).select_related("visible_revision")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


# -- duplicates ---------------------------------------------------------------------------------------
CANDIDATE_LIMIT = 150  # a busy trust's 48 hours; the nearest dates first


@dataclass(frozen=True)
class Patient:
    """A record's patient as its coded answers tell it (`profiles.coded_signals`): what the duplicate
    check compares its candidates' with before reading them."""

    age_band: int | None
    sex: str | None

    @classmethod
    def of(cls, profile: Profile) -> Patient:
        return cls(profile.age_band, profile.sex)

    def differs_from_stored(self, coded_text: str | None) -> bool:
        """A candidate's coded answers (as stored with its vector, JSON) tell another patient."""
        coded = json.loads(coded_text) if coded_text else {}
        return patients_differ(self.age_band, self.sex, coded.get("age_band"), coded.get("sex"))

    def sql(self) -> tuple[str, list]:
        """`differs_from_stored`, negated, as SQL over `m` (the candidate's vector row, PostgreSQL's
        jsonb): a candidate without a vector row, or whose coded answers give no age band or no sex,
        is kept."""
        clauses, params = [], []
        if self.age_band is not None:
            clauses.append("(m.coded->>'age_band' IS NULL OR m.coded->>'age_band' = %s)")
            params.append(str(self.age_band))
        if self.sex:
            clauses.append("COALESCE(m.coded->>'sex', '') IN ('', %s)")
            params.append(self.sex)
        return " AND ".join(clauses) or "TRUE", params


def duplicate_candidates(event: Event) -> QuerySet[Event]:
    """Processed records of the same organisation (a trust with its sites) within the duplicate
    window of the event date: what the duplicate rule compares a record with."""
    from organisations.models import Organisation
    from organisations.selectors import counting_as_q, own_organisation_ids

    if event.organisation_id is None or event.event_date is None:
        return Event.objects.none()
    window = dt.timedelta(days=tuning().duplicate_window_days)
    own = own_organisation_ids(event.organisation)
    # The organisations by id (the trust and its sites), so the read is a range of the
    # (organisation, event date) index per organisation, not every organisation's days (migration 0002).
    organisations = Organisation.objects.filter(counting_as_q(own, field=None)).values("id")
    return (
        Event.objects.filter(visible_revision__isnull=False)
        .filter(organisation_id__in=organisations)
        .filter(event_date__range=(event.event_date - window, event.event_date + window))
        .exclude(pk=event.pk)
        .order_by("-event_date", "-id")
    )


def duplicate_candidate_rows(
    event: Event, *, leaving_out: Collection[int] = (), patient: Patient | None = None
) -> list[tuple]:
    """The first CANDIDATE_LIMIT of `duplicate_candidates(event)` in its order, but for the records in
    `leaving_out`, as rows of `stored_profile_rows` (their profiles with when each was made). The same
    rows as the query set (tests/similarity/test_duplicates.py compares them), in one statement built
    by hand: this runs in every API submission and every redaction task (docs/adr/0022).

    With `patient` (the record's coded age band and sex), the rows of those first CANDIDATE_LIMIT whose
    coded patient is another (`ranking.patients_differ`) are left out: the duplicate rule rejects them
    whatever else they share, so the matches are the same. Records of a night's batch spread over weeks
    are mostly read for the first time by each process, and reading and profiling them cost more than
    the rest of the check (docs/adr/0022, fourth session)."""
    from organisations.models import OrganisationKind
    from organisations.selectors import own_organisation_ids

    if event.organisation_id is None or event.event_date is None:
        return []
    if connection.vendor != "postgresql":  # SQLite (`make run`): the query set's ids, then their rows
        ids = list(
            duplicate_candidates(event)
            .exclude(pk__in=list(leaving_out))
            .values_list("pk", flat=True)[:CANDIDATE_LIMIT]
        )
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        rows = stored_profile_rows(f"e.id IN ({marks})", ids, then="ORDER BY e.event_date DESC, e.id DESC")
        return [row for row in rows if patient is None or not patient.differs_from_stored(row[CODED_TEXT])]
    window = dt.timedelta(days=tuning().duplicate_window_days)
    own = sorted(own_organisation_ids(event.organisation))
    organisations = Event._meta.get_field("organisation").related_model._meta.db_table
    events = Event._meta.db_table
    # Each organisation's latest CANDIDATE_LIMIT in the window by its (organisation, date) index, then the
    # latest of those: the same rows as ordering them all, but a busy trust's batch (thousands of records
    # in 48 hours) is not read and sorted whole, nor its vectors joined, for each record (docs/adr/0022).
    others = " AND NOT (x.id = ANY(%s))" if leaving_out else ""
    among = (
        f"SELECT c.id FROM (SELECT id FROM {organisations}"  # noqa: S608 - names from the models
        " WHERE id = ANY(%s) OR (kind = %s AND parent_id = ANY(%s))) AS own"
        f" CROSS JOIN LATERAL (SELECT x.id, x.event_date FROM {events} x"
        " WHERE x.organisation_id = own.id AND x.visible_revision_id IS NOT NULL"
        f" AND x.event_date BETWEEN %s AND %s AND x.id <> %s{others}"
        f" ORDER BY x.event_date DESC, x.id DESC LIMIT {CANDIDATE_LIMIT:d}) c"
        f" ORDER BY c.event_date DESC, c.id DESC LIMIT {CANDIDATE_LIMIT:d}"
    )
    params = [own, OrganisationKind.TRUST_SITE.value, own]
    params += [event.event_date - window, event.event_date + window, event.pk]
    if leaving_out:
        params.append(sorted(leaving_out))
    # `among` selects the rows; the outer read only joins their columns and keeps their order.
    where, where_params = patient.sql() if patient is not None else ("TRUE", [])
    then = "ORDER BY e.event_date DESC, e.id DESC"
    return kept_profile_rows(params, then=then, among=among, where=where, where_params=where_params)


def duplicate_matches(
    event: Event, *, leave_out: set[frozenset] = frozenset()
) -> tuple[list[Match], dict[int, float]]:
    """The record's probable duplicates, and when each candidate was made (seconds since the epoch).
    Candidates paired with it in `leave_out` are not compared (they are still counted in
    CANDIDATE_LIMIT, so the others are the same whatever is left out)."""
    own = profile_of_stored(event.pk)
    if own is None:
        return [], {}
    candidates = list(stored_profiles(duplicate_candidate_rows(event, patient=Patient.of(own))))
    made_at = {profile.key: created_at for profile, created_at in candidates}
    compared = [profile for profile, _ in candidates if frozenset((event.pk, profile.key)) not in leave_out]
    return probable_duplicates(own, compared, stats=corpus_statistics()), made_at


# No savepoint of its own inside the worker's transaction (event_embed): a failure here fails that
# transaction as a whole anyway, and the savepoint cost two statements a record (docs/adr/0022).
@transaction.atomic(savepoint=False)
def duplicate_flags_refresh(event: Event) -> list[DuplicateFlag]:
    """Flags the record with each probable duplicate, the later record pointing at the earlier one.
    A pair already flagged (either way) or already in one cluster is left as it is.

    A handful of queries whatever the number of matches (records sent in a batch by one system are
    often all alike): the flags, the candidates with when they were made and the cluster memberships
    are read at once. A candidate already flagged with the record is not compared again (a new
    revision of a record of such a batch is flagged with all of them already)."""
    flagged = {
        frozenset(pair)
        for pair in DuplicateFlag.objects.filter(Q(event=event) | Q(candidate=event)).values_list(
            "event_id", "candidate_id"
        )
    }
    matches, made_at = duplicate_matches(event, leave_out=flagged)
    if not matches:
        return []
    matched = [match.candidate.key for match in matches]
    clusters: dict[int, list[int]] = {}
    for event_id, cluster_id in ClusterMember.objects.filter(event_id__in=[event.pk, *matched]).values_list(
        "event_id", "cluster_id"
    ):
        clusters.setdefault(event_id, []).append(cluster_id)
    flags = []
    for match in matches:
        other = match.candidate.key
        pair = frozenset((event.pk, other))
        if pair in flagged or _same_cluster(clusters, event.pk, other):
            continue
        flagged.add(pair)
        later, earlier = (
            (event.pk, other)
            if (event.created_at.timestamp(), event.pk) > (made_at[other], other)
            else (other, event.pk)
        )
        flags.append(
            DuplicateFlag(
                event_id=later,
                candidate_id=earlier,
                score=round(match.duplicate_score, 4),
                reasons=match.reasons,
            )
        )
    # One insert; a pair another worker flagged meanwhile is left as that worker made it.
    return DuplicateFlag.objects.bulk_create(flags, ignore_conflicts=True)


def _same_cluster(clusters: dict[int, list[int]], a: int, b: int) -> bool:
    """Each of the two records is a member of one cluster, the same one."""
    memberships = clusters.get(a, []) + clusters.get(b, [])
    return len(memberships) == 2 and len(set(memberships)) == 1


class DuplicateDecisionError(Exception):
    """The flag was already decided."""


def _decide_check(actor, flag: DuplicateFlag) -> None:
    if not allows(actor, Action.LINK_DUPLICATE_EVENTS_OF_MY_ORGANISATION, Target(flag.event.organisation)):
        raise PermissionDenied
    if flag.status != DuplicateStatus.OPEN:
        raise DuplicateDecisionError("This possible duplicate has already been checked.")


@transaction.atomic
def duplicate_link(*, actor, flag: DuplicateFlag) -> DuplicateCluster:
    """Links the flagged record to the earlier one as the same event: one cluster, whose canonical
    record is the earliest made (an existing cluster's canonical record stays canonical)."""
    flag = (
        DuplicateFlag.objects.select_for_update(of=("self",))
        .select_related("event__organisation")
        .get(pk=flag.pk)
    )
    _decide_check(actor, flag)
    members = {
        m.event_id: m
        for m in ClusterMember.objects.select_related("cluster").filter(
            event_id__in=[flag.event_id, flag.candidate_id]
        )
    }
    clusters = {m.cluster for m in members.values()}
    if clusters:
        cluster = min(clusters, key=lambda c: c.created_at)
        for other in clusters - {cluster}:  # two clusters joined: the older one keeps its canonical
            ClusterMember.objects.filter(cluster=other).update(cluster=cluster)
            other.delete()
    else:
        cluster = DuplicateCluster.objects.create(canonical_id=flag.candidate_id)
    for event_id in (flag.candidate_id, flag.event_id):
        ClusterMember.objects.update_or_create(
            event_id=event_id, defaults={"cluster": cluster, "linked_by": actor}
        )
    flag.status, flag.decided_by, flag.decided_at = DuplicateStatus.LINKED, actor, timezone.now()
    flag.save(update_fields=["status", "decided_by", "decided_at"])
    return cluster


@transaction.atomic
def duplicate_dismiss(*, actor, flag: DuplicateFlag) -> DuplicateFlag:
    """Not the same event: the flag is closed and never raised again for this pair."""
    flag = (
        DuplicateFlag.objects.select_for_update(of=("self",))
        .select_related("event__organisation")
        .get(pk=flag.pk)
    )
    _decide_check(actor, flag)
    flag.status, flag.decided_by, flag.decided_at = DuplicateStatus.DISMISSED, actor, timezone.now()
    flag.save(update_fields=["status", "decided_by", "decided_at"])
    return flag
