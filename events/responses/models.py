"""PSIRF responses: what an organisation decided to do about its incidents, and what came of it.

- `Response`: one decision about one record (or, for a thematic review, several: `ResponseLink`),
  with its kind, status, rationale, who decided and when, the learning response document's answers
  (raw, encrypted; redacted for everyone but the response team), the PSII sign-off and the duty of
  candour dates. Its status is written only by events/responses/lifecycle.py.
- `ResponseAuditEntry`: every state change of anything in this app, in the same transaction.
- `SafetyAction` and `SafetyImprovementPlan`: the safety actions register.
- `AffectedPerson` (encrypted contact details) and `EngagementEntry`: engagement with those affected.
- `ResponsePlan`: an organisation's patient safety incident response plan (PSIRP), one row a version.
- `PsirfRole`: who holds the PSIRF executive lead role for an organisation (a fact the policy reads).
"""

from django.conf import settings
from django.db import models

from lfpse.encryption import EncryptedJSONField

USER = settings.AUTH_USER_MODEL


class ResponseKind(models.TextChoices):
    NO_FURTHER_RESPONSE = "none", "No further response"
    SWARM = "swarm", "SWARM huddle"
    AAR = "aar", "After Action Review"
    MDT = "mdt", "Multidisciplinary team review"
    THEMATIC = "thematic", "Thematic review"
    PSII = "psii", "Patient safety incident investigation (PSII)"
    REFERRAL = "referral", "Referral to another body"


class ResponseStatus(models.TextChoices):
    CLOSED = "closed", "Closed"
    REFERRED = "referred", "Referred"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    SHARED_WITH_ICB = "shared_with_icb", "Shared with ICB"
    COMPLETED = "completed", "Completed"


class RedactionState(models.TextChoices):
    NOTHING = "nothing", "Nothing to redact"
    PENDING = "pending", "Being processed"
    COMPLETE = "complete", "Complete"


class Response(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    status = models.CharField(max_length=24, choices=ResponseStatus.choices)
    rationale = EncryptedJSONField(default=str)  # raw; others read redacted_texts (free_text.py)
    referral_note = EncryptedJSONField(default=str, blank=True)  # what the body did, on closing
    sign_off_note = EncryptedJSONField(default=str, blank=True)  # why a PSII report was returned
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by_api_client = models.CharField(max_length=120, blank=True)  # a local risk management system
    decided_at = models.DateTimeField()
    event_created_at = models.DateTimeField()  # the first record's, for event-to-decision time
    # The record's event date (its event-date answer) when the response was made: the oversight's time
    # from event to decision runs from it, or from event_created_at where it is unknown (null).
    event_date = models.DateField(null=True, blank=True)
    # The record's decision (its primary link), not a referral tracked beside it: what the oversight's
    # decision times count, read without joining the links.
    is_decision = models.BooleanField(default=False)
    # National requirements the rules found when the decision was made (codes of rules.py).
    requirements = models.JSONField(default=list, blank=True)
    is_never_event = models.BooleanField(default=False, db_index=True)  # for the national register
    referral_body = models.CharField(max_length=200, blank=True)
    lead = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    team = models.ManyToManyField(USER, blank=True, related_name="response_teams")
    document_version = models.CharField(max_length=8, blank=True)
    answers = EncryptedJSONField(default=dict, blank=True)  # raw: the response team reads these
    redacted_answers = models.JSONField(null=True, blank=True)  # what everybody else reads
    redaction = models.CharField(
        max_length=16, choices=RedactionState.choices, default=RedactionState.NOTHING
    )
    answers_changed_at = models.DateTimeField(null=True, blank=True)
    submitted_for_sign_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    shared_with_icb_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Duty of candour (Regulation 20): notification in person, then a written follow-up.
    candour_applies = models.BooleanField(default=False)
    candour_notified_on = models.DateField(null=True, blank=True)
    candour_written_on = models.DateField(null=True, blank=True)
    engagement_lead = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    redacted_texts = models.JSONField(null=True, blank=True)  # free_text.py: what others read
    texts_changed_at = models.DateTimeField(null=True, blank=True)
    texts_queued_at = models.DateTimeField(null=True, blank=True)  # by the sweep: free_text.py
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "status"], name="response_org_status_idx"),
            models.Index(fields=["kind", "decided_at"], name="response_kind_decided_idx"),
            # The response list, newest decision first, over many organisations (an ICB and below).
            models.Index(fields=["-decided_at", "-id"], name="response_decided_idx"),
            # Oversight's PSII timeliness and open PSIIs: an index-only scan of an ICB's PSIIs.
            models.Index(
                fields=["organisation"],
                include=["status", "decided_at", "signed_off_at"],
                condition=models.Q(kind="psii"),
                name="response_psii_figures_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class DecisionTally(models.Model):
    """How many responses an organisation has of a kind, by whole days from the event to the decision:
    the oversight's response mix and decision-time percentiles read these few rows instead of every
    response. Counted up by `lifecycle.response_create` (the one place responses are made; a response
    is never deleted and its kind never changes), in the same transaction."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    is_decision = models.BooleanField()  # False: a referral tracked beside the record's decision
    wait_days = models.IntegerField()  # whole days from the event date (else the recording) to the decision
    from_recording = models.BooleanField()  # the record's event date was not known
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "is_decision", "wait_days", "from_recording"],
                name="decision_tally_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.wait_days} days: {self.count}"


class ResponseLink(models.Model):
    """A record a response is about: one, or several for a thematic review. A record with a link has
    had its decision; the queue lists the incidents without one."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="links")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="response_links")
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "event"], name="response_link_once"),
            # One decision per record: a record is the primary record of one response at most.
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(is_primary=True), name="one_decision_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} – record {self.event_id}"


