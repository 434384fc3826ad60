"""Demo responses for `make run` (lfpse/demo.py calls this once, after the example records): a SWARM
huddle done, an After Action Review in progress, a PSII awaiting sign-off with a PSIRF executive lead
named, safety actions of which two are overdue, and an agreed response plan. Everything is recorded
through the services, as people would, some of it dated back ("as of") so that clocks have run."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from events.models import Event
from organisations.models import Organisation

from . import actions, engagement, plans, services

PROVIDER, ICB = "RR8", "QWO"


def demo_responses_load() -> int:
    """Returns how many responses were decided (0 when the demo records are not there)."""
    provider = Organisation.objects.filter(ods_code=PROVIDER).first()
    if provider is None:
        return 0
    incidents = list(
        Event.objects.filter(event_type="1", visible_revision__isnull=False)
        .filter(organisation__in=[provider, *provider.children.all()])
        .select_related("organisation", "visible_revision", "statutory")
        .order_by("-created_at")
    )
    if len(incidents) < 3:
        return 0
    organisational = User.objects.get(email="provider.organisational@nhs.net")
    admin = User.objects.get(email="provider.admin@nhs.net")
    now = timezone.now()
    today = timezone.localdate()
    chosen: list[Event] = []

    def incident_before(days_ago: int) -> Event:
        """The newest incident recorded at least a day before a decision made `days_ago` days ago, so
        the demo's time from event to decision reads as a trust's would (a few days, not a year)."""
        latest = now - dt.timedelta(days=days_ago + 1)
        candidates = [event for event in incidents if event not in chosen]
        found = next((event for event in candidates if event.created_at <= latest), None)
        chosen.append(found or candidates[-1])
        return chosen[-1]

    engagement.executive_lead_designate(actor=admin, organisation=provider, email=admin.email)

    swarm = services.response_decide(
        actor=organisational,
        event=incident_before(20),
        kind="swarm",
        rationale="Low harm, learning is local to the ward: a huddle the same day.",
        decided_at=now - dt.timedelta(days=20),
    )
    services.response_answers_save(
        actor=organisational,
        response=swarm,
        data={
            "HuddleSummary": "A patient fell on the way back from the bathroom at night.",
            "SeipsEnvironment": "The corridor light was off to let patients sleep.",
            "Learning": "Low-level night lighting in corridors.",
        },
    )
    services.response_complete(actor=organisational, response=swarm)

    aar = services.response_decide(
        actor=organisational,
        event=incident_before(9),
        kind="aar",
        rationale="Moderate harm: the team wants to understand the handover.",
        decided_at=now - dt.timedelta(days=9),
    )
    services.response_answers_save(
        actor=organisational,
        response=aar,
        data={"Expected": "The evening dose to be given at 18:00.", "Actual": "It was given at 22:00."},
    )

    psii = services.response_decide(
        actor=organisational,
        event=incident_before(75),
        kind="psii",
        rationale="Chosen in line with our plan's priority for medication incidents with harm.",
        decided_at=now - dt.timedelta(days=75),
    )
    services.response_answers_save(
        actor=organisational,
        response=psii,
        data={
            "Scope": "Prescribing and administration of insulin on the ward over one night.",
            "Timeline": "18:00 dose due\n20:00 handover\n22:00 dose given",
            "Findings": "Two electronic prescribing screens showed different doses.",
            "SeipsWorkSystem": "Tools: the prescribing system; organisation: a single nurse at night.",
            "ReportSummary": "The dose was delayed because two screens disagreed.",
            "AreasForImprovement": "One source of truth for insulin doses.",
        },
    )
    services.response_submit_for_sign_off(actor=organisational, response=psii)

    owner = organisational.email
    for response, area, days_ago, due_in, strength in (
        (psii, "Insulin prescribing", 70, -10, "stronger"),
        (aar, "Handover of time-critical medicines", 40, -3, "intermediate"),
        (swarm, "Night lighting on wards", 15, 45, "stronger"),
    ):
        as_of = today - dt.timedelta(days=days_ago)
        actions.safety_action_create(
            actor=organisational,
            organisation=provider,
            response=response,
            today=as_of,
            values={
                "area_for_improvement": area,
                "action": f"Action on {area.lower()}",
                "owner_email": owner,
                "due_date": today + dt.timedelta(days=due_in),
                "measure": "Monthly audit by the ward manager",
                "strength": strength,
            },
        )

    plan = plans.plan_write(
        actor=admin,
        organisation=provider,
        summary="Our safety profile shows falls, medication and deterioration as our main risks.",
        data={
            "priority-1": "Falls with moderate harm or worse",
            "method-1": "aar",
            "priority-2": "Medication incidents with harm",
            "method-2": "psii",
            "priority-3": "Deterioration not recognised",
            "method-3": "thematic",
        },
    )
    plans.plan_step(actor=admin, plan=plan, step="submit")
    icb_admin = User.objects.get(email="icb.admin@nhs.net")
    if Organisation.objects.filter(ods_code=ICB).exists():
        plans.plan_step(actor=icb_admin, plan=plan, step="agree")
    return 3
