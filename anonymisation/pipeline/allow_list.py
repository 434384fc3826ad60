"""Clinical vocabulary that looks like personal data but is not.

Eponymous conditions, devices and scores ("Parkinson's disease", "Foley catheter", "Apgar score"), drug
names, ward and unit names and job titles are capitalised words that a name model happily calls PERSON.
This module holds generic domain vocabulary written for this service (not taken from any evaluation
data) and the matchers that turn it into *protected spans*: character ranges that the pipeline must not
redact. Two kinds of protection exist:

- explicit phrases (the lists below) protect against every detection;
- structural rules ("<Capitalised word>'s syndrome", "<Name> Ward") protect only against weaker person
  detections, because "Mrs Ward" and "Mr Foley's catheter" are still people.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import regex


def words(block: str) -> frozenset[str]:
    """A set of the whitespace-separated words in ``block`` (vocabulary written as prose)."""
    return frozenset(block.split())


def _phrases(block: str) -> tuple[str, ...]:
    items = (item.strip() for line in block.splitlines() for item in line.split("|"))
    return tuple(item for item in items if item)


# Eponymous diagnoses, signs, scores, procedures and equipment. Written with the possessive where it is
# usual; matching accepts "Parkinson's", "Parkinsons" and "Parkinson" alike.
EPONYM_PHRASES = _phrases("""
Addison's disease | Alzheimer's disease | Alzheimer's | Asperger's syndrome | Asperger syndrome | Asperger's
Barrett's oesophagus | Bell's palsy | Behcet's disease | Bowen's disease | Buerger's disease
Burkitt lymphoma | Conn's syndrome | Crohn's disease | Crohn's | Cushing's syndrome | Cushing's disease
Creutzfeldt-Jakob disease | Down syndrome | Down's syndrome | Dupuytren's contracture | Ehlers-Danlos syndrome
Ewing's sarcoma | Fallot's tetralogy | tetralogy of Fallot | Gilbert's syndrome | Graves' disease
Guillain-Barré syndrome | Hashimoto's thyroiditis | Hirschsprung's disease | Hodgkin lymphoma
Hodgkin's lymphoma | non-Hodgkin lymphoma | Huntington's disease | Kaposi's sarcoma | Kawasaki disease
Korsakoff's syndrome | Lewy body dementia | dementia with Lewy bodies | Marfan syndrome
Meckel's diverticulum
Ménière's disease | Munchausen syndrome | Munchausen's by proxy | Osgood-Schlatter disease
Paget's disease | Parkinson's disease | Parkinson's | Parkinsonism | Perthes disease | Peyronie's disease
Pick's disease | Raynaud's phenomenon | Raynaud's | Reiter's syndrome | Reye's syndrome | Sjögren's syndrome
Stevens-Johnson syndrome | Still's disease | Tay-Sachs disease | Tourette's syndrome | Tourette syndrome
Turner syndrome | Turner's syndrome | von Willebrand disease | Wernicke's encephalopathy
Wernicke-Korsakoff syndrome | Wilms tumour | Wilson's disease | Wolff-Parkinson-White syndrome
Zollinger-Ellison syndrome | Mallory-Weiss tear | Colles fracture | Colles' fracture | Smith's fracture
Barton's fracture | Bennett's fracture | Galeazzi fracture | Monteggia fracture | Pott's fracture
Weber fracture | Salter-Harris fracture | Baker's cyst | Bartholin's cyst | Charcot foot | Charcot joint
Cheyne-Stokes breathing | Kussmaul breathing | Babinski sign | Babinski reflex | Battle's sign
Chvostek's sign
Cullen's sign | Grey Turner's sign | Kernig's sign | Brudzinski's sign | Murphy's sign | Homans' sign
Romberg's test | Romberg test | Trendelenburg test | Trendelenburg position | reverse Trendelenburg
Fowler's position | Sims' position | Valsalva manoeuvre | Heimlich manoeuvre | Epley manoeuvre
Hallpike test | Dix-Hallpike test | Allen's test | Phalen's test | Tinel's sign | Lachman test
Schober's test
Glasgow Coma Scale | Glasgow Coma Score | Glasgow-Blatchford score | Glasgow score | Apgar score | Apgar
Bishop's score | Bishop score | Braden scale | Braden score | Waterlow score | Waterlow | Norton scale
Wells score | Gleason score | Centor score | Rockall score | Child-Pugh score | Ranson criteria
Duke criteria
Mallampati score | Cormack-Lehane grade | Killip class | Breslow thickness | Clark level | Dukes' stage
Rankin scale | modified Rankin scale | Abbey pain scale | Richmond Agitation-Sedation Scale
Bristol stool chart
Bristol stool scale | Snellen chart | Ishihara plates | Lund and Browder chart | Wallace rule of nines
Parkland formula | Cockcroft-Gault | Fick principle | Starling's law | Virchow's triad | Beck's triad
Cushing's triad | Caesarean section | Caesarean | C-section | Hartmann's procedure | Hartmann's
Whipple's procedure | Whipple procedure | Nissen fundoplication | Roux-en-Y | Billroth II | Ivor Lewis
Heller's myotomy | Ramstedt's pyloromyotomy | Lichtenstein repair | Shouldice repair | Pfannenstiel incision
Kocher incision | Lanz incision | McBurney's point | Seldinger technique | Bier block | Ponseti method
Moh's surgery | Mohs surgery | Baerveldt tube | Foley catheter | Foley | Hickman line
Groshong line | Swan-Ganz catheter | Tenckhoff catheter | Sengstaken-Blakemore tube | Sengstaken tube
Minnesota tube | Ryle's tube | Ryles tube | Guedel airway | Guedel | Yankauer sucker | Yankauer
Macintosh blade | McCoy blade | Magill forceps | bougie | Venturi mask | Hudson mask | Ambu bag
Bair Hugger | Zimmer frame | Thomas splint | Kirschner wire | K-wire | Ilizarov frame | Pavlik harness
Denis Browne boots | Aspen collar | Miami J collar | Philadelphia collar | Steinmann pin | Gigli saw
Doppler | Doppler scan | Holter monitor | Coudé catheter | Tiemann catheter | Bard catheter
Chester chair | Sara Stedy | Sara Plus | Arjo hoist | Stryker bed | Roho cushion | Sprague-Dawley
Gram stain | Gram-negative | Gram-positive | Ziehl-Neelsen stain | Papanicolaou smear | Pap smear
Mantoux test | Coombs test | Coombs' test | Guthrie test | Heaf test | Widal test | Schilling test
Pouch of Douglas | Morison's pouch | Loop of Henle | Sphincter of Oddi | Ampulla of Vater | Canal of Schlemm
Organ of Corti | Angle of Louis | Ligament of Treitz | Peyer's patches | Brunner's glands | Bartholin's gland
Wharton's jelly | Scarpa's fascia | Gerota's fascia | Calot's triangle | Hesselbach's triangle
Sylvian fissure
Fallopian tube | Eustachian tube | Achilles tendon | Adam's apple | Bowman's capsule | Broca's area
Wernicke's area | Circle of Willis | Bundle of His | Purkinje fibres | Langerhans cells | Islets of Langerhans
Kupffer cells | Reed-Sternberg cells | Howell-Jolly bodies | Heinz bodies | Auer rods | Hering-Breuer reflex
Moro reflex | Cushing reflex | Bezold-Jarisch reflex | Korotkoff sounds | Austin Flint murmur
Graham Steell murmur | Argyll Robertson pupil | Horner's syndrome | Horner syndrome | Brown-Séquard syndrome
Klinefelter syndrome | Edwards syndrome | Patau syndrome | Angelman syndrome | Prader-Willi syndrome
Rett syndrome | Williams syndrome | Noonan syndrome | DiGeorge syndrome | Dressler's syndrome
Budd-Chiari syndrome | Plummer-Vinson syndrome | Waterhouse-Friderichsen syndrome | Lennox-Gastaut syndrome
West syndrome | Dravet syndrome | Rasmussen's encephalitis | Todd's paresis | Todd's palsy | Erb's palsy
Klumpke's palsy | Saturday night palsy | Lyme disease | Legionnaires' disease | Hansen's disease
Weil's disease
Chagas disease | Kaposi sarcoma | Cori cycle | Krebs cycle | Michaelis-Menten | Henderson-Hasselbalch
Hartmann's solution | Ringer's lactate | Ringer's solution | Hartmann's fluid | Hickman catheter | PICC line
Luer lock | Venflon | Vacutainer | Optiflow | Airvo | Portex | Yankauer suction | Barthel index | Barthel
Apgar score | Apgar | Waterlow | Braden | Glasgow | Rockall score | Blatchford score | Norton score
Gillick competence | Gillick competent | Gillick | Fraser guidelines | Fraser competence | Bakri balloon
Martha's rule | Jess's rule | Caldicott guardian | Caldicott principles | Montgomery consent | Bolam test
Bolitho | Saving Babies' Lives | Ockenden review | Ockenden | Francis report | Kirkup report | Berwick review
Mental Capacity Act | Glasgow-Imrie | Waterlow assessment | Malnutrition Universal Screening Tool | MUST score
Rockwood frailty scale | Rockwood | Clinical Frailty Scale | Wells criteria | CURB-65 | Ottawa ankle rules
Ottawa rules | Canadian CT head rule | Pinard stethoscope | Pinard | Kiwi cup | Kiwi ventouse
Neville Barnes forceps | Wrigley's forceps | Kielland's forceps | Cusco speculum
Sims speculum | McRoberts manoeuvre | Woods screw
Rubin manoeuvre | Lovset manoeuvre | Mauriceau-Smellie-Veit | Robson classification | Montgomery tubercles
Trendelenburg | Mallinckrodt | Fogarty catheter | Pigtail catheter | Hartmann pouch | Whipple
Freestyle Libre | Libre sensor | Dexcom | Omnipod | Medtrum | Accu-Chek | Graseby | McKinley | Alaris
Welch Allyn | Dinamap | Lifepak | Zoll | Philips HeartStart | Draeger | Dräger | Hamilton ventilator
Sara Stedy | Maxi Move | Rotunda | Quickmove | Medela | Oxylog | Nellcor | Masimo | Baxter | Flexi-Seal
Hudson RCI | Sigma Spectrum | BodyGuard | CADD pump | Niki T34 | T34 pump | Braun | B. Braun | Vygon | Datix
""")

# Generic and UK brand names of medicines commonly named in incident narratives.
DRUG_NAMES = frozenset(
    _phrases("""
