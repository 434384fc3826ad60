"""What the ranking compares about a record, read from its redacted text and coded answers.

A `Profile` is a plain value: the evaluation command builds them from labelled lines, the service from
stored records (events/similarity/selectors.py), and both hand them to the same ranking
(events/similarity/ranking.py). No database access here.

- Terms: lower-case words without stop words, each weighted by how rare it is in English (wordfreq's
  Zipf scale, from the redaction lexicon), so "insulin" counts for more than "given". Placeholders
  left by redaction ("[PERSON 1]") are never terms.
- Signals: medicines (the drug dictionary the redaction pipeline already loads), devices, places,
  the patient's age band and sex, from the text; the coded answers add involved agents, location,
  service, specialty and harm.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PLACEHOLDER = re.compile(r"\[[A-Z][A-Z ]*\d*\]")
WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]|\d+")
STOP_WORDS = _words(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours out over own same she should so some
    such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours also were got get gets went go goes one two three patient patients pt staff day days time
    times today yesterday later whilst via per
    """
)
# Places and devices a reviewer names when they say "same ward": a word found here becomes a signal.
PLACE_WORDS = _words(
    """
    ward theatre theatres icu itu hdu a&e ed emergency maternity labour delivery outpatient outpatients
    clinic pharmacy community home care-home nursing-home ambulance corridor bathroom toilet shower bay
    side-room recovery endoscopy radiology x-ray mri ct dialysis neonatal nicu paediatric surgery
    discharge lounge car-park stairs lift
    """
)
DEVICE_WORDS = _words(
    """
    pump syringe catheter cannula ventilator monitor defibrillator bed rail rails hoist wheelchair
    walking-frame frame drain tube nasogastric ng peg tracheostomy oxygen cylinder mask glucometer
    thermometer infusion driver pacemaker stent implant prosthesis insulin-pen pen needle
    """
)
DEVICE_ALIASES = {
    "nasogastric": "ng",
    "rails": "rail",
    "infusion": "pump",
    "driver": "pump",
    "insulin-pen": "pen",
}
# Words saying the patient's sex. Relatives ("her daughter", "his son") are not the patient: their
# words are not counted; pronouns are (in these reports they are the patient's far more often than a
# member of staff's).
FEMALE = _words(
    """
    she her hers herself woman lady girl female
    """
)
MALE = _words(
    """
    he him his himself man gentleman boy male
    """
)
# Titles count only before a name or its placeholder: "MR" is also "modified release".
TITLE = re.compile(r"\b(Mrs|Mr|Ms|Miss|MRS|MR|MS|MISS)\.?\s+(?:\[|[A-Z][a-z])")
TITLE_SEX = {"mrs": "female", "ms": "female", "miss": "female", "mr": "male"}
AGE = re.compile(
    r"\b(\d{1,3})(?:[- ]?(?:year|yr)s?[- ]old| ?y/?o|[mf])\b"  # "78-year-old", "93yo", "64M pt"
    r"|\baged (\d{1,3})\b|\((\d{1,3}) ?[mf]?\)"  # "aged 74", "Mrs [PERSON 1] (60)", "pt (80M)"
    r"|\bpatient age:? ?(\d{1,3})\b"  # "Patient age: 53" (structured reports)
)
# The patient's sex written as a letter after the age: "(71F)", "93yo F", "64M pt".
SEX_CODE = re.compile(r"\(\d{1,3} ?([mf])\)|\b\d{1,3} ?(?:yo|y/o) ?([mf])\b|\b\d{1,3}([mf])\b")
SEX_LETTER = {"f": "female", "m": "male"}
# Languages a patient speaks (an interpreter's incidents): two records naming different ones differ.
LANGUAGES = _words(
    """
    arabic bengali bulgarian cantonese czech english farsi french german greek gujarati hindi
    hungarian italian kurdish latvian lithuanian mandarin panjabi pashto persian polish portuguese
    punjabi romanian russian slovak somali spanish tamil tigrinya turkish twi ukrainian urdu
    vietnamese welsh yoruba bsl sign-language
    """
)
TOKEN = re.compile(r"[a-z0-9][a-z0-9.'-]*[a-z0-9]|[a-z0-9]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
DIGIT = re.compile(r"\d")
SIDES = frozenset({"left", "right"})
# A number with what it counts ("70 mins", "day 8", "VIP 3", "10mg"): two tellings of one event may
# give different numbers for different things, but not different numbers for the same thing.
UNITS = {
    "mg": "mg", "mcg": "mcg", "micrograms": "mcg", "g": "g", "ml": "ml", "mls": "ml", "unit": "unit",
    "units": "unit", "min": "min", "mins": "min", "minute": "min", "minutes": "min", "hour": "hour",
    "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour", "day": "day", "days": "day",
    "week": "week", "weeks": "week", "month": "month", "months": "month", "mmol": "mmol", "%": "%",
}  # fmt: skip
CONTEXT_BEFORE = frozenset(
    {
        "stage",
        "day",
        "vip",
        "grade",
        "category",
        "level",
        "aged",
        "score",
        "news",
        "gcs",
        "ward",
        "bay",
        "bed",
        "room",
        "ph",
        "section",
    }
)
# "10 units more than prescribed", "2 hours later": a difference or a delay, not the quantity itself.
NOT_A_QUANTITY = re.compile(r"\s(?:more|extra|too|less|fewer|over|under)\b")
# "borrowed from ward 4", "transferred to ward 12": another ward than the event's.
ELSEWHERE = re.compile(r"\b(?:from|to)\s$")
# "VIP score 3", "NEWS score of 7", "grade of 2": the thing counted two words before the number.
QUANTITY_AFTER = re.compile(r"(\d+(?:\.\d+)?)(?:\s|-)?(%|[a-z]+)")
QUANTITY_BEFORE = re.compile(r"\b([a-z]+)\s(?:(?:score|of)\s)?(?:of\s)?(\d+(?:\.\d+)?)\b")
# A named ward ("Oak ward", "Willow Ward"): a capitalised, not common, word before "ward" ("The ward"
# and "Another ward" name none).
WARD_NAME = re.compile(r"\b([A-Z][a-z]{2,})\s[Ww]ard\b")
COMMON_ZIPF = 5.0
# Clock times ("15:00", "3.00pm", "9am", "between 0200 and 0530"), as 24-hour "HH:MM".
CLOCK = re.compile(r"\b(\d{1,2})(?:[:.]([0-5]\d)\s?(am|pm)?|\s?(am|pm))\b|\b([01]\d|2[0-3])([0-5]\d)\b")
# A bare four-digit time counts only after a word saying it is one ("at 0200", "approx 1350", "@ 0850").
CLOCK_BEFORE = re.compile(r"(?:\b(?:at|since|between|and|from|until|by|approx|around)\s|@\s?)$")
# Anything else counted: "results for 120 pts", "3 side rooms" -> ("count pt", "120").
COUNTED = re.compile(r"\b(\d+)\s([a-z]{2,})\b")
NOT_COUNTED = _words("and or to of in on at the is was were with for by from than am pm x times")
SPECIFIC_ZIPF = 3.0  # rarer than this in English: a word that says what happened, not how it is told
AGE_BAND_YEARS = 10
DAYS_PER_YEAR = 365.25
# Brand names for the medicine a report may name instead ("Humulin I" in one report, "insulin" in the
# other): a brand adds its medicine, so the two do not disagree.
INSULIN_BRANDS = _words(
    """
    humulin humalog novorapid lantus levemir actrapid insulatard tresiba toujeo abasaglar apidra fiasp
    lyumjev semglee
    """
)
MEDICINE_OF_BRAND = {
    **dict.fromkeys(INSULIN_BRANDS, "insulin"),
    "oramorph": "morphine", "sevredol": "morphine", "zomorph": "morphine", "mst": "morphine",
    "oxycontin": "oxycodone", "oxynorm": "oxycodone", "clexane": "enoxaparin", "inhixa": "enoxaparin",
    "fragmin": "dalteparin", "innohep": "tinzaparin", "eliquis": "apixaban", "xarelto": "rivaroxaban",
    "lixiana": "edoxaban", "pradaxa": "dabigatran", "tazocin": "piperacillin", "augmentin": "co-amoxiclav",
    "tegretol": "carbamazepine", "keppra": "levetiracetam", "epilim": "valproate", "madopar": "co-beneldopa",
    "sinemet": "co-careldopa", "calpol": "paracetamol", "zoton": "lansoprazole", "lasix": "furosemide",
    "aspart": "insulin", "glargine": "insulin", "detemir": "insulin", "degludec": "insulin",
    "lispro": "insulin", "glulisine": "insulin", "vriii": "insulin", "friii": "insulin",
    "syntocinon": "oxytocin", "buccolam": "midazolam",
}  # fmt: skip
# A combination names the medicines it is made of: "co-amoxiclav" and "amoxicillin/clavulanic acid" are
# one medicine told two ways (fifth round, docs/adr/0020).
COMPONENTS = {
    "co-amoxiclav": ("amoxicillin",),
    "co-careldopa": ("levodopa",),
    "co-beneldopa": ("levodopa",),
    "co-codamol": ("codeine", "paracetamol"),
    "co-dydramol": ("dihydrocodeine", "paracetamol"),
    "co-trimoxazole": ("trimethoprim",),
}
# Not words that mean a medicine, though the drug dictionary lists them.
NOT_MEDICINES = frozenset({"oxygen", "water", "glucose", "iron", "sodium", "potassium", "calcium"})

# Medicine classes. A report may name the class ("an intravenous antibiotic", "her long-acting insulin",
# "LMWH") where another names the drug (cefuroxime, Levemir, Clexane): class words are not medicines
# that disagree with a drug of their class, and two records naming drugs of different classes only
# ("an antibiotic" / "insulin") are about different medicines.
_CLASS_MEMBERS = {
    "antibiotic": """antibiotic abx amoxicillin co-amoxiclav augmentin cefuroxime ceftriaxone cefalexin
        cefotaxime ceftazidime meropenem ertapenem piperacillin tazocin gentamicin amikacin vancomycin
        teicoplanin clarithromycin erythromycin azithromycin doxycycline metronidazole flucloxacillin
        benzylpenicillin penicillin phenoxymethylpenicillin ciprofloxacin levofloxacin trimethoprim
        nitrofurantoin clindamycin linezolid co-trimoxazole rifampicin""",
    "anticoagulant": """anticoagulant anticoagulation lmwh doac warfarin apixaban rivaroxaban edoxaban
        dabigatran enoxaparin dalteparin tinzaparin heparin clexane inhixa fragmin innohep eliquis xarelto
        lixiana pradaxa""",
    "opioid": """opioid opiate morphine oramorph sevredol zomorph mst oxycodone oxycontin oxynorm fentanyl
        diamorphine codeine tramadol alfentanil buprenorphine methadone pethidine tapentadol""",
    "insulin": """insulin aspart glargine detemir degludec lispro glulisine vriii friii"""
    + " "
    + " ".join(sorted(INSULIN_BRANDS)),
    "oral hypoglycaemic": "gliclazide glibenclamide glimepiride sulfonylurea sulphonylurea metformin",
    "antihypertensive": """antihypertensive labetalol nifedipine amlodipine hydralazine ramipril lisinopril
        bisoprolol atenolol doxazosin""",
    "antipsychotic": """antipsychotic clozapine olanzapine haloperidol risperidone aripiprazole quetiapine
        zuclopenthixol flupentixol paliperidone""",
    "antiparkinson": "levodopa co-beneldopa co-careldopa madopar sinemet rotigotine ropinirole pramipexole",
    "antiepileptic": """antiepileptic anticonvulsant levetiracetam keppra valproate epilim carbamazepine
        tegretol phenytoin lamotrigine""",
    "benzodiazepine": "benzodiazepine lorazepam diazepam midazolam buccolam chlordiazepoxide",
    "uterotonic": "uterotonic oxytocin syntocinon syntometrine ergometrine carboprost misoprostol",
}
CLASS_OF_MEDICINE = {word: name for name, members in _CLASS_MEMBERS.items() for word in members.split()}
# Words naming a class, not a drug (never a medicine on their own).
CLASS_WORDS = _words(
    """antibiotic abx anticoagulant anticoagulation lmwh doac opioid opiate antihypertensive antipsychotic
    antiepileptic anticonvulsant benzodiazepine uterotonic sulfonylurea sulphonylurea"""
)
# What happened, in the words different reporters use for it ("fell" / "found on the floor" /
# "unwitnessed fall"; "PPH" / "haemorrhage" / "blood loss"): each a concept two tellings of one event
# share however they are worded. General clinical vocabulary, one regular expression per concept.
CONCEPTS = {
    "fall": r"\bfell\b(?! (?:to|from|by) \d)|"
    r"\bfall(?:s|en)?\b(?! (?:risk|precaution|prevention|assessment|sensor|alarm|mat)\w*)|"
    r"on the floor|found on floor|slipped|slid (?:off|out|down)|tripped|"
    r"(?:legs|knees) (?:gave way|buckled|went)|lowered (?:him|her|them )?to the floor",
    "head injury": r"head injury|hit (?:\w+ ){0,4}head|banged (?:\w+ ){0,4}head|struck (?:\w+ ){0,4}head|"
    r"bumped (?:\w+ ){0,4}head|\bct head\b|occiput|occipital|haematoma",
    "fracture": r"fractur\w*|\bnof\b|broken (?:hip|wrist|arm|leg)",
    "hypoglycaemia": r"\bhypo(?:glycaemi\w*|s)?\b|low (?:bm|bg|blood sugar|blood glucose)|glucogel|hypostop",
    "hyperglycaemia": r"\bdka\b|ketoacidosis|ketones|hyperglycaemi\w*|\bhhs\b",
    "omitted dose": r"omit\w*|omission|missed (?:dose|doses)|not given|not administered|dose (?:was )?missed|"
    r"not prescribed|delayed (?:dose|doses)|given late|late dose",
    "extra dose": r"\btwice\b|duplicate dose|given again|double dose|\bsecond dose|already (?:been )?given",
    "wrong dose": r"wrong dose|overdose|instead of|\bten ?fold|\b10x\b|too high|"
    r"(?:higher|more) than (?:intended|prescribed)",
    "wrong patient": r"wrong (?:patient|pt|person)|another patient'?s|adjacent bed|wrong bed|"
    r"different patient",
    "wrong route": r"wrong route|intrathecal|epidural (?:line|catheter)|via the epidural|intended_route|"
    r"wrong (?:line|lumen)",
    "pressure ulcer": r"pressure (?:ulcer|sore|damage|injury|area)|\bpu\b|deep tissue injury|\bdti\b|"
    r"moisture lesion|tissue viability|\btvn\b",
    "missing patient": r"abscon\w*|\bawol\b|missing|left the ward|left ward|absent without leave|"
    r"went missing|not on the ward",
    "left before treatment": r"self[- ]?discharg\w*|left (?:the )?(?:department|dept|ed|a&e) before|"
    r"left before|\bdama\b|against medical advice",
    "ligature": r"ligature|around (?:his|her|their) neck",
    "self-harm": r"self[- ]?harm\w*|cut (?:him|her|them)sel\w*|\boverdose of\b|suicid\w*",
    "violence": r"assault\w*|punch\w*|\bkick\w*|\bslap\w*|aggress\w*|violen\w*|\bspat\b|spit\w*|threat\w*|"
    r"verbal\w* abus\w*|hit (?:a|the|me|her|him|staff|nurse)\b",
    "restraint": r"restrain\w*|\bprone\b|rapid tranquil\w*|seclusion",
    "cardiac arrest": r"cardiac arrest|\barrest(?:ed)?\b|crash call|\bcpr\b|\b2222\b|resuscitat\w*",
    "resuscitation decision": r"dnacpr|\bdnar\b|resuscitation decision|\brespect form|treatment escalation",
    "deterioration": r"\bnews2?\b|deteriorat\w*|early warning|\bmet call|outreach|\bccot\b|unwell",
    "sepsis": r"\bsepsis\b|septic|urosepsis|lactate|sepsis six|neutropenic",
    "haemorrhage": r"haemorrhag\w*|\bbleed\w*|blood loss|\bpph\b|\bmoh\b|\bebl\b",
    "transfusion": r"transfus\w*|blood (?:bag|unit|product)|red cells|\bffp\b|haemovigilance|\bshot\b|"
    r"blood bank|crossmatch\w*|cross-match\w*",
    "sharps injury": r"needle ?stick|needle-stick|sharps injury|sharps|stabbed by|\bnsi\b",
    "infection": r"norovirus|\bd&v\b|diarrho\w*|vomiting|c\.? ?diff\w*|clostridi\w*|outbreak|\bmrsa\b|covid|"
    r"influenza|isolat\w*|\bipc\b|infection control|stools?\b",
    "line out": r"pulled (?:out|it out)|dislodg\w*|accidental(?:ly)? remov\w*|came out|fell out|displaced|"
    r"pulled (?:his|her|their) \w+ out",
    "vascular access": r"\bpicc\b|midline|central line|\bcvc\b|cannula\w*|\biv line|venflon|arterial line|"
    r"\bart line|tissued|extravasat\w*|infiltrat\w*|vascular access",
    "urinary catheter": r"urinary catheter|urethra\w*|catheteris\w*|foley|catheter balloon|balloon|"
    r"catheter (?:bypass\w*|block\w*)|bypassing|supra-?pubic|\bspc\b",
    "feeding tube": r"\bng\b|nasogastric|\bpeg\b|gastrostomy|feeding tube|\brig\b|enteral|\bngt\b|"
    r"jejunostomy",
    "syringe driver": r"syringe driver|\bt34\b|\bcsci\b|syringe pump|\bdriver\b",
    "pca": r"\bpca\b|patient[- ]controlled",
    "infusion pump": r"infusion pump|\bvolumetric\b|pump (?:programm\w*|rate)|programm\w*|free[- ]?flow\w*",
    "staffing": r"staffing|short[- ]?staffed|understaffed|\brns?\b|\bhcas?\b|bank (?:nurse|staff)|agency|"
    r"red flag|unfilled|sickness|skill mix|nurse to patient|insufficient (?:nurses|staff)",
    "it failure": r"\bepr\b|downtime|outage|system (?:was )?down|\bit (?:system|systems|failure)|"
    r"computer|electronic (?:patient record|prescribing|record)|\bepma\b|\beprescrib\w*|network",
    "discharge": r"discharg\w*|\btto\w*|\bttas?\b|care home|nursing home|sent home",
    "transfer": r"transferr?\w*|moved (?:to|from)|\bescort\w*|\bporter\w*",
    "oxygen": r"oxygen|\bo2\b|cylinder|desaturat\w*|\bsats\b|\bspo2\b|hypox\w*",
    "airway": r"tracheostom\w*|\btrache\b|airway|intubat\w*|extubat\w*|\bett\b|laryngectom\w*|suction",
    "wrong site": r"wrong (?:site|side|leg|arm|eye|knee|hip|digit|finger|toe)|stop before you block|"
    r"site mark\w*|\bnatssips\b|\bwho checklist|surgical safety checklist|\bsign in\b",
    "retained item": r"retained|swab count|guide ?wire|instrument count|left in situ|foreign body",
    "specimen": r"specimen|samples?\b|mislabel\w*|unlabel\w*|wrong label|labell\w*|bloods\b|wbit|"
    r"wrong blood in tube|group and save|g&s\b",
    "result": r"\bresults?\b|potassium|\bk\+|critical value|phoned|telephoned|\breport(?:ed)? (?:was )?not",
    "identification": r"wristband|\bid band|identification|wrong name|misidentif\w*|\bpid\b|name band",
    "moving and handling": r"hoist\w*|\bsling\b|moving and handling|manual handling|slide sheet|"
    r"transfer board",
    "bed rails": r"bed ?rails?|cot sides|side rails",
    "maternity": r"labour|midwi\w*|\bctg\b|fetal|foetal|\bbaby\b|neonat\w*|\bcord\b|dystocia|caesarean|"
    r"\blscs\b|\biol\b|induction|obstetric|post-?natal|antenatal|pre-?eclampsia|\bgestation|weeks pregnant|"
    r"meows|maternal|post (?:cs|c-section|caesarean)",
    "safeguarding": r"safeguard\w*|neglect\w*|domestic abuse|unexplained bruis\w*|\bmash\b|child protection",
    "allergy": r"allerg\w*|anaphyla\w*|adrenaline|urticaria|rash",
    "waiting": r"corridor|ambulance (?:handover|delay|queue)|\btrolley|\bwait(?:ed|ing)?\b|\bqueue\w*|"
    r"12[- ]hours?|breach\w*|\bdelay(?:ed|s)?\b",
    "equipment": r"not available|unavailable|out of stock|no stock|faulty|broken|not working|malfunction\w*|"
    r"equipment library|\bbroke\b",
    "skin": r"skin tear|\bburn\w*|\bblister\w*|wound|laceration|\bcut\b|bruis\w*|sutur\w*|steri-?strip",
    "cancelled": r"cancel\w*|postpon\w*|rescheduled",
    "follow-up": r"follow[- ]?up|not booked|lost to follow|waiting list|appointment",
    "dementia": r"dementia|confus\w*|delirium|delirious|agitat\w*|wander\w*",
}


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    parts, depth, start, escaped = [], 0, 0, False
    for n, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:n])
            start = n + 1
    return [*parts, pattern[start:]]


