"""LRMS API submission outcomes per organisation and day: written when the FHIR API accepts or
rejects a POST or PUT of an AdverseEvent (events/fhir/views.py), read by the data-quality page.

Counts only: the payload is never kept. A rejection counts against the organisation the submission
was for when that is known (the ReporterOrganisation the key may submit for, else the key's only
organisation); a key for several organisations that named none of them counts as unattributed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from organisations.models import Organisation
from organisations.selectors import organisation_ids_counting_as

from .models import ApiSubmissionOutcome

Outcome = ApiSubmissionOutcome.Outcome


def api_outcome_record(*, organisation: Organisation | None, outcome: str, reason: str = "") -> None:
    """Adds one submission to its organisation's count for today (a row per day, outcome and reason)."""
    key = {
        "organisation": organisation,
        "day": timezone.localdate(),
        "outcome": outcome,
        "reason": reason[:40] if outcome == Outcome.REJECTED else "",
    }
    rows = ApiSubmissionOutcome.objects.filter(**key)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ApiSubmissionOutcome.objects.create(**key, count=1)
    except IntegrityError:  # another request created the row first
        rows.update(count=F("count") + 1)


@dataclass
class ApiOutcomes:
    accepted: int
    rejected: int
    by_reason: list[tuple[str, int]]  # issue code -> rejections, most first
    by_month: list[tuple[str, int, int]]  # "YYYY-MM" -> (accepted, rejected)

    @property
    def submitted(self) -> int:
        return self.accepted + self.rejected


def api_outcomes_of(organisation: Organisation, *, since: dt.date) -> ApiOutcomes:
    """The organisation's (and its sites') API submission outcomes since a day."""
    rows = ApiSubmissionOutcome.objects.filter(
        Q(organisation_id__in=organisation_ids_counting_as(organisation)), day__gte=since
    ).order_by()
    totals = {row["outcome"]: row["n"] for row in rows.values("outcome").annotate(n=Sum("count"))}
    reasons = (
        rows.filter(outcome=Outcome.REJECTED)
        .values("reason")
        .annotate(n=Sum("count"))
        .order_by("-n", "reason")
    )
    months: dict[str, list[int]] = {}
    for row in rows.values("day", "outcome", "count"):
        month = months.setdefault(f"{row['day']:%Y-%m}", [0, 0])
        month[0 if row["outcome"] == Outcome.ACCEPTED else 1] += row["count"]
    return ApiOutcomes(
        totals.get(Outcome.ACCEPTED, 0),
        totals.get(Outcome.REJECTED, 0),
        [(row["reason"], row["n"]) for row in reasons],
        [(month, *counts) for month, counts in sorted(months.items())],
    )
