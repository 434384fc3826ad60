"""The one ranking and the one duplicate rule, over `Profile`s: the service and the evaluation command
(`manage.py similar_events_evaluate`) both call `rank` and `probable_duplicate` here.

A candidate's score adds:
- words: the cosine of the two records' tokens weighted by their corpus IDF raised to a power
  (features.sharp_tfidf_similarity), so the wording many reports share counts for little;
- meaning: the cosine of the two sentence vectors (events/similarity/embedding.py), a small weight;
- signals: shared medicines (a brand counting as its medicine), devices, places, clock time, age and
  named ward in the text, and shared coded answers (involved agents, location, service, specialty,
  harm), each a small bonus up to a cap;
- the same event type (incident, risk, ...).
(The rarity-weighted word and word-pair cosine, features.lexical_similarity, is a duplicate feature;
its ranking weight is 0 since the IDF power was added.)

Every match is explained by what the records share ("shares: insulin, wrong dose, same ward").

A probable duplicate is a candidate from the same organisation (a trust with its sites) whose event
date is within 48 hours, whose patient and medicine do not disagree (age band and sex when both say,
"(71F)" and "64M" included; medicines, devices and the patient's language when both name one), and
which the duplicate model (a logistic regression over meaning, words, TF-IDF, shared rare details,
numbers, sides, quantities -- "70 mins" against "40 minutes", "day 5" against "day 8", "0200"
against "0300", the same age or named ward -- and event type, fitted on the two development sets)
calls the same event.

The weights and thresholds were chosen on the labelled development sets only and then fixed
(docs/adr/0020-similar-events-duplicates-and-themes.md); a deployment may override them with the
`SIMILARITY_RANKING` setting, a dict of `Tuning` field names.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

import numpy as np

from .features import (
    EMPTY_STATISTICS,
    CorpusStatistics,
    Profile,
    conflicting_kinds,
    lexical_similarity,
    shared_terms,
    sharp_tfidf_similarity,
    tfidf_similarity,
)

RESULTS = 10
# Details two reports of one event give alike, said as a reason when both give the same one.
SIGNAL_QUANTITIES = {"clock": "same time ({})", "age": "same age ({})", "named ward": "same ward ({})"}


@dataclass(frozen=True)
class Tuning:
    # Chosen on fixtures/similarity/dev.jsonl and dev2.jsonl only (2026-12-05, a grid over meaning,
    # words, the IDF power and the signal bonus, the best mean recall@10 over the two sets, then MRR;
    # docs/adr/0020): recall@10 0.9969 on dev, 0.9761 on dev2 (before: 0.9875 and 0.8966).
    meaning: float = 0.02
    words: float = 0.0
    tfidf: float = 0.6
    tfidf_power: float = 3.0  # IDF to this power in the ranking's TF-IDF (features.sharp_tfidf_similarity)
    signal_bonus: float = 0.03  # per shared signal
    signal_cap: float = 0.12
    same_type: float = 0.02
    # Duplicates: same organisation, event dates at most this far apart, patient and medicine not
    # disagreeing, and the duplicate model's probability at or above the threshold: the best mean F1
    # over the two development sets in repeated 5-fold cross-validation of the pooled pairs, each set
    # weighing the same (2026-12-05: dev precision 0.83 recall 0.91, dev2 0.95 and 0.94).
    duplicate_window_days: int = 2
    duplicate_threshold: float = 0.40


# The duplicate model: a logistic regression over these features of a pair, fitted on the two
# development sets pooled, each weighing the same (bench/similarity_tune.py prints the fit), then fixed.
DUPLICATE_FEATURES = (
    "meaning",  # cosine of the sentence vectors
    "words",  # cosine of rarity-weighted words and pairs
    "tfidf",  # cosine of TF-IDF over the corpus statistics
    "shared_specific",  # log(1 + rare words, codes and numbers both use)
    "shared_specific_share",  # ... over the smaller record's count of them
    "numbers_jaccard",  # numbers both use over numbers either uses (0.5 when one has none)
    "numbers_conflict",  # both give numbers, none in common
    "sides_conflict",  # one says left, the other right
    "days_apart",
    "rare_shared",  # corpus-rare tokens both use, weighted by IDF
    "rare_share",  # ... over those plus the smaller record's own rare tokens
    "rare_unique",  # log(1 + the smaller record's own rare tokens, IDF-weighted)
    "quantities_conflict",  # both give a number for the same thing ("70 mins" / "40 minutes"), never the same
    "quantities_shared",  # log(1 + numbers given for the same thing by both: "50 units", "day 8")
    "different_type",  # one an incident, the other a risk (say)
    "clock_conflict",  # both give a clock time ("13:50", "approx 1350"), never the same
)
DUPLICATE_COEFFICIENTS = {
    "meaning": 1.8372,
    "words": -0.6665,
    "tfidf": 2.5402,
    "shared_specific": 0.3657,
    "shared_specific_share": -0.0497,
    "numbers_jaccard": 1.1775,
    "numbers_conflict": 0.0156,
    "sides_conflict": -6.0398,
    "days_apart": -0.7923,
    "rare_shared": 0.0231,
    "rare_share": 1.9433,
    "rare_unique": -0.4614,
    "quantities_conflict": -2.3115,
    "quantities_shared": 2.3445,
    "different_type": -1.6489,
    "clock_conflict": -0.9599,
}
DUPLICATE_INTERCEPT = -1.6172


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
    duplicate_score: float  # the duplicate model's probability (0 unless asked for)

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
    for kind, value in sorted(query.quantities & candidate.quantities):
        if kind in SIGNAL_QUANTITIES:
            reasons.append(SIGNAL_QUANTITIES[kind].format(value))
    for question, answers in query.coded.items():
        common = answers & candidate.coded.get(question, frozenset())
        reasons += [f"same {question.lower()} ({answer.split(' (')[0].lower()})" for answer in sorted(common)]
    return reasons


def duplicate_features(
    a: Profile, b: Profile, stats: CorpusStatistics, meaning: float, words: float, tfidf: float
) -> dict[str, float]:
    shared = a.specific & b.specific
    smaller = max(1, min(len(a.specific), len(b.specific)))
    numbers_either = a.numbers | b.numbers
    both_numbers = bool(a.numbers and b.numbers)
    rare_a, rare_b = stats.of_tokens(a.tokens)[1], stats.of_tokens(b.tokens)[1]
    rare_shared = sum(stats.idf(t) for t in rare_a & rare_b)
    rare_unique = min(sum(stats.idf(t) for t in rare_a - rare_b), sum(stats.idf(t) for t in rare_b - rare_a))
    days = abs((a.event_date - b.event_date).days) if a.event_date and b.event_date else 0
    return {
        "meaning": meaning,
        "words": words,
        "tfidf": tfidf,
        "shared_specific": math.log1p(len(shared)),
        "shared_specific_share": len(shared) / smaller,
        "numbers_jaccard": len(a.numbers & b.numbers) / len(numbers_either) if both_numbers else 0.5,
        "numbers_conflict": float(both_numbers and not a.numbers & b.numbers),
        "sides_conflict": float(bool(a.sides and b.sides and not a.sides & b.sides)),
        "days_apart": float(days),
        "rare_shared": rare_shared,
        "rare_share": rare_shared / (rare_shared + rare_unique) if rare_shared + rare_unique else 0.0,
        "rare_unique": math.log1p(rare_unique),
        "quantities_conflict": float(bool(conflicts := conflicting_kinds(a.quantities, b.quantities))),
        "quantities_shared": math.log1p(len(a.quantities & b.quantities)),
        "different_type": float(bool(a.event_type and b.event_type and a.event_type != b.event_type)),
        "clock_conflict": float(bool(conflicts) and "clock" in conflicts),
    }


def duplicate_probability(features: dict[str, float]) -> float:
    z = DUPLICATE_INTERCEPT + sum(
        DUPLICATE_COEFFICIENTS[name] * features[name] for name in DUPLICATE_FEATURES
    )
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


def compare(
    query: Profile,
    candidate: Profile,
    tune: Tuning,
    stats: CorpusStatistics = EMPTY_STATISTICS,
    *,
    duplicate: bool = False,
    measured: tuple[float, float, float, float] | None = None,
) -> Match:
    """`measured`: (meaning, words, tfidf, duplicate probability) of this pair when the duplicate
    rule has just worked them out (`probable_duplicate`), so they are not worked out twice."""
    if measured is not None:
        meaning, words, tfidf, probability = measured
    else:
        meaning = semantic_similarity(query, candidate)
        words = lexical_similarity(query, candidate) if tune.words or duplicate else 0.0
        tfidf = tfidf_similarity(query, candidate, stats) if duplicate and stats.documents else 0.0
    ranked = 0.0
    if tune.tfidf and stats.documents:
        ranked = (
            tfidf
            if duplicate and tune.tfidf_power == 1
            else sharp_tfidf_similarity(query, candidate, stats, tune.tfidf_power)
        )
    signals = _shared_signals(query, candidate)
    score = tune.meaning * meaning + tune.words * words + tune.tfidf * ranked
    score += min(tune.signal_cap, tune.signal_bonus * len(signals))
    if query.event_type and query.event_type == candidate.event_type:
        score += tune.same_type
    reasons = list(dict.fromkeys(signals + shared_terms(query, candidate)))[:6]
    if measured is None:
        probability = 0.0
        if duplicate:
            probability = duplicate_probability(
                duplicate_features(query, candidate, stats, meaning, words, tfidf)
            )
    return Match(candidate, score, meaning, words, reasons, probability)


def rank(
    query: Profile,
    candidates: Iterable[Profile],
    *,
    limit: int = RESULTS,
    tune: Tuning | None = None,
    stats: CorpusStatistics = EMPTY_STATISTICS,
) -> list[Match]:
    """The `limit` candidates most like the query, best first (the query itself left out)."""
    tune = tune or tuning()
    matches = (compare(query, c, tune, stats) for c in candidates if c.key != query.key)
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
    if a.languages and b.languages and not a.languages & b.languages:
        return True
    return bool(a.devices and b.devices and not a.devices & b.devices)


def could_be_duplicates(a: Profile, b: Profile, tune: Tuning) -> bool:
    """The cheap part of the rule, for choosing candidates: same organisation, dates close."""
    return a.key != b.key and same_organisation(a, b) and within_window(a, b, tune)


def probable_duplicate(
    query: Profile,
    candidate: Profile,
    *,
    tune: Tuning | None = None,
    stats: CorpusStatistics = EMPTY_STATISTICS,
) -> Match | None:
    """The match when the candidate is probably the same event as the query; None otherwise."""
    tune = tune or tuning()
    if not could_be_duplicates(query, candidate, tune) or disagrees(query, candidate):
        return None
    # The model first, the explanation (the costlier half of `compare`) only for a match.
    meaning = semantic_similarity(query, candidate)
    words = lexical_similarity(query, candidate)
    tfidf = tfidf_similarity(query, candidate, stats) if stats.documents else 0.0
    probability = duplicate_probability(duplicate_features(query, candidate, stats, meaning, words, tfidf))
    if probability < tune.duplicate_threshold:
        return None
    # The explanation (score, shared reasons) with what was just measured, not measured again.
    return compare(
        query, candidate, tune, stats, duplicate=True, measured=(meaning, words, tfidf, probability)
    )


def probable_duplicates(
    query: Profile,
    candidates: Iterable[Profile],
    *,
    tune: Tuning | None = None,
    stats: CorpusStatistics = EMPTY_STATISTICS,
) -> list[Match]:
    tune = tune or tuning()
    found = [m for c in candidates if (m := probable_duplicate(query, c, tune=tune, stats=stats)) is not None]
    return sorted(found, key=lambda m: -m.duplicate_score)
