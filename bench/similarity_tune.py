"""Choosing the ranking's weights and the duplicate threshold on the DEVELOPMENT set only
(fixtures/similarity/dev.jsonl): prints a grid of figures. The chosen values are then fixed in
events/similarity/ranking.py (Tuning) before the held-out set is scored once.

    .venv/bin/python bench/similarity_tune.py [fixtures/similarity/dev.jsonl]
"""

import os
import sys
from dataclasses import replace
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.test")
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

import numpy as np  # noqa: E402

from events.similarity import evaluation, features, ranking  # noqa: E402

DEV = Path(sys.argv[1] if len(sys.argv) > 1 else "fixtures/similarity/dev.jsonl")
if "heldout" in DEV.name:
    sys.exit("Tuning is done on the development set only.")


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000, rate: float = 0.5):
    """Logistic regression by gradient descent on standardised features; coefficients returned on
    the features' own scale."""
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / spread
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = p - y
        w -= rate * (z.T @ g / len(y) + l2 * w)
        b -= rate * g.mean()
    return w / spread, b - float((w * mean / spread).sum())


def probabilities(model, x):
    w, b = model
    return 1 / (1 + np.exp(-(x @ w + b)))


def duplicate_pairs(lines, stats, tune):
    truth = evaluation.true_duplicate_pairs(lines)
    rows, labels = [], []
    for a, b in evaluation.duplicate_candidates(lines, tune):
        if ranking.disagrees(a, b):
            continue
        meaning, words = ranking.semantic_similarity(a, b), features.lexical_similarity(a, b)
        tfidf = features.tfidf_similarity(a, b, stats)
        found = ranking.duplicate_features(a, b, stats, meaning, words, tfidf)
        rows.append([found[name] for name in ranking.DUPLICATE_FEATURES])
        labels.append(frozenset((a.key, b.key)) in truth)
    return np.array(rows), np.array(labels, dtype=float), len(truth)


def main() -> None:
    lines = evaluation.read_labelled(DEV)
    evaluation.attach_vectors(lines)
    stats = evaluation.statistics_of(lines)
    tune = ranking.tuning()
    x, y, true_pairs = duplicate_pairs(lines, stats, tune)
    print(f"candidate pairs: {len(y)}, of which duplicates {int(y.sum())}; true pairs {true_pairs}")
    rng = np.random.default_rng(18)
    print("\nduplicates, 5-fold cross-validation on the development set (repeated 5 times):")
    for threshold in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        precisions, recalls = [], []
        for _ in range(5):
            order = rng.permutation(len(y))
            folds = np.array_split(order, 5)
            p = np.zeros(len(y))
            for k in range(5):
                train = np.concatenate([folds[j] for j in range(5) if j != k])
                p[folds[k]] = probabilities(fit(x[train], y[train]), x[folds[k]])
            predicted = p >= threshold
            correct = (predicted & (y == 1)).sum()
            precisions.append(correct / max(1, predicted.sum()))
            recalls.append(correct / true_pairs)
        pr, rc = np.mean(precisions), np.mean(recalls)
        f1 = 2 * pr * rc / (pr + rc)
        print(f"  threshold {threshold:.2f}: precision {pr:.3f} recall {rc:.3f} F1 {f1:.3f}")
    w, b = fit(x, y)
    print("\nfitted on the whole development set (paste into ranking.py):")
    print("DUPLICATE_COEFFICIENTS = {")
    for name, value in zip(ranking.DUPLICATE_FEATURES, w, strict=True):
        print(f'    "{name}": {value:.4f},')
    print("}")
    print(f"DUPLICATE_INTERCEPT = {b:.4f}")
    print("\nranking: meaning, words, tfidf, signal bonus, same type -> recall@10 MRR")
    profiles = [line.profile for line in lines]
    for meaning, words, tfidf, bonus in product((0.3, 0.5), (0.2, 0.4), (0.0, 0.3, 0.6), (0.0, 0.03)):
        tuned = replace(tune, meaning=meaning, words=words, tfidf=tfidf, signal_bonus=bonus, same_type=0.02)
        recall, dup, rel, mrr = evaluation._recalls(
            lines,
            lambda i, t=tuned: [
                m.candidate.key for m in ranking.rank(profiles[i], profiles, tune=t, stats=stats)
            ],
        )
        weights = f"{meaning} {words} {tfidf} {bonus}"
        print(f"  {weights}: recall@10={recall:.4f} dup={dup:.4f} rel={rel:.4f} MRR={mrr:.4f}")


if __name__ == "__main__":
    main()
