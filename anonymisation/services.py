"""Redaction of event revisions: queueing, the work itself, the sweep, and quality-assurance corrections.

Tasks are thin wrappers around these. A submission never waits for, or fails because of, redaction:
the revision stays pending and the sweep queues it again until a worker has done it.
"""

import datetime as dt
import re
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from events.models import EventRevision, RedactionStatus
from events.services import revision_mark_redacted

from . import pipeline
from .corrections import apply_corrections
from .free_text import free_text_fields, with_texts
from .models import CorrectionKind, PlaceholderNumbering, RawTextAccess, RedactionCorrection, RedactionRun
from .queue import send_for_redaction

SWEEP_AFTER = dt.timedelta(minutes=5)
_PLACEHOLDER = re.compile(r"\[([A-Z][A-Z ]*[A-Z]) \d+\]")


def placeholder_summary(texts: dict[str, str]) -> dict[str, int]:
    """What was found, by type and count, read from the placeholders: never the values."""
    counts: Counter[str] = Counter()
    for text in texts.values():
        counts.update(match.group(1) for match in _PLACEHOLDER.finditer(text))
    return dict(sorted(counts.items()))


def revision_redact(revision_id: int) -> bool:
    """Redacts one revision. Idempotent: a revision already redacted is left alone (returns False)."""
    revision = EventRevision.objects.select_related("event").get(pk=revision_id)
    if revision.redaction_status == RedactionStatus.COMPLETE:
        return False
    run, _ = RedactionRun.objects.get_or_create(revision=revision)
    RedactionRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1)
    originals = free_text_fields(revision.answers, revision.question_set_version)
    PlaceholderNumbering.objects.get_or_create(event=revision.event)
    with transaction.atomic():
        # One revision of a record at a time, so that numbering stays consistent across revisions.
        numbering = PlaceholderNumbering.objects.select_for_update().get(event=revision.event)
        mapping = pipeline.PlaceholderMapping.from_dict(numbering.mapping or None)
        result = pipeline.redact_texts(originals, mapping)  # loads Presidio on first use
        texts = _corrected(revision, originals, result, result.mapping)
        _store(revision, numbering, result.mapping, texts)
    return True


def _corrected(revision, originals, result, mapping) -> dict[str, str]:
    corrections = list(revision.corrections.all())
    if not corrections:
        return result.texts
    return apply_corrections(
        originals,
        result,
        missed=[(c.entity_type or "PERSON", c.value) for c in corrections if c.kind == CorrectionKind.MISSED],
        keep=[c.value for c in corrections if c.kind == CorrectionKind.OVER_REDACTED],
        mapping=mapping,
    )


def _store(revision, numbering, mapping, texts) -> None:
    numbering.mapping = mapping.to_dict()
    numbering.save(update_fields=["mapping", "updated_at"])
    revision_mark_redacted(revision_id=revision.pk, redacted_answers=with_texts(revision.answers, texts))
    RedactionRun.objects.filter(revision=revision).update(
        completed_at=timezone.now(), summary=placeholder_summary(texts), last_error=""
    )


def redaction_failed(revision_id: int, error: BaseException) -> None:
    RedactionRun.objects.filter(revision_id=revision_id).update(last_error=type(error).__name__[:200])


def redaction_sweep(*, now: dt.datetime | None = None) -> int:
    """Queues every revision still pending after SWEEP_AFTER (worker down, broker down, lost task)."""
    now = now or timezone.now()
    pending = EventRevision.objects.filter(
        redaction_status=RedactionStatus.PENDING, created_at__lt=now - SWEEP_AFTER
    ).values_list("pk", flat=True)
    return sum(send_for_redaction(revision_id) for revision_id in pending)


# Quality assurance (super admins) --------------------------------------------------------------------
def raw_text_read(*, revision: EventRevision, actor, purpose: str) -> dict[str, str]:
    """The original free text of a revision, for the audited QA screen: every call is audited."""
    RawTextAccess.objects.create(user=actor, revision=revision, purpose=purpose)
    return free_text_fields(revision.answers, revision.question_set_version)


@transaction.atomic
def redaction_correct(
    *, revision: EventRevision, actor, missed: list[tuple[str, str]], keep: list[str]
) -> EventRevision:
    """Records the corrections and re-runs the revision's redaction with all of them applied."""
    for entity_type, value in missed:
        RedactionCorrection.objects.create(
            revision=revision,
            kind=CorrectionKind.MISSED,
            entity_type=entity_type,
            value=value,
            marked_by=actor,
        )
    for value in keep:
        RedactionCorrection.objects.create(
            revision=revision, kind=CorrectionKind.OVER_REDACTED, value=value, marked_by=actor
        )
    # Re-run now: the revision stays visible (with its previous redaction) until the new one is stored.
    EventRevision.objects.filter(pk=revision.pk).update(redaction_status=RedactionStatus.PENDING)
    revision_redact(revision.pk)
    RedactionRun.objects.filter(revision=revision).update(corrected=True)
    revision.refresh_from_db()
    return revision