def _concept_matchers() -> tuple[dict[str, re.Pattern], dict[str, str]]:
    """The concepts' alternatives grouped by the letter they begin with (those beginning with a group
    under ""), so reading a text tries at each word only the alternatives that can start there: one
    expression of every alternative, tried at every position, cost 0.3-0.6 ms a text."""
    by_letter: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for concept, pattern in CONCEPTS.items():
        for alternative in _alternatives(pattern):
            body = alternative.removeprefix("\\b")
            first = body[0] if body[0].isalnum() else ""
            group = f"g{len(names)}"
            names[group] = concept
            by_letter.setdefault(first, []).append(f"(?P<{group}>{body})")
    return {letter: re.compile("|".join(parts)) for letter, parts in by_letter.items()}, names


CONCEPT_MATCHERS, CONCEPT_OF_GROUP = _concept_matchers()
WORD_START = re.compile(r"\b\w")


def concepts_in(lower: str) -> frozenset[str]:
    """What happened (CONCEPTS) in a lower-case text."""
    found = set()
    anywhere = CONCEPT_MATCHERS.get("")
    after = 0  # a match's words are not read again ("self discharged" is not also "discharged")
    for start in WORD_START.finditer(lower):
        position = start.start()
        if position < after:
            continue
        for matcher in (CONCEPT_MATCHERS.get(lower[position]), anywhere):
            if matcher is not None and (match := matcher.match(lower, position)):
                found.add(CONCEPT_OF_GROUP[match.lastgroup])
                after = match.end()
                break
    return frozenset(found)


