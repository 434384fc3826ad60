"""Property-based tests: random valid paths reach the review page and never keep stale answers."""

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.questionnaire import REVIEW, Journey, Status, form_data, validate_answer
from events.questionnaire.conditions import selected_codes

from .helpers import QS, complete, stale_keys, walk
from .strategies import answer_value, page_values

EVENT_TYPES = [event_type.code for event_type in QS.event_types]
PATH_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def random_path(data, event_type, anonymous) -> Journey:
    start = Journey(QS, {"EventType": event_type}, anonymous=anonymous)
    return complete(start, lambda page: data.draw(page_values(page), label=page.id))


def assert_consistent(journey: Journey, anonymous: bool) -> None:
    answers = journey.prune()
    assert stale_keys(QS, answers, anonymous=anonymous) == []
    again = Journey(QS, answers, anonymous=anonymous)
    assert again.prune() == answers  # pruning twice changes nothing
    assert again.route() == journey.route()
    route = journey.route()
    assert route[0] == "EventType"
    assert len(set(route)) == len(route)
    for before, after in itertools.pairwise(route):
        assert journey.next_page(before) == after
        assert journey.previous_page(after) == before


@PATH_SETTINGS
@given(data=st.data(), event_type=st.sampled_from(EVENT_TYPES), anonymous=st.booleans())
def test_random_valid_paths_reach_review_with_nothing_stale(data, event_type, anonymous):
    journey = random_path(data, event_type, anonymous)
    assert journey.is_complete()
    assert walk(journey) == journey.route()
    assert journey.next_page(journey.route()[-1]) == REVIEW
    assert all(item.status == Status.COMPLETED for item in journey.task_list())
    assert_consistent(journey, anonymous)
    review_pages = {row.page_id for section in journey.review() for row in section.rows}
    assert review_pages <= set(journey.route())


@PATH_SETTINGS
@given(data=st.data(), event_type=st.sampled_from(EVENT_TYPES), anonymous=st.booleans())
def test_random_changes_drop_stale_answers_and_the_change_flow_returns_to_review(data, event_type, anonymous):
    journey = random_path(data, event_type, anonymous)
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        changed = data.draw(st.sampled_from(journey.route()), label="change")
        was_complete = _section_status(journey, changed) in (Status.COMPLETED, None)
        journey = journey.record(changed, data.draw(page_values(journey.page(changed)), label=changed))
        assert_consistent(journey, anonymous)
        # the web layer walks the pages the change opened, then returns to the review page
        section = journey.page(changed).section
        assert all(journey.page(page).section is section for page in journey.change_pages(changed))
        page_id = journey.next_page(changed, mode="change")
        while page_id != REVIEW:
            journey = journey.record(page_id, data.draw(page_values(journey.page(page_id)), label=page_id))
            page_id = journey.next_page(page_id, mode="change")
        assert journey.change_pages(changed) == []
        if was_complete and section.task_list:
            assert _section_status(journey, changed) == Status.COMPLETED
    journey = complete(journey, lambda page: data.draw(page_values(page), label=page.id))
    assert journey.is_complete()
    assert walk(journey) == journey.route()
    assert_consistent(journey, anonymous)


def _section_status(journey: Journey, page_id: str) -> Status | None:
    section_id = journey.page(page_id).section.id
    return next((item.status for item in journey.task_list() if item.section_id == section_id), None)


ALL_QUESTIONS = list(QS.questions())


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data(), question=st.sampled_from(ALL_QUESTIONS))
def test_stored_answers_survive_a_round_trip_through_the_form(data, question):
    value = data.draw(answer_value(question, item=1 if question.group else None))
    scope = {question.id: value}
    for reveal in question.reveals_for(selected_codes(value)):
        scope[reveal.id] = data.draw(answer_value(reveal))
    event_type = QS.event_type(data.draw(st.sampled_from(EVENT_TYPES)))
    result = validate_answer(
        question, form_data(question, scope), event_type=event_type, today=dt.date(2026, 1, 1)
    )
    assert result.ok, result.errors
    assert result.values == scope
