"""Redact JSON lines: ``{"id", "text"}`` in on standard input, ``{"id", "redacted", "entities"}`` out.

    python manage.py anonymise < narratives.jsonl > redacted.jsonl

For back-fills. Uses the same pipeline as the application, in batches; an input of a few hundred lines
or more is spread over ``--processes`` workers forked after the model is loaded (same output, same
order). A line that cannot be processed (bad JSON, no text, text over the length limit) gives
``{"id", "error"}`` and the run carries on.
"""

import gc
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator

from django.core.management.base import BaseCommand

from anonymisation.pipeline import get_pipeline
from anonymisation.pipeline.jsonl import CHUNK_SIZE, PARALLEL_MIN_LINES, anonymise_lines
from anonymisation.pipeline.redact import DEFAULT_BATCH_SIZE

GC_YOUNG_THRESHOLD = 50_000


def _text_lines(stream: Iterable[str | bytes]) -> Iterator[str]:
    for line in stream:
        yield line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line


def _dumps(record: dict) -> str:
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in an id: escape everything rather than fail
        line = json.dumps(record)
    return line


def default_processes() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Command(BaseCommand):
    help = "Redact personal data from JSON lines on standard input (one {'id', 'text'} object per line)."
    stealth_options = ("stdin",)
    # A filter from standard input to standard output: it reads no database, URL or template, so
    # Django's system checks (which import every URL module and view) would only delay the start.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="spaCy nlp.pipe batch size"
        )
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="lines redacted per chunk")
        parser.add_argument(
            "--processes",
            type=int,
            default=default_processes(),
            help=f"worker processes for inputs of at least {PARALLEL_MIN_LINES} lines "
            "(default: the CPUs this process may use)",
        )

    def handle(self, *args, **options):
        # spaCy makes many short-lived objects per text; collecting the youngest generation every 700
        # allocations costs ~8 % of the CPU of a run. Less often changes no output (garbage is still
        # collected) and the peak memory stays where it was (bench/anonymisation_speed.py).
        gc.set_threshold(GC_YOUNG_THRESHOLD, 50, 100)
        stdin = options.get("stdin") or getattr(sys.stdin, "buffer", sys.stdin)
        started, written, failed = time.perf_counter(), 0, 0
        outputs = anonymise_lines(
            _text_lines(stdin),
            get_pipeline(),
            batch_size=options["batch_size"],
            chunk_size=options["chunk_size"],
            processes=options["processes"],
        )
        for record in outputs:
            self.stdout.write(_dumps(record))
            written += 1
            failed += "error" in record
        elapsed = time.perf_counter() - started
        self.stderr.write(f"anonymise: {written} lines, {failed} rejected, {elapsed:.1f} s")
