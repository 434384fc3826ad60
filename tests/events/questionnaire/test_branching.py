"""The branching rules of docs/spec/taxonomy.md §2.16, one by one."""

import pytest

from .helpers import GOOD_CARE, INCIDENT, OUTCOME, QS, RISK, complete, journey


def sections(answers, **context):
    return [item.section_id for item in journey(answers, **context).task_list()]


def test_nothing_but_the_event_type_page_before_an_event_type_is_chosen():
    assert journey({}).route() == ["EventType"]
    assert journey({}).task_list() == []


@pytest.mark.parametrize(
    ("event_type", "expected"),
    [
        (
            INCIDENT,
            ["when", "where", "what-happened", "involved-details", "patients", "learning", "about-you"],
        ),
        (OUTCOME, ["when", "where", "what-happened", "patients", "learning", "about-you"]),
        (RISK, ["where", "risk", "learning", "about-you"]),
        (GOOD_CARE, ["when", "where", "good-care", "learning", "about-you"]),
    ],
)
def test_the_event_type_decides_the_sections(event_type, expected):
    assert sections({"EventType": event_type}) == expected


def test_incident_core_questions():
    route = journey({"EventType": INCIDENT}).route()
    for question in ("IncidentOccurredToday", "Description", "InvolvedAgents", "SafetyChallenges",
                     "DetectionPoint", "LevelOfConcern", "patients-1-PhysicalHarm"):  # fmt: skip
        assert question in route
    for other_type in ("OutcomeType", "RiskDescription", "WentWell", "LocationAtRisk"):
        assert other_type not in route


def test_outcome_questions():
    route = journey({"EventType": OUTCOME}).route()
    for question in ("OutcomeType", "PatientSafetyIncidentHasOccurred", "patients-1-ClinicalOutcome"):
        assert question in route
    assert "InvolvedAgents" not in route
    assert "SafetyChallenges" not in route


def test_risk_questions():
    route = journey({"EventType": RISK}).route()
    assert [page for page in route if page.startswith("Risk")] == [
        "RiskIdentifiedLocation", "RiskDescription", "RiskTheme", "RiskImminent", "RiskServiceArea",
        "RiskPopulation", "RiskTimeframe",
    ]  # fmt: skip
    assert "LocationAtRisk" in route
    assert not any(page.startswith("patients") for page in route)
    assert "IncidentOccurredToday" not in route
    assert "LocationKnown" not in route


def test_good_care_questions_and_the_required_future_question():
    good_care = journey({"EventType": GOOD_CARE})
    route = good_care.route()
    for question in ("WentWell", "HowFutureOccurrence", "GoodCareDetectionFactor", "ReporterType",
                     "IncidentOccurredToday", "LocationKnown"):  # fmt: skip
        assert question in route
    assert "ReporterInvolvement" not in route  # the detection factor already asks the relationship
    assert not good_care.page("HowFutureOccurrence").optional
    assert journey({"EventType": INCIDENT}).page("HowFutureOccurrence").optional
    assert (
        good_care.page("HowFutureOccurrence").text
        == "How could this good care be repeated or shared more widely?"
    )


@pytest.mark.parametrize(("today", "opens"), [("y", []), ("n", ["EventDate"]), ("u", ["ApproximateDate"])])
def test_did_it_happen_today_opens_the_right_date_question(today, opens):
    route = journey({"EventType": INCIDENT, "IncidentOccurredToday": today}).route()
    assert [page for page in route if page in ("EventDate", "ApproximateDate")] == opens


def test_i_dont_know_the_time_of_day_skips_the_exact_time():
    assert "PreciseTime" in journey({"EventType": INCIDENT, "EstimatedTime": "1"}).route()
    assert "PreciseTime" not in journey({"EventType": INCIDENT, "EstimatedTime": "6"}).route()


