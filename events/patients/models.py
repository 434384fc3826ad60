"""Patient and family reports, follow links and feedback to recorders (docs/adr/0019).

The record itself is an ordinary `events.Event`, written by the lifecycle with `source` "patient":
its answers are the LFPSE taxonomy's, mapped from the patient's (mapping.py), so the free text is
redacted, counted and exported like any other record. What only a patient report has lives here:

- `PatientDraft`: answers in progress, reached only through the random key in the visitor's session;
- `PatientReport`: what they want to happen, who they are, who may see it, the coded answers (no
  free text, which lives once, encrypted, in the record's revision) and their contact details
  (encrypted; shown only to the organisation's patient safety team, and only when allowed);
- `FollowLink`: an unguessable, expiring link to follow one record without an account (only the
  hash of the token is stored), for patients and anonymous staff recorders alike;
- `RecorderUpdate`: the organisation's "feedback to the recorder": a stage and a note, redacted like
  all free text before the recorder sees it;
- `RecorderStage`: the stage the recorder was last told a record has reached, so a change is emailed
  once and no email goes when nothing changed;
- `ComplaintsContact`: an organisation's complaints or PALS contact, maintained by super admins.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lfpse.encryption import EncryptedJSONField


class Sharing(models.TextChoices):
    NATIONAL = "national", _("National learning only")
    ORGANISATION = "organisation", _("Shared with the organisation, without contact details")
    CONTACT = "contact", _("Shared with the organisation, and they may contact the reporter")


class PatientDraft(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question_set_version = models.CharField(max_length=16)
    answers = EncryptedJSONField(default=dict)  # free text and contact details: encrypted
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"Patient draft {self.key}"


REPORTER_ROLES = {
    "self": _("The patient"),
    "family": _("A family member or friend"),
    "carer": _("The patient's carer"),
    "behalf": _("Someone telling us on the patient's behalf"),
}


class PatientReport(models.Model):
    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="patient_report")
    question_set_version = models.CharField(max_length=16)
    # The patient form's coded answers only: free text is in the record's revision, contact below.
    answers = models.JSONField(default=dict)
    wants = models.JSONField(default=list)  # "learn", "complaint"
    reporter_role = models.CharField(max_length=16)
    sharing = models.CharField(max_length=16, choices=Sharing.choices)
    # Name, email and phone, only when sharing is CONTACT.
    contact = EncryptedJSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Patient report {self.event}"

    @property
    def reporter_role_label(self) -> str:
        return str(REPORTER_ROLES.get(self.reporter_role, self.reporter_role))

    @property
    def is_complaint(self) -> bool:
        return "complaint" in self.wants


class FollowLink(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="follow_links")
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the token in the link
    # Where progress is emailed, if the recorder asked for that.
    email = EncryptedJSONField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Follow link for {self.event}"


class Stage(models.TextChoices):
    RECEIVED = "received", _("Received")
    REVIEWED = "reviewed", _("Reviewed")
    RESPONSE_CHOSEN = "response_chosen", _("Response chosen")
    ACTIONS_AGREED = "actions_agreed", _("Actions agreed")
    CLOSED = "closed", _("Closed")


class RecorderUpdate(models.Model):
    """One step of the closed loop: what the organisation tells the recorder, with a note."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="recorder_updates")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    note = EncryptedJSONField(default=str)  # as the organisation user wrote it
    redacted_note = models.TextField(blank=True)  # what the recorder reads
    is_redacted = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} for {self.event}"


STAGE_ORDER = {stage: rank for rank, stage in enumerate(Stage.values)}


class RecorderStage(models.Model):
    """The stage the recorder was last told of (by email, when they can be emailed)."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, primary_key=True, related_name="recorder_stage"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.RECEIVED)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_stage_display()} told for {self.event}"


class ComplaintsContact(models.Model):
    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="complaints_contact"
    )
    team_name = models.CharField(
        _("team name"), max_length=200, default="Patient Advice and Liaison Service (PALS)"
    )
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    web_address = models.URLField(_("web page"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.team_name}, {self.organisation}"
