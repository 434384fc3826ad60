"""The life of an event record: the only code that writes `Event.status` and `EventRevision` rows.

Every writer (recording, organisation review and update, re-classification, statutory edits, the FHIR
API) says *what happened* (a `RevisionAction`) and hands over the answers; this module decides what
that does to the record:

- the new status, from `TRANSITIONS` (a plain table; `IllegalTransition` names status and action
  when the pair is not in it, docs/adr/0013);
- the revision number, read with the record locked, so two writers never take the same number;
- the indexed columns dashboards filter on (event type, event date, organisation, question-set
  version), derived from the answers in one place (`indexed_columns`);
- the revision itself, the record's audit trail, in the same transaction as the status;
- publication: a revision with new text waits for the redaction worker (queued on commit); a
  revision whose text is a copy of an already redacted one (review, statutory edit,
  re-classification) is published at once with that redacted text (`revision_publish` for the
  worker's results).

Each function joins its caller's transaction (no savepoint of its own: a failure here fails the
caller's write as a whole) or, called alone, runs in one of its own.

Permission checks and the rules of each journey (what may be edited, stale drafts, messages shown to
users) stay with the writers: this module enforces only what must hold whoever writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.questionnaire import EVENT_TYPE, copy_answers
from organisations.models import Organisation
from organisations.selectors import organisation_by_code

from .extensions import record_progress_changed, visible_revision_changed
from .journeys import event_date_from
from .models import Event, EventRevision, EventSource, EventStatus, RedactionStatus, RevisionAction
from .organisation_columns import event_refresh_dashboard_columns
from .redaction_queue import revision_redaction_queue
from .references import reference_generate

Status = EventStatus
Action = RevisionAction
NEW = None  # the "status" of a record that does not exist yet: a draft, or an API payload

# status x action -> new status. A pair missing from the table is an illegal transition.
TRANSITIONS: Mapping[tuple[str | None, str], str] = {
    (NEW, Action.SUBMITTED): Status.RECORDER_SUBMITTED,
    **{(status, Action.UPDATED): Status.RECORDER_UPDATED for status in Status},
    (Status.RECORDER_SUBMITTED, Action.REVIEWED): Status.REVIEWED,
    (Status.RECORDER_UPDATED, Action.REVIEWED): Status.REVIEWED,
    **{(status, Action.RECLASSIFIED): Status.RECORDER_UPDATED for status in Status},
    **{(status, Action.STATUTORY_UPDATED): status for status in Status},
}
# Actions whose answers are new: the indexed columns are derived again from them.
CHANGES_ANSWERS = frozenset({Action.SUBMITTED, Action.UPDATED, Action.RECLASSIFIED})
# Actions whose text is a copy (or a subset) of a revision already redacted: published at once.
COPIES_TEXT = frozenset({Action.REVIEWED, Action.STATUTORY_UPDATED, Action.RECLASSIFIED})

_CURRENT = object()  # "the record's organisation as it stands", as a default fallback


class IllegalTransition(Exception):
    """A writer asked for an action the record's status does not allow."""

    def __init__(self, status: str | None, action: str):
        self.status, self.action = status, action
        shown = "a new record" if status is NEW else f"a record with status {Status(status).label!r}"
        super().__init__(f"{Action(action).label!r} is not allowed on {shown}")


class ReferenceUnavailable(Exception):
    """No unused reference number was found after several tries."""


def transition(status: str | None, action: str) -> str:
    """The status after `action`; `IllegalTransition` when the table does not allow it."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(status, action) from None


def is_allowed(status: str | None, action: str) -> bool:
    return (status, action) in TRANSITIONS


def event_organisation_from_answers(
    answers: dict[str, Any], fallback: Organisation | None
) -> Organisation | None:
    """The organisation the event is about decides who sees it: the one named, else the fallback."""
    for question_id in ("Organisation", "ReporterOrganisation"):
        code = answers.get(question_id)
        if isinstance(code, str) and code != "other":
            organisation = organisation_by_code(code)
            if organisation is not None:
                return organisation
    return fallback


def indexed_columns(
    answers: dict[str, Any], *, version: str, recorded_on: dt.date, fallback_organisation: Organisation | None
) -> dict[str, Any]:
    """The Event columns that come from a revision's answers (the only place they are derived)."""
    return {
        "event_type": answers[EVENT_TYPE],
        "event_date": event_date_from(answers, recorded_on),
        "organisation": event_organisation_from_answers(answers, fallback_organisation),
        "question_set_version": version,
    }