# The time of day, from a clock time or from the words ("overnight", "early hours", "this am").
PERIODS = {
    "night": r"overnight|\bnight\b|early hours|nights\b|night shift|small hours|\bnocte\b",
    "morning": r"\bmorning\b|\bthis am\b|breakfast|\bam (?:drug )?round|mid-?morning",
    "afternoon": r"afternoon|lunchtime|\blunch\b|\bmidday\b|\bpm (?:drug )?round",
    "evening": r"\bevening\b|teatime|\bsupper\b|late shift",
}
PERIOD = re.compile(r"\b(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in PERIODS.items()) + ")")
# Details of one kind a report names, of which one event has one: the part of the body, the specimen,
# the line. Two reports naming details of a kind, none the same, are of two events ("a blood culture
# set" / "a histology specimen"; "her arm" / "his leg"; "PICC" / "midline").
DETAILS = {
    "body": {
        "arm": r"arms?|forearms?|hands?|fingers?|thumbs?|wrists?|elbows?|shoulders?|upper limb",
        "leg": r"legs?|thighs?|knees?|shins?|ankles?|feet|foot|heels?|toes?|calf|calves|lower limb",
        "head": r"head|face|forehead|eyes?|eyebrow|nose|chin|occiput|scalp|lips?|cheek|jaw|temple",
        "trunk": r"back|sacrum|sacral|buttocks?|natal cleft|coccyx|spine|chest|abdomen|ribs?",
    },
    "specimen": {
        "blood culture": r"blood cultures?|culture bottles?",
        "histology": r"histology|biopsy|biopsies",
        "urine": r"urine (?:sample|specimen)s?|msu|urine mc&s|mc&s",
        "stool": r"stool (?:sample|specimen)s?|faecal",
        "sputum": r"sputum",
        "swab": r"swabs?",
        "group and save": r"group and save|g&s|crossmatch|cross-match",
        "blood count": r"fbc|full blood count",
        "blood gas": r"abg|vbg|blood gas",
        "csf": r"csf|lumbar puncture",
    },
    "result": {
        "glucose": r"glucose|bms?|cbg|blood sugar",
        "sodium": r"sodium|na\+|na(?= ?\d)",
        "potassium": r"potassium|k\+|k(?= ?\d)",
        "haemoglobin": r"hb|haemoglobin",
        "inr": r"inr",
        "crp": r"crp",
        "troponin": r"troponin",
        "lactate": r"lactate",
        "creatinine": r"creatinine|creat|egfr|aki",
        "platelets": r"platelets|plt",
    },
    "line": {
        "picc": r"picc",
        "midline": r"midline",
        "cannula": r"cannulas?|cannulae|venflon|peripheral line",
        "central line": r"central lines?|cvc|hickman|vascath",
        "arterial line": r"arterial lines?|art line",
        "epidural": r"epidural",
    },
}


