"""Throughput: our batched pipeline against plain Presidio, on the same 1,000 narratives, in one run.

    .venv/bin/python bench/anonymisation_throughput.py [--count 1000] [--rounds 1]

"plain" is Presidio as documented: ``AnalyzerEngine`` over the same spaCy model with its default
recognisers (full spaCy pipeline), then ``AnonymizerEngine``, one narrative at a time. "pipeline" is
``redact_many`` (spaCy's ``nlp.pipe`` in batches, our UK recognisers, allow-list and numbered
placeholders). Each configuration runs in its own subprocess so that its peak resident memory (one
worker's worth) can be read with ``resource.getrusage``. The narratives are generated with the
evaluation generator under a different seed, so recall can be reported for both (any-type overlap).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

WARM_UP = 5


def run_plain(texts: list[str]) -> tuple[float, float, list[list[dict]]]:
    from presidio_anonymizer import AnonymizerEngine

    from anonymisation.pipeline.engine import build_plain_analyzer

    started = time.perf_counter()
    analyzer, anonymizer = build_plain_analyzer(), AnonymizerEngine()
    for text in texts[:WARM_UP]:
        anonymizer.anonymize(text=text, analyzer_results=analyzer.analyze(text=text, language="en"))
    load = time.perf_counter() - started
    predictions = []
    started = time.perf_counter()
    for text in texts:
        results = analyzer.analyze(text=text, language="en")
        anonymizer.anonymize(text=text, analyzer_results=results)
        predictions.append([{"type": r.entity_type, "start": r.start, "end": r.end} for r in results])
    return load, time.perf_counter() - started, predictions


def run_pipeline(texts: list[str]) -> tuple[float, float, list[list[dict]]]:
    from anonymisation.pipeline import get_pipeline, redact_many

    started = time.perf_counter()
    pipeline = get_pipeline()
    list(redact_many([{"text": t} for t in texts[:WARM_UP]], pipeline=pipeline))
    load = time.perf_counter() - started
    started = time.perf_counter()
    results = list(redact_many(({"text": t} for t in texts), pipeline=pipeline))
    elapsed = time.perf_counter() - started
    predictions = [
        [{"type": e.entity_type, "start": e.start, "end": e.end} for e in r.entities] for r in results
    ]
    return load, elapsed, predictions


def child(configuration: str, input_path: Path) -> None:
    texts = [json.loads(line)["text"] for line in input_path.read_text(encoding="utf-8").splitlines()]
    runner = run_plain if configuration == "plain" else run_pipeline
    load, elapsed, predictions = runner(texts)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    json.dump(
        {"load_s": load, "elapsed_s": elapsed, "peak_rss_mib": peak_kib / 1024, "predictions": predictions},
        sys.stdout,
    )


def measure(configuration: str, input_path: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", configuration, "--input", str(input_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(completed.stdout)


def recall_summary(examples, predictions) -> str:
    from anonymisation.pipeline.evaluation import Span, score

    spans = [[Span(p["type"], p["start"], p["end"]) for p in doc] for doc in predictions]
    report = score(examples, spans)
    people = sum(
        any(g.overlaps(p) for p in doc)
        for e, doc in zip(examples, spans, strict=True)
        for g in e.spans
        if g.type == "PERSON"
    )
    labelled_people = sum(1 for e in examples for g in e.spans if g.type == "PERSON")
    return (
        f"recall (any type) {report.overall.recall:.3f}, person recall {people / labelled_people:.3f}, "
        f"precision {report.overall.precision:.3f}, keep spans redacted {report.keep_error_rate:.2%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternate the two configurations N times, keep the best"
    )
    parser.add_argument("--child", choices=["plain", "pipeline"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.input)
        return

    from anonymisation.pipeline.evaluation import Example, Span
    from bench.anonymisation_dataset import SEED, generate

    records = generate(args.count, seed=SEED + 1)
    examples = [
        Example(
            r["id"],
            r["text"],
            tuple(Span(s["type"], s["start"], s["end"]) for s in r["spans"]),
            tuple(Span(s["type"], s["start"], s["end"]) for s in r["keep"]),
        )
        for r in records
    ]
    characters = sum(len(e.text) for e in examples)
    print(
        f"{len(examples)} narratives, {characters:,} characters "
        f"({characters / len(examples):.0f} per narrative)"
    )
    print(f"CPU: {os.cpu_count()} logical, load average {os.getloadavg()[0]:.1f} before the run")
    with tempfile.TemporaryDirectory() as folder:
        input_path = Path(folder) / "narratives.jsonl"
        input_path.write_text("\n".join(json.dumps({"text": e.text}) for e in examples), encoding="utf-8")
        best: dict[str, dict] = {}
        for _ in range(args.rounds):
            for configuration in ("plain", "pipeline"):
                result = measure(configuration, input_path)
                if configuration not in best or result["elapsed_s"] < best[configuration]["elapsed_s"]:
                    best[configuration] = result

    rates = {}
    for configuration, label in (("plain", "plain Presidio, one by one"), ("pipeline", "batched pipeline")):
        result = best[configuration]
        rates[configuration] = len(examples) / result["elapsed_s"]
        print(
            f"{label:<28} {rates[configuration]:7.1f} docs/s  "
            f"(load {result['load_s']:.1f} s, peak RSS {result['peak_rss_mib']:.0f} MiB)"
        )
        print(f"{'':<28} {recall_summary(examples, result['predictions'])}")
    ratio = rates["pipeline"] / rates["plain"]
    print(f"speed-up: {ratio:.2f}x  (target >= 2x: {'met' if ratio >= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
