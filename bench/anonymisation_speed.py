"""End-to-end speed: ``manage.py anonymise`` against plain Presidio, start-up included, in one run.

    .venv/bin/python bench/anonymisation_speed.py [--file FILE.jsonl] [--rounds 1]

Each side runs in its own process over the same JSON-lines file ({"id", "text"} per line; a labelled
evaluation file works as it is), timed from process start to exit:

- "anonymise": ``python manage.py anonymise < FILE > /dev/null`` (Django start-up, spaCy and the
  name, drug and word lists loaded, our recognisers, allow-list, placeholders, JSON out);
- "plain Presidio": Presidio as documented, ``AnalyzerEngine`` over the same spaCy model with its
  default recognisers (full spaCy pipeline), then ``AnonymizerEngine``, one text at a time.

Prints both times, the ratio (issue 14's target: at least 2x) and the peak resident memory of the
anonymise process (target: at most 1.5 GB), read from the kernel's accounting of that child alone.
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
        "--rounds", type=int, default=1, help="alternate the two sides N times, keep the best"
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
    best: dict[str, tuple[float, float, float]] = {}
    for _ in range(args.rounds):
        for name, command in sides.items():
            result = timed(command, args.file)
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    for name, (elapsed, cpu, rss) in best.items():
        print(
            f"{name:<16} {elapsed:6.1f} s wall, {cpu:6.1f} s CPU "
            f"({len(lines) / elapsed:5.1f} texts/s, peak RSS {rss:,.0f} MiB)"
        )
    ratio = best["plain Presidio"][0] / best["anonymise"][0]
    cpu_ratio = best["plain Presidio"][1] / best["anonymise"][1]
    rss = best["anonymise"][2]
    print(f"CPU-time ratio (steadier on a shared machine): {cpu_ratio:.2f}x")
    ok = ratio >= TARGET_RATIO and rss <= TARGET_RSS_MIB
    speed_met = "met" if ratio >= TARGET_RATIO else "NOT met"
    rss_met = "met" if rss <= TARGET_RSS_MIB else "NOT met"
    print(f"speed-up, start-up included: {ratio:.2f}x (target >= {TARGET_RATIO:g}x: {speed_met})")
    print(f"anonymise peak RSS: {rss:,.0f} MiB (target <= {TARGET_RSS_MIB:,.0f} MiB: {rss_met})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
