"""End-to-end speed: ``manage.py anonymise`` against plain Presidio, start-up included, in one run.

    .venv/bin/python bench/anonymisation_speed.py [--file FILE.jsonl] [--rounds 1]

Each side runs in its own process over the same JSON-lines file ({"id", "text"} per line; a labelled
evaluation file works as it is), timed from process start to exit:

- "anonymise": ``python manage.py anonymise < FILE > /dev/null`` (Django start-up, spaCy and the
  name, drug and word lists loaded, our recognisers, allow-list, placeholders, JSON out);
- "plain Presidio": Presidio as documented, ``AnalyzerEngine`` over the same spaCy model with its
  default recognisers (full spaCy pipeline), then ``AnonymizerEngine``, one text at a time.

Prints both times, the ratio (issue 14's target: at least 2x) and the peak resident memory of the
anonymise process (target: at most 1.5 GB), read from the kernel's accounting of that child (the largest
of it and its worker processes). With ``--rounds N`` the sides alternate N times and the report gives
each round's ratios and their medians (a shared machine's load changes from one round to the next).
The anonymise side uses its default ``--processes`` (the CPUs it may run on).
The default file is the held-out set when it is present, otherwise our own evaluation set.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "fixtures" / "anonymisation" / "independent" / "heldout.jsonl"
OWN = ROOT / "fixtures" / "anonymisation" / "evaluation.jsonl"
TARGET_RATIO = 2.0
TARGET_RSS_MIB = 1.5 * 1024


def plain_presidio(path: Path) -> None:
    """The baseline, run as a child: every text through Presidio's analyser and anonymiser."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from presidio_anonymizer import AnonymizerEngine

    from anonymisation.pipeline.engine import build_plain_analyzer

    analyzer, anonymizer = build_plain_analyzer(), AnonymizerEngine()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                text = json.loads(line)["text"]
                anonymizer.anonymize(text=text, analyzer_results=analyzer.analyze(text=text, language="en"))


def timed(command: list[str], stdin_path: Path) -> tuple[float, float, float]:
    """Wall time, CPU time and peak RSS (MiB) of one child process, from start to exit."""
    with stdin_path.open("rb") as stdin:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
        )
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{command[1]} failed: {child.stderr.read().decode(errors='replace')}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=HELDOUT if HELDOUT.exists() else OWN)
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternate the two sides N times; medians are reported"
    )
    parser.add_argument("--plain-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_child:
        plain_presidio(args.plain_child)
        return 0

    lines = [line for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    characters = sum(len(json.loads(line)["text"]) for line in lines)
    print(f"{args.file}: {len(lines)} texts, {characters:,} characters")
    print(f"CPU: {os.cpu_count()} logical, load average {os.getloadavg()[0]:.1f} before the run")
    sides = {
        "anonymise": [sys.executable, "manage.py", "anonymise"],
        "plain Presidio": [sys.executable, __file__, "--plain-child", str(args.file)],
    }
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in sides}
    ratios: list[tuple[float, float]] = []  # (wall, CPU) ratio of each round: both sides saw its load
    for round_number in range(1, args.rounds + 1):
        for name, command in sides.items():
            runs[name].append(timed(command, args.file))
        (ours_wall, ours_cpu, _), (plain_wall, plain_cpu, _) = (
            runs["anonymise"][-1],
            runs["plain Presidio"][-1],
        )
        ratios.append((plain_wall / ours_wall, plain_cpu / ours_cpu))
        if args.rounds > 1:
            print(f"round {round_number}: {ratios[-1][0]:.2f}x wall, {ratios[-1][1]:.2f}x CPU")
    for name, results in runs.items():
        elapsed, cpu = median(r[0] for r in results), median(r[1] for r in results)
        rss = max(r[2] for r in results)
        print(
            f"{name:<16} {elapsed:6.1f} s wall, {cpu:6.1f} s CPU "
            f"({len(lines) / elapsed:5.1f} texts/s, peak RSS {rss:,.0f} MiB)"
        )
    print(f"load average after the run: {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[1]:.1f} (5 min)")
    ratio, cpu_ratio = median(r[0] for r in ratios), median(r[1] for r in ratios)
    rss = max(r[2] for r in runs["anonymise"])
    label = f"median of {args.rounds} rounds" if args.rounds > 1 else "one round"
    print(f"CPU-time ratio ({label}): {cpu_ratio:.2f}x")
    ok = ratio >= TARGET_RATIO and rss <= TARGET_RSS_MIB
    speed_met = "met" if ratio >= TARGET_RATIO else "NOT met"
    rss_met = "met" if rss <= TARGET_RSS_MIB else "NOT met"
    print(f"speed-up, start-up included ({label}): {ratio:.2f}x (target >= {TARGET_RATIO:g}x: {speed_met})")
    print(f"anonymise peak RSS: {rss:,.0f} MiB (target <= {TARGET_RSS_MIB:,.0f} MiB: {rss_met})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
