"""Choosing the duplicate model and the ranking's weights on the DEVELOPMENT sets only
(fixtures/similarity/dev.jsonl and dev2.jsonl, two independent labelled sets): never the held-out set.
The chosen values are then fixed in events/similarity/ranking.py (Tuning, DUPLICATE_COEFFICIENTS)
before the held-out set is scored.

    .venv/bin/python bench/similarity_tune.py [FILE ...] [--features a,b,c] [--ranking] [--duplicate-bonus]

Prints, for the duplicate model (a logistic regression over ranking.DUPLICATE_FEATURES, or the
features named by --features):
- per set and over the sets pooled: repeated 5-fold cross-validation, precision/recall/F1 per threshold;
- transfer: fitted on one set (threshold by cross-validation on that set alone) and scored on the other,
  which says whether a change generalises beyond the set it was chosen on;
- with three sets or more (the four development sets by default), leave-one-set-out: each set scored
  by the model fitted on the others, and the
  thresholds fixed by it (`leave_one_set_out_thresholds`: the pair -- for pairs stating a specific fact
  alike, and for pairs sharing only the kind of event -- with the best mean F1 over the sets so scored);
- the coefficients fitted on the pooled sets, to paste into ranking.py, with those thresholds.
With --ranking: recall@10 and MRR of a grid of ranking weights, per set. With --duplicate-bonus, only
recall@10 and MRR per set for each bonus a probable duplicate gains in the ranking.
"""

import argparse
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

DEFAULT_SETS = (
    "fixtures/similarity/dev.jsonl",
    "fixtures/similarity/dev2.jsonl",
    "fixtures/similarity/dev3/dev3.jsonl",
    "fixtures/similarity/dev4/dev4.jsonl",
)
DUPLICATE_BONUSES = (0.0, 0.05, 0.1, 0.2, 1.0)
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)
REPEATS = 5


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000, rate: float = 0.5, weights=None):
    """Logistic regression by gradient descent on standardised features (each pair weighted by
    `weights`, mean 1, when given); coefficients returned on the features' own scale."""
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / spread
    weights = np.ones(len(y)) if weights is None else weights / weights.mean()
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * weights
        w -= rate * (z.T @ g / len(y) + l2 * w)
        b -= rate * g.mean()
    return w / spread, b - float((w * mean / spread).sum())


def probabilities(model, x):
    w, b = model
    return 1 / (1 + np.exp(-(x @ w + b)))


class PairSet:
    """A labelled file's candidate pairs (same organisation, 48 hours, not disagreeing): every pair
    feature the model may use, whether the pair is a duplicate, and the number of true pairs."""

    def __init__(self, path: str):
        if "heldout" in Path(path).name:
            sys.exit("Tuning is done on the development sets only.")
        self.name = Path(path).stem
        self.lines = evaluation.read_labelled(Path(path))
        evaluation.attach_vectors(self.lines)
        self.stats = evaluation.statistics_of(self.lines)
        tune = ranking.tuning()
        truth = evaluation.true_duplicate_pairs(self.lines)
        self.true_pairs = len(truth)
        self.rows: list[dict[str, float]] = []
        labels = []
        for a, b in evaluation.duplicate_candidates(self.lines, tune):
            if ranking.disagrees(a, b):
                continue
            meaning, words = ranking.semantic_similarity(a, b), features.lexical_similarity(a, b)
            tfidf = features.tfidf_similarity(a, b, self.stats)
            self.rows.append(ranking.duplicate_features(a, b, self.stats, meaning, words, tfidf))
            labels.append(frozenset((a.key, b.key)) in truth)
        self.y = np.array(labels, dtype=float)

    def x(self, names) -> np.ndarray:
        return np.array([[row[name] for name in names] for row in self.rows])


