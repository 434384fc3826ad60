"""The free text around responses (free_text.py): stored encrypted, read raw by its author and the
response team, "Awaiting redaction" for everyone else until the worker has run, then redacted. Here
the worker's job runs in the test process with the tests' stand-in pipeline (conftest.py); the real
worker and pipeline run in test_redaction_worker.py."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.responses import actions, engagement, free_text, plans, services
from events.responses.models import (
    EngagementEntry,
    Response,
    ResponseAuditEntry,
    ResponsePlan,
    SafetyAction,
    SafetyImprovementPlan,
)
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import executive_lead, incident, redact_pending

NAME = "Jane Doe"
REDACTED = "[PERSON 1]"


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    decider = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="decider@nhs.net")
    reader = member(hierarchy["T1"], AccountType.READ_ONLY)
    return hierarchy, recorder, decider, reader


def page(client, user, url) -> str:
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_rationale_is_encrypted_and_redacted_for_everyone_but_the_team(client, world):
    _hierarchy, recorder, decider, reader = world
    response = services.response_decide(
        actor=decider, event=incident(recorder), kind="aar", rationale=f"{NAME} was harmed"
    )
    assert NAME not in stored("responses_response", "rationale", response.pk)  # encrypted at rest
    url = reverse("responses:detail", args=[response.pk])
    assert f"{NAME} was harmed" in page(client, decider, url)
    before = page(client, reader, url)
    assert NAME not in before and "Awaiting redaction" in before
    assert redact_pending() >= 1
    after = page(client, reader, url)
    assert f"{REDACTED} was harmed" in after and NAME not in after
    assert f"{NAME} was harmed" in page(client, decider, url)


def test_referral_and_sign_off_notes_are_redacted_and_kept_out_of_the_audit_trail(client, world):
    hierarchy, recorder, decider, reader = world
    referral = services.response_decide(
        actor=decider, event=incident(recorder), kind="referral", rationale="MNSI", referral_body="MNSI"
    )
    services.referral_close(actor=decider, response=referral, note=f"MNSI spoke to {NAME}")
    psii = services.response_decide(actor=decider, event=incident(recorder), kind="psii", rationale="PSII")
    data = {key: key for key in ("Scope", "Timeline", "Findings", "ReportSummary", "AreasForImprovement")}
    services.response_answers_save(actor=decider, response=psii, data=data)
    services.response_submit_for_sign_off(actor=decider, response=psii)
    services.response_sign_off(
        actor=executive_lead(hierarchy["T1"]), response=psii, decision="return", note=f"Ask {NAME}"
    )
    assert not ResponseAuditEntry.objects.filter(detail__icontains="Doe").exists()
    assert all(NAME not in str(entry.detail) for entry in ResponseAuditEntry.objects.all())
    for response, shown in ((referral, "MNSI spoke to"), (psii, "Ask")):
        url = reverse("responses:detail", args=[response.pk])
        assert f"{shown} {NAME}" in page(client, decider, url)
        assert "Awaiting redaction" in page(client, reader, url)
    redact_pending()
    for response, shown in ((referral, "MNSI spoke to"), (psii, "Ask")):
        text = page(client, reader, reverse("responses:detail", args=[response.pk]))
        assert f"{shown} {REDACTED}" in text and NAME not in text


def test_a_safety_actions_text_is_raw_for_its_readers_and_redacted_for_others(client, world):
    hierarchy, _recorder, decider, reader = world
    owner = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    other_manager = member(hierarchy["T1"], AccountType.ADMIN)
    action = actions.safety_action_create(
        actor=decider,
        organisation=hierarchy["T1"],
        values={
            "area_for_improvement": f"Falls of {NAME}",
            "action": f"Tell {NAME}",
            "owner_email": "owner@nhs.net",
            "due_date": timezone.localdate() + dt.timedelta(days=30),
            "measure": "Audit",
            "strength": "weaker",
        },
    )
    for column in ("area_for_improvement", "action"):
        assert NAME not in stored("responses_safetyaction", column, action.pk)
    url = reverse("responses:action", args=[action.pk])
    register = reverse("responses:register") + "?organisation=T1"
    for raw_reader in (decider, owner):
        assert f"Falls of {NAME}" in page(client, raw_reader, url)
        assert f"Falls of {NAME}" in page(client, raw_reader, register)
    for other in (reader, other_manager):
        assert NAME not in page(client, other, url) and "Awaiting redaction" in page(client, other, register)
    redact_pending()
    text = page(client, other_manager, url)
    assert f"Falls of {REDACTED}" in text and f"Tell {REDACTED}" in text and NAME not in text
    # Editing shows the raw text: another manager reads it redacted and may not post changes.
    assert 'name="area_for_improvement"' not in text
    client.force_login(other_manager)
    assert client.post(url, {"area_for_improvement": "x"}).status_code == 403
    # A change by a reader of the raw text makes it await redaction again.
    actions.safety_action_update(
        actor=owner,
        action=action,
        values={
            "area_for_improvement": f"Falls of {NAME} again",
            "action": f"Tell {NAME}",
            "owner_email": "owner@nhs.net",
            "due_date": action.due_date,
            "measure": "Audit",
            "strength": "weaker",
        },
    )
    assert SafetyAction.objects.get(pk=action.pk).redacted_texts is None
    assert "Awaiting redaction" in page(client, reader, url)


def test_a_safety_improvement_plans_description_is_redacted_for_others(client, world):
    hierarchy, _recorder, decider, reader = world
    plan = actions.safety_plan_create(
        actor=decider, organisation=hierarchy["T1"], title="Falls", description=f"After {NAME} fell"
    )
    assert NAME not in stored("responses_safetyimprovementplan", "description", plan.pk)
    url = reverse("responses:safety_plans") + "?organisation=T1"
    assert f"After {NAME} fell" in page(client, decider, url)
    assert "Awaiting redaction" in page(client, reader, url)
    redact_pending()
    assert f"After {REDACTED} fell" in page(client, reader, url)
    assert SafetyImprovementPlan.objects.get(pk=plan.pk).redacted_texts == {
        "description": f"After {REDACTED} fell"
    }


def test_engagement_notes_are_raw_for_the_team_and_redacted_on_the_response_page(client, world):
    _hierarchy, recorder, decider, reader = world
    response = services.response_decide(actor=decider, event=incident(recorder), kind="aar", rationale="AAR")
    entry = engagement.engagement_record(
        actor=decider,
        response=response,
        kind="meeting",
        happened_on=timezone.localdate(),
        note=f"Met {NAME}",
    )
    assert NAME not in stored("responses_engagemententry", "note", entry.pk)
    assert f"Met {NAME}" in page(client, decider, reverse("responses:engagement", args=[response.pk]))
    url = reverse("responses:detail", args=[response.pk])
    assert NAME not in page(client, reader, url)
    redact_pending()
    assert f"Met {REDACTED}" in page(client, reader, url)
    assert EngagementEntry.objects.get(pk=entry.pk).redacted_texts == {"note": f"Met {REDACTED}"}


def test_the_plan_is_published_redacted_and_its_note_is_redacted_for_the_organisation(client, world):
    hierarchy, _recorder, _decider, _reader = world
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    other_admin = member(hierarchy["T1"], AccountType.ADMIN)
    icb_admin = member(hierarchy["Q1"], AccountType.ADMIN)
    data = {"priority-1": f"Falls like {NAME}'s", "method-1": "aar"}
    plan = plans.plan_write(actor=admin, organisation=hierarchy["T1"], summary=f"Since {NAME}", data=data)
    assert NAME not in stored("responses_responseplan", "summary", plan.pk)
    assert NAME not in stored("responses_responseplan", "priorities", plan.pk)
    plans.plan_step(actor=admin, plan=plan, step="submit")
    plans.plan_step(actor=icb_admin, plan=plan, step="return", note=f"Name {NAME} less")
    url = reverse("responses:plan", args=[plan.pk])
    assert f"Since {NAME}" in page(client, admin, url)  # its author
    assert f"Name {NAME} less" in page(client, icb_admin, url)  # the note's author
    for other in (other_admin, icb_admin):
        assert f"Since {NAME}" not in page(client, other, url)
    assert f"Name {NAME} less" not in page(client, admin, url)
    redact_pending()
    assert f"Name {REDACTED} less" in page(client, admin, url)
    assert f"Since {REDACTED}" in page(client, icb_admin, url)
    # A new version by another admin starts from the redacted text, never the raw one.
    form = page(client, other_admin, reverse("responses:plans") + "?organisation=T1")
    assert NAME not in form and f"Since {REDACTED}" in form
    plan.refresh_from_db()
    plans.plan_step(actor=admin, plan=plan, step="submit")
    plans.plan_step(actor=icb_admin, plan=plan, step="agree")
    client.logout()
    public = client.get(reverse("responses:public_plan", args=["T1"])).content.decode()
    assert f"Since {REDACTED}" in public and f"Falls like {REDACTED}" in public and NAME not in public


def test_a_stale_run_is_dropped_and_the_sweep_queues_what_was_left(world, monkeypatch):
    _hierarchy, recorder, decider, _reader = world
    response = services.response_decide(actor=decider, event=incident(recorder), kind="aar", rationale="AAR")
    changed_at = Response.objects.get(pk=response.pk).texts_changed_at
    Response.objects.filter(pk=response.pk).update(texts_changed_at=changed_at + dt.timedelta(seconds=1))
    monkeypatch.setattr(
        "events.responses.free_text.raw_texts",
        lambda instance: (
            Response.objects.filter(pk=instance.pk).update(texts_changed_at=timezone.now()),
            {"rationale": "AAR"},
        )[1],
    )
    assert not free_text.free_text_redact("response", response.pk)  # changed while it ran: dropped
    queued = []
    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", lambda *args: queued.append(args))
    assert free_text.free_text_sweep() == 0  # too recent
    assert free_text.free_text_sweep(now=timezone.now() + dt.timedelta(minutes=6)) >= 1
    assert ("response", response.pk) in queued
    assert ResponsePlan.objects.count() == 0


def test_the_writer_of_a_note_outside_the_team_reads_it_raw(client, world):
    hierarchy, recorder, decider, reader = world
    psii = services.response_decide(actor=decider, event=incident(recorder), kind="psii", rationale="PSII")
    data = {key: key for key in ("Scope", "Timeline", "Findings", "ReportSummary", "AreasForImprovement")}
    services.response_answers_save(actor=decider, response=psii, data=data)
    services.response_submit_for_sign_off(actor=decider, response=psii)
    executive = executive_lead(hierarchy["T1"])  # not on the response team
    services.response_sign_off(actor=executive, response=psii, decision="return", note=f"Ask {NAME}")
    url = reverse("responses:detail", args=[psii.pk])
    assert f"Ask {NAME}" in page(client, executive, url)
    assert "Awaiting redaction" in page(client, reader, url) and "Awaiting redaction" in page(
        client, executive, url
    )


def action_values(**changes):
    return {
        "area_for_improvement": f"Falls of {NAME}",
        "action": f"Tell {NAME}",
        "owner_email": "owner@nhs.net",
        "due_date": timezone.localdate() + dt.timedelta(days=30),
        "measure": "Audit",
        "strength": "weaker",
        **changes,
    }


def test_only_raw_readers_change_a_safety_action_in_the_service_too(world):
    """The page hides the form from managers who read the action redacted; the service refuses them
    as well (they would post back redacted or "Awaiting redaction" text over the stored text)."""
    hierarchy, _recorder, decider, _reader = world
    member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    other_manager = member(hierarchy["T1"], AccountType.ADMIN)
    action = actions.safety_action_create(actor=decider, organisation=hierarchy["T1"], values=action_values())
    with pytest.raises(services.NotAllowed):
        actions.safety_action_update(
            actor=other_manager, action=action, values=action_values(area_for_improvement="[PERSON 1]")
        )
    assert SafetyAction.objects.get(pk=action.pk).area_for_improvement == f"Falls of {NAME}"
    actions.safety_action_update(actor=decider, action=action, values=action_values(measure="Monthly"))
    assert SafetyAction.objects.get(pk=action.pk).measure == "Monthly"


def test_who_reads_raw_text_and_engagement_is_the_policys_answer(client, world, monkeypatch):
    """readers.py and the selectors ask the policy: with its raw-text and engagement rules refusing
    everyone, even the response team reads redacted text and cannot open engagement."""
    from accounts.permissions import RULES, Action

    hierarchy, recorder, decider, _reader = world
    response = services.response_decide(
        actor=decider, event=incident(recorder), kind="aar", rationale=f"{NAME} was harmed"
    )
    engagement.engagement_record(
        actor=decider, response=response, kind="meeting", happened_on=timezone.localdate(), note=f"Met {NAME}"
    )
    member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    action = actions.safety_action_create(actor=decider, organisation=hierarchy["T1"], values=action_values())
    redact_pending()
    url = reverse("responses:detail", args=[response.pk])
    assert f"{NAME} was harmed" in page(client, decider, url)
    monkeypatch.setitem(RULES, Action.READ_RESPONSE_FREE_TEXT_UNREDACTED, lambda user, target: False)
    monkeypatch.setitem(RULES, Action.VIEW_RESPONSE_ENGAGEMENT, lambda user, target: False)
    text = page(client, decider, url)
    assert NAME not in text and f"{REDACTED} was harmed" in text
    assert client.get(reverse("responses:engagement", args=[response.pk])).status_code == 403
    action_page = page(client, decider, reverse("responses:action", args=[action.pk]))
    assert NAME not in action_page and 'name="area_for_improvement"' not in action_page
    with pytest.raises(services.NotAllowed):
        actions.safety_action_update(actor=decider, action=action, values=action_values(measure="x"))


def test_a_broker_outage_keeps_the_change_and_the_sweep_backs_off(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """Queueing after the commit is robust: the saved change stands when the broker is down, and the
    sweep, oldest change first, queues it later; what it queued it does not queue again for a while."""
    _hierarchy, recorder, decider, _reader = world

    def broker_down(*args):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # they run, and fail
        first = services.response_decide(actor=decider, event=incident(recorder), kind="aar", rationale="One")
        second = services.response_decide(
            actor=decider, event=incident(recorder), kind="aar", rationale="Two"
        )
    assert len(callbacks) >= 2
    assert Response.objects.get(pk=first.pk).rationale == "One"  # saved, not rolled back
    now = timezone.now()
    Response.objects.filter(pk=first.pk).update(texts_changed_at=now - dt.timedelta(minutes=20))
    Response.objects.filter(pk=second.pk).update(texts_changed_at=now - dt.timedelta(minutes=40))
    queued = []
    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", lambda *args: queued.append(args))
    assert free_text.free_text_sweep(now=now) == 2
    assert queued == [("response", second.pk), ("response", first.pk)]  # the oldest change first
    assert free_text.free_text_sweep(now=now + dt.timedelta(minutes=5)) == 0  # queued recently
    assert free_text.free_text_sweep(now=now + free_text.REQUEUE_AFTER + dt.timedelta(seconds=1)) == 2
    # A sweep that cannot reach the broker marks nothing: the next one queues the records again.
    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", broker_down)
    later = now + 3 * free_text.REQUEUE_AFTER
    assert free_text.free_text_sweep(now=later) == 0  # logged, not raised (tests below)
    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", lambda *args: queued.append(args))
    assert free_text.free_text_sweep(now=later + dt.timedelta(minutes=5)) == 2


def test_an_update_through_an_object_read_before_the_worker_ran_keeps_the_redacted_text(world):
    """The page (or the API) reads the action, the worker stores its redacted text, then the update
    saves: only the fields it sets are written, so the redacted text stays."""
    hierarchy, _recorder, decider, _reader = world
    member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    created = actions.safety_action_create(
        actor=decider, organisation=hierarchy["T1"], values=action_values()
    )
    stale = SafetyAction.objects.get(pk=created.pk)
    assert stale.redacted_texts is None
    assert free_text.free_text_redact("safety_action", created.pk)
    updated = actions.safety_action_update(
        actor=decider, action=stale, values=action_values(status="in_progress")
    )
    stored_now = SafetyAction.objects.get(pk=created.pk)
    assert stored_now.status == "in_progress"
    assert stored_now.redacted_texts["action"] == f"Tell {REDACTED}"
    assert updated.redacted_texts == stored_now.redacted_texts
    audit = ResponseAuditEntry.objects.filter(action="safety_action_updated").get()
    assert (audit.from_status, audit.to_status) == ("not_started", "in_progress")


def test_a_refused_move_leaves_the_response_as_it_was_stored(client, world):
    """The lifecycle refuses closing a closed referral: the new note is neither saved nor set on the
    response the page goes on to show."""
    _hierarchy, recorder, decider, _reader = world
    referral = services.response_decide(
        actor=decider, event=incident(recorder), kind="referral", rationale="MNSI", referral_body="MNSI"
    )
    services.referral_close(actor=decider, response=referral, note="First note")
    referral = Response.objects.get(pk=referral.pk)
    changed_at = referral.texts_changed_at
    with pytest.raises(services.Problems):
        services.referral_close(actor=decider, response=referral, note="Second note")
    assert referral.referral_note == "First note" and referral.texts_changed_at == changed_at
    assert Response.objects.get(pk=referral.pk).referral_note == "First note"
    client.force_login(decider)
    refused = client.post(
        reverse("responses:move", args=[referral.pk]), {"step": "close_referral", "note": "Third"}
    )
    text = refused.content.decode()
    # The stored note shows as the note; the refused one only as "what you typed was not saved".
    assert 'data-testid="referral-note">First note</dd>' in text
    assert 'data-testid="not-saved"' in text and text.count("Third") == 1


def test_a_decider_who_moved_to_the_icb_reads_the_response_and_its_action_redacted(client, world):
    """The team relation reads raw only while its holder is a member of the response's organisation:
    a decider who left the trust for the ICB above oversees the response, redacted."""
    from accounts.models import Membership

    hierarchy, recorder, decider, _reader = world
    response = services.response_decide(
        actor=decider, event=incident(recorder), kind="aar", rationale=f"{NAME} was harmed"
    )
    member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    action = actions.safety_action_create(
        actor=decider, organisation=hierarchy["T1"], response=response, values=action_values()
    )
    redact_pending()
    url = reverse("responses:detail", args=[response.pk])
    action_url = reverse("responses:action", args=[action.pk])
    assert f"{NAME} was harmed" in page(client, decider, url)
    assert f"Falls of {NAME}" in page(client, decider, action_url)
    Membership.objects.filter(user=decider, organisation=hierarchy["T1"]).delete()
    member_of_icb = member(hierarchy["Q1"], AccountType.ORGANISATIONAL, email="elsewhere@nhs.net")
    Membership.objects.filter(user=member_of_icb).update(user=decider)
    text = page(client, decider, url)
    assert NAME not in text and f"{REDACTED} was harmed" in text
    action_page = page(client, decider, action_url)
    assert NAME not in action_page and f"Falls of {REDACTED}" in action_page


def test_a_safety_actions_owner_is_a_member_of_the_organisation_not_a_super_admin(world):
    """The owner reads the action's text raw, so is a member of the organisation who reads its
    responses: neither a super admin by that status nor a member of the ICB above."""
    from tests.factories import UserFactory

    hierarchy, _recorder, decider, _reader = world
    UserFactory(email="admin@nhs.net", is_super_admin=True)
    member(hierarchy["Q1"], AccountType.ADMIN, email="icb@nhs.net")
    for email in ("admin@nhs.net", "icb@nhs.net"):
        with pytest.raises(services.Problems) as refused:
            actions.safety_action_create(
                actor=decider, organisation=hierarchy["T1"], values=action_values(owner_email=email)
            )
        assert "owner" in refused.value.problems
    member(hierarchy["T1"], AccountType.READ_ONLY, email="reads@nhs.net")
    assert (
        actions.safety_action_create(
            actor=decider, organisation=hierarchy["T1"], values=action_values(owner_email="reads@nhs.net")
        ).owner.email
        == "reads@nhs.net"
    )


def test_the_sweep_logs_a_broker_error_and_goes_on_to_the_next_kind(world, monkeypatch, caplog):
    hierarchy, recorder, decider, _reader = world
    response = services.response_decide(actor=decider, event=incident(recorder), kind="aar", rationale="One")
    member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    action = actions.safety_action_create(actor=decider, organisation=hierarchy["T1"], values=action_values())
    now = timezone.now()
    for model in (Response, SafetyAction):
        model.objects.update(texts_changed_at=now - dt.timedelta(minutes=20), redacted_texts=None)
    queued = []

    def broker_refuses_responses(kind, pk):
        if kind == "response":
            raise ConnectionError("broker unreachable")
        queued.append((kind, pk))

    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", broker_refuses_responses)
    with caplog.at_level("ERROR", logger="events.responses.free_text"):
        assert free_text.free_text_sweep(now=now) == 1
    assert queued == [("safety_action", action.pk)]
    assert "could not queue response" in caplog.text
    assert Response.objects.get(pk=response.pk).texts_queued_at is None  # the next sweep tries again
    assert SafetyAction.objects.get(pk=action.pk).texts_queued_at == now


def test_a_new_change_is_not_held_back_by_an_earlier_sweeps_queueing(world, monkeypatch):
    """The sweep queued the record a minute ago; a new change's own queueing is lost: the sweep after
    SWEEP_AFTER takes it, not REQUEUE_AFTER later."""
    hierarchy, recorder, decider, _reader = world
    referral = services.response_decide(
        actor=decider, event=incident(recorder), kind="referral", rationale="r", referral_body="MNSI"
    )
    response = services.response_decide(actor=decider, event=incident(recorder), kind="aar", rationale="r")
    entry = engagement.engagement_record(
        actor=decider, response=response, kind="meeting", happened_on=timezone.localdate(), note="Met"
    )
    member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="owner@nhs.net")
    action = actions.safety_action_create(actor=decider, organisation=hierarchy["T1"], values=action_values())
    earlier = timezone.now() - dt.timedelta(minutes=1)
    for model in (Response, EngagementEntry, SafetyAction):
        model.objects.update(texts_queued_at=earlier)
    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", lambda *args: None)  # lost
    services.referral_close(actor=decider, response=referral, note="Closed by MNSI")  # change_values
    engagement.engagement_entry_update(
        actor=decider,
        response=response,
        entry=entry,
        kind="meeting",
        happened_on=timezone.localdate(),
        note="Met again",
    )  # change
    actions.safety_action_update(actor=decider, action=action, values=action_values(measure="Re-audit"))
    for record in (Response.objects.get(pk=referral.pk), EngagementEntry.objects.get(pk=entry.pk)):
        assert record.texts_queued_at is None, record
    assert SafetyAction.objects.get(pk=action.pk).texts_queued_at is None  # changed
    queued = []
    monkeypatch.setattr("events.responses.tasks.redact_free_text.delay", lambda *args: queued.append(args))
    free_text.free_text_sweep(now=timezone.now() + free_text.SWEEP_AFTER + dt.timedelta(seconds=1))
    assert {("response", referral.pk), ("engagement", entry.pk), ("safety_action", action.pk)} <= set(queued)


def test_change_values_queues_through_the_one_on_commit_queueing(world, monkeypatch):
    _hierarchy, recorder, decider, _reader = world
    referral = services.response_decide(
        actor=decider, event=incident(recorder), kind="referral", rationale="r", referral_body="MNSI"
    )
    calls = []
    monkeypatch.setattr(free_text, "_queue_on_commit", calls.append)
    values = free_text.change_values(referral, referral_note="Closed")
    assert calls == [referral]
    assert values["texts_queued_at"] is None and values["redacted_texts"] is None
