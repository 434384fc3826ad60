"""Writes of the patient form, follow links and the closed loop (docs/adr/0019).

Records are created and changed only through events/lifecycle.py; this module adds what belongs to a
patient report beside the record, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Action, allows, may_give_feedback_to_recorder
from events.lifecycle import event_create, revision_append
from events.models import Event, EventRevision, EventSource, RevisionAction
from events.questionnaire import PATIENT, Journey, latest_version
from organisations.models import Organisation
from organisations.selectors import organisation_by_code

from . import mapping
from .journey import patient_journey
from .models import (
    STAGE_ORDER,
    ComplaintsContact,
    FollowLink,
    PatientDraft,
    PatientReport,
    RecorderStage,
    RecorderUpdate,
    Sharing,
    Stage,
)
from .notifications import recorder_progress_notify
from .tokens import token_hash, token_new

DRAFT_LIFETIME = dt.timedelta(days=1)
FOLLOW_LINK_LIFETIME = dt.timedelta(days=180)


class PatientReportError(Exception):
    """A submission that cannot be made as it stands; the message says what to do."""


def patient_draft_create() -> PatientDraft:
    return PatientDraft.objects.create(question_set_version=latest_version(PATIENT))


def patient_draft_record_page(*, draft: PatientDraft, page_id: str, values: dict[str, Any]) -> Journey:
    """Saves one page's answers, dropping any that no longer apply; returns the new journey."""
    journey = patient_journey(draft.answers, draft.question_set_version).record(page_id, values)
    draft.answers = journey.prune()
    draft.save(update_fields=["answers", "updated_at"])
    return journey


def patient_drafts_expire(*, now: dt.datetime | None = None) -> int:
    deleted, _ = PatientDraft.objects.filter(updated_at__lt=(now or timezone.now()) - DRAFT_LIFETIME).delete()
    return deleted


@dataclass(frozen=True)
class Submitted:
    revision: EventRevision
    report: PatientReport
    follow_token: str  # shown once, on the confirmation page; only its hash is kept


@transaction.atomic
def patient_report_submit(*, draft: PatientDraft) -> Submitted:
    """The patient's draft becomes a record (source "patient"), its report and a follow link."""
    journey = patient_journey(draft.answers, draft.question_set_version)
    if not journey.is_complete():
        raise PatientReportError(_("Answer every question that does not say (optional) before you send."))
    answers = journey.prune()
    if "help" in (answers.get("ReporterWants") or []):
        raise PatientReportError(_("If you need help now, follow the advice on the Get help now page."))
    organisation = _organisation(answers)
    sharing = answers["Sharing"]
    revision = event_create(
        actor=None,
        answers=mapping.taxonomy_answers(answers),
        question_set_version=mapping.TAXONOMY_VERSION,
        recorder_organisation=None,
        fallback_organisation=organisation,
        is_anonymous=True,
        source=EventSource.PATIENT,
        shared_with_organisation=sharing != Sharing.NATIONAL and organisation is not None,
    )
    report = PatientReport.objects.create(
        event=revision.event,
        question_set_version=draft.question_set_version,
        answers=mapping.coded_answers(answers),
        wants=[want for want in answers.get("ReporterWants") or [] if want != "help"],
        reporter_role=answers.get("ReporterRole", ""),
        sharing=sharing,
        contact=mapping.contact_details(answers),
    )
    token = follow_link_create(event=revision.event)
    draft.delete()
    return Submitted(revision, report, token)


def _organisation(answers: dict[str, Any]) -> Organisation | None:
    code = answers.get("Organisation")
    return organisation_by_code(code) if code and code != "other" else None


# -- follow links --------------------------------------------------------------------------------
def follow_link_create(*, event: Event, email: str = "", now: dt.datetime | None = None) -> str:
    """A new link to follow one record; returns the token (256 random bits), whose hash alone is kept."""
    token = token_new()
    lifetime = dt.timedelta(days=getattr(settings, "FOLLOW_LINK_LIFETIME_DAYS", FOLLOW_LINK_LIFETIME.days))
    FollowLink.objects.create(
        event=event,
        token_hash=token_hash(token),
        email=email or None,
        expires_at=(now or timezone.now()) + lifetime,
    )
    return token


def follow_link_set_email(*, link: FollowLink, email: str) -> None:
    """Progress on the record will be emailed to this address (the link itself too: the caller)."""
    link.email = email
    link.save(update_fields=["email"])


