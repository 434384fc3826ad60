"""The one ranking and the one duplicate rule, over `Profile`s: the service and the evaluation command
(`manage.py similar_events_evaluate`) both call `rank` and `probable_duplicate` here.

A candidate's score adds:
- meaning: the cosine of the two sentence vectors (events/similarity/embedding.py);
- words: the cosine of rarity-weighted word and word-pair counts (features.lexical_similarity);
- signals: shared medicines, devices and places named in the text, and shared coded answers
  (involved agents, location, service, specialty, harm), each a small bonus up to a cap;
- the same event type (incident, risk, ...).

Every match is explained by what the records share ("shares: insulin, wrong dose, same ward").

A probable duplicate is a candidate from the same organisation (a trust with its sites) whose event
date is within 48 hours, whose text is near-identical in meaning and words, and whose patient and
medicine do not disagree: age band and sex when both say, medicines and devices when both name one.

The weights and thresholds were chosen on the labelled development set only and then fixed
(docs/adr/0020-similar-events-duplicates-and-themes.md); a deployment may override them with the
`SIMILARITY_RANKING` setting, a dict of `Tuning` field names.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

import numpy as np

from .features import Profile, lexical_similarity, shared_terms

RESULTS = 10


@dataclass(frozen=True)
class Tuning:
    meaning: float = 0.55
    words: float = 0.45
    signal_bonus: float = 0.04  # per shared signal
    signal_cap: float = 0.12
    same_type: float = 0.02
    # Duplicates: same organisation, event dates at most this far apart, and a duplicate score
    # (meaning and words blended) at or above the threshold.
    duplicate_window_days: int = 2
    duplicate_meaning: float = 0.5
    duplicate_threshold: float = 0.62


def tuning() -> Tuning:
    from django.conf import settings

    overrides = getattr(settings, "SIMILARITY_RANKING", None) or {}
    known = {f.name for f in fields(Tuning)}
    return replace(Tuning(), **{k: v for k, v in overrides.items() if k in known})


@dataclass
class Match:
    candidate: Profile
    score: float
    meaning: float
    words: float
    reasons: list[str]
    duplicate_score: float

    @property
    def explanation(self) -> str:
        return "shares: " + ", ".join(self.reasons) if self.reasons else "similar wording"


def semantic_similarity(a: Profile, b: Profile) -> float:
    if a.vector is None or b.vector is None:
        return 0.0
    return float(np.dot(a.vector, b.vector))


def _shared_signals(query: Profile, candidate: Profile) -> list[str]:
    reasons = sorted(query.medicines & candidate.medicines)
    reasons += sorted(query.devices & candidate.devices)
    reasons += [f"same {place}" for place in sorted(query.places & candidate.places)]
    for question, answers in query.coded.items():
        common = answers & candidate.coded.get(question, frozenset())
        reasons += [f"same {question.lower()} ({answer.split(' (')[0].lower()})" for answer in sorted(common)]
    return reasons


def compare(query: Profile, candidate: Profile, tune: Tuning) -> Match:
    meaning = semantic_similarity(query, candidate)
    words = lexical_similarity(query, candidate)
    signals = _shared_signals(query, candidate)
    score = tune.meaning * meaning + tune.words * words
    score += min(tune.signal_cap, tune.signal_bonus * len(signals))
    if query.event_type and query.event_type == candidate.event_type:
        score += tune.same_type
    reasons = list(dict.fromkeys(signals + shared_terms(query, candidate)))[:6]
    duplicate = tune.duplicate_meaning * meaning + (1 - tune.duplicate_meaning) * words
    return Match(candidate, score, meaning, words, reasons, duplicate)


def rank(
    query: Profile, candidates: Iterable[Profile], *, limit: int = RESULTS, tune: Tuning | None = None
) -> list[Match]:
    """The `limit` candidates most like the query, best first (the query itself left out)."""
    tune = tune or tuning()
    matches = (compare(query, c, tune) for c in candidates if c.key != query.key)
    return heapq.nlargest(limit, matches, key=lambda m: (m.score, str(m.candidate.key)))


def same_organisation(a: Profile, b: Profile) -> bool:
    if a.organisation is None or b.organisation is None:
        return False
    return a.organisation == b.organisation or bool(
        {a.organisation} & b.organisation_group or {b.organisation} & a.organisation_group
    )


def within_window(a: Profile, b: Profile, tune: Tuning) -> bool:
    if a.event_date is None or b.event_date is None:
        return False
    return abs((a.event_date - b.event_date).days) <= tune.duplicate_window_days


def disagrees(a: Profile, b: Profile) -> bool:
    """The two records cannot be about the same patient and medicine. Coded answers are compared
    with coded answers and words with words: a coded age and an age in the text may differ in
    meaning (age at the event, age now) and are not played against each other."""
    for age_a, age_b in ((a.age_band, b.age_band), (a.text_age_band, b.text_age_band)):
        if age_a is not None and age_b is not None and age_a != age_b:
            return True
    for sex_a, sex_b in ((a.sex, b.sex), (a.text_sex, b.text_sex)):
        if sex_a and sex_b and sex_a != sex_b:
            return True
    if a.medicines and b.medicines and not a.medicines & b.medicines:
        return True
    return bool(a.devices and b.devices and not a.devices & b.devices)


def may_be_duplicates(a: Profile, b: Profile, tune: Tuning) -> bool:
    """The cheap part of the rule, for choosing candidates: same organisation, dates close."""
    return a.key != b.key and same_organisation(a, b) and within_window(a, b, tune)


def probable_duplicate(query: Profile, candidate: Profile, *, tune: Tuning | None = None) -> Match | None:
    """The match when the candidate is probably the same event as the query; None otherwise."""
    tune = tune or tuning()
    if not may_be_duplicates(query, candidate, tune) or disagrees(query, candidate):
        return None
    match = compare(query, candidate, tune)
    return match if match.duplicate_score >= tune.duplicate_threshold else None


def probable_duplicates(
    query: Profile, candidates: Iterable[Profile], *, tune: Tuning | None = None
) -> list[Match]:
    tune = tune or tuning()
    found = [m for c in candidates if (m := probable_duplicate(query, c, tune=tune)) is not None]
    return sorted(found, key=lambda m: -m.duplicate_score)
