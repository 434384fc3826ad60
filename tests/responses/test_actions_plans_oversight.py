"""Safety actions and their reminders, response plans (PSIRP) from writing to the public page, and
the oversight figures, board report and national register."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.responses import actions, plans, services
from events.responses.models import ResponseAuditEntry, SafetyAction
from events.responses.oversight import national_register, oversight_figures, psii_timeliness
from events.responses.tasks import overdue_reminders_task
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import incident, redact_pending


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    organisational = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    return hierarchy, recorder, organisational


def values(**overrides):
    return {
        "area_for_improvement": "Insulin prescribing",
        "action": "Remove free-text doses",
        "owner_email": "owner@nhs.net",
        "due_date": timezone.localdate() + dt.timedelta(days=30),
        "measure": "Monthly audit",
        "strength": "stronger",
        **overrides,
    }


def test_an_action_is_created_updated_and_audited(world):
    hierarchy, _, organisational = world
    action = actions.safety_action_create(
        actor=organisational, organisation=hierarchy["T1S"], values=values()
    )
    assert action.organisation == hierarchy["T1"]  # a site's actions are its trust's
    with pytest.raises(services.Problems) as problem:
        actions.safety_action_update(actor=organisational, action=action, values=values(status="completed"))
    assert problem.value.problems == {"evidence": "Enter the evidence that the action is complete"}
    actions.safety_action_update(
        actor=organisational, action=action, values=values(status="completed", evidence="Audit: 0 errors")
    )
    trail = ResponseAuditEntry.objects.filter(safety_action=action).order_by("id")
    assert [(e.action, e.from_status, e.to_status) for e in trail] == [
        ("safety_action_created", "", "not_started"),
        ("safety_action_updated", "not_started", "completed"),
    ]
    assert trail.last().detail == {"changed": ["evidence", "status"]}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_date": dt.date(2020, 1, 1)}, "due_date", "The due date must be today or in the future"),
        ({"owner_email": ""}, "owner", "Enter the email address of the action's owner"),
        (
            {"owner_email": "ghost@nhs.net"},
            "owner",
            "No one with the email address ghost@nhs.net has an account",
        ),
        ({"strength": "strongest"}, "strength", "Select the strength of the action"),
        ({"measure": ""}, "measure", "Enter how its effectiveness will be measured"),
    ],
)
def test_bad_actions_are_refused_with_a_clear_message(world, overrides, field, message):
    hierarchy, _, organisational = world
    with pytest.raises(services.Problems) as problem:
        actions.safety_action_create(
            actor=organisational, organisation=hierarchy["T1"], values=values(**overrides)
        )
    assert problem.value.problems[field].startswith(message)
    assert not SafetyAction.objects.exists()


def test_an_owner_outside_the_organisation_is_refused(world):
    hierarchy, _, organisational = world
    member(hierarchy["U1"], AccountType.ADMIN, email="elsewhere@nhs.net")
    with pytest.raises(services.Problems, match="is not a member of"):
        actions.safety_action_create(
            actor=organisational, organisation=hierarchy["T1"], values=values(owner_email="elsewhere@nhs.net")
        )


def test_read_only_users_may_not_add_actions(world):
    hierarchy, _, _ = world
    with pytest.raises(services.NotAllowed):
        actions.safety_action_create(
            actor=member(hierarchy["T1"], AccountType.READ_ONLY),
            organisation=hierarchy["T1"],
            values=values(),
        )


def test_overdue_owners_are_reminded_once_a_week_by_the_beat_task(
    world, mailoutbox, settings, django_capture_on_commit_callbacks
):
    hierarchy, _, organisational = world
    first = actions.safety_action_create(actor=organisational, organisation=hierarchy["T1"], values=values())
    second = actions.safety_action_create(
        actor=organisational, organisation=hierarchy["T1"], values=values(area_for_improvement="Falls")
    )
    done = actions.safety_action_create(
        actor=organisational, organisation=hierarchy["T1"], values=values(area_for_improvement="Done")
    )
    past = timezone.localdate() - dt.timedelta(days=2)
    SafetyAction.objects.filter(pk__in=[first.pk, second.pk, done.pk]).update(due_date=past)
    SafetyAction.objects.filter(pk=done.pk).update(status="completed")
    assert "responses.overdue_reminders" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_task() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["owner@nhs.net"]
    assert mailoutbox[0].subject.endswith("2 safety actions overdue")
    assert (
        "Insulin prescribing" in mailoutbox[0].body
        and "Falls" in mailoutbox[0].body
        and "Done" not in mailoutbox[0].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_task() == 0  # not again within the week
    assert ResponseAuditEntry.objects.filter(action="overdue_reminder_sent").count() == 2


def test_the_overdue_reminder_queues_ids_only_and_the_worker_renders_it(
    world, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    """The beat process puts only the owner's id, the actions' ids and the date in the queue (no free
    text at rest in the broker); the worker reads the actions and renders the email."""
    from events.responses import notifications

    hierarchy, _, organisational = world
    action = actions.safety_action_create(
        actor=organisational,
        organisation=hierarchy["T1"],
        values=values(area_for_improvement="Falls of Jane Doe"),
    )
    SafetyAction.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    queued = []
    monkeypatch.setattr(
        "events.responses.tasks.send_overdue_reminder.delay", lambda *args: queued.append(args)
    )
    monkeypatch.setattr("events.responses.tasks.send_emails.delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_task() == 1
    assert mailoutbox == []
    assert queued == [(action.owner_id, [action.pk], timezone.localdate().isoformat())]
    assert notifications.overdue_reminder_send(*queued[0]) == 1
    assert mailoutbox[0].to == ["owner@nhs.net"] and "Falls of Jane Doe" in mailoutbox[0].body


def test_the_worker_checks_again_that_the_owner_may_read_and_the_actions_are_open(
    world, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    """Between the queueing and the worker's run an action may be completed, or its owner leave the
    organisation: the worker leaves out what no longer qualifies and sends nothing if nothing does."""
    from accounts.models import Membership
    from events.responses import notifications

    hierarchy, _, organisational = world
    done, still_open = (
        actions.safety_action_create(
            actor=organisational, organisation=hierarchy["T1"], values=values(area_for_improvement=area)
        )
        for area in ("Done by Jane Doe", "Open for John Roe")
    )
    past = timezone.localdate() - dt.timedelta(days=2)
    SafetyAction.objects.filter(pk__in=[done.pk, still_open.pk]).update(due_date=past)
    queued = []
    monkeypatch.setattr(
        "events.responses.tasks.send_overdue_reminder.delay", lambda *args: queued.append(args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_task() == 1
    SafetyAction.objects.filter(pk=done.pk).update(status="completed")
    assert notifications.overdue_reminder_send(*queued[0]) == 1
    assert mailoutbox[0].subject.endswith("1 safety action overdue")
    assert "Open for John Roe" in mailoutbox[0].body and "Jane Doe" not in mailoutbox[0].body
    Membership.objects.filter(user_id=still_open.owner_id).delete()  # the owner leaves the trust
    assert notifications.overdue_reminder_send(*queued[0]) == 0
    assert len(mailoutbox) == 1


def test_a_plan_is_written_submitted_returned_agreed_and_published(world, client):
    hierarchy, _, _ = world
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    icb_admin = member(hierarchy["Q1"], AccountType.ADMIN)
    with pytest.raises(services.Problems) as problem:
        plans.plan_write(actor=admin, organisation=hierarchy["T1"], summary="", data={"priority-1": "Falls"})
    assert problem.value.problems == {
        "summary": "Enter a summary of the plan",
        "method-1": "Select the planned response method for priority 1",
    }
    data = {
        "priority-1": "Falls with harm",
        "method-1": "aar",
        "priority-2": "Never Events",
        "method-2": "psii",
    }
    first = plans.plan_write(actor=admin, organisation=hierarchy["T1"], summary="Our plan", data=data)
    with pytest.raises(services.NotAllowed):
        plans.plan_step(actor=admin, plan=first, step="agree")  # the provider does not agree its own plan
    with pytest.raises(services.Problems, match="A plan that is draft cannot be agreed"):
        plans.plan_step(actor=icb_admin, plan=first, step="agree")
    plans.plan_step(actor=admin, plan=first, step="submit")
    with pytest.raises(services.NotAllowed):
        plans.plan_step(actor=member(hierarchy["Q1"], AccountType.ORGANISATIONAL), plan=first, step="agree")
    with pytest.raises(services.Problems) as problem:
        plans.plan_step(actor=icb_admin, plan=first, step="return")
    assert problem.value.problems == {"note": "Enter what the organisation needs to change"}
    plans.plan_step(actor=icb_admin, plan=first, step="return", note="Add maternity")
    assert client.get(reverse("responses:public_plan", args=["T1"])).status_code == 404
    second = plans.plan_write(actor=admin, organisation=hierarchy["T1"], summary="Our plan, v2", data=data)
    plans.plan_step(actor=admin, plan=second, step="submit")
    plans.plan_step(actor=icb_admin, plan=second, step="agree")
    page = client.get(reverse("responses:public_plan", args=["T1"]))
    assert "Awaiting redaction" in page.content.decode() and "Our plan, v2" not in page.content.decode()
    redact_pending()  # the worker's job, after the commit
    page = client.get(reverse("responses:public_plan", args=["T1"]))
    assert (
        page.status_code == 200
        and "Our plan, v2" in page.content.decode()
        and "Version 2" in page.content.decode()
    )
    assert [e.action for e in ResponseAuditEntry.objects.filter(plan__isnull=False).order_by("id")] == [
        "plan_written", "plan_submitted", "plan_returned", "plan_written", "plan_submitted", "plan_agreed",
    ]  # fmt: skip


def test_psii_timeliness_bands():
    from types import SimpleNamespace

    now = timezone.now()
    band = lambda days, signed=None: psii_timeliness(  # noqa: E731
        SimpleNamespace(decided_at=now - dt.timedelta(days=days), signed_off_at=signed), now
    )
    assert band(60) == "within_3_months" and band(120) == "within_6_months" and band(200) == "beyond_6_months"
    assert band(200, signed=now - dt.timedelta(days=150)) == "within_3_months"


def test_oversight_board_report_and_national_register(world, client):
    hierarchy, recorder, organisational = world
    never = incident(recorder, statutory={"NeverEvent": "y", "NeverEventType": "3"})
    psii = services.response_decide(actor=organisational, event=never, kind="psii", rationale="Never Event")
    services.response_decide(
        actor=organisational, event=incident(recorder), kind="none", rationale="Low harm"
    )

    figures = oversight_figures(None)
    assert dict(figures["mix"])["Patient safety incident investigation (PSII)"] == 1
    assert dict(figures["mix"])["No further response"] == 1 and figures["open_psii"] == 1
    assert figures["decision_days_median"] is not None

    icb = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    client.force_login(icb)
    page = client.get(reverse("responses:oversight") + "?organisation=Q1&scope=below")
    assert page.status_code == 200 and "Organisation T1" in page.content.decode()
    report = client.get(reverse("responses:board_report_csv") + "?organisation=T1")
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert ["Response types", "Patient safety incident investigation (PSII)", "1"] in rows
    client.force_login(member(hierarchy["Q2"], AccountType.ADMIN))
    assert client.get(reverse("responses:board_report") + "?organisation=T1").status_code == 403

    assert list(national_register(organisational)) == []
    super_admin = member(hierarchy["T1"], AccountType.STANDARD, is_super_admin=True)
    assert list(national_register(super_admin)) == [psii]
    client.force_login(super_admin)
    page = client.get(reverse("responses:national_register"))
    assert page.status_code == 200 and never.display_reference in page.content.decode()
    client.force_login(organisational)
    assert client.get(reverse("responses:national_register")).status_code == 403


def test_the_databases_timeliness_counts_agree_with_the_rule_for_one_response(world):
    """oversight_figures counts PSII timeliness in SQL; psii_timeliness says it for one response."""
    from events.responses.models import Response

    _hierarchy, recorder, organisational = world
    now = timezone.now()
    cases = [
        (40, None),
        (100, None),
        (200, None),
        (200, 60),
        (200, 150),
        (200, 10),
    ]  # (decided, signed) days ago
    for decided, signed in cases:
        psii = services.response_decide(
            actor=organisational,
            event=incident(recorder),
            kind="psii",
            rationale="x",
            decided_at=now - dt.timedelta(days=decided),
        )
        if signed is not None:
            Response.objects.filter(pk=psii.pk).update(signed_off_at=now - dt.timedelta(days=signed))
    expected = {"Within 3 months": 0, "3 to 6 months": 0, "Beyond 6 months": 0}
    from events.responses.oversight import TIMELINESS_LABELS

    for response in Response.objects.all():
        expected[TIMELINESS_LABELS[psii_timeliness(response, now)]] += 1
    figures = oversight_figures(None)
    assert (
        dict(figures["timeliness"])
        == expected
        == {"Within 3 months": 2, "3 to 6 months": 2, "Beyond 6 months": 2}
    )
    assert figures["decision_days_median"] is not None
