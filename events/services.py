"""Writes for recording: drafts, submission, editing and re-submission, draft expiry.

Each service runs in one transaction; the record's history is its revisions.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, MembershipStatus
from accounts.permissions import Action, Target, allows
from anonymisation.queue import revision_redaction_queue
from events.questionnaire import Journey, latest_version
from lfpse.prepared import PreparedUpdate
from organisations.models import Organisation
from organisations.selectors import organisation_by_code

from .edit_merge import NotRedactedYet, merge_answers
from .journeys import event_date_from, journey_for
from .models import (
    EDIT_DRAFT_IDLE_LIMIT,
    EDIT_KINDS,
    Draft,
    DraftKind,
    Event,
    EventRevision,
    EventStatus,
    RedactionStatus,
    RevisionAction,
)
from .notifications import event_recorded_notify_admins
from .organisation_columns import event_refresh_dashboard_columns
from .references import reference_generate
from .selectors import edit_draft_of, latest_revision

NEW_DRAFT_LIFETIME = dt.timedelta(days=30)
ANONYMOUS_DRAFT_LIFETIME = dt.timedelta(days=1)
NO_CHANGES_MESSAGE = "A record cannot be submitted if no fields have been edited."
BEING_PROCESSED_FOR_EDIT = (
    "Someone has updated this record and their changes are being processed to remove identifiable "
    "information. Try again in a few minutes."
)


class RecordingError(Exception):
    """A rule of recording was broken; the message is shown to the user as it is."""


def draft_create(*, actor, anonymous: bool) -> Draft:
    signed_in = getattr(actor, "is_authenticated", False)
    if not anonymous and not allows(actor, Action.SAVE_DRAFT):
        raise RecordingError("Sign in to save a draft, or record anonymously.")
    return Draft.objects.create(
        owner=actor if signed_in and not anonymous else None,
        is_anonymous=anonymous,
        question_set_version=latest_version(),
        answers={},
    )


def draft_record_page(*, draft: Draft, page_id: str, values: dict[str, Any], journey: Journey | None = None):
    """Saves one page's answers, dropping any that no longer apply. Returns the new journey.

    `journey` is the draft's journey as it stands, when the caller has already worked it out.
    """
    journey = journey or journey_for(draft.answers, draft.question_set_version, anonymous=draft.is_anonymous)
    journey = journey.record(page_id, values)
    _draft_save_answers(draft, journey.prune())
    return journey


def draft_remove_item(*, draft: Draft, group: str, number: int):
    journey = journey_for(draft.answers, draft.question_set_version, anonymous=draft.is_anonymous)
    journey = journey.remove_item(group, number)
    _draft_save_answers(draft, journey.prune())
    return journey


# A recorder saves at every page: one UPDATE, its statement built once (lfpse/prepared.py).
_draft_update_answers = PreparedUpdate(Draft, ["answers", "updated_at"])


def _draft_save_answers(draft: Draft, answers: dict[str, Any]) -> None:
    draft.answers, draft.updated_at = answers, timezone.now()
    _draft_update_answers(draft)


def draft_set_change_pages(*, draft: Draft, pages: list[str]) -> None:
    draft.change_return = pages
    draft.save(update_fields=["change_return"])


def draft_delete(*, draft: Draft) -> None:
    draft.delete()


def draft_expires_at(draft: Draft) -> dt.datetime:
    if draft.kind in EDIT_KINDS:
        return draft.updated_at + EDIT_DRAFT_IDLE_LIMIT
    if draft.is_anonymous:
        return draft.updated_at + ANONYMOUS_DRAFT_LIFETIME
    return draft.created_at + NEW_DRAFT_LIFETIME


def drafts_expire(*, now: dt.datetime | None = None) -> int:
    """Deletes new drafts 30 days old, edit drafts (the recorder's and organisation users') idle for
    30 minutes, stale anonymous drafts."""
    now = now or timezone.now()
    expired = (
        Draft.objects.filter(kind=DraftKind.NEW, is_anonymous=False, created_at__lt=now - NEW_DRAFT_LIFETIME)
        | Draft.objects.filter(
            kind=DraftKind.NEW, is_anonymous=True, updated_at__lt=now - ANONYMOUS_DRAFT_LIFETIME
        )
        | Draft.objects.filter(kind__in=EDIT_KINDS, updated_at__lt=now - EDIT_DRAFT_IDLE_LIMIT)
    )
    deleted, _ = expired.delete()
    return deleted


def recorder_organisation(actor) -> Organisation | None:
    """The organisation a signed-in recorder records as: their first active membership."""
    if not getattr(actor, "is_authenticated", False):
        return None
    membership = (
        Membership.objects.filter(user=actor, status=MembershipStatus.ACTIVE)
        .select_related("organisation")
        .order_by("created_at", "id")
        .first()
    )
    return membership.organisation if membership else None


def event_organisation_from_answers(
    answers: dict[str, Any], fallback: Organisation | None
) -> Organisation | None:
    """The organisation the event is about decides who sees it: the one named, else the recorder's."""
    for question_id in ("Organisation", "ReporterOrganisation"):
        code = answers.get(question_id)
        if isinstance(code, str) and code != "other":
            organisation = organisation_by_code(code)
            if organisation is not None:
                return organisation
    return fallback


def _complete_answers(draft: Draft) -> dict[str, Any]:
    journey = journey_for(draft.answers, draft.question_set_version, anonymous=draft.is_anonymous)
    if not journey.is_complete():
        raise RecordingError("Answer every question that is not marked (Optional) before you submit.")
    return journey.prune()