def test_knowing_the_organisation_opens_the_organisation_picker():
    assert "Organisation" in journey({"EventType": INCIDENT, "LocationKnown": "y"}).route()
    for answer in ("n", "u"):
        assert "Organisation" not in journey({"EventType": INCIDENT, "LocationKnown": answer}).route()
    assert "Organisation" in journey({"EventType": RISK, "LocationAtRisk": "2"}).route()
    assert "IdentifiedLocation" in journey({"EventType": RISK, "RiskIdentifiedLocation": ["1", "2"]}).route()


AGENT_SECTIONS = {
    "4": "medications",
    "3": "devices",
    "9": "it-systems",
    "11": "blood",
    "12": "blood-products",
    "8": "tissues-organs",
    "13": "buildings",
    "14": "estates",
    "10": "people",
}


@pytest.mark.parametrize(("agent", "section"), AGENT_SECTIONS.items())
def test_each_involved_agent_opens_its_own_section(agent, section):
    opened = sections({"EventType": INCIDENT, "InvolvedAgents": [agent]})
    assert section in opened
    assert "involved-details" not in opened
    assert not set(AGENT_SECTIONS.values()) - {section} & set(opened)


def test_several_agents_open_several_sections_in_document_order():
    opened = sections({"EventType": INCIDENT, "InvolvedAgents": ["11", "4", "3"]})
    assert opened[3:6] == ["medications", "devices", "blood"]


def test_blood_and_tissue_sections_ask_their_reference_numbers():
    route = journey({"EventType": INCIDENT, "InvolvedAgents": ["11", "8"]}).route()
    assert {"SabreReportNumber", "ShotReportNumber", "NhsbtReportNumber"} <= set(route)


def test_none_of_the_above_opens_people_and_actions():
    route = journey({"EventType": INCIDENT, "InvolvedAgents": ["10"]}).route()
    assert {"InvolvedPersonsActions", "PeopleInvolvementFactors", "PeopleActionFactors"} <= set(route)


FOLLOW_UPS = [
    ("DrugInvolvementFactors", ["4"], {"1": "DrugUsedTooMuch", "2": "DrugInsufficientDetails",
     "3": "MedicationAdministeredIncorrectly", "4": "ProblemMedicationPackaging"}),
    ("DeviceInvolvementFactors", ["3"], {"1": "DeviceUsedUnnecessarily", "2": "DeviceInsufficientDetails",
     "3": "DeviceWrongUsageDetails", "4": "DeviceBrokenDetails"}),
    ("BloodInvolved", ["11"], {"1": "TooMuchBloodUsed", "2": "TooLittleBloodUsed", "3": "WrongBlood",
     "4": "BloodWasNotUsed", "5": "DamagedBlood"}),
    ("BloodProductsInvolved", ["12"], {"1": "TooMuchBloodProducts", "2": "TooLittleBloodProducts",
     "3": "WrongBloodProducts", "4": "BloodProductsNotUsed", "5": "DamagedBloodProducts"}),
    ("TissueOrgansInvolvementFactors", ["8"], {"1": "TissueOrgansUsedTooMuch",
     "2": "TissueOrgansInsufficientDetails", "3": "TissueOrgansWrongDetails", "4": "TissueOrgansNotUsed",
     "5": "TissuesOrgansDamagedDetails"}),
    ("BuildingsInfrastructureInvolved", ["13"], {"2": "BuildingsInfrastructureNotUsed",
     "3": "WrongBuildingsInfrastructure"}),
    ("EstatesServicesInvolved", ["14"], {"2": "EstatesServicesNotUsed", "3": "WrongEstatesServices"}),
    ("PeopleInvolvementFactors", ["10"], {"2": "PeopleUnavailableDetails"}),
    ("PeopleActionFactors", ["10"], {"1": "PeopleActionTooMuch", "2": "PeopleInsufficientActionDetails",
     "3": "PeopleWrongActionDetails", "4": "PeopleOmittedActionDetails"}),
]  # fmt: skip


