"""Shared helpers for the question set tests: journeys, simple answers and a stale-answer oracle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from events.questionnaire import REVIEW, Journey, Kind, Page, QuestionSet, load_question_set
from events.questionnaire.conditions import selected_codes

QS = load_question_set("5")
INCIDENT, OUTCOME, RISK, GOOD_CARE = "1", "2", "3", "4"

SIMPLE_VALUES: dict[Kind, Any] = {
    Kind.TEXT: "Some text",
    Kind.DATE: "2024-03-01",
    Kind.MONTH_YEAR: "2024-03",
    Kind.TIME: "09:30",
    Kind.NUMBER: 1,
    Kind.AGE: 50 * 372,
    Kind.ORGANISATION: "RJ1",
    Kind.REFERENCE: "146-925-633",
}


def journey(answers: dict | None = None, *, anonymous: bool = False) -> Journey:
    return Journey(QS, answers or {}, anonymous=anonymous)


def simple_values(page: Page) -> dict[str, Any]:
    """A valid answer for a page: the first option (never another patient), fixed free values."""
    question = page.question
    if question.kind == Kind.MULTIPLE_CHOICE:
        value: Any = [question.codes[0]]
    elif question.kind in (Kind.SINGLE_CHOICE, Kind.SELECT):
        value = "n" if page.item and question.id == page.section.repeat.another else question.codes[0]
    else:
        value = SIMPLE_VALUES[question.kind]
    values = {question.id: value}
    for reveal in question.reveals_for(selected_codes(value)):
        values[reveal.id] = "Other details"
    return values


def complete(journey: Journey, choose: Callable[[Page], dict] = simple_values, limit: int = 1000) -> Journey:
    """Answer every page never answered, in route order, until the route reaches REVIEW."""
    for _ in range(limit):
        page_id = journey.resume_page()
        if page_id == REVIEW:
            return journey
        journey = journey.record(page_id, choose(journey.page(page_id)))
    raise AssertionError("the journey did not reach Review your answers")


def walk(journey: Journey, start: str = "EventType") -> list[str]:
    """Follow Continue from `start` until REVIEW; the pages visited, in order."""
    pages, page_id = [], start
    while page_id != REVIEW:
        pages.append(page_id)
        page_id = journey.next_page(page_id)
        assert len(pages) <= len(journey.route()), "next_page went round in a loop"
    return pages


class _Context:
    def __init__(self, question_set: QuestionSet, answers: dict, item: dict | None, anonymous: bool):
        event_type = question_set.event_type(answers.get("EventType"))
        self.event_type = event_type.key if event_type else None
        self.anonymous = anonymous
        self._qs, self._answers, self._item = question_set, answers, item

    def answer(self, question_id: str) -> Any:
        question = self._qs.question(question_id)
        return (self._item or {}).get(question_id) if question.group else self._answers.get(question_id)


def stale_keys(question_set: QuestionSet, answers: dict, *, anonymous: bool) -> list[str]:
    """Stored answers that should not be there, judged from the document's conditions directly."""
    event_type = question_set.event_type(answers.get("EventType"))
    stale = []
    for key, scope, item in _stored(question_set, answers):
        if not question_set.has_question(key):
            stale.append(key)
            continue
        question = question_set.question(key)
        parent = question_set.question(question.reveal_of) if question.reveal_of else question
        section = question_set.section(parent.section_id)
        context = _Context(question_set, answers, item, anonymous)
        checks = [
            bool(section.repeat) == (item is not None),
            not section.task_list
            or (
                event_type is not None
                and (section.event_types is None or event_type.key in section.event_types)
            ),
            section.when is None or section.when.holds(context),
            parent.event_types is None or (event_type is not None and event_type.key in parent.event_types),
            parent.when is None or parent.when.holds(context),
            not question.reveal_of or question.opened_by in selected_codes(scope.get(parent.id)),
        ]
        if not all(checks):
            stale.append(key)
    for group, repeat in question_set.groups().items():
        items = answers.get(group, [])
        if len(items) > repeat.max_items:
            stale.append(f"{group}: more than {repeat.max_items}")
        for number, item in enumerate(items[:-1], start=1):
            if item.get(repeat.another) != "y":
                stale.append(f"{group}-{number + 1}: the previous item did not open it")
    return stale


def _stored(question_set: QuestionSet, answers: dict) -> Iterator[tuple[str, dict, dict | None]]:
    groups = question_set.groups()
    for key, value in answers.items():
        if key in groups:
            for item in value:
                for item_key in item:
                    yield item_key, item, item
        else:
            yield key, answers, None
