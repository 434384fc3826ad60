"""Generate the labelled evaluation set for the anonymisation pipeline.

    .venv/bin/python bench/anonymisation_dataset.py [--count 600] \
        [--out fixtures/anonymisation/evaluation.jsonl]

Every narrative is assembled from the clinical sentence templates below and filled with Faker values
(names from many locales), with a fixed seed, so the file is reproducible with the pinned Faker version.
Each line is ``{"id", "text", "spans": [{"type","start","end"}], "keep": [{"type","start","end"}]}``:
``spans`` must be redacted, ``keep`` (eponyms, drugs, wards, job titles, incident dates, places) must not.

The vocabulary here is the generator's own and is deliberately not shared with the pipeline's allow-list,
so that the evaluation measures recognition rather than memory.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker

SEED = 20250611
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "fixtures" / "anonymisation" / "evaluation.jsonl"

# Locale -> weight. Chinese and Japanese names are taken in their romanised form, as a UK record holds them.
NAME_LOCALES = {
    "en_GB": 24, "en_IE": 4, "en_IN": 8, "en_PK": 5, "pl_PL": 6, "ro_RO": 4, "lt_LT": 2, "yo_NG": 5,
    "ig_NG": 3, "ha_NG": 3, "tw_GH": 2, "sw": 2, "zu_ZA": 1, "zh_CN": 5, "ja_JP": 1, "es_ES": 3, "pt_PT": 3,
    "it_IT": 3, "fr_FR": 2, "de_DE": 2, "tr_TR": 3, "hu_HU": 2, "id_ID": 1, "en_KE": 2, "uz_UZ": 1,
}  # fmt: skip
ROMANISED = {"zh_CN", "ja_JP"}

EPONYMS = [
    "Parkinson's disease", "Alzheimer's disease", "Down syndrome", "Down's syndrome", "Crohn's disease",
    "Cushing's syndrome", "Addison's disease",
    "Bell's palsy", "Guillain-Barré syndrome", "Huntington's disease",
    "Graves' disease", "Hodgkin lymphoma",
    "Raynaud's phenomenon", "Korsakoff syndrome", "Wernicke's encephalopathy",
    "Stevens-Johnson syndrome", "Tourette syndrome",
    "Lewy body dementia", "Paget's disease", "Barrett's oesophagus",
    "Ménière's disease", "Hashimoto's thyroiditis", "Creutzfeldt-Jakob disease", "Sjögren's syndrome",
    "Wilson's disease", "Turner syndrome", "Marfan syndrome", "Kawasaki disease", "Dupuytren's contracture",
]  # fmt: skip
EPONYM_SCORES = [
    "Glasgow Coma Scale", "Apgar score", "Waterlow score", "Braden scale", "Wells score", "Bishop score",
    "Glasgow-Blatchford score", "Rockall score",
    "modified Rankin scale", "Abbey pain scale", "Bristol stool chart",
]  # fmt: skip
EPONYM_DEVICES = [
    "Foley catheter", "Hickman line", "Ryles tube", "Guedel airway", "Yankauer sucker", "Zimmer frame",
    "Thomas splint", "Venturi mask", "Hudson mask", "Sengstaken tube", "Swan-Ganz catheter", "Pavlik harness",
    "Bair Hugger", "Sara Stedy", "Miami J collar",
]  # fmt: skip
EPONYM_PROCEDURES = [
    "Hartmann's procedure", "Whipple's procedure", "Caesarean section", "Nissen fundoplication",
    "Heimlich manoeuvre", "Valsalva manoeuvre", "Epley manoeuvre", "Seldinger technique", "Colles fracture",
    "Pfannenstiel incision",
]  # fmt: skip
DRUGS = [
    "paracetamol", "morphine sulfate", "Oramorph", "oxycodone",
    "enoxaparin", "Clexane", "warfarin", "apixaban",
    "insulin glargine", "NovoRapid", "gentamicin", "vancomycin", "co-amoxiclav", "Tazocin", "flucloxacillin",
    "metformin", "furosemide", "bisoprolol", "amlodipine", "levothyroxine", "prednisolone", "lorazepam",
    "haloperidol", "clozapine", "lithium", "sertraline", "tramadol", "ondansetron", "cyclizine", "omeprazole",
    "salbutamol", "heparin", "digoxin", "amiodarone",
    "adrenaline", "oxytocin", "labetalol", "magnesium sulfate",
    "potassium chloride", "naloxone", "fentanyl", "midazolam", "ceftriaxone", "meropenem", "levetiracetam",
]  # fmt: skip
NAMED_WARDS = [
    "Rowan", "Willow", "Maple", "Kingfisher", "Oak", "Cedar", "Bluebell", "Primrose", "Heron", "Lavender",
    "Nightingale", "Elizabeth", "Victoria", "Churchill", "Florence", "Jubilee", "Harbour", "Phoenix",
]  # fmt: skip
UNITS = [
    "the Acute Medical Unit", "Critical Care", "the Emergency Department", "the Coronary Care Unit",
    "the Delivery Suite", "the Neonatal Unit", "the Discharge Lounge", "Theatre 4", "the Stroke Unit",
    "the Same Day Emergency Care unit", "Recovery", "the Birth Centre",
]  # fmt: skip
HOSPITALS = [
    "{town} General Hospital", "Royal {town} Infirmary", "{town} Community Hospital", "St Luke's Hospital",
    "St George's Hospital", "Queen Elizabeth Hospital", "{town} Royal Hospital",
]  # fmt: skip
TOWNS = [
    "Leeds",
    "Bradford",
    "Derby",
    "Leicester",
    "Norwich",
    "Exeter",
    "Sunderland",
    "Wigan",
    "Luton",
    "Ipswich",
]
STREET_TYPES = [
    "Road", "Street", "Avenue", "Lane", "Close", "Drive", "Crescent", "Way", "Gardens", "Court", "Grove",
    "Place", "Terrace", "Walk", "Mews", "Rise", "View", "Square", "Parade", "Hill",
]  # fmt: skip
STREET_STEMS = [
    "Acacia", "Station", "Church", "Mill", "Victoria",
    "Park", "Kings", "Queens", "Manor", "Windsor", "Albert",
    "Chestnut", "Meadow", "Orchard", "Springfield", "Highfield", "New", "Green", "Castle", "Riverside",
]  # fmt: skip
NURSE_TITLES = [
    ("Nurse", None), ("Staff Nurse", "JOB_TITLE"), ("Sister", None), ("Charge Nurse", "JOB_TITLE"),
    ("Student Nurse", "JOB_TITLE"), ("HCA", "JOB_TITLE"), ("Midwife", None), ("SN", None),
]  # fmt: skip
DOCTOR_TITLES = [
    ("Dr", None), ("Dr", None), ("Dr.", None), ("Doctor", None), ("Consultant", "JOB_TITLE"),
    ("Registrar", "JOB_TITLE"), ("FY1", "JOB_TITLE"), ("Mr", None), ("Miss", None), ("Prof", None),
]  # fmt: skip
COLLEAGUE_ROLES = [
    "porter", "pharmacist", "physiotherapist", "paramedic", "ward clerk", "healthcare assistant",
    "bank nurse", "agency nurse", "site manager", "phlebotomist", "occupational therapist", "bed manager",
]  # fmt: skip
RELATIONS = {
    "F": ["daughter", "wife", "sister", "niece", "mother", "granddaughter", "partner", "neighbour", "carer"],
    "M": ["son", "husband", "brother", "nephew", "father", "grandson", "partner", "neighbour", "carer"],
}
EMAIL_DOMAINS = [
    "nhs.net",
    "gmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "yahoo.co.uk",
    "btinternet.com",
    "icloud.com",
]

# Sentence templates. {placeholders} are filled by Narrative.fill; see SLOT_HELP at the end of the file.
OPENINGS = [
    "On {date} at {time} {patient} was found on the floor beside bed {bed} on {ward}.",
    "{patient}, a {age}-year-old with {eponym}, had an unwitnessed fall in the bathroom on {ward} on {date}.",
    "At {time} on {date} {nurse} found {patient} confused and agitated in the day room of {ward}.",
    "{patient} was admitted to {ward} on {date} with a chest infection and a background of {eponym}.",
    "During the night shift on {date}, {patient} pulled out their {device} and was bleeding.",
    "{patient} attended {unit} at {hospital} on {date} after a fall at home.",
    "Handover on {ward} at {time} did not mention that {patient} was nil by mouth.",
    "{patient} was transferred from {unit} to {ward} at {time} without the {score} being repeated.",
    "Baby of {patient} was delivered on {ward} at {time}; the {score} was 6 at one minute.",
    "{patient} was listed for a {procedure} on {date} but the consent form was missing from the notes.",
    "On {date} {patient} was given {drug} twice within an hour on {ward}.",
    "{patient} was brought in by ambulance at {time} on {date} and waited four hours in a corridor.",
    "{nurse} reported that {patient} had developed a grade 3 pressure ulcer on the sacrum on {ward}.",
    "{patient} ({age}) with {eponym} was discharged from {ward} on {date} without their {drug}.",
    "A {age}-year-old, {patient}, had a {procedure} on {date} and returned to {ward} at {time}.",
]  # fmt: skip
DETAILS = [
    "{nurse} checked the prescription chart and found that {drug} had been prescribed twice.",
    "{doctor} was bleeped at {time} and attended twenty minutes later; the {score} was 14.",
    "The {device} had not been secured and {patient_again} said it was uncomfortable.",
    "{nurse_again} escalated to the nurse in charge, who contacted {doctor}.",
    "{colleague} helped to move {patient_again} back to bed using a hoist.",
    "{patient_again} told {nurse_again} that they had taken their own {drug} from home.",
    "The dose of {drug} was drawn up by {nurse} and checked by {colleague}.",
    "{doctor} reviewed {patient_again} and requested a CT head because of the {drug}.",
    "Observations were recorded by {nurse}: NEWS2 score 5, GCS 15, no new injury.",
    "{patient_again} has {eponym} and a known history of falls, with a {device} at the bedside.",
    "{relative} had raised concerns about {patient_again}'s medication the previous evening.",
    "Staffing on {ward} was two registered nurses short and {nurse} was covering two bays.",
    "{doctor} wrote that the {score} should be repeated hourly but this was not done.",
    "Pharmacist {staff_name} found that the {drug} had been given at the wrong time on {date}.",
    "{nurse_again} tried to contact {doctor_again} three times before {time}.",
    "The patient's {relative} arrived at {time} and was very upset about the delay.",
    "A falls risk assessment had been completed by {nurse} on admission but not updated.",
    "{patient_again} became drowsy after {drug} and naloxone was given by {doctor_again}.",
    "{colleague} noticed that the {device} had been left in place for 12 days.",
    "{relative_again} said that {patient_again} had never had {drug} before.",
    "The bed rails had been left down and the call bell was out of reach of {patient_again}.",
    "{doctor} discussed the plan with {relative} by telephone at {time}.",
    "Datix was completed by {nurse} and the ward manager was informed.",
    "{patient_again} was moved to a side room on {ward} because of {eponym} and agitation.",
]  # fmt: skip
PII_SENTENCES = [
    "The wristband showed NHS number {nhs} but the drug chart had a different number.",
    "NHS no. {nhs} was written on the specimen for {patient_again} but it belonged to another patient.",
    "The referral letter gave {patient_again}'s NHS number as {nhs}.",
    "The patient label ({nhs}) was put on the wrong set of notes.",
    "{relative} can be contacted on {phone} if there are any questions.",
    "The ward tried to ring {relative} on {phone} but there was no answer.",
    "{relative_again} left a mobile number, {phone}, with the ward clerk.",
    "The discharge summary was emailed to {email} instead of the GP practice.",
    "{relative} asked for an update to be sent to {email}.",
    "Please contact {staff_email} for the investigation report.",
    "The letter went to {address_town} {postcode}, the patient's old address.",
    "{patient_again} lives at {address} with {relative}.",
    "The ambulance was sent to {address}, {postcode} instead of the care home.",
    "The patient's postcode ({postcode}) was entered incorrectly on the system.",
    "Date of birth on the label was {dob} but the patient said it was wrong.",
    "Two patients with the same surname were on the ward; DOB {dob} was not checked.",
    "{patient_again} (DOB: {dob}) was given another patient's {drug}.",
    "The request form had d.o.b. {dob} and the wrong hospital number.",
    "The blood sample was labelled with hospital number {hospno}, which belongs to another patient.",
    "MRN {hospno} was used for both patients on the theatre list.",
    "The X-ray was booked against unit number {hospno} by mistake.",
    "{doctor} (GMC {gmc}) signed the prescription without checking allergies.",
    "The locum, {doctor_full}, gave GMC number {gmc} on arrival.",
    "The agency nurse's NMC PIN was recorded as {nmc} on the rota.",
    "{nurse} (NMC PIN {nmc}) administered the dose.",
    "The paramedic's HCPC registration {hcpc} was recorded on the handover form.",
    "National Insurance number {ni} was printed on the discharge letter given to the wrong patient.",
    "The benefits form for {patient_again} showed the NI number {ni} in full.",
    "{relative} posted a video of the ward on {url} which showed other patients.",
    "A photo of the whiteboard with patient names was shared on {url}.",
]  # fmt: skip
CLOSINGS = [
    "Duty of candour was discussed with {relative} on {date}.",
    "{patient_again} came to no lasting harm and the family have been informed.",
    "The incident was discussed at the safety huddle on {date}.",
    "Learning has been shared with the team on {ward}.",
    "{doctor_again} has apologised to {patient_again} and {relative_again}.",
    "A 72-hour review has been requested by the matron.",
    "{nurse_again} will complete reflective practice and the medicines management training.",
    "The ward manager, {staff_full}, will follow this up with the pharmacy team.",
    "Safeguarding referral made; {relative_again} is aware.",
    "No harm was caused but this was a near miss.",
]  # fmt: skip
# Sentences full of capitalised words that are not people: other hospitals, towns, charities, faiths,
# languages, clinical systems, devices and days. They test precision; their terms are "keep" spans.
CONTEXT_SENTENCES = [
    "{patient_again} was transferred to {named_hospital} for specialist care.",
    "The {charity} nurse had visited the week before.",
    "The family are Jehovah's Witnesses and declined blood products.",
    "A {language} interpreter was booked but did not attend, so a relative interpreted.",
    "The incident happened over the {holiday} bank holiday weekend.",
    "Police were called at {time} and two officers attended {ward}.",
    "{patient_again} had been staying in {town_elsewhere} with family before admission.",
    "The referral was sent through {system} but nobody picked it up.",
    "The {device_brand} alarmed repeatedly overnight and was silenced.",
    "This happened on a {weekday} night when the hospital was on black alert.",
    "{patient_again} is a practising {faith} and was fasting for {festival}.",
    "The prescription was sent to {pharmacy} instead of the hospital pharmacy.",
]  # fmt: skip
NAMED_HOSPITALS = [
    "Great Ormond Street Hospital", "Addenbrooke's Hospital", "Guy's Hospital", "St Thomas' Hospital",
    "Leeds General Infirmary", "Queen's Medical Centre",
    "Royal Stoke University Hospital", "the Freeman Hospital",
    "Alder Hey", "Moorfields Eye Hospital", "the Royal Marsden", "Derriford Hospital", "Ninewells Hospital",
    "Musgrove Park Hospital", "Frimley Park Hospital",
    "Pinderfields", "Wythenshawe Hospital", "Morriston Hospital",
]  # fmt: skip
CHARITIES = ["Macmillan", "Marie Curie", "Admiral", "hospice at home", "Parkinson's UK specialist"]
LANGUAGES = [
    "Polish",
    "Urdu",
    "Tigrinya",
    "Romanian",
    "Bengali",
    "Kurdish Sorani",
    "Tamil",
    "Amharic",
    "Lingala",
]
HOLIDAYS = ["Easter", "Christmas", "Whitsun", "August", "May Day"]
TOWNS_ELSEWHERE = [
    "Harrogate", "Scunthorpe", "Kettering",
    "Aberystwyth", "Stoke-on-Trent", "Milton Keynes", "Bury St Edmunds",
    "Hemel Hempstead", "Bishop Auckland", "King's Lynn", "Stratford-upon-Avon", "Lagos", "Krakow", "Karachi",
]  # fmt: skip
SYSTEMS = [
    "SystmOne",
    "EMIS Web",
    "Cerner Millennium",
    "Epic",
    "Lorenzo",
    "Nervecentre",
    "Careflow",
    "Medway",
    "RiO",
    "CareNotes",
]
DEVICE_BRANDS = [
    "Alaris pump", "Dexcom sensor", "FreeStyle Libre reader", "Omnipod", "McKinley T34 syringe driver",
    "Graseby driver", "Philips monitor", "Welch Allyn machine", "Stryker bed", "Arjo hoist",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FAITHS = [("Muslim", "Ramadan"), ("Hindu", "Navratri"), ("Christian", "Lent"), ("Jew", "Yom Kippur")]
PHARMACIES = ["Boots on the high street", "Lloyds Pharmacy", "the Superdrug pharmacy", "Well Pharmacy"]

# Templates written as a tired member of staff types them, in lower case and shorthand.
LOWERCASE_NOTES = [
    "pt {patient} found on floor by {nurse} at {time}, {relative} informed.",
    "{drug} given late as {doctor} was in theatre. {relative} unhappy about the delay.",
    "{nurse} and {colleague} used the hoist. pt has {eponym}.",
    "spoke to {doctor} who said to hold the {drug}. {relative} aware.",
    "pt called {patient_first} was very distressed, {nurse} stayed with them.",
    "{patient} dob {dob} nhs no {nhs} wrong label on bloods.",
    "{relative} rang from {phone} asking why {patient_again} was moved to {ward}.",
]  # fmt: skip


def _ascii(text: str) -> str:
    table = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "ß": "ss", "đ": "d", "ə": "e", "Ə": "E"})
    decomposed = unicodedata.normalize("NFKD", text.translate(table))
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-"))


def _lower_same_length(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass
class Person:
    first: str
    last: str
    sex: str
    honorific: str
    relation: str
    locale: str
    lowercase: bool = False
    mentions: int = 0

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Segment:
    text: str
    label: str | None = None  # entity type to redact
    keep: str | None = None  # vocabulary type that must stay
    locale: str | None = None  # for names: the Faker locale it came from


@dataclass
class Narrative:
    rng: random.Random
    fakers: dict[str, Faker]
    segments: list[Segment] = field(default_factory=list)
    cast: dict[str, Person] = field(default_factory=dict)
    lowercase: bool = False

    # People -----------------------------------------------------------------------------------------
    def person(self, role: str, sex: str | None = None) -> Person:
        if role not in self.cast:
            locale = self.rng.choices(list(NAME_LOCALES), weights=list(NAME_LOCALES.values()))[0]
            fake = self.fakers[locale]
            sex = sex or self.rng.choice("FM")
            if locale in ROMANISED:
                first, last = fake.first_romanized_name(), fake.last_romanized_name()
            else:
                first = fake.first_name_female() if sex == "F" else fake.first_name_male()
                last = (
                    fake.last_name_female()
                    if sex == "F" and hasattr(fake, "last_name_female")
                    else fake.last_name()
                )
            first = first.split()[0]
            honorific = self.rng.choice(["Mrs", "Ms", "Miss"]) if sex == "F" else "Mr"
            relation = self.rng.choice(RELATIONS[sex])
            self.cast[role] = Person(
                first, last, sex, honorific, relation, locale, lowercase=self.rng.random() < 0.06
            )
        return self.cast[role]

    def name(self, person: Person, text: str) -> Segment:
        return Segment(
            _lower_same_length(text) if person.lowercase else text, label="PERSON", locale=person.locale
        )

    def mention_patient(self, again: bool) -> list[Segment]:
        p = self.person("patient")
        form = self.rng.random()
        if not again and p.mentions == 0:
            p.mentions += 1
            if form < 0.45:
                return [self.name(p, p.full)]
            if form < 0.85:
                return [Segment(p.honorific + " "), self.name(p, p.last)]
            return [Segment(p.honorific + " "), self.name(p, p.full)]
        p.mentions += 1
        if form < 0.35:
            return [Segment(p.honorific + " "), self.name(p, p.last)]
        if form < 0.7:
            return [self.name(p, p.first)]
        if form < 0.85:
            return [self.name(p, p.full)]
        return [Segment("the patient")]

    def mention_staff(self, role: str, titles: list[tuple[str, str | None]], again: bool) -> list[Segment]:
        p = self.person(role)
        title, keep = self.rng.choice(titles)
        if title in ("Mr", "Miss"):
            title = p.honorific
        elif title == "Sister" and p.sex == "M":
            title, keep = "Charge Nurse", "JOB_TITLE"
        form = self.rng.random()
        if again and p.mentions:
            p.mentions += 1
            if form < 0.5:
                return [self.name(p, p.first)]
            return [Segment(title + " ", keep=keep), self.name(p, p.last)]
        p.mentions += 1
        prefix = [Segment(title, keep=keep), Segment(" ")]
        if form < 0.4:
            return [*prefix, self.name(p, p.last)]
        if form < 0.8:
            return [*prefix, self.name(p, p.full)]
        if form < 0.9:
            return [self.name(p, p.full), Segment(" ("), Segment(title, keep=keep), Segment(")")]
        return [*prefix, self.name(p, p.first)]

    def mention_relative(self, again: bool) -> list[Segment]:
        p = self.person("relative")
        if again and p.mentions:
            p.mentions += 1
            return (
                [self.name(p, p.first)]
                if self.rng.random() < 0.7
                else [Segment(p.honorific + " "), self.name(p, p.last)]
            )
        p.mentions += 1
        relation = p.relation
        owner = self.rng.choice(["the patient's", "her", "his", "their"])
        form = self.rng.random()
        if form < 0.45:
            return [Segment(f"{owner} {relation} "), self.name(p, p.first)]
        if form < 0.75:
            return [Segment(f"{owner} {relation}, "), self.name(p, p.full), Segment(",")]
        if form < 0.9:
            return [Segment(f"{owner} {relation} ("), self.name(p, p.full), Segment(")")]
        return [Segment(f"{owner} {relation} {p.honorific} "), self.name(p, p.last)]

    def mention_colleague(self) -> list[Segment]:
        p = self.person("colleague")
        role = self.rng.choice(COLLEAGUE_ROLES)
        p.mentions += 1
        form = self.rng.random()
        if form < 0.5:
            return [Segment("the "), Segment(role, keep="JOB_TITLE"), Segment(" "), self.name(p, p.first)]
        if form < 0.8:
            return [self.name(p, p.full), Segment(" ("), Segment(role, keep="JOB_TITLE"), Segment(")")]
        return [Segment(role.capitalize(), keep="JOB_TITLE"), Segment(" "), self.name(p, p.full)]

    # Identifiers --------------------------------------------------------------------------------------
    def nhs_number(self) -> str:
        while True:
            digits = [self.rng.randint(4, 7)] + [self.rng.randint(0, 9) for _ in range(8)]
            check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
            check = 0 if check == 11 else check
            if check != 10:
                number = "".join(map(str, [*digits, check]))
                style = self.rng.random()
                if style < 0.5:
                    return f"{number[:3]} {number[3:6]} {number[6:]}"
                return number if style < 0.85 else f"{number[:3]}-{number[3:6]}-{number[6:]}"

    def ni_number(self) -> str:
        first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
        while (prefix := self.rng.choice(first) + self.rng.choice(second)) in {
            "BG",
            "GB",
            "NK",
            "KN",
            "TN",
            "NT",
            "ZZ",
        }:
            pass
        digits = f"{self.rng.randint(0, 999999):06d}"
        suffix = self.rng.choice("ABCD")
        if self.rng.random() < 0.5:
            return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
        return f"{prefix}{digits}{suffix}"

    def phone(self) -> str:
        fake = self.fakers["en_GB"]
        return fake.cellphone_number() if self.rng.random() < 0.5 else fake.phone_number()

    def date(self, year_from: int, year_to: int) -> str:
        year, month, day = (
            self.rng.randint(year_from, year_to),
            self.rng.randint(1, 12),
            self.rng.randint(1, 28),
        )
        months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]  # fmt: skip
        style = self.rng.randrange(5)
        if style == 0:
            return f"{day:02d}/{month:02d}/{year}"
        if style == 1:
            return f"{day} {months[month - 1]} {year}"
        if style == 2:
            return f"{day}/{month}/{year}"
        if style == 3:
            return f"{year}-{month:02d}-{day:02d}"
        return f"{day} {months[month - 1][:3]} {year}"

    def email(self, person: Person) -> str:
        first, last = _ascii(person.first).lower(), _ascii(person.last).lower()
        local = self.rng.choice(
            [f"{first}.{last}", f"{first[0]}{last}", f"{first}{self.rng.randint(1, 99)}", f"{last}.{first}"]
        )
        return f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"

    def address(self) -> str:
        number = str(self.rng.randint(1, 240))
        if self.rng.random() < 0.15:
            number = f"Flat {self.rng.randint(1, 30)}, {number}"
        stem = self.rng.choice(STREET_STEMS) if self.rng.random() < 0.6 else self.fakers["en_GB"].last_name()
        return f"{number} {stem} {self.rng.choice(STREET_TYPES)}"

    def hospital_number(self) -> str:
        style = self.rng.random()
        if style < 0.4:
            return f"{self.rng.randint(10**6, 10**8 - 1)}"
        if style < 0.8:
            return self.rng.choice("ABCDKMRSTX") + f"{self.rng.randint(10**5, 10**7 - 1)}"
        return "RX" + self.rng.choice("HKLN") + f"{self.rng.randint(10**5, 10**7 - 1)}"

    # Filling --------------------------------------------------------------------------------------------
    def slot(self, name: str) -> list[Segment]:
        rng = self.rng
        match name:
            case "patient" | "patient_again":
                return self.mention_patient(again=name.endswith("again"))
            case "patient_first":
                return [self.name(self.person("patient"), self.person("patient").first)]
            case "nurse" | "nurse_again":
                return self.mention_staff("nurse", NURSE_TITLES, again=name.endswith("again"))
            case "doctor" | "doctor_again":
                return self.mention_staff("doctor", DOCTOR_TITLES, again=name.endswith("again"))
            case "doctor_full":
                p = self.person("doctor")
                return [Segment("Dr "), self.name(p, p.full)]
            case "relative" | "relative_again":
                return self.mention_relative(again=name.endswith("again"))
            case "colleague":
                return self.mention_colleague()
            case "staff_name" | "staff_full":
                p = self.person("staff" + name)
                return [self.name(p, p.full if name == "staff_full" or rng.random() < 0.5 else p.last)]
            case "email":
                return [Segment(self.email(self.person("relative")), label="EMAIL_ADDRESS")]
            case "staff_email":
                return [Segment(self.email(self.person("nurse")), label="EMAIL_ADDRESS")]
            case "phone":
                return [Segment(self.phone(), label="PHONE_NUMBER")]
            case "nhs":
                return [Segment(self.nhs_number(), label="NHS_NUMBER")]
            case "ni":
                return [Segment(self.ni_number(), label="NI_NUMBER")]
            case "postcode":
                return [Segment(self.fakers["en_GB"].postcode(), label="POSTCODE")]
            case "address":
                return [Segment(self.address(), label="ADDRESS")]
            case "address_town":
                return [Segment(f"{self.address()}, {rng.choice(TOWNS)}", label="ADDRESS")]
            case "town":
                return [Segment(rng.choice(TOWNS))]
            case "dob":
                return [Segment(self.date(1925, 2020), label="DATE_OF_BIRTH")]
            case "hospno":
                return [Segment(self.hospital_number(), label="HOSPITAL_NUMBER")]
            case "gmc":
                return [Segment(str(rng.randint(1_000_000, 7_999_999)), label="REGISTRATION_NUMBER")]
            case "nmc":
                pin = (
                    f"{rng.randint(0, 99):02d}{rng.choice('ABCDEFGHIJKLY')}"
                    f"{rng.randint(0, 9999):04d}{rng.choice('ACEONW')}"
                )
                return [Segment(pin, label="REGISTRATION_NUMBER")]
            case "hcpc":
                return [
                    Segment(
                        rng.choice(["PA", "PH", "OT", "RA", "SL"]) + str(rng.randint(10000, 999999)),
                        label="REGISTRATION_NUMBER",
                    )
                ]
            case "url":
                p = self.person("relative")
                handle = _ascii(p.first).lower() + rng.choice([".", "_", ""]) + _ascii(p.last).lower()
                site = rng.choice(
                    [
                        "https://www.facebook.com/",
                        "facebook.com/",
                        "https://www.instagram.com/",
                        "https://www.tiktok.com/@",
                    ]
                )
                return [Segment(site + handle, label="URL")]
            case "date":
                return [Segment(self.date(2023, 2025), keep="DATE")]
            case "time":
                return [
                    Segment(f"{rng.randint(0, 23):02d}:{rng.choice(['00', '15', '20', '30', '45', '50'])}")
                ]
            case "bed":
                return [Segment(str(rng.randint(1, 28)))]
            case "age":
                return [Segment(str(rng.randint(18, 98)))]
            case "ward":
                style = rng.random()
                if style < 0.4:
                    return [
                        Segment(f"Ward {rng.randint(1, 40)}{rng.choice(['', '', 'A', 'B'])}", keep="WARD")
                    ]
                if style < 0.8:
                    return [Segment(f"{rng.choice(NAMED_WARDS)} Ward", keep="WARD")]
                return [Segment(rng.choice(UNITS), keep="WARD")]
            case "unit":
                return [Segment(rng.choice(UNITS), keep="WARD")]
            case "hospital":
                return [Segment(rng.choice(HOSPITALS).format(town=rng.choice(TOWNS)), keep="PLACE")]
            case "eponym":
                return [Segment(rng.choice(EPONYMS), keep="EPONYM")]
            case "score":
                return [Segment(rng.choice(EPONYM_SCORES), keep="EPONYM")]
            case "device":
                return [Segment(rng.choice(EPONYM_DEVICES), keep="EPONYM")]
            case "procedure":
                return [Segment(rng.choice(EPONYM_PROCEDURES), keep="EPONYM")]
            case "drug":
                return [Segment(rng.choice(DRUGS), keep="DRUG")]
            case "named_hospital":
                return [Segment(rng.choice(NAMED_HOSPITALS), keep="PLACE")]
            case "charity":
                return [Segment(rng.choice(CHARITIES), keep="ORGANISATION")]
            case "language":
                return [Segment(rng.choice(LANGUAGES), keep="OTHER")]
            case "holiday":
                return [Segment(rng.choice(HOLIDAYS), keep="DATE")]
            case "town_elsewhere":
                return [Segment(rng.choice(TOWNS_ELSEWHERE), keep="PLACE")]
            case "system":
                return [Segment(rng.choice(SYSTEMS), keep="OTHER")]
            case "device_brand":
                return [Segment(rng.choice(DEVICE_BRANDS), keep="OTHER")]
            case "weekday":
                return [Segment(rng.choice(WEEKDAYS), keep="DATE")]
            case "faith" | "festival":
                if not hasattr(self, "_faith"):
                    self._faith = rng.choice(FAITHS)
                return [Segment(self._faith[0 if name == "faith" else 1], keep="OTHER")]
            case "pharmacy":
                return [Segment(rng.choice(PHARMACIES), keep="ORGANISATION")]
        raise KeyError(name)

    def add_template(self, template: str) -> None:
        position = 0
        while (start := template.find("{", position)) != -1:
            end = template.index("}", start)
            if start > position:
                self.segments.append(Segment(template[position:start]))
            self.segments.extend(self.slot(template[start + 1 : end]))
            position = end + 1
        self.segments.append(Segment(template[position:] + " "))

    def render(self) -> dict:
        text, spans, keep = "", [], []
        for segment in self.segments:
            piece = segment.text
            if self.lowercase:
                piece = _lower_same_length(piece)
            if not text or text.endswith((". ", "? ", "! ")):
                piece = (
                    piece[:1].upper() + piece[1:] if not self.lowercase and segment.label is None else piece
                )
            if segment.label:
                span = {"type": segment.label, "start": len(text), "end": len(text) + len(piece)}
                spans.append({**span, "locale": segment.locale} if segment.locale else span)
            if segment.keep:
                keep.append({"type": segment.keep, "start": len(text), "end": len(text) + len(piece)})
            text += piece
        return {"text": text.strip(), "spans": spans, "keep": keep}


def generate(count: int, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    fakers = {}
    for offset, locale in enumerate(NAME_LOCALES):
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(seed + offset)
    records = []
    for index in range(count):
        narrative = Narrative(rng, fakers)
        if rng.random() < 0.1:
            narrative.lowercase = True
            for template in rng.sample(LOWERCASE_NOTES, 3):
                narrative.add_template(template)
        else:
            narrative.add_template(rng.choice(OPENINGS))
            for template in rng.sample(DETAILS, rng.randint(2, 4)):
                narrative.add_template(template)
            for template in rng.sample(PII_SENTENCES, rng.randint(1, 2)):
                narrative.add_template(template)
            for template in rng.sample(CONTEXT_SENTENCES, rng.choice([0, 1, 1, 2])):
                narrative.add_template(template)
            narrative.add_template(rng.choice(CLOSINGS))
        record = narrative.render()
        records.append({"id": f"eval-{index + 1:04d}", **record})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    records = generate(args.count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    spans = sum(len(r["spans"]) for r in records)
    keep = sum(len(r["keep"]) for r in records)
    print(f"wrote {len(records)} narratives, {spans} spans to redact, {keep} to keep -> {args.out}")


if __name__ == "__main__":
    main()
