"""PII removal for free text: Presidio over spaCy with UK recognisers and numbered placeholders.

Public API::

    from anonymisation.pipeline import redact_texts, redact_many, PlaceholderMapping

See ``redact.py`` for the steps and ``docs/adr/0007-anonymisation-pipeline.md`` for the decisions.
"""

from .engine import SETTING_NAME, ModelNotAvailable, get_analyzer, get_pipeline
from .placeholders import PlaceholderMapping
from .redact import (
    MAX_TEXT_LENGTH,
    EntitySpan,
    Pipeline,
    RedactionResult,
    TextTooLongError,
    clean_text,
    redact_many,
    redact_texts,
)

__all__ = [
    "MAX_TEXT_LENGTH",
    "SETTING_NAME",
    "EntitySpan",
    "ModelNotAvailable",
    "Pipeline",
    "PlaceholderMapping",
    "RedactionResult",
    "TextTooLongError",
    "clean_text",
    "get_analyzer",
    "get_pipeline",
    "redact_many",
    "redact_texts",
]
