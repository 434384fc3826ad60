"""Reads for patient reports, follow links and the closed loop. Records are read through
events/visibility.py, the one read gate; nothing here lists records any other way."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.permissions import Action, Target, allows
from events.models import Event, EventRevision, EventSource, RevisionAction
from events.responses.lifecycle import FINISHED as RESPONSE_FINISHED
from events.responses.models import ActionStatus, ResponseLink, SafetyAction
from events.visibility import (
    Reading,
    Scope,
    event_for_link_holder,
    events_for_link_holder,
    events_visible_to,
    record_as_read,
)
from organisations.models import Organisation, OrganisationKind

from .journey import patient_journey
from .models import (
    STAGE_ORDER,
    ComplaintsContact,
    FollowLink,
    PatientDraft,
    PatientReport,
    RecorderUpdate,
    Sharing,
    Stage,
)
from .tokens import token_hash


def patient_draft_for(key, session_keys: list[str]) -> PatientDraft | None:
    """The draft in the URL, only if this visitor's session started it."""
    if str(key) not in session_keys:
        return None
    return PatientDraft.objects.filter(key=key).first()


@dataclass(frozen=True)
class Followed:
    link: FollowLink
    event: Event

    @property
    def report(self) -> PatientReport | None:
        return getattr(self.event, "patient_report", None)


def follow_link_for(token: str) -> FollowLink | None:
    """The link a token opens, expired or not (None when no link has that token)."""
    if not token or len(token) > 100:
        return None
    return FollowLink.objects.filter(token_hash=token_hash(token)).first()


def followed_record(link: FollowLink, *, now: dt.datetime | None = None) -> Followed | None:
    """The record behind a link that has not expired, read through the visibility gate."""
    if link.expires_at <= (now or timezone.now()):
        return None
    event = event_for_link_holder(link.event_id)
    return Followed(link, event) if event is not None else None


@dataclass(frozen=True)
class Progress:
    """Where a record has got to, as its recorder sees it: every stage reached, newest last."""

    stage: str
    stage_label: str
    updates: list[RecorderUpdate]
    received_at: dt.datetime


def recorder_progress(event: Event, records: QuerySet[Event]) -> Progress:
    """The organisation's updates whose note is redacted (a note still being redacted waits), and the
    stage the record has reached (`recorder_stages`), read from `records`: the gate's queryset the
    record was read from."""
    updates = list(RecorderUpdate.objects.filter(event=event, is_redacted=True))
    stage = recorder_stages(records.filter(pk=event.pk)).get(event.pk, Stage.RECEIVED)
    return Progress(stage, Stage(stage).label, updates, event.created_at)


def own_record_progress(user, event: Event) -> Progress:
    """`recorder_progress` of one of the user's own records (its page in "Manage my event records")."""
    return recorder_progress(event, record_as_read(user, event, reading=Reading.OWN_RECORDS))


def followed_progress(followed: Followed) -> Progress:
    """`recorder_progress` of the record a follow link opened."""
    return recorder_progress(followed.event, events_for_link_holder(followed.link.event_id))


def recorder_stage_label_for(user, event: Event) -> str:
    """The stage an organisation user's record (read through the gate) shows its recorder."""
    return Stage(recorder_stages(record_as_read(user, event)).get(event.pk, Stage.RECEIVED)).label


def _with_stage_facts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotates what a record's stage is made of; one query however many records."""
    linked = ResponseLink.objects.filter(event_id=OuterRef("pk")).order_by("-is_primary", "id")
    return events.annotate(
        told_stage=Subquery(
            RecorderUpdate.objects.filter(event_id=OuterRef("pk"), is_redacted=True)
            .order_by("-created_at", "-id")
            .values("stage")[:1]
        ),
        was_reviewed=Exists(
            EventRevision.objects.filter(event_id=OuterRef("pk"), action=RevisionAction.REVIEWED)
        ),
        response_status=Subquery(linked.values("response__status")[:1]),
        has_safety_actions=Exists(
            SafetyAction.objects.filter(response__links__event_id=OuterRef("pk")).exclude(
                status=ActionStatus.CANCELLED
            )
        ),
    )


def _stage(told: str | None, reviewed: bool, response_status: str | None, actions: bool) -> str:
    """The furthest of what the organisation told the recorder and what the record shows: reviewed
    (a review revision), response chosen (a PSIRF response decided), actions agreed (safety actions
    recorded for it), closed (the response finished: no further response, referral closed,
    learning response completed, investigation signed off)."""
    found = [told or Stage.RECEIVED]
    if reviewed:
        found.append(Stage.REVIEWED)
    if response_status in RESPONSE_FINISHED:
        found.append(Stage.CLOSED)
    elif response_status:
        found.append(Stage.ACTIONS_AGREED if actions else Stage.RESPONSE_CHOSEN)
    return max(found, key=STAGE_ORDER.__getitem__)


def recorder_stages(records: QuerySet[Event]) -> dict[int, str]:
    """The stage each of `records` has reached for its recorder, in one query. On pages `records`
    comes from the read gate (events/visibility.py), narrowed to the page's records; the worker, which
    reads for nobody, passes its own."""
    rows = _with_stage_facts(records.order_by()).values_list(
        "pk", "told_stage", "was_reviewed", "response_status", "has_safety_actions"
    )
    return {pk: _stage(*facts) for pk, *facts in rows}


