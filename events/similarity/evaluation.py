"""Scoring the ranking and the duplicate rule on a labelled JSON-lines file, next to a TF-IDF baseline.

Each line: {"id", "organisation" (ODS code), "event_date" (YYYY-MM-DD), "event_type", "text",
"same_event": group or null, "related": group or null}. Lines sharing `same_event` are one event told
twice; lines sharing `related` are events a reviewer wants to see together.

- recall@10: for each line with a partner (a line sharing either group), whether a partner is among its
  ten nearest records, by `ranking.rank` over every other line: the service's ranking, not a copy.
- duplicate precision and recall: over unordered pairs; a pair is predicted when
  `ranking.probable_duplicate` says so (the service's rule: same organisation, 48 hours, text, patient).
- the baseline: plain TF-IDF cosine over the same lines; its duplicates use the same organisation and
  date rule, with the threshold that gives it the best F1 on the file itself (an upper bound for it).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np

from . import embedding
from .features import CorpusStatistics, Profile
from .ranking import RESULTS, Tuning, could_be_duplicates, probable_duplicate, rank, tuning

FIELDS = ("id", "organisation", "event_date", "event_type", "text", "same_event", "related")


class MalformedLine(ValueError):
    def __init__(self, path: Path | str, number: int, problem: str):
        super().__init__(f"{path}, line {number}: {problem}")


@dataclass
class Labelled:
    profile: Profile
    same_event: str | None
    related: str | None


def read_labelled(path: Path) -> list[Labelled]:
    lines: list[Labelled] = []
    seen: set[str] = set()
    with Path(path).open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            lines.append(_parse(path, number, raw, seen))
    if not lines:
        raise MalformedLine(path, 0, "the file has no lines")
    return lines


def _parse(path: Path, number: int, raw: str, seen: set[str]) -> Labelled:
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as problem:
        raise MalformedLine(path, number, f"not JSON ({problem.msg})") from None
    if not isinstance(item, dict):
        raise MalformedLine(path, number, "not a JSON object")
    missing = [name for name in FIELDS if name not in item]
    if missing:
        raise MalformedLine(path, number, f"missing {', '.join(missing)}")
    for name in ("id", "organisation", "event_date", "event_type", "text"):
        if not isinstance(item[name], str | int) or str(item[name]).strip() == "":
            raise MalformedLine(path, number, f"{name} must be a non-empty string")
    try:
        event_date = dt.date.fromisoformat(item["event_date"])
    except (TypeError, ValueError):
        raise MalformedLine(path, number, f"event_date {item['event_date']!r} is not YYYY-MM-DD") from None
    for name in ("same_event", "related"):
        if item[name] is not None and not isinstance(item[name], str | int):
            raise MalformedLine(path, number, f"{name} must be a group id or null")
    key = str(item["id"])
    if key in seen:
        raise MalformedLine(path, number, f"id {key!r} appears twice")
    seen.add(key)
    profile = Profile(
        key=key,
        text=str(item["text"]),
        organisation=str(item["organisation"]).upper(),
        event_date=event_date,
        event_type=str(item["event_type"]),
    )
    group = lambda value: None if value is None else str(value)  # noqa: E731
    return Labelled(profile, group(item["same_event"]), group(item["related"]))


def attach_vectors(lines: list[Labelled], batch: int = 256) -> None:
    texts = [line.profile.text for line in lines]
    for start in range(0, len(texts), batch):
        vectors = embedding.encode(texts[start : start + batch])
        for line, vector in zip(lines[start : start + batch], vectors, strict=True):
            line.profile.vector = vector


# -- truth --------------------------------------------------------------------------------------------
def partners(lines: list[Labelled]) -> dict[str, set[str]]:
    by_group: dict[tuple[str, str], set[str]] = defaultdict(set)
    for line in lines:
        for kind, group in (("same", line.same_event), ("related", line.related)):
            if group is not None:
                by_group[(kind, group)].add(line.profile.key)
    found: dict[str, set[str]] = defaultdict(set)
    for members in by_group.values():
        for key in members:
            found[key] |= members - {key}
    return {key: others for key, others in found.items() if others}


def true_duplicate_pairs(lines: list[Labelled]) -> set[frozenset[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.same_event is not None:
            groups[line.same_event].append(line.profile.key)
    return {frozenset(pair) for keys in groups.values() for pair in combinations(keys, 2)}


# -- measures -----------------------------------------------------------------------------------------
@dataclass
class Figures:
    name: str
    recall_at_10: float
    recall_duplicates: float
    recall_related: float
    mrr: float
    precision: float
    recall: float
    threshold: float | None = None
    threshold_kind_only: float | None = None  # for pairs sharing only the kind of event (ranking)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _recalls(lines, neighbours: Callable[[int], list[str]]) -> tuple[float, float, float, float]:
    truth = partners(lines)
    same = defaultdict(set)
    for line in lines:
        if line.same_event is not None:
            same[line.same_event].add(line.profile.key)
    hits = {"all": [], "dup": [], "rel": []}
    reciprocal = []
    for index, line in enumerate(lines):
        key = line.profile.key
        if key not in truth:
            continue
        top = neighbours(index)
        hit = bool(truth[key] & set(top))
        hits["all"].append(hit)
        rank_of = next((n for n, other in enumerate(top, 1) if other in truth[key]), None)
        reciprocal.append(1 / rank_of if rank_of else 0.0)
        if line.same_event is not None and len(same[line.same_event]) > 1:
            hits["dup"].append(bool((same[line.same_event] - {key}) & set(top)))
        else:
            hits["rel"].append(hit)
    mean = lambda values: sum(values) / len(values) if values else math.nan  # noqa: E731
    return mean(hits["all"]), mean(hits["dup"]), mean(hits["rel"]), mean(reciprocal)


def _pair_figures(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> tuple[float, float]:
    correct = len(predicted & truth)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(truth) if truth else 1.0
    return precision, recall


def duplicate_candidates(lines: list[Labelled], tune: Tuning) -> Iterable[tuple[Profile, Profile]]:
    """Pairs the cheap part of the duplicate rule allows (same organisation, dates close)."""
    by_organisation: dict[str, list[Profile]] = defaultdict(list)
    for line in lines:
        by_organisation[line.profile.organisation].append(line.profile)
    for profiles in by_organisation.values():
        for a, b in combinations(profiles, 2):
            if could_be_duplicates(a, b, tune):
                yield a, b


def statistics_of(lines: list[Labelled]) -> CorpusStatistics:
    """The corpus statistics of the file's records, as the service keeps them of its records."""
    return CorpusStatistics.from_texts(line.profile.text for line in lines)


