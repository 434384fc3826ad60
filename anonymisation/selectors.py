"""Reads for the redaction QA screen (super admins only: the view checks the policy first)."""

from django.db.models import F, QuerySet

from anonymisation.pipeline.risk import HIGH
from events.models import RedactionRun

RISKIEST = "risk"
MOST_RECENT = "recent"
ORDERS = {
    # Unscored runs (redacted before scores existed) come last.
    RISKIEST: (F("risk_score").desc(nulls_last=True), F("completed_at").desc(), F("id").desc()),
    MOST_RECENT: (F("completed_at").desc(), F("id").desc()),
}


def redactions_for_qa(*, order: str = RISKIEST, high_risk_only: bool = False) -> QuerySet[RedactionRun]:
    """Completed redactions, the riskiest first (or the most recent first), with their record."""
    runs = RedactionRun.objects.filter(completed_at__isnull=False)
    if high_risk_only:
        runs = runs.filter(risk_score__gte=HIGH)
    return runs.select_related("revision__event").order_by(*ORDERS.get(order, ORDERS[RISKIEST]))
