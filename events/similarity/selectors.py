"""Reads of the similarity app, every one through the read gate (events/visibility.py).

"Events like this" for a record or a description: candidates are drawn from the records the user may
see (`events_visible_to`), narrowed cheaply, then ranked by the one ranking (ranking.rank):

- words: PostgreSQL full-text search (the record's GIN-indexed search vector) for the query's most
  telling words, best `ts_rank` first; SQLite (the demo) matches them in the redacted text;
- place and time: records of the same organisation around the same date;
- then every candidate is scored by meaning (stored vectors), words and signals, and explained.

Only redacted text is shown: `Event.search_text` is the visible revision's redacted free text.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from events.models import Event
from events.organisation_columns import SEARCH_CONFIG
from events.visibility import event_visible_to, events_visible_to, sees_every_organisation

from . import embedding
from .features import STOP_WORDS, CorpusStatistics, Profile, weight
from .models import ClusterMember, DuplicateFlag, DuplicateStatus
from .profiles import profile, profiles_of
from .ranking import RESULTS, Match, rank
from .statistics import corpus_statistics, lexeme_frequencies, lexemes_of

QUERY_TERMS = 12  # the query's most telling words searched for
TEXT_CANDIDATES = 300
MATCH_CAP = 1500  # full-text matches ranked at most
# Once there are COMMON_FROM records, the words searched for are the rarest, while the records using
# them add up (corpus statistics) to at most WORD_BUDGET_SHARE of all records (never fewer than
# WORD_BUDGET_MIN). A word thousands of records use picks out nothing in particular, and reading its
# matches is what costs (docs/adr/0020, 2026-12-05: 710 of 890 ms per ICB "events like this" at 1M).
COMMON_FROM = 10_000
WORD_BUDGET_SHARE = 0.003
WORD_BUDGET_MIN = 2_000
LEXEME_FLOOR = 0.05  # tokens used by fewer records than this share of the budget: not counted by lexeme
RECENT_CANDIDATES = 300  # a description of common words only: the latest records, ranked by meaning
FULL_COMPARISONS = 60  # candidates compared in full (profiles built), the rest dropped by a cheap score
NEARBY_CANDIDATES = 100
NEARBY_DAYS = 90
SNIPPET = 240
SHOWN_RELATED = ("organisation",)


@dataclass
class SimilarRecord:
    event: Event
    match: Match
    snippet: str


def _telling_words(query: Profile, stats: CorpusStatistics) -> list[str]:
    """The query's words that say most: rarest in the records (corpus statistics), else in English."""
    # Plain tokens, as the corpus statistics count them (the ranking's terms are stemmed: "doses"
    # counted as "dose" would look like a word no record uses); PostgreSQL stems them itself.
    words = [t for t in query.tokens if len(t) > 2 and t.isascii() and t.isalpha() and t not in STOP_WORDS]
    if stats.documents:
        words.sort(key=lambda t: (-stats.idf(t), -weight(t), t))
        if stats.documents >= COMMON_FROM and connection.vendor == "postgresql":
            # What a search for a word reads is every record with its lexeme ("alarm" finds
            # "alarms"): counted by lexeme, rarest first, within the budget.
            budget = max(WORD_BUDGET_MIN, WORD_BUDGET_SHARE * stats.documents)
            per_lexeme = lexeme_frequencies(stats, floor=int(budget * LEXEME_FLOOR))
            lexemes = lexemes_of(words)
            cost = {w: sum(per_lexeme.get(x, 0) for x in lexemes.get(w, [])) for w in words}
            ordered = [w for w in sorted(words, key=lambda w: (cost[w], words.index(w))) if lexemes.get(w)]
            kept, used = [], 0
            for word in ordered[:QUERY_TERMS]:
                used += cost[word]
                if used > budget:
                    break
                kept.append(word)
            return kept
    else:
        words.sort(key=lambda t: (-weight(t), t))
    return words[:QUERY_TERMS]