def event_save_with_new_reference(event: Event, attempts: int = 20) -> None:
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
    raise RecordingError("A reference number could not be given to the record. Try submitting again.")


@transaction.atomic
def event_submit(*, draft: Draft, actor) -> EventRevision:
    """Draft → Recorder Submitted: a reference number and the record's first revision."""
    if draft.kind != DraftKind.NEW:
        raise RecordingError("This draft edits a record that was already submitted: use Re-Submit.")
    answers = _complete_answers(draft)
    anonymous = draft.is_anonymous
    recorder = None if anonymous else actor
    own_organisation = None if anonymous else recorder_organisation(actor)
    event_type = answers["EventType"]
    event = Event(
        event_type=event_type,
        status=EventStatus.RECORDER_SUBMITTED,
        question_set_version=draft.question_set_version,
        organisation=event_organisation_from_answers(answers, own_organisation),
        recorded_by=recorder,
        recorder_organisation=own_organisation,
        is_anonymous=anonymous,
        event_date=event_date_from(answers, timezone.localdate()),
    )
    event_save_with_new_reference(event)
    revision = EventRevision.objects.create(
        event=event,
        number=1,
        action=RevisionAction.SUBMITTED,
        actor=recorder,
        status=event.status,
        event_type=event_type,
        question_set_version=draft.question_set_version,
        answers=answers,
    )
    draft.delete()
    revision_redaction_queue(revision)
    event_recorded_notify_admins(event)
    return revision


@transaction.atomic
def event_edit_open(*, event: Event, actor) -> Draft:
    """Opens (or reopens) the recorder's edit draft of a submitted record."""
    if not allows(
        actor,
        Action.UPDATE_OWN_SUBMITTED_EVENTS,
        Target(event.organisation, event.recorded_by_id == actor.pk),
    ):
        raise RecordingError("You cannot edit this record.")
    if event.recorded_by_id != actor.pk:
        raise RecordingError("You cannot edit this record.")
    existing = edit_draft_of(actor, event, DraftKind.EDIT)
    if existing is not None and existing.is_idle():
        existing.delete()
        existing = None
    if existing is not None:
        return existing
    base = latest_revision(event)
    return Draft.objects.create(
        kind=DraftKind.EDIT,
        owner=actor,
        event=event,
        base_revision=base,
        question_set_version=base.question_set_version,
        answers=recorder_edit_answers(event, base),
    )


def recorder_edit_answers(event: Event, base: EventRevision) -> dict[str, Any]:
    """What the recorder's edit starts from: their own words as they wrote them and, where someone
    else has changed an answer since, that answer as everyone else sees it (redacted). The recorder
    never reads an organisation user's unredacted text (docs/adr/0008)."""
    own = event.revisions.filter(actor_id=event.recorded_by_id).order_by("-number").first()
    try:
        return merge_answers(
            base.answers,
            unchanged_from=own.answers if own else {},
            unchanged=base.answers,
            changed=base.redacted_answers,
        )
    except NotRedactedYet:  # someone else's change, not yet redacted
        raise RecordingError(BEING_PROCESSED_FOR_EDIT) from None


@transaction.atomic
def event_resubmit(*, draft: Draft, actor) -> EventRevision:
    """Recorder Submitted / Updated / Reviewed → Recorder Updated, as a new revision."""
    if draft.kind != DraftKind.EDIT or draft.owner_id != actor.pk:
        raise RecordingError("You cannot re-submit this draft.")
    if draft.is_idle():
        draft.delete()
        raise RecordingError(
            "Your changes were discarded because 30 minutes passed without changes being made. "
            "Open the record and make your changes again."
        )
    event = Event.objects.select_for_update().get(pk=draft.event_id)
    answers = _complete_answers(draft)
    base = latest_revision(event)
    if draft.base_revision_id != base.pk:
        raise RecordingError(
            "This record was updated by someone else after you started editing it. "
            "Discard your changes and edit the latest version."
        )
    if answers == recorder_edit_answers(event, base):
        raise RecordingError(NO_CHANGES_MESSAGE)
    event.status = EventStatus.RECORDER_UPDATED
    event.event_type = answers["EventType"]
    event.event_date = event_date_from(answers, timezone.localdate(event.created_at))
    event.organisation = event_organisation_from_answers(answers, event.recorder_organisation)
    event.save()
    revision = EventRevision.objects.create(
        event=event,
        number=base.number + 1,
        action=RevisionAction.UPDATED,
        actor=actor,
        status=event.status,
        event_type=event.event_type,
        question_set_version=draft.question_set_version,
        answers=answers,
    )
    draft.delete()
    revision_redaction_queue(revision)
    return revision


@transaction.atomic
def revision_mark_redacted(*, revision_id: int, redacted_answers: dict[str, Any]) -> EventRevision:
    """Stores a revision's redacted answers and, if it is the newest redacted one, shows it.

    Idempotent: a revision already redacted is left as it is (the first result wins).
    """
    revision = EventRevision.objects.select_for_update().get(pk=revision_id)
    if revision.redaction_status == RedactionStatus.COMPLETE:
        return revision
    revision.redacted_answers = redacted_answers
    revision.redaction_status = RedactionStatus.COMPLETE
    revision.save(update_fields=["redacted_answers", "redaction_status"])
    event = Event.objects.select_for_update().get(pk=revision.event_id)
    current = event.visible_revision
    if current is None or current.number < revision.number:
        event.visible_revision = revision
        event.save(update_fields=["visible_revision", "updated_at"])
        event_refresh_dashboard_columns(event)
    elif current.pk == revision.pk:  # the visible revision was redacted again (QA corrections)
        event_refresh_dashboard_columns(event)
    return revision
