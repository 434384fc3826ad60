"""How "events like this" bounds its full-text search on a large service: only words whose records
add up to a budget are searched for, counted by PostgreSQL's lexeme ("alarm" finds "alarms")."""

import pytest
from django.db import connection

from events.similarity import selectors
from events.similarity.features import CorpusStatistics, Profile

pytestmark = [
    pytest.mark.django_db,
    # Words are counted by PostgreSQL's lexeme; the demo's SQLite matches words as written.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="lexemes are PostgreSQL's"),
]


def test_only_the_rare_words_are_searched_for_counted_by_their_lexeme():
    stats = CorpusStatistics(
        1_000_000, {"insulin": 400, "humalog": 90, "ward": 200_000, "alarms": 50_000, "given": 300_000}
    )
    query = Profile(key=None, text="Humalog and insulin given on the ward; the alarm sounded")
    words = selectors._telling_words(query, stats)
    # "alarm" is used by no record as such, but "alarms" is: a search for it would read 50,000.
    # Rarest first ("sounded": no record uses it, searching for it costs nothing).
    assert words == ["sounded", "humalog", "insulin"]


def test_a_description_of_common_words_only_is_matched_among_the_latest_records():
    stats = CorpusStatistics(1_000_000, {"ward": 200_000, "given": 300_000})
    assert selectors._telling_words(Profile(key=None, text="given on the ward"), stats) == []
