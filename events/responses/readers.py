"""Who reads the raw free text of what (free_text.py). The policy decides
(`read_response_free_text_unredacted`, accounts/permissions.py, whose `RAW_TEXT_READERS` names the
relations that read each text raw); this module reads the facts it is asked about, the reader's
relations to each record, and hands the selectors the answers. Everyone else reads redacted text."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from accounts.permissions import RESPONSE_TEAM, Action, Target, allows

from .models import Response

RAW = Action.READ_RESPONSE_FREE_TEXT_UNREDACTED


def _me(user) -> int | None:
    return user.pk if getattr(user, "is_authenticated", False) else None


def reads_raw(user, text_of: str, relations: Iterable[str], organisation=None) -> bool:
    """The policy's answer for one text, given the reader's relations to it. `organisation` is the
    record's: the policy reads it as its provider (a trust site's trust), whose members alone read raw."""
    from .services import provider_of  # services imports notifications, which imports this module

    relations = frozenset(relations)
    if not relations:
        return False  # no relation reads anything raw: nothing to ask
    return allows(
        user, RAW, Target(organisation=provider_of(organisation), text_of=text_of, relations=relations)
    )


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


def team_relation(team: bool) -> set[str]:
    return {RESPONSE_TEAM} if team else set()


def response_reads_raw(user, response, team: bool) -> bool:
    """A response's rationale, document and notes (`team`: services.on_team, read by the caller)."""
    return reads_raw(user, "response", team_relation(team), response.organisation)


def engagement_reader(user, response, team: bool):
    """An engagement note: raw for whoever recorded it and the response team, if the policy agrees."""
    me = _me(user)
    return lambda entry: reads_raw(
        user,
        "engagement",
        team_relation(team) | ({"recorded_it"} if me is not None and entry.recorded_by_id == me else set()),
        response.organisation,
    )


def safety_action_reader(user, actions):
    """A safety action's text: the policy's answer for whoever recorded it, its owner and the team of
    its response."""
    me = _me(user)
    teams = team_response_ids(user, [a.response_id for a in actions])

    def relations(action) -> set[str]:
        if me is None:
            return set()
        return (
            ({"recorded_it"} if action.created_by_id == me else set())
            | ({"owns_it"} if action.owner_id == me else set())
            | team_relation(action.response_id in teams)
        )

    # A safety action's organisation is its response's provider (actions.safety_action_create).
    return lambda action: reads_raw(user, "safety_action", relations(action), action.organisation)


def author_reader(user, field: str, text_of: str):
    """Raw for the person `field` names (who wrote the text), if the policy agrees."""
    me = _me(user)
    return lambda instance: reads_raw(
        user,
        text_of,
        {"wrote_it"} if me is not None and getattr(instance, field) == me else set(),
        getattr(instance, "organisation", None),
    )


def safety_plan_reader(user):
    return author_reader(user, "created_by_id", "safety_plan")


def plan_reader(user):
    """A response plan's summary and priorities: raw for its author (the policy's answer)."""
    return author_reader(user, "written_by_id", "plan")


def plan_note_reader(user):
    """A response plan's decision note: raw for the ICB admin who wrote it (the policy's answer)."""
    return author_reader(user, "decided_by_id", "plan_decision_note")


# The audit actions whose note is kept on the response, and the field it is kept in.
NOTE_FIELDS = {"referral_closed": "referral_note", "returned": "sign_off_note", "signed_off": "sign_off_note"}


def notes_written_by(user, response) -> set[str]:
    """The response's notes this user wrote (closing a referral, returning or signing off a report):
    the policy lets them read their own words raw even when they are not on the team. The newest note
    of each field is the one kept, so only its writer counts."""
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
    return {
        field
        for field, actor_id in newest.items()
        if actor_id == me and reads_raw(user, "response_note", {"wrote_it"}, response.organisation)
    }
