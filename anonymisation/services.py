"""Writes of the redaction QA screen. Reading raw text is audited here; corrections are recorded and
the record redacted again by the events app (events/redaction.py), which owns redaction."""

from events.free_text import free_text_fields
from events.models import EventRevision

from .models import RawTextAccess


def raw_text_read(*, revision: EventRevision, actor, purpose: str) -> dict[str, str]:
    """The original free text of a revision, for the audited QA screen: every call is audited."""
    RawTextAccess.objects.create(user=actor, revision=revision, purpose=purpose)
    return free_text_fields(revision.answers, revision.question_set_version)
