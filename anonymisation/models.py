"""What the redaction pipeline keeps about each record: never the values it removed, except encrypted."""

from django.conf import settings
from django.db import models

from lfpse.encryption import EncryptedJSONField


class RedactionRun(models.Model):
    """One revision's redaction: state, attempts and a summary of what was found (types and counts)."""

    revision = models.OneToOneField(
        "events.EventRevision", on_delete=models.CASCADE, related_name="redaction_run"
    )
    attempts = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    summary = models.JSONField(default=dict, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    corrected = models.BooleanField(default=False)

    class Meta:
        ordering = ["-completed_at", "-id"]

    def __str__(self) -> str:
        return f"Redaction of {self.revision}"


class PlaceholderNumbering(models.Model):
    """Which value got which placeholder number in a record, so numbers stay stable across revisions.

    It holds personal data (the values), so it is encrypted like the raw answers."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="placeholder_numbering"
    )
    mapping = EncryptedJSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Placeholder numbering of {self.event}"


class CorrectionKind(models.TextChoices):
    MISSED = "missed", "Missed: should have been redacted"
    OVER_REDACTED = "over_redacted", "Over-redacted: should have been kept"


class RedactionCorrection(models.Model):
    """A super admin's quality-assurance mark; the record is re-run with every mark applied."""

    revision = models.ForeignKey("events.EventRevision", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=CorrectionKind.choices)
    entity_type = models.CharField(max_length=40, blank=True)
    # The text concerned is personal data: encrypted.
    value = EncryptedJSONField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.revision}"


class RawTextAccess(models.Model):
    """Every view of raw (unredacted) free text writes one of these."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.ForeignKey(
        "events.EventRevision", on_delete=models.CASCADE, related_name="raw_text_accesses"
    )
    purpose = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.revision} ({self.purpose})"
