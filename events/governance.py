"""The statutory and national policy questions an admin answers about a record (taxonomy §2.13), as data.

These are not part of the recorder's question set (events/questionnaire/versions/v5.yaml says so):
they are asked later, by the organisation's admins, and stored beside the record's revisions in
StatutoryRequirements (docs/adr/0009). Ids are the taxonomy's property names, so that they are also
the CSV's column headers. Yes/no answers are stored as "y"/"n", like the recorder's; an admin may
leave any question unanswered ("the Duty of Candour answer often isn't known at first").

Pure Python: no Django here, so the form, the presenters and the CSV all read the same document.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

VERSION = "1"
# The event types (question set keys) the questions apply to: the governance block belongs to
# incidents (taxonomy §0.6 and §2.16).
APPLIES_TO = frozenset({"incident"})

YES, NO = "y", "n"
YES_NO = ((YES, "Yes"), (NO, "No"))
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class GovernanceQuestion:
    id: str
    text: str  # the question as asked, and its label on the record
    kind: str  # "yes_no", "single" (radios) or "multiple" (checkboxes)
    options: tuple[tuple[str, str], ...] = YES_NO
    follows: str | None = None  # asked (and required) only when this yes/no question is answered "y"
    error: str = "Select yes or no"  # when a follow-up is left empty, or a value is not an option

    def label(self, code: str) -> str:
        return dict(self.options).get(code, code)


@dataclass(frozen=True)
class GovernanceSection:
    id: str
    title: str
    questions: tuple[GovernanceQuestion, ...]


CQC_CRITERIA = (
    ("1", "Death of a service user"),
    ("2", "Serious injury of a service user"),
    ("3", "Abuse or allegations of abuse"),
    ("4", "Events that stop or may stop a service running"),
)
NEVER_EVENT_TYPES = (
    ("1", "Wrong site surgery"),
    ("2", "Wrong implant/prosthesis"),
    ("3", "Retained foreign object post procedure"),
    ("4", "Mis-selection of a strong potassium solution"),
    ("5", "Administration of medication by the wrong route"),
    ("6", "Overdose of insulin due to abbreviations or incorrect device"),
    ("7", "Overdose of methotrexate for non-cancer treatment"),
    ("8", "Mis-selection of high strength midazolam during conscious sedation"),
    ("9", "Failure to install functional collapsible shower or curtain rails"),
    ("10", "Falls from poorly restricted windows"),
    ("11", "Chest or neck entrapment in bed rails"),
    ("12", "Transfusion or transplantation of ABO-incompatible blood components or organs"),
    ("13", "Misplaced naso- or oro-gastric tubes"),
    ("14", "Scalding of patients"),
    ("15", "Unintentional connection of a patient requiring oxygen to an air flowmeter"),
)

SECTIONS: tuple[GovernanceSection, ...] = (
    GovernanceSection(
        "statutory",
        "Statutory requirements",
        (
            GovernanceQuestion(
                "CqcNotify", "Does this event require statutory notification to CQC?", "yes_no"
            ),
            GovernanceQuestion(
                "CqcCriteria",
                "Which CQC notification criteria does this event meet?",
                "multiple",
                CQC_CRITERIA,
                follows="CqcNotify",
                error="Select the CQC notification criteria this event meets",
            ),
            GovernanceQuestion(
                "DutyOfCandour",
                "Does this qualify as a notifiable safety incident under the Duty of Candour regulations?",
                "yes_no",
            ),
            GovernanceQuestion(
                "LocalAuthoritySafeguarding",
                "Has this event been referred to the local authority safeguarding team?",
                "yes_no",
            ),
            GovernanceQuestion(
                "DesignationsMentalHealth",
                "Was the patient detained (sectioned) under the Mental Health Act?",
                "yes_no",
            ),
            GovernanceQuestion(
                "DeprivationOfLiberty",
                "Was the patient subject to a Deprivation of Liberty Safeguards (DoLS) authorisation?",
                "yes_no",
            ),
        ),
    ),
    GovernanceSection(
        "national",
        "National policy requirements",
        (
            GovernanceQuestion(
                "NeverEvent", "Does this event meet the national definition of a Never Event?", "yes_no"
            ),
            GovernanceQuestion(
                "NeverEventType",
                "Which type of Never Event is it?",
                "single",
                NEVER_EVENT_TYPES,
                follows="NeverEvent",
                error="Select the type of Never Event",
            ),
            GovernanceQuestion(
                "SeriousIncident",
                "Does this event meet the national definition of a Serious Incident?",
                "yes_no",
            ),
            GovernanceQuestion(
                "HsibNotify",
                "Does this incident relate to a baby and/or mother and require notification to "
                "Maternity and Newborn Safety Investigations (MNSI, formerly HSIB) under the defined "
                "criteria for maternity investigations?",
                "yes_no",
            ),
        ),
    ),
)


def questions() -> Iterator[GovernanceQuestion]:
    for section in SECTIONS:
        yield from section.questions


def applies_to(event_type_key: str | None) -> bool:
    return event_type_key in APPLIES_TO


def clean_answers(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed answers from submitted values ({id: code or [codes]}), or errors by question id.

    A follow-up question is kept only when its yes/no question is "y", and is then required.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions():
        value = raw.get(question.id)
        if question.follows and answers.get(question.follows) != YES:
            continue
        codes = [code for code, _ in question.options]
        if question.kind == "multiple":
            submitted = set(value or ())
            value = [code for code in codes if code in submitted] if submitted <= set(codes) else "invalid"
        if value and (value in codes or isinstance(value, list)):
            answers[question.id] = value
        elif value or question.follows:
            errors[question.id] = question.error
    return answers, errors


@dataclass(frozen=True)
class GovernanceRow:
    question_id: str
    label: str
    value: tuple[str, ...]


def review_rows(answers: Mapping[str, Any] | None) -> list[tuple[GovernanceSection, list[GovernanceRow]]]:
    """What the record page shows, by section: every question asked, "Not answered" where empty."""
    answers = answers or {}
    result = []
    for section in SECTIONS:
        rows = []
        for question in section.questions:
            if question.follows and answers.get(question.follows) != YES:
                continue
            rows.append(
                GovernanceRow(question.id, question.text, display_lines(question, answers.get(question.id)))
            )
        result.append((section, rows))
    return result


def display_lines(question: GovernanceQuestion, value: Any) -> tuple[str, ...]:
    if value in (None, "", []):
        return (NOT_ANSWERED,)
    codes = value if isinstance(value, list) else [value]
    return tuple(question.label(str(code)) for code in codes)
