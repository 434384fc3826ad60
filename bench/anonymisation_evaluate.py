"""Evaluate the anonymisation pipeline on the shipped evaluation set and check the targets.

    .venv/bin/python bench/anonymisation_evaluate.py [--file fixtures/anonymisation/evaluation.jsonl]

Prints precision and recall per entity type and overall (span and character level), how many "keep"
spans (eponyms, drugs, wards, job titles, incident dates ...) were wrongly redacted, and whether each
target of the issue is met. Predictions go through the same JSON-lines path as ``manage.py anonymise``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = (
    ("overall recall (span)", lambda r: r.overall.recall, ">=", 0.98),
    ("person recall (span)", lambda r: r.counts["PERSON"].recall, ">=", 0.98),
    ("overall precision (span)", lambda r: r.overall.precision, ">=", 0.90),
    ("keep spans redacted", lambda r: r.keep_error_rate, "<=", 0.01),
)


def person_recall_by_origin(path: Path, predictions) -> str:
    """Person recall per Faker locale the name came from (the generator records it on each span)."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record, predicted in zip(lines, predictions, strict=True):
        for span in record["spans"]:
            if span["type"] != "PERSON":
                continue
            origin = span.get("locale", "unknown")
            total[origin] += 1
            found[origin] += any(p.start < span["end"] and span["start"] < p.end for p in predicted)
    cells = [f"{origin} {found[origin] / n:.3f} ({n})" for origin, n in total.most_common()]
    rows = [", ".join(cells[i : i + 5]) for i in range(0, len(cells), 5)]
    return "person recall by name origin (names):\n  " + "\n  ".join(rows)


def main() -> int:
    from anonymisation.pipeline import get_pipeline
    from anonymisation.pipeline.evaluation import format_report, load_examples, predict, score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=ROOT / "fixtures" / "anonymisation" / "evaluation.jsonl")
    args = parser.parse_args()

    examples = load_examples(args.file)
    pipeline = get_pipeline()
    started = time.perf_counter()
    predictions = predict(examples, pipeline)
    report = score(examples, predictions)
    elapsed = time.perf_counter() - started
    print(f"{args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}: {elapsed:.1f} s")
    print(format_report(report))
    print()
    print(person_recall_by_origin(args.file, predictions))
    print()
    all_met = True
    for name, measure, direction, target in TARGETS:
        value = measure(report)
        met = value >= target if direction == ">=" else value <= target
        all_met &= met
        shown = f"{value:.2%}" if name.startswith("keep") else f"{value:.3f}"
        print(f"{name:<26} {shown:>8}  target {direction} {target:g}: {'met' if met else 'NOT met'}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