@pytest.mark.parametrize(("factor", "agents", "follow_ups"), FOLLOW_UPS)
def test_each_too_much_too_little_wrong_answer_opens_its_follow_up(factor, agents, follow_ups):
    base = {"EventType": INCIDENT, "InvolvedAgents": agents}
    assert not set(follow_ups.values()) & set(journey(base).route())
    for code, follow_up in follow_ups.items():
        route = journey({**base, factor: [code]}).route()
        assert follow_up in route
        assert not (set(follow_ups.values()) - {follow_up}) & set(route)
        assert route.index(follow_up) > route.index(factor)
    every = journey({**base, factor: list(follow_ups)}).route()
    assert set(follow_ups.values()) <= set(every)


def test_medication_too_much_opens_the_dosage_follow_up():
    medication = journey({"EventType": INCIDENT, "InvolvedAgents": ["4"], "DrugInvolvementFactors": ["1"]})
    page = medication.page("DrugUsedTooMuch")
    assert page.text == "How was too much medication prescribed/dispensed/administered?"
    assert page.question.option("1").label == "The prescribed/dispensed/administered dosage was too high"


OTHER_BOXES = [
    ("ReporterRole", "9", "ReporterRoleOther"),
    ("ReporterInvolvement", "6", "ReporterInvolvementOther"),
    ("DetectionPoint", "8", "DetectionPointOther"),
    ("InvolvedProcesses", "4", "InvolvedProcessesOther"),
    ("BuildingsInfrastructure", "16", "BuildingsInfrastructureOther"),
    ("EstatesServices", "9", "EstatesServicesOther"),
    ("GoodCareDetectionFactor", "6", "GoodCareDetectionFactorOther"),
    ("RiskTheme", "8", "RiskThemeOther"),
    ("RiskTimeframe", "4", "RiskTimeframeOther"),
    ("InvolvedPersonsActions", "5", "InvolvedPersonsActionsOther"),
    ("DeviceType", "88", "DeviceTypeOther"),
    ("WhyAnonymous", "8", "WhyAnonymousOther"),
    ("Organisation", "other", "OrganisationOther"),
    ("SafetyChallenges", "4", "RadiotherapyIncidentCode"),
    ("SafetyChallenges", "7", "MarvinReferenceNumber"),
]


@pytest.mark.parametrize(("question_id", "code", "reveal_id"), OTHER_BOXES)
def test_other_opens_its_text_box_on_the_same_page(question_id, code, reveal_id):
    question = QS.question(question_id)
    reveal = QS.question(reveal_id)
    assert reveal.reveal_of == question_id
    assert reveal.opened_by == code
    assert [r.id for r in question.reveals_for([code])] == [reveal_id]
    other_codes = [c for c in question.codes if c != code]
    assert reveal_id not in [r.id for r in question.reveals_for(other_codes)]


def test_other_text_is_visible_only_when_other_is_chosen():
    base = {"EventType": RISK}
    assert not journey({**base, "RiskTheme": ["1"]}).visible("RiskThemeOther")
    assert journey({**base, "RiskTheme": ["1", "8"]}).visible("RiskThemeOther")


def test_other_follow_up_pages():
    assert "ReporterTypeOther" in journey({"EventType": INCIDENT, "ReporterType": "4"}).route()
    assert "ReporterTypeOther" in journey({"EventType": INCIDENT, "ReporterType": "5"}).route()
    assert "ReporterTypeOther" not in journey({"EventType": INCIDENT, "ReporterType": "3"}).route()
    assert (
        "ResponsibleSpecialtyOther" in journey({"EventType": INCIDENT, "ResponsibleSpecialty": "101"}).route()
    )


def test_staff_are_asked_their_role_and_organisation():
    staff = journey({"EventType": INCIDENT, "ReporterType": "3"}).route()
    patient = journey({"EventType": INCIDENT, "ReporterType": "1"}).route()
    assert {"ReporterRole", "ReporterOrganisation"} <= set(staff)
    assert not {"ReporterRole", "ReporterOrganisation"} & set(patient)


