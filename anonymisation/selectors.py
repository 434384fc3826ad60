from django.db.models import QuerySet

from .models import RedactionRun


def recent_redactions() -> QuerySet[RedactionRun]:
    return (
        RedactionRun.objects.filter(completed_at__isnull=False)
        .select_related("revision__event")
        .order_by("-completed_at")
    )
