"""JSON lines in, JSON lines out: the shared core of ``manage.py anonymise`` and the evaluation.

Input lines are ``{"id": ..., "text": ...}``; each output line is
``{"id": ..., "redacted": ..., "entities": [{"type", "start", "end"}]}`` in input order, or
``{"id": ..., "error": "..."}`` for a line that cannot be processed (bad JSON, no text, too long).

Lines are redacted in chunks. With ``processes`` > 1 and an input long enough to pay for it, chunks go to
worker processes forked from this one after the pipeline is loaded (so the model, lexicons and
recognisers are shared copy-on-write, not loaded again); results come back in input order, a bounded
number of chunks in flight so that a long back-fill is never read into memory whole. Each chunk is a
whole number of spaCy batches, so the batches (and the results) are the same as in one process.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from .redact import DEFAULT_BATCH_SIZE, Pipeline, clean_text

CHUNK_SIZE = 64
# Below this many lines a second process costs more (fork, copy-on-write faults) than it saves.
PARALLEL_MIN_LINES = 4 * CHUNK_SIZE
# Chunks queued per worker: enough to keep each busy, few enough to bound memory.
_IN_FLIGHT_PER_PROCESS = 3

Parsed = tuple[Any, str | None, str | None]
# The pipeline a forked worker uses: set in the parent just before the fork, inherited by the child.
_worker_pipeline: Pipeline | None = None


def _parse(line_number: int, line: str) -> Parsed:
    """(id, text, error) for one input line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return None, None, f"line {line_number}: not valid JSON ({error.msg})"
    if not isinstance(record, dict):
        return None, None, f"line {line_number}: expected a JSON object"
    identifier, text = record.get("id"), record.get("text")
    if not isinstance(text, str):
        return identifier, None, f"line {line_number}: 'text' must be a string"
    try:
        clean_text(text)
    except ValueError as error:
        return identifier, None, f"line {line_number}: {error}"
    return identifier, text, None


def _chunks(lines: Iterable[str], chunk_size: int) -> Iterator[list[Parsed]]:
    """Parsed non-blank lines, ``chunk_size`` at a time (line numbers count blank lines too)."""
    pending: list[Parsed] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pending.append(_parse(number, line))
        if len(pending) >= chunk_size:
            yield pending
            pending = []
    if pending:
        yield pending


def redact_chunk(pipeline: Pipeline, chunk: list[Parsed], batch_size: int) -> list[dict[str, Any]]:
    """Output records for one chunk, in order: the redaction or the line's error."""
    valid = [{"text": text} for _, text, error in chunk if error is None]
    results = iter(pipeline.redact_records(valid, batch_size=batch_size)) if valid else iter(())
    output: list[dict[str, Any]] = []
    for identifier, _, error in chunk:
        if error is not None:
            output.append({"id": identifier, "error": error})
            continue
        result = next(results)
        output.append(
            {
                "id": identifier,
                "redacted": result.texts["text"],
                "entities": [
                    {"type": e.entity_type, "start": e.start, "end": e.end} for e in result.entities
                ],
            }
        )
    return output


def _redact_in_worker(chunk: list[Parsed], batch_size: int) -> list[dict[str, Any]]:
    assert _worker_pipeline is not None, "workers are forked after the pipeline is set"
    return redact_chunk(_worker_pipeline, chunk, batch_size)


def anonymise_lines(
    lines: Iterable[str],
    pipeline: Pipeline,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    chunk_size: int = CHUNK_SIZE,
    processes: int = 1,
    parallel_min_lines: int = PARALLEL_MIN_LINES,
) -> Iterator[dict[str, Any]]:
    """Redact each line's text with ``pipeline``, ``chunk_size`` lines per spaCy stream.

    ``processes`` > 1 forks that many workers once ``parallel_min_lines`` lines have been read (a
    shorter input is redacted here, in this process); the output is the same either way.
    """
    chunks = _chunks(lines, chunk_size)
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        head: list[list[Parsed]] = []
        read = 0
        for chunk in chunks:
            head.append(chunk)
            read += len(chunk)
            if read >= parallel_min_lines:
                break
        else:  # the whole input is short: no workers
            for chunk in head:
                yield from redact_chunk(pipeline, chunk, batch_size)
            return
        yield from _in_workers(head, chunks, pipeline, batch_size=batch_size, processes=processes)
        return
    for chunk in chunks:
        yield from redact_chunk(pipeline, chunk, batch_size)


def _in_workers(
    head: list[list[Parsed]],
    rest: Iterator[list[Parsed]],
    pipeline: Pipeline,
    *,
    batch_size: int,
    processes: int,
) -> Iterator[dict[str, Any]]:
    global _worker_pipeline
    _worker_pipeline = pipeline
    # Objects that exist now are never collected in the workers: the collector would otherwise write to
    # every shared page it visits and copy them all.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    limit = processes * _IN_FLIGHT_PER_PROCESS
    try:
        with context.Pool(processes) as pool:
            in_flight: deque = deque()
            for chunk in chain(head, rest):
                in_flight.append(pool.apply_async(_redact_in_worker, (chunk, batch_size)))
                while len(in_flight) >= limit:
                    yield from in_flight.popleft().get()
            while in_flight:
                yield from in_flight.popleft().get()
    finally:
        gc.unfreeze()
        _worker_pipeline = None