class ResponseAuditEntry(models.Model):
    """Who changed what in responses, actions, engagement and plans: written with the change."""

    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=48)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    safety_action = models.ForeignKey(
        "SafetyAction", null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    plan = models.ForeignKey(
        "ResponsePlan", null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def description(self) -> str:
        return self.action.replace("_", " ").capitalize()

    @property
    def status_label(self) -> str:
        """The status it moved to in words ("In progress"), for a response or a safety action."""
        labels = {**dict(ResponseStatus.choices), **dict(ActionStatus.choices)}
        return str(labels.get(self.to_status, self.to_status))


class Strength(models.TextChoices):
    """The hierarchy of intervention effectiveness (NHS England's PSIRF safety action guidance)."""

    STRONGER = "stronger", "Stronger (for example, design out the risk)"
    INTERMEDIATE = "intermediate", "Intermediate (for example, checklists, standardised equipment)"
    WEAKER = "weaker", "Weaker (for example, training, new policy, warnings)"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class SafetyImprovementPlan(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = EncryptedJSONField(default=str, blank=True)  # raw; others read redacted_texts
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    redacted_texts = models.JSONField(null=True, blank=True)  # free_text.py: what others read
    texts_changed_at = models.DateTimeField(null=True, blank=True)
    texts_queued_at = models.DateTimeField(null=True, blank=True)  # by the sweep: free_text.py

    def __str__(self) -> str:
        return self.title


class SafetyAction(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.PROTECT, related_name="safety_actions"
    )
    plan = models.ForeignKey(
        SafetyImprovementPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    # Free text, raw and encrypted; everyone but its author, owner and response team reads
    # redacted_texts (free_text.py).
    area_for_improvement = EncryptedJSONField(default=str)
    action = EncryptedJSONField(default=str)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    measure = EncryptedJSONField(default=str)
    strength = models.CharField(max_length=16, choices=Strength.choices)
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    evidence = EncryptedJSONField(default=str, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    redacted_texts = models.JSONField(null=True, blank=True)  # free_text.py: what others read
    texts_changed_at = models.DateTimeField(null=True, blank=True)
    texts_queued_at = models.DateTimeField(null=True, blank=True)  # by the sweep: free_text.py
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"], name="action_org_status_due_idx"),
            models.Index(fields=["status", "due_date"], name="action_status_due_idx"),
            # The register, soonest due first, over many organisations.
            models.Index(fields=["due_date", "id"], name="action_due_idx"),
        ]

    def __str__(self) -> str:
        return self.area_for_improvement

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status in OPEN_ACTION_STATUSES and self.due_date < timezone.localdate()


class PersonRole(models.TextChoices):
    PATIENT = "patient", "Patient"
    FAMILY = "family", "Family or carer"
    STAFF = "staff", "Staff"


class AffectedPerson(models.Model):
    """Someone affected, to engage with. Who they are and how to reach them is encrypted and shown to
    the response team alone."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=16, choices=PersonRole.choices)
    details = EncryptedJSONField(default=dict)  # {"name", "contact", "preferences"}
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.get_role_display()  # never who they are


class EngagementKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    TERMS_SHARED = "terms_shared", "Terms of reference shared"
    DRAFT_SHARED = "draft_shared", "Draft report shared"
    COMMENTS = "comments", "Comments received"


class EngagementEntry(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="engagement")
    kind = models.CharField(max_length=16, choices=EngagementKind.choices)
    happened_on = models.DateField()
    note = EncryptedJSONField(default=str, blank=True)  # may name people: response team only
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    redacted_texts = models.JSONField(null=True, blank=True)  # free_text.py: what others read
    texts_changed_at = models.DateTimeField(null=True, blank=True)
    texts_queued_at = models.DateTimeField(null=True, blank=True)  # by the sweep: free_text.py

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_on}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted to ICB"
    AGREED = "agreed", "Agreed"
    RETURNED = "returned", "Returned"


class ResponsePlan(models.Model):
    """A version of an organisation's patient safety incident response plan (PSIRP)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Raw and encrypted; its author reads these, everyone else (and the public page) redacted_texts.
    summary = EncryptedJSONField(default=str)
    priorities = EncryptedJSONField(default=list)  # [{"priority": str, "method": ResponseKind}]
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedJSONField(default=str, blank=True)  # the deciding ICB admin's, raw
    created_at = models.DateTimeField(auto_now_add=True)
    redacted_texts = models.JSONField(null=True, blank=True)  # free_text.py: what others read
    texts_changed_at = models.DateTimeField(null=True, blank=True)
    texts_queued_at = models.DateTimeField(null=True, blank=True)  # by the sweep: free_text.py

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="one_plan_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} PSIRP version {self.version}"


class PsirfRoleName(models.TextChoices):
    EXECUTIVE_LEAD = "psirf_executive_lead", "PSIRF executive lead"


class PsirfRole(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="psirf_roles")
    role = models.CharField(max_length=32, choices=PsirfRoleName.choices)
    granted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "role"], name="psirf_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.organisation}"
