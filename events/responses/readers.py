"""Who reads the raw free text of what (free_text.py): the predicates the selectors hand to
`free_text.show`. Everyone else reads the redacted text."""

from __future__ import annotations

from django.db.models import Q

from .models import Response


def _me(user) -> int | None:
    return user.pk if getattr(user, "is_authenticated", False) else None


def team_response_ids(user, response_ids) -> set[int]:
    """Of these responses, those whose team the user is on (lead, member or decider): one query."""
    me = _me(user)
    ids = {pk for pk in response_ids if pk is not None}
    if me is None or not ids:
        return set()
    return set(
        Response.objects.filter(pk__in=sorted(ids))
        .filter(Q(lead_id=me) | Q(decided_by_id=me) | Q(team__id=me))
        .values_list("pk", flat=True)
        .distinct()
    )


def safety_action_reader(user, actions):
    """Raw for whoever recorded the action, its owner and the team of its response."""
    me = _me(user)
    teams = team_response_ids(user, [a.response_id for a in actions])
    return lambda action: (
        me is not None and (me in (action.created_by_id, action.owner_id) or action.response_id in teams)
    )


def author_reader(user, field: str):
    me = _me(user)
    return lambda instance: me is not None and getattr(instance, field) == me


def plan_reader(user):
    """A response plan's text is raw for its author; its decision note for the ICB admin who wrote it
    (the plan page shows the note apart, through `note_reader`)."""
    return author_reader(user, "written_by_id")


# The audit actions whose note is kept on the response, and the field it is kept in.
NOTE_FIELDS = {"referral_closed": "referral_note", "returned": "sign_off_note", "signed_off": "sign_off_note"}


def notes_written_by(user, response) -> set[str]:
    """The response's notes this user wrote (closing a referral, returning or signing off a report):
    they read their own words raw even when they are not on the team. The newest note of each field
    is the one kept, so only its writer counts."""
    from .models import ResponseAuditEntry

    me = _me(user)
    if me is None:
        return set()
    newest: dict[str, int | None] = {}
    for action, actor_id in (
        ResponseAuditEntry.objects.filter(
            response=response, action__in=list(NOTE_FIELDS), detail__note_recorded=True
        )
        .order_by("-id")
        .values_list("action", "actor_id")
    ):
        newest.setdefault(NOTE_FIELDS[action], actor_id)
    return {field for field, actor_id in newest.items() if actor_id == me}