@transaction.atomic
def recorder_information_add(*, event: Event, text: str) -> EventRevision:
    """The recorder adds information later through their follow link: a new revision whose
    description ends with what they added, redacted before anyone else reads it."""
    text = text.strip()
    if not text:
        raise PatientReportError(_("Type the information you want to add"))
    latest = event.revisions.order_by("-number").first()
    answers = mapping.with_added_information(
        latest.answers, text, timezone.localdate().strftime("%d %B %Y").lstrip("0")
    )
    return revision_append(event=event, action=RevisionAction.UPDATED, actor=None, answers=answers)


# -- the closed loop -------------------------------------------------------------------------------
@transaction.atomic
def recorder_update_give(*, event: Event, actor, stage: str, note: str) -> RecorderUpdate:
    """An organisation user tells the recorder where the record has got to, with a note that is
    redacted before the recorder reads it; the recorder is emailed once it is."""
    if not may_give_feedback_to_recorder(actor, event.organisation, shared=event.shared_with_organisation):
        raise PermissionError("Only the organisation's patient safety team may give feedback to the recorder")
    if stage not in Stage.values:
        raise PatientReportError(_("Choose where the record has got to"))
    note = note.strip()
    update = RecorderUpdate.objects.create(
        event=event, stage=stage, note=note, is_redacted=not note, author=actor
    )
    if note:
        from .tasks import redact_recorder_update

        transaction.on_commit(lambda: redact_recorder_update.delay(update.pk))
    else:
        recorder_stage_tell(event.pk)  # emailed if the stage changed; a bare repeat says nothing
    return update


def recorder_update_redact(update_id: int) -> bool:
    """Redacts an update's note with the same pipeline as records' free text, then tells the
    recorder. Idempotent: an update already redacted is left alone."""
    from anonymisation import pipeline

    update = RecorderUpdate.objects.select_related("event").get(pk=update_id)
    if update.is_redacted:
        return False
    result = pipeline.redact_texts({"note": update.note}, pipeline.PlaceholderMapping.from_dict(None))
    with transaction.atomic():
        updated = RecorderUpdate.objects.filter(pk=update.pk, is_redacted=False).update(
            redacted_note=result.texts["note"], is_redacted=True
        )
        if not updated:  # a redelivered or concurrent run got there first and told the recorder
            return False
        update.refresh_from_db()
        recorder_stage_tell(update.event_id, update_id=update.pk)
    return True


@transaction.atomic
def recorder_stage_tell(event_id: int, *, update_id: int | None = None) -> bool:
    """Emails the recorder (if they can be emailed) when their record has moved forward from the stage
    they were last told of, or when the organisation wrote them a note (update `update_id`, whose
    redacted note the worker reads: the queued task carries ids only); remembers the stage, backward
    moves too (a cancelled safety action), without emailing those. The stage is read once the row is
    locked, so of two refreshes at once the later one reads the newer facts. Returns whether there
    was anything to tell."""
    from .selectors import recorder_stages

    if not Event.objects.filter(pk=event_id).exists():  # the record is gone
        return False
    told, _created = RecorderStage.objects.select_for_update().get_or_create(event_id=event_id)
    stage = recorder_stages(Event.objects.filter(pk=event_id)).get(event_id)
    if stage is None:
        return False
    forward = STAGE_ORDER[stage] > STAGE_ORDER[told.stage]
    if stage != told.stage:
        told.stage = stage
        told.save(update_fields=["stage", "changed_at"])
    if not (forward or update_id):
        return False
    recorder_progress_notify(event_id, stage=stage, update_id=update_id)
    return True


def record_progress_refresh(*, event_ids: list[int] | None = None, response_id: int | None = None) -> int:
    """After a change that may move records on (events/extensions.py `record_progress_changed`):
    tells each record's recorder of a new stage. Returns how many were told."""
    from events.responses.models import ResponseLink

    ids = list(event_ids or [])
    if response_id is not None:
        ids += ResponseLink.objects.filter(response_id=response_id).values_list("event_id", flat=True)
    return sum(recorder_stage_tell(event_id) for event_id in sorted(set(ids)))


# -- complaints contacts (super admins) ----------------------------------------------------------
def complaints_contact_save(
    *, actor, organisation: Organisation, values: dict[str, str]
) -> ComplaintsContact:
    if not allows(actor, Action.MAINTAIN_COMPLAINTS_CONTACTS):
        raise PermissionError("Only super admins maintain organisations' complaints contacts")
    contact, _ = ComplaintsContact.objects.update_or_create(
        organisation=organisation, defaults={**values, "updated_by": actor}
    )
    return contact
