"""Builds questionnaire journeys for drafts and revisions, with organisation names from the ODS data."""

import datetime as dt
from typing import Any

from events.questionnaire import Journey, QuestionSet, load_question_set
from organisations.models import Organisation


class OrganisationNames:
    """Looks organisation names up once per code for the review page (the engine adds the code)."""

    def __init__(self) -> None:
        self._names: dict[str, str | None] = {}

    def __call__(self, code: str) -> str | None:
        if code not in self._names:
            organisation = Organisation.objects.filter(ods_code=code).only("name").first()
            self._names[code] = organisation.name if organisation else None
        return self._names[code]


def question_set(version: str) -> QuestionSet:
    return load_question_set(version)


def journey_for(answers: dict[str, Any], version: str, *, anonymous: bool) -> Journey:
    return Journey(question_set(version), answers, anonymous=anonymous, organisation_name=OrganisationNames())


def event_date_from(answers: dict[str, Any], recorded_on: dt.date) -> dt.date | None:
    """The date dashboards sort and filter on: the day it was recorded when it "happened today", the
    exact date, else the first day of the approximate month."""
    if answers.get("IncidentOccurredToday") == "y":
        return recorded_on
    if answers.get("EventDate"):
        return dt.date.fromisoformat(answers["EventDate"])
    if answers.get("ApproximateDate"):
        return dt.date.fromisoformat(f"{answers['ApproximateDate']}-01")
    return None