# -- writing ------------------------------------------------------------------------------------------
@transaction.atomic(savepoint=False)
def event_create(
    *,
    actor,
    answers: dict[str, Any],
    question_set_version: str,
    recorder_organisation: Organisation | None,
    fallback_organisation: Organisation | None,
    is_anonymous: bool,
    source: str = EventSource.STAFF,
    shared_with_organisation: bool = True,
) -> EventRevision:
    """A new record: reference number, status Recorder Submitted, revision 1, redaction queued.

    `actor` is the recorder (None when anonymous, sent by an API client or by a patient). `source`
    says who recorded it (staff, or a patient or family); a patient's report kept for national
    learning only is not `shared_with_organisation` (docs/adr/0019)."""
    event = Event(
        status=transition(NEW, Action.SUBMITTED),
        recorded_by=actor,
        recorder_organisation=recorder_organisation,
        is_anonymous=is_anonymous,
        source=source,
        shared_with_organisation=shared_with_organisation,
        **indexed_columns(
            answers,
            version=question_set_version,
            recorded_on=timezone.localdate(),
            fallback_organisation=fallback_organisation,
        ),
    )
    _save_with_new_reference(event)
    revision = _revision_write(event, 1, Action.SUBMITTED, actor, answers)
    revision_redaction_queue(revision)
    return revision


def _save_with_new_reference(event: Event, attempts: int = 20) -> None:
    for _ in range(attempts):
        event.reference = reference_generate()
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            if Event.objects.filter(reference=event.reference).exists():
                continue
            raise
        return
    raise ReferenceUnavailable("A reference number could not be given to the record. Try submitting again.")


