"""Releases of public statistics: immutable snapshots of disclosure-controlled figures.

A release is built once (events/publication/services.py) and never changes afterwards except for its
publication: its cells hold published figures only (never the unrounded counts), so the pages, the
CSV and the JSON API read the same rows and cannot disagree.
"""

from django.conf import settings
from django.db import models


class ReleaseStatus(models.TextChoices):
    PRE_RELEASE = "pre_release", "Pre-release"
    PUBLISHED = "published", "Published"


class Level(models.TextChoices):
    NATIONAL = "national", "National"
    REGION = "region", "NHS region"
    ICB = "icb", "Integrated care board"
    SUB_ICB = "sub_icb", "Sub-ICB location"
    ORGANISATION = "organisation", "Organisation"


class Release(models.Model):
    # "2026-q3": the quarter the release is about; a revised release has the same slug, version 2+.
    slug = models.CharField(max_length=8)
    version = models.PositiveSmallIntegerField(default=1)
    period_start = models.DateField()  # first day of the first month of the 12-month window
    quarter_start = models.DateField()
    period_end = models.DateField()  # last day of the quarter (inclusive)
    status = models.CharField(max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.PRE_RELEASE)
    planned_release_date = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(auto_now_add=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    methodology = models.TextField()
    disclosure_policy = models.JSONField(default=dict)
    # For a revised release: what changed against the version before it (services.release_changes).
    changes = models.JSONField(default=dict, blank=True)
    record_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-quarter_start", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="one_release_per_version")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def title(self) -> str:
        year, quarter = self.slug.split("-")
        return f"{quarter.upper()} {year}"

    @property
    def is_revised(self) -> bool:
        return self.version > 1

    @property
    def label(self) -> str:
        return "Revised" if self.is_revised else "Provisional"

    @property
    def is_published(self) -> bool:
        return self.status == ReleaseStatus.PUBLISHED


class ReleaseArea(models.Model):
    """An area a release has figures for, with its parent so pages can list ICBs in a region."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="areas")
    level = models.CharField(max_length=16, choices=Level.choices)
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=255)
    parent_code = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["release", "code"], name="one_area_per_release")]
        indexes = [models.Index(fields=["release", "level", "parent_code"], name="release_area_level_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ReleaseCell(models.Model):
    """One published figure: never an unrounded count below national level."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="cells")
    level = models.CharField(max_length=16, choices=Level.choices)
    area_code = models.CharField(max_length=12)
    table = models.CharField(max_length=32)
    category = models.CharField(max_length=16)
    value = models.FloatField(null=True)
    display = models.CharField(max_length=24)
    status = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["release", "area_code", "table"], name="release_cell_area_idx")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.table} {self.category}: {self.display}"


class ReleaseAuditEntry(models.Model):
    """Who built, saw before publication, and published a release: the pre-release access list."""

    class Action(models.TextChoices):
        BUILT = "built", "Built"
        PRE_RELEASE_VIEWED = "pre_release_viewed", "Viewed before publication"
        PUBLISHED = "published", "Published"

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_email = models.EmailField(blank=True)
    action = models.CharField(max_length=24, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor_email or 'the scheduled task'}"


class BedDays(models.Model):
    """Occupied-bed denominators from the NHS England KH03 bed availability returns, by trust and quarter."""

    ods_code = models.CharField(max_length=12)
    quarter_start = models.DateField()
    beds = models.FloatField()  # average daily beds available overnight in the quarter
    bed_days = models.FloatField()
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ods_code", "quarter_start"], name="one_kh03_row")]

    def __str__(self) -> str:
        return f"{self.ods_code} {self.quarter_start}: {self.bed_days:,.0f} bed days"


class ApiSubmissionOutcome(models.Model):
    """How an organisation's local risk management system (LRMS) submissions fared over the API, per
    day: accepted, or rejected with the first error's reason (an OperationOutcome issue code). Counts
    only, never the payload; for the data-quality page's rejection rates."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    # None: the rejection could not be attributed (a key for several organisations, none named).
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reason = models.CharField(max_length=40, blank=True)  # issue code of a rejection; "" if accepted
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "outcome", "reason"],
                name="one_api_outcome_row",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day} {self.outcome} {self.reason}: {self.count}"
