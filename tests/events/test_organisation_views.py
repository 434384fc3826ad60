"""Organisation screens: the dashboard (scope, filters, sorting, pages, queries), one record, changing
an answer, re-submitting, history, re-classification and statutory requirements."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.models import Event, EventStatus, RevisionAction
from events.organisation_services import event_organisation_resubmit
from events.views import organisation as organisation_views
from tests.events.questionnaire.helpers import OUTCOME, RISK, complete, journey
from tests.events.test_organisation_support import (
    RAW_DESCRIPTION,
    REDACTED_DESCRIPTION,
    finish_redaction,
    incident_answers,
    member,
    organisation_edits,
    processed_event,
    submitted_event,
)
from tests.factories import make_hierarchy

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("events:organisation_events")


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


@pytest.fixture
def recorder(hierarchy):
    return member(hierarchy["T1"], AccountType.STANDARD, first_name="Nia", last_name="Okafor")


@pytest.fixture
def reviewer(hierarchy, client):
    user = member(hierarchy["T1"], AccountType.ORGANISATIONAL, first_name="Priya", last_name="Patel")
    client.force_login(user)
    return user


def record_url(event, name="organisation_event", *args):
    return reverse(f"events:{name}", args=[event.reference, *args])


def references(response) -> list[str]:
    """The reference numbers listed in the table, in order."""
    return re.findall(r'<td class="govuk-table__cell">(\d{3}-\d{3}-\d{3})</td>', response.content.decode())


# -- the dashboard ----------------------------------------------------------------------------------
def test_the_dashboard_lists_processed_records_of_the_organisation_and_its_sites(
    client, reviewer, recorder, hierarchy
):
    own = processed_event(recorder, "T1")
    site = processed_event(recorder, "T1S")
    pending = submitted_event(recorder, incident_answers("T1"))
    sibling = processed_event(recorder, "T2")
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Selected organisation: Organisation T1 (T1)" in " ".join(body.split())
    assert (
        "Records will appear here once they have been processed to remove identifiable information." in body
    )
    shown = references(response)
    assert own.display_reference in shown and site.display_reference in shown
    assert pending.display_reference not in shown and sibling.display_reference not in shown
    assert "Medications" in body and "Nia Okafor" in body and "Recorder Submitted" in body


def test_icb_users_choose_whether_to_include_every_organisation_below(client, recorder, hierarchy):
    commissioner = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    client.force_login(commissioner)
    trust = processed_event(recorder, "T1")
    site = processed_event(recorder, "T1S")
    about_icb = processed_event(recorder, "Q1")
    unrelated = processed_event(recorder, "U1")
    everything = references(client.get(DASHBOARD))  # ICB members start with everything below
    assert {trust.display_reference, site.display_reference, about_icb.display_reference} <= set(everything)
    assert unrelated.display_reference not in everything
    only_icb = references(client.get(DASHBOARD, {"organisation": "Q1", "scope": "organisation"}))
    assert about_icb.display_reference in only_icb and trust.display_reference not in only_icb


def test_a_crafted_organisation_answers_404_and_shows_nothing(client, reviewer, recorder):
    unrelated = processed_event(recorder, "U1")
    response = client.get(DASHBOARD, {"organisation": "U1"})
    assert response.status_code == 404
    assert unrelated.display_reference not in response.content.decode()


def test_users_who_may_see_no_organisation_records_are_refused(client, hierarchy):
    client.force_login(member(hierarchy["T1"], AccountType.STANDARD))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("events:download")).status_code == 403


def test_text_search_finds_redacted_text_only(client, reviewer, recorder):
    insulin = processed_event(recorder, "T1")
    fall = processed_event(recorder, "T1", description="Jane Doe had a fall in the ward")
    assert references(client.get(DASHBOARD, {"q": "insulin"})) == [insulin.display_reference]
    assert references(client.get(DASHBOARD, {"q": "fall"})) == [fall.display_reference]
    assert references(client.get(DASHBOARD, {"q": "Jane"})) == []  # raw text is not searchable


def test_filters_narrow_the_list(client, reviewer, recorder):
    medication = processed_event(recorder, "T1")
    answers = incident_answers("T1", InvolvedAgents=["3"])
    answers["patients"][0]["PhysicalHarm"] = "1"
    device = processed_event(recorder, "T1", answers=complete(journey(answers)).prune())
    risk = processed_event(recorder, "T1", answers=complete(journey({"EventType": RISK})).prune())
    event_organisation_resubmit(event=medication, actor=reviewer, reviewed=True)
    Event.objects.filter(pk=risk.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    cases = [
        ({"category": "3"}, [device]),
        ({"category": ["3", "4"]}, [device, medication]),
        ({"event_type": RISK}, [risk]),
        ({"physical_harm": "1"}, [device]),
        ({"physical_harm": "5"}, [medication]),
        ({"psychological_harm": "4"}, [medication]),  # not asked after a fatal physical harm
        ({"status": EventStatus.REVIEWED}, [medication]),
        (_date("created_to", timezone.localdate() - dt.timedelta(days=30)), [risk]),
        (_date("created_from", timezone.localdate()), [device, medication]),
        (_date("event_to", timezone.localdate() - dt.timedelta(days=1)), []),
    ]
    for params, expected in cases:
        shown = references(client.get(DASHBOARD, params))
        assert shown == [event.display_reference for event in expected], params


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_an_impossible_date_is_reported_and_ignored(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    response = client.get(
        DASHBOARD, {"created_from_day": "31", "created_from_month": "2", "created_from_year": "2026"}
    )
    body = response.content.decode()
    assert "There is a problem" in body and "Created from must be a real date" in body
    assert 'href="#created_from_day"' in body
    assert event.display_reference in references(response)


def test_sorting_and_pages_keep_the_filter(client, reviewer, recorder, monkeypatch):
    monkeypatch.setattr(organisation_views, "EVENTS_PER_PAGE", 2)
    events = [processed_event(recorder, "T1") for _ in range(3)]
    other = processed_event(recorder, "T1", description="Jane Doe had a fall")
    for age, event in enumerate(reversed(events)):
        Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - dt.timedelta(hours=age + 1))
    first = client.get(DASHBOARD, {"q": "insulin", "sort": "created"})  # oldest first
    assert references(first) == [events[0].display_reference, events[1].display_reference]
    next_link = re.search(r'href="\?([^"]*page=2)"', first.content.decode()).group(1).replace("&amp;", "&")
    assert "q=insulin" in next_link and "sort=created" in next_link
    second = client.get(f"{DASHBOARD}?{next_link}")
    assert references(second) == [events[2].display_reference]
    assert other.display_reference not in references(second)
    download_link = re.search(
        r'href="(/organisation/events/download/\?[^"]*)"', first.content.decode()
    ).group(1)
    assert "q=insulin" in download_link


def test_column_headings_sort_and_say_how(client, reviewer, recorder):
    processed_event(recorder, "T1")
    body = client.get(DASHBOARD, {"sort": "-reference"}).content.decode()
    assert re.search(r'aria-sort="descending">\s*<a [^>]*href="\?sort=reference"', body)
    assert re.search(r'aria-sort="none">\s*<a [^>]*href="\?sort=-created"', body)
    for heading in (
        "Reference number",
        "Created on",
        "Created by",
        "Event date",
        "Event type",
        "Category of event",
        "Status",
    ):
        assert heading in body


@pytest.mark.parametrize(
    "sort", ["reference", "-created", "created_by", "event_date", "event_type", "category", "-status"]
)
def test_the_number_of_queries_does_not_grow_with_the_page(client, reviewer, recorder, sort):
    processed_event(recorder, "T1")
    with CaptureQueriesContext(connection) as one:
        client.get(DASHBOARD, {"sort": sort})
    for _ in range(6):
        processed_event(recorder, "T1S")
    with CaptureQueriesContext(connection) as seven:
        response = client.get(DASHBOARD, {"sort": sort})
    assert len(references(response)) == 7
    assert len(seven) == len(one)


# -- one record -------------------------------------------------------------------------------------
def test_the_record_shows_redacted_answers_with_change_links(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    body = client.get(record_url(event)).content.decode()
    assert REDACTED_DESCRIPTION in body and RAW_DESCRIPTION not in body
    assert "Nia Okafor, Organisation T1 (T1)" in " ".join(body.split())
    assert record_url(event, "organisation_question", "Description") in body
    assert "Tick this box to show that you have completed the review" in body
    assert "Re-Submit" in body and "Re-classify event" in body
    assert "Complete statutory and national policy requirements" not in body  # admins only
    assert "Statutory requirements" in body and "Not answered" in body  # read-only for them
    assert record_url(event, "organisation_history") in body


def test_free_text_is_escaped(client, reviewer, recorder):
    event = processed_event(recorder, "T1", description='<script>alert("x")</script> Jane Doe')
    body = client.get(record_url(event)).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; [PERSON 1]" in body


def test_anonymous_records_do_not_name_anyone(client, reviewer, recorder):
    event = processed_event(recorder, "T1", anonymous=True)
    body = client.get(record_url(event)).content.decode()
    assert "Recorded anonymously" in body and "Nia" not in body


def test_changing_an_answer_then_resubmitting_with_the_review(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    page = client.get(record_url(event, "organisation_question", "Description"))
    assert REDACTED_DESCRIPTION in page.content.decode()  # the form starts from the redacted text
    response = client.post(
        record_url(event, "organisation_question", "Description"), {"Description": "Reworded"}
    )
    assert response.status_code == 302 and response.url == record_url(event)
    body = client.get(record_url(event)).content.decode()
    assert "Reworded" in body and "You have changed answers that are not re-submitted yet" in body
    response = client.post(record_url(event, "organisation_resubmit"), {"reviewed": "yes"}, follow=True)
    assert f"Record {event.display_reference} has been reviewed." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEWED
    assert [r.action for r in event.revisions.order_by("number")] == [
        RevisionAction.SUBMITTED,
        RevisionAction.UPDATED,
        RevisionAction.REVIEWED,
    ]
    finish_redaction(event)
    assert "Reworded" in client.get(record_url(event)).content.decode()


def test_an_organisation_search_error_links_to_the_search_box(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    response = client.post(
        record_url(event, "organisation_question", "Organisation"),
        {"Organisation": "", "Organisation-search": "Nowhere General"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#Organisation-search">No organisation matches “Nowhere General”' in body
    assert 'value="Nowhere General"' in body  # what was typed is kept
    empty = client.post(record_url(event, "organisation_question", "Organisation"), {"Organisation": ""})
    assert 'href="#Organisation-search"' in empty.content.decode()  # not "#Organisation": no such box


def test_resubmitting_without_changes_or_the_tick_explains_why(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    response = client.post(record_url(event, "organisation_resubmit"))
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "There is a problem" in body and "A record cannot be submitted if no fields have been edited." in body
    )
    assert 'href="#reviewed"' in body


def test_a_record_being_processed_offers_no_actions(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    client.post(record_url(event, "organisation_question", "Description"), {"Description": "Reworded"})
    client.post(record_url(event, "organisation_resubmit"))
    body = client.get(record_url(event)).content.decode()
    assert "is being processed to remove identifiable information" in body
    assert "Re-Submit" not in body and "Change<" not in body and "Reworded" not in body
    response = client.post(
        record_url(event, "organisation_question", "Description"), {"Description": "Again"}
    )
    assert response.status_code == 302 and organisation_edits().count() == 0


def test_discarding_changes(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    client.post(record_url(event, "organisation_question", "Description"), {"Description": "Reworded"})
    response = client.post(record_url(event, "organisation_discard"), follow=True)
    assert "Your changes have been discarded." in response.content.decode()
    assert not organisation_edits().exists()


def test_a_change_walks_the_questions_it_opens_in_its_section(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    response = client.post(
        record_url(event, "organisation_question", "IncidentOccurredToday"), {"IncidentOccurredToday": "n"}
    )
    assert response.url == record_url(event, "organisation_question", "EventDate")


def test_questions_opened_in_other_sections_must_be_answered_before_resubmitting(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    response = client.post(
        record_url(event, "organisation_question", "InvolvedAgents"), {"InvolvedAgents": ["4", "3"]}
    )
    assert response.url == record_url(event)
    body = client.get(record_url(event)).content.decode()
    assert record_url(event, "organisation_question", "DeviceType") in body and "Not answered" in body
    refused = client.post(record_url(event, "organisation_resubmit"))
    assert (
        "Answer every question that is not marked (Optional) before you re-submit."
        in refused.content.decode()
    )


def test_the_event_type_is_changed_by_reclassification_only(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    assert client.get(record_url(event, "organisation_question", "EventType")).status_code == 404


def test_history_lists_every_action(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    event_organisation_resubmit(event=event, actor=reviewer, reviewed=True)
    body = client.get(record_url(event, "organisation_history")).content.decode()
    assert "Record history" in body and event.display_reference in body
    assert "Recorder Submitted" in body and "Reviewed" in body and "Priya Patel" in body


def test_reclassification_asks_for_confirmation_and_lists_what_is_dropped(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    choose = client.get(record_url(event, "organisation_reclassify"))
    assert "Re-classify event" in choose.content.decode()
    confirm = client.post(record_url(event, "organisation_reclassify"), {"event_type": OUTCOME})
    body = confirm.content.decode()
    assert "Re-classify this incident as outcome?" in body
    assert "What things were involved in what went wrong?" in body or "Involved" in body
    done = client.post(
        record_url(event, "organisation_reclassify"), {"event_type": OUTCOME, "confirm": "yes"}, follow=True
    )
    assert "has been re-classified as Outcome" in done.content.decode()
    event.refresh_from_db()
    assert event.event_type == OUTCOME


def test_reclassification_without_a_choice_is_an_error(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    body = client.post(record_url(event, "organisation_reclassify"), {}).content.decode()
    assert "There is a problem" in body and "Select the type of event" in body


# -- statutory requirements -------------------------------------------------------------------------
def test_admins_complete_the_statutory_requirements(client, recorder, hierarchy):
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    client.force_login(admin)
    event = processed_event(recorder, "T1")
    record = client.get(record_url(event)).content.decode()
    assert "Complete statutory and national policy requirements" in record
    form = client.get(record_url(event, "organisation_statutory")).content.decode()
    assert "Does this event require statutory notification to CQC?" in form
    assert "Does this event meet the national definition of a Never Event?" in form
    invalid = client.post(record_url(event, "organisation_statutory"), {"NeverEvent": "y"})
    assert "Select the type of Never Event" in invalid.content.decode()
    response = client.post(
        record_url(event, "organisation_statutory"),
        {"CqcNotify": "y", "CqcCriteria": ["1", "2"], "DutyOfCandour": "y", "NeverEvent": "n"},
        follow=True,
    )
    body = " ".join(response.content.decode().split())
    assert "The statutory and national policy requirements have been updated." in body
    assert re.search(r"Death of a service user\s*<br>\s*Serious injury of a service user", body)
    event.refresh_from_db()
    assert event.statutory.answers["DutyOfCandour"] == "y"
    history = client.get(record_url(event, "organisation_history")).content.decode()
    assert "Statutory and national policy requirements updated" in history


def test_the_statutory_form_shows_what_was_typed_again_and_the_stored_answers(client, recorder, hierarchy):
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    client.force_login(admin)
    event = processed_event(recorder, "T1")
    url = record_url(event, "organisation_statutory")
    invalid = client.post(
        url, {"NeverEvent": "y", "CqcNotify": "n", "CqcCriteria": ["3"], "DutyOfCandour": "x"}
    )
    body = " ".join(invalid.content.decode().split())
    assert '<a href="#DutyOfCandour">Select yes or no</a>' in body
    assert '<a href="#NeverEventType">Select the type of Never Event</a>' in body
    assert body.index("#DutyOfCandour") < body.index("#NeverEventType")  # in question order
    assert re.search(r'id="CqcCriteria-3"[^>]*value="3" checked', body)  # typed, though CQC is "No"
    assert re.search(r'id="NeverEvent"[^>]*value="y" checked', body)
    assert event.statutory_id is None

    client.post(url, {"CqcNotify": "y", "CqcCriteria": ["2", "4"]})
    form = " ".join(client.get(url).content.decode().split())
    assert re.search(r'id="CqcNotify"[^>]*value="y" checked', form)
    assert re.findall(r'value="(\d)" checked', form) == ["2", "4"]


def test_statutory_requirements_are_read_only_for_organisational_users(client, reviewer, recorder):
    event = processed_event(recorder, "T1")
    assert client.get(record_url(event, "organisation_statutory")).status_code == 403
    assert client.post(record_url(event, "organisation_statutory"), {"DutyOfCandour": "y"}).status_code == 403


def test_past_the_count_cap_the_list_says_more_than(client, reviewer, recorder, monkeypatch):
    monkeypatch.setattr(organisation_views, "COUNT_CAP", 3)
    monkeypatch.setattr(organisation_views, "EVENTS_PER_PAGE", 2)
    events = [processed_event(recorder, "T1") for _ in range(5)]
    first = client.get(DASHBOARD)
    body = " ".join(first.content.decode().split())
    assert "More than 3 events: add filters to see fewer" in body
    assert "Page 1 of more than 2" in body
    second = [events[2].display_reference, events[1].display_reference]
    assert references(client.get(DASHBOARD, {"page": "2"})) == second
    # No page past the cap: the last one offered is shown instead.
    assert references(client.get(DASHBOARD, {"page": "3"})) == second
    exact = client.get(DASHBOARD, {"q": "nothing like this"})
    assert "There are no events to show." in exact.content.decode()
