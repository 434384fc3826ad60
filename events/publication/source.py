"""The one place public statistics read records from, through the read gate (events/visibility.py,
`events_for_public_statistics`, its named public-statistics scope): submitted records whose
redaction is complete, anonymous ones included.

Only coded, indexed columns are read, and the redacted answers' coded service answers (`services`):
never free text, never the raw (encrypted) answers.
"""

from django.db.models import QuerySet

from events.models import Event
from events.visibility import events_for_public_statistics

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
    return events_for_public_statistics().only(*COLUMNS)
