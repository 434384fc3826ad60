"""Writes for organisation users: update, review, re-classification and statutory requirements.

Each service checks the permission policy again (the views are not the only way in), runs in one
transaction with the record locked, and writes an immutable revision, so the record history shows
every action. Organisation users work from the visible revision's redacted answers (docs/adr/0008):
they may act only while that revision is the newest, otherwise they would act on answers they have
not seen.

Statuses and revisions are written by the lifecycle (events/lifecycle.py, its TRANSITIONS table):
    update          Recorder Submitted / Recorder Updated / Reviewed → Recorder Updated
    review          Recorder Submitted / Recorder Updated → Reviewed
    re-classify     any → Recorder Updated (answers that no longer apply are dropped)
    statutory       status unchanged
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from events.questionnaire import EVENT_TYPE, Journey, copy_answers

from . import statutory_questions
from .edit_merge import merge_answers
from .journeys import journey_for, question_set
from .lifecycle import is_allowed, revision_append
from .models import (
    Draft,
    DraftKind,
    Event,
    EventRevision,
    RevisionAction,
    StatutoryRequirements,
)
from .organisation_selectors import record_permissions, statutory_applies
from .selectors import edit_draft_of, latest_revision
from .services import NO_CHANGES_MESSAGE

BEING_PROCESSED_MESSAGE = (
    "This record has been updated and is being processed to remove identifiable information. "
    "Try again in a few minutes."
)
EDIT_DISCARDED_MESSAGE = (
    "Your changes were discarded because 30 minutes passed without changes being made, or the record "
    "was updated by someone else. Make your changes again."
)
INCOMPLETE_MESSAGE = "Answer every question that is not marked (Optional) before you re-submit."
ALREADY_REVIEWED_MESSAGE = "This record has already been reviewed. Change an answer before you re-submit it."


class ReviewError(Exception):
    """A rule of reviewing was broken; the message is shown to the user as it is."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked(event: Event) -> tuple[Event, EventRevision]:
    """The record, locked, and its visible revision, provided nothing newer awaits redaction."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    latest = latest_revision(event)
    if latest is None or latest.pk != event.visible_revision_id:
        raise ReviewError(BEING_PROCESSED_MESSAGE)
    return event, latest


def _journey(event: Event, answers: dict[str, Any], version: str) -> Journey:
    return journey_for(answers, version, anonymous=event.is_anonymous)


# -- editing answers ---------------------------------------------------------------------------------
@transaction.atomic
def organisation_edit_open(*, event: Event, actor) -> Draft:
    """The actor's changes in progress to a record, started from its redacted answers if need be
    (a stale draft is replaced)."""
    _require(record_permissions(actor, event).update)
    event, base = _locked(event)
    draft = edit_draft_of(actor, event, DraftKind.ORGANISATION_EDIT)
    if draft is not None and draft.is_stale(base.pk):
        draft.delete()
        draft = None
    if draft is None:
        draft = Draft.objects.create(
            kind=DraftKind.ORGANISATION_EDIT,
            event=event,
            owner=actor,
            base_revision=base,
            question_set_version=base.question_set_version,
            answers=copy_answers(base.redacted_answers),
        )
    return draft


def organisation_edit_record_page(*, draft: Draft, page_id: str, values: dict[str, Any]) -> Journey:
    """Saves one page's answers to the draft, dropping any that no longer apply."""
    journey = _journey(draft.event, draft.answers, draft.question_set_version)
    journey = journey.record(page_id, values)
    draft.answers = journey.prune()
    draft.save(update_fields=["answers", "updated_at"])
    return journey


def organisation_edit_discard(*, draft: Draft) -> None:
    if draft.kind != DraftKind.ORGANISATION_EDIT:
        raise PermissionDenied
    draft.delete()


def merged_answers(raw: dict[str, Any], redacted: dict[str, Any], edited: dict[str, Any]) -> dict[str, Any]:
    """The edited answers, with the recorder's raw text kept wherever the organisation user left the
    redacted answer as it was: a new revision never turns the recorder's text into placeholders."""
    return merge_answers(edited, unchanged_from=redacted, unchanged=raw, changed=edited)


# -- re-submit: update and/or review ---------------------------------------------------------------
def event_organisation_resubmit(*, event: Event, actor, reviewed: bool) -> list[EventRevision]:
    """Re-Submit: the actor's changes become a revision (Recorder Updated) and, when they ticked the
    review box, a review follows (Reviewed). Returns the revisions written."""
    if _discard_stale_edit(event, actor):  # outside the re-submit: the discard must stick
        raise ReviewError(EDIT_DISCARDED_MESSAGE)
    return _resubmit(event, actor, reviewed)


