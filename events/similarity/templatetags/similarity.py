"""`{% events_like_this event %}`: the record page's "Events like this", possible duplicates and
linked records, read through the read gate for the signed-in user."""

from django import template

from events.similarity import selectors

register = template.Library()


@register.inclusion_tag("similarity/record_section.html", takes_context=True)
def events_like_this(context, event):
    request = context["request"]
    canonical, linked = selectors.cluster_of(request.user, event)
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "event": event,
        "similar": selectors.similar_events(request.user, event),
        "duplicates": selectors.duplicate_flags_for(request.user, event),
        "canonical": canonical,
        "linked": linked,
    }
