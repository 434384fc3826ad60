"""The QA screen's audit of raw text. What redaction itself keeps (runs, placeholder numbering,
corrections) lives in events/models.py, next to the revisions it describes (docs/adr/0013)."""

from django.conf import settings
from django.db import models


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