def _by_words(
    visible: QuerySet[Event], query: Profile, stats: CorpusStatistics, *, gate_filters: bool = True
) -> list[int]:
    words = _telling_words(query, stats)
    if not words:
        return []
    if connection.vendor == "postgresql":
        # The matches are read up to a cap, unordered, ranked in the same pass (one read of each
        # row) and the best kept here: a query whose words are common would otherwise rank half the
        # records (docs/adr/0020).
        search = SearchQuery(" | ".join(words), search_type="raw", config=SEARCH_CONFIG)
        matched = visible.filter(search_vector=search)
        if gate_filters and stats.documents >= COMMON_FROM:
            # The words are within the budget: their matches first, by the GIN index alone, then the
            # gate. PostgreSQL would otherwise AND the word bitmap with one of every record of the
            # user's organisations (~90 ms for an ICB's 487,000 at 1M; p95 ~140 -> ~100 ms).
            matches = Event.objects.filter(search_vector=search).order_by().values("id")[: 2 * MATCH_CAP]
            matched = visible.filter(id__in=matches)
        ranked = (
            matched.annotate(rank=SearchRank(F("search_vector"), search))
            .order_by()
            .values_list("rank", "id")[:MATCH_CAP]
        )
        return [pk for _, pk in heapq.nlargest(TEXT_CANDIDATES, ranked)]
    matches = Q()
    for word in words[:6]:
        matches |= Q(search_text__icontains=word)
    return list(
        visible.filter(matches).order_by("-created_at").values_list("id", flat=True)[:TEXT_CANDIDATES]
    )


def _nearby(visible: QuerySet[Event], query: Profile) -> list[int]:
    if query.organisation is None or query.event_date is None:
        return []
    # By creation time, which the dashboard's (organisation, created) index covers: records are made
    # a few days after the event, so the window is the event date's, shifted by a week.
    middle = dt.datetime.combine(query.event_date, dt.time(), tzinfo=dt.UTC) + dt.timedelta(days=7)
    window = dt.timedelta(days=NEARBY_DAYS)
    return list(
        visible.filter(
            organisation_id__in=sorted(query.organisation_group or {query.organisation}),
            created_at__range=(middle - window, middle + window),
        )
        .order_by("-created_at")
        .values_list("id", flat=True)[:NEARBY_CANDIDATES]
    )


def _recent(visible: QuerySet[Event], query: Profile, by_words: list[int]) -> list[int]:
    """For a description none of whose words is searched for (every one is common, so a full-text
    search would read a large share of the records): the latest records, by the creation-time
    index, for the vectors to choose from."""
    if by_words or query.organisation is not None:
        return []
    return list(visible.order_by("-created_at").values_list("id", flat=True)[:RECENT_CANDIDATES])


def _shortlist(visible: QuerySet[Event], query: Profile, by_words: list[int], nearby: list[int]) -> list[int]:
    """The candidates worth a full comparison: the best by sentence vector and full-text rank, read
    without building their profiles (a profile costs about a millisecond; a vector, microseconds)."""
    ids = sorted((set(by_words) | set(nearby)) - {query.key})
    if len(ids) <= FULL_COMPARISONS or query.vector is None:
        return ids
    text_rank = {pk: 1 - n / len(by_words) for n, pk in enumerate(by_words)}
    model_name = embedding.current_model().name
    scored = []
    for pk, vector, vector_model in visible.filter(id__in=ids).values_list(
        "id", "similarity_embedding__vector", "similarity_embedding__model_name"
    ):
        meaning = (
            float(embedding.from_bytes(vector) @ query.vector) if vector and vector_model == model_name else 0
        )
        scored.append((meaning + 0.5 * text_rank.get(pk, 0.0), pk))
    return [pk for _, pk in heapq.nlargest(FULL_COMPARISONS, scored)]


def _ranked(user, query: Profile, *, limit: int) -> list[SimilarRecord]:
    visible = events_visible_to(user)
    stats = corpus_statistics()
    by_words = _by_words(visible, query, stats, gate_filters=not sees_every_organisation(user))
    ids = _shortlist(visible, query, by_words, _nearby(visible, query) + _recent(visible, query, by_words))
    if not ids:
        return []
    candidates = visible.filter(id__in=ids)
    matches = rank(query, profiles_of(candidates), limit=limit, stats=stats)
    events = candidates.select_related(*SHOWN_RELATED).in_bulk([m.candidate.key for m in matches])
    return [
        SimilarRecord(events[m.candidate.key], m, _snippet(events[m.candidate.key].search_text))
        for m in matches
        if m.candidate.key in events
    ]


