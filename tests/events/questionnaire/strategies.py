"""Hypothesis strategies: valid typed answers for any page of a question set."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from events.questionnaire import Kind, Page, Question
from events.questionnaire.conditions import selected_codes

MAX_PATIENTS = 3  # enough to exercise the repeated group without slowing every example down

_text = (
    st.text(alphabet=st.sampled_from("abcdefghij KLMNOP,.'"), min_size=1, max_size=24)
    .map(str.strip)
    .filter(bool)
)
_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2025, 12, 31))
_free_values = {
    Kind.TEXT: _text,
    Kind.DATE: _dates.map(dt.date.isoformat),
    Kind.MONTH_YEAR: _dates.map(lambda day: day.strftime("%Y-%m")),
    Kind.TIME: st.times().map(lambda time: time.strftime("%H:%M")),
    Kind.AGE: st.one_of(
        st.integers(1, 199).map(lambda years: years * 372),
        st.integers(1, 11).map(lambda months: months * 31),
        st.integers(1, 30),
    ),
    Kind.ORGANISATION: st.sampled_from(["RJ1", "RJ121", "A81001", "QNQ", "D4U1Y"]),
    Kind.REFERENCE: st.integers(0, 999_999_999)
    .map(lambda n: f"{n:09d}")
    .map(lambda d: f"{d[:3]}-{d[3:6]}-{d[6:]}"),
    Kind.NUMBER: st.integers(0, 1000),
}


def answer_value(question: Question, *, item: int | None = None, optional: bool = False) -> st.SearchStrategy:
    """A valid stored value for a question (None too when it may be skipped)."""
    if question.kind in (Kind.SINGLE_CHOICE, Kind.SELECT):
        if item is not None and question.codes == ("y", "n"):  # "another patient?"
            value = st.just("n") if item >= MAX_PATIENTS else st.sampled_from(["y", "n", "n"])
        else:
            value = st.sampled_from(question.codes)
    elif question.kind == Kind.MULTIPLE_CHOICE:
        others = [code for code in question.codes if code not in question.exclusive]
        subsets = st.lists(st.sampled_from(others), min_size=1, max_size=4, unique=True).map(
            lambda chosen: [code for code in question.codes if code in chosen]
        )
        alone = (
            [st.sampled_from(sorted(question.exclusive)).map(lambda code: [code])]
            if question.exclusive
            else []
        )
        value = st.one_of(subsets, *alone)
    else:
        value = _free_values[question.kind]
        if question.options:  # escape answers: "I don't know the age", "cannot find the organisation"
            value = st.one_of(value, st.sampled_from(question.codes))
    return st.one_of(st.none(), value) if optional else value


def page_values(page: Page) -> st.SearchStrategy:
    """What a valid submission of a page stores: the answer and the reveals it opens."""
    question = page.question

    def with_reveals(value):
        reveals = {
            reveal.id: answer_value(reveal, optional=reveal.optional)
            for reveal in question.reveals_for(selected_codes(value))
        }
        return st.fixed_dictionaries({question.id: st.just(value), **reveals})

    return answer_value(question, item=page.item, optional=page.optional).flatmap(with_reveals)