def _discard_stale_edit(event: Event, actor) -> bool:
    draft = edit_draft_of(actor, event, DraftKind.ORGANISATION_EDIT)
    if draft is None or not draft.is_stale(event.visible_revision_id or draft.base_revision_id):
        return False
    draft.delete()
    return True


@transaction.atomic
def _resubmit(event: Event, actor, reviewed: bool) -> list[EventRevision]:
    permissions = record_permissions(actor, event)
    _require(permissions.update or permissions.review)
    event, base = _locked(event)
    draft = edit_draft_of(actor, event, DraftKind.ORGANISATION_EDIT)
    if draft is not None and draft.is_stale(base.pk):
        raise ReviewError(EDIT_DISCARDED_MESSAGE)
    changed = draft is not None and draft.answers != base.redacted_answers
    if not changed and not reviewed:
        raise ReviewError(NO_CHANGES_MESSAGE)
    revisions = []
    if changed:
        _require(permissions.update)
        revisions.append(_update(event, base, draft, actor))
    if reviewed:
        _require(permissions.review)
        revisions.append(_review(event, revisions[-1] if revisions else base, actor))
    if draft is not None:
        draft.delete()
    return revisions


def _update(event: Event, base: EventRevision, draft: Draft, actor) -> EventRevision:
    version = base.question_set_version
    journey = _journey(event, merged_answers(base.answers, base.redacted_answers, draft.answers), version)
    if not journey.is_complete():
        raise ReviewError(INCOMPLETE_MESSAGE)
    # The organisation user may have typed identifying details: redacted like any recorder's text.
    return revision_append(
        event=event,
        action=RevisionAction.UPDATED,
        actor=actor,
        answers=journey.prune(),
        question_set_version=version,
    )


def _review(event: Event, source: EventRevision, actor) -> EventRevision:
    if not is_allowed(event.status, RevisionAction.REVIEWED):
        raise ReviewError(ALREADY_REVIEWED_MESSAGE)
    return revision_append(
        event=event, action=RevisionAction.REVIEWED, actor=actor, answers=source.answers, redacted_from=source
    )


# -- re-classification --------------------------------------------------------------------------------
def _reclassified(event: Event, answers: dict[str, Any], version: str, event_type: str) -> dict[str, Any]:
    return _journey(event, answers, version).record(EVENT_TYPE, {EVENT_TYPE: event_type}).prune()


@transaction.atomic
def event_reclassify(*, event: Event, actor, event_type: str) -> EventRevision:
    """Changes the event type; answers that do not apply to the new type are dropped from the new
    revision (older revisions keep them)."""
    _require(record_permissions(actor, event).update)
    event, base = _locked(event)
    version = base.question_set_version
    chosen = question_set(version).event_type(event_type)
    if chosen is None:
        raise ReviewError("Select the type of event")
    if chosen.code == base.event_type:
        raise ReviewError("Select a different type of event")
    answers = _reclassified(event, base.answers, version, chosen.code)
    Draft.objects.filter(kind=DraftKind.ORGANISATION_EDIT, event=event).delete()
    return revision_append(
        event=event,
        action=RevisionAction.RECLASSIFIED,
        actor=actor,
        answers=answers,
        redacted_from=base,
        redacted_answers=_reclassified(event, base.redacted_answers, version, chosen.code),
    )


# -- statutory and national policy requirements ---------------------------------------------------
@transaction.atomic
def event_statutory_update(*, event: Event, actor, answers: dict[str, Any]) -> StatutoryRequirements | None:
    """Records the admin's answers to the statutory and national policy questions, with a revision
    for the record history. Returns None when nothing changed."""
    _require(record_permissions(actor, event).edit_statutory)
    event, base = _locked(event)
    if not statutory_applies(event):
        raise ReviewError("Statutory and national policy requirements apply to incidents only.")
    checked = statutory_questions.validate(answers, event_type=event.event_type)
    if not checked.ok:
        raise ReviewError(checked.errors[0].message)
    cleaned = checked.values
    current = event.statutory.answers if event.statutory_id else {}
    if cleaned == current:
        return None
    revision = revision_append(
        event=event,
        action=RevisionAction.STATUTORY_UPDATED,
        actor=actor,
        answers=base.answers,
        redacted_from=base,
    )
    statutory = StatutoryRequirements.objects.create(
        event=event, revision=revision, version=statutory_questions.VERSION, answers=cleaned
    )
    event.statutory = statutory
    event.save(update_fields=["statutory", "updated_at"])
    return statutory
