"""Redaction of the free text around responses (docs/adr/0021, amended): the decision's rationale,
the referral and sign-off notes, safety actions, safety improvement plans, engagement notes and the
response plan (PSIRP).

Like the learning response documents (redaction.py), the raw text is stored encrypted and read by its
author and the response team alone; after each save the worker redacts it with
`anonymisation.pipeline` and stores `redacted_texts` (field -> text) only if no newer save happened
meanwhile (`texts_changed_at`). Until it has, everyone else reads "Awaiting redaction". Public pages
read the redacted text only.

Who reads the raw text of what (the policy decides: `read_response_free_text_unredacted` and its
`RAW_TEXT_READERS` in accounts/permissions.py; readers.py reads each reader's relations to the text):
- a response's rationale and notes: its team (lead, members and whoever decided it);
- a safety action's text: whoever recorded it, its owner and the team of its response;
- a safety improvement plan's description: whoever wrote it;
- an engagement note: whoever recorded it and the response team;
- a response plan's summary and priorities: whoever wrote it; its decision note: the ICB admin who
  decided it. The ICB deciding a plan, other admins and the public page read the redacted text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html

from .models import EngagementEntry, Response, ResponsePlan, SafetyAction, SafetyImprovementPlan

logger = logging.getLogger(__name__)

# Kind of record -> (model, its free-text fields). A plan's priorities are a list of rows; their texts
# are redacted as `priority-N`.
FIELDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "response": (Response, ("rationale", "referral_note", "sign_off_note")),
    "safety_action": (SafetyAction, ("area_for_improvement", "action", "measure", "evidence")),
    "safety_plan": (SafetyImprovementPlan, ("description",)),
    "engagement": (EngagementEntry, ("note",)),
    "plan": (ResponsePlan, ("summary", "decision_note", "priorities")),
}
KIND_OF = {model: kind for kind, (model, _fields) in FIELDS.items()}
AWAITING = format_html('<span class="govuk-hint app-awaiting-redaction">{}</span>', "Awaiting redaction")
# Queued again by the sweep when still unredacted this long after the change (a lost task), and not
# again within REQUEUE_AFTER of the sweep's last queueing of it (`texts_queued_at`): a record the
# worker cannot redact yet is not queued every five minutes for ever.
SWEEP_AFTER = dt.timedelta(minutes=5)
REQUEUE_AFTER = dt.timedelta(minutes=30)
SWEEP_BATCH = 1000


def raw_texts(instance) -> dict[str, str]:
    """The record's free text as the pipeline reads it: field -> text, non-empty only."""
    _model, fields = FIELDS[KIND_OF[type(instance)]]
    texts: dict[str, str] = {}
    for name in fields:
        value = getattr(instance, name)
        if name == "priorities":
            for number, row in enumerate(value or [], start=1):
                if row.get("priority"):
                    texts[f"priority-{number}"] = row["priority"]
        elif isinstance(value, str) and value:
            texts[name] = value
    return texts


# What marking a record's text changed sets (`changed`), for callers saving with update_fields.
CHANGE_FIELDS = ("texts_changed_at", "redacted_texts", "texts_queued_at")


def changed(instance) -> None:
    """Marks the record's text as changed (others read "Awaiting redaction" until the worker has run)
    and queues it once the save commits. The caller saves CHANGE_FIELDS with the rest. A new change is
    not held back by the sweep's back-off from an earlier queueing (`texts_queued_at` cleared): if this
    queueing is lost, the next sweep takes it."""
    instance.texts_changed_at = timezone.now()
    instance.redacted_texts = None
    instance.texts_queued_at = None
    if instance.pk is not None:
        _queue_on_commit(instance)


def saved(instance) -> None:
    """For records just created: queue the text once the row exists."""
    _queue_on_commit(instance)


def _queue_on_commit(instance) -> None:
    kind, pk = KIND_OF[type(instance)], instance.pk

    def send() -> None:
        from .tasks import redact_free_text

        redact_free_text.delay(kind, pk)

    # robust: a broker outage does not turn the saved change into an error; the sweep queues it.
    transaction.on_commit(send, robust=True)


def redact_texts(texts: dict[str, str]) -> dict[str, str]:
    from .redaction import redact_texts as pipeline_redact

    return pipeline_redact(texts)