def scores(p: np.ndarray, y: np.ndarray, true_pairs: int, threshold: float) -> tuple[float, float, float]:
    predicted = p >= threshold
    correct = (predicted & (y == 1)).sum()
    precision = correct / predicted.sum() if predicted.sum() else 1.0
    recall = correct / true_pairs
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cross_validated(x, y, true_pairs, seed=18, weights=None, parts=None):
    """Mean precision, recall and F1 per threshold over repeated 5-fold cross-validation; with
    `parts` ({name: (row mask, true pairs)}), the figures of each part of the rows as well."""
    rng = np.random.default_rng(seed)
    found = {t: [] for t in THRESHOLDS}
    by_part = {name: {t: [] for t in THRESHOLDS} for name in parts or {}}
    for _ in range(REPEATS):
        folds = np.array_split(rng.permutation(len(y)), 5)
        p = np.zeros(len(y))
        for k in range(5):
            train = np.concatenate([folds[j] for j in range(5) if j != k])
            model = fit(x[train], y[train], weights=None if weights is None else weights[train])
            p[folds[k]] = probabilities(model, x[folds[k]])
        for t in THRESHOLDS:
            found[t].append(scores(p, y, true_pairs, t))
            for name, (mask, part_true) in (parts or {}).items():
                by_part[name][t].append(scores(p[mask], y[mask], part_true, t))
    mean = lambda runs: {t: tuple(np.mean(runs[t], axis=0)) for t in THRESHOLDS}  # noqa: E731
    if parts:
        return mean(found), {name: mean(runs) for name, runs in by_part.items()}
    return mean(found)


def best_threshold(figures) -> float:
    return max(figures, key=lambda t: figures[t][2])


def balanced(sets: list[PairSet]) -> np.ndarray:
    """Pair weights giving each set the same total weight, however many pairs it has."""
    return np.concatenate([np.full(len(s.y), 1 / len(s.y)) for s in sets])


def pooled_cross_validated(sets: list[PairSet], names):
    """Repeated 5-fold cross-validation of the sets pooled, each set weighing the same: the figures
    of each set per threshold, and the mean over the sets of F1 per threshold."""
    pooled_x = np.vstack([s.x(names) for s in sets])
    pooled_y = np.concatenate([s.y for s in sets])
    ends = np.cumsum([0] + [len(s.y) for s in sets])
    parts = {}
    for s, start, end in zip(sets, ends, ends[1:], strict=False):
        mask = np.zeros(len(pooled_y), dtype=bool)
        mask[start:end] = True
        parts[s.name] = (mask, s.true_pairs)
    _, per_set = cross_validated(
        pooled_x, pooled_y, sum(s.true_pairs for s in sets), weights=balanced(sets), parts=parts
    )
    # The threshold: the best mean over the sets of F1, each set counting once.
    mean_f1 = {t: np.mean([per_set[s.name][t][2] for s in sets]) for t in THRESHOLDS}
    return per_set, mean_f1


def leave_one_set_out(sets: list[PairSet], names) -> dict[str, tuple[float, float, float]]:
    """For each set: the model fitted on the others pooled (each weighing the same), its threshold
    chosen by their cross-validation (best mean F1), scored on the set left out."""
    found = {}
    print("\nleave one set out (fitted and thresholded on the others, scored on this one):")
    for test in sets:
        train = [s for s in sets if s is not test]
        _, mean_f1 = pooled_cross_validated(train, names)
        t = max(mean_f1, key=mean_f1.get)
        model = fit(
            np.vstack([s.x(names) for s in train]),
            np.concatenate([s.y for s in train]),
            weights=balanced(train),
        )
        found[test.name] = scores(probabilities(model, test.x(names)), test.y, test.true_pairs, t)
        pr, rc, f1 = found[test.name]
        print(f"  -> {test.name}: threshold {t:.2f}  precision {pr:.3f} recall {rc:.3f} F1 {f1:.3f}")
    print(f"  mean F1 {np.mean([f[2] for f in found.values()]):.3f}")
    return found