def _detail_readers() -> tuple[dict[str, tuple[str, str]], re.Pattern, dict[str, tuple[str, str]]]:
    """DETAILS as a table of single words ("arm", "arms", "picc") looked up among the text's words, and
    one expression of the rest ("blood culture", "g&s", "k+", "k 5.8"): one expression of them all,
    tried at every position, cost 50 microseconds a text, word by word 20 (more on long texts)."""
    words: dict[str, tuple[str, str]] = {}
    phrases: list[str] = []
    names: dict[str, tuple[str, str]] = {}
    for kind, values in DETAILS.items():
        for value, pattern in values.items():
            for alternative in _alternatives(pattern):
                if SINGLE_WORD.fullmatch(alternative):
                    stem = alternative.removesuffix("s?")
                    words[stem] = (kind, value)
                    if alternative.endswith("s?"):
                        words[stem + "s"] = (kind, value)
                else:
                    names[f"d{len(names)}"] = (kind, value)
                    phrases.append(f"(?P<d{len(names) - 1}>{alternative})")
    return words, re.compile(r"\b(?:" + "|".join(phrases) + r")(?!\w)"), names


def _first_words(pattern: re.Pattern) -> frozenset[str]:
    """The letters each alternative of the phrases begins with ("blood" of "blood cultures?"): a text
    using none of them is not searched."""
    bodies = _alternatives(pattern.pattern.removeprefix("\\b(?:").removesuffix(")(?!\\w)"))
    return frozenset(LETTERS.match(re.sub(r"^\(\?P<d\d+>", "", body)).group(0) for body in bodies)


