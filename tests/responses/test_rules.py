"""National requirements flagged by rules over a record's answers (events/responses/rules.py)."""

import pytest

from events.responses import rules


def patient(**fields):
    return {"PhysicalHarm": "4", "AgeAtTimeOfIncidentDays": 40 * 372, **fields}


@pytest.mark.parametrize(
    ("answers", "statutory", "codes"),
    [
        ({"patients": [patient()]}, {}, []),
        ({"patients": [patient()]}, {"NeverEvent": "y", "NeverEventType": "1"}, ["never_event"]),
        ({"patients": [patient(PhysicalHarm="1", StrengthOfAssociation="6")]}, {}, ["death_in_care"]),
        ({"patients": [patient(PhysicalHarm="1", StrengthOfAssociation="5")]}, {}, ["death_in_care"]),
        # The incident possibly affected the outcome, or was not related to it: not more likely than not.
        ({"patients": [patient(PhysicalHarm="1", StrengthOfAssociation="4")]}, {}, []),
        ({"patients": [patient(PhysicalHarm="1", StrengthOfAssociation="3")]}, {}, []),
        ({"patients": [patient()]}, {"HsibNotify": "y"}, ["maternity"]),
        (
            {
                "ResponsibleSpecialty": "52",
                "patients": [patient(PhysicalHarm="1", StrengthOfAssociation="4")],
            },
            {},
            ["learning_disability_death"],
        ),
        ({"ResponsibleSpecialty": "52", "patients": [patient()]}, {}, []),
        (
            {
                "patients": [
                    patient(PhysicalHarm="1", StrengthOfAssociation="3", AgeAtTimeOfIncidentDays=5 * 372)
                ]
            },
            {},
            ["child_death"],
        ),
        (
            {
                "patients": [
                    patient(
                        PhysicalHarm="1",
                        StrengthOfAssociation="3",
                        AgeAtTimeOfIncidentDays="unknown",
                        AgeBracket="7",
                    )
                ]
            },
            {},
            ["child_death"],
        ),
        ({"SafetyChallenges": ["2", "7"], "patients": [patient()]}, {}, ["screening"]),
        (
            {"ServiceArea": ["8"], "patients": [patient(PhysicalHarm="1", StrengthOfAssociation="3")]},
            {},
            ["custody_death"],
        ),
        ({"LocationWithinService": "7", "patients": [patient()]}, {}, []),
        ({"patients": [patient()]}, {"LocalAuthoritySafeguarding": "y"}, ["safeguarding"]),
        (
            {"patients": [patient(PhysicalHarm="1", StrengthOfAssociation="6")]},
            {"NeverEvent": "y", "LocalAuthoritySafeguarding": "y"},
            ["never_event", "death_in_care", "safeguarding"],
        ),
    ],
)
def test_each_rule_flags_what_the_guidance_names(answers, statutory, codes):
    assert [r.code for r in rules.national_requirements(answers, statutory)] == codes


def test_psii_is_required_for_never_events_and_deaths_in_care_and_referrals_name_their_body():
    found = rules.national_requirements(
        {"patients": [patient(PhysicalHarm="1", StrengthOfAssociation="6")]}, {"HsibNotify": "y"}
    )
    assert rules.psii_required(found)
    assert rules.referral_bodies(found) == ("Maternity and Newborn Safety Investigations (MNSI)",)
    assert not rules.psii_required(rules.national_requirements({}, {"LocalAuthoritySafeguarding": "y"}))


def test_the_rules_read_the_codes_the_question_sets_define():
    """The codes the rules compare with are the question sets' own: a renumbering fails here."""
    from events.questionnaire import load_question_set

    recorder, statutory = load_question_set("5"), load_question_set("1", "statutory")

    def label(question_set, question_id, code):
        question = next(q for q in question_set.all_questions() if q.id == question_id)
        return question.option(code).label

    assert label(recorder, "PhysicalHarm", rules.FATAL) == "Fatal"
    assert (
        label(recorder, "ResponsibleSpecialty", rules.LEARNING_DISABILITY_SPECIALTY) == "Learning disability"
    )
    assert label(recorder, "ServiceArea", rules.MATERNITY_SERVICE).startswith("Maternity")
    assert label(recorder, "ServiceArea", rules.PRISON_SERVICE) == "Prison healthcare"
    assert label(recorder, "LocationWithinService", rules.PRISON_LOCATION) == "Prison"
    assert label(recorder, "SafetyChallenges", rules.SCREENING_CHALLENGE) == "Screening services incident"
    assert label(recorder, "AgeBracket", "7") == "16 and 17 years"
    assert label(recorder, "AgeBracket", "8") == "18-25 years"
    for question_id in ("NeverEvent", "HsibNotify", "LocalAuthoritySafeguarding", "DutyOfCandour"):
        assert label(statutory, question_id, "y") == "Yes"


@pytest.mark.parametrize(
    ("answers", "statutory", "applies"),
    [
        ({"patients": [patient(PhysicalHarm="3")]}, {}, True),
        ({"patients": [patient(PhysicalHarm="4")]}, {}, False),
        ({"patients": [patient(PhysicalHarm="4")]}, {"DutyOfCandour": "y"}, True),
        ({"patients": [patient(PhysicalHarm="2")]}, {"DutyOfCandour": "n"}, False),
    ],
)
def test_the_duty_of_candour_applies_to_notifiable_incidents(answers, statutory, applies):
    assert rules.candour_applies(answers, statutory) is applies
