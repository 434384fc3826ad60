"""PII removal for free text: Presidio over spaCy with UK recognisers and numbered placeholders.

Public API::

    from anonymisation.pipeline import redact_texts, redact_many, PlaceholderMapping

See ``redact.py`` for the steps and ``docs/adr/0007-anonymisation-pipeline.md`` for the decisions.
"""

import importlib
from typing import Any

from .presidio_import import defer_predefined_recognisers
from .spacy_import import defer_spacy_cli

# Whichever pipeline module imports Presidio first, its ~60 built-in recognisers stay unimported (they
# cost ~0.5 s of start-up and we use none of them): see presidio_import.py. Nor is spaCy's command-line
# interface imported until something uses it (~0.2 s): see spacy_import.py.
defer_predefined_recognisers()
defer_spacy_cli()

# Each name is loaded from its module when first used, so importing a light part (PlaceholderMapping)
# does not load Presidio and spaCy: web processes import this package and never redact.
_MODULES = {
    "SETTING_NAME": "engine",
    "ModelNotAvailable": "engine",
    "get_analyzer": "engine",
    "get_pipeline": "engine",
    "PlaceholderMapping": "placeholders",
    "MAX_TEXT_LENGTH": "redact",
    "EntitySpan": "redact",
    "Pipeline": "redact",
    "RedactionResult": "redact",
    "TextTooLongError": "redact",
    "clean_text": "redact",
    "redact_many": "redact",
    "redact_texts": "redact",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_MODULES[name]}", __name__), name)
    globals()[name] = value
    return value


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
