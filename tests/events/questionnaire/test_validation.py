"""Submitted form strings become typed answers, or specific GOV.UK-style error messages."""

import datetime as dt

import pytest

from events.questionnaire import Kind, Question, Wording, days_from_age, form_data, validate_answer

from .helpers import GOOD_CARE, INCIDENT, QS, journey

TODAY = dt.date(2026, 11, 21)


def check(page_id, data, *, event_type=INCIDENT, answers=None):
    j = journey({"EventType": event_type, **(answers or {})})
    return j.validate(page_id, data, today=TODAY)


def error(page_id, data, **kwargs):
    result = check(page_id, data, **kwargs)
    assert not result.ok
    return result.errors[0].message


def test_event_type_is_required():
    result = journey({}).validate("EventType", {})
    assert result.messages() == {"EventType": "Select what you want to record"}
    assert journey({}).validate("EventType", {"EventType": "4"}).values == {"EventType": "4"}


def test_a_choice_must_be_one_of_the_options():
    assert error("IncidentOccurredToday", {}) == "Select whether the incident happened today"
    assert error("IncidentOccurredToday", {"IncidentOccurredToday": "maybe"}) == (
        "Select whether the incident happened today"
    )
    assert (
        error("IncidentOccurredToday", {}, event_type=GOOD_CARE)
        == "Select whether the good care happened today"
    )
    assert check("IncidentOccurredToday", {"IncidentOccurredToday": "n"}).values == {
        "IncidentOccurredToday": "n"
    }


def test_checkboxes_come_back_in_option_order_and_exclusive_answers_stand_alone():
    ok = check("InvolvedAgents", {"InvolvedAgents": ["11", "4"]})
    assert ok.values == {"InvolvedAgents": ["4", "11"]}
    assert error("InvolvedAgents", {"InvolvedAgents": ["4", "10"]}) == (
        "Select ‘None of the above’ on its own, or choose other answers"
    )
    assert (
        error("InvolvedAgents", {})
        == "Select what was involved in what went wrong, or select ‘None of the above’"
    )


def test_checkboxes_read_a_querydict_like_object():
    class FormData(dict):
        def getlist(self, key):
            return self.get(key, [])

    result = check("InvolvedAgents", FormData(InvolvedAgents=["3", "9"]))
    assert result.values == {"InvolvedAgents": ["3", "9"]}


def test_other_needs_its_text_and_keeps_what_was_typed():
    answers = {"InvolvedAgents": ["4"]}
    result = check("InvolvedProcesses", {"InvolvedProcesses": ["1", "4"]}, answers=answers)
    assert result.messages() == {"InvolvedProcessesOther": "Enter the other process"}
    assert result.errors[0].field == "InvolvedProcessesOther"
    assert result.data["InvolvedProcesses"] == ["1", "4"]
    filled = check(
        "InvolvedProcesses",
        {"InvolvedProcesses": ["4"], "InvolvedProcessesOther": " Storage "},
        answers=answers,
    )
    assert filled.values == {"InvolvedProcesses": ["4"], "InvolvedProcessesOther": "Storage"}
    unticked = check(
        "InvolvedProcesses", {"InvolvedProcesses": ["1"], "InvolvedProcessesOther": "x"}, answers=answers
    )
    assert unticked.values == {"InvolvedProcesses": ["1"]}


def test_an_optional_reveal_may_be_left_empty():
    result = check("SafetyChallenges", {"SafetyChallenges": ["4"]})
    assert result.values == {"SafetyChallenges": ["4"], "RadiotherapyIncidentCode": None}


def test_text_length_and_required_messages():
    assert error("Description", {"Description": "   "}) == "Enter a description of what happened"
    assert (
        error("Description", {"Description": "x" * 32001}) == "Description must be 32,000 characters or less"
    )
    assert check("Description", {"Description": "x" * 32000}).ok
    assert check("Description", {"Description": "Line one\r\nLine two"}).values == {
        "Description": "Line one\nLine two"
    }


def test_optional_questions_left_empty_are_stored_as_skipped():
    assert check("ImmediateActions", {"ImmediateActions": ""}).values == {"ImmediateActions": None}


def test_a_question_optional_for_incidents_is_required_for_good_care():
    assert check("HowFutureOccurrence", {}).values == {"HowFutureOccurrence": None}
    assert error("HowFutureOccurrence", {}, event_type=GOOD_CARE) == (
        "Enter how this good care could be repeated or shared more widely"
    )


