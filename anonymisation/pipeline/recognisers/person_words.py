"""The small closed vocabularies and token shapes the person recogniser reasons with.

Titles, relation words, grammar words and part-of-speech tag sets: generic English and NHS usage, not
names.
"""

import calendar

import regex

from ..allow_list import HONORIFICS, JOB_TITLES, words

# Titles that are always followed by a name (when anything follows); other roles often are not.
STRONG_TITLES = (
    HONORIFICS
    | {"sn", "hca"}
    | {t for t in JOB_TITLES if t.split()[-1] in {"nurse", "sister", "matron", "midwife"} and " in " not in t}
)
TITLES = STRONG_TITLES | JOB_TITLES
TITLE_FIRST_WORDS = frozenset(title.split()[0] for title in TITLES)
RELATION_WORDS = words(
    """
    husband wife partner spouse son daughter mother mum mom mummy father dad daddy brother sister
    sibling grandson granddaughter grandmother grandfather grandma grandad granddad nan nana gran niece
    nephew cousin aunt auntie aunty uncle friend neighbour neighbor carer fiance fiancee boyfriend
    girlfriend stepson stepdaughter stepmother stepfather godmother godfather baby child relative nok
    colleague patient pt resident client visitor inmate student prisoner detainee
    """
)
NAMING_WORDS = frozenset({"called", "named"})
# Nicknames: "aka Gaz", "nicknamed Smudge", "known to everyone as Lol", "known on the ward as Bex".
NICKNAME_WORDS = words("aka a.k.a a.k.a. nicknamed nickname")
NICKNAME_FILLERS = words(
    """
    to by on in at the all everyone everybody staff team ward family friends us them her his their
    colleagues
    """
)
NAMING_PAIRS = frozenset({("known", "as"), ("name", "is"), ("name", "was"), ("name", ":"), ("goes", "by")})
# Words a name can never be, even capitalised at the start of a sentence.
CLOSED_CLASS = words(
    """
    a an the this that these those he she it they we i you his her hers its their theirs our my your him
    them us me and or but nor if then than so as at by for from in into of off on onto out over per to
    up upon via with within without after before during about above against along among around behind
    below beside between beyond through under until while was were is are be been being am has have had
    do does did done not no yes also there here when where who whom whose which what why how all any
    both each either neither every some such too very can could should would shall must might ought
    please thanks thank ok okay mg ml
    """
)
PARTICLES = words(
    """
    de da das dos do del della di du la le van von der den ter ten bin binti ibn al el ap abu
    ni nic mac o ua bint ben dela delos lo st
    """
)
# Tags that rule a lower-case token out of a name; verbs and adverbs only when it is a dictionary word
# (the tagger calls unfamiliar lower-case words almost anything).
CLOSED_TAGS = words("MD IN DT PDT PRP PRP$ CC CD TO WDT WP WP$ WRB EX RP UH SYM LS POS")
WORD_TAGS = words("VB VBD VBG VBN VBP VBZ RB RBR RBS")
# Which tags make a lower-case *dictionary* word acceptable as a name, by how sure the context is.
AFTER_HONORIFIC = words("NN NNS NNP NNPS JJ JJR JJS FW")  # "mrs price", "dr brown"
AFTER_RELATION = frozenset({"NN", "NNP", "NNPS", "FW"})  # "his partner anna", not "her son present"
PROPER_ONLY = frozenset({"NNP", "NNPS"})
# "transferred to", "moved to", "staying in": what follows is a place, not a person.
MOTION_WORDS = words(
    """
    transferred transfer moved move admitted taken take sent send discharged discharge returned return
    travelled traveled went gone go going come came coming flown flew driven drove conveyed relocated
    repatriated diverted referred brought bring arrived home admission admissions referral referrals
    transfers discharges
    """
)
# Where a person goes in a clause: after these words, or before these verbs.
ARGUMENT_BEFORE = words(
    """
    by with told tell telling and so for of from saw seen see asked thanked helped gave informed visited
    called rang phoned contacted updated nok son daughter wife husband partner mother father brother
    sister grandson granddaughter niece nephew carer friend
    """
)
ARGUMENT_AFTER = words(
    """
    was is had has said says stayed used rang spoke told felt fell went will would could did found
    noticed checked gave helped made arrived attended responded reviewed recognised covered
    """
)
PLACE_PREPOSITIONS = words("in at to from near into towards via outside inside")
DETERMINERS = words("a an the his its their our my your another")
PATIENT_WORDS = frozenset(
    {"patient", "pt", "resident", "client", "student", "visitor", "inmate", "prisoner", "detainee"}
)
# Words that read as part of a name after a title-like word but never are one.
NEVER_A_SURNAME = frozenset({"nok", "pt", "patient", "staff", "team", "family", "relative", "carer", "ext"})
TITLE_WORDS = frozenset(t for t in TITLES if " " not in t)
CAPITALISED = regex.compile(r"^\p{Lu}[\p{Ll}'’]*(?:\p{Lu}[\p{Ll}'’]+)*\.?$")
UPPER = regex.compile(r"^\p{Lu}{2,}$")
LOWER = regex.compile(r"^\p{Ll}[\p{Ll}'’]+$")
INITIAL = regex.compile(r"^\p{Lu}\.?$")
MAX_NAME_TOKEN = 40  # longer "words" are never names (and runs of junk are cut to 100 for the tokeniser)
ABSTRACT_NOUN = regex.compile(r"(?:ing|ings|tions?|sions?|ments?|ness|ity|ities|ance|ence|ism|ists?)$")
SENTENCE_END = frozenset(".!?:;\n•*")
NON_PERSON_ENTITIES = frozenset(
    {"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL"}
)

