"""Applies a super admin's corrections to a pipeline result: values it missed, values it should keep."""

import re
from collections.abc import Iterable

from anonymisation.pipeline import EntitySpan, PlaceholderMapping, RedactionResult


def apply_corrections(
    originals: dict[str, str],
    result: RedactionResult,
    *,
    missed: Iterable[tuple[str, str]],
    keep: Iterable[str],
    mapping: PlaceholderMapping,
) -> dict[str, str]:
    """Rebuilds each redacted text from the original: the pipeline's spans minus those covering a
    value to keep, plus every occurrence of a missed value (whole words, any case)."""
    keep_values = [value.casefold() for value in keep if value.strip()]
    texts = {}
    for field, original in originals.items():
        spans = [
            (span.start, span.end, span.placeholder)
            for span in result.entities
            if span.field == field and not _kept(original[span.start : span.end], keep_values)
        ]
        for entity_type, value in missed:
            for match in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", original, flags=re.IGNORECASE):
                spans.append((match.start(), match.end(), mapping.placeholder(entity_type, match.group(0))))
        texts[field] = _rebuild(original, spans)
    return texts


def _kept(text: str, keep_values: list[str]) -> bool:
    folded = text.casefold()
    return any(value in folded or folded in value for value in keep_values)


def _rebuild(original: str, spans: list[tuple[int, int, str]]) -> str:
    pieces, position = [], 0
    for start, end, placeholder in sorted(spans):
        if start < position:  # overlaps a span already placed: the earlier, longer one stands
            continue
        pieces.append(original[position:start])
        pieces.append(placeholder)
        position = end
    pieces.append(original[position:])
    return "".join(pieces)


__all__ = ["EntitySpan", "apply_corrections"]
