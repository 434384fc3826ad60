"""With the real Redis, a real Celery worker and the real pipeline: a learning response's free text is
redacted on the worker after the save commits, and only the response team reads the original."""

import pytest

from accounts.models import AccountType
from events.responses import services
from events.responses.models import RedactionState, Response
from events.responses.selectors import response_detail
from tests.anonymisation.test_worker_faults import wait_for
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import incident

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TEXT = "Staff nurse Aoife Brennan phoned the daughter on 07700 900123 about the missed dose."


def test_the_document_is_redacted_on_the_worker(celery_worker):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    lead = member(hierarchy["T1"], AccountType.ORGANISATIONAL)
    response = services.response_decide(
        actor=lead, event=incident(recorder), kind="aar", rationale="Handover"
    )
    services.response_answers_save(actor=lead, response=response, data={"Actual": TEXT})

    def redacted() -> bool:
        return Response.objects.filter(pk=response.pk, redaction=RedactionState.COMPLETE).exists()

    assert wait_for(redacted, 120), "the worker did not redact the learning response"
    response.refresh_from_db()
    shown = response.redacted_answers["Actual"]
    assert "Brennan" not in shown and "07700 900123" not in shown and "missed dose" in shown
    reader = member(hierarchy["T1"], AccountType.READ_ONLY)
    assert response_detail(reader, response)["answers"]["Actual"] == shown
    assert response_detail(lead, response)["answers"]["Actual"] == TEXT


def test_the_rationale_actions_and_plan_text_are_redacted_on_the_worker(celery_worker):
    import datetime as dt

    from django.utils import timezone

    from events.responses import actions, plans
    from events.responses.models import ResponsePlan, SafetyAction

    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    lead = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="lead@nhs.net")
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    response = services.response_decide(actor=lead, event=incident(recorder), kind="aar", rationale=TEXT)
    action = actions.safety_action_create(
        actor=lead,
        organisation=hierarchy["T1"],
        response=response,
        values={
            "area_for_improvement": "Insulin doses",
            "action": TEXT,
            "owner_email": "lead@nhs.net",
            "due_date": timezone.localdate() + dt.timedelta(days=30),
            "measure": "Audit",
            "strength": "weaker",
        },
    )
    plan = plans.plan_write(
        actor=admin, organisation=hierarchy["T1"], summary=TEXT, data={"priority-1": TEXT, "method-1": "aar"}
    )

    def redacted() -> bool:
        return all(
            model.objects.filter(pk=pk, redacted_texts__isnull=False).exists()
            for model, pk in ((Response, response.pk), (SafetyAction, action.pk), (ResponsePlan, plan.pk))
        )

    assert wait_for(redacted, 120), "the worker did not redact the free text"
    for shown in (
        Response.objects.get(pk=response.pk).redacted_texts["rationale"],
        SafetyAction.objects.get(pk=action.pk).redacted_texts["action"],
        ResponsePlan.objects.get(pk=plan.pk).redacted_texts["summary"],
        ResponsePlan.objects.get(pk=plan.pk).redacted_texts["priority-1"],
    ):
        assert "Brennan" not in shown and "07700 900123" not in shown and "missed dose" in shown
    reader = member(hierarchy["T1"], AccountType.READ_ONLY)
    detail = response_detail(reader, Response.objects.get(pk=response.pk))
    assert (
        "Brennan" not in detail["shown"]["rationale"]
        and "Brennan" not in detail["actions"][0].shown["action"]
    )
    assert response_detail(lead, Response.objects.get(pk=response.pk))["shown"]["rationale"] == TEXT
