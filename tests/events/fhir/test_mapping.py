"""The placements cover the question set, and answers survive a round trip through FHIR."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.fhir.mapping import PLACEMENTS_DIR, PlacementError, kebab, parse_placements, placements
from events.fhir.validation import age_unit, submission_validate
from events.questionnaire import days_from_age, load_question_set
from events.questionnaire.loader import read_yaml
from tests.events.questionnaire.helpers import complete, journey
from tests.events.questionnaire.strategies import page_values

from .payloads import EVENT_TYPES, payload_from_answers, without_none

QS = load_question_set("5")
TODAY = dt.date(2026, 6, 1)


def test_every_question_has_exactly_one_place():
    places = placements("5")
    for question in QS.all_questions():
        where = [
            places.element_of(question.id) is not None,
            question.id in places.not_sent,
            places.extension_of(question.id) is not None,
        ]
        assert sum(where) == 1, question.id
    assert places.element_of("Description") == "description"
    assert places.extension_of("PhysicalHarm").name == "patient-information"
    assert places.extension_of("OrganisationOther").name == "location-details"
    assert places.extension_of("MedicationAdministration").resource == "Medication"


def test_a_question_left_without_a_place_is_refused():
    document = read_yaml(PLACEMENTS_DIR / "v5.yaml")
    document["extensions"] = [e for e in document["extensions"] if e["name"] != "detection-factors"]
    with pytest.raises(PlacementError, match="DetectionPoint must have exactly one place"):
        parse_placements(document, QS)


def test_value_set_names_follow_the_taxonomy():
    places = placements("5")
    assert places.value_set_name(QS.question("InvolvedAgents")) == "agent-type"
    assert places.value_set_name(QS.question("ServiceArea")) == "service-type"
    assert places.value_set_name(QS.question("PhysicalHarm")) == "level-of-physical-harm"
    assert places.value_set_name(QS.question("Description")) is None
    assert kebab("ITSystemsInvolvementFactors") == "it-systems-involvement-factors"


@given(days=st.integers(-5, 80_000))
def test_ages_in_days_have_a_unit_exactly_when_the_taxonomy_allows_them(days):
    unit = age_unit(days)
    allowed = (
        1 <= days <= 30 or (31 <= days < 372 and days % 31 == 0) or (372 <= days <= 74028 and days % 372 == 0)
    )
    assert (unit is not None) == allowed
    if unit:
        per_unit = {"years": 372, "months": 31, "days": 1}[unit]
        assert days_from_age(days // per_unit, unit) == days


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), event_type=st.sampled_from(sorted(EVENT_TYPES.values())), anonymous=st.booleans())
def test_random_complete_answers_survive_a_round_trip(organisations, data, event_type, anonymous):
    start = journey({"EventType": event_type}, anonymous=anonymous)
    answers = without_none(complete(start, lambda page: data.draw(page_values(page), label=page.id)).prune())
    payload = payload_from_answers(answers, anonymous=anonymous, today=TODAY)
    submission = submission_validate(payload, today=TODAY)
    assert without_none(submission.answers) == answers
    assert submission.anonymous is anonymous
    assert submission.warnings == []