SINGLE_WORD = re.compile(r"[a-z]+(?:s\?)?")
LETTERS = re.compile(r"[a-z]+")
DETAIL_WORDS, DETAIL_PHRASE, DETAIL_OF_GROUP = _detail_readers()
DETAIL_PHRASE_STARTS = _first_words(DETAIL_PHRASE)
# Number words ("twelve patients' details", "four staff", "for four days") read as digits.
_SMALL_NUMBERS = """two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty"""
NUMBER_WORDS = {word: str(n) for n, word in enumerate(_SMALL_NUMBERS.split(), start=2)} | {
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90",
}  # fmt: skip
NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b")
# A left or right shortened before what it qualifies: "R heel", "L forehead", "lt knee".
SIDE_LETTER = re.compile(r"(?<!\d )(?<!\d)\b(l|r|lt|rt)\b\.?\s?(?=[a-z]{3,})")
SIDE_OF_LETTER = {"l": "left", "lt": "left", "r": "right", "rt": "right"}
# Thing counted two words back, said different ways ("grade 2" pressure ulcer, "category 2").
KIND_ALIASES = {"grade": "stage", "category": "stage", "stage": "stage"}


@dataclass
class Profile:
    """One record as the ranking sees it."""

    key: Any  # the record's id (an Event pk, or a labelled line's id)
    text: str
    organisation: Any = None  # an Organisation pk or an ODS code: compared for equality only
    organisation_group: frozenset = frozenset()  # the organisation and those counting as it
    event_date: dt.date | None = None
    event_type: str = ""
    vector: np.ndarray | None = None
    coded: dict[str, frozenset[str]] = field(default_factory=dict)  # question label -> answer labels
    terms: Counter = field(default_factory=Counter, repr=False)  # from text_features, read only
    medicines: frozenset[str] = frozenset()
    devices: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    age_band: int | None = None  # from the coded answers
    sex: str | None = None
    text_age_band: int | None = None  # from the words ("a 78-year-old man")
    text_sex: str | None = None
    norm: float = 0.0
    tokens: frozenset[str] = field(default=frozenset(), repr=False)  # plain words, for corpus statistics
    specific: frozenset[str] = field(default=frozenset(), repr=False)  # rare words, codes, numbers
    numbers: frozenset[str] = field(default=frozenset(), repr=False)
    sides: frozenset[str] = field(default=frozenset(), repr=False)  # left / right
    quantities: frozenset = field(default=frozenset(), repr=False)  # ("min", "70"), ("day", "8")
    languages: frozenset[str] = field(default=frozenset(), repr=False)
    medicine_classes: frozenset[str] = field(default=frozenset(), repr=False)
    concepts: frozenset[str] = field(default=frozenset(), repr=False)  # what happened (CONCEPTS)
    periods: frozenset[str] = field(default=frozenset(), repr=False)  # night, morning, ...
    length: int = 0  # tokens
    details: frozenset = field(default=frozenset(), repr=False)  # ("body", "leg"), ("line", "picc")

    def __post_init__(self) -> None:
        found = text_features(self.text)
        self.terms = found.terms
        self.medicines = self.medicines or found.medicines
        self.devices = self.devices or found.devices
        self.places = self.places or found.places
        self.text_age_band, self.text_sex = found.age_band, found.sex
        self.tokens, self.specific = found.tokens, found.specific
        self.numbers, self.sides, self.norm = found.numbers, found.sides, found.norm
        self.quantities, self.languages = found.quantities, found.languages
        self.medicine_classes = classes_of(self.medicines) | found.medicine_classes
        self.concepts, self.periods = found.concepts, found.periods
        self.length = found.length
        self.details = found.details

    def add_medicines(self, names) -> None:
        """Medicines the coded answers name, besides those in the text."""
        self.medicines = self.medicines | frozenset(names)
        self.medicine_classes = self.medicine_classes | classes_of(self.medicines)


