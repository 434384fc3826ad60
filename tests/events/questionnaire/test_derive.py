"""A question-set document derived from an earlier version by a recorded list of changes."""

from __future__ import annotations

import pytest

from events.questionnaire.derive import DerivationError, derive

BASE = {
    "schema": 1,
    "version": "1",
    "title": "Base",
    "sections": [
        {"id": "a", "questions": [{"id": "One"}, {"id": "Two"}]},
        {"id": "b", "questions": [{"id": "Three"}]},
    ],
}


def derived(*changes, **own):
    document = {"derived_from": "1", "version": "2", "changes": list(changes), **own}
    return derive(document, lambda version: BASE)


def ids(document):
    return [[q["id"] for q in section["questions"]] for section in document["sections"]]


def test_each_kind_of_change_is_applied_in_order_and_the_base_is_untouched():
    document = derived(
        {"remove": "One", "reason": "gone"},
        {"add": {"id": "Four"}, "after": "Two", "reason": "new"},
        {"add": {"id": "Five"}, "section": "b", "reason": "new"},
        {"replace": "Three", "with": {"id": "Six"}, "reason": "renamed"},
        {"update": "Two", "set": {"optional": True}, "reason": "optional now"},
        title="Derived",
    )
    assert ids(document) == [["Two", "Four"], ["Six", "Five"]]
    assert document["sections"][0]["questions"][0] == {"id": "Two", "optional": True}
    assert (document["version"], document["title"]) == ("2", "Derived")
    assert ids(BASE) == [["One", "Two"], ["Three"]]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"remove": "Nine", "reason": "x"}, "no question 'Nine'"),
        ({"remove": "One"}, "needs a reason"),
        ({"add": {"id": "X"}, "reason": "x"}, "give `after` or an existing `section`"),
        ({"rename": "One", "reason": "x"}, "one of add, remove, replace or update"),
    ],
)
def test_a_change_that_cannot_be_applied_is_reported(change, problem):
    with pytest.raises(DerivationError, match=problem):
        derived(change)
