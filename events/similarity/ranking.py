"""The one ranking and the one duplicate rule, over `Profile`s: the service and the evaluation command
(`manage.py similar_events_evaluate`) both call `rank` and `probable_duplicate` here.

A candidate's score adds:
- words: the cosine of the two records' tokens weighted by their corpus IDF raised to a power
  (features.sharp_tfidf_similarity), so the wording many reports share counts for little;
- meaning: the cosine of the two sentence vectors (events/similarity/embedding.py), a small weight;
- signals: shared medicines (a brand counting as its medicine) and medicine classes ("antibiotic"),
  devices, places, clock time, age and named ward in the text, and shared coded answers (involved
  agents, location, service, specialty, harm), each a small bonus up to a cap;
- what happened, however worded (features.CONCEPTS: "fell" / "found on the floor" / "unwitnessed
  fall"): the share of concepts both tell, a small weight;
- the same event type (incident, risk, ...).
(The rarity-weighted word and word-pair cosine, features.lexical_similarity, is a duplicate feature;
its ranking weight is 0 since the IDF power was added.)

Every match is explained by what the records share ("shares: insulin, wrong dose, same ward").

A probable duplicate is a candidate from the same organisation (a trust with its sites) whose event
date is within 48 hours, whose patient and medicine do not disagree (age band and sex when both say,
"(71F)" and "64M" included; medicines -- or, when a record names only a class, medicine classes --
devices other than those named in passing, and the patient's language when both name one), whose
texts do not state a fact of the event differently (`contradicts`: ages more than a year apart, times
more than two hours apart, a dose, duration, score or share, the ward, bay or bed, the side, the part
of the body, the specimen, the line or the result), and which the duplicate model (a logistic
regression over meaning, TF-IDF, shared rare details, numbers, quantities -- "70 mins" against
"40 minutes", "day 5" against "day 8", "0200" against "0300", times within the hour, the same age,
sex or ward, what happened however it is worded ("fell" / "found on the floor"), a medicine's class,
details both name -- and event type, fitted on the four development sets) calls the same event: at
the lower threshold when the texts state a specific fact alike (`shared_facts`: the age, sex, a time
within the hour, an amount, a medicine, a side, a detail, an identifier few records use), at the
stricter one when they share only the kind of event and its wording.

The weights and thresholds were chosen on the labelled development sets only and then fixed
(docs/adr/0020-similar-events-duplicates-and-themes.md); a deployment may override them with the
`SIMILARITY_RANKING` setting, a dict of `Tuning` field names.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from functools import lru_cache

import numpy as np

from .features import (
    DETAILS,
    EMPTY_STATISTICS,
    CorpusStatistics,
    Profile,
    clocks_near,
    conflicting_kinds,
    lexical_similarity,
    quantities_by_kind,
    shared_terms,
    sharp_tfidf_similarity,
    tfidf_similarity,
)

RESULTS = 10
# Devices a report names in passing ("bed 4", "walking frame", "oxygen mask", "drawn up in a syringe")
# or by a word covering several ("tube": a feeding, chest or breathing tube): naming different ones
# says nothing against two reports being of one event.
INCIDENTAL_DEVICES = frozenset(
    {"bed", "tube", "frame", "walking-frame", "pen", "needle", "monitor", "mask", "oxygen", "syringe"}
)
# Quantities that are not amounts of the event: the age and time are facts of their own, and every
# report from one ward names it.
NOT_AMOUNTS = frozenset({"age", "aged", "clock", "ward", "named ward"})
# Details two reports of one event give alike, said as a reason when both give the same one.
SIGNAL_QUANTITIES = {"clock": "same time ({})", "age": "same age ({})", "named ward": "same ward ({})"}


@dataclass(frozen=True)
class Tuning:
    # Chosen on the three development sets only (fixtures/similarity/dev.jsonl, dev2.jsonl,
    # dev3/dev3.jsonl; 2026-12-05, a grid over meaning, the IDF power, the signal bonus and the concept
    # weight, the best mean recall@10 over the sets, then MRR; each set left out in turn chose the same;
    # docs/adr/0020): recall@10 0.9969 dev, 0.9841 dev2, 0.9622 dev3 (before: 0.9969, 0.9761, 0.9270).
    # dev4, since (fifth round): 0.9723 with these weights.
    meaning: float = 0.02
    words: float = 0.0
    tfidf: float = 0.6
    tfidf_power: float = 3.0  # IDF to this power in the ranking's TF-IDF (features.sharp_tfidf_similarity)
    signal_bonus: float = 0.03  # per shared signal
    signal_cap: float = 0.12
    same_type: float = 0.02
    concepts: float = 0.06  # weight of the share of what happened both tell (features.CONCEPTS), Jaccard
    # Added to the score of a candidate the duplicate rule says is probably the same event, so a record's
    # other tellings come first (2026-12-06; the best mean recall@10 over the four development sets, then
    # MRR, of 0, 0.05, 0.1, 0.2 and 1: bench/similarity_tune.py --duplicate-bonus; docs/adr/0020).
    duplicate_bonus: float = 0.05
    # Duplicates: same organisation, event dates at most this far apart, patient and medicine not
    # disagreeing, no fact stated differently, and the duplicate model's probability at or above the
    # threshold -- the stricter one when the texts share no specific fact (`shared_facts`). Both fixed
    # by leave-one-set-out over the four development sets (2026-12-05, fifth round;
    # bench/similarity_tune.py): each set scored by the model fitted on the other three, the pair of
    # thresholds (from the tune script's grid) with the best mean F1 over the four so scored (precision /
    # recall dev 0.73 / 1.00, dev2 0.89 / 0.98, dev3 0.74 / 0.89, dev4 0.81 / 0.63; docs/adr/0020).
    duplicate_window_days: int = 2
    duplicate_threshold: float = 0.25
    duplicate_threshold_kind_only: float = 0.45  # a pair sharing no specific fact (ranking.shared_facts)


# The duplicate model: a logistic regression over these features of a pair, fitted on the four
# development sets pooled, each weighing the same (bench/similarity_tune.py prints the fit), then fixed
# (2026-12-05, fifth round: dev4 added; pairs a contradiction excludes are left out of the fit;
# docs/adr/0020).
DUPLICATE_FEATURES = (
    "meaning",  # cosine of the sentence vectors
    "tfidf",  # cosine of TF-IDF over the corpus statistics
    "shared_specific",  # log(1 + rare words, codes and numbers both use)
    "numbers_jaccard",  # numbers both use over numbers either uses (0.5 when one has none)
    "days_apart",
    "rare_share",  # corpus-rare tokens both use over those plus the smaller record's own, IDF-weighted
    "rare_unique",  # log(1 + the smaller record's own rare tokens, IDF-weighted)
    "quantities_conflict",  # both give a number for the same thing ("70 mins" / "40 minutes"), never the same
    "quantities_shared",  # log(1 + numbers given for the same thing by both: "50 units", "day 8", "ward 7")
    "different_type",  # one an incident, the other a risk (say)
    "clock_conflict",  # both give clock times, none within an hour of one the other gives
    "concepts_jaccard",  # what happened, however worded (features.CONCEPTS): shared over either's
    "concepts_shared",  # log(1 + concepts both tell)
    "clock_near",  # a time within an hour of one the other gives ("approx 0300" / "03:10" / "just after 3am")
    "period_conflict",  # the times of day never meet ("overnight" / "at 1430")
    "classes_shared",  # one class of medicine ("Levemir" / "long-acting insulin"; "Tazocin" / "antibiotic")
    "ward_shared",  # the same ward number or name (every report from that ward shares it: it offsets
    # quantities_shared, which counts the ward too)
    "same_sex",  # the text says the same sex ("71F" / "a woman" / "she")
    "same_age",  # the same age in any notation ("71 y/o", "(71F)", "aged 71", "Patient age: 71")
    "details_shared",  # log(1 + details both name: the body part, specimen, line, result; features.DETAILS)
)
DUPLICATE_COEFFICIENTS = {
    "meaning": 1.5428,
    "tfidf": 1.3612,
    "shared_specific": 0.1526,
    "numbers_jaccard": 0.4323,
    "days_apart": -0.6486,
    "rare_share": 2.2021,
    "rare_unique": 0.2906,
    "quantities_conflict": -2.0142,
    "quantities_shared": 1.6333,
    "different_type": -2.1273,
    "clock_conflict": -2.0782,
    "concepts_jaccard": 0.9849,
    "concepts_shared": 0.6015,
    "clock_near": 0.8787,
    "period_conflict": -1.4123,
    "classes_shared": 0.9041,
    "ward_shared": -1.4427,
    "same_sex": 0.9628,
    "same_age": 0.6826,
    "details_shared": 1.0259,
}
DUPLICATE_INTERCEPT = -2.5597


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
    reasons += [
        f"{kind} medicine"
        for kind in sorted(query.medicine_classes & candidate.medicine_classes)
        if kind not in reasons
    ]
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
    conflicts = conflicting_kinds(a.quantities, b.quantities)
    kinds_a, kinds_b = quantities_by_kind(a.quantities), quantities_by_kind(b.quantities)
    clocks_a, clocks_b = kinds_a.get("clock"), kinds_b.get("clock")
    near = bool(clocks_a and clocks_b and clocks_near(clocks_a, clocks_b))
    concepts = len(a.concepts & b.concepts)
    either = len(a.concepts | b.concepts)
    wards = [k for k in ("ward", "named ward") if k in kinds_a and k in kinds_b]
    shorter, longer = sorted((max(1, a.length), max(1, b.length)))
    details_shared = len(a.details & b.details)
    facts = shared_facts(a, b, kinds_a, kinds_b, near, details_shared)
    if any(is_code(t) for t in rare_a & rare_b):
        facts.add("code")
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
        "quantities_conflict": float(bool(conflicts - {"clock"})),
        "quantities_shared": math.log1p(len(a.quantities & b.quantities)),
        "different_type": float(bool(a.event_type and b.event_type and a.event_type != b.event_type)),
        "clock_conflict": float(bool(clocks_a and clocks_b) and not near),
        "clock_exact_conflict": float("clock" in conflicts),
        "clock_near": float(near),
        "period_conflict": float(bool(a.periods and b.periods and not a.periods & b.periods)),
        "concepts_shared": math.log1p(concepts),
        "concepts_share": concepts / max(1, min(len(a.concepts), len(b.concepts))),
        "concepts_jaccard": concepts / either if either else 0.0,
        "concepts_disjoint": float(bool(a.concepts and b.concepts) and not concepts),
        "classes_shared": float(bool(a.medicine_classes & b.medicine_classes)),
        "ward_shared": float(any(kinds_a[k] & kinds_b[k] for k in wards)),
        "ward_conflict": float(bool(wards) and not any(kinds_a[k] & kinds_b[k] for k in wards)),
        "length_ratio": math.log(longer / shorter),
        "same_sex": float(bool(a.text_sex and a.text_sex == b.text_sex)),
        "same_age": float("age" in kinds_a and "age" in kinds_b and bool(kinds_a["age"] & kinds_b["age"])),
        "details_shared": math.log1p(details_shared),
        "kind_only": float(not facts),  # nothing specific told alike: the stricter threshold applies
    }


def is_code(token: str) -> bool:
    """An identifier: letters and digits together ("eq8831", "t34-0913"), as an asset or a batch has."""
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


def shared_facts(a: Profile, b: Profile, kinds_a, kinds_b, near: bool, details_shared: int) -> set[str]:
    """The specific facts of the event both texts state alike (FACT_KINDS): the patient's age and sex,
    a time within the hour, an amount ("50 units", "day 8", "bed 4"), a medicine, a side, a detail
    (the body part, the specimen, the line, the result); and (`duplicate_features`) an identifier few
    records use ("asset EQ8831"). A pair without any shares only the kind of event and its wording:
    related events of one ward and week do too."""
    found = set()
    if "age" in kinds_a and "age" in kinds_b and kinds_a["age"] & kinds_b["age"]:
        found.add("age")
    if a.text_sex and a.text_sex == b.text_sex:
        found.add("sex")
    if near:
        found.add("clock")
    if {kind for kind, _ in a.quantities & b.quantities} - NOT_AMOUNTS:
        found.add("amount")
    if a.medicines & b.medicines:
        found.add("medicine")
    if a.sides & b.sides:
        found.add("side")
    if details_shared:
        found.add("detail")
    return found


@lru_cache(maxsize=20_000)
def details_by_kind(details: frozenset) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind, value in details:
        found.setdefault(kind, set()).add(value)
    return found


def threshold_for(features: dict[str, float], tune: Tuning) -> float:
    """The stricter threshold for a pair that shares no specific fact, only the kind of event."""
    return tune.duplicate_threshold_kind_only if features["kind_only"] else tune.duplicate_threshold


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
    if tune.concepts and (either := len(query.concepts | candidate.concepts)):
        score += tune.concepts * len(query.concepts & candidate.concepts) / either
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
    """The `limit` candidates most like the query, best first (the query itself left out); a candidate
    the duplicate rule matches (same organisation, 48 hours, `probable_duplicate`) gains
    `tune.duplicate_bonus`, so another telling of the same event is not ranked below related events."""
    tune = tune or tuning()
    matches = (_ranked(query, c, tune, stats) for c in candidates if c.key != query.key)
    return heapq.nlargest(limit, matches, key=lambda m: (m.score, str(m.candidate.key)))


def _ranked(query: Profile, candidate: Profile, tune: Tuning, stats: CorpusStatistics) -> Match:
    if tune.duplicate_bonus and could_be_duplicates(query, candidate, tune):
        match = probable_duplicate(query, candidate, tune=tune, stats=stats)
        if match is not None:
            match.score += tune.duplicate_bonus
            return match
    return compare(query, candidate, tune, stats)


# Amounts a report states of its event (a dose, a duration, a score, a share, a stage, a section of the
# Mental Health Act): two different ones are two events.
# Where the event happened, by number or name ("ward 7", "bay 3", "bed 11", "Oak ward"; not "borrowed
# from ward 4": features.ELSEWHERE).
STATED_PLACES = frozenset({"ward", "named ward", "bay", "bed", "room"})
STATED_AMOUNTS = frozenset(
    {"mg", "mcg", "g", "ml", "unit", "min", "%", "vip", "news", "gcs", "stage", "section"}
)
# What `contradicts` compares: every kind of fact above, none of which two tellings of one event in the
# three first development sets ever gave differently (2026-12-05, fourth round; docs/adr/0020; dev4
# gives 9 of its 145 true pairs differently, mostly durations and times of different moments: fifth
# round).
CONTRADICTIONS = frozenset({"age", "clock", "side", *DETAILS, *STATED_AMOUNTS, *STATED_PLACES})
CONTRADICTING_HOURS = 2


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


def patients_differ(
    age_band_a: int | None, sex_a: str | None, age_band_b: int | None, sex_b: str | None
) -> bool:
    """Two patients told by age band and sex are not one: both give an age band and they differ, or
    both a sex and they differ. (The duplicate check also leaves such candidates out before reading
    them, by their coded answers: services.duplicate_candidate_rows.)"""
    if age_band_a is not None and age_band_b is not None and age_band_a != age_band_b:
        return True
    return bool(sex_a and sex_b and sex_a != sex_b)


def disagrees(a: Profile, b: Profile) -> bool:
    """The two records cannot be about the same patient and medicine. Coded answers are compared
    with coded answers and words with words: a coded age and an age in the text may differ in
    meaning (age at the event, age now) and are not played against each other."""
    if patients_differ(a.age_band, a.sex, b.age_band, b.sex) or patients_differ(
        a.text_age_band, a.text_sex, b.text_age_band, b.text_sex
    ):
        return True
    if a.medicines and b.medicines and not a.medicines & b.medicines:
        return True
    if (
        a.medicine_classes
        and b.medicine_classes
        and not a.medicine_classes & b.medicine_classes
        and not (a.medicines and b.medicines)
    ):
        return True
    if a.languages and b.languages and not a.languages & b.languages:
        return True
    devices_a, devices_b = a.devices - INCIDENTAL_DEVICES, b.devices - INCIDENTAL_DEVICES
    if devices_a and devices_b and not devices_a & devices_b:
        return True
    return contradicts(a, b)


def contradicts(a: Profile, b: Profile) -> bool:
    """The texts state a fact of the event differently: the patient's age (more than a year apart),
    the time (no time either gives within CONTRADICTING_HOURS of one the other gives), an amount
    (STATED_AMOUNTS: "40 units" / "50 units", "70 mins" / "40 minutes", "sats 84%" / "81%"), the side,
    or a detail of one kind (features.DETAILS: the part of the body, the specimen, the line, the
    result)."""
    rules = CONTRADICTIONS
    kinds_a, kinds_b = quantities_by_kind(a.quantities), quantities_by_kind(b.quantities)
    if (
        "age" in rules
        and "age" in kinds_a
        and "age" in kinds_b
        and min(abs(int(x) - int(y)) for x in kinds_a["age"] for y in kinds_b["age"]) > 1
    ):
        return True
    if (
        "clock" in rules
        and "clock" in kinds_a
        and "clock" in kinds_b
        and not clocks_near(kinds_a["clock"], kinds_b["clock"], within=60 * CONTRADICTING_HOURS)
    ):
        return True
    for kind in (kinds_a.keys() & kinds_b.keys()) & (STATED_AMOUNTS | STATED_PLACES):
        if kind in rules and not kinds_a[kind] & kinds_b[kind]:
            return True
    if "side" in rules and a.sides and b.sides and not a.sides & b.sides:
        return True
    details_a, details_b = details_by_kind(a.details), details_by_kind(b.details)
    return any(
        kind in rules and not details_a[kind] & details_b[kind]
        for kind in details_a.keys() & details_b.keys()
    )


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
    words = lexical_similarity(query, candidate) if "words" in DUPLICATE_COEFFICIENTS else 0.0
    tfidf = tfidf_similarity(query, candidate, stats) if stats.documents else 0.0
    features = duplicate_features(query, candidate, stats, meaning, words, tfidf)
    probability = duplicate_probability(features)
    if probability < threshold_for(features, tune):
        return None
    if "words" not in DUPLICATE_COEFFICIENTS:
        # The model does not read it, but a match shows it (as `compare` would work it out).
        words = lexical_similarity(query, candidate)
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