def own_records_with_stages(user, events) -> list[tuple[Event, str]]:
    """Each of a page of the user's own records with its stage's label, read through the gate."""
    events = list(events)
    ids = [event.pk for event in events]
    own = events_visible_to(user, reading=Reading.OWN_RECORDS)
    stages = recorder_stages(own.filter(pk__in=ids)) if ids else {}
    return [(event, Stage(stages.get(event.pk, Stage.RECEIVED)).label) for event in events]


def recorder_updates_for_organisation(event: Event) -> list[RecorderUpdate]:
    """Every update of a record, for its organisation's page (the caller has read the record through
    the gate): notes show once redacted, like all free text."""
    return list(RecorderUpdate.objects.filter(event=event).select_related("author"))


# -- organisation triage ---------------------------------------------------------------------------
def patient_reports_queue(user, scope: Scope | None) -> QuerySet[Event]:
    """Patient reports the user may see, newest first, for the triage queue."""
    return (
        events_visible_to(user, scope=scope)
        .filter(source=EventSource.PATIENT)
        .select_related("organisation", "visible_revision", "patient_report")
        .order_by("-created_at")
    )


_WORD = re.compile(r"[a-z]{4,}")
_COMMON = frozenset(
    [
        "that",
        "this",
        "with",
        "they",
        "were",
        "have",
        "been",
        "from",
        "their",
        "what",
        "when",
        "then",
        "there",
        "which",
        "would",
        "could",
        "about",
        "after",
        "before",
        "patient",
        "told",
        "said",
        "went",
        "into",
        "also",
        "because",
        "very",
    ]
)
MATCH_DAYS = 2


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall((text or "").lower()) if word not in _COMMON}


@dataclass(frozen=True)
class Match:
    event: Event
    shared_words: int
    days_apart: int | None


def possible_staff_matches(user, event: Event, *, limit: int = 3) -> list[Match]:
    return staff_matches_for(user, [event], limit=limit)[event.pk]


def staff_matches_for(user, reports: list[Event], *, limit: int = 3) -> dict[int, list[Match]]:
    """For each patient report, the staff records the user may see that may be about the same
    event: same organisation, an event date within two days (or, without a date, recorded in the 30
    days before the report), ranked by the words their redacted texts share. One query for all."""
    found: dict[int, list[Match]] = {report.pk: [] for report in reports}
    placed = [report for report in reports if report.organisation_id is not None]
    if not placed:
        return found
    window = dt.timedelta(days=MATCH_DAYS)
    near = Q()
    for report in placed:
        if report.event_date is not None:
            near |= Q(
                organisation_id=report.organisation_id,
                event_date__gte=report.event_date - window,
                event_date__lte=report.event_date + window,
            )
        else:
            near |= Q(
                organisation_id=report.organisation_id,
                created_at__gte=report.created_at - dt.timedelta(days=30),
                created_at__lte=report.created_at,
            )
    candidates = list(
        events_visible_to(user)
        .filter(near, source=EventSource.STAFF)
        .select_related("visible_revision")
        .order_by("-created_at")[:2000]
    )
    for report in placed:
        own = _words(report.search_text)
        matches = []
        for candidate in candidates:
            if candidate.organisation_id != report.organisation_id:
                continue
            if report.event_date is not None:
                if candidate.event_date is None or abs(candidate.event_date - report.event_date) > window:
                    continue
                days = abs((candidate.event_date - report.event_date).days)
            elif not report.created_at - dt.timedelta(days=30) <= candidate.created_at <= report.created_at:
                continue
            else:
                days = None
            shared = len(own & _words(candidate.search_text))
            if shared or days == 0:
                matches.append(Match(candidate, shared, days))
        matches.sort(
            key=lambda match: (-match.shared_words, 99 if match.days_apart is None else match.days_apart)
        )
        found[report.pk] = matches[:limit]
    return found


def patient_answers_summary(report: PatientReport):
    """The patient form's coded answers as review rows (labels in the patient's words), answered
    ones only; the contact questions are never among them (they are not kept in the answers)."""
    sections = patient_journey(report.answers, report.question_set_version).review()
    return [replace(section, rows=tuple(row for row in section.rows if row.answered)) for section in sections]


def contact_details_for(user, event: Event) -> dict[str, str] | None:
    """The reporter's contact details, for the organisation's patient safety team only, and only when
    the reporter said they may be contacted; None otherwise."""
    report = getattr(event, "patient_report", None)
    if report is None or report.sharing != Sharing.CONTACT or not event.shared_with_organisation:
        return None
    if not allows(user, Action.VIEW_PATIENT_REPORTER_CONTACT_DETAILS, Target(event.organisation)):
        return None
    return dict(report.contact)


def complaints_contact_for(organisation: Organisation | None) -> ComplaintsContact | None:
    """The complaints or PALS contact for a place: its own, or its trust's for a trust site."""
    while organisation is not None:
        contact = ComplaintsContact.objects.filter(organisation=organisation).first()
        if contact is not None:
            return contact
        if organisation.kind != OrganisationKind.TRUST_SITE:
            return None
        organisation = organisation.parent
    return None


def complaints_contacts() -> QuerySet[ComplaintsContact]:
    return ComplaintsContact.objects.select_related("organisation").order_by("organisation__name")
