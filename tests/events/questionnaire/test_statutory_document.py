"""The statutory and national policy requirements as a question-set document, read by the engine."""

import pytest
import yaml

from events import statutory_questions
from events.questionnaire import (
    EVENT_TYPE,
    STATUTORY,
    Journey,
    Kind,
    QuestionSetError,
    available_versions,
    load_question_set,
    parse_question_set,
)
from events.questionnaire import loader as questionnaire_loader
from events.questionnaire.loader import VERSIONS_DIR, read_yaml

from .helpers import GOOD_CARE, INCIDENT, OUTCOME, RISK

DOCUMENT = load_question_set(statutory_questions.VERSION, STATUTORY)
# The national adverse-event-governance-5 extension: its properties, and the codes and displays of
# its two value sets (cqc-criteria-5, never-event-type-5); the other eight are booleans.
NATIONAL_BOOLEANS = {
    "DutyOfCandour",
    "CqcNotify",
    "LocalAuthoritySafeguarding",
    "NeverEvent",
    "SeriousIncident",
    "HsibNotify",
    "DesignationsMentalHealth",
    "DeprivationOfLiberty",
}
NATIONAL_CODES = {
    "CqcCriteria": {
        "1": "Death of a service user",
        "2": "Serious injury of a service user",
        "3": "Abuse or allegations of abuse",
        "4": "Events that stop or may stop a service running",
    },
    "NeverEventType": {
        "1": "Wrong site surgery",
        "2": "Wrong implant/prosthesis",
        "3": "Retained foreign object post procedure",
        "4": "Mis-selection of a strong potassium solution",
        "5": "Administration of medication by the wrong route",
        "6": "Overdose of insulin due to abbreviations or incorrect device",
        "7": "Overdose of methotrexate for non-cancer treatment",
        "8": "Mis-selection of high strength midazolam during conscious sedation",
        "9": "Failure to install functional collapsible shower or curtain rails",
        "10": "Falls from poorly restricted windows",
        "11": "Chest or neck entrapment in bed rails",
        "12": "Transfusion or transplantation of ABO-incompatible blood components or organs",
        "13": "Misplaced naso- or oro-gastric tubes",
        "14": "Scalding of patients",
        "15": "Unintentional connection of a patient requiring oxygen to an air flowmeter",
    },
}


def test_question_ids_are_the_national_governance_properties():
    ids = [question.id for question in DOCUMENT.all_questions()]
    assert set(ids) == NATIONAL_BOOLEANS | set(NATIONAL_CODES)
    assert ids == [
        "CqcNotify",
        "CqcCriteria",
        "DutyOfCandour",
        "LocalAuthoritySafeguarding",
        "DesignationsMentalHealth",
        "DeprivationOfLiberty",
        "NeverEvent",
        "NeverEventType",
        "SeriousIncident",
        "HsibNotify",
    ]  # fmt: skip  (the order of the form, the record page and the CSV columns)


def test_codes_and_displays_are_the_national_value_sets():
    for question_id, codes in NATIONAL_CODES.items():
        question = DOCUMENT.question(question_id)
        assert {option.code: option.label for option in question.options} == codes
    for question_id in NATIONAL_BOOLEANS:
        question = DOCUMENT.question(question_id)
        assert question.kind == Kind.SINGLE_CHOICE and question.codes == ("y", "n")


def test_event_types_are_the_recorders_own_codes():
    for version in available_versions():
        recorder = load_question_set(version)
        assert [(et.code, et.key) for et in DOCUMENT.event_types] == [
            (et.code, et.key) for et in recorder.event_types
        ]


def test_the_requirements_apply_to_incidents_only():
    assert statutory_questions.applies_to(INCIDENT)
    for other in (OUTCOME, RISK, GOOD_CARE, "99", None):
        assert not statutory_questions.applies_to(other)


def test_each_follow_up_is_opened_by_yes_to_the_question_before_it():
    for section in DOCUMENT.sections:
        previous = None
        for question in section.questions:
            if question.when is None:
                # a question of its own: radios on the form, and it may be left unanswered
                assert question.optional and question.kind == Kind.SINGLE_CHOICE
            else:
                assert list(question.when.references()) == [(previous.id, ("y",))]
                assert not question.optional
            previous = question


# -- the engine's support for a question set asked about a record ---------------------------------
def journey(answers=None, event_type=INCIDENT):
    return Journey(DOCUMENT, answers or {}, event_type=event_type)


def test_the_record_type_is_given_to_the_journey_not_asked():
    assert journey().event_type.key == "incident"
    assert journey(event_type="incident").event_type.key == "incident"
    assert journey(event_type=RISK).route() == []
    assert "NeverEventType" not in journey({"NeverEvent": "n"}).route()
    assert "NeverEventType" in journey({"NeverEvent": "y"}).route()
    # An answer naming the type decides over the context (the recorder's journeys).
    assert journey({EVENT_TYPE: RISK}).event_type.key == "risk"


def test_a_change_keeps_the_record_type():
    changed = journey().record("NeverEvent", {"NeverEvent": "y"})
    assert changed.event_type.key == "incident" and changed.visible("NeverEventType")


def test_the_whole_form_is_checked_at_once():
    result = journey().validate_all(
        {"NeverEvent": "y", "NeverEventType": "5", "CqcNotify": "y", "CqcCriteria": ["2", "1"]}
    )
    assert result.ok
    assert result.values == {
        "CqcNotify": "y",
        "CqcCriteria": ["1", "2"],
        "NeverEvent": "y",
        "NeverEventType": "5",
    }