@dataclass(frozen=True)
class TextFeatures:
    """What a text alone says (shared, never changed: a Counter here is only ever read)."""

    terms: Counter
    medicines: frozenset[str]
    devices: frozenset[str]
    places: frozenset[str]
    age_band: int | None
    sex: str | None
    tokens: frozenset[str]
    specific: frozenset[str]
    numbers: frozenset[str]
    sides: frozenset[str]
    norm: float
    quantities: frozenset[tuple[str, str]] = frozenset()
    languages: frozenset[str] = frozenset()
    medicine_classes: frozenset[str] = frozenset()
    concepts: frozenset[str] = frozenset()
    periods: frozenset[str] = frozenset()
    length: int = 0
    details: frozenset[tuple[str, str]] = frozenset()


@lru_cache(maxsize=20_000)
def text_features(text: str) -> TextFeatures:
    """A text's features, kept for the texts read most recently: the same organisation's recent
    records are compared again and again (each submission, each record page), and reading a text
    costs about a millisecond."""
    terms = Counter(terms_of(text))
    words = set(terms)
    tokens = frozenset(tokens_of(text))
    age = age_in(text)
    lower = text.lower()
    named = medicines_in(words)
    clocks = clock_times(PLACEHOLDER.sub(" ", lower))
    sides = set(tokens & SIDES) | {SIDE_OF_LETTER[m] for m in SIDE_LETTER.findall(lower)}
    return TextFeatures(
        terms=terms,
        medicines=frozenset(named - CLASS_WORDS),
        devices=frozenset(DEVICE_ALIASES.get(w, w) for w in words & DEVICE_WORDS),
        places=frozenset(words & PLACE_WORDS),
        age_band=age_band_in(text, age),
        sex=sex_in(_without_possessives(tokens, lower), titled_sex(text)),
        tokens=tokens,
        specific=frozenset(t for t in tokens if is_specific(t)),
        numbers=frozenset(NUMBER.findall(PLACEHOLDER.sub(" ", text.lower()))),
        sides=frozenset(sides),
        norm=math.sqrt(sum((weight(t) * n) ** 2 for t, n in terms.items())) or 1.0,
        quantities=quantities_in(text, age),
        languages=tokens & LANGUAGES,
        medicine_classes=classes_of(named | (words & CLASS_WORDS)),
        concepts=concepts_in(lower),
        periods=frozenset({m.lastgroup for m in PERIOD.finditer(lower)} | {period_of(t) for t in clocks}),
        length=len(tokens),
        details=details_in(PLACEHOLDER.sub(" ", lower)),
    )


def details_in(plain: str) -> frozenset[tuple[str, str]]:
    """(kind, value) of the details a lower-case text names (DETAILS): ("body", "leg"), ("specimen",
    "urine")."""
    words = set(LETTERS.findall(plain))
    found = {DETAIL_WORDS[w] for w in words if w in DETAIL_WORDS}
    if not words.isdisjoint(DETAIL_PHRASE_STARTS):
        found.update(DETAIL_OF_GROUP[m.lastgroup] for m in DETAIL_PHRASE.finditer(plain))
    return frozenset(found)


def _without_possessives(tokens: frozenset[str], lower: str) -> set[str]:
    """The tokens, "man's" read as "man" (an elderly man's leg): the possessive is the patient's."""
    words = set(tokens)
    if "'s" in lower:
        words |= {t[:-2] for t in tokens if t.endswith("'s")}
    return words


def classes_of(medicines) -> frozenset[str]:
    return frozenset(CLASS_OF_MEDICINE[m] for m in medicines if m in CLASS_OF_MEDICINE)


def period_of(clock: str) -> str:
    hour = int(clock[:2])
    if hour < 7 or hour >= 22:
        return "night"
    return "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def minutes_of(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:])


