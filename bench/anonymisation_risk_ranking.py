"""How well the residual-risk score puts records with a missed name first (the QA screen's order).

    .venv/bin/python bench/anonymisation_risk_ranking.py [FILE.jsonl ...]   # default: the judges dev8, dev9b

For each narrative of the labelled files: is any labelled PERSON left unredacted, and the record's
residual risk (``anonymisation/pipeline/risk.py``) with and without the count of name-like words the
learned name look left. Prints the AUC of each score for "a name was missed" and how many of the
records with a missed name are in the riskiest fifth. A measure only: no weight is chosen by it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings")
INDEPENDENT = ROOT / "fixtures" / "anonymisation" / "independent"
JUDGES = (INDEPENDENT / "dev8" / "dev8.jsonl", INDEPENDENT / "dev9b" / "dev9b.jsonl")


def auc(rows: list[tuple[bool, float]]) -> float:
    positives = [score for missed, score in rows if missed]
    negatives = [score for missed, score in rows if not missed]
    if not positives or not negatives:
        return float("nan")
    wins = sum((a > b) + 0.5 * (a == b) for a in positives for b in negatives)
    return wins / (len(positives) * len(negatives))


def in_riskiest(rows: list[tuple[bool, float]], share: float = 0.2) -> int:
    ranked = sorted(rows, key=lambda row: -row[1])
    return sum(missed for missed, _ in ranked[: int(len(rows) * share)])


def main() -> int:
    import django

    django.setup()
    from anonymisation.pipeline import get_pipeline, redact_texts
    from anonymisation.pipeline.evaluation import load_examples
    from anonymisation.pipeline.risk import residual_risk

    files = [Path(arg) for arg in sys.argv[1:]] or list(JUDGES)
    pipeline = get_pipeline()
    without, with_words = [], []
    for path in files:
        for example in load_examples(path):
            result = redact_texts({"text": example.text}, pipeline=pipeline)
            covered = [(e.start, e.end) for e in result.entities]
            missed = any(
                span.type == "PERSON" and not any(a < span.end and span.start < b for a, b in covered)
                for span in example.spans
            )
            without.append((missed, residual_risk(result.texts).score))
            with_words.append(
                (missed, residual_risk(result.texts, name_like_words=result.name_like_words).score)
            )
    missed = sum(m for m, _ in without)
    print(f"{len(without)} records, {missed} with a missed name ({', '.join(p.stem for p in files)})")
    print(f"AUC, risk without name-like words: {auc(without):.3f}; with them: {auc(with_words):.3f}")
    print(
        f"records with a missed name in the riskiest fifth: {in_riskiest(without)} of {missed} without; "
        f"{in_riskiest(with_words)} of {missed} with"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