def free_text_redact(kind: str, pk: int) -> bool:
    """The worker's job: redacts the record's free text and stores it unless it changed meanwhile."""
    model, _fields = FIELDS[kind]
    instance = model.objects.filter(pk=pk).first()
    if instance is None or instance.texts_changed_at is None:
        return False
    redacted = redact_texts(raw_texts(instance))
    values: dict[str, Any] = {"redacted_texts": redacted}
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        # What the API shows changes ("being processed" -> the redacted text): a new Task version.
        values["updated_at"] = timezone.now()
    return bool(model.objects.filter(pk=pk, texts_changed_at=instance.texts_changed_at).update(**values))


def free_text_sweep(now: dt.datetime | None = None) -> int:
    """Queues again every record whose text is still unredacted some minutes after it changed, oldest
    change first, unless the sweep queued it within REQUEUE_AFTER; notes when it did."""
    from django.db.models import Q

    from .tasks import redact_free_text

    now = now or timezone.now()
    queued = 0
    for kind, (model, _fields) in FIELDS.items():
        pks = list(
            model.objects.filter(redacted_texts__isnull=True, texts_changed_at__lt=now - SWEEP_AFTER)
            .filter(Q(texts_queued_at__isnull=True) | Q(texts_queued_at__lt=now - REQUEUE_AFTER))
            .order_by("texts_changed_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        sent = []
        try:
            for pk in pks:
                redact_free_text.delay(kind, pk)
                sent.append(pk)
        except Exception:  # the broker: noted, and the next kind is tried; the next sweep tries again
            logger.exception("free-text sweep: could not queue %s %s", kind, pks[len(sent)])
        # Only what reached the broker waits out the back-off.
        if sent:
            model.objects.filter(pk__in=sent).update(texts_queued_at=now)
        queued += len(sent)
    return queued


class Shown:
    """What one reader sees of a record's free text: `shown.field` is the raw text for its readers,
    else the redacted text, else "Awaiting redaction". Plan priorities: `shown.priorities`."""

    def __init__(self, instance, raw: bool, raw_fields: Iterable[str] = ()):
        self.instance, self.raw = instance, raw
        self.raw_fields = frozenset(raw_fields)  # fields this reader wrote, read raw whoever they are

    @property
    def pending(self) -> bool:
        return not self.raw and bool(raw_texts(self.instance)) and self.instance.redacted_texts is None

    def __getitem__(self, name: str) -> Any:
        value = getattr(self.instance, name)
        if self.raw or name in self.raw_fields:
            return value
        redacted = self.instance.redacted_texts
        if name == "priorities":
            return [
                {
                    **row,
                    "priority": AWAITING
                    if redacted is None
                    else redacted.get(f"priority-{number}", row.get("priority") and AWAITING),
                }
                for number, row in enumerate(value or [], start=1)
            ]
        if not value:
            return value
        if redacted is None or name not in redacted:
            return AWAITING
        return redacted[name]

    def plain(self, name: str) -> str:
        """As `shown[name]`, for CSV and emails: "Awaiting redaction" as words."""
        value = self[name]
        return "Awaiting redaction" if value is AWAITING else value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("instance", "raw", "raw_fields"):
            raise AttributeError(name)
        return self[name]


def show(instances: Iterable, reads_raw: Callable[[Any], bool]) -> list:
    """Attaches `.shown` to each record for its reader; returns them as a list."""
    shown = []
    for instance in instances:
        instance.shown = Shown(instance, reads_raw(instance))
        shown.append(instance)
    return shown


def redacted_only(instance):
    """For public pages and emails: the redacted text, whoever reads."""
    instance.shown = Shown(instance, False)
    return instance


def change_values(instance, **values) -> dict[str, Any]:
    """As `change`, leaving the record as it is: for a caller that sets the values only once a check
    has passed (services' moves: the lifecycle may refuse, and the page must not show the refused
    text as if saved). Queues the record on commit; a refusal rolls that back with the rest."""
    _queue_on_commit(instance)
    return {**values, "texts_changed_at": timezone.now(), "redacted_texts": None, "texts_queued_at": None}


def change(instance, **values) -> dict[str, Any]:
    """Sets the new free text on the record and marks it changed; returns the values to save."""
    for name, value in values.items():
        setattr(instance, name, value)
    changed(instance)
    return {**values, **{name: getattr(instance, name) for name in CHANGE_FIELDS}}
