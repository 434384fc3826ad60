"""Every shipped question set is sound, complete against the taxonomy, and checked on load."""

import copy

import pytest

from events.questionnaire import (
    PATIENT,
    RECORDER,
    STATUTORY,
    Kind,
    QuestionSetError,
    available_versions,
    latest_version,
    load_question_set,
    parse_question_set,
    shipped_question_sets,
    structural_problems,
)
from events.questionnaire.checks import dependencies
from events.questionnaire.loader import VERSIONS_DIR, read_yaml

from .helpers import QS


@pytest.mark.parametrize(("name", "version"), shipped_question_sets())
def test_every_shipped_question_set_loads_without_structural_problems(name, version):
    question_set = load_question_set(version, name)
    assert structural_problems(question_set) == []
    assert (question_set.name, question_set.version) == (name, version)


def test_every_question_set_is_walked_by_the_checks():
    shipped = shipped_question_sets()
    assert (RECORDER, "5") in shipped and (STATUTORY, "1") in shipped
    # The patient form and the PSIRF learning response documents are question sets of their own.
    responses = {"swarm", "aar", "mdt", "thematic", "psii"}
    assert {name for name, _ in shipped} == {RECORDER, STATUTORY, PATIENT, *responses}


def test_versions_are_listed_and_the_online_form_records_five():
    assert available_versions() == ("5", "6")
    assert latest_version() == "5"  # version 6 says `online_form: false`: accepted over the API only
    with pytest.raises(LookupError):
        load_question_set("99")
    with pytest.raises(LookupError):
        load_question_set("5", STATUTORY)


def test_loading_is_cached():
    assert load_question_set("5") is load_question_set("5")


@pytest.mark.parametrize(
    ("code_list", "count", "dont_know"),
    [("specialty", 202, "101"), ("device-type", 93, "87")],
)
def test_long_code_lists_are_complete(code_list, count, dont_know):
    options = QS.code_lists[code_list]
    assert len(options) == count
    assert len({option.code for option in options}) == count
    assert next(o.label for o in options if o.code == dont_know) == "I don't know"


def test_code_lists_match_the_taxonomy():
    def codes(question_id):
        return dict((o.code, o.label) for o in QS.question(question_id).options)

    assert QS.question("ResponsibleSpecialty").options == QS.code_lists["specialty"]
    assert QS.question("DeviceType").options == QS.code_lists["device-type"]
    assert codes("DeviceType")["88"] == "Other"
    assert codes("EventType") == {
        "1": "A patient safety incident (including near misses)",
        "2": "A poor outcome",
        "3": "A risk",
        "4": "Good care",
    }
    assert list(codes("PhysicalHarm")) == ["5", "4", "3", "2", "1"]
    assert codes("PhysicalHarm")["1"] == "Fatal"
    assert list(codes("PsychologicalHarm")) == ["4", "3", "2", "1"]
    assert list(codes("LevelOfConcern")) == ["5", "4", "3", "1"]  # there is no code 2
    assert codes("InvolvedAgents") == {
        "4": "Medications",
        "3": "Devices",
        "9": "IT Systems or Software",
        "13": "Buildings or Infrastructure",
        "14": "Estates Services",
        "11": "Blood",
        "12": "Blood products",
        "8": "Tissues or Organs for transplant",
        "10": "None of the above",
    }
    assert list(codes("ServiceArea")) == [
        "1", "19", "17", "18", "3", "4", "6", "7", "8", "9", "10", "11", "12", "16", "13", "14", "15"
    ]  # fmt: skip
    assert len(codes("PatientEthnicity")) == 17
    assert len(codes("AgeBracket")) == 12
    assert len(codes("Process")) == 12
    assert list(codes("SafetyChallenges")) == ["1", "2", "3", "4", "5", "7", "6"]
    assert list(codes("OutcomeType")) == ["1", "2", "3", "5", "10", "7", "4", "9"]
    assert len(codes("WhyAnonymous")) == 8
    assert codes("DetectionPoint")["8"] == "Other"
    assert codes("ReporterInvolvement") == codes("GoodCareDetectionFactor")


