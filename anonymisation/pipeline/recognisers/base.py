"""Shared plumbing for the regular-expression recognisers."""

from __future__ import annotations

from collections.abc import Iterable

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


def context_before(text: str, start: int, pattern: regex.Pattern, window: int = 40) -> bool:
    """Whether ``pattern`` occurs in the ``window`` characters before ``start``."""
    return bool(pattern.search(text[max(0, start - window) : start]))


def words(*alternatives: str) -> str:
    """A regex alternation of whole words, longest first (so "hospital number" beats "hospital")."""
    escaped = sorted((alt.replace(" ", r"\s+") for alt in alternatives), key=len, reverse=True)
    return r"\b(?:" + "|".join(escaped) + r")\b"


class RegexRecogniser(LocalRecognizer):
    """A recogniser made of compiled patterns and a validation hook.

    Subclasses set ``ENTITY`` and ``PATTERNS`` (pattern, score) and may override :meth:`score_match`
    to validate a match (checksum, context) and return its final score, or ``None`` to drop it. A
    pattern's named group ``value`` marks the part to redact; otherwise the whole match is used.
    """

    ENTITY: str = ""
    PATTERNS: tuple[tuple[regex.Pattern, float], ...] = ()
    REQUIRES: tuple[str, ...] = ()  # cheap test: skip the patterns unless one of these is in the text

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__, supported_language="en")

    def load(self) -> None:
        """Patterns are compiled at import time."""

    def score_match(self, text: str, match: regex.Match, score: float) -> float | None:
        return score

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return list(self._results(text))

    def _results(self, text: str) -> Iterable[RecognizerResult]:
        if self.REQUIRES and not any(marker in text for marker in self.REQUIRES):
            return
        seen: set[tuple[int, int]] = set()  # several patterns may find the same value
        for pattern, base_score in self.PATTERNS:
            for match in pattern.finditer(text):
                score = self.score_match(text, match, base_score)
                if not score:
                    continue
                group = "value" if "value" in pattern.groupindex and match.group("value") else 0
                if match.span(group) in seen:
                    continue
                seen.add(match.span(group))
                yield RecognizerResult(
                    self.ENTITY,
                    match.start(group),
                    match.end(group),
                    score,
                    recognition_metadata={"recognizer_name": self.name, "rule": "pattern"},
                )


def one_edit(folded: str) -> set[str]:
    """Every string one edit from ``folded``: a letter deleted, two neighbours swapped, a letter changed
    or inserted."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(folded[:i], folded[i:]) for i in range(len(folded) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in letters}
    variants |= {a + c + b for a, b in splits for c in letters}
    variants.discard(folded)
    return variants