def clocks_near(a: set[str], b: set[str], within: int = 60) -> bool:
    """Some time the one gives is within `within` minutes of one the other gives (around midnight too):
    "approx 0300", "03:10" and "just after 3am" are one time told three ways."""
    for x in a:
        for y in b:
            gap = abs(minutes_of(x) - minutes_of(y))
            if min(gap, 1440 - gap) <= within:
                return True
    return False


def titled_sex(text: str) -> set[str]:
    """The sex a title ("Mrs [PERSON 1]") or a letter after the age ("(71F)", "64M") says."""
    found = {TITLE_SEX[t.lower()] for t in TITLE.findall(text)}
    found |= {SEX_LETTER[next(g for g in groups if g)] for groups in SEX_CODE.findall(text.lower())}
    return found


def quantities_in(text: str, age: str | None = None) -> frozenset[tuple[str, str]]:
    """(what, number) pairs: "70 mins" -> ("min", "70"), "day 8" -> ("day", "8"), the patient's age
    ("age", "60": `age_in`, passed when already read), a clock time ("clock", "13:50")."""
    plain = NUMBER_WORD.sub(lambda m: NUMBER_WORDS[m.group(1)], PLACEHOLDER.sub(" ", text.lower()))
    found = {
        (UNITS[match[2]], match[1])
        for match in QUANTITY_AFTER.finditer(plain)
        if match[2] in UNITS
        and not NOT_A_QUANTITY.match(plain, match.end())
        and not _heart_rate(plain, match)
    }
    found |= {
        (KIND_ALIASES.get(match[1], match[1]), match[2])
        for match in QUANTITY_BEFORE.finditer(plain)
        if match[1] in CONTEXT_BEFORE
        and not (match[1] == "ward" and ELSEWHERE.search(plain, 0, match.start()))
    }
    for name in WARD_NAME.findall(text):
        if name.lower() not in STOP_WORDS and _english_zipf(name.lower()) < COMMON_ZIPF:
            found.add(("named ward", name.lower()))
    found |= {("clock", time) for time in clock_times(plain)}
    age = age or age_in(text)
    if age:
        found.add(("age", age))
    found |= {
        ("count " + _stem(word), number)
        for number, word in COUNTED.findall(plain)
        if word not in UNITS and word not in NOT_COUNTED
    }
    return frozenset(found)


def _heart_rate(plain: str, match: re.Match) -> bool:
    """ "temp 38.4 HR 118": HR before a number is the heart rate, not hours."""
    return match[2] == "hr" and bool(re.match(r"\s?\d", plain[match.end() : match.end() + 2]))


def clock_times(plain: str) -> set[str]:
    found = set()
    for match in CLOCK.finditer(plain):
        hours, minutes, half, bare_half, hhmm_h, hhmm_m = match.groups()
        if hhmm_h:
            start = match.start()
            if start and not CLOCK_BEFORE.search(plain, max(0, start - 8), start):
                continue
            hour, minute = int(hhmm_h), int(hhmm_m)
        else:
            hour, minute, half = int(hours), int(minutes or 0), half or bare_half
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        if hour < 24:
            found.add(f"{hour:02d}:{minute:02d}")
    return found


def conflicting_kinds(a: frozenset, b: frozenset) -> set[str]:
    """What both give a number for, never the same number."""
    by_kind_a, by_kind_b = quantities_by_kind(a), quantities_by_kind(b)
    return {k for k in by_kind_a.keys() & by_kind_b.keys() if not by_kind_a[k] & by_kind_b[k]}


@lru_cache(maxsize=20_000)
def quantities_by_kind(quantities: frozenset) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind, value in quantities:
        found.setdefault(kind, set()).add(value)
    return found


def quantities_conflict(a: frozenset, b: frozenset) -> bool:
    """Both give a number for the same thing, and never the same number."""
    return bool(conflicting_kinds(a, b))


def terms_of(text: str) -> list[str]:
    """Words and adjacent-word pairs of the text, stop words and placeholders left out."""
    words = [w for w in WORD.findall(PLACEHOLDER.sub(" ", text.lower())) if w not in STOP_WORDS]
    words = [_stem(w) for w in words]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A light stem, enough for "falls"/"fall", "doses"/"dose": never a dictionary lookup."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def weight(term: str) -> float:
    """How much a shared term says: rare English words and pairs of words say most."""
    if " " in term:
        first, second = term.split(" ", 1)
        return 0.6 * (weight(first) + weight(second)) / 2 + 0.4
    if term.isdigit():
        return 0.5
    zipf = _english_zipf(term)
    return max(0.3, 7.0 - zipf) / 2.0


def _english_zipf(word: str) -> float:
    from anonymisation.pipeline.lexicon import english_zipf

    return english_zipf(word)


def medicines_in(words: set[str]) -> set[str]:
    from anonymisation.pipeline.lexicon import get_lexicon

    lexicon = get_lexicon()
    found = {
        w
        for w in words
        if " " not in w and w not in NOT_MEDICINES and (w in MEDICINE_OF_BRAND or lexicon.is_drug(w))
    }
    found |= {MEDICINE_OF_BRAND[w] for w in found if w in MEDICINE_OF_BRAND}
    return found | {part for w in found for part in COMPONENTS.get(w, ())}


def age_in(text: str) -> str | None:
    """The first age the text gives ("a 78-year-old", "(80M)", "Patient age: 53")."""
    match = AGE.search(text.lower())
    return next(group for group in match.groups() if group) if match else None


def age_band_in(text: str, age: str | None = None) -> int | None:
    years = age or age_in(text)
    if years is None:
        return None
    return int(years) // AGE_BAND_YEARS if int(years) < 120 else None


def age_band_of_days(days: Any) -> int | None:
    try:
        return int(int(days) / DAYS_PER_YEAR) // AGE_BAND_YEARS
    except (TypeError, ValueError):
        return None