DATE = {"IncidentOccurredToday": "n"}


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "field"),
    [
        ("", "", "", "Enter the date the incident happened", "EventDate-day"),
        ("2", "", "2024", "Date must include a month", "EventDate-month"),
        ("", "", "2024", "Date must include a day and month", "EventDate-day"),
        ("31", "2", "2024", "Date must be a real date", "EventDate-day"),
        ("x", "2", "2024", "Date must be a real date", "EventDate-day"),
        ("1", "²", "2024", "Date must be a real date", "EventDate-month"),  # a digit int() cannot read
        ("1", "2", "202²", "Date must be a real date", "EventDate-year"),
        ("1", "13", "2024", "Date must be a real date", "EventDate-month"),
        ("1", "2", "24", "Year must include 4 numbers", "EventDate-year"),
        ("22", "11", "2026", "Date must be today or in the past", "EventDate-day"),
    ],
)
def test_date_errors(day, month, year, message, field):
    data = {"EventDate-day": day, "EventDate-month": month, "EventDate-year": year}
    result = check("EventDate", data, answers=DATE)
    assert (result.errors[0].message, result.errors[0].field) == (message, field)
    assert result.data == data


def test_dates_accept_month_names_and_today():
    data = {"EventDate-day": "21", "EventDate-month": "Nov", "EventDate-year": "2026"}
    assert check("EventDate", data, answers=DATE).values == {"EventDate": "2026-11-21"}
    data = {"EventDate-day": "02", "EventDate-month": "09", "EventDate-year": "1984"}
    assert check("EventDate", data, answers=DATE).values == {"EventDate": "1984-09-02"}


def test_month_and_year():
    answers = {"IncidentOccurredToday": "u"}

    def run(month, year):
        return check(
            "ApproximateDate", {"ApproximateDate-month": month, "ApproximateDate-year": year}, answers=answers
        )

    assert run("3", "2025").values == {"ApproximateDate": "2025-03"}
    assert run("", "").values == {"ApproximateDate": None}
    assert run("3", "").errors[0].message == "The month and year must include a year"
    assert run("13", "2025").errors[0].message == "The month and year must be a real month and year"
    assert run("12", "2026").errors[0].message == "The month and year must be this month or in the past"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("17:05", "17:05"),
        ("9:30", "09:30"),
        ("5:17pm", "17:17"),
        ("5pm", "17:00"),
        ("12am", "00:00"),
        ("17.05", "17:05"),
    ],
)
def test_times(typed, stored):
    assert check("PreciseTime", {"PreciseTime": typed}).values == {"PreciseTime": stored}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("17", "Enter the time in the correct format, like 09:30 or 17:05"),
        ("soon", "Enter the time in the correct format, like 09:30 or 17:05"),
        ("25:00", "Time must be a real time"),
        ("13pm", "Time must be a real time"),
    ],
)
def test_time_errors(typed, message):
    assert error("PreciseTime", {"PreciseTime": typed}) == message


PATIENT = "patients-1-AgeAtTimeOfIncidentDays"


@pytest.mark.parametrize(
    ("value", "unit", "days"),
    [("50", "years", 18600), ("1", "years", 372), ("3", "months", 93), ("2", "weeks", 14), ("5", "days", 5)],
)
def test_age_is_stored_in_days(value, unit, days):
    result = check(PATIENT, {"AgeAtTimeOfIncidentDays-value": value, "AgeAtTimeOfIncidentDays-unit": unit})
    assert result.values == {"AgeAtTimeOfIncidentDays": days}
    assert days_from_age(int(value), unit) == days


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        ("", "", "Enter the patient's age, or select ‘I don't know’"),
        ("4", "", "Select whether the age is in years, months, weeks or days"),
        ("", "years", "Enter the age in years"),
        ("four", "years", "Age must be a whole number"),
        ("4²", "years", "Age must be a whole number"),  # '²'.isdigit() is true, but int() refuses it
        ("0", "years", "Age in years must be between 1 and 199"),
        ("200", "years", "Age in years must be between 1 and 199"),
        (
            "12",
            "months",
            "Age in months must be between 1 and 11. For 12 months or more, enter the age in years",
        ),
        ("5", "weeks", "Age in weeks must be between 1 and 4. For 5 weeks or more, enter the age in months"),
        ("31", "days", "Age in days must be between 1 and 30. For 31 days or more, enter the age in months"),
    ],
)
def test_age_errors(value, unit, message):
    assert (
        error(PATIENT, {"AgeAtTimeOfIncidentDays-value": value, "AgeAtTimeOfIncidentDays-unit": unit})
        == message
    )