paracetamol | acetaminophen | ibuprofen | naproxen | diclofenac | aspirin | codeine | co-codamol
dihydrocodeine
tramadol | morphine | morphine sulfate | oramorph | oxycodone | oxynorm | oxycontin | fentanyl | alfentanil
remifentanil | diamorphine | buprenorphine | methadone | pethidine | tapentadol | naloxone | ketamine
propofol
midazolam | lorazepam | diazepam | clonazepam | temazepam | zopiclone | haloperidol | olanzapine | quetiapine
risperidone | aripiprazole | clozapine | lithium | sodium valproate | valproate | carbamazepine | lamotrigine
levetiracetam | phenytoin | gabapentin | pregabalin | sertraline | citalopram | fluoxetine | mirtazapine
amitriptyline | venlafaxine | duloxetine | donepezil | memantine | levodopa | co-careldopa | madopar | sinemet
ropinirole | rasagiline | warfarin | apixaban | rivaroxaban | edoxaban | dabigatran | heparin | enoxaparin
clexane | dalteparin | fragmin | tinzaparin | fondaparinux | clopidogrel | ticagrelor | alteplase
tranexamic acid
vitamin k | phytomenadione | insulin | novorapid | humalog | lantus | levemir | humulin | humulin i | tresiba
actrapid | abasaglar | toujeo | metformin | gliclazide | sitagliptin | empagliflozin | dapagliflozin
glucagon
glucose | dextrose | furosemide | frusemide | bumetanide | spironolactone | bendroflumethiazide | indapamide
amlodipine | nifedipine | labetalol | bisoprolol | atenolol | metoprolol | propranolol | ramipril | lisinopril
perindopril | losartan | candesartan | digoxin | amiodarone | adenosine | atropine | adrenaline | epinephrine
noradrenaline | norepinephrine | dobutamine | dopamine | metaraminol | ephedrine | phenylephrine | gtn
glyceryl trinitrate | isosorbide mononitrate | atorvastatin | simvastatin | levothyroxine | carbimazole
prednisolone | hydrocortisone | dexamethasone | methylprednisolone | fludrocortisone | salbutamol | ventolin
ipratropium | atrovent | tiotropium | seretide | symbicort | montelukast | aminophylline | theophylline
omeprazole | lansoprazole | esomeprazole | ranitidine | famotidine | ondansetron | metoclopramide | cyclizine
prochlorperazine | domperidone | loperamide | lactulose | senna | laxido | movicol | macrogol | docusate
amoxicillin | co-amoxiclav | augmentin | flucloxacillin | benzylpenicillin | penicillin
phenoxymethylpenicillin
piperacillin | tazocin | meropenem | ertapenem | ceftriaxone | cefuroxime | cefalexin | cefotaxime
ceftazidime
gentamicin | amikacin | vancomycin | teicoplanin | linezolid | clarithromycin | erythromycin | azithromycin
doxycycline | ciprofloxacin | levofloxacin | metronidazole | trimethoprim | nitrofurantoin | clindamycin
rifampicin | isoniazid | co-trimoxazole | septrin | aciclovir | valaciclovir | oseltamivir | tamiflu
fluconazole
nystatin | methotrexate | cyclophosphamide | cisplatin | carboplatin | doxorubicin | vincristine | tacrolimus
ciclosporin | azathioprine | mycophenolate | hydroxychloroquine | allopurinol | colchicine | alendronic acid
calcium | adcal | folic acid | ferrous sulfate | ferrous fumarate | iron | potassium chloride | sando-k
magnesium sulfate | sodium chloride | saline | hartmann's | oxytocin | syntocinon | syntometrine | ergometrine
misoprostol | carboprost | dinoprostone | propess | prostin | terbutaline | entonox | nitrous oxide | oxygen
lidocaine | lignocaine | bupivacaine | levobupivacaine | chirocaine | marcaine | emla | ametop | suxamethonium
rocuronium | atracurium | sugammadex | neostigmine | glycopyrronium | hyoscine | buscopan | chlorphenamine
piriton | cetirizine | loratadine | promethazine | flumazenil | nicotine | varenicline | thiamine | pabrinex
vitamin b12 | hydroxocobalamin | filgrastim | erythropoietin | epoetin | albumin | blood | platelets
glucogel | hypostop | dextrogel | fortisip | ensure plus | fortijuice | scandishake | thickener
thick and easy | nutilis | resource thickenup | instillagel | optilube | micralax | fybogel | dioralyte
gaviscon | peptac
calpol | sudocrem | canesten | daktarin | fucidin | difflam | oilatum | epaderm | diprobase | zerobase
doublebase | dermol | cavilon | medi derma-s | mepilex | allevyn | aquacel | tegaderm | opsite | duoderm
inadine | flamazine | intrasite | kaltostat | sorbsan | biatain | acticoat | granuflex | urgotul | jelonet
steri-strips | micropore | chlorhexidine | octenisan | prontosan | betadine | iodine | hibiscrub | clinell
""")
)

# Organisations, services, faiths, languages, laws and everyday products that incident narratives name.
ORGANISATION_PHRASES = _phrases("""
Macmillan nurse | Macmillan | Marie Curie nurse | Marie Curie | St John Ambulance | Samaritans | Age UK
Alzheimer's Society | British Red Cross | Red Cross | Salvation Army | Citizens Advice | Social Services
Adult Social Care | Children's Social Care | Safeguarding Team | Police | Fire Service | Fire Brigade
HM Coroner | Coroner | Care Quality Commission | Health and Safety Executive | NHS England | NHS Digital
NHS 111 | NHS Resolution | NHS Trust | Foundation Trust | Integrated Care Board | Yellow Card scheme
Yellow Card | Learn from Patient Safety Events | Patient Safety Incident Response Framework | PSIRF
Jehovah's Witness | Jehovah's Witnesses | Christian | Muslim | Hindu | Sikh | Jewish | Buddhist | Catholic
Ramadan | Eid | Diwali | Christmas Day | Christmas Eve | Boxing Day | New Year's Day | Easter | Hanukkah
Passover | Vaisakhi | Lent | Polish | Urdu | Punjabi | Bengali | Arabic | Romanian | Portuguese | Somali
Tigrinya | Farsi | Pashto | Kurdish | Mandarin | Cantonese | Gujarati | Tamil | Lithuanian | Turkish
British Sign Language | BSL | Makaton | Microsoft Teams | Teams | Zoom | WhatsApp | Google Translate
Google | Fitbit | Apple Watch | iPhone | iPad | Android | Facebook | Instagram | TikTok
Snapchat | Twitter | YouTube | Amazon | Uber | Tesco | Boots | Lloyds Pharmacy | Superdrug | Asda
Sainsbury's | Mental Health Act | Mental Capacity Act | Deprivation of Liberty Safeguards | Care Act
Children Act | Section 2 | Section 3 | Section 136 | Section 5(2) | Best Interests | Duty of Candour
""")

# Roles and job titles, which often precede a name ("Staff Nurse Adebayo") but are not names themselves.
JOB_TITLES = frozenset(
    _phrases("""