def test_question_ids_are_taxonomy_property_names():
    ids = {question.id for question in QS.all_questions()}
    listed_in_the_taxonomy = """
        IncidentOccurredToday ApproximateDate EstimatedTime PreciseTime LocationKnown Organisation
        OrganisationOther ServiceArea LocationWithinService ResponsibleSpecialty
        ResponsibleSpecialtyOther LocationAtRisk RiskIdentifiedLocation IdentifiedLocation
        ReporterType ReporterRole ReporterRoleOther ReporterInvolvement ReporterOrganisation
        WhyAnonymous WhyAnonymousOther Description ImmediateActions Process InvolvedAgents
        InvolvedPersonsActions DrugsInvolved DrugReaction InvolvedProcesses DrugInvolvementFactors
        DrugUsedTooMuch DrugInsufficientDetails MedicationAdministeredIncorrectly
        ProblemMedicationPackaging MedicationAdministration DeviceType DeviceTypeOther
        DeviceBrokenDetails ITSystemsInvolvementFactors BloodInvolved DamagedBlood
        SabreReportNumber ShotReportNumber BloodProductsInvolved DamagedBloodProducts
        TissueOrgansInvolvementFactors NhsbtReportNumber BuildingsInfrastructure
        BuildingsInfrastructureInvolved EstatesServices EstatesServicesInvolved
        PeopleInvolvementFactors PeopleUnavailableDetails PeopleActionFactors
        PeopleOmittedActionDetails AgeAtTimeOfIncidentDays AgeBracket Gender PatientEthnicity
        PhysicalHarm PsychologicalHarm ClinicalOutcome StrengthOfAssociation SafetyChallenges
        RadiotherapyIncidentCode MarvinReferenceNumber DetectionPoint DetectionPointOther
        LevelOfConcern PatientSafetyIncidentHasOccurred RiskDescription RiskTheme RiskImminent
        RiskServiceArea RiskPopulation RiskTimeframe WentWell StrengthsOfCare HowFutureOccurrence
        GoodCareDetectionFactor OutcomeType YellowCardReference
    """
    assert set(listed_in_the_taxonomy.split()) - ids == set()


def test_governance_questions_are_not_in_the_recorders_journey():
    for governance in ("DutyOfCandour", "CqcNotify", "NeverEvent", "SeriousIncident", "HsibNotify"):
        assert not QS.has_question(governance)
    assert set(QS.system_fields) == {"ReferenceNumber", "FromOnlineForms", "IsAnonymous", "DataSharingOptOut"}


def test_free_text_is_marked_for_redaction():
    free_text = QS.free_text_ids()
    for question_id in (
        "Description", "ImmediateActions", "ClinicalOutcome", "HowFutureOccurrence", "RiskDescription",
        "WentWell", "InvolvedProcessesOther", "DeviceTypeOther", "WhyAnonymousOther", "ReporterRoleOther",
        "OrganisationOther", "ProblemDescriptionDrugs", "RiskPopulation",
    ):  # fmt: skip
        assert question_id in free_text
    for question in QS.all_questions():
        if question.kind == Kind.TEXT:
            assert question.free_text, f"{question.id} is typed text and must be redacted"
        assert question.kind == Kind.TEXT or not question.free_text
    # every "Other" option opens a box to type in, and that box is free text
    for question in QS.questions():
        for option in question.options:
            if option.label == "Other" and question.reveals:
                assert any(r.opened_by == option.code and r.free_text for r in question.reveals)


def test_the_description_of_each_event_type_is_tagged():
    assert {q.id for q in QS.tagged("description")} == {"Description", "RiskDescription", "WentWell"}


def test_dependencies_point_backwards():
    order = [question.id for question in QS.all_questions()]
    for question_id, needed in dependencies(QS).items():
        for earlier in needed:
            assert order.index(earlier) < order.index(question_id)