def evaluate_ours(lines: list[Labelled], tune: Tuning | None = None) -> Figures:
    tune = tune or tuning()
    stats = statistics_of(lines)
    profiles = [line.profile for line in lines]
    recall, dup, rel, mrr = _recalls(
        lines,
        lambda i: [
            m.candidate.key for m in rank(profiles[i], profiles, limit=RESULTS, tune=tune, stats=stats)
        ],
    )
    predicted = set()
    for a, b in duplicate_candidates(lines, tune):
        if probable_duplicate(a, b, tune=tune, stats=stats) or probable_duplicate(
            b, a, tune=tune, stats=stats
        ):
            predicted.add(frozenset((a.key, b.key)))
    precision, dup_recall = _pair_figures(predicted, true_duplicate_pairs(lines))
    return Figures(
        "ours",
        recall,
        dup,
        rel,
        mrr,
        precision,
        dup_recall,
        tune.duplicate_threshold,
        tune.duplicate_threshold_kind_only,
    )


# -- the baseline ---------------------------------------------------------------------------------------
TOKEN = re.compile(r"[a-z0-9]+")


def tfidf_matrix(texts: list[str]) -> np.ndarray:
    """Rows of unit-length TF-IDF vectors (sublinear tf, smooth idf), words only."""
    counts = [Counter(TOKEN.findall(text.lower())) for text in texts]
    vocabulary = {word: n for n, word in enumerate(sorted({w for c in counts for w in c}))}
    frequency = np.zeros(len(vocabulary))
    for c in counts:
        for word in c:
            frequency[vocabulary[word]] += 1
    idf = np.log((1 + len(texts)) / (1 + frequency)) + 1
    matrix = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for row, c in enumerate(counts):
        for word, n in c.items():
            matrix[row, vocabulary[word]] = (1 + math.log(n)) * idf[vocabulary[word]]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def evaluate_baseline(lines: list[Labelled], tune: Tuning | None = None) -> Figures:
    tune = tune or tuning()
    keys = [line.profile.key for line in lines]
    index_of = {key: n for n, key in enumerate(keys)}
    matrix = tfidf_matrix([line.profile.text for line in lines])
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, -1.0)

    def neighbours(i: int) -> list[str]:
        top = np.argpartition(-similarity[i], min(RESULTS, len(keys) - 1))[:RESULTS]
        return [keys[j] for j in sorted(top, key=lambda j: (-similarity[i, j], keys[j]))]

    recall, dup, rel, mrr = _recalls(lines, neighbours)
    truth = true_duplicate_pairs(lines)
    scored = [
        (float(similarity[index_of[a.key], index_of[b.key]]), frozenset((a.key, b.key)))
        for a, b in duplicate_candidates(lines, tune)
    ]
    best = Figures("TF-IDF baseline", recall, dup, rel, mrr, 1.0, 0.0, None)
    for threshold in sorted({round(s, 3) for s, _ in scored}):
        predicted = {pair for s, pair in scored if s >= threshold}
        precision, dup_recall = _pair_figures(predicted, truth)
        candidate = Figures("TF-IDF baseline", recall, dup, rel, mrr, precision, dup_recall, threshold)
        if candidate.f1 > best.f1:
            best = candidate
    return best


def report(ours: Figures, baseline: Figures, lines: list[Labelled]) -> list[str]:
    truth = true_duplicate_pairs(lines)
    rows = [
        ("records", len(lines), len(lines)),
        ("records with a partner", len(partners(lines)), len(partners(lines))),
        ("duplicate pairs (truth)", len(truth), len(truth)),
        ("recall@10 (any partner)", ours.recall_at_10, baseline.recall_at_10),
        ("recall@10, duplicates", ours.recall_duplicates, baseline.recall_duplicates),
        ("recall@10, related only", ours.recall_related, baseline.recall_related),
        ("mean reciprocal rank", ours.mrr, baseline.mrr),
        ("duplicate precision", ours.precision, baseline.precision),
        ("duplicate recall", ours.recall, baseline.recall),
        ("duplicate F1", ours.f1, baseline.f1),
        ("duplicate threshold", ours.threshold, baseline.threshold),
        ("  sharing only the kind", ours.threshold_kind_only, baseline.threshold_kind_only),
    ]
    lines_out = [f"{'measure':<28} {'ours':>10} {'TF-IDF':>10}"]
    for label, a, b in rows:
        lines_out.append(f"{label:<28} {_shown(a):>10} {_shown(b):>10}")
    lines_out.append("(the baseline's duplicate threshold is tuned on this file itself; ours is fixed)")
    return lines_out


def _shown(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return "n/a" if math.isnan(value) else f"{value:.4f}"


def last_line(ours: Figures) -> str:
    return (
        f"recall_at_10={ours.recall_at_10:.4f} duplicate_precision={ours.precision:.4f} "
        f"duplicate_recall={ours.recall:.4f}"
    )
