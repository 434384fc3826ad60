"""Redaction of event revisions: the worker's job, the sweep, and super admins' corrections.

The Celery tasks in events/tasks.py are thin wrappers around these. A submission never waits for, or
fails because of, redaction: the revision stays pending and the sweep queues it again until a worker
has done it. The result is published through the lifecycle (`revision_publish`), with a summary of
what was found and the residual risk of what was left on the revision's `RedactionRun`.

The text itself is redacted by `anonymisation.pipeline`, a library without models: this module is
the only place events reach into it (docs/adr/0013).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from anonymisation import pipeline
from anonymisation.pipeline.risk import residual_risk
from lfpse.prepared import PreparedGet

from .free_text import free_text_fields, with_texts
from .lifecycle import revision_publish
from .models import (
    CorrectionKind,
    EventRevision,
    PlaceholderNumbering,
    RedactionCorrection,
    RedactionRun,
    RedactionStatus,
)
from .redaction_corrections import apply_corrections, name_like_words_left
from .redaction_queue import (
    broker_came_back_empty,
    oldest_waiting,
    revision_redaction_queue,
    send_for_redaction,
)

logger = logging.getLogger(__name__)

SWEEP_AFTER = dt.timedelta(minutes=5)  # REDACTION_SWEEP_AFTER_SECONDS overrides it
# The broker hands an unacknowledged task out again after its visibility timeout (an hour): a re-run
# queued less long ago is still in the queue or in a worker's hands.
RERUN_RESEND_AFTER = dt.timedelta(hours=1)
# When the broker lost its tasks: a revision made this moment has its own task on the way.
LOST_GRACE = dt.timedelta(seconds=5)
# A revision made this long ago and never queued had its task's sending fail (the broker down, which a
# web request gives up on within seconds: CELERY_TASK_PUBLISH_RETRY_POLICY): the next sweep sends it,
# without waiting SWEEP_AFTER (a load run's Redis restart left such records hidden for minutes).
NEVER_QUEUED_GRACE = dt.timedelta(seconds=30)
_PLACEHOLDER = re.compile(r"\[([A-Z][A-Z ]*[A-Z]) \d+\]")


def placeholder_summary(texts: dict[str, str]) -> dict[str, int]:
    """What was found, by type and count, read from the placeholders: never the values."""
    counts: Counter[str] = Counter()
    for text in texts.values():
        counts.update(match.group(1) for match in _PLACEHOLDER.finditer(text))
    return dict(sorted(counts.items()))


# Read by every redaction task: the statement is built once (lfpse/prepared.py, docs/adr/0022).
_revision_with_event_and_run = PreparedGet(EventRevision, "id", related=("event", "redaction_run"))


def revision_redact(revision_id: int) -> bool:
    """Redacts one revision, with every correction marked on it, and publishes the result.

    Idempotent: a revision already redacted is left alone (returns False) unless a super admin has
    asked for it to be redacted again since.
    """
    # The run comes with the revision (every queued revision has one; one made before runs existed
    # gets it here).
    revision = _revision_with_event_and_run(revision_id)
    if revision is None:
        raise EventRevision.DoesNotExist(f"No revision {revision_id}")
    run = getattr(revision, "redaction_run", None)
    if run is None:
        run, _ = RedactionRun.objects.get_or_create(revision=revision)
    rerun = run.rerun_requested_at
    if revision.redaction_status == RedactionStatus.COMPLETE and rerun is None:
        return False
    RedactionRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1)
    originals = free_text_fields(revision.answers, revision.question_set_version)
    # Corrections are only ever marked with a re-run asked for (redaction_corrections_record), and a
    # run that applied them says so (`corrected`): with neither there are none to read.
    may_have_corrections = rerun is not None or run.corrected
    with transaction.atomic():
        # One INSERT ... ON CONFLICT DO NOTHING instead of a look-up, then an insert.
        PlaceholderNumbering.objects.bulk_create(
            [PlaceholderNumbering(event=revision.event)], ignore_conflicts=True
        )
        # One revision of a record at a time, so that numbering stays consistent across revisions.
        numbering = PlaceholderNumbering.objects.select_for_update().get(event=revision.event)
        mapping = pipeline.PlaceholderMapping.from_dict(numbering.mapping or None)
        result = pipeline.redact_texts(originals, mapping)  # loads Presidio on first use
        texts, name_like_words = result.texts, result.name_like_words
        if may_have_corrections:
            texts, name_like_words = _corrected(revision, originals, result, result.mapping)
        numbering.mapping = result.mapping.to_dict()
        numbering.save(update_fields=["mapping", "updated_at"])
        revision_publish(
            revision_id=revision.pk,
            redacted_answers=with_texts(revision.answers, texts),
            supersede=rerun is not None,
        )
        _run_completed(revision, texts, rerun, name_like_words=name_like_words)
    return True


def _corrected(revision, originals, result, mapping) -> tuple[dict[str, str], int]:
    """The texts with the corrections applied, and the name-like words still left in them."""
    corrections = list(revision.corrections.all())
    if not corrections:
        return result.texts, result.name_like_words
    missed = [(c.entity_type or "PERSON", c.value) for c in corrections if c.kind == CorrectionKind.MISSED]
    texts = apply_corrections(
        originals,
        result,
        missed=missed,
        keep=[c.value for c in corrections if c.kind == CorrectionKind.OVER_REDACTED],
        mapping=mapping,
    )
    return texts, name_like_words_left(originals, result, missed=missed)


def _run_completed(
    revision: EventRevision, texts: dict[str, str], rerun: dt.datetime | None, *, name_like_words: int
) -> None:
    risk = residual_risk(texts, name_like_words=name_like_words)
    RedactionRun.objects.filter(revision=revision).update(
        completed_at=timezone.now(),
        summary=placeholder_summary(texts),
        last_error="",
        risk_score=risk.score,
        risk_reasons=list(risk.reasons),
    )
    if rerun is not None:
        # Corrections marked while this run was working asked for another run: leave that request.
        RedactionRun.objects.filter(revision=revision, rerun_requested_at=rerun).update(
            rerun_requested_at=None, corrected=True
        )


def redaction_failed(revision_id: int, error: BaseException) -> None:
    """Notes the failure on the run for the QA screen, if the database answers. It is a note only: when
    the database is what failed, writing it fails too, and that must not stop the task being tried
    again (a task that raised here instead was acknowledged and lost, and its record stayed hidden
    until the sweep's delay: a load run's database restart, docs/adr/0022, 2026-12-06)."""
    try:
        RedactionRun.objects.filter(revision_id=revision_id).update(last_error=type(error).__name__[:200])
    except DatabaseError as unrecorded:
        logger.warning(
            "Could not note the failed redaction of revision %s: %s", revision_id, type(unrecorded).__name__
        )


def redaction_sweep(*, now: dt.datetime | None = None) -> int:
    """Queues every revision still pending, or still waiting to be redacted again with corrections,
    after SWEEP_AFTER (worker down, broker down, lost task); at once when the broker lost its tasks."""
    now = now or timezone.now()
    after = getattr(settings, "REDACTION_SWEEP_AFTER_SECONDS", None)
    cutoff = now - (dt.timedelta(seconds=after) if after is not None else SWEEP_AFTER)
    rerun_queued_before = min(cutoff, now - RERUN_RESEND_AFTER)
    if broker_came_back_empty():
        # Every task queued before the broker came back empty is lost: a new revision is sent again at
        # once, not after the delay (those queued since are behind the head of the queue, which the
        # cutoff keeps out). A re-run keeps its own rule: its previous redacted text shows meanwhile.
        cutoff = now - LOST_GRACE
        return _send_waiting(now, cutoff, _before(cutoff, oldest_waiting()), rerun_queued_before)
    # Not one queued within SWEEP_AFTER either: during a back-fill the queue is long and its tasks are
    # on their way; queueing them again every minute would only make it longer (docs/adr/0022). Nor one
    # queued after the task at the head of the live queue: it is still waiting behind that task, however
    # long the queue has grown (in a short load run the sweep sent every waiting task a second time).
    # A re-run waits on the back-fill queue behind thousands of others for as long as it takes; it is
    # sent again only when it cannot still be there (its task lost), after RERUN_RESEND_AFTER.
    return _send_waiting(now, cutoff, _before(cutoff, oldest_waiting()), rerun_queued_before)


def _before(cutoff: dt.datetime, head: dt.datetime | None) -> dt.datetime:
    return min(cutoff, head) if head is not None else cutoff


def _send_waiting(
    now: dt.datetime, cutoff: dt.datetime, queued_before: dt.datetime, rerun_queued_before: dt.datetime
) -> int:
    """Sends again the revisions made or asked to be redacted again before `cutoff` and not queued
    since the given times, and at once those never queued: their task was never sent (the broker was
    down when they were made), so there is nothing to wait for. Never redacted: the live queue.
    Redacted, to be redacted again: the back-fill queue (its previous redacted text stays visible)."""
    never_queued_before = max(cutoff, now - NEVER_QUEUED_GRACE)
    new = EventRevision.objects.filter(
        Q(redaction_status=RedactionStatus.PENDING)
        & (
            Q(redaction_run__queued_at__isnull=True, created_at__lt=never_queued_before)
            | Q(redaction_run__queued_at__lt=queued_before, created_at__lt=cutoff)
        )
    ).values_list("pk", flat=True)
    again = (
        EventRevision.objects.filter(redaction_run__rerun_requested_at__lt=cutoff)
        .exclude(redaction_status=RedactionStatus.PENDING)
        .filter(
            Q(redaction_run__queued_at__isnull=True) | Q(redaction_run__queued_at__lt=rerun_queued_before)
        )
        .values_list("pk", flat=True)
    )
    return sum(send_for_redaction(revision_id) for revision_id in new) + sum(
        send_for_redaction(revision_id, backfill=True) for revision_id in again
    )


def redaction_backfill(revision_ids: list[int]) -> int:
    """Asks for these revisions to be redacted again (a new pipeline version, say) on the low-priority
    queue; returns how many tasks were queued. Until each is done its previous redacted text shows."""
    now = timezone.now()
    existing = set(
        RedactionRun.objects.filter(revision_id__in=revision_ids).values_list("revision_id", flat=True)
    )
    RedactionRun.objects.bulk_create(
        [RedactionRun(revision_id=pk) for pk in revision_ids if pk not in existing], ignore_conflicts=True
    )
    # One already waiting for a re-run whose task can still be in the queue is not sent again: that
    # task redacts it with the code running when it is taken (two back-fills over the same records
    # doubled the queue in a load run).
    waiting = set(
        RedactionRun.objects.filter(
            revision_id__in=revision_ids,
            rerun_requested_at__isnull=False,
            queued_at__gte=now - RERUN_RESEND_AFTER,
        ).values_list("revision_id", flat=True)
    )
    to_send = [pk for pk in revision_ids if pk not in waiting]
    # Marked queued before the first is sent: sending 10,000 takes minutes, and the sweep must not take
    # the ones not sent yet for lost ones and send them a second time.
    RedactionRun.objects.filter(revision_id__in=to_send).update(rerun_requested_at=now, queued_at=now)
    return sum(send_for_redaction(pk, backfill=True) for pk in to_send)


# -- quality assurance (super admins) ------------------------------------------------------------------
@transaction.atomic
def redaction_corrections_record(
    *, revision: EventRevision, actor, missed: list[tuple[str, str]], keep: list[str]
) -> None:
    """Records a super admin's corrections and queues the revision to be redacted again with all of
    them applied. Until the worker stores the new text, the previous redacted text stays visible."""
    RedactionCorrection.objects.bulk_create(
        [
            *(
                RedactionCorrection(
                    revision=revision,
                    kind=CorrectionKind.MISSED,
                    entity_type=entity_type,
                    value=value,
                    marked_by=actor,
                )
                for entity_type, value in missed
            ),
            *(
                RedactionCorrection(
                    revision=revision, kind=CorrectionKind.OVER_REDACTED, value=value, marked_by=actor
                )
                for value in keep
            ),
        ]
    )
    revision_redaction_queue(revision)
    RedactionRun.objects.filter(revision=revision).update(rerun_requested_at=timezone.now())
