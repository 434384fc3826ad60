"""Writes for recording: drafts, submission, editing and re-submission, draft expiry.

Each service runs in one transaction; the record's history is its revisions.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, MembershipStatus
from accounts.permissions import Action, Target, allows
from events.questionnaire import Journey, latest_version
from lfpse.prepared import PreparedUpdate
from organisations.models import Organisation

from .edit_merge import NotRedactedYet, merge_answers
from .journeys import journey_for
from .lifecycle import ReferenceUnavailable, event_create, revision_append
from .models import EDIT_DRAFT_IDLE_LIMIT, EDIT_KINDS, Draft, DraftKind, Event, EventRevision, RevisionAction
from .notifications import event_recorded_notify_admins
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


def _complete_answers(draft: Draft) -> dict[str, Any]:
    journey = journey_for(draft.answers, draft.question_set_version, anonymous=draft.is_anonymous)
    if not journey.is_complete():
        raise RecordingError("Answer every question that is not marked (Optional) before you submit.")
    return journey.prune()


@transaction.atomic
def event_submit(*, draft: Draft, actor) -> EventRevision:
    """Draft → Recorder Submitted: a reference number and the record's first revision."""
    if draft.kind != DraftKind.NEW:
        raise RecordingError("This draft edits a record that was already submitted: use Re-Submit.")
    answers = _complete_answers(draft)
    anonymous = draft.is_anonymous
    own_organisation = None if anonymous else recorder_organisation(actor)
    try:
        revision = event_create(
            actor=None if anonymous else actor,
            answers=answers,
            question_set_version=draft.question_set_version,
            recorder_organisation=own_organisation,
            fallback_organisation=own_organisation,
            is_anonymous=anonymous,
        )
    except ReferenceUnavailable as problem:
        raise RecordingError(str(problem)) from problem
    draft.delete()
    event_recorded_notify_admins(revision.event)
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
    revision = revision_append(
        event=event,
        action=RevisionAction.UPDATED,
        actor=actor,
        answers=answers,
        question_set_version=draft.question_set_version,
        fallback_organisation=event.recorder_organisation,
    )
    draft.delete()
    return revision