def test_age_may_be_unknown():
    result = check(PATIENT, {"AgeAtTimeOfIncidentDays-unit": "unknown", "AgeAtTimeOfIncidentDays-value": "9"})
    assert result.values == {"AgeAtTimeOfIncidentDays": "unknown"}


def test_every_stored_age_is_valid_for_nhs_england():
    # 1-30 days; 31-371 in whole months of 31; then whole years of 372, up to 74,028
    for unit, (_, low, high) in {
        "days": (1, 1, 30),
        "weeks": (7, 1, 4),
        "months": (31, 1, 11),
        "years": (372, 1, 199),
    }.items():
        for value in (low, high):
            days = days_from_age(value, unit)
            assert 1 <= days <= 74028
            assert days <= 30 or (days < 372 and days % 31 == 0) or days % 372 == 0


def test_organisation_codes_are_checked_for_format_only():
    answers = {"LocationKnown": "y"}
    assert check("Organisation", {"Organisation": " rj1 "}, answers=answers).values == {"Organisation": "RJ1"}
    assert check("Organisation", {"Organisation": "A81001"}, answers=answers).ok
    assert error("Organisation", {"Organisation": "RJ1 2"}, answers=answers) == (
        "Enter an ODS code in the correct format, like RJ1 or A81001"
    )
    assert error("Organisation", {"Organisation": "ABCD"}, answers=answers) == (
        "Enter an ODS code in the correct format, like RJ1 or A81001"
    )
    assert error("Organisation", {}, answers=answers) == "Enter the name or ODS code of the organisation"
    other = check(
        "Organisation", {"Organisation": "other", "OrganisationOther": "Village hall"}, answers=answers
    )
    assert other.values == {"Organisation": "other", "OrganisationOther": "Village hall"}
    assert (
        error("Organisation", {"Organisation": "other"}, answers=answers)
        == "Enter the name of the organisation"
    )


def test_specialty_must_come_from_the_list():
    assert check("ResponsibleSpecialty", {"ResponsibleSpecialty": "87"}).values == {
        "ResponsibleSpecialty": "87"
    }
    assert (
        error("ResponsibleSpecialty", {"ResponsibleSpecialty": "9999"}) == "Select a specialty from the list"
    )


def test_linked_record_reference_format():
    assert check("LinkedRecordReference", {"LinkedRecordReference": "146 925 633"}).values == {
        "LinkedRecordReference": "146-925-633"
    }
    assert error("LinkedRecordReference", {"LinkedRecordReference": "14692563"}) == (
        "Enter the reference number in the correct format, like 146-925-633"
    )


def test_numbers():
    question = Question(
        id="NumberOfPatients",
        kind=Kind.NUMBER,
        text=Wording("How many patients?"),
        section_id="test",
        name=Wording("Number of patients"),
        error=Wording("Enter the number of patients"),
        minimum=1,
        maximum=100,
    )
    assert validate_answer(question, {"NumberOfPatients": "1,0"}).values == {"NumberOfPatients": 10}
    assert validate_answer(question, {}).errors[0].message == "Enter the number of patients"
    assert validate_answer(question, {"NumberOfPatients": "2.5"}).errors[0].message == (
        "Number of patients must be a whole number"
    )
    assert validate_answer(question, {"NumberOfPatients": "101"}).errors[0].message == (
        "Number of patients must be between 1 and 100"
    )


def test_every_required_question_has_a_specific_message():
    for question in QS.all_questions():
        if not question.optional:
            assert question.error is not None
            message = question.error.render(QS.event_type(INCIDENT))
            assert message.split()[0] in {"Select", "Enter"}, message
            assert "{" not in message


def test_form_data_refills_the_form_from_stored_answers():
    question = QS.question("AgeAtTimeOfIncidentDays")
    assert form_data(question, {"AgeAtTimeOfIncidentDays": 18600}) == {
        "AgeAtTimeOfIncidentDays-value": "50",
        "AgeAtTimeOfIncidentDays-unit": "years",
    }
    date = QS.question("EventDate")
    assert form_data(date, {"EventDate": "1984-09-02"}) == {
        "EventDate-day": "2",
        "EventDate-month": "9",
        "EventDate-year": "1984",
    }
    processes = QS.question("InvolvedProcesses")
    assert form_data(processes, {"InvolvedProcesses": ["4"], "InvolvedProcessesOther": "x"}) == {
        "InvolvedProcesses": ["4"],
        "InvolvedProcessesOther": "x",
    }