def sex_in(words: set[str], titled: set[str] = frozenset()) -> str | None:
    """The patient's sex when the words say one only; a title or a letter after the age ("71F")
    outranks pronouns, which may be a relative's or a member of staff's."""
    if len(titled) == 1:
        return next(iter(titled))
    female, male = bool(words & FEMALE) or "female" in titled, bool(words & MALE) or "male" in titled
    if female == male:
        return None
    return "female" if female else "male"


def lexical_similarity(a: Profile, b: Profile) -> float:
    """Cosine of the two records' rarity-weighted term counts."""
    if len(a.terms) > len(b.terms):
        a, b = b, a
    dot = sum(weight(t) ** 2 * n * b.terms[t] for t, n in a.terms.items() if t in b.terms)
    return dot / (a.norm * b.norm)


def shared_terms(a: Profile, b: Profile, limit: int = 4) -> list[str]:
    """The most telling words and pairs both records use, pairs first when they cover a word."""
    common = [t for t in a.terms if t in b.terms and not t.isdigit()]
    common.sort(key=lambda t: (-weight(t), t))
    chosen: list[str] = []
    for term in common:
        if any(term in other.split(" ") or term in other for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


def tokens_of(text: str) -> list[str]:
    """Plain lower-case tokens (codes such as "t34-0913" kept whole), placeholders left out."""
    return TOKEN.findall(PLACEHOLDER.sub(" ", text.lower()))


@lru_cache(maxsize=200_000)
def is_specific(token: str) -> bool:
    """A token naming a detail: it holds a digit ("eq8831", "50") or is a rare word ("humalog")."""
    if DIGIT.search(token):
        return True
    return len(token) > 3 and _english_zipf(token) < SPECIFIC_ZIPF


@dataclass(frozen=True)
class CorpusStatistics:
    """How many records use each token, among `documents` records: words that many records use are
    the way reports are written ("handed over", "datix completed"), rare ones are the event."""

    documents: int
    frequencies: dict[str, int]
    # Read-through caches (a record's IDFs, norm and rare tokens are asked for once per pair compared;
    # the statistics object is replaced when recounted, its caches with it).
    _idf: dict = field(default_factory=dict, compare=False, repr=False)
    _per_text: dict = field(default_factory=dict, compare=False, repr=False)
    # The records using each full-text lexeme (PostgreSQL's stem of a token): statistics.py fills it.
    lexemes: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_texts(cls, texts) -> CorpusStatistics:
        counts: Counter = Counter()
        total = 0
        for text in texts:
            counts.update(set(tokens_of(text)))
            total += 1
        return cls(total, dict(counts))

    def idf(self, token: str) -> float:
        found = self._idf.get(token)
        if found is None:
            found = self._idf[token] = (
                math.log((1 + self.documents) / (1 + self.frequencies.get(token, 0))) + 1
            )
        return found

    def is_rare(self, token: str) -> bool:
        """Few records use it. A stop word never counts, however few records there are yet, and in a
        corpus of fewer than RARE_MIN_DOCUMENTS records no word is known to be rare (in a corpus of one
        record every word would be, and a pressure ulcer was flagged as a duplicate of an insulin error
        for sharing "recovered")."""
        return (
            self.documents >= RARE_MIN_DOCUMENTS
            and token not in STOP_WORDS
            and self.frequencies.get(token, 0) <= max(2, RARE_SHARE * self.documents)
        )

    def of_tokens(self, tokens: frozenset[str]) -> tuple[float, frozenset[str]]:
        """The TF-IDF norm of a record's tokens and its corpus-rare tokens."""
        found = self._per_text.get(tokens)
        if found is None:
            if len(self._per_text) >= PER_TEXT_CACHE:
                self._per_text.clear()
            norm = math.sqrt(sum(self.idf(t) ** 2 for t in tokens))
            found = self._per_text[tokens] = (norm, frozenset(t for t in tokens if self.is_rare(t)))
        return found

    def sharp_weight(self, token: str, power: float) -> float:
        """IDF raised to a power above 1: rare tokens count for much more than common ones."""
        key = (token, power)
        found = self._idf.get(key)
        if found is None:
            found = self._idf[key] = self.idf(token) ** power
        return found

    def sharp_norm(self, tokens: frozenset[str], power: float) -> float:
        key = (tokens, power)
        found = self._per_text.get(key)
        if found is None:
            if len(self._per_text) >= PER_TEXT_CACHE:
                self._per_text.clear()
            found = self._per_text[key] = math.sqrt(sum(self.sharp_weight(t, power) ** 2 for t in tokens))
        return found


RARE_SHARE = 0.015  # a token in at most this share of records is rare
RARE_MIN_DOCUMENTS = 20
PER_TEXT_CACHE = 50_000
EMPTY_STATISTICS = CorpusStatistics(0, {})


def tfidf_similarity(a: Profile, b: Profile, stats: CorpusStatistics) -> float:
    """Cosine of binary TF-IDF vectors of the two records' tokens under the corpus statistics."""
    if not a.tokens or not b.tokens:
        return 0.0
    common = sum(stats.idf(t) ** 2 for t in a.tokens & b.tokens)
    return common / (stats.of_tokens(a.tokens)[0] * stats.of_tokens(b.tokens)[0])


def sharp_tfidf_similarity(a: Profile, b: Profile, stats: CorpusStatistics, power: float) -> float:
    """Cosine of binary token vectors weighted by IDF to a power: with power 2, a token ten times rarer
    in the corpus weighs about twice as much again as in plain TF-IDF, so the wording shared by many
    reports ("Brief description of incident", "Staff were covering breaks") counts for less beside the
    rare words that say what happened. Power 1 is `tfidf_similarity`."""
    if power == 1:
        return tfidf_similarity(a, b, stats)
    if not a.tokens or not b.tokens:
        return 0.0
    common = sum(stats.sharp_weight(t, power) ** 2 for t in a.tokens & b.tokens)
    return common / (stats.sharp_norm(a.tokens, power) * stats.sharp_norm(b.tokens, power))