nurse | staff nurse | charge nurse | student nurse | senior nurse | bank nurse | agency nurse
registered nurse
nurse in charge | nurse practitioner | advanced nurse practitioner | clinical nurse specialist
specialist nurse
tissue viability nurse | infection control nurse | district nurse | community nurse | practice nurse
school nurse | nursing associate | trainee nursing associate | healthcare assistant | health care assistant
hca | clinical support worker | support worker | care assistant | carer | ward manager | deputy ward manager
ward sister | sister | senior sister | deputy sister | matron | modern matron | midwife | student midwife
community midwife | labour ward coordinator | coordinator | bed manager | site manager | clinical site manager
site practitioner | duty manager | on-call manager | manager | team leader | clinical lead | lead nurse
director of nursing | chief nurse | medical director | doctor | consultant | locum consultant | registrar
specialist registrar | spr | sho | senior house officer | junior doctor | foundation doctor | fy1 | fy2 | f1
f2
ct1 | ct2 | st1 | st2 | st3 | st4 | st5 | st6 | st7 | st8 | house officer | resident doctor | surgeon
anaesthetist | consultant anaesthetist | consultant surgeon | consultant physician | physician | psychiatrist
consultant psychiatrist | paediatrician | obstetrician | gynaecologist | radiologist | microbiologist
pathologist | oncologist | cardiologist | gp | general practitioner | locum | pharmacist | pharmacy technician
technician | physiotherapist | physio | occupational therapist | ot | speech and language therapist | slt
dietitian | dietician | radiographer | sonographer | phlebotomist | paramedic | emergency medical technician
ambulance technician | call handler | porter | receptionist | ward clerk | housekeeper | domestic | cleaner
security officer | security guard | social worker | psychologist | counsellor | chaplain | volunteer | student
operating department practitioner | odp | scrub nurse | theatre nurse | recovery nurse | outreach nurse
critical care outreach | advanced clinical practitioner | acp | anp | physician associate | pa
mental health practitioner | support time recovery worker | approved mental health professional | amhp
emergency care assistant | eca | emergency care practitioner | ecp
community psychiatric nurse | cpn | csw | healthcare support worker | hcsw | rmn | rgn | rnld
""")
)

HONORIFICS = words(
    """
    mr mrs ms miss mx master dr doctor prof professor sir dame lady lord rev revd reverend father fr
    imam rabbi pastor cllr councillor capt captain sgt sergeant pc dc sr
    """
)

# Capitalised words that are common in incident narratives and are never a person's name here.
NON_PERSON_WORDS = words(
    """
    datix ulysses safeguard radar sbar news news2 pews mews dnacpr respect dols mca mha cqc nhs nhse
    trust icb ccg hsib phso pals ombudsman police ambulance pharmacy theatre theatres recovery reception
    triage resus majors minors paeds maternity ward bay bed unit suite wing department clinic hospital
    hospice surgery practice ed ae a&e itu icu hdu ccu amu sau mau cdu ed emergency covid covid-19
    coronavirus flu monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
    thurs fri sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec christmas easter bank holiday teams zoom
    whatsapp facebook instagram twitter google microsoft outlook email emis systmone lorenzo cerner epic
    careflow nervecentre medway meditech ice pacs pyxis omnicell alaris braun baxter philips medtronic
    arjo hillrom stryker patient pt resident client staff team doctor nurse carer relative family mum
    dad nok gcs bp hr rr spo2 obs ecg ct mri xray x-ray ultrasound scan bloods fbc u&e crp inr dka aki
    uti copd chf mi pe dvt tia cva english welsh scottish irish british polish romanian urdu arabic
    punjabi bengali gujarati somali interpreter language line languageline english-speaking dob d.o.b
    nmc gmc hcpc mrn pin ni nino rn rmn sn hca ot slt pa acp anp odp gp fy1 fy2 sho spr mdt ooh tto ttos
    iv im sc po prn stat nbm dnar ct1 ct2 ext extn cpn tvn nic rmn rgn msw hcsw ecp dsn ipc mhra yas nwas
    wmas swast secamb eeast emas nas lfpse ppe tel mob hosp hrs hr mins reg rm approx obs sats resp
    temp meds dept amb pts tx rx hx dx sx fx ix mx bd tds qds od nocte mane inf rv r/v d/c w/ c/o s/b
    num nos fam harm lie kin
    prescriber anticoag ctg mgr pharm abg cxr ebme poct dtr phleb anaes bms adm glucometer vriii
    ercp mrcp ogd eus cabg turp turbt picc tavi evar til tmrw tmw wk wks vs chk
    """
)

_POSSESSIVE = r"(?:['’]s|s['’]|['’]|s)?"
_HEAD_NOUNS = (
    "disease|syndrome|sign|signs|test|score|scale|criteria|classification|grade|stage|class|catheter|tube|line|"
    "drain|procedure|operation|repair|manoeuvre|maneuver|position|fracture|palsy|reflex|stain|splint|frame|"
    "mask|airway|forceps|retractor|hernia|ulcer|lymphoma|sarcoma|tumour|tumor|phenomenon|contracture|"
    "encephalopathy|encephalitis|diverticulum|oesophagus|thyroiditis|dementia|disorder|anomaly|triad|"
    "incision|block|technique|method|shunt|valve|pouch|needle|chart|collar|brace|boots?|hoist|stedy|cushion|"
    "mattress|pump|cannula|fistula|sucker|blade|harness|cyst|tear|murmur|sounds|pupil|tendon|bodies|cells|"
    "balloon|competence|competent|guidelines?|principles?|bundle|clamp|speculum|law|review|report|inquiry|"
    "index|questionnaire|tool|assessment|deformity|"
    "rule|formula|cycle|solution|fluid|lactate|smear|monitor|scan|trolley|chair|bed|saw|wire|pin|nail|plate"
)
_CAP_WORD = (
    r"\p{Lu}[\p{Ll}\p{Lu}'’]{0,30}(?:-\p{Lu}[\p{Ll}\p{Lu}'’]{0,30}){0,3}"  # bounded: no backtracking blow-up
)
_EPONYM_SHAPE = regex.compile(rf"\b({_CAP_WORD}){_POSSESSIVE}\s+(?:{_HEAD_NOUNS})\b")
# Brand and model names before the thing they name: "Graseby driver", "Welch Allyn machine",
# "Sorani interpreter".
_THING_NOUNS = (
    "driver|machine|reader|sensor|device|meter|alarm|system|app|software|monitor|pump|interpreter|"
    "translator|speaker|speaking|team|service|policy|protocol|pathway|form|record|portal|scanner|printer"
)
_BRAND_SHAPE = regex.compile(rf"\b({_CAP_WORD}(?:\s+{_CAP_WORD})?)\s+(?:{_THING_NOUNS})s?\b")
_PLACE_SHAPE = regex.compile(
    rf"\b((?:{_CAP_WORD}\s+){{0,2}}{_CAP_WORD}){_POSSESSIVE}\s+"
    r"(?:Ward|Unit|Suite|Wing|Centre|Center|Hospital|Infirmary|Clinic|Theatres?|Surgery|Practice|Hospice|"
    r"Department|Block|Building|Pavilion|Annexe|Lodge|House|Court|Home|Care Home|Nursing Home|Medical Centre|"
    r"Health Centre|Trust|NHS Trust|Foundation Trust|Health Board|Ambulance Service|Partnership|Council|"
    r"College|University|School|Academy|Prison|Church|Mosque|Temple|Gurdwara|Synagogue|Pharmacy|Station)\b"
    r"(?![-‐'’]\w)"  # "Leung Wing-Kei", "Anna Court-Brown": a hyphenated name, not a place
)
_NUMBERED_PLACE = regex.compile(
    r"\b(?:ward|bay|bed|side\s?room|room|theatre|cubicle|unit|suite|pod|trolley|chair)\s*\d{1,3}[a-z]?\b"
    r"(?:\s+(?:east|west|north|south)\b)?",  # "Ward 4 East"
    regex.IGNORECASE,
)


def fold(text: str) -> str:
    """Lower-case and strip accents, one output character per input character (offsets survive)."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


