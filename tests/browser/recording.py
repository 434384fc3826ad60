"""Helpers for driving the recording pages in Chromium as a person would: answer the question on the
current page, walk a section from the task list, read the task list and "Review your answers", submit.

Answers are a dict keyed by question id ("PhysicalHarm"), or by page id for one patient
("patients-2-PhysicalHarm", which wins over the question id). Values, by widget:

- radios / select: an option's code ("4") or its label ("Fatal")
- checkboxes: a list of codes or labels
- text, time, reference: the text to type; None leaves the box empty (optional questions)
- date: "YYYY-MM-DD", or a (day, month, year) tuple typed as it is (for invalid dates)
- month and year: "YYYY-MM", or a (month, year) tuple
- age: a (number, unit) tuple such as ("67", "years"), or an escape code such as "unknown"
- organisation: what to type in the search box, or "other" for "I cannot find the organisation"
- a callable taking the Playwright page: does whatever the page needs (Continue is pressed after it)

Conditional boxes ("Other", "Name of the organisation") take the value under their own id, else
"Example text" when empty. A question not in the dict keeps the answer already on the page (a draft
being continued), else gets a default: the first option (but "No" to another patient), "Example
text", a date in the past, 40 years, and nothing for an organisation, a time or a linked record's
reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible

PAGE_PATH = re.compile(r"^/record/[0-9a-f-]{36}/(?P<page>[A-Za-z0-9-]+)/$")
TASK_LIST_PATH = re.compile(r"^/record/[0-9a-f-]{36}/$")
REVIEW_PATH = re.compile(r"^/record/[0-9a-f-]{36}/review/$")
REFERENCE = re.compile(r"^\d{3}-\d{3}-\d{3}$")
NOT_QUESTIONS = {"review", "delete"}
DEFAULT_TEXT = "Example text"
# Boxes that look like text boxes but expect something else; optional, so left empty by default.
DEFAULTS = {"PreciseTime": None, "LinkedRecordReference": None}

Answers = dict[str, Any]

_WIDGET = """(id) => {
  const byId = (suffix) => document.getElementById(id + suffix);
  if (byId('-day')) return 'date';
  if (byId('-month')) return 'month_year';
  if (byId('-value')) return 'age';
  if (byId('-search')) return 'organisation';
  const field = document.querySelector(`[name="${id}"]`);
  if (!field) return null;
  if (field.tagName === 'SELECT') return 'select';
  if (field.type === 'radio') return 'radios';
  if (field.type === 'checkbox') return 'checkboxes';
  return 'text';
}"""

_REVEALS = ".govuk-radios__conditional, .govuk-checkboxes__conditional"

_ANSWERED = """(id) => {
  const named = Array.from(document.querySelectorAll(`[name="${id}"], [name^="${id}-"]`));
  const choice = (field) => field.type === 'radio' || field.type === 'checkbox';
  return named.some((field) => (choice(field) ? field.checked : field.value !== ''));
}"""

_TASK_LIST = """() => Array.from(document.querySelectorAll('.govuk-task-list__item')).map((item) => [
  item.querySelector('.govuk-task-list__name-and-hint').textContent.trim(),
  item.querySelector('.govuk-task-list__status').textContent.trim(),
])"""

_REVIEW_ROWS = """() => Array.from(document.querySelectorAll('.govuk-summary-list__row')).map((row) => {
  const list = row.closest('dl');
  const before = list.previousElementSibling;
  const caption = before && before.tagName === 'H3' ? before.textContent.trim() : '';
  return [
    caption,
    row.querySelector('.govuk-summary-list__key').textContent.trim(),
    row.querySelector('.govuk-summary-list__value').innerText.trim(),
  ];
})"""


# -- where we are ----------------------------------------------------------------------------------
def _path(page: Page) -> str:
    return urlparse(page.url).path


def current_page_id(page: Page) -> str | None:
    """The question page being shown ("patients-2-PhysicalHarm"), or None off the question pages."""
    match = PAGE_PATH.match(_path(page))
    return match.group("page") if match and match.group("page") not in NOT_QUESTIONS else None


def on_task_list(page: Page) -> bool:
    return bool(TASK_LIST_PATH.match(_path(page)))


def on_review(page: Page) -> bool:
    return bool(REVIEW_PATH.match(_path(page)))


def _question_id(page_id: str) -> str:
    return page_id.rsplit("-", 1)[-1]


def _lookup(answers: Answers, page_id: str, key: str, default: Any = ...) -> Any:
    """The answer for `key` on `page_id`: a patient's own ("patients-2-Key") first, then "Key"."""
    prefix = page_id[: -len(_question_id(page_id))]
    for candidate in (prefix + key, key):
        if candidate in answers:
            return answers[candidate]
    return default


