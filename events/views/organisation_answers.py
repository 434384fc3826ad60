"""Turns what a recorder typed into an organisation question ("Leeds", "rr8") into an ODS code.

The question set only knows codes; people search by name, so the page resolves the search first.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from django.http import QueryDict

from events.questionnaire import FieldError, Journey, Kind, Page, Question
from organisations.models import Organisation
from organisations.selectors import organisation_by_code, organisation_lookup


@dataclass
class OrganisationSearch:
    data: QueryDict
    matches: list[Organisation] = field(default_factory=list)
    error: str | None = None


def search_field(question: Question) -> str:
    return f"{question.id}-search"


def resolve_organisation_answer(question: Question, post: QueryDict) -> OrganisationSearch:
    """Puts the chosen ODS code under the question's own field, or explains why it cannot."""
    data = post.copy()
    if question.kind != Kind.ORGANISATION:
        return OrganisationSearch(data)
    chosen = post.get(question.id, "").strip()
    if chosen in question.codes:  # "I cannot find the organisation"
        return OrganisationSearch(data)
    if chosen and organisation_by_code(chosen):  # picked from the list of matches
        return OrganisationSearch(data)
    typed = " ".join(post.get(search_field(question), "").split())
    if not typed:
        data[question.id] = ""
        return OrganisationSearch(data)
    lookup = organisation_lookup(typed)
    matches = lookup.matches
    if lookup.organisation is not None:
        data[question.id] = lookup.organisation.ods_code
        return OrganisationSearch(data)
    if not matches:
        return OrganisationSearch(
            data, error=f"No organisation matches “{typed}”. Check the name or ODS code"
        )
    return OrganisationSearch(
        data,
        matches=matches,
        error=f"More than one organisation matches “{typed}”. Choose the organisation from the list",
    )


def unknown_organisation_error(question: Question, values: dict) -> str | None:
    code = values.get(question.id)
    if question.kind != Kind.ORGANISATION or not code or code in question.codes:
        return None
    if organisation_by_code(code) is None:
        return f"There is no organisation with the ODS code {code}. Check the code, or search by name"
    return None


@dataclass
class PageAnswers:
    """A question page's POST, checked: the typed answers or the errors, and what to show again."""

    values: dict[str, Any]
    errors: list[FieldError]
    data: dict[str, Any]  # what was typed, to fill the form again after an error
    matches: list[Organisation]


def page_answers_check(journey: Journey, page: Page, post: QueryDict) -> PageAnswers:
    """Validates one question page as the recorder's and the organisation's question pages both do:
    an organisation search is resolved to its ODS code first, and its errors link to the search box."""
    question = page.question
    search = resolve_organisation_answer(question, post)
    result = journey.validate(page.id, search.data)
    errors = list(result.errors)
    if search.error:
        errors = [FieldError(question.id, search.error, search_field(question))]
    elif result.ok and (message := unknown_organisation_error(question, result.values)):
        errors = [FieldError(question.id, message, search_field(question))]
    if question.kind == Kind.ORGANISATION:  # the error summary links to the search box
        errors = [replace(e, field=search_field(question)) if e.key == question.id else e for e in errors]
    data = {**result.data, search_field(question): post.get(search_field(question), "")}
    return PageAnswers(result.values, errors, data, search.matches)