@cache
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


# The first word of each eponym phrase, folded and without its possessive: "korotkoff", "parkinson".
EPONYM_WORDS = frozenset(
    fold(phrase.split()[0]).replace("’", "'").removesuffix("'s").removesuffix("'").split("-")[0]
    for phrase in EPONYM_PHRASES
)

_PHRASE_TOKEN = regex.compile(r"[\w'’]+")
_PHRASE_GAP = regex.compile(r"[\s\-‐()]*")


def _stem(word: str) -> str:
    word = word.replace("’", "'")
    return word.removesuffix("'s").removesuffix("'")


class PhraseMatcher:
    """Finds vocabulary phrases by looking words up, tolerant of possessives and plural -s.

    "Parkinson's disease", "Parkinsons disease" and "parkinson disease" all match the phrase
    "Parkinson's disease"; hyphens and spaces are interchangeable ("Guillain Barre", "co-amoxiclav").
    Input is folded text (see :func:`fold`), so case and accents do not matter either.
    """

    def __init__(self, vocabularies: Mapping[str, Iterable[str]]) -> None:
        """``vocabularies`` maps a kind ("eponym", "drug" ...) to its phrases."""
        self.index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for kind, phrases in vocabularies.items():
            for phrase in phrases:
                words = tuple(_stem(w) for w in _PHRASE_TOKEN.findall(fold(phrase)))
                if words:
                    self.index.setdefault(words[0], []).append((words, kind))
        for entries in self.index.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)

    @staticmethod
    @lru_cache(maxsize=50_000)
    def _variants(word: str) -> tuple[str, ...]:
        stem = _stem(word)
        return (stem, stem[:-1]) if stem.endswith("s") and len(stem) > 3 else (stem,)

    def finditer(
        self, folded: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[tuple[int, int, str]]:
        """(start, end, kind) of each phrase in ``folded[pos:endpos]``, longest match first."""
        tokens, variants = _phrase_tokens(folded, pos, len(folded) if endpos is None else endpos)
        i = 0
        while i < len(tokens):
            length, kind = self._match_at(folded, tokens, variants, i)
            if length:
                yield tokens[i].start(), tokens[i + length - 1].end(), kind
                i += length
            else:
                i += 1

    def _match_at(
        self, folded: str, tokens: list, variants: list[tuple[str, ...]], i: int
    ) -> tuple[int, str]:
        for first in variants[i]:
            for words, kind in self.index.get(first, ()):
                if i + len(words) > len(tokens):
                    continue
                if all(
                    words[k] in variants[i + k]
                    and _PHRASE_GAP.fullmatch(folded, tokens[i + k - 1].end(), tokens[i + k].start())
                    for k in range(1, len(words))
                ):
                    return len(words), kind
        return 0, ""


# The allow-list and the keep rules each run a PhraseMatcher over the same window of the same text
# straight after each other: the words of the window are found once for both.
_last_tokens: tuple[tuple[str, int, int], tuple[list, list[tuple[str, ...]]]] | None = None


def _phrase_tokens(folded: str, pos: int, endpos: int) -> tuple[list, list[tuple[str, ...]]]:
    """The words of ``folded[pos:endpos]`` and the forms each may take (read-only: shared)."""
    global _last_tokens
    key = (folded, pos, endpos)
    last = _last_tokens
    if last is not None and last[0] == key:
        return last[1]
    tokens = list(_PHRASE_TOKEN.finditer(folded, pos, endpos))
    found = (tokens, [PhraseMatcher._variants(t.group()) for t in tokens])
    _last_tokens = (key, found)
    return found


@dataclass(frozen=True, slots=True)
class ProtectedSpan:
    start: int
    end: int
    kind: str  # "eponym", "drug", "job_title", "place"
    explicit: bool  # True: protects against every detection; False: only against weak person guesses


def _folded(text: str) -> str:
    return fold(text).replace("’", "'")


def protected_spans(text: str, windows: list[tuple[int, int]] | None = None) -> list[ProtectedSpan]:
    """Character ranges of clinical vocabulary in ``text`` that must not be redacted.

    ``windows`` limits the search to those (start, end) ranges: the pipeline only needs to know about
    the neighbourhood of each detection, and long texts are mostly vocabulary-free.
    """
    folded = _folded(text)
    spans: list[ProtectedSpan] = []
    for start, end in windows if windows is not None else [(0, len(text))]:
        spans += _protected_in(text, folded, start, end)
    return spans


def _protected_in(text: str, folded: str, pos: int, endpos: int) -> list[ProtectedSpan]:
    spans = []
    for start, end, kind in _vocabulary().finditer(folded, pos, endpos):
        if kind == "job_title" and _INITIAL_BEFORE.search(text[max(0, start - 4) : start]):
            continue  # "interpreter s. porter arrived": an initial and a surname, not a job
        if not _names_a_person(text, start, end):
            spans.append(ProtectedSpan(start, end, kind, True))
    from .keep_rules import more_protected

    spans += more_protected(text, folded, pos, endpos)
    spans += [
        ProtectedSpan(m.start(), m.end(), "place", True) for m in _NUMBERED_PLACE.finditer(text, pos, endpos)
    ]
    for kind, pattern in (("eponym", _EPONYM_SHAPE), ("product", _BRAND_SHAPE)):
        for m in pattern.finditer(text, pos, endpos):
            if kind == "product" and _given_names_possessive(m.group(1)):
                continue  # "Danielle's team", "Frank Hollis's record": a person's, not a brand
            if not _after_honorific(text, m.start(1)):
                spans.append(ProtectedSpan(m.start(1), m.end(1), kind, False))
    for m in _PLACE_SHAPE.finditer(text, pos, endpos):
        if m.group(1).split()[0].lower().rstrip(".") in HONORIFICS | JOB_TITLES:
            continue
        if _heads_a_job_title(text, m.end()):
            continue  # "Gillian Barraclough Ward Sister": a name and a role, not a ward
        if _given_name_where_a_person_goes(text, m):
            continue  # "Please contact Joanne Ward", "the discharging nurse was Jennifer Ward"
        spans.append(ProtectedSpan(m.start(), m.end(), "place", False))
    return spans


_NEXT_WORD = regex.compile(r"[ \t]+(\p{L}+)")


def _heads_a_job_title(text: str, end: int) -> bool:
    """The place word that ends at ``end`` ("Ward", "House", "Practice") and the word after it make a job
    title ("Ward Sister", "Ward Manager", "House Officer", "Practice Nurse")."""
    after = _NEXT_WORD.match(text, end, min(len(text), end + 30))
    if after is None:
        return False
    head = text[max(0, end - 30) : end].split()[-1]
    return is_job_title(f"{head} {after.group(1)}")


def _given_names_possessive(words: str) -> bool:
    """A capitalised word in the possessive that is a common given name ("Danielle's"), or a common given
    name and a listed surname in the possessive ("Frank Hollis's record"): a person's thing, not a brand."""
    from .lexicon import get_lexicon

    if not words.endswith(("'s", "’s")):
        return False
    parts = words[:-2].split()
    lexicon = get_lexicon()
    rank = lexicon.given_rank(_folded(parts[0]))
    if rank is None or rank > _POSSESSIVE_GIVEN_RANK:
        return False
    return len(parts) == 1 or (len(parts) == 2 and lexicon.surname_rank(_folded(parts[1])) is not None)


_POSSESSIVE_GIVEN_RANK = 1_000
# Words after which a given name and a place word ("Joanne Ward", "Lucy Temple") are a person: one
# contacts, asks or thanks a person, and "was" / "is" name one; a ward is "on", "to", "from" or "in".
_PERSON_BEFORE = words(
    "contact contacted contacting call called ask asked tell told thank thanks was is by with"
)
# ... and only before a place word that is a common surname: "brought in by Martin House" is a hospice.
_SURNAME_PLACE_WORDS = frozenset({"ward", "church", "temple"})
_WORD_BEFORE = regex.compile(r"(\p{L}+)[ \t]+$")
_PLACE_BEFORE = words("on onto to into from in at of off")
_PERSON_BEFORE_A_WARD_NAME = words("was is by thanks thank")
_WARD_TALK = regex.compile(r"(?i)\b(?:ward|wards|bed|beds|unit|bay|side room)\b")
_ROLE_SHORT_FORMS = words("rn rgn rmn rm hca hcsw sn nic fy1 fy2 sho spr gp")
_MAIL_AFTER = regex.compile(r"[ \t]*<[^>\s@]+@")
_ROLE_AFTER = regex.compile(r",[ \t]*(\p{L}+)(?:[ \t]+(\p{L}+[ \t]+\p{L}+))?")


def _given_name_where_a_person_goes(text: str, m: regex.Match) -> bool:
    """A one-word common given name before the place word, after a word that takes a person."""
    from .lexicon import get_lexicon

    first = m.group(1)
    head = m.group().split()[-1].lower()
    if " " in first or not first.isalpha() or head not in _SURNAME_PLACE_WORDS:
        return False
    rank = get_lexicon().given_rank(_folded(first))
    if rank is None or rank > _POSSESSIVE_GIVEN_RANK:
        return False
    before = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
    word = before.group(1).lower() if before is not None else ""
    if word in _PERSON_BEFORE:
        # staff contact, call and liaise with wards too ("contacted Victoria Ward"): before "Ward" only
        # "was", "is", "by" or "thanks" name a person, and not where the sentence is about a ward or bed
        # ("the receiving ward was Elizabeth Ward", "bed offered by Rowan Ward")
        return head != "ward" or (
            word in _PERSON_BEFORE_A_WARD_NAME
            and not _WARD_TALK.search(text, max(0, m.start() - 40), m.start())
        )
    if word in _PLACE_BEFORE:
        return False
    # after it, a mail address ("From: Sharon Ward <sharon.ward@...>") or a role ("Laura Temple, RN")
    if _MAIL_AFTER.match(text, m.end()):
        return True
    role = _ROLE_AFTER.match(text, m.end())
    if role is None or head == "ward":
        return False  # "Handover: Holly Ward, RN Jones in charge" is a ward
    return role.group(1).lower() in _ROLE_SHORT_FORMS or any(
        is_job_title(words) for words in (role.group(1), role.group(2) or "")
    )


_HONORIFIC_BEFORE = regex.compile(
    r"(?:\b(?:" + "|".join(sorted(HONORIFICS)) + r"|nurse|sister|matron|midwife)\.?)\s+$", regex.IGNORECASE
)
_CAPITALISED_WORD_BEFORE = regex.compile(r"(?<![.!?:;\n]\s{0,3})\b\p{Lu}[\p{Ll}'’-]+\s+$")
_CAPITALISED_WORD_AFTER = regex.compile(r"^\s+\p{Lu}[\p{Ll}'’-]+")
# An initial straight before a job word: "s. porter", "J Cook" is no job but a surname. Not "a" or
# "i" without a full stop ("a porter came", "i nurse"), which are words.
_INITIAL_BEFORE = regex.compile(r"(?:^|(?<=[\s(/,]))(?:\p{L}\.\s*|(?![aAiI]\s)\p{L}\s+)$")


def _after_honorific(text: str, start: int) -> bool:
    return bool(_HONORIFIC_BEFORE.search(text[max(0, start - 20) : start]))


def _names_a_person(text: str, start: int, end: int) -> bool:
    """Whether a vocabulary word is part of a name ("Mr Parkinson's wife", "Sarah Foley")."""
    if _after_honorific(text, start):
        return True
    if regex.search(r"[\s-]", text[start:end]):
        return False
    return bool(
        _CAPITALISED_WORD_BEFORE.search(text[max(0, start - 30) : start])
        or _CAPITALISED_WORD_AFTER.match(text[end : end + 30])
    )


@cache
def _vocabulary() -> PhraseMatcher:
    return PhraseMatcher(
        {
            "eponym": EPONYM_PHRASES,
            "organisation": ORGANISATION_PHRASES,
            "drug": DRUG_NAMES,
            "job_title": JOB_TITLES - {"nurse", "sister", "doctor"},
        }
    )


@lru_cache(maxsize=100_000)
def is_vocabulary_word(word: str) -> bool:
    """True for any single word of the clinical vocabulary above (titles, drugs, non-person words)."""
    folded = _folded(word).strip(".")
    return folded in NON_PERSON_WORDS or folded in HONORIFICS or folded in DRUG_NAMES or folded in JOB_TITLES


def is_job_title(words: str) -> bool:
    return _folded(words).strip(" .") in JOB_TITLES


def is_drug(word: str) -> bool:
    return _folded(word) in DRUG_NAMES