# -- answering one page --------------------------------------------------------------------------
def press(page: Page, name: str) -> None:
    """Press a button (or a link styled as one) that loads another page, and wait for it."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def follow(page: Page, name: str, *, within=None) -> None:
    with page.expect_navigation():
        (within or page).get_by_role("link", name=name, exact=True).click()


def _option(page: Page, question_id: str, kind: str, wanted: str):
    by_value = page.locator(f'input[type="{kind}"][name="{question_id}"][value="{wanted}"]')
    return by_value if by_value.count() else page.get_by_label(wanted, exact=True)


def fill_question(page: Page, answers: Answers) -> str:
    """Answer the question on the current page from `answers`; returns its page id."""
    page_id = current_page_id(page)
    assert page_id, f"{page.url} is not a question page"
    question_id = _question_id(page_id)
    value = _lookup(answers, page_id, question_id, DEFAULTS.get(question_id, ...))
    if callable(value):
        value(page)
        return page_id
    widget = page.evaluate(_WIDGET, question_id)
    if value is ... and page.evaluate(_ANSWERED, question_id):
        widget = "answered"  # a draft being continued: keep the answer on the page
    if widget == "answered":
        pass
    elif widget == "radios":
        if value is ...:
            first = page.locator(f'input[type="radio"][name="{question_id}"]').first.get_attribute("value")
            value = "n" if question_id == "AnotherPatient" else first
        _option(page, question_id, "radio", value).check()
    elif widget == "checkboxes":
        boxes = page.locator(f'input[type="checkbox"][name="{question_id}"]')
        wanted = [boxes.first.get_attribute("value")] if value is ... else list(value)
        codes = {_option(page, question_id, "checkbox", item).get_attribute("value") for item in wanted}
        for box in boxes.all():  # untick what is no longer wanted first: "exclusive" boxes untick others
            if box.is_checked() and box.get_attribute("value") not in codes:
                box.uncheck()
        for box in boxes.all():
            if box.get_attribute("value") in codes:
                box.check()
    elif widget == "select":
        select = page.locator(f"select#{question_id}")
        if value is ...:
            value = select.locator("option").nth(1).get_attribute("value")
        if select.locator(f'option[value="{value}"]').count():
            select.select_option(value=value)
        else:
            select.select_option(label=value)
    elif widget == "date":
        day, month, year = _date_parts(value, "2025-03-01")
        page.locator(f"#{question_id}-day").fill(day)
        page.locator(f"#{question_id}-month").fill(month)
        page.locator(f"#{question_id}-year").fill(year)
    elif widget == "month_year":
        value = "2025-03" if value is ... else value
        if isinstance(value, str):
            year, month = value.split("-")
            month = str(int(month))
        else:
            month, year = value
        page.locator(f"#{question_id}-month").fill(str(month))
        page.locator(f"#{question_id}-year").fill(str(year))
    elif widget == "age":
        value = ("40", "years") if value is ... else value
        if isinstance(value, str):  # an escape answer such as "I don't know"
            page.locator(f"#{question_id}-value").fill("")
            page.locator(f"#{question_id}-unit-{value}").check()
        else:
            page.locator(f"#{question_id}-value").fill(str(value[0]))
            page.locator(f"#{question_id}-unit-{value[1]}").check()
    elif widget == "organisation":
        escape = page.locator(f'input[type="checkbox"][name="{question_id}"]')
        if value == "other":
            escape.check()
        else:
            if escape.count() and escape.is_checked():
                escape.uncheck()
            page.locator(f"#{question_id}-search").fill("" if value in (..., None) else value)
    elif widget == "text":
        page.locator(f"#{question_id}").fill(DEFAULT_TEXT if value is ... else value or "")
    else:
        raise AssertionError(f"no question widget found on {page.url}")
    _fill_reveals(page, answers, page_id)
    return page_id


def _date_parts(value: Any, default: str) -> tuple[str, str, str]:
    if value is ...:
        value = default
    if isinstance(value, str):
        year, month, day = value.split("-")
        return str(int(day)), str(int(month)), year
    return tuple(str(part) for part in value)


def _fill_reveals(page: Page, answers: Answers, page_id: str) -> None:
    """Fill the boxes that belong to the chosen options ("conditional-X" belongs to option #X)."""
    for reveal in page.locator(_REVEALS).all():
        option = reveal.get_attribute("id").removeprefix("conditional-")
        if page.locator(f"#{option}").is_checked():
            for field in reveal.locator("input, textarea").all():
                given = _lookup(answers, page_id, field.get_attribute("id"))
                if given is not ...:
                    field.fill(given or "")
                elif not field.input_value():
                    field.fill(DEFAULT_TEXT)


def answer(page: Page, answers: Answers, *, check: bool = True) -> str:
    """Check the page with axe, answer it, press Continue; fails if the page shows an error."""
    if check:
        assert_accessible(page)
    page_id = fill_question(page, answers)
    press(page, "Continue")
    summary = page.locator(".govuk-error-summary")
    if summary.count():
        raise AssertionError(f"{page_id}: {summary.inner_text()}")
    return page_id


def walk(page: Page, answers: Answers) -> list[str]:
    """Answer question pages until the task list or review; returns the page ids answered."""
    visited = []
    while current_page_id(page):
        visited.append(answer(page, answers))
        assert len(visited) < 200, "the walk does not end"
    return visited


# -- task list, review, submit --------------------------------------------------------------------
def task_list(page: Page) -> dict[str, str]:
    return dict(page.evaluate(_TASK_LIST))


def walk_task_list(page: Page, answers: Answers) -> list[str]:
    """From the task list, open each section that is not completed and walk it (section by
    section, as a person would) until every section is completed; then go to review. Returns the
    pages answered."""
    visited: list[str] = []
    opened: list[str] = []
    while True:
        assert on_task_list(page), page.url
        assert_accessible(page)
        waiting = [
            title
            for title, status in task_list(page).items()
            if status not in ("Completed", "Cannot start yet")
        ]
        if not waiting:
            break
        title = waiting[0]
        assert opened.count(title) < 2, f"{title} is still not completed after walking it"
        opened.append(title)
        follow(page, title, within=page.get_by_test_id("task-list"))
        visited.extend(walk(page, answers))
    assert set(task_list(page).values()) == {"Completed"}
    press(page, "Review your answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")
    return visited


def review_rows(page: Page) -> list[tuple[str, str, str]]:
    """Rows of "Review your answers" as (caption, question, answer); caption is "Patient 2" in a group."""
    return [tuple(row) for row in page.evaluate(_REVIEW_ROWS)]


def review_value(page: Page, label: str, caption: str = "") -> str:
    values = [value for cap, lab, value in review_rows(page) if (cap, lab) == (caption, label)]
    assert len(values) == 1, f"{len(values)} rows for {label!r} ({caption!r}) on {page.url}"
    return values[0]


def submit(page: Page, button: str = "Submit") -> str:
    """Submit from review; checks the confirmation with axe and returns the reference number."""
    assert_accessible(page)
    press(page, button)
    expect(page).to_have_url(re.compile(r"/record/submitted/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record Re-Submitted" if button == "Re-Submit" else "Record Submitted"
    )
    reference = page.get_by_test_id("reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    assert_accessible(page)
    return reference


def start_signed_in(page: Page) -> None:
    """Home → Record a patient safety event → Start now → "What do you want to record?"."""
    page.goto("/home/")
    follow(page, "Record a patient safety event")
    assert_accessible(page)
    press(page, "Start now")


def start_anonymously(page: Page) -> None:
    """Landing page → Record anonymously → Record anonymously → "What do you want to record?"."""
    page.goto("/")
    press(page, "Record anonymously")
    assert_accessible(page)
    press(page, "Record anonymously")


def choose_event_type(page: Page, label: str) -> None:
    assert current_page_id(page) == "EventType"
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you want to record?")
    answer(page, {"EventType": label})
    assert on_task_list(page), page.url


def record(page: Page, event_type: str, answers: Answers) -> list[str]:
    """Choose the event type, walk every section, and stop on review; returns the pages answered."""
    choose_event_type(page, event_type)
    visited = walk_task_list(page, answers)
    assert_accessible(page)
    return visited


def labels_of(rows: Iterable[tuple[str, str, str]], caption: str = "") -> list[str]:
    return [label for cap, label, _ in rows if cap == caption]


def search_then_choose(search: str, choice: str) -> Callable[[Page], None]:
    """An organisation answer: search for a name several organisations share, see the error and
    the list of matches (checked with axe), then choose one."""

    def run(page: Page) -> None:
        page.get_by_label("Organisation name or ODS code").fill(search)
        press(page, "Continue")
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            f"More than one organisation matches “{search}”"
        )
        expect(page).to_have_title(re.compile(r"^Error: "))
        assert_accessible(page)
        page.get_by_label(choice, exact=True).check()

    return run