def leave_one_set_out_thresholds(sets: list[PairSet], names) -> tuple[float, float]:
    """The rule that fixes the thresholds (2026-12-05, fourth round): each set scored by the model
    fitted on the others (each weighing the same); the pair of thresholds -- for pairs sharing a
    specific fact, and for pairs sharing only the kind of event (`kind_only`) -- with the best mean F1
    over the sets so scored. Also printed: the best single threshold by the same rule."""
    scored = {}
    for test in sets:
        train = [s for s in sets if s is not test]
        model = fit(
            np.vstack([s.x(names) for s in train]),
            np.concatenate([s.y for s in train]),
            weights=balanced(train),
        )
        scored[test.name] = (probabilities(model, test.x(names)), test.x(["kind_only"])[:, 0] > 0)

    def figures(t, t_kind):
        found = []
        for s in sets:
            p, kind_only = scored[s.name]
            predicted = np.where((p >= t) & (~kind_only | (p >= t_kind)), 1.0, 0.0)
            found.append(scores(predicted, s.y, s.true_pairs, 0.5))
        return found

    grid = [(t, k) for t in THRESHOLDS for k in THRESHOLDS if k >= t]
    mean_f1 = {pair: np.mean([f[2] for f in figures(*pair)]) for pair in grid}
    best = max(grid, key=lambda pair: (round(mean_f1[pair], 6), pair[1]))
    single = max(THRESHOLDS, key=lambda t: mean_f1[(t, t)])
    print("\nthresholds by leave-one-set-out (each set scored by the model fitted on the others):")
    for label, pair in (("single threshold", (single, single)), ("kind-only threshold", best)):
        rows = "  ".join(
            f"{s.name} P {pr:.3f} R {rc:.3f} F1 {f1:.3f}"
            for s, (pr, rc, f1) in zip(sets, figures(*pair), strict=True)
        )
        print(f"  {label} {pair[0]:.2f} / {pair[1]:.2f}: {rows}  mean F1 {mean_f1[pair]:.3f}")
    return best


def duplicates(sets: list[PairSet], names) -> None:
    print(f"features ({len(names)}): {', '.join(names)}")
    pooled_x = np.vstack([s.x(names) for s in sets])
    pooled_y = np.concatenate([s.y for s in sets])
    chosen = {}
    for s in sets:
        figures = cross_validated(s.x(names), s.y, s.true_pairs)
        chosen[s.name] = best_threshold(figures)
        print(
            f"\n{s.name}: {len(s.y)} candidate pairs, {int(s.y.sum())} duplicates, {s.true_pairs} true pairs;"
        )
        print(f"  {REPEATS}x5-fold cross-validation:")
        for t, (pr, rc, f1) in figures.items():
            mark = " <- best F1" if t == chosen[s.name] else ""
            print(f"  threshold {t:.2f}: precision {pr:.3f} recall {rc:.3f} F1 {f1:.3f}{mark}")
    if len(sets) > 1:
        per_set, mean_f1 = pooled_cross_validated(sets, names)
        chosen["pooled"] = max(mean_f1, key=mean_f1.get)
        print(f"\npooled, each set weighing the same: {REPEATS}x5-fold cross-validation, per set:")
        for t in THRESHOLDS:
            row = "  ".join(
                f"{s.name} P {per_set[s.name][t][0]:.3f} R {per_set[s.name][t][1]:.3f}" for s in sets
            )
            mark = " <- best mean F1" if t == chosen["pooled"] else ""
            print(f"  threshold {t:.2f}: {row}  mean F1 {mean_f1[t]:.3f}{mark}")
    if len(sets) > 2:
        leave_one_set_out(sets, names)
        chosen["loso"] = leave_one_set_out_thresholds(sets, names)
    for train in sets:
        for test in sets:
            if train is test:
                continue
            model, t = fit(train.x(names), train.y), chosen[train.name]
            pr, rc, f1 = scores(probabilities(model, test.x(names)), test.y, test.true_pairs, t)
            print(f"\ntransfer {train.name} -> {test.name} (threshold {t:.2f}, chosen on {train.name}):")
            print(f"  precision {pr:.3f} recall {rc:.3f} F1 {f1:.3f}")
    w, b = fit(pooled_x, pooled_y, weights=balanced(sets))
    pooled = "loso" if len(sets) > 2 else "pooled" if len(sets) > 1 else sets[0].name
    print(
        f"\nfitted on {' + '.join(s.name for s in sets)} (paste into ranking.py), threshold {chosen[pooled]}:"
    )
    print("DUPLICATE_COEFFICIENTS = {")
    for name, value in zip(names, w, strict=True):
        print(f'    "{name}": {value:.4f},')
    print("}")
    print(f"DUPLICATE_INTERCEPT = {b:.4f}")