@transaction.atomic(savepoint=False)
def revision_append(
    *,
    event: Event,
    action: str,
    actor,
    answers: dict[str, Any],
    question_set_version: str | None = None,
    redacted_from: EventRevision | None = None,
    redacted_answers: dict[str, Any] | None = None,
    fallback_organisation: Any = _CURRENT,
    is_anonymous: bool | None = None,
) -> EventRevision:
    """Appends a revision to an existing record and moves its status on.

    - `redacted_from`: for actions that copy text (review, statutory edit, re-classification), the
      revision the text comes from; the new revision is published at once with its redacted text (or
      `redacted_answers`, when the copy is a subset), or queued if that revision is itself still
      waiting. Every other action queues the new text for redaction when the transaction commits.
    - `fallback_organisation`: the organisation the record is about when the answers name none
      (default: the record's organisation as it stands).
    - `is_anonymous`: only an API client's full replacement may change it.

    The `event` passed in is updated in place to the values written.
    """
    if (action in COPIES_TEXT) != (redacted_from is not None):
        raise ValueError(f"redacted_from is required for, and only for, {sorted(COPIES_TEXT)}")
    locked = Event.objects.select_for_update().values("status", "question_set_version").get(pk=event.pk)
    # Read after the lock, in a statement of its own: one that waited for the lock would still see the
    # revisions as they were when it started (READ COMMITTED takes a snapshot per statement).
    last_number = (
        EventRevision.objects.filter(event_id=event.pk)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    status = transition(locked["status"], action)
    version = question_set_version or locked["question_set_version"]
    values: dict[str, Any] = {"status": status}
    if action in CHANGES_ANSWERS:
        values.update(
            indexed_columns(
                answers,
                version=version,
                recorded_on=timezone.localdate(event.created_at),
                fallback_organisation=event.organisation
                if fallback_organisation is _CURRENT
                else fallback_organisation,
            )
        )
    if is_anonymous is not None:
        values["is_anonymous"] = is_anonymous
    for name, value in values.items():
        setattr(event, name, value)
    if values.keys() != {"status"} or status != locked["status"]:
        event.save(update_fields=[*values, "updated_at"])
    if status != locked["status"]:
        record_progress_changed.send(sender=Event, event_ids=[event.pk])
    revision = _revision_write(event, (last_number or 0) + 1, action, actor, answers, version)
    if redacted_from is None or redacted_from.redaction_status != RedactionStatus.COMPLETE:
        revision_redaction_queue(revision)
    else:
        shown = redacted_answers if redacted_answers is not None else redacted_from.redacted_answers
        _publish(revision, event, copy_answers(shown), newest=True)
    return revision


def _revision_write(
    event: Event, number: int, action: str, actor, answers: dict[str, Any], version: str | None = None
) -> EventRevision:
    return EventRevision.objects.create(
        event=event,
        number=number,
        action=action,
        actor=actor,
        status=event.status,
        event_type=answers.get(EVENT_TYPE, event.event_type),
        question_set_version=version or event.question_set_version,
        answers=copy_answers(answers),
    )


# -- publishing ---------------------------------------------------------------------------------------
@transaction.atomic(savepoint=False)
def revision_publish(
    *, revision_id: int, redacted_answers: dict[str, Any], supersede: bool = False
) -> EventRevision:
    """Stores a revision's redacted answers and, if it is the newest redacted one, shows it.

    Idempotent: a revision already redacted is left as it is (the first result wins), unless
    `supersede` says the text was redacted again with a super admin's corrections.
    """
    # The revision and its record locked in one statement (both inner-joined rows are locked).
    revision = EventRevision.objects.select_for_update().select_related("event").get(pk=revision_id)
    if revision.redaction_status == RedactionStatus.COMPLETE and (
        not supersede or revision.redacted_answers == redacted_answers
    ):
        # Redacted again to the same text (a back-fill with unchanged results): nothing shown changes,
        # so nothing built on the text is rebuilt either.
        return revision
    _publish(revision, revision.event, redacted_answers, superseded=supersede)
    return revision


def _publish(
    revision: EventRevision, event: Event, redacted_answers: dict[str, Any], newest=False, superseded=False
) -> None:
    revision.redacted_answers = redacted_answers
    revision.redaction_status = RedactionStatus.COMPLETE
    revision.save(update_fields=["redacted_answers", "redaction_status"])
    current = None if newest else event.visible_revision
    if current is None or current.number < revision.number:
        event.visible_revision = revision
        event.updated_at = timezone.now()
        # One UPDATE: the visible revision with the dashboard columns that describe it.
        event_refresh_dashboard_columns(
            event, also={"visible_revision": revision, "updated_at": event.updated_at}
        )
    elif current.pk == revision.pk:  # the visible revision was redacted again (QA corrections)
        event_refresh_dashboard_columns(event)
    else:
        return
    # What is built on the redacted text (similar events, duplicates) is rebuilt after commit.
    # `superseded`: text redacted again (a back-fill, corrections), rebuilt without holding up new records.
    visible_revision_changed.send(
        sender=Event, event_id=event.pk, revision_id=revision.pk, superseded=superseded
    )


# -- coded history --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodedRecord:
    """A record known only by its coded columns (no free text): generated demo history."""

    organisation_id: int
    event_type: str
    created_at: dt.datetime
    event_date: dt.date
    is_anonymous: bool = False
    involved_agents: int = 0
    worst_physical_harm: int | None = None
    worst_psychological_harm: int | None = None
    patient_count: int = 0
    # Other coded answers (no free text), such as ServiceArea: stored as the answers and, there being
    # nothing to redact, as the redacted answers.
    coded_answers: dict | None = None


@transaction.atomic(savepoint=False)
def coded_history_import(records: list[CodedRecord], *, question_set_version: str) -> int:
    """Writes records that hold codes only, each Recorder Submitted with revision 1 published at once:
    with no free text there is nothing to redact. For generated demo history, written in bulk because
    thousands of form journeys would take minutes. Returns how many were written."""
    status = transition(NEW, Action.SUBMITTED)
    references = _unused_references(len(records))
    events = [
        Event(
            status=status,
            question_set_version=question_set_version,
            reference=reference,
            **{
                name: getattr(record, name)
                for name in CodedRecord.__dataclass_fields__
                if name != "coded_answers"
            },
        )
        for record, reference in zip(records, references, strict=True)
    ]
    Event.objects.bulk_create(events, batch_size=1000)  # primary keys come back on PostgreSQL and SQLite
    revisions = [
        EventRevision(
            event=event,
            number=1,
            action=Action.SUBMITTED,
            status=status,
            event_type=event.event_type,
            question_set_version=question_set_version,
            answers={**(record.coded_answers or {}), EVENT_TYPE: event.event_type},
            redaction_status=RedactionStatus.COMPLETE,
            redacted_answers={**(record.coded_answers or {}), EVENT_TYPE: event.event_type},
        )
        for event, record in zip(events, records, strict=True)
    ]
    EventRevision.objects.bulk_create(revisions, batch_size=1000)
    for event, revision, record in zip(events, revisions, records, strict=True):
        event.visible_revision = revision
        event.created_at = record.created_at  # the insert set it to now (auto_now_add)
    # auto_now_add ignores the value given on insert: the history's own dates are set afterwards.
    Event.objects.bulk_update(events, ["visible_revision", "created_at"], batch_size=1000)
    return len(events)


def _unused_references(count: int) -> list[str]:
    """`count` distinct reference numbers that no record has yet."""
    chosen: set[str] = set()
    while len(chosen) < count:
        wanted = {reference_generate() for _ in range(count - len(chosen))} - chosen
        taken = set(Event.objects.filter(reference__in=wanted).values_list("reference", flat=True))
        chosen |= wanted - taken
    return sorted(chosen)
