"""What the load generator writes (docs/adr/0022): the LRMS systems' AdverseEvent payloads and the staff's
narratives, with identifiers planted for the watcher (a unique e-mail address, mobile number and NHS
number, and the names below).

Without Locust, whose gevent patching a Django process must not have: `bench/load/locustfile.py` sends
these, `bench/record_cpu.py` measures what one costs, and tests/load/test_payloads.py sends them to the
API and reads what the service recorded.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import os
import random
import uuid

from tests.events.fhir.payloads import vendor_incident
from tests.events.medication_incident import INCIDENT as MEDICATION_INCIDENT
from tests.events.medication_incident import PATIENT

PLANTED_NAMES = ["Adebayo Okonkwo", "Siobhan Murphy", "Priya Raman", "Tomasz Nowak", "Grace Adeyemi"]
_numbers = itertools.count(random.randrange(10**6))


def nhs_number() -> str:
    while True:
        digits = [random.randrange(10) for _ in range(9)]
        digits[0] = random.randrange(4, 10)
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


# What happened, across the kinds of event LRMS send: a record's narrative draws one of these, so a trust's
# records are not all about one event. LOAD_ALIKE=1 sends every record with the same narrative instead (the
# worst case for the duplicate check: every record is a possible duplicate of every other of its trust).
SCENARIOS = [
    "{patient} was given morphine twice within an hour after the drug chart was misread on the ward round.",
    "{patient} fell from the bed at night while trying to reach the toilet; the bed rails were down.",
    "Insulin was omitted for {patient} at teatime because the pen was not on the trolley; BM rose to 24.",
    "{patient} developed a grade 3 pressure ulcer on the sacrum; repositioning charts had gaps of 8 hours.",
    "NEWS of 7 for {patient} was not escalated for two hours; sepsis was recognised late in the night.",
    "The wrong patient label was put on a blood sample from {patient}; the sample was rejected by the lab.",
    "{patient} was discharged without the anticoagulant prescribed on the ward; found by the GP next day.",
    "An infusion pump alarmed and stopped during the heparin infusion for {patient}; no spare pump nearby.",
    "{patient} left the ward without telling staff while on 15-minute observations and was found in the car park.",
    "A swab count was wrong at the end of the operation on {patient}; an X-ray was taken before closing.",
    "{patient} was given penicillin despite a documented allergy; a rash appeared and was treated.",
    "The electronic record was down for three hours, so the drug round for {patient} used paper charts.",
    "{patient} waited nine hours in the emergency department corridor on a trolley without pressure care.",
    "Staffing was two nurses short on the night shift; observations for {patient} were delayed by four hours.",
    "{patient} was verbally abusive and struck a health care assistant during the evening medicine round.",
    "A CTG showing late decelerations for {patient} was not reviewed by the registrar for forty minutes.",
    "Chest drain for {patient} was clamped and not released after transfer from theatre to the ward.",
    "{patient} choked on a sandwich although the speech and language plan said a soft diet only.",
    "Good care: the team recognised deterioration in {patient} early and the outreach nurse came in minutes.",
    "The referral letter for {patient} was sent to the wrong hospital, delaying the cancer clinic by a month.",
]
FOLLOW_UPS = [
    "Duty of candour discussed with the family.",
    "Reported at the safety huddle; learning shared with the team.",
    "Reviewed by the ward manager, no lasting harm.",
    "Doctor informed and the plan changed; observations increased.",
    "Matron aware and the incident is under review.",
]
ALIKE = os.environ.get("LOAD_ALIKE") == "1"


def event_day() -> dt.date:
    """A night's LRMS batch carries events of the last weeks, not all of one day (LOAD_ALIKE: today)."""
    return dt.date.today() - dt.timedelta(days=0 if ALIKE else random.randrange(28))


def _sub_extensions(resource: dict, name: str) -> list[dict]:
    return next(e["extension"] for e in resource["extension"] if e["url"].rsplit("/", 1)[-1] == f"{name}-5")


def drawn_patient() -> dict[str, object]:
    """A patient's age (whole years: LFPSE counts 372 days a year), sex and physical harm, drawn as a
    trust's records spread (most no or low harm)."""
    return {
        "AgeAtTimeOfIncidentDays": 372 * random.randrange(1, 100),
        "Gender": random.choices(["1", "2", "3", "4"], weights=[50, 46, 2, 2])[0],
        "PhysicalHarm": random.choices(["5", "4"], weights=[70, 30])[0],
    }


def vary_the_patient(resource: dict) -> None:
    """A night's batch is about many patients (`drawn_patient`), not one vendor payload's 51-year-old
    man with low harm for all (LOAD_ALIKE keeps that). The duplicate rule compares these, so alike
    payloads make every record a candidate duplicate of the 150 before it (docs/adr/0022)."""
    if ALIKE:
        return
    patient = next(c for c in resource["contained"] if c["resourceType"] == "Patient")
    drawn = drawn_patient()
    for detail in _sub_extensions(patient, "patient-information"):
        if detail["url"] in drawn:
            key = next(k for k in detail if k.startswith("value"))
            detail[key] = drawn[detail["url"]]