def _snippet(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rsplit(" ", 1)[0] + "…"


def similar_events(user, event: Event, *, limit: int = RESULTS) -> list[SimilarRecord]:
    """The records most like this one that the user may see ("Events like this")."""
    found = profiles_of(Event.objects.filter(pk=event.pk))
    if not found or not found[0].text.strip():
        return []
    query = found[0]
    if query.vector is None:
        query.vector = embedding.encode([query.text])[0]
    return _ranked(user, query, limit=limit)


def similar_to_description(user, text: str, *, limit: int = RESULTS) -> list[SimilarRecord]:
    """The records most like a description typed on the dashboard, among those the user may see."""
    text = text.strip()
    if not text:
        return []
    query = profile(key=None, text=text, organisation_id=None, vector=embedding.encode([text])[0])
    return _ranked(user, query, limit=limit)


# -- duplicates ---------------------------------------------------------------------------------------
@dataclass
class DuplicateView:
    flag: DuplicateFlag
    other: Event  # the record on the other side of the flag, one the user may see
    snippet: str


def duplicate_flags_for(user, event: Event) -> list[DuplicateView]:
    """Open flags involving this record whose other record the user may see too."""
    flags = DuplicateFlag.objects.filter(Q(event=event) | Q(candidate=event), status=DuplicateStatus.OPEN)
    other_ids = {f.candidate_id if f.event_id == event.pk else f.event_id: f for f in flags}
    visible = events_visible_to(user).filter(id__in=sorted(other_ids)).select_related(*SHOWN_RELATED)
    return [
        DuplicateView(other_ids[other.pk], other, _snippet(other.search_text))
        for other in visible.order_by("created_at")
    ]


def duplicate_flag_for(user, reference: str, flag_id: int) -> DuplicateFlag | None:
    """A flag on a record the user may see, both of whose records they may see."""
    event = event_visible_to(user, reference)
    if event is None:
        return None
    flag = (
        DuplicateFlag.objects.filter(Q(event=event) | Q(candidate=event), pk=flag_id)
        .select_related("event__organisation", "candidate")
        .first()
    )
    if flag is None:
        return None
    other = flag.candidate_id if flag.event_id == event.pk else flag.event_id
    return flag if events_visible_to(user).filter(pk=other).exists() else None


def cluster_of(user, event: Event) -> tuple[Event | None, list[Event]]:
    """The canonical record of the event's cluster and its other members, as far as the user may see."""
    member = ClusterMember.objects.select_related("cluster").filter(event=event).first()
    if member is None:
        return None, []
    ids = list(ClusterMember.objects.filter(cluster=member.cluster).values_list("event_id", flat=True))
    visible = events_visible_to(user).filter(id__in=ids).in_bulk()
    canonical = visible.get(member.cluster.canonical_id)
    others = [e for pk, e in sorted(visible.items()) if pk not in (event.pk, member.cluster.canonical_id)]
    return canonical, others


def open_duplicate_flags(user, *, limit: int = 50) -> list[DuplicateFlag]:
    """Open flags whose two records the user may see, newest first (the organisation's list)."""
    visible = events_visible_to(user)
    return list(
        DuplicateFlag.objects.filter(status=DuplicateStatus.OPEN)
        .filter(event__in=visible.values("id"), candidate__in=visible.values("id"))
        .select_related("event", "candidate", "event__organisation")
        .order_by("-created_at")[:limit]
    )


# -- counting once -------------------------------------------------------------------------------------
def counted_once(events: QuerySet[Event]) -> QuerySet[Event]:
    """The records, each event once: members of a duplicate cluster other than its canonical record
    are left out. For statistics and CSV that count events rather than records."""
    return events.exclude(
        id__in=ClusterMember.objects.exclude(cluster__canonical_id=F("event_id")).values("event_id")
    )


def annotate_duplicate_of(events: QuerySet[Event]) -> QuerySet[Event]:
    """`duplicate_of`: the canonical record's reference for a linked duplicate, else None."""
    canonical = ClusterMember.objects.filter(event_id=OuterRef("pk")).exclude(
        cluster__canonical_id=OuterRef("pk")
    )
    return events.annotate(duplicate_of=Subquery(canonical.values("cluster__canonical__reference")[:1]))
