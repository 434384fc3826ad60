"""The dashboard's denormalised columns, computed from a revision's redacted answers.

The organisation dashboard filters and sorts up to half a million records at a time, so what it asks
about (category of event, worst harm, free-text search) is copied onto indexed Event columns instead
of being read out of each revision's JSON. The columns always describe the visible revision: they are
refreshed whenever it changes (the post_save hook in events/models.py), and the benchmark loader
writes them directly with `dashboard_columns`.
"""

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from events.questionnaire import QuestionSet, load_question_set

from .models import Event

SEARCH_CONFIG = "english"
AGENTS = "InvolvedAgents"
PHYSICAL_HARM = "PhysicalHarm"
PSYCHOLOGICAL_HARM = "PsychologicalHarm"
CATEGORY_SEPARATOR = "; "


def agent_bit(code: str) -> int:
    """The bit standing for one InvolvedAgents code in Event.involved_agents."""
    return 1 << int(code)


def dashboard_columns(answers: dict[str, Any], version: str) -> dict[str, Any]:
    """Event column values for a revision's (redacted) answers."""
    question_set = load_question_set(version)
    codes = _codes(answers.get(AGENTS))
    categories = []
    if question_set.has_question(AGENTS):
        categories = [
            option.label for option in question_set.question(AGENTS).options if option.code in codes
        ]
    patients = [item for item in answers.get("patients") or [] if isinstance(item, dict)]
    return {
        "categories": CATEGORY_SEPARATOR.join(categories)[:255],
        "involved_agents": sum(agent_bit(code) for code in codes if code.isdecimal()),
        "worst_physical_harm": _worst(patients, PHYSICAL_HARM),
        "worst_psychological_harm": _worst(patients, PSYCHOLOGICAL_HARM),
        "patient_count": len(patients),
        "search_text": free_text_of(answers, question_set),
    }


def free_text_of(answers: dict[str, Any], question_set: QuestionSet) -> str:
    """Every free-text answer, top level and inside repeated groups, one per line."""
    free_text = question_set.free_text_ids()
    texts = []
    for key, value in answers.items():
        if key in free_text and isinstance(value, str) and value.strip():
            texts.append(value.strip())
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    texts.extend(
                        text.strip()
                        for inner, text in item.items()
                        if inner in free_text and isinstance(text, str) and text.strip()
                    )
    return "\n".join(texts)


def event_refresh_dashboard_columns(event: Event, *, also: dict[str, Any] | None = None) -> None:
    """Rewrites the event's dashboard columns from its visible revision (no signals, no updated_at),
    with the other columns in `also` in the same UPDATE (the lifecycle's new visible revision)."""
    revision = event.visible_revision
    columns = dashboard_columns(revision.redacted_answers or {}, revision.question_set_version)
    values: dict[str, Any] = {**(also or {}), **columns}
    if connection.vendor == "postgresql":
        values["search_vector"] = SearchVector(Value(columns["search_text"]), config=SEARCH_CONFIG)
    Event.objects.filter(pk=event.pk).update(**values)
    for name, value in columns.items():
        setattr(event, name, value)


def _codes(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(code) for code in value]
    return [value] if isinstance(value, str) and value else []


def _worst(patients: list[dict[str, Any]], question_id: str) -> int | None:
    """The worst harm across patients: the lowest code (taxonomy §2.6)."""
    codes = [int(item[question_id]) for item in patients if str(item.get(question_id, "")).isdecimal()]
    return min(codes) if codes else None
