"""Applies a super admin's corrections to a pipeline result: values it missed, values it should keep."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anonymisation.pipeline import PlaceholderMapping, RedactionResult


def apply_corrections(
    originals: dict[str, str],
    result: RedactionResult,
    *,
    missed: Iterable[tuple[str, str]],
    keep: Iterable[str],
    mapping: PlaceholderMapping,
) -> dict[str, str]:
    """Rebuilds each redacted text from the original: the pipeline's spans minus those lying within
    an occurrence of a value to keep, plus every occurrence of a missed value (both matched as whole
    words, any case). A span is kept only where the text really says the kept value: keeping
    "Leeds General Infirmary" keeps "Leeds" there, not a patient called "Lee" elsewhere."""
    keep_values = [value for value in keep if value.strip()]
    texts = {}
    for field, original in originals.items():
        kept = [(m.start(), m.end()) for value in keep_values for m in _occurrences(value, original)]
        spans = [
            (span.start, span.end, span.placeholder)
            for span in result.entities
            if span.field == field and not any(start <= span.start and span.end <= end for start, end in kept)
        ]
        for entity_type, value in missed:
            for match in _occurrences(value, original):
                spans.append((match.start(), match.end(), mapping.placeholder(entity_type, match.group(0))))
        texts[field] = _rebuild(original, spans)
    return texts


def name_like_words_left(
    originals: dict[str, str], result: RedactionResult, *, missed: Iterable[tuple[str, str]]
) -> int:
    """The name-like words the pipeline left (`RedactionResult.name_like_left`) that no missed value
    now covers: what the residual risk counts once the corrections are applied."""
    missed_values = [value for _, value in missed if value.strip()]
    covered = {
        field: [(m.start(), m.end()) for value in missed_values for m in _occurrences(value, original)]
        for field, original in originals.items()
    }
    return sum(
        1
        for field, start, end in result.name_like_left
        if not any(a < end and start < b for a, b in covered.get(field, ()))
    )


def _occurrences(value: str, text: str) -> Iterator[re.Match]:
    """`value` in `text` as whole words, in any case."""
    return re.finditer(rf"(?<!\w){re.escape(value.strip())}(?!\w)", text, flags=re.IGNORECASE)


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