# The medicine a scenario names (its index in SCENARIOS); the others draw one of a ward's common medicines,
# as LRMS records name the patient's medicines whatever happened.
SCENARIO_MEDICINES = {
    0: "Morphine sulfate",
    2: "Insulin aspart",
    6: "Apixaban",
    7: "Heparin sodium",
    10: "Benzylpenicillin",
}
WARD_MEDICINES = [
    "Paracetamol", "Amoxicillin", "Furosemide", "Omeprazole", "Metformin", "Ramipril", "Gentamicin",
    "Enoxaparin", "Co-codamol", "Ondansetron", "Prednisolone", "Levothyroxine", "Morphine sulfate",
]  # fmt: skip
IMMEDIATE_ACTIONS = [
    "Infusion stopped, doctor called",
    "Patient reviewed by the doctor",
    "Observations increased and the family told",
    "Ward manager informed and the patient made safe",
    "Escalated to the outreach team",
]


def medicine_for(scenario: int) -> str:
    return SCENARIO_MEDICINES.get(scenario) or random.choice(WARD_MEDICINES)


def fit_the_event(resource: dict, day: dt.date, scenario: int) -> None:
    """The coded answers of one event, not one vendor payload's for all (LOAD_ALIKE keeps that):
    - the date it happened: the payload says "happened today", which makes the service record today
      and ignore AdverseEvent.date (with a warning), so every record of a run fell on one day, and each
      was a candidate duplicate of every other of its trust (docs/adr/0022, fourth session);
    - the medicine the scenario names, else one of a ward's common ones; what was done at once.
    The duplicate rule compares these (same medicine, same 48 hours)."""
    if ALIKE:
        return
    for detail in _sub_extensions(resource, "adverse-event-estimated-date"):
        if detail["url"] == "IncidentOccurredToday":
            detail["valueCode"] = "y" if day == dt.date.today() else "n"
    medicine = medicine_for(scenario)
    for detail in _sub_extensions(resource, "adverse-event-agent"):
        if detail["url"] == "DrugsInvolved":
            detail["valueString"] = medicine
    for detail in _sub_extensions(resource, "adverse-event-outcome"):
        if detail["url"] == "ImmediateActions":
            detail["valueString"] = random.choice(IMMEDIATE_ACTIONS)


def scenario() -> int:
    """Which of SCENARIOS a record tells (LOAD_ALIKE: always the first)."""
    return 0 if ALIKE else random.randrange(len(SCENARIOS))


def narrative(told: int = 0) -> str:
    number = nhs_number()
    name, nurse = random.sample(PLANTED_NAMES, 2)
    token = uuid.uuid4().hex[:10]
    what = SCENARIOS[told]
    then = FOLLOW_UPS[0] if ALIKE else random.choice(FOLLOW_UPS)
    return (
        what.format(patient=f"Mr {name} (NHS number {number[:3]} {number[3:6]} {number[6:]})")
        + f" {then} Nurse {nurse} called his daughter on 07700 9{next(_numbers) % 100000:05d} and"
        f" emailed ldz{token}@example.org about it."
    )


def lrms_payload(trust: str, site: str, resource_id: str | None = None) -> dict:
    """One AdverseEvent as an LRMS at `trust` (ODS code) sends it for its `site`: one event's date,
    narrative, patient and coded answers; `resource_id` for a PUT of a record sent earlier."""
    day, told = event_day(), scenario()
    resource = json.loads(
        json.dumps(vendor_incident(day)).replace('"RJ121"', f'"{site}"').replace('"RJ1"', f'"{trust}"')
    )
    resource["description"] = narrative(told)
    vary_the_patient(resource)
    fit_the_event(resource, day, told)
    if resource_id:
        resource["id"] = resource_id
    return resource


# A staff recorder's whole journey: an incident of medication (with a patient), every section asked.
INCIDENT = {
    **MEDICATION_INCIDENT,
    "Organisation": "RR8",
    "ReporterOrganisation": "RR8",
    "Description": "",
    "patients": [dict(PATIENT)],
}


def staff_answers() -> dict:
    """A staff recorder's answers: INCIDENT with one event's narrative, date (a day of the last four
    weeks), medicine and patient (LOAD_ALIKE: only the narrative's identifiers change)."""
    answers = copy.deepcopy(INCIDENT)
    told = scenario()
    answers["Description"] = narrative(told)
    if ALIKE:
        return answers
    answers["IncidentOccurredToday"] = "n"
    answers["EventDate"] = (dt.date.today() - dt.timedelta(days=random.randrange(1, 28))).isoformat()
    answers["DrugsInvolved"] = medicine_for(told)
    for patient in answers.get("patients") or []:
        patient.update(drawn_patient())
    return answers
