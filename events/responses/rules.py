"""National requirements under PSIRF, flagged by rules over a record's answers (pure Python).

PSIRF asks for a patient safety incident investigation (PSII) for every Never Event and every death
thought more likely than not due to problems in care, and for a referral, tracked to its end, to the
body named in the national guidance for maternity incidents meeting MNSI's criteria, deaths of people
with a learning disability or autistic people (LeDeR), child deaths (the child death review), screening
incidents (the screening quality assurance service), deaths in custody (the Prisons and Probation
Ombudsman) and safeguarding concerns (the local authority).

The rules read the recorder's answers (taxonomy version 5/6 codes: events/questionnaire/versions/v5.yaml)
and the statutory and national policy requirements (statutory-v1.yaml), by question id and code. Each
rule is a `Requirement` with a code the decision stores, so the oversight pages and the API count the
same things.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

FATAL = "1"  # PhysicalHarm: "death where the incident more likely than not contributed"
# StrengthOfAssociation codes that say the incident did not (or only possibly) contribute.
NOT_MORE_LIKELY_THAN_NOT = frozenset({"3", "4"})
LEARNING_DISABILITY_SPECIALTY = "52"  # ResponsibleSpecialty "Learning disability"
MATERNITY_SERVICE = "19"  # ServiceArea "Maternity services (inpatient or community)"
PRISON_SERVICE = "8"  # ServiceArea "Prison healthcare"
PRISON_LOCATION = "7"  # LocationWithinService "Prison"
SCREENING_CHALLENGE = "7"  # SafetyChallenges "Screening services incident"
CHILD_AGE_DAYS = 18 * 372  # ages are stored in days, a year counting 372 (taxonomy §2.6)
CHILD_AGE_BRACKETS = frozenset({"1", "2", "3", "4", "5", "6", "7"})  # 0-14 days ... 16 and 17 years


@dataclass(frozen=True)
class Requirement:
    code: str
    title: str
    psii_required: bool  # otherwise: a referral to `body`
    body: str = ""


NEVER_EVENT = Requirement("never_event", "Never Event", True)
DEATH_IN_CARE = Requirement(
    "death_in_care", "Death thought more likely than not due to problems in care", True
)
MATERNITY = Requirement(
    "maternity",
    "Maternity incident meeting the MNSI criteria",
    False,
    "Maternity and Newborn Safety Investigations (MNSI)",
)
LEARNING_DISABILITY = Requirement(
    "learning_disability_death",
    "Death of a person with a learning disability",
    False,
    "Learning from lives and deaths – people with a learning disability and autistic people (LeDeR)",
)
CHILD_DEATH = Requirement(
    "child_death", "Death of a child", False, "Child death review (Child Death Overview Panel)"
)
SCREENING = Requirement(
    "screening", "Screening services incident", False, "NHS England Screening Quality Assurance Service"
)
CUSTODY = Requirement("custody_death", "Death in custody", False, "Prisons and Probation Ombudsman")
SAFEGUARDING = Requirement("safeguarding", "Safeguarding concern", False, "Local authority safeguarding team")
REQUIREMENTS = (
    NEVER_EVENT,
    DEATH_IN_CARE,
    MATERNITY,
    LEARNING_DISABILITY,
    CHILD_DEATH,
    SCREENING,
    CUSTODY,
    SAFEGUARDING,
)
BY_CODE = {requirement.code: requirement for requirement in REQUIREMENTS}


def _codes(value: Any) -> set[str]:
    if isinstance(value, list | tuple):
        return {str(code) for code in value}
    return set() if value in (None, "") else {str(value)}


def _patients(answers: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    patients = answers.get("patients")
    return [p for p in patients if isinstance(p, Mapping)] if isinstance(patients, list) else []


def _dead(patient: Mapping[str, Any]) -> bool:
    return str(patient.get("PhysicalHarm")) == FATAL


def _death_in_care(patient: Mapping[str, Any]) -> bool:
    return _dead(patient) and str(patient.get("StrengthOfAssociation")) not in NOT_MORE_LIKELY_THAN_NOT


def _child(patient: Mapping[str, Any]) -> bool:
    age = patient.get("AgeAtTimeOfIncidentDays")
    if isinstance(age, int):
        return age < CHILD_AGE_DAYS
    return str(patient.get("AgeBracket")) in CHILD_AGE_BRACKETS


type Rule = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]

RULES: dict[Requirement, Rule] = {
    NEVER_EVENT: lambda answers, statutory: statutory.get("NeverEvent") == "y",
    DEATH_IN_CARE: lambda answers, statutory: any(_death_in_care(p) for p in _patients(answers)),
    MATERNITY: lambda answers, statutory: statutory.get("HsibNotify") == "y",
    LEARNING_DISABILITY: lambda answers, statutory: (
        LEARNING_DISABILITY_SPECIALTY in _codes(answers.get("ResponsibleSpecialty"))
        and any(_dead(p) for p in _patients(answers))
    ),
    CHILD_DEATH: lambda answers, statutory: any(_dead(p) and _child(p) for p in _patients(answers)),
    SCREENING: lambda answers, statutory: SCREENING_CHALLENGE in _codes(answers.get("SafetyChallenges")),
    CUSTODY: lambda answers, statutory: (
        (
            PRISON_SERVICE in _codes(answers.get("ServiceArea"))
            or PRISON_LOCATION in _codes(answers.get("LocationWithinService"))
        )
        and any(_dead(p) for p in _patients(answers))
    ),
    SAFEGUARDING: lambda answers, statutory: statutory.get("LocalAuthoritySafeguarding") == "y",
}


def national_requirements(
    answers: Mapping[str, Any] | None, statutory: Mapping[str, Any] | None = None
) -> tuple[Requirement, ...]:
    """The national requirements a record meets, in the order of REQUIREMENTS."""
    answers, statutory = answers or {}, statutory or {}
    return tuple(requirement for requirement, rule in RULES.items() if rule(answers, statutory))


def psii_required(requirements) -> bool:
    return any(requirement.psii_required for requirement in requirements)


def referral_bodies(requirements) -> tuple[str, ...]:
    return tuple(requirement.body for requirement in requirements if not requirement.psii_required)


def candour_applies(answers: Mapping[str, Any] | None, statutory: Mapping[str, Any] | None) -> bool:
    """A notifiable safety incident: the statutory answer says so, or moderate harm or worse."""
    if (statutory or {}).get("DutyOfCandour") == "y":
        return True
    if (statutory or {}).get("DutyOfCandour") == "n":
        return False
    return any(str(p.get("PhysicalHarm")) in {"1", "2", "3"} for p in _patients(answers or {}))
