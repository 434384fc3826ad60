"""Precision and recall of the pipeline on a labelled JSON-lines file.

Each line: ``{"text": ..., "spans": [{"type", "start", "end"}], "keep": [{"type", "start", "end"}]}``.
``spans`` should be redacted, ``keep`` should not (eponyms, drugs, wards, job titles, incident dates).

Scores are given two ways:

- span level: a labelled span counts as found when a prediction overlaps it (of the same type for the
  per-type rows, of any type for "overall", which is what matters for privacy); a prediction counts as
  correct when it overlaps a labelled span on the same terms;
- character level: over the non-space characters inside the spans, so boundaries count.

It also reports person recall per name origin (``PERSON`` spans carry ``locale`` in our own set and
``origin`` in the independent sets), whole-name coverage (the share of ``PERSON`` spans whose every
letter is inside a prediction: half a name redacted still names the person) and the must-keep violation
rate per keep type. :func:`format_side_by_side` prints several files in columns.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .jsonl import anonymise_lines
from .redact import Pipeline

OVERALL = "overall"
PERSON = "PERSON"


@dataclass(frozen=True, slots=True)
class Span:
    type: str
    start: int
    end: int
    origin: str = ""  # PERSON spans: where the name comes from ("locale" or "origin" in the file)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    spans: tuple[Span, ...]
    keep: tuple[Span, ...]


@dataclass
class Counts:
    found: int = 0  # labelled spans overlapped by a prediction
    labelled: int = 0
    correct: int = 0  # predictions overlapping a labelled span
    predicted: int = 0
    chars_both: int = 0
    chars_labelled: int = 0
    chars_predicted: int = 0

    @staticmethod
    def _ratio(numerator: int, denominator: int) -> float:
        return numerator / denominator if denominator else 1.0

    @property
    def recall(self) -> float:
        return self._ratio(self.found, self.labelled)

    @property
    def precision(self) -> float:
        return self._ratio(self.correct, self.predicted)

    @property
    def char_recall(self) -> float:
        return self._ratio(self.chars_both, self.chars_labelled)

    @property
    def char_precision(self) -> float:
        return self._ratio(self.chars_both, self.chars_predicted)


@dataclass
class Report:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    keep_total: int = 0
    keep_redacted: int = 0
    keep_redacted_by_type: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    keep_total_by_type: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    origin_found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    origin_total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    whole_names: int = 0  # PERSON spans whose every letter is inside some prediction
    examples: int = 0

    @property
    def overall(self) -> Counts:
        return self.counts[OVERALL]

    @property
    def keep_error_rate(self) -> float:
        return self.keep_redacted / self.keep_total if self.keep_total else 0.0

    @property
    def whole_name_coverage(self) -> float:
        people = self.counts[PERSON].labelled if PERSON in self.counts else 0
        return self.whole_names / people if people else 1.0

    def origin_recall(self, origin: str) -> float:
        total = self.origin_total.get(origin, 0)
        return self.origin_found.get(origin, 0) / total if total else 1.0

    def keep_rate(self, keep_type: str) -> float:
        total = self.keep_total_by_type.get(keep_type, 0)
        return self.keep_redacted_by_type.get(keep_type, 0) / total if total else 0.0


def load_examples(path: str | Path) -> list[Example]:
    examples = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            data = json.loads(line)
            examples.append(
                Example(
                    id=str(data.get("id", number)),
                    text=data["text"],
                    spans=tuple(
                        Span(s["type"], s["start"], s["end"], str(s.get("origin") or s.get("locale") or ""))
                        for s in data.get("spans", [])
                    ),
                    keep=tuple(
                        Span(s.get("type", "KEEP"), s["start"], s["end"]) for s in data.get("keep", [])
                    ),
                )
            )
    return examples


def predict(examples: Sequence[Example], pipeline: Pipeline, batch_size: int = 32) -> list[list[Span]]:
    """Predictions through the same JSON-lines path as ``manage.py anonymise``."""
    lines = (json.dumps({"id": e.id, "text": e.text}) for e in examples)
    predictions = []
    for output in anonymise_lines(lines, pipeline, batch_size=batch_size):
        if "error" in output:
            raise ValueError(output["error"])
        predictions.append([Span(e["type"], e["start"], e["end"]) for e in output["entities"]])
    return predictions


def _chars(text: str, spans: Iterable[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end) if not text[i].isspace()}


def score(examples: Sequence[Example], predictions: Sequence[Sequence[Span]]) -> Report:
    report = Report(examples=len(examples))
    for example, predicted in zip(examples, predictions, strict=True):
        types = {s.type for s in example.spans} | {p.type for p in predicted}
        for entity_type in [*types, OVERALL]:
            gold = [s for s in example.spans if entity_type in (OVERALL, s.type)]
            pred = [p for p in predicted if entity_type in (OVERALL, p.type)]
            counts = report.counts[entity_type]
            counts.labelled += len(gold)
            counts.found += sum(any(g.overlaps(p) for p in pred) for g in gold)
            counts.predicted += len(pred)
            counts.correct += sum(any(p.overlaps(g) for g in gold) for p in pred)
            gold_chars, pred_chars = _chars(example.text, gold), _chars(example.text, pred)
            counts.chars_labelled += len(gold_chars)
            counts.chars_predicted += len(pred_chars)
            counts.chars_both += len(gold_chars & pred_chars)
        covered = _chars(example.text, predicted)
        for span in example.spans:
            if span.type != PERSON:
                continue
            origin = span.origin or "unknown"
            report.origin_total[origin] += 1
            report.origin_found[origin] += any(span.overlaps(p) for p in predicted)
            report.whole_names += all(
                i in covered for i in range(span.start, span.end) if example.text[i].isalnum()
            )
        for kept in example.keep:
            report.keep_total += 1
            report.keep_total_by_type[kept.type] += 1
            if any(kept.overlaps(p) for p in predicted):
                report.keep_redacted += 1
                report.keep_redacted_by_type[kept.type] += 1
    return report


def evaluate_file(path: str | Path, pipeline: Pipeline, batch_size: int = 32) -> Report:
    examples = load_examples(path)
    return score(examples, predict(examples, pipeline, batch_size=batch_size))


def format_report(report: Report) -> str:
    header = f"{'type':<22}{'spans':>7}{'P(span)':>9}{'R(span)':>9}{'P(char)':>9}{'R(char)':>9}"
    lines = [f"{report.examples} narratives", header, "-" * len(header)]
    for entity_type in [*sorted(t for t in report.counts if t != OVERALL), OVERALL]:
        c = report.counts[entity_type]
        lines.append(
            f"{entity_type:<22}{c.labelled:>7}{c.precision:>9.3f}{c.recall:>9.3f}"
            f"{c.char_precision:>9.3f}{c.char_recall:>9.3f}"
        )
    by_type = ", ".join(f"{t} {n}" for t, n in sorted(report.keep_redacted_by_type.items())) or "none"
    lines.append(
        f"keep spans wrongly redacted: {report.keep_redacted} of {report.keep_total} "
        f"({report.keep_error_rate:.2%}; {by_type})"
    )
    lines.append(f"whole-name coverage: {report.whole_name_coverage:.3f}")
    return "\n".join(lines)


def format_side_by_side(reports: Mapping[str, Report]) -> str:
    """Several files' figures in columns: recall and precision per type, person recall per origin,
    whole-name coverage and must-keep violations per keep type."""
    names = list(reports)
    width = max(14, *(len(n) + 2 for n in names))

    def row(label: str, cells: Iterable[str]) -> str:
        return f"{label:<30}" + "".join(f"{c:>{width}}" for c in cells)

    def figure(value: float, count: int) -> str:
        return f"{value:.3f} ({count})" if count else "-"

    lines = [row("", names), row("narratives", (str(r.examples) for r in reports.values()))]
    types = sorted({t for r in reports.values() for t in r.counts if t != OVERALL})
    lines.append("span recall / precision")
    for entity_type in [*types, OVERALL]:
        recall, precision = [], []
        for report in reports.values():
            c = report.counts.get(entity_type) or Counts()
            recall.append(figure(c.recall, c.labelled))
            precision.append(figure(c.precision, c.predicted))
        lines.append(row(f"  R {entity_type}", recall))
        lines.append(row(f"  P {entity_type}", precision))
    lines.append("person recall by name origin")
    origins = sorted({o for r in reports.values() for o in r.origin_total})
    for origin in origins:
        lines.append(
            row(
                f"  {origin}",
                (figure(r.origin_recall(origin), r.origin_total.get(origin, 0)) for r in reports.values()),
            )
        )
    lines.append(row("whole-name coverage", (f"{r.whole_name_coverage:.3f}" for r in reports.values())))
    lines.append("must-keep violations (share redacted)")
    keep_types = sorted({k for r in reports.values() for k in r.keep_total_by_type})
    for keep_type in keep_types:
        cells = (
            f"{r.keep_rate(keep_type):.2%} ({r.keep_total_by_type.get(keep_type, 0)})"
            if r.keep_total_by_type.get(keep_type)
            else "-"
            for r in reports.values()
        )
        lines.append(row(f"  {keep_type}", cells))
    lines.append(row("  all", (f"{r.keep_error_rate:.2%} ({r.keep_total})" for r in reports.values())))
    return "\n".join(lines)
