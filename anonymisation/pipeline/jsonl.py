"""JSON lines in, JSON lines out: the shared core of ``manage.py anonymise`` and the evaluation.

Input lines are ``{"id": ..., "text": ...}``; each output line is
``{"id": ..., "redacted": ..., "entities": [{"type", "start", "end"}]}`` in input order, or
``{"id": ..., "error": "..."}`` for a line that cannot be processed (bad JSON, no text, too long).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .redact import DEFAULT_BATCH_SIZE, Pipeline, clean_text

CHUNK_SIZE = 256


def _parse(line_number: int, line: str) -> tuple[Any, str | None, str | None]:
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


def anonymise_lines(
    lines: Iterable[str],
    pipeline: Pipeline,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[dict[str, Any]]:
    """Redact each line's text with ``pipeline``, ``chunk_size`` lines per spaCy stream."""
    pending: list[tuple[Any, str | None, str | None]] = []

    def flush() -> Iterator[dict[str, Any]]:
        valid = [{"text": text} for _, text, error in pending if error is None]
        results = iter(pipeline.redact_records(valid, batch_size=batch_size)) if valid else iter(())
        for identifier, _, error in pending:
            if error is not None:
                yield {"id": identifier, "error": error}
                continue
            result = next(results)
            yield {
                "id": identifier,
                "redacted": result.texts["text"],
                "entities": [
                    {"type": e.entity_type, "start": e.start, "end": e.end} for e in result.entities
                ],
            }
        pending.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pending.append(_parse(number, line))
        if len(pending) >= chunk_size:
            yield from flush()
    yield from flush()
