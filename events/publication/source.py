"""The one place public statistics read records from.

Only submitted records whose redaction is complete count (anonymous ones included), and only their
coded, indexed columns are read: never free text. At merge this is pointed at the visibility gate
(events/visibility.py), the one reader of records.
"""

from django.db.models import QuerySet

from events.models import Event

COLUMNS = (
    "organisation_id",
    "event_type",
    "event_date",
    "created_at",
    "involved_agents",
    "worst_physical_harm",
    "worst_psychological_harm",
    "source",
)


def published_records() -> QuerySet[Event]:
    return Event.objects.filter(visible_revision__isnull=False).only(*COLUMNS)
