"""Task-list statuses and the rows of "Review your answers"."""

from events.questionnaire import Journey, Status

from .helpers import GOOD_CARE, INCIDENT, QS, complete, journey


def statuses(j):
    return {item.section_id: item.status for item in j.task_list()}


def test_a_new_incident_task_list():
    items = journey({"EventType": INCIDENT}).task_list()
    assert [(item.title, item.status.value) for item in items] == [
        ("When it happened", "Not yet started"),
        ("Where it happened", "Not yet started"),
        ("What happened", "Not yet started"),
        ("Details of what was involved", "Cannot start yet"),
        ("Patients", "Not yet started"),
        ("Learning points and further details", "Not yet started"),
        ("About you", "Not yet started"),
    ]
    assert items[0].first_page == "IncidentOccurredToday"
    assert items[3].first_page is None
    assert items[4].first_page == "patients-1-AgeAtTimeOfIncidentDays"


def test_statuses_move_from_not_started_to_in_progress_to_completed():
    j = journey({"EventType": INCIDENT})
    j = j.record("IncidentOccurredToday", {"IncidentOccurredToday": "n"})
    assert statuses(j)["when"] == Status.IN_PROGRESS
    j = j.record("EventDate", {"EventDate": "2024-03-01"})
    j = j.record("EstimatedTime", {"EstimatedTime": "6"})
    assert statuses(j)["when"] == Status.COMPLETED


def test_optional_questions_do_not_hold_a_section_back():
    j = journey({"EventType": INCIDENT, "IncidentOccurredToday": "y", "EstimatedTime": "2"})
    assert "PreciseTime" in j.route()
    assert statuses(j)["when"] == Status.COMPLETED


def test_a_required_other_box_holds_a_section_back():
    j = journey({"EventType": GOOD_CARE, "WentWell": "Kind", "GoodCareDetectionFactor": "6"})
    assert statuses(j)["good-care"] == Status.IN_PROGRESS
    j = j.record(
        "GoodCareDetectionFactor", {"GoodCareDetectionFactor": "6", "GoodCareDetectionFactorOther": "A"}
    )
    assert statuses(j)["good-care"] == Status.COMPLETED


def test_agent_sections_cannot_start_until_the_things_involved_are_answered():
    j = journey({"EventType": INCIDENT})
    assert statuses(j)["involved-details"] == Status.CANNOT_START
    j = j.record("InvolvedAgents", {"InvolvedAgents": ["4", "3"]})
    assert "involved-details" not in statuses(j)
    assert statuses(j)["medications"] == Status.NOT_STARTED
    assert statuses(j)["devices"] == Status.NOT_STARTED


def test_patients_are_in_progress_until_every_patient_is_answered():
    j = complete(journey({"EventType": INCIDENT}))
    assert statuses(j)["patients"] == Status.COMPLETED
    j = j.record("patients-1-AnotherPatient", {"AnotherPatient": "y"})
    assert statuses(j)["patients"] == Status.IN_PROGRESS
    assert not j.is_complete()


def test_is_complete_needs_every_required_question():
    j = journey({"EventType": INCIDENT})
    assert not j.is_complete()
    done = complete(j)
    assert done.is_complete()
    assert all(item.status == Status.COMPLETED for item in done.task_list())
    assert not journey({}).is_complete()


def test_review_rows_show_labels_formatted_values_and_change_pages():
    answers = {
        "EventType": INCIDENT,
        "IncidentOccurredToday": "n",
        "EventDate": "2026-11-21",
        "EstimatedTime": "1",
        "PreciseTime": "17:17",
        "LocationKnown": "y",
        "Organisation": "Z45",
        "InvolvedAgents": ["4", "11"],
        "InvolvedProcesses": ["1", "4"],
        "InvolvedProcessesOther": "Storage",
        "patients": [{"AgeAtTimeOfIncidentDays": 18600, "PhysicalHarm": "1", "AnotherPatient": "y"}, {}],
    }
    names = {"Z45": "NHS England & NHS Improvement"}
    review = Journey(QS, answers, organisation_name=names.get).review()
    rows = {(row.caption, row.label): row for section in review for row in section.rows}
    assert rows[("", "Did the incident happen today?")].value == ("No",)
    assert rows[("", "What was the date of the incident?")].value == ("21 November 2026",)
    assert rows[("", "What was the time of the incident?")].value == ("5:17pm",)
    assert rows[("", "What organisation did the incident happen in?")].value == (
        "NHS England & NHS Improvement (Z45)",
    )
    agents = rows[("", "What things were involved in what went wrong?")]
    assert agents.value == ("Medications", "Blood")
    assert agents.page_id == "InvolvedAgents"
    processes = rows[("", "Which of the following processes were involved in what went wrong?")]
    assert processes.value == ("Prescription", "Other: Storage")
    assert rows[("Patient 1", "Age")].value == ("50 years",)
    assert rows[("Patient 1", "Physical harm")].value == ("Fatal",)
    assert rows[("Patient 1", "Physical harm")].page_id == "patients-1-PhysicalHarm"
    assert ("Patient 1", "Psychological harm") not in rows  # fatal: not asked
    assert rows[("Patient 2", "Age")].value == ("Not answered",)
    assert not rows[("Patient 2", "Age")].answered
    # "another patient?" shows once, at the end of the list of patients
    assert ("Patient 1", "Another patient involved") not in rows
    assert ("Patient 2", "Another patient involved") in rows


def test_review_sections_follow_the_task_list_and_leave_out_the_event_type():
    j = complete(journey({"EventType": INCIDENT, "InvolvedAgents": ["3"]}))
    review = j.review()
    assert [section.section_id for section in review] == [item.section_id for item in j.task_list()]
    assert all(row.question_id != "EventType" for section in review for row in section.rows)
    assert [section.title for section in review][:4] == [
        "When it happened",
        "Where it happened",
        "What happened",
        "Devices",
    ]


def test_every_visible_question_has_a_row_and_unanswered_optional_ones_say_not_answered():
    j = journey({"EventType": GOOD_CARE})
    rows = [row for section in j.review() for row in section.rows]
    assert [row.page_id for row in rows] == j.route()[1:]
    assert all(row.value == ("Not answered",) for row in rows)


def test_age_is_shown_in_sensible_units():
    def shown(days):
        j = journey({"EventType": INCIDENT, "patients": [{"AgeAtTimeOfIncidentDays": days}]})
        return next(r.value for s in j.review() for r in s.rows if r.question_id == "AgeAtTimeOfIncidentDays")

    assert shown(372) == ("1 year",)
    assert shown(18600) == ("50 years",)
    assert shown(62) == ("2 months",)
    assert shown(14) == ("2 weeks",)
    assert shown(1) == ("1 day",)
    assert shown(30) == ("30 days",)
    assert shown("unknown") == ("I don't know",)