def test_fatal_physical_harm_skips_psychological_harm():
    def route(harm):
        return journey({"EventType": INCIDENT, "patients": [{"PhysicalHarm": harm}]}).route()

    assert "patients-1-PsychologicalHarm" not in route("1")
    for harm in ("2", "3", "4", "5"):
        assert "patients-1-PsychologicalHarm" in route(harm)


@pytest.mark.parametrize(
    ("patient", "asked"),
    [
        ({"PhysicalHarm": "1"}, True),
        ({"PhysicalHarm": "2", "PsychologicalHarm": "4"}, True),
        ({"PhysicalHarm": "3", "PsychologicalHarm": "1"}, True),
        ({"PhysicalHarm": "3", "PsychologicalHarm": "2"}, False),
        ({"PhysicalHarm": "5", "PsychologicalHarm": "4"}, False),
        ({}, False),
    ],
)
def test_strength_of_association_only_for_severe_or_fatal_harm(patient, asked):
    route = journey({"EventType": INCIDENT, "patients": [patient]}).route()
    assert ("patients-1-StrengthOfAssociation" in route) is asked


def test_unknown_age_opens_the_age_estimate():
    known = journey({"EventType": INCIDENT, "patients": [{"AgeAtTimeOfIncidentDays": 372}]})
    unknown = journey({"EventType": INCIDENT, "patients": [{"AgeAtTimeOfIncidentDays": "unknown"}]})
    assert "patients-1-AgeBracket" not in known.route()
    assert "patients-1-AgeBracket" in unknown.route()


def test_another_patient_repeats_the_patient_questions_up_to_one_hundred():
    one = journey({"EventType": INCIDENT, "patients": [{"AnotherPatient": "n"}]})
    two = journey({"EventType": INCIDENT, "patients": [{"AnotherPatient": "y"}]})
    assert not any(page.startswith("patients-2-") for page in one.route())
    assert "patients-2-PhysicalHarm" in two.route()
    assert two.page("patients-2-PhysicalHarm").caption == "Patient 2"
    hundred = journey({"EventType": INCIDENT, "patients": [{"AnotherPatient": "y"}] * 99 + [{}]})
    assert "patients-100-PhysicalHarm" in hundred.route()
    assert "patients-100-AnotherPatient" not in hundred.route()
    assert "patients-101-PhysicalHarm" not in hundred.route()


def test_anonymous_reason_only_for_anonymous_recorders():
    assert "WhyAnonymous" in journey({"EventType": INCIDENT}, anonymous=True).route()
    assert "WhyAnonymous" not in journey({"EventType": INCIDENT}, anonymous=False).route()
    assert "ReporterContact" not in journey({"EventType": INCIDENT}, anonymous=True).route()
    for event_type in (OUTCOME, RISK, GOOD_CARE):
        assert "WhyAnonymous" in journey({"EventType": event_type}, anonymous=True).route()


def test_a_complete_anonymous_record_keeps_its_reason_and_a_signed_in_one_never_has_it():
    anonymous = complete(journey({"EventType": INCIDENT}, anonymous=True))
    assert anonymous.prune()["WhyAnonymous"] == ["1"]
    signed_in = journey(anonymous.prune(), anonymous=False)
    assert "WhyAnonymous" not in signed_in.prune()


def test_wording_follows_the_event_type():
    assert (
        journey({"EventType": INCIDENT}).page("IncidentOccurredToday").text
        == "Did the incident happen today?"
    )
    assert (
        journey({"EventType": OUTCOME}).page("IncidentOccurredToday").text
        == "Did the poor outcome happen today?"
    )
    assert journey({"EventType": RISK}).page("LocationWithinService").text == "Where could the risk happen?"
    assert journey({"EventType": RISK}).task_list()[0].title == "Where the risk is"
