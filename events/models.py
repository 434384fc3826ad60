"""Patient safety events: identity on Event, every change an immutable EventRevision, drafts as rows.

Event holds what dashboards filter on (reference, organisation, type, status, dates); the answers
themselves live in revisions so that history, statistics and re-classification all read one source.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from lfpse.encryption import EncryptedJSONField


class EventStatus(models.TextChoices):
    RECORDER_SUBMITTED = "recorder_submitted", "Recorder Submitted"
    RECORDER_UPDATED = "recorder_updated", "Recorder Updated"
    REVIEWED = "reviewed", "Reviewed"


class EventSource(models.TextChoices):
    """Who recorded the event: staff (the form, the API) or a patient, family member or carer."""

    STAFF = "staff", "Staff"
    PATIENT = "patient", "Patient or family"


class RevisionAction(models.TextChoices):
    SUBMITTED = "submitted", "Recorder Submitted"
    UPDATED = "updated", "Recorder Updated"
    REVIEWED = "reviewed", "Reviewed"
    RECLASSIFIED = "reclassified", "Event re-classified"
    STATUTORY_UPDATED = "statutory_updated", "Statutory and national policy requirements updated"


class RedactionStatus(models.TextChoices):
    PENDING = "pending", "Being processed"
    COMPLETE = "complete", "Complete"


class Event(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Nine random digits, shown as NNN-NNN-NNN (docs/spec/PRODUCT.md §3).
    reference = models.CharField(max_length=9, unique=True)
    event_type = models.CharField(max_length=16)
    status = models.CharField(max_length=24, choices=EventStatus.choices, db_index=True)
    question_set_version = models.CharField(max_length=16)
    # The organisation the event is about: it decides who sees the record.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # Who recorded it, unless recorded anonymously (then both stay empty).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_events",
    )
    recorder_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_recorded_by_members",
    )
    is_anonymous = models.BooleanField(default=False)
    # "Recorded by a patient or family" (events/patients, docs/adr/0019): shown in dashboards, the CSV,
    # statistics and FHIR. A patient may keep their report for national learning only: then the
    # organisation it is about does not see it (events/visibility.py).
    source = models.CharField(max_length=16, choices=EventSource.choices, default=EventSource.STAFF)
    shared_with_organisation = models.BooleanField(default=True)
    event_date = models.DateField(null=True, blank=True)
    # The newest revision whose free text has been redacted: what organisation views, the CSV and the
    # API show. Empty until the first redaction completes, and until then the record is not listed.
    visible_revision = models.ForeignKey(
        "EventRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Columns the organisation dashboard filters and sorts on, copied from the visible revision's
    # redacted answers whenever it changes (events/organisation_columns.py, docs/adr/0009).
    categories = models.CharField("category of event", max_length=255, blank=True)
    involved_agents = models.PositiveIntegerField(default=0)  # bit 1 << code for each InvolvedAgents code
    worst_physical_harm = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 Fatal … 5 No harm
    worst_psychological_harm = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 Severe … 4 None
    patient_count = models.PositiveSmallIntegerField(default=0)
    search_text = models.TextField(blank=True)  # redacted free text only; SQLite searches this
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL searches this
    # The current answers to the statutory and national policy questions (events/statutory_questions.py).
    statutory = models.ForeignKey(
        "StatutoryRequirements", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="event_org_created_idx"),
            models.Index(fields=["recorded_by", "-created_at"], name="event_recorder_created_idx"),
            # The dashboard lists processed records only. This partial index carries every column
            # it filters on, so PostgreSQL counts matches (and the CSV its patient columns) from the
            # index alone (docs/adr/0009).
            models.Index(
                fields=["organisation", "-created_at"],
                include=[
                    "id",
                    "status",
                    "event_type",
                    "involved_agents",
                    "worst_physical_harm",
                    "worst_psychological_harm",
                    "event_date",
                    "patient_count",
                    "source",
                    "shared_with_organisation",
                ],
                condition=models.Q(visible_revision__isnull=False),
                name="event_dashboard_idx",
            ),
            # "Event date", newest first, unknown dates last.
            models.Index(
                models.F("event_date").desc(nulls_last=True),
                models.F("id").desc(),
                condition=models.Q(visible_revision__isnull=False),
                name="event_dashboard_date_idx",
            ),
            # Created only on PostgreSQL (migration 0004): SQLite has no GIN.
            GinIndex(fields=["search_vector"], name="event_search_gin"),
        ]

    def __str__(self) -> str:
        return self.display_reference

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:3]}-{self.reference[3:6]}-{self.reference[6:]}"


class EventRevision(models.Model):
    """One immutable state of an event's answers. Never updated after creation, except for the
    redaction fields the anonymisation worker fills in."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=24, choices=RevisionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=24, choices=EventStatus.choices)
    event_type = models.CharField(max_length=16)
    question_set_version = models.CharField(max_length=16)
    # Raw answers, free text included: encrypted, read only by the redaction worker, the author while
    # drafting and super admins on the audited QA screen. Everyone else reads redacted_answers.
    answers = EncryptedJSONField(default=dict)
    redaction_status = models.CharField(
        max_length=16, choices=RedactionStatus.choices, default=RedactionStatus.PENDING
    )
    redacted_answers = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="one_revision_number_per_event")
        ]
        indexes = [
            # The sweep (every minute) looks for revisions still pending: a few among millions, so it
            # reads this small index instead of the whole table with its answers (docs/adr/0022).
            models.Index(
                fields=["created_at"],
                condition=models.Q(redaction_status="pending"),
                name="revision_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} r{self.number}"


class DraftKind(models.TextChoices):
    NEW = "new", "New record"
    EDIT = "edit", "Edit of a submitted record"
    ORGANISATION_EDIT = "organisation_edit", "Organisation user's changes to a record"


# Drafts that change a submitted record: each starts from one revision (`base_revision`) and is
# discarded after this long without a change.
EDIT_KINDS = (DraftKind.EDIT, DraftKind.ORGANISATION_EDIT)
EDIT_DRAFT_IDLE_LIMIT = dt.timedelta(minutes=30)


class Draft(models.Model):
    """Answers in progress.

    NEW: a record being written. Signed-in drafts belong to their owner; an anonymous recorder's
    draft has no owner and is reached only through the random key kept in their session.
    EDIT: the recorder's changes to their submitted record, starting from their own words and the
    others' changes redacted (events/edit_merge.py).
    ORGANISATION_EDIT: an organisation user's changes, starting from the redacted answers, because
    they never see the recorder's raw text (docs/adr/0008). The recorder's screens never reach it
    (`selectors.draft_for`), so it can only be re-submitted by the organisation's Re-Submit.

    An edit draft is one per record, owner and kind; it goes stale after 30 idle minutes or once the
    record has a newer revision than its base (`is_stale`); what each screen does about it is theirs.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=24, choices=DraftKind.choices, default=DraftKind.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts"
    )
    is_anonymous = models.BooleanField(default=False)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="edit_drafts"
    )
    base_revision = models.ForeignKey(
        EventRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question_set_version = models.CharField(max_length=16)
    # Raw answers for NEW and EDIT; redacted text plus whatever the organisation user typed (which
    # may itself identify someone) for ORGANISATION_EDIT.
    answers = EncryptedJSONField(default=dict)
    # The page to return to after a change from "Review your answers", and the pages still to walk.
    change_return = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "owner", "kind"],
                condition=models.Q(kind__in=EDIT_KINDS),
                name="one_edit_draft_per_event_owner_and_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=DraftKind.NEW)
                | models.Q(event__isnull=False, owner__isnull=False, is_anonymous=False),
                name="edit_draft_has_event_and_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"Draft {self.key}"

    def is_idle(self, now: dt.datetime | None = None) -> bool:
        """An edit draft untouched for 30 minutes (drafts of new records keep their own clocks)."""
        return self.kind in EDIT_KINDS and (now or timezone.now()) - self.updated_at > EDIT_DRAFT_IDLE_LIMIT

    def is_stale(self, latest_revision_id: int | None, now: dt.datetime | None = None) -> bool:
        """An edit draft that must not be re-submitted: idle, or started from a revision that is no
        longer the record's latest (someone else changed the record meanwhile)."""
        return self.is_idle(now) or self.base_revision_id != latest_revision_id


class StatutoryRequirements(models.Model):
    """One immutable set of answers to the statutory and national policy questions, written with the
    revision (action "statutory_updated") that records who changed them and when (docs/adr/0009).

    The answers are codes only (no free text), so they need no redaction. They live outside the
    revision's answers because the recorder's questionnaire drops every key it does not ask.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="statutory_versions")
    revision = models.OneToOneField(EventRevision, on_delete=models.CASCADE, related_name="statutory")
    version = models.CharField(max_length=16)
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["event", "revision"]

    def __str__(self) -> str:
        return f"Statutory requirements of {self.event} ({self.revision})"


# -- redaction: written by the redaction worker (events/redaction.py) ------------------------------
# These models were in the anonymisation app; they moved here with their tables (docs/adr/0013), so
# that events depends only on the pipeline library and the QA screen depends on events.
class RedactionRun(models.Model):
    """One revision's redaction: state, attempts, a summary of what was found (types and counts) and
    the residual risk of what was left (anonymisation/pipeline/risk.py), never the values."""

    revision = models.OneToOneField(EventRevision, on_delete=models.CASCADE, related_name="redaction_run")
    attempts = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    summary = models.JSONField(default=dict, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    corrected = models.BooleanField(default=False)
    # When a super admin last asked for the text to be redacted again with their corrections; cleared
    # by the worker that stores the result, unless newer corrections arrived meanwhile.
    rerun_requested_at = models.DateTimeField(null=True, blank=True)
    risk_score = models.FloatField(null=True, blank=True)
    risk_reasons = models.JSONField(default=list, blank=True)  # signal names and counts, never words

    class Meta:
        db_table = "anonymisation_redactionrun"
        ordering = ["-completed_at", "-id"]
        indexes = [
            models.Index(
                models.F("risk_score").desc(nulls_last=True),
                models.F("completed_at").desc(),
                condition=models.Q(completed_at__isnull=False),
                name="redaction_run_riskiest_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Redaction of {self.revision}"


class PlaceholderNumbering(models.Model):
    """Which value got which placeholder number in a record, so numbers stay stable across revisions.

    It holds personal data (the values), so it is encrypted like the raw answers."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="placeholder_numbering")
    mapping = EncryptedJSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "anonymisation_placeholdernumbering"

    def __str__(self) -> str:
        return f"Placeholder numbering of {self.event}"


class CorrectionKind(models.TextChoices):
    MISSED = "missed", "Missed: should have been redacted"
    OVER_REDACTED = "over_redacted", "Over-redacted: should have been kept"


class RedactionCorrection(models.Model):
    """A super admin's quality-assurance mark; the record is re-run with every mark applied."""

    revision = models.ForeignKey(EventRevision, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=CorrectionKind.choices)
    entity_type = models.CharField(max_length=40, blank=True)
    # The text concerned is personal data: encrypted.
    value = EncryptedJSONField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "anonymisation_redactioncorrection"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.revision}"
