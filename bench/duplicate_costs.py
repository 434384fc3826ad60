"""Instructions of the duplicate rule for one record against 150 alike candidates (docs/adr/0022).

    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/duplicate_costs.py [old|new]

The load run's LRMS records match most of the 150 candidates the worker compares each with, so the
rule's work on matches is most of a task. `old` runs `probable_duplicate` as it was before the
explanation reused the rule's measurements (everything measured twice for a match); `new` runs the
code as it is. Counting is switched on (callgrind_control) only around five rounds after a warm-up;
the script prints the number of matches and a digest of every match (candidate, scores, similarities,
reasons, probability), which must be the same for both. No database is needed beyond Django's setup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.test")

import django

django.setup()

from events.similarity import embedding, ranking  # noqa: E402
from events.similarity.features import CorpusStatistics  # noqa: E402
from events.similarity.profiles import profile  # noqa: E402

WHAT = [
    "[PERSON 1] was given morphine twice within an hour after the drug chart was misread on the ward round.",
    "[PERSON 1] fell from the bed at night while trying to reach the toilet; the bed rails were down.",
    "Insulin was omitted for [PERSON 1] at teatime because the pen was not on the trolley; BM rose to 24.",
    "[PERSON 1] developed a grade 3 pressure ulcer on the sacrum; repositioning charts had gaps of 8 hours.",
]
THEN = ["Duty of candour discussed with the family.", "Reviewed by the ward manager, no lasting harm."]


def measured_twice(query, candidate, *, tune=None, stats=ranking.EMPTY_STATISTICS):
    """`probable_duplicate` before the change: the explanation measured the pair again."""
    tune = tune or ranking.tuning()
    if not ranking.could_be_duplicates(query, candidate, tune) or ranking.disagrees(query, candidate):
        return None
    meaning = ranking.semantic_similarity(query, candidate)
    words = ranking.lexical_similarity(query, candidate)
    tfidf = ranking.tfidf_similarity(query, candidate, stats) if stats.documents else 0.0
    features = ranking.duplicate_features(query, candidate, stats, meaning, words, tfidf)
    if ranking.duplicate_probability(features) < ranking.threshold_for(features, tune):
        return None
    return ranking.compare(query, candidate, tune, stats, duplicate=True)


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "new"
    if mode == "old":
        ranking.probable_duplicate = measured_twice
    chosen = random.Random(7)
    texts = [
        f"{chosen.choice(WHAT)} {chosen.choice(THEN)} Nurse [PERSON 2] called his daughter on [PHONE 1] "
        "and emailed [EMAIL 1] about it."
        for _ in range(151)
    ]
    vectors = embedding.encode(texts)
    stats = CorpusStatistics.from_texts(texts * 20)
    day = dt.date(2026, 12, 1)
    coded = {
        "questions": {"Event type": ["Incident"], "Location": ["Ward"]},
        "age_band": "40-49",
        "sex": "male",
    }
    profiles = [
        profile(
            key=number, text=text, organisation_id=1, event_date=day - dt.timedelta(days=number % 3),
            event_type="1", harm=4, vector=vector, coded=coded,
        )
        for number, (text, vector) in enumerate(zip(texts, vectors, strict=True))
    ]  # fmt: skip
    query, candidates, tune = profiles[0], profiles[1:], ranking.tuning()
    ranking.probable_duplicates(query, candidates, tune=tune, stats=stats)  # warm-up
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, check=False)
    for _ in range(5):
        found = ranking.probable_duplicates(query, candidates, tune=tune, stats=stats)
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True, check=False)
    digest = hashlib.sha1(  # noqa: S324 - a fingerprint, not security
        repr(
            [(m.candidate.key, m.score, m.meaning, m.words, m.reasons, m.duplicate_score) for m in found]
        ).encode()
    ).hexdigest()
    print(f"{mode}: {len(found)} matches of {len(candidates)} candidates, digest {digest} (5 rounds counted)")


if __name__ == "__main__":
    main()
