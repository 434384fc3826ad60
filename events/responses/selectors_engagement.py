"""Reads for the engagement pages: one person affected or one engagement entry of a response the
reader already reached through `selectors.response_visible_to` (the team check is the view's)."""

from __future__ import annotations

from .models import AffectedPerson, EngagementEntry, Response


def affected_person_of(response: Response, pk: int) -> AffectedPerson | None:
    return AffectedPerson.objects.filter(response=response, pk=pk).first()


def engagement_entry_of(response: Response, pk: int) -> EngagementEntry | None:
    return EngagementEntry.objects.filter(response=response, pk=pk).first()
