"""The load generator's LRMS payloads (bench/load/payloads.py): what the service records from them is one
event's date, medicine and patient, not one vendor payload's for every record of a run."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bench.load import payloads
from events.models import Event
from tests.events.fhir.checks import outcome
from tests.events.fhir.conftest import api, api_key, client_and_key, organisations, super_admin  # noqa: F401
from tests.events.fhir.payloads import PATH


def _sub(resource: dict, name: str) -> dict[str, object]:
    details = payloads._sub_extensions(resource, name)
    return {d["url"]: next(v for k, v in d.items() if k.startswith("value")) for d in details}


def _drawn(monkeypatch, *, day_back: int, told: int) -> dict:
    monkeypatch.setattr(payloads, "event_day", lambda: dt.date.today() - dt.timedelta(days=day_back))
    monkeypatch.setattr(payloads, "scenario", lambda: told)
    return payloads.lrms_payload("RJ1", "RJ121")


@pytest.mark.django_db
def test_an_event_of_an_earlier_day_is_recorded_on_that_day_without_a_warning(api, monkeypatch):  # noqa: F811
    resource = _drawn(monkeypatch, day_back=9, told=2)
    issues = outcome(api.post(PATH, resource, headers={"Prefer": "return=OperationOutcome"}), 201)
    event = Event.objects.get()
    assert event.event_date == dt.date.today() - dt.timedelta(days=9)
    assert not [issue for issue in issues if "was ignored" in str(issue)]


@pytest.mark.django_db
def test_an_event_of_today_is_recorded_today(api, monkeypatch):  # noqa: F811
    assert api.post(PATH, _drawn(monkeypatch, day_back=0, told=1)).status_code == 201
    assert Event.objects.get().event_date == dt.date.today()


@pytest.mark.django_db
def test_the_medicine_recorded_is_the_one_the_narrative_names(api, monkeypatch):  # noqa: F811
    resource = _drawn(monkeypatch, day_back=3, told=2)  # insulin omitted at teatime
    assert "Insulin" in resource["description"]
    assert api.post(PATH, resource).status_code == 201
    answers = Event.objects.get().revisions.get().answers
    assert answers["DrugsInvolved"] == "Insulin aspart"


def test_a_batch_spreads_over_days_medicines_and_patients():
    random.seed(7)
    drawn = [payloads.lrms_payload("RJ1", "RJ121") for _ in range(200)]
    days = {resource["date"] for resource in drawn}
    medicines = {_sub(resource, "adverse-event-agent")["DrugsInvolved"] for resource in drawn}
    today = {_sub(resource, "adverse-event-estimated-date")["IncidentOccurredToday"] for resource in drawn}
    patients = [_sub(resource["contained"][0], "patient-information") for resource in drawn]
    ages = {patient["AgeAtTimeOfIncidentDays"] for patient in patients}
    assert len(days) >= 20 and len(medicines) >= 10 and len(ages) >= 50
    assert today == {"y", "n"}
    for resource in drawn:  # "happened today" only for today's events: else the date would be ignored
        occurred_today = _sub(resource, "adverse-event-estimated-date")["IncidentOccurredToday"]
        assert (occurred_today == "y") == (resource["date"] == dt.date.today().isoformat())


def test_alike_payloads_are_the_vendor_payload_for_every_record(monkeypatch):
    monkeypatch.setattr(payloads, "ALIKE", True)
    drawn = [payloads.lrms_payload("RJ1", "RJ121") for _ in range(20)]
    assert {resource["date"] for resource in drawn} == {dt.date.today().isoformat()}
    medicines = {_sub(resource, "adverse-event-agent")["DrugsInvolved"] for resource in drawn}
    assert medicines == {"Morphine sulfate"}


def test_every_page_a_staff_recorder_posts_is_valid():
    from events.questionnaire import (
        REVIEW,
        Journey,
        form_data,
        latest_version,
        load_question_set,
        validate_answer,
    )

    question_set = load_question_set(latest_version())
    random.seed(3)
    for _ in range(20):
        answers = payloads.staff_answers()
        journey, page_id, pages = Journey(question_set, answers), "EventType", 0
        while page_id != REVIEW:
            question = journey.page(page_id).question
            number = page_id.split("-")[1] if page_id.startswith("patients-") else None
            scope = answers["patients"][int(number) - 1] if number else answers
            result = validate_answer(question, form_data(question, scope))
            assert not result.errors, (page_id, result.errors)
            page_id, pages = journey.next_page(page_id), pages + 1
        assert pages > 20


def test_staff_records_are_of_different_days_medicines_and_patients():
    random.seed(5)
    drawn = [payloads.staff_answers() for _ in range(100)]
    assert len({answers["EventDate"] for answers in drawn}) >= 15
    assert len({answers["DrugsInvolved"] for answers in drawn}) >= 10
    assert len({answers["patients"][0]["AgeAtTimeOfIncidentDays"] for answers in drawn}) >= 40
    assert all(dt.date.fromisoformat(answers["EventDate"]) < dt.date.today() for answers in drawn)
