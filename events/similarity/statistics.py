"""The corpus statistics of the service's records (features.CorpusStatistics), built by the worker
from redacted text only and read once an hour per process."""

from __future__ import annotations

import threading
import time

from django.db import connection

from events.models import Event
from events.organisation_columns import SEARCH_CONFIG

from .features import EMPTY_STATISTICS, CorpusStatistics
from .models import TermStatistics

REFRESH_SECONDS = 3600
BUILD_ON_READ_LIMIT = 20_000  # fewer records than this: built when first read (demo, tests)
KEEP_SINGLETONS_OVER = 100_000  # above this many records, tokens used once are not stored

_lock = threading.Lock()
_cached: tuple[float, CorpusStatistics] | None = None


def term_statistics_build() -> CorpusStatistics:
    """Counts every processed record's tokens and stores the counts (one row)."""
    texts = (
        Event.objects.filter(visible_revision__isnull=False)
        .values_list("search_text", flat=True)
        .iterator(chunk_size=5000)
    )
    stats = CorpusStatistics.from_texts(text or "" for text in texts)
    frequencies = stats.frequencies
    if stats.documents > KEEP_SINGLETONS_OVER:
        frequencies = {token: n for token, n in frequencies.items() if n > 1}
    TermStatistics.objects.update_or_create(
        pk=1, defaults={"documents": stats.documents, "frequencies": frequencies}
    )
    forget()
    return CorpusStatistics(stats.documents, frequencies)


def corpus_statistics() -> CorpusStatistics:
    global _cached
    now = time.monotonic()
    if _cached is not None and now - _cached[0] < REFRESH_SECONDS:
        return _cached[1]
    with _lock:
        row = TermStatistics.objects.filter(pk=1).first()
        if row is not None:
            stats = CorpusStatistics(row.documents, row.frequencies)
        else:
            # One bounded read instead of a count over every record and then a second read.
            processed = Event.objects.filter(visible_revision__isnull=False).order_by()
            texts = list(processed.values_list("search_text", flat=True)[: BUILD_ON_READ_LIMIT + 1])
            small = len(texts) <= BUILD_ON_READ_LIMIT
            stats = CorpusStatistics.from_texts(text or "" for text in texts) if small else EMPTY_STATISTICS
        _cached = (now, stats)
        return stats


def forget() -> None:
    global _cached
    _cached = None


def lexemes_of(words: list[str]) -> dict[str, list[str]]:
    """Each word's full-text lexemes, as PostgreSQL's search configuration stems them (one query)."""
    if not words or connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t, tsvector_to_array(to_tsvector(%s::regconfig, t)) FROM unnest(%s::text[]) AS t",
            [SEARCH_CONFIG, list(words)],
        )
        return {word: list(found or []) for word, found in cursor.fetchall()}


def lexeme_frequencies(stats: CorpusStatistics, *, floor: int = 0) -> dict[str, int]:
    """How many records use each lexeme, at most (the sum over the tokens stemmed to it): what a
    full-text search for a word reads. Counted once per statistics object and process, over the
    tokens at least `floor` records use (the rarer ones add little, and a large vocabulary would
    make the first request after each refresh slow)."""
    if stats.frequencies and not stats.lexemes:
        with _lock:
            if not stats.lexemes:
                counts: dict[str, int] = {}
                common = sorted(t for t, n in stats.frequencies.items() if n >= floor)
                for token, found in lexemes_of(common).items():
                    for lexeme in found:
                        counts[lexeme] = counts.get(lexeme, 0) + stats.frequencies[token]
                stats.lexemes.update(counts or {"": 0})
    return stats.lexemes
