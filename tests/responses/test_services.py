"""Deciding, recording, signing off and engaging, through the services (events/responses/services.py),
on the real hierarchy and real records: the policy decides, bad input gets its message and changes
nothing, every state change is audited."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AccountType
from events.responses import engagement, services
from events.responses.lifecycle import IllegalTransition, ResponseAction, response_move
from events.responses.models import (
    AffectedPerson,
    RedactionState,
    Response,
    ResponseAuditEntry,
    ResponseLink,
    ResponseStatus,
)
from events.responses.selectors import awaiting_decision, candour_clocks, response_detail, working_days_after
from events.visibility import scope_for
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import executive_lead, fatal_patient, incident


@pytest.fixture
def world(db, monkeypatch):
    # The redaction worker is the pipeline's job (tested in tests/anonymisation); here it replaces
    # the one name the tests use, as tests/events do for records.
    monkeypatch.setattr(
        "events.responses.redaction.redact_texts",
        lambda texts: {key: value.replace("Jane Doe", "[PERSON 1]") for key, value in texts.items()},
    )
    monkeypatch.setattr("events.responses.redaction_queue.response_redaction_queue", redact_on_commit)
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    organisational = member(
        hierarchy["T1"], AccountType.ORGANISATIONAL, first_name="Priya", last_name="Patel"
    )
    return hierarchy, recorder, organisational


def redact_on_commit(response):
    from django.db import transaction

    from events.responses.redaction import response_redact

    transaction.on_commit(lambda: response_redact(response.pk))


def decide(actor, event, kind="aar", **fields):
    return services.response_decide(
        actor=actor, event=event, kind=kind, rationale=fields.pop("rationale", "Because"), **fields
    )


def test_a_decision_takes_the_incident_out_of_the_queue_and_is_audited(world):
    _hierarchy, recorder, organisational = world
    event = incident(recorder)
    scope = scope_for(organisational, "T1", None)
    assert list(awaiting_decision(organisational, scope)) == [event]
    response = decide(organisational, event, "swarm", rationale="A huddle on the ward today")
    assert list(awaiting_decision(organisational, scope)) == []
    assert (response.status, response.lead, response.decided_by) == (
        ResponseStatus.IN_PROGRESS,
        organisational,
        organisational,
    )
    entry = ResponseAuditEntry.objects.get(response=response)
    assert (entry.action, entry.actor, entry.to_status) == ("decided", organisational, "in_progress")


@pytest.mark.parametrize(
    ("column", "allowed"),
    [
        (AccountType.ORGANISATIONAL, True),
        (AccountType.ADMIN, True),
        (AccountType.READ_ONLY, False),
        (AccountType.STANDARD, False),
    ],
)
def test_who_may_decide_is_the_policys_answer(world, column, allowed):
    hierarchy, recorder, _ = world
    event = incident(recorder)
    actor = member(hierarchy["T1"], column)
    if allowed:
        assert decide(actor, event).pk
    else:
        with pytest.raises(services.NotAllowed):
            decide(actor, event)
        assert not Response.objects.exists()


def test_an_icb_member_oversees_but_does_not_decide_a_providers_incident(world):
    hierarchy, recorder, _ = world
    event = incident(recorder)
    with pytest.raises(services.NotAllowed):
        decide(member(hierarchy["Q1"], AccountType.ADMIN), event)


def test_bad_input_is_refused_field_by_field_and_writes_nothing(world):
    hierarchy, recorder, organisational = world
    event = incident(recorder)
    with pytest.raises(services.Problems) as problem:
        services.response_decide(actor=organisational, event=event, kind="", rationale=" ")
    assert problem.value.problems == {
        "kind": "Select the response",
        "rationale": "Enter why this response was chosen",
    }
    with pytest.raises(services.Problems) as problem:
        decide(organisational, event, "referral")
    assert problem.value.problems == {"referral_body": "Enter the body the incident is referred to"}
    with pytest.raises(services.Problems) as problem:
        decide(organisational, event, "aar", lead_email="nobody@nhs.net")
    assert "lead" in problem.value.problems
    standard = member(hierarchy["T1"], AccountType.STANDARD, email="plain@nhs.net")
    with pytest.raises(services.Problems) as problem:
        decide(organisational, event, "aar", lead_email=standard.email)
    assert "need organisational or admin access" in problem.value.problems["lead"]
    with pytest.raises(services.Problems) as problem:
        decide(organisational, event, "thematic")
    assert "linked" in problem.value.problems
    assert not Response.objects.exists() and not ResponseAuditEntry.objects.exists()


def test_a_record_has_one_decision(world):
    _, recorder, organisational = world
    event = incident(recorder)
    decide(organisational, event)
    with pytest.raises(services.Problems, match="already been decided"):
        decide(organisational, event, "swarm")


def test_a_never_event_requires_a_psii_and_a_maternity_case_a_tracked_referral(world):
    _, recorder, organisational = world
    never = incident(recorder, statutory={"NeverEvent": "y", "NeverEventType": "1", "HsibNotify": "y"})
    with pytest.raises(services.Problems, match="requires a patient safety incident investigation"):
        decide(organisational, never, "aar")
    response = decide(organisational, never, "psii")
    assert response.requirements == ["never_event", "maternity"] and response.is_never_event
    referral = Response.objects.exclude(pk=response.pk).get()
    assert (referral.kind, referral.status, referral.referral_body) == (
        "referral", "referred", "Maternity and Newborn Safety Investigations (MNSI)",
    )  # fmt: skip
    assert set(ResponseLink.objects.values_list("response_id", "event_id", "is_primary")) == {
        (response.pk, never.pk, True),
        (referral.pk, never.pk, False),
    }


def test_a_death_in_care_requires_a_psii(world):
    _, recorder, organisational = world
    event = incident(recorder)
    revision = event.visible_revision
    revision.redacted_answers = {**revision.redacted_answers, **fatal_patient()}
    revision.save(update_fields=["redacted_answers"])  # what the rules read: the published answers
    event.refresh_from_db()
    with pytest.raises(services.Problems, match="Death thought more likely than not"):
        decide(organisational, event, "swarm")


def test_a_thematic_review_links_several_records(world):
    _, recorder, organisational = world
    first, second, third = (incident(recorder) for _ in range(3))
    response = decide(organisational, first, "thematic", linked_events=[second, third])
    assert set(response.links.values_list("event_id", flat=True)) == {first.pk, second.pk, third.pk}


def test_the_document_is_saved_redacted_for_others_and_completed(world, django_capture_on_commit_callbacks):
    hierarchy, recorder, organisational = world
    response = decide(organisational, incident(recorder), "aar")
    with django_capture_on_commit_callbacks(execute=True):
        services.response_answers_save(
            actor=organisational, response=response, data={"Expected": "Jane Doe to get her insulin"}
        )
    response.refresh_from_db()
    assert response.redaction == RedactionState.COMPLETE
    assert response.answers == {"Expected": "Jane Doe to get her insulin"}
    assert response.redacted_answers == {"Expected": "[PERSON 1] to get her insulin"}
    reader = member(hierarchy["T1"], AccountType.READ_ONLY)
    assert response_detail(reader, response)["answers"] == {"Expected": "[PERSON 1] to get her insulin"}
    assert response_detail(organisational, response)["answers"]["Expected"].startswith("Jane Doe")
    with pytest.raises(services.Problems) as problem:
        services.response_complete(actor=organisational, response=response)
    assert set(problem.value.problems) == {"Actual", "Difference", "Learned"}
    assert Response.objects.get(pk=response.pk).status == "in_progress"
    with django_capture_on_commit_callbacks(execute=True):
        services.response_answers_save(
            actor=organisational,
            response=response,
            data={"Expected": "a", "Actual": "b", "Difference": "c", "Learned": "d"},
        )
    services.response_complete(actor=organisational, response=response)
    assert Response.objects.get(pk=response.pk).status == "completed"
    with pytest.raises(services.Problems, match="not allowed on a response that is completed"):
        services.response_answers_save(actor=organisational, response=response, data={"Expected": "x"})


def test_a_stale_redaction_does_not_overwrite_a_newer_save(world):
    _, recorder, organisational = world
    response = decide(organisational, incident(recorder), "aar")
    services.response_answers_save(actor=organisational, response=response, data={"Expected": "first"})
    from events.responses.lifecycle import response_redaction_publish

    stale = response.answers_changed_at - dt.timedelta(seconds=1)
    assert not response_redaction_publish(response_id=response.pk, changed_at=stale, redacted_answers={})
    assert Response.objects.get(pk=response.pk).redaction == RedactionState.PENDING


def test_only_the_response_team_records_the_document(world):
    hierarchy, recorder, organisational = world
    response = decide(organisational, incident(recorder), "aar")
    colleague = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="colleague@nhs.net")
    with pytest.raises(services.NotAllowed):
        services.response_answers_save(actor=colleague, response=response, data={"Expected": "x"})
    services.response_team_add(actor=organisational, response=response, email="colleague@nhs.net")
    services.response_answers_save(actor=colleague, response=response, data={"Expected": "x"})


def test_a_psii_is_signed_off_only_by_the_executive_lead_then_shared(world):
    hierarchy, recorder, organisational = world
    never = incident(recorder, statutory={"NeverEvent": "y", "NeverEventType": "1"})
    response = decide(organisational, never, "psii")
    data = {key: key for key in ("Scope", "Timeline", "Findings", "ReportSummary", "AreasForImprovement")}
    services.response_answers_save(actor=organisational, response=response, data=data)
    services.response_submit_for_sign_off(actor=organisational, response=response)
    admin_without_role = member(hierarchy["T1"], AccountType.ADMIN)
    with pytest.raises(services.Problems, match="Only the organisation's PSIRF executive lead"):
        services.response_sign_off(actor=admin_without_role, response=response, decision="sign_off")
    lead = executive_lead(hierarchy["T1"])
    with pytest.raises(services.Problems) as problem:
        services.response_sign_off(actor=lead, response=response, decision="return")
    assert problem.value.problems == {
        "note": "Enter what needs to change before the report can be signed off"
    }
    services.response_sign_off(actor=lead, response=response, decision="return", note="More on staffing")
    assert Response.objects.get(pk=response.pk).status == "in_progress"
    services.response_submit_for_sign_off(actor=organisational, response=response)
    services.response_sign_off(actor=lead, response=response, decision="sign_off")
    services.response_share_with_icb(actor=organisational, response=response)
    response.refresh_from_db()
    assert (response.status, response.signed_off_by) == ("shared_with_icb", lead)
    trail = ResponseAuditEntry.objects.filter(response=response).order_by("id")
    assert list(trail.values_list("action", flat=True)) == [
        "decided", "answers_saved", "submitted_for_sign_off", "returned", "submitted_for_sign_off",
        "signed_off", "shared_with_icb",
    ]  # fmt: skip


def test_the_lifecycle_refuses_whoever_asks(world):
    _, recorder, organisational = world
    response = decide(organisational, incident(recorder), "none")
    assert response.status == "closed"
    with pytest.raises(IllegalTransition):
        response_move(response, ResponseAction.ANSWERS_SAVED, actor=organisational)


def test_engagement_is_the_teams_and_contact_details_are_encrypted(world):
    hierarchy, recorder, organisational = world
    response = decide(organisational, incident(recorder), "aar")
    engagement.affected_person_add(
        actor=organisational,
        response=response,
        role="family",
        name="Jane Doe",
        contact="07700 900123",
        preferences="Evenings",
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select details from responses_affectedperson")
        stored = cursor.fetchone()[0]
    assert "Jane" not in stored and "07700" not in stored
    assert AffectedPerson.objects.get().details["name"] == "Jane Doe"
    reader = member(hierarchy["T1"], AccountType.READ_ONLY)
    assert response_detail(reader, response)["people"] == []
    entry = ResponseAuditEntry.objects.get(action="affected_person_added")
    assert "Jane" not in str(entry.detail)
    with pytest.raises(services.Problems) as problem:
        engagement.engagement_record(
            actor=organisational,
            response=response,
            kind="meeting",
            happened_on=timezone.localdate() + dt.timedelta(days=1),
            note="",
        )
    assert problem.value.problems == {"happened_on": "The date it happened must be today or in the past"}


def test_the_duty_of_candour_clocks(world):
    monday = dt.date(2026, 11, 30)
    assert working_days_after(monday, 10) == dt.date(2026, 12, 14)
    notification, written = candour_clocks(monday, None, None, today=dt.date(2026, 12, 15))
    assert (notification.state, notification.text) == (
        "overdue",
        "Notification: overdue since 14 December 2026",
    )
    assert written.text == "Written follow-up: not yet due"
    notification, written = candour_clocks(monday, dt.date(2026, 12, 1), None, today=dt.date(2026, 12, 2))
    assert notification.state == "done" and written.text == "Written follow-up: due by 15 December 2026"
    _, recorder, organisational = world
    response = decide(organisational, incident(recorder), "aar")
    with pytest.raises(services.Problems) as problem:
        engagement.candour_record(
            actor=organisational, response=response, notified_on=None, written_on=dt.date(2026, 1, 1)
        )
    assert "notified_on" in problem.value.problems
