"""Organisations from the NHS Organisation Data Service (ODS), with their parent in the hierarchy."""

from django.db import models


class OrganisationKind(models.TextChoices):
    REGION = "region", "Region"
    ICB = "icb", "Integrated care board"
    SUB_ICB_LOCATION = "sub_icb_location", "Sub-ICB location"
    NHS_TRUST = "nhs_trust", "NHS trust"
    TRUST_SITE = "trust_site", "Trust site"
    GP_PRACTICE = "gp_practice", "GP practice"
    PHARMACY = "pharmacy", "Pharmacy"
    INDEPENDENT_PROVIDER = "independent_provider", "Independent provider"
    OTHER = "other", "Other"


# Kinds whose organisational and admin members are "ICB accounts" with read-only sight of everything
# below them in the hierarchy (docs/spec/PRODUCT.md §1).
COMMISSIONER_KINDS = frozenset({OrganisationKind.REGION, OrganisationKind.ICB})


class OrganisationStatus(models.TextChoices):
    ACTIVE = "A", "Active"
    CLOSED = "C", "Closed"
    DORMANT = "D", "Dormant"
    PROPOSED = "P", "Proposed"


class Organisation(models.Model):
    ods_code = models.CharField("ODS code", max_length=12, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    status = models.CharField(
        max_length=1, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    postcode = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["parent"], name="organisation_parent_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    @property
    def is_commissioner(self) -> bool:
        return self.kind in COMMISSIONER_KINDS