def test_a_follow_up_is_required_only_when_opened_and_dropped_otherwise():
    opened = journey().validate_all({"NeverEvent": "y", "CqcNotify": "y", "CqcCriteria": []})
    assert [(error.key, error.message) for error in opened.errors] == [
        ("CqcCriteria", "Select the CQC notification criteria this event meets"),
        ("NeverEventType", "Select the type of Never Event"),
    ]
    assert opened.values == {}
    closed = journey().validate_all({"NeverEvent": "n", "NeverEventType": "3", "CqcCriteria": ["1"]})
    assert closed.ok and closed.values == {"NeverEvent": "n"}


def test_a_question_left_empty_is_absent_and_a_bad_value_is_refused():
    assert journey().validate_all({}).values == {}
    result = journey().validate_all({"DutyOfCandour": "maybe", "NeverEvent": "y", "NeverEventType": "99"})
    assert result.messages() == {
        "DutyOfCandour": "Select yes or no",
        "NeverEventType": "Select the type of Never Event",
    }


def test_what_was_typed_comes_back_for_every_question_shown_or_not():
    result = journey().validate_all({"NeverEvent": "n", "NeverEventType": "3", "DutyOfCandour": "x"})
    assert result.data["NeverEventType"] == "3"  # not asked, yet shown again as typed
    assert result.data["CqcCriteria"] == [] and result.data["HsibNotify"] == ""


# -- what the screens show ---------------------------------------------------------------------------
def test_the_record_page_shows_each_section_with_not_answered_rows():
    sections = statutory_questions.review_sections(
        {"NeverEvent": "y", "NeverEventType": "3"}, event_type=INCIDENT
    )
    titles = [section.title for section, _ in sections]
    assert titles == ["Statutory requirements", "National policy requirements"]
    statutory_rows, national_rows = (rows for _, rows in sections)
    assert "CqcCriteria" not in {row.question_id for row in statutory_rows}  # CQC not answered "Yes"
    assert statutory_rows[0].value == ("Not answered",)
    assert [(row.question_id, row.value) for row in national_rows[:2]] == [
        ("NeverEvent", ("Yes",)),
        ("NeverEventType", ("Retained foreign object post procedure",)),
    ]


def test_the_form_puts_each_follow_up_under_its_question():
    fields = statutory_questions.stored_fields({"CqcNotify": "y", "CqcCriteria": ["1", "4"]})
    statutory, national = statutory_questions.form_sections(
        fields, {"NeverEventType": "Select the type of Never Event"}, event_type=INCIDENT
    )
    assert [question.id for question in statutory.questions] == [
        "CqcNotify", "DutyOfCandour", "LocalAuthoritySafeguarding", "DesignationsMentalHealth",
        "DeprivationOfLiberty",
    ]  # fmt: skip
    cqc = statutory.questions[0]
    assert [option for option in cqc.options if option[2]] == [("y", "Yes", True)]
    (criteria,) = cqc.follow_ups
    assert criteria.multiple and criteria.hint.endswith("Select all that apply.")
    assert [code for code, _, checked in criteria.options if checked] == ["1", "4"]
    (never_event_type,) = national.questions[0].follow_ups
    assert never_event_type.error == "Select the type of Never Event" and not never_event_type.multiple
    assert statutory_questions.form_sections(fields, {}, event_type=RISK) == []


# -- the checks and the loader guard the document ----------------------------------------------------
def _document():
    return read_yaml(VERSIONS_DIR / f"statutory-v{statutory_questions.VERSION}.yaml")


def _problems(document):
    with pytest.raises(QuestionSetError) as raised:
        parse_question_set(document)
    return " | ".join(raised.value.problems)


def _question(document, question_id):
    return next(q for section in document["sections"] for q in section["questions"] if q["id"] == question_id)


def test_a_follow_up_on_an_unknown_code_is_rejected():
    document = _document()
    _question(document, "NeverEventType")["when"] = {"answer": "NeverEvent", "contains": "yes"}
    assert "unknown codes ['yes'] of NeverEvent" in _problems(document)


def test_a_follow_up_before_its_question_is_rejected():
    document = _document()
    _question(document, "CqcCriteria")["when"] = {"answer": "DutyOfCandour", "contains": "y"}
    assert "CqcCriteria: depends on DutyOfCandour, which is not asked before it" in _problems(document)


def test_a_follow_up_that_can_never_open_is_rejected():
    document = _document()
    _question(document, "NeverEventType")["when"] = {
        "all": [{"answer": "NeverEvent", "contains": "y"}, {"answer": "NeverEvent", "contains": "n"}]
    }
    assert "question NeverEventType is unreachable" in _problems(document)


def test_a_section_for_an_unknown_event_type_is_rejected():
    document = _document()
    document["sections"][0]["event_types"] = ["accident"]
    assert "unknown event types ['accident']" in _problems(document)


def test_the_loader_refuses_a_file_that_names_another_question_set(tmp_path, monkeypatch):
    document = _document()
    document["name"] = "recorder"
    (tmp_path / "statutory-v1.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setattr(questionnaire_loader, "VERSIONS_DIR", tmp_path)
    with pytest.raises(QuestionSetError, match="declares the question set 'recorder'"):
        load_question_set.__wrapped__("1", STATUTORY)
