"""Template tags other apps' pages use to show the closed loop without importing this app's code:
"Manage my event records" shows a recorder where their record has got to."""

from django import template

from ..selectors import recorder_progress, with_recorder_stages

register = template.Library()


@register.inclusion_tag("patients/includes/progress.html")
def recorder_progress_panel(event):
    """Where the record has got to and the organisation's redacted notes, for its recorder."""
    return {"progress": recorder_progress(event)}


@register.simple_tag
def recorder_stages(events):
    """[(record, its stage's label)] for a page of the recorder's records, in one query."""
    return with_recorder_stages(events)
