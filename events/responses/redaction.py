"""Redaction of learning response documents by the same pipeline as records (docs/adr/0021).

The worker redacts the document's free text with `anonymisation.pipeline` (the library records use)
and stores it through the lifecycle; until it has, people outside the response team read "being
processed". A newer save makes an older run's result stale: it is dropped.
"""

from __future__ import annotations

from anonymisation import pipeline

from . import documents
from .lifecycle import response_redaction_publish
from .models import Response


def redact_texts(texts: dict[str, str]) -> dict[str, str]:
    if not texts:
        return {}
    return pipeline.redact_texts(texts, pipeline.PlaceholderMapping.from_dict(None)).texts


def response_redact(response_id: int) -> bool:
    response = Response.objects.filter(pk=response_id).first()
    if response is None or response.answers_changed_at is None:
        return False
    answers = dict(response.answers or {})
    texts = documents.free_text(response.kind, answers, response.document_version)
    redacted = {**answers, **redact_texts(texts)}
    return response_redaction_publish(
        response_id=response.pk, changed_at=response.answers_changed_at, redacted_answers=redacted
    )