# -- the checks reject broken documents ----------------------------------------------------------
def _document():
    return read_yaml(VERSIONS_DIR / "v5.yaml")


def _question(document, question_id):
    for section in document["sections"]:
        for question in section.get("questions", ()):
            if question["id"] == question_id:
                return question
    raise KeyError(question_id)


def _problems(document):
    with pytest.raises(QuestionSetError) as raised:
        parse_question_set(document, base_dir=VERSIONS_DIR)
    return " | ".join(raised.value.problems)


def test_the_shipped_document_parses_from_its_dict_form():
    assert parse_question_set(_document(), base_dir=VERSIONS_DIR).version == "5"


def test_a_condition_on_an_unknown_question_is_rejected():
    document = _document()
    _question(document, "DrugUsedTooMuch")["when"] = {"answer": "DrugFactors", "contains": "1"}
    assert "condition on unknown question 'DrugFactors'" in _problems(document)


def test_a_condition_on_an_unknown_code_is_rejected():
    document = _document()
    _question(document, "DrugUsedTooMuch")["when"] = {"answer": "DrugInvolvementFactors", "contains": "99"}
    assert "unknown codes ['99'] of DrugInvolvementFactors" in _problems(document)


def test_a_condition_on_an_unknown_event_type_is_rejected():
    document = _document()
    _question(document, "Process")["when"] = {"event_type": ["accident"]}
    assert "unknown event type 'accident'" in _problems(document)


def test_a_cycle_is_rejected():
    document = _document()
    _question(document, "InvolvedProcesses")["when"] = {"answer": "DrugReaction", "contains": "6"}
    _question(document, "DrugReaction")["when"] = {"answer": "InvolvedProcesses", "contains": "1"}
    problems = _problems(document)
    assert "cycle: " in problems
    assert "InvolvedProcesses → DrugReaction → InvolvedProcesses" in problems or (
        "DrugReaction → InvolvedProcesses → DrugReaction" in problems
    )


def test_a_dependency_on_a_later_question_is_rejected():
    document = _document()
    _question(document, "Description")["when"] = {"answer": "LevelOfConcern", "contains": "5"}
    assert "Description: depends on LevelOfConcern, which is not asked before it" in _problems(document)


def test_an_unreachable_question_is_rejected():
    document = _document()
    _question(document, "DrugUsedTooMuch")["when"] = {
        "all": [
            {"answer": "DrugInvolvementFactors", "contains": "1"},
            {"not": {"answer": "DrugInvolvementFactors", "contains": "1"}},
        ]
    }
    assert "question DrugUsedTooMuch is unreachable" in _problems(document)


def test_a_question_for_an_event_type_its_section_never_shows_is_unreachable():
    document = _document()
    _question(document, "DrugsInvolved")["event_types"] = ["risk"]
    assert "question DrugsInvolved is unreachable" in _problems(document)


def test_reading_a_patient_answer_outside_the_patients_group_is_rejected():
    document = _document()
    _question(document, "SafetyChallenges")["when"] = {"answer": "PhysicalHarm", "contains": "1"}
    assert "PhysicalHarm belongs to the patients group" in _problems(document)


def test_shape_problems_are_all_listed():
    document = copy.deepcopy(_document())
    _question(document, "Process").pop("error")
    _question(document, "Description").pop("max_length")
    _question(document, "InvolvedAgents")["exclusive"] = ["77"]
    _question(document, "Gender")["kind"] = "slider"
    problems = _problems(document)
    assert "question Process: a required question needs an error message" in problems
    assert "question Description: a text question needs a max_length" in problems
    assert "exclusive codes ['77'] are not options" in problems
    assert "question Gender: unknown kind 'slider'" in problems


def test_duplicate_ids_and_reveals_on_missing_options_are_rejected():
    document = _document()
    _question(document, "Process")["id"] = "InvolvedAgents"
    _question(document, "RiskTheme")["reveals"][0]["option"] = "42"
    problems = _problems(document)
    assert "question InvolvedAgents: id is used twice" in problems
    assert "opens on '42', which is not an option" in problems
