"""The response pages' template helpers, and the responses section of a record's page.

`{% record_responses event %}` shows, on the organisation's record page, the responses decided for
the record (with their duty of candour clocks) or, for an incident without one, a link to decide it:
the record page belongs to `events`, which must not import this app, so it asks here."""

from django import template

register = template.Library()


@register.inclusion_tag("responses/includes/record_responses.html", takes_context=True)
def record_responses(context, event):
    from accounts.permissions import Action, allows

    from ..selectors import record_responses_context
    from ..services import target

    user = context["request"].user
    shown = record_responses_context(user, event)
    shown["may_decide"] = (
        shown["visible"]
        and not shown["responses"]
        and event.event_type == "1"
        and allows(user, Action.DECIDE_RESPONSE_FOR_MY_ORGANISATION_EVENTS, target(user, event.organisation))
    )
    shown["event"] = event
    return shown


@register.filter
def concat(prefix, value) -> str:
    return f"{prefix}{value}"


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)
