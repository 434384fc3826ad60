"""What the similarity app stores about records: their vectors, duplicate flags and clusters, themes.

Nothing here is a record or a revision: those are written by events/lifecycle.py alone. Every row
points at a record (`events.Event`) and is computed from its visible (redacted) revision.
"""

from django.conf import settings
from django.db import models


class EventEmbedding(models.Model):
    """The sentence vector of a record's visible, redacted text, and the model that made it."""

    event = models.OneToOneField(
        "events.Event", primary_key=True, on_delete=models.CASCADE, related_name="similarity_embedding"
    )
    revision = models.ForeignKey("events.EventRevision", on_delete=models.CASCADE, related_name="+")
    model_name = models.CharField(max_length=80, db_index=True)
    vector = models.BinaryField()  # float32, unit length (embedding.to_bytes)
    # Signals the ranking compares that come from coded answers: {question label: [answer labels]}.
    coded = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.event_id} ({self.model_name})"


class TermStatistics(models.Model):
    """How many processed records use each token (of their redacted text): the corpus statistics the
    ranking's TF-IDF and rare-word measures read. One row, rebuilt daily by the worker."""

    documents = models.PositiveIntegerField()
    frequencies = models.JSONField(default=dict)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"term statistics of {self.documents} records"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "Not checked yet"
    LINKED = "linked", "Linked as the same event"
    DISMISSED = "dismissed", "Not the same event"


class DuplicateFlag(models.Model):
    """ "Probably the same event": a record and an earlier one the duplicate rule matched it with."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="duplicate_flags")
    candidate = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "candidate"], name="one_flag_per_pair")]
        indexes = [models.Index(fields=["status", "event"], name="duplicate_flag_status_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} may be {self.candidate_id} ({self.status})"


class DuplicateCluster(models.Model):
    """Records linked as one event. The canonical record is the one counted; the others point to it."""

    canonical = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"cluster of {self.canonical_id}"


class ClusterMember(models.Model):
    event = models.OneToOneField(
        "events.Event", primary_key=True, on_delete=models.CASCADE, related_name="duplicate_cluster_member"
    )
    cluster = models.ForeignKey(DuplicateCluster, on_delete=models.CASCADE, related_name="members")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event_id} in cluster {self.cluster_id}"


class Theme(models.Model):
    """A cluster of a month's records, for one ICB (or nationally), labelled by its distinctive terms."""

    month = models.DateField()  # first day of the month clustered
    icb = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )  # None: national
    label = models.CharField(max_length=255)
    terms = models.JSONField(default=list)
    size = models.PositiveIntegerField()
    weekly_counts = models.JSONField(default=list)  # records per week of the month, oldest first
    history_weekly_mean = models.FloatField(default=0.0)  # like records per week in the months before
    is_new = models.BooleanField(default=False)
    growth = models.FloatField(default=0.0)  # last week's count over the history's weekly mean
    events = models.ManyToManyField("events.Event", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "-growth", "-size"]
        indexes = [models.Index(fields=["month", "icb"], name="theme_month_icb_idx")]

    def __str__(self) -> str:
        return self.label