# Where a person goes in a clause, whatever the case of the word (see ``KnowledgeRules.in_person_slots``).
# A subject: what a person does or is, straight after the name ("Harper said", "rose was on her break").
PERSON_VERBS = ARGUMENT_AFTER | words(
    """
    were have saw heard spotted asked explained reported escalated documented wrote completed administered
    started stopped removed returned left came sat assisted apologised apologized called phoned contacted
    updated informed handed took brought walked ran tried wanted needed kept remained refused declined
    agreed confirmed thought knew forgot remembered recorded signed prescribed dispensed washed turned
    moved lifted supported comforted reassured stayed says feels needs wants goes takes makes looks
    seems does knows thinks tells asks calls gets keeps sits works worked looked went picked pressed
    raised pulled answered hadn't wasn't didn't couldn't isn't doesn't
    arranged bleeped emailed texted messaged lives lived speaks slid slipped tripped collapsed vomited
    complained shouted screamed cried became developed stated mentioned denied recognised climbed
    shouts cries screams speaks smokes drinks lives uses self discharged aware drew felt
    """
)
# Of those, what only a person does: a word before them is no drug, language or device ("Kadian heard").
HUMAN_VERBS = words(
    """
    said says spoke told noticed heard asked apologised apologized rang phoned thanked explained felt
    thought knew remembered forgot agreed refused declined wanted tried helped assisted sat walked
    attended reviewed documented wrote completed administered escalated reported called contacted
    updated informed handed spotted saw recognised responded comforted reassured washed lifted
    arranged bleeped emailed texted messaged speaks complained shouted screamed cried stated mentioned
    """
)
# Words that open a clause, so that a word after them is a subject: "the night team, rose and ivy, ...",
# "told that ganesh is stable", "when harper rang".
CLAUSE_OPENERS = frozenset(",;:(-+&/") | words(
    """
    and but so then when while whilst that as because until once after before if where although though
    said says
    """
)
# A person after these: "disconnected by holly", "thanked heather", "spoke to grace", "teamwork from amber".
AGENT_BEFORE = words(
    """
    by with thanked told asked informed called rang phoned contacted paged bleeped helped saw thank
    checked reviewed assessed examined supported reassured comforted visited escorted accompanied woke
    w/ emailed texted messaged see r/v r/v'd
    """
)
SPEECH_VERBS = words(
    """
    spoke talked handed handover explained apologised apologized reported escalated passed given said
    teamwork help support statement statements thanks handing shout
    """
)
# Between such a verb and its "to": "handed over to", "passed back to", "went across to".
VERB_PARTICLES = words("over back on across up out")  # also "shout out to"
# ... when the clause goes no further than the name: "by holly.", "with grace and ...", "thanked mark for".
AFTER_AGENT = frozenset(".,;:()!?+&/-") | words(
    "and for to at about who in on that because as when re regarding during whilst while before after"
    " until till"
)
# What someone is asked to do in a line of actions ("Actions: Gale to email the family", "X to redo").
ACTION_VERBS = words(
    """
    email ring call phone contact complete redo do attend follow update review speak meet write read
    arrange book check discuss share feed feedback reflect liaise chase send ensure organise present
    """
)
# Months and days, written out or short ("June", "Jun", "Thu"): some are given names too.
CALENDAR_WORDS = frozenset(
    word.lower()
    for word in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr)
    if word
)
# Before a date, not a person: "in June", "on Sunday", "every Thursday", "last April".
TIME_WORDS_BEFORE = words("in on of during every last next this early late mid end since from each")
# Modal verbs: a bare verb follows them, nothing precedes them as an object ("by will", "will said").
MODALS = words("will can shall must might may")
# Pronouns that are the object of "told" before a subject: "told her james had fallen".
TOLD_VERBS = words("told informed reminded asked showed assured reassured")
OBJECT_PRONOUNS = words("her him them me us")
# Before a word that is a thing or a place, not a person: "the Omnipod", "no Vernacare", "using Hoverjack".
THING_DETERMINERS = DETERMINERS | words("no any some this these those each every which using via")
# Places and services that a hospital or town is named together with: "between James Cook and the ward".
PLACES_OF_CARE = words(
    """
    ward wards hospital hospitals unit units department ed a&e ae icu itu hdu theatre theatres gp gps
    surgery practice practices ambulance site trust hospice clinic community team teams pharmacy lab
    labs laboratory radiology imaging maternity home care ccu amu sau resus
    """
)
