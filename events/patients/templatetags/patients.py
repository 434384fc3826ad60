"""Template tags other apps' pages use to show the closed loop without importing this app's code:
"Manage my event records" shows a recorder where their record has got to."""

from django import template

from ..selectors import own_record_progress, own_records_with_stages

register = template.Library()


@register.inclusion_tag("patients/includes/progress.html")
def recorder_progress_panel(event, user):
    """Where the record has got to and the organisation's redacted notes, for its recorder."""
    return {"progress": own_record_progress(user, event)}


@register.simple_tag
def recorder_stages(events, user):
    """[(record, its stage's label)] for a page of the user's own records, in one query."""
    return own_records_with_stages(user, events)
