"""The journey through a question set, recomputed from the answers alone.

A `Journey` is cheap and immutable: build one per request from the stored answers, ask it where to
go, and build a new one (`record`) after each page is saved. Visibility is worked out in one pass in
document order; conditions only ever look at earlier answers that are themselves still visible, so
the pass also yields the pruned answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from .conditions import is_answered, selected_codes
from .display import answer_lines
from .model import EventType, Question, QuestionSet, Section
from .validation import FieldError, PageResult, submitted_fields, validate_answer

REVIEW = "review"  # the destination after the last page: "Review your answers"
TASK_LIST = "task-list"  # where section-by-section navigation returns to

EVENT_TYPE = "EventType"  # the first page: "What do you want to record?"

Mode = Literal["journey", "section", "change"]


class PageNotFound(KeyError):
    """The page id is not on the current route (hidden by an answer, or never existed)."""


class Status(StrEnum):
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Page:
    """One question on its own page, worded for the event type being recorded."""

    id: str  # stable and URL-safe: "InvolvedAgents", "patients-2-PhysicalHarm"
    question: Question
    section: Section
    item: int | None  # 1-based item number inside a repeated group (patients)
    event_type: EventType | None

    @property
    def text(self) -> str:
        return self.question.text.render(self.event_type)

    @property
    def hint(self) -> str:
        return self.question.hint.render(self.event_type) if self.question.hint else ""

    @property
    def caption(self) -> str:
        """The caption above the question: "Patient 2" in a repeated group, else the section title."""
        if self.item is not None:
            return f"{self.section.repeat.item_label} {self.item}"
        return self.section.title.render(self.event_type)

    @property
    def optional(self) -> bool:
        return self.question.is_optional(self.event_type)

    @property
    def keys(self) -> tuple[str, ...]:
        """Answer keys saved from this page: the question and its conditional reveals."""
        return (self.question.id, *(reveal.id for reveal in self.question.reveals))


@dataclass(frozen=True)
class TaskListItem:
    section_id: str
    title: str
    status: Status
    first_page: str | None  # None while the section cannot start


@dataclass(frozen=True)
class ReviewRow:
    question_id: str
    label: str
    value: tuple[str, ...]  # display lines: labels not codes, formatted dates and ages
    page_id: str  # where "Change" goes
    caption: str  # "Patient 1" for rows of a repeated group, else ""
    answered: bool


@dataclass(frozen=True)
class ReviewSection:
    section_id: str
    title: str
    rows: tuple[ReviewRow, ...]


class _Scope:
    """Condition context: group answers first (same item), then top-level answers."""

    def __init__(self, journey: Journey, top: dict, item: dict | None, group_ids: frozenset[str]):
        self.event_type = journey.event_type.key if journey.event_type else None
        self.anonymous = journey.anonymous
        self._top, self._item, self._group_ids = top, item, group_ids

    def answer(self, question_id: str) -> Any:
        if self._item is not None and question_id in self._group_ids:
            return self._item.get(question_id)
        return self._top.get(question_id)


class Journey:
    """Where someone is in a question set, given their answers and whether they are anonymous.

    `event_type` is the type (code or key) of the record the questions are about, for a question set
    that does not ask it (the statutory requirements are asked about a recorded event); an
    `EventType` answer, when there is one, decides.
    """

    def __init__(
        self,
        question_set: QuestionSet,
        answers: Mapping[str, Any] | None = None,
        *,
        anonymous: bool = False,
        organisation_name: Callable[[str], str | None] | None = None,
        event_type: str | None = None,
    ):
        self.question_set = question_set
        self.anonymous = anonymous
        self._organisation_name = organisation_name
        self._record_event_type = event_type
        source = dict(answers or {})
        answered = _as_code(source.get(EVENT_TYPE))
        self.event_type: EventType | None = question_set.event_type(answered or event_type)
        self._pages: list[Page] = []
        self._positions: dict[str, int] = {}
        self._visible: set[tuple[str, int | None]] = set()
        self._sections: list[Section] = []
        self._kept: dict[str, Any] = {}
        self._walk(source)

    # -- route ------------------------------------------------------------------------------------
    def route(self) -> list[str]:
        """Every visible page, in order, starting with the event type page."""
        return [page.id for page in self._pages]

    def pages(self) -> tuple[Page, ...]:
        return tuple(self._pages)

    def page(self, page_id: str) -> Page:
        try:
            return self._pages[self._positions[page_id]]
        except KeyError:
            raise PageNotFound(page_id) from None

    def next_page(self, current: str, *, mode: Mode = "journey") -> str:
        """The page after `current`.

        journey: the next visible page, then REVIEW.
        section: the next page of the same section, then TASK_LIST.
        change:  the next page of the same section still needing an answer, then REVIEW
                 (after a Change link: walk the questions the change opened, then go back).
        """
        index = self._position(current)
        section = self._pages[index].section
        for page in self._pages[index + 1 :]:
            if mode == "journey":
                return page.id
            if page.section is not section:
                break
            if mode == "section" or self._needs_answer(page):
                return page.id
        return TASK_LIST if mode == "section" else REVIEW

    def previous_page(self, current: str, *, mode: Mode = "journey") -> str | None:
        """Where Back goes: the previous visible page on the route taken.

        From REVIEW it is the last page. At the start of a section, `section` mode goes back to
        TASK_LIST and `change` mode to REVIEW; before the first page there is nothing (None).
        """
        if current == REVIEW:
            return self._pages[-1].id
        index = self._position(current)
        if index == 0:
            return None
        previous = self._pages[index - 1]
        if mode == "journey" or previous.section is self._pages[index].section:
            return previous.id
        return TASK_LIST if mode == "section" else REVIEW

    def change_pages(self, changed_page: str) -> list[str]:
        """Pages after a changed one, in its section, that are visible and still need an answer."""
        index = self._position(changed_page)
        section = self._pages[index].section
        pages = []
        for page in self._pages[index + 1 :]:
            if page.section is not section:
                break
            if self._needs_answer(page):
                pages.append(page.id)
        return pages

    def resume_page(self) -> str:
        """Where to continue a draft: the first page still needing an answer, else REVIEW."""
        return next((page.id for page in self._pages if self._needs_answer(page)), REVIEW)

    def visible(self, question_id: str, item: int | None = None) -> bool:
        """Whether a question (or a reveal) is currently asked; `item` is the 1-based group item."""
        return (question_id, item) in self._visible

    # -- answers ----------------------------------------------------------------------------------
    def prune(self) -> dict[str, Any]:
        """The answers with everything no longer visible dropped (a fresh copy)."""
        return copy_answers(self._kept)

    def values(self, page_id: str) -> dict[str, Any]:
        """The stored answers for a page's keys (to fill in its form again)."""
        page = self.page(page_id)
        scope = self._scope_of(self._kept, page, create=False)
        return {key: copy_answers(scope[key]) for key in page.keys if key in scope}

    def validate(self, page_id: str, data: Mapping[str, Any], *, today=None) -> PageResult:
        """Turn a page's submitted form fields into typed answers, or errors (see validation)."""
        return validate_answer(self.page(page_id).question, data, event_type=self.event_type, today=today)

    def validate_all(self, data: Mapping[str, Any], *, today=None) -> PageResult:
        """Validate a form that asks every question at once (the statutory requirements page).

        Starting from no answers, each visible question is validated in route order and its valid
        answer recorded before the next is looked at, so a follow-up is checked (and required) only
        when the answer before it opens it, and dropped otherwise. `values` are the pruned answers
        without the optional questions left empty (on a single form, empty is not a decision);
        `data` holds what was typed for every question, shown or not, to fill the form again.
        """
        journey = self._with({})
        errors: list[FieldError] = []
        done: set[str] = set()
        while (page := next((p for p in journey._pages if p.id not in done), None)) is not None:
            done.add(page.id)
            result = journey.validate(page.id, data, today=today)
            if result.ok:
                journey = journey.record(page.id, result.values)
            else:
                errors.extend(result.errors)
        typed = {
            name: value
            for question in self.question_set.questions()
            for name, value in submitted_fields(question, data).items()
        }
        values = {} if errors else {key: v for key, v in journey.prune().items() if v is not None}
        return PageResult(values=values, errors=tuple(errors), data=typed)

    def record(self, page_id: str, values: Mapping[str, Any]) -> Journey:
        """A new journey with a page's answers replaced by `values`, and stale answers pruned."""
        page = self.page(page_id)
        unknown = set(values) - set(page.keys)
        if unknown:
            raise ValueError(f"{sorted(unknown)} are not answers on page {page_id}")
        answers = copy_answers(self._kept)
        scope = self._scope_of(answers, page, create=True)
        for key in page.keys:
            scope.pop(key, None)
        scope.update(copy_answers(dict(values)))
        return self._with(answers)

    def remove_item(self, group: str, number: int) -> Journey:
        """A new journey without item `number` (1-based) of a repeated group, such as a patient."""
        repeat = self.question_set.groups()[group]
        answers = copy_answers(self._kept)
        items = answers.get(group, [])
        if not 1 <= number <= len(items):
            raise PageNotFound(f"{group}-{number}")
        del items[number - 1]
        if not items:
            answers.pop(group)
        elif number > len(items):  # removed the last one: the one before now ends the list
            items[-1][repeat.another] = "n"
        return self._with(answers)

    def is_complete(self) -> bool:
        """Every visible required question (and required reveal) is answered."""
        if self.event_type is None or any(s.placeholder for s in self._sections):
            return False
        return all(self._page_complete(page) for page in self._pages)

    # -- task list and review ---------------------------------------------------------------------
    def task_list(self) -> list[TaskListItem]:
        items = []
        for section in self._sections:
            if not section.task_list:
                continue
            title = section.title.render(self.event_type)
            if section.placeholder:
                items.append(TaskListItem(section.id, title, Status.CANNOT_START, None))
                continue
            pages = [page for page in self._pages if page.section is section]
            if not any(self._has_answer(page) for page in pages):
                status = Status.NOT_STARTED
            elif all(self._page_complete(page) for page in pages):
                status = Status.COMPLETED
            else:
                status = Status.IN_PROGRESS
            items.append(TaskListItem(section.id, title, status, pages[0].id))
        return items

    def review(self) -> list[ReviewSection]:
        """Every visible question by section; unanswered ones read "Not answered"."""
        not_answered = self.question_set.wording.get("not_answered", "Not answered")
        sections = []
        for section in self._sections:
            if not section.task_list or section.placeholder:
                continue
            rows = []
            pages = [page for page in self._pages if page.section is section]
            for page in pages:
                if self._is_loop_control(page) and page is not self._last_of_group(pages):
                    continue  # "another patient?" is implied by the next patient, shown only at the end
                scope = self._scope_of(self._kept, page, create=False)
                value = scope.get(page.question.id)
                lines = answer_lines(page.question, value, scope, self._organisation_name)
                rows.append(
                    ReviewRow(
                        question_id=page.question.id,
                        label=page.question.review_label(self.event_type),
                        value=lines or (not_answered,),
                        page_id=page.id,
                        caption=page.caption if page.item else "",
                        answered=is_answered(value),
                    )
                )
            sections.append(ReviewSection(section.id, section.title.render(self.event_type), tuple(rows)))
        return sections

    # -- internals --------------------------------------------------------------------------------
    def _with(self, answers: dict[str, Any]) -> Journey:
        return Journey(
            self.question_set,
            answers,
            anonymous=self.anonymous,
            organisation_name=self._organisation_name,
            event_type=self._record_event_type,
        )

    def _walk(self, source: dict[str, Any]) -> None:
        kept = self._kept
        top = _Scope(self, kept, None, frozenset())
        for section in self.question_set.sections:
            if not self._section_shown(section, top):
                continue
            self._sections.append(section)
            if section.repeat:
                self._walk_group(section, source, kept)
            else:
                for question in section.questions:
                    self._visit(question, section, source, kept, top, None)

    def _walk_group(self, section: Section, source: dict[str, Any], kept: dict[str, Any]) -> None:
        repeat = section.repeat
        group_ids = frozenset(
            key for question in section.questions for key in (question.id, *(r.id for r in question.reveals))
        )
        raw_items = source.get(repeat.group)
        raw_items = raw_items if isinstance(raw_items, list) else []
        items: list[dict[str, Any]] = []
        for number in range(1, repeat.max_items + 1):
            raw = raw_items[number - 1] if number <= len(raw_items) else None
            item: dict[str, Any] = {}
            scope = _Scope(self, kept, item, group_ids)
            for question in section.questions:
                if question.id == repeat.another and number == repeat.max_items:
                    continue
                self._visit(question, section, raw if isinstance(raw, dict) else {}, item, scope, number)
            items.append(item)
            if item.get(repeat.another) != "y":
                break
        while items and not items[-1]:
            items.pop()
        if items:
            kept[repeat.group] = items

    def _visit(self, question, section, source, kept, scope, item: int | None) -> None:
        if question.event_types is not None and (
            self.event_type is None or self.event_type.key not in question.event_types
        ):
            return
        if question.when is not None and not question.when.holds(scope):
            return
        page_id = question.id if item is None else f"{section.repeat.group}-{item}-{question.id}"
        self._positions[page_id] = len(self._pages)
        self._pages.append(Page(page_id, question, section, item, self.event_type))
        self._visible.add((question.id, item))
        if question.id in source:
            kept[question.id] = copy_answers(source[question.id])
        for reveal in question.reveals_for(selected_codes(kept.get(question.id))):
            self._visible.add((reveal.id, item))
            if reveal.id in source:
                kept[reveal.id] = copy_answers(source[reveal.id])

    def _section_shown(self, section: Section, scope: _Scope) -> bool:
        if section.task_list:
            if self.event_type is None:
                return False
            if section.event_types is not None and self.event_type.key not in section.event_types:
                return False
        return section.when is None or section.when.holds(scope)

    def _position(self, page_id: str) -> int:
        try:
            return self._positions[page_id]
        except KeyError:
            raise PageNotFound(page_id) from None

    def _scope_of(self, answers: dict[str, Any], page: Page, *, create: bool) -> dict[str, Any]:
        if page.item is None:
            return answers
        group = page.section.repeat.group
        if not create:
            items = answers.get(group, [])
            return items[page.item - 1] if page.item <= len(items) else {}
        items = answers.setdefault(group, [])
        while len(items) < page.item:
            items.append({})
        return items[page.item - 1]

    def _has_answer(self, page: Page) -> bool:
        """Answered or deliberately skipped (an optional question saved as None)."""
        return page.question.id in self._scope_of(self._kept, page, create=False)

    def _needs_answer(self, page: Page) -> bool:
        """Never answered, or answered in a way that is no longer enough (now required, say)."""
        return not self._has_answer(page) or not self._page_complete(page)

    def _page_complete(self, page: Page) -> bool:
        scope = self._scope_of(self._kept, page, create=False)
        value = scope.get(page.question.id)
        if not page.optional and not is_answered(value):
            return False
        return all(
            reveal.optional or is_answered(scope.get(reveal.id))
            for reveal in page.question.reveals_for(selected_codes(value))
        )

    def _is_loop_control(self, page: Page) -> bool:
        return page.item is not None and page.question.id == page.section.repeat.another

    @staticmethod
    def _last_of_group(pages: list[Page]) -> Page | None:
        return pages[-1] if pages else None


def copy_answers(value: Any) -> Any:
    """A copy of answers, which are JSON: dicts and lists are copied, everything else is immutable.

    (copy.deepcopy does the same several times slower: the engine copies answers on every page.)"""
    if isinstance(value, dict):
        return {key: copy_answers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_answers(item) for item in value]
    return value


def _as_code(value: Any) -> str | None:
    return value if isinstance(value, str) else None