def ranking_grid(sets: list[PairSet]) -> None:
    """recall@10 and MRR per set for a grid of weights; the choice: the best mean recall@10 over the
    sets, then the best mean MRR."""
    print("\nranking: meaning, IDF power, signal bonus, concepts -> recall@10 MRR per set, then the means")
    tune = ranking.tuning()
    grid = product((0.02, 0.05), (3.0,), (0.02, 0.03, 0.045), (0.04, 0.06, 0.08))
    choose_ranking(
        sets,
        {
            f"{meaning} {power} {bonus} {concepts}": replace(
                tune, meaning=meaning, tfidf_power=power, signal_bonus=bonus, concepts=concepts
            )
            for meaning, power, bonus, concepts in grid
        },
    )


def duplicate_bonus_grid(sets: list[PairSet]) -> None:
    """recall@10 and MRR per set for each bonus a probable duplicate gains in the ranking
    (Tuning.duplicate_bonus); the choice: the best mean recall@10 over the sets, then the best mean MRR."""
    print("\nranking: duplicate bonus -> recall@10 MRR per set, then the means")
    tune = ranking.tuning()
    choose_ranking(sets, {f"{bonus}": replace(tune, duplicate_bonus=bonus) for bonus in DUPLICATE_BONUSES})


def choose_ranking(sets: list[PairSet], tunings: dict[str, ranking.Tuning]) -> None:
    """Prints recall@10 and MRR per set and their means for each labelled tuning, then the choice:
    the best mean recall@10 over the sets, then the best mean MRR."""
    rows = []
    for label, tuned in tunings.items():
        recalls, mrrs = [], []
        for s in sets:
            profiles = [line.profile for line in s.lines]
            recall, _, _, mrr = evaluation._recalls(
                s.lines,
                lambda i, t=tuned, p=profiles, st=s.stats: [
                    m.candidate.key for m in ranking.rank(p[i], p, tune=t, stats=st)
                ],
            )
            recalls.append(recall)
            mrrs.append(mrr)
        row = " | ".join(f"{s.name} {r:.4f} {m:.4f}" for s, r, m in zip(sets, recalls, mrrs, strict=True))
        rows.append((np.mean(recalls), np.mean(mrrs), f"  {label}: {row}"))
        print(f"{rows[-1][2]} | mean {rows[-1][0]:.4f} {rows[-1][1]:.4f}", flush=True)
    best = max(rows, key=lambda r: (round(r[0], 4), r[1]))
    print(f"best mean recall@10, then MRR:\n{best[2]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", default=[f for f in DEFAULT_SETS if Path(f).is_file()])
    parser.add_argument("--features", help="comma-separated pair features (default: the model's)")
    parser.add_argument("--ranking", action="store_true", help="also print the ranking grid")
    parser.add_argument(
        "--duplicate-bonus", action="store_true", help="print only the grid of Tuning.duplicate_bonus"
    )
    options = parser.parse_args()
    sets = [PairSet(path) for path in options.files]
    if options.duplicate_bonus:
        duplicate_bonus_grid(sets)
        return
    names = options.features.split(",") if options.features else list(ranking.DUPLICATE_FEATURES)
    duplicates(sets, names)
    if options.ranking:
        ranking_grid(sets)


if __name__ == "__main__":
    main()
