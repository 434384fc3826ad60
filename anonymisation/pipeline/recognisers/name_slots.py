"""Seventh-round name rules (see docs/adr/0012 "Seventh round"), mixed into ``NameFinder``.

Each rule reads how people write about people, not one writer's line shapes:

- after "by", a word the name lists know that ends its clause is the agent ("checked by hunt.",
  "booked by rain ext 3310");
- a name alone as a sentence, as a note is signed or a list of names is written ("thomas.",
  "duke.", "e packer."): the words are all listed names;
- after Mr, Mrs, Ms, Miss or Dr, a rare word in capitals ("DR. FORESTER", "MR PLUMBER");
- a listed given name and a listed surname in a row where a person goes ("thanks to poppy woods and",
  "called with Ken Church about", "spring bird checked"), even when both are words;
- a listed given name English seldom writes, opening a clause before a modal and a bare verb ("holly may
  need a review", "Earnest will chase the bloods");
- a sign-off: listed name words after "Thanks,", "Regards,", "Signed", "Written by" that end the line or
  the text ("Many thanks, hazel", "Signed: Rose Bird RN");
- a nickname made from a noun with "-y" ("Chalky", "Lofty", "Dusty") where only a person goes: before a
  verb only a person does ("Lofty rang") or on a staffing line ("Chalky - no answer");
- a listed given name before "from" and a team or department ("Lofty from pharmacy", "JOY FROM THE
  BANK", "nick from the day team"): how staff name a colleague from elsewhere;
- a listed name beside a role in brackets ("sam (rn)", "bill and ben (hcas)", "one hca (shelley)",
  "the site team (ruth)");
- after Mr, Mrs, Dr, Sister ..., a listed surname however common a word, when the clause ends or a verb
  follows ("mrs rose had a long wait", "SEEN BY DR. GOOD.", "SISTER LONG CAME");
- an initial and a listed surname however common a word, where a person goes ("given by C. Young to P.
  Long", "CHECKED BY G. WHITE AT 2000", "HANDLER: T. CHURCH", "RN A Church &");
- a listed given name joined to "I" or "me" ("mark and i did the night checks", "me and robin"): only a
  person is coordinated with the writer;
- a common given name as the bare subject of a past-tense verb with an object ("robin checked her
  locker", "ivy caught it", "PAT SEARCHED THE LINEN SKIP"): a transitive action has an agent;
- the speakers of a pasted chat thread: lines that open with a listed given name and a colon or a time
  ("Gemma: anyone seen ...", "Lofty 23:15 - yeah"), when two or more different names do.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import regex

from ..allow_list import EPONYM_WORDS, words
from .candidate import Candidate
from .name_knowledge import _verb_shaped
from .name_rules import _TIME, AGENT_ONLY_VERBS, ANIMATE_NOUNS, SLOT_GIVEN_RANK, STAFF_STATUSES
from .person_words import (
    AFTER_AGENT,
    AGENT_BEFORE,
    CALENDAR_WORDS,
    CAPITALISED,
    DETERMINERS,
    HUMAN_VERBS,
    MAX_NAME_TOKEN,
    MODALS,
    NEVER_A_SURNAME,
    PERSON_VERBS,
    RELATION_WORDS,
    SENTENCE_END,
    TITLE_WORDS,
)

# After "by", a listed name ending its clause is the agent unless English uses the word this often
# ("hunt" 4.5, "rain" 4.7, "storm" 4.7 pass; "hand" 5.4, "post" 5.4, "chance" 5.3 do not).
BY_NAME_ZIPF = 5.0
# ... and rank on some country's list at least this high (given names or surnames).
BY_NAME_RANK = 5_000
# What "by" takes that is no person: means, manner and measure ("given by mouth", "sent by taxi").
BY_MEANS = words(
    """
    mouth nose tube hand foot feet car taxi bus train road rail air sea ambulance helicopter wheelchair
    trolley bed chair phone telephone email post letter fax text pager bleep radio video zoom teams
    mistake accident error chance default design nature law name sight far half degrees percent
    midnight noon morning evening afternoon tonight tomorrow today weekend lunchtime teatime
    """
)
# After the name, what shows that the clause ended with it: an extension or bleep number follows.
# A sentence that is only a listed name ("thomas.", "Hazel.") unless English uses the word this often
# ("done" 5.6, "fine" 5.2 are listed given names too).
ALONE_NAME_ZIPF = 5.0
ALONE_NAME_RANK = 5_000
_ENDS_A_LINE = frozenset({".", "!"})
# After a personal honorific, a word in capitals is the surname when English uses it less than this
# ("FORESTER" 3.0, "PLUMBER" 3.4; not "AWARE" 4.6, "INFORMED" 4.4).
HONORIFIC_CAPITALS_ZIPF = 4.0
_PERSONAL_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
# Two name-list words in a person's place: a given name (rank ≤ PAIR_GIVEN_RANK, or rarer when English
# seldom writes it) then a surname (rank ≤ PAIR_SURNAME_RANK), each English less than PAIR_WORD_ZIPF.
PAIR_GIVEN_RANK = 1_000
PAIR_RARE_GIVEN_ZIPF = 3.5
PAIR_SURNAME_RANK = 5_000
PAIR_WORD_ZIPF = 5.0
PAIR_SURNAME_ZIPF = 5.6
# ... and a given name among the commonest of some country up to this ("george" 5.0, "mark" 5.1).
PAIR_COMMON_GIVEN_RANK = 300
PAIR_COMMON_GIVEN_ZIPF = 5.3
# "thanks to", "spoke to", "handed over to", "escalated to": "to" after these takes a person.
# A first word the tagger reads as an adjective is a name only when English seldom uses it ("poppy" 3.6;
# not "brown" 5.0, "grey" 4.5).
PAIR_ADJECTIVE_ZIPF = 4.0
_TO_A_PERSON = frozenset(
    {"thanks", "spoke", "talked", "over", "escalated", "explained", "said", "passed", "back"}
)
_AFTER_A_NAMED_AGENT = frozenset(".,;:()!?+&/-") | words("and for about who re regarding ext ext. bleep x")
# A given name before a modal: English uses the word less than this ("holly" 3.9, "earnest" 3.7,
# "sunshine" 4.2; not "river" 5.0, "rose" 5.1, "apple" 4.8).
MODAL_SUBJECT_ZIPF = 4.5
MODAL_SUBJECT_RANK = 5_000
_MODALS = frozenset({"will", "may", "might", "should", "can", "could", "would", "must", "shall"})
# How a note is signed off: the name follows, and ends the line or the text.
SIGN_OFFS = frozenset(
    {
        ("thanks",),
        ("thank", "you"),
        ("regards",),
        ("cheers",),
        ("signed",),
        ("sign", "off"),
        ("written", "by"),
        ("completed", "by"),
        ("author",),
        ("best", "wishes"),
    }
)
# A "-y" nickname ("Chalky" 2.7, "Lofty" 3.3, "Dusty" 3.7) is rarer in English than this.
NICKNAME_ZIPF = 4.0
# Verbs a person does that a nickname is seen before, beyond ``AGENT_ONLY_VERBS``.
_SUBJECT_VERBS = frozenset({"recognised", "recognized", "noticed", "checked", "attended", "reviewed", "came"})
# Teams and departments a member of staff comes from ("faith from the bank", "BILL FROM ESTATES"), and
# the services outside the hospital that ring or write about a patient ("carol from the hospice rang").
TEAMS = words(
    """
    pharmacy estates bank agency outreach switchboard security housekeeping radiology xray x-ray physio
    physiotherapy ot theatres theatre portering porters lab labs haematology microbiology site catering
    domestics maintenance facilities ed a&e ae cardiology orthopaedics ortho it hr team poct ebme
    hospice gp practice surgery
    """
)
# ... unless English uses the word this often ("bill" 5.2 passes; "will" 6.5 is the modal rule's).
FROM_TEAM_ZIPF = 5.3
# Where a colleague is, after "in" or "on": a team ("SUE IN PHARMACY", "mark in poct"), a shift ("RHYS ON
# NIGHTS") or a numbered or named ward ("Nic on ward 6", "Helen on Ward 30").
_TEAM_PREPOSITIONS = frozenset({"from", "in", "on"})
# After "from" (and "the"), the last word of a place staff work in: "from the day team", "from the
# discharge lounge", "from the eye clinic", "from the bed bureau".
_WORKPLACE_HEADS = words("team teams lounge unit department dept clinic desk office bureau hub")
_TENSED_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "VBN", "VBG"})
_ADVERB_TAGS = frozenset({"RB", "RBR", "RBS"})
_NOT_WHERE_ONE_IS = frozenset({"team", "site", "it"})  # "on site" is a shift word; "on it" is a thing
_SHIFTS = words("nights days lates earlies earlys site call")
# The pools of staff one is "on the ...": "paddy on the bank came for a night shift".
_STAFF_POOLS = words("bank agency")
# After a given name, "the" and a role, what may follow: the name is who holds the role ("sue the ward
# clerk says", "ash the reg wants", "jill the bed manager who overrode"). Role short forms staff write
# that the title list lacks.
ROLE_SHORT_FORMS = words("reg nic rn dn hcsw cn sn")
_AFTER_AN_APPOSITION = frozenset(".,;:()!?-") | words("who to and has had was is says said in on from")
_NOT_BEFORE_AN_APPOSITION = MODALS | words(
    "to please pls not dont don't do did can could would should i we you they he she also just then"
)
APPOSITION_NAME_ZIPF = 5.3
# How English names who does a job ("cleaner", "receptionist", "technician", "assistant", "handyman").
_AGENT_NOUN_ENDINGS = ("er", "or", "ist", "ian", "ant", "man")
# In brackets after a name, what a person is; before one, a role or a team.
BRACKET_ROLES = words("pt patient service user nok carer student team me relative") | RELATION_WORDS
BRACKET_NAME_ZIPF = 5.5
# How staff qualify a role in brackets: "(bank HCA)", "(agency rn)", "(student nurse)".
STAFF_GRADES = words("bank agency locum senior junior night day new temp")
# Titles a surname follows, and words of state that follow them as predicates ("Dr happy with plan").
# "Officer", "PC" ... as prison and police staff are named ("Officer Marsh did not do the obs").
_SURNAME_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "sister",
        "matron",
        "nurse",
        "officer",
        "constable",
        "sergeant",
        "sgt",
    }
)
_ROLE_TITLES = frozenset({"sister", "matron", "nurse", "officer", "constable", "sergeant"})
_STATES = words("well happy fine okay ok sure stable aware content better worse unhappy present informed")
_AFTER_A_SURNAME = frozenset(".,;:()!?") | words("had has was is came did says said and")
# Before an initial and a surname in a person's place: an agent word, a field's colon, a list's joint.
_BEFORE_AN_INITIAL = frozenset({"to", "from", "for", ":", ",", "&", "and", "+", "/"})
# Field names and words before "as" that a person's name follows ("Patient: ...", "name given as ...").
PERSON_LABELS = (
    words(
        """
    patient pt name contact nok reporter reported handler witness witnesses author reviewer reviewed
    manager lead carer relative informant caller staff clinician doctor nurse from to cc attendees present
    """
    )
    | RELATION_WORDS
)
# A speaker's name opening a line of a thread is rarer in English than this ("gemma" 3.2, "kelly" 4.1;
# not the headings "plan" 5.4, "hope" 5.4); one of them must be no English word at all
# (or a "-y" nickname).
SPEAKER_ZIPF = 4.5
# A bare subject of a past-tense verb with an object: a common given name (rank ≤ 1,000) English uses
# less than this ("robin" 4.3, "dawn" 4.3, "tom" 4.8; not "mark" 5.1, "hope" 5.4).
ACTION_SUBJECT_ZIPF = 5.0
_OBJECT_STARTS = words("her his him it them the a an my our their this that these those")
# Past tenses that link or that things do too: no agent needed ("rose had a fall", "pain got worse").
_NOT_AN_ACTION = words("was were had did got became seemed felt looked went came fell kept left made")
_AUXILIARIES = frozenset({"was", "were", "had", "did", "is", "are", "has", "been", "be", "need", "needed"})
_AFTER_AN_AGENT = AFTER_AGENT | frozenset({"ext", "ext.", "extension", "bleep", "x"})
_DOSE_UNITS = frozenset({"mg", "mcg", "g", "ml", "unit", "units", "u", "iu", "mmol"})
_DOSE = regex.compile(r"^\d+(?:\.\d+)?(?:mg|mcg|g|ml|units?|u|iu|mmol)$", regex.IGNORECASE)


# How a message opens: a greeting, then whom it is to ("Hi Jan,", "Dear Rachel,", "hiya will -").
GREETINGS = words("hi hello hiya hey heya dear")
# Words said to someone that open a sentence and name them next: "sorry sian i forgot to tell you",
# "thanks jo, that helped", "morning Rose -". After these the name needs a comma, a dash, the line's end
# or the next clause's subject ("i", "we") to follow, so "sorry will be late" stays a modal.
SAID_TO_SOMEONE = words("sorry thanks cheers morning evening bye")
_SUBJECT_AFTER_AN_ADDRESS = words("i we")
# Words of address that follow a greeting and are no name ("Hi all,", "Dear colleague,", "hiya hun").
ADDRESS_WORDS = words(
    """
    all everyone everybody team there guys folks ladies gents colleague colleagues sir madam both
    love hun babe darling pet duck mate doc boss chief friend friends each whom
    """
)
# After the name in a greeting, what ends the address: a comma, a dash, "!" or the line's end.
_AFTER_AN_ADDRESS = frozenset({",", "!", "-", "–", ":"})
# A single letter that signs a message off is no kiss ("thanks x", "love x x").
_NOT_AN_INITIAL = frozenset({"x", "xx", "xxx"})


# After "harm to", who is no name: "no harm to self / others / staff / baby".
_NOT_HARMED_NAMES = words("self others staff baby babies patients people anyone public family health skin")


# What an interpreter does, beyond ``HUMAN_VERBS``: "Interpreter June Bush arrived within 20 minutes".
_INTERPRETER_VERBS = words("arrived attended came joined translated interpreted")


class SlotRules:
    def barred_word(self, k: int, text: str) -> bool:
        """A word no slot rule takes as a name: vocabulary, a title, a drug or a typo of a word."""
        return (
            self.is_vocabulary(k)
            or self.title_at(k)
            or self.knowledge.is_drug(text)
            or self.knowledge.typo(text)
        )

    def listed_name_after_by(self) -> Iterator[Candidate]:
        """After "by", a word some country's lists rank among its given names or surnames, ending its
        clause: the agent of what was done ("checked by hunt.", "booked by rain ext 3310", "CONSIDERED
        BY DOVE."). The given-name slot rules take common given names; this adds surnames and rarer
        given names that are also words. Not means or manner ("by mouth", "by hand", "by mistake"), a
        word English uses often (``BY_NAME_ZIPF``), vocabulary, a title, a day or month, a drug, an
        eponym or a slip of a word."""
        lexicon = self.knowledge.lexicon
        for i in range(1, self.n):
            if self.folded[i - 1] != "by":
                continue  # cheapest test first
            folded = self.folded[i]
            text = self.texts[i]
            if not text.isalpha() or not 2 < len(text) <= MAX_NAME_TOKEN or not self.doc[i - 1].whitespace_:
                continue
            rank = min(
                lexicon.given_rank(folded) or BY_NAME_RANK + 1,
                lexicon.surname_rank(folded) or BY_NAME_RANK + 1,
            )
            if rank > BY_NAME_RANK or folded in BY_MEANS or folded in CALENDAR_WORDS:
                continue
            if not self.ends_clause_after(i) or not self.passive_by(i - 1):
                continue
            if self.doc[i].is_stop or folded in NEVER_A_SURNAME or folded in EPONYM_WORDS:
                continue
            if text.islower() and not self.lowercase_document and self.capitalises_names():
                continue  # "Caught by lab (Brian Wise, BMS)": this writer capitalises names
            if self.knowledge.zipf(folded) >= BY_NAME_ZIPF:
                continue
            if self.barred_word(i, text):
                continue
            yield Candidate(i, i, 0.75, "by-name")

    def passive_by(self, by: int) -> bool:
        """The "by" at ``by`` names who did something: a past participle earlier in its clause ("checked
        by", "raised at safety huddle by", "claled by" with a slip), or a form's field name and a colon
        ("Reported: by"); not a place ("in chair by window")."""
        if by > 0 and self.texts[by - 1] == ":":
            return True
        for k in range(by - 1, max(-1, by - 7), -1):
            text = self.texts[k]
            if text in SENTENCE_END or text in {",", "(", ")"} or "\n" in text or self.title_at(k):
                return False
            tag = self.doc[k].tag_
            if tag == "VBN" or (tag == "VBD" and self.folded[k] not in _AUXILIARIES):
                return True
            if (
                text.isalpha()
                and len(text) > 3
                and self.folded[k].endswith("ed")
                and self.folded[k] not in _AUXILIARIES
            ):
                return True  # a participle with a slip of the keyboard, tagged anything ("claled by")
        return False

    def dose_at(self, k: int) -> bool:
        """A dose starts at token ``k``: "4mg", or "4" and "mg" as the tokeniser splits it."""
        if _DOSE.match(self.texts[k]):
            return True
        return self.doc[k].like_num and k + 1 < self.n and self.folded[k + 1] in _DOSE_UNITS

    def ends_clause_after(self, i: int) -> bool:
        """Token ``i`` ends its clause: the text or line ends, or punctuation, a conjunction or an
        extension or bleep number follows ("by rain ext 3310", "by hunt.")."""
        return (
            i + 1 >= self.n
            or "\n" in self.doc[i].whitespace_
            or self.texts[i + 1].lower() in _AFTER_AN_AGENT
            or self.dose_at(i + 1)  # "given by ross 4mg iv"
        )

    def name_alone_as_a_sentence(self) -> Iterator[Candidate]:
        """A sentence or line that is only a name, as notes are signed and names listed: "thomas.",
        "duke.", "Hazel.", "e packer.", "june porter." (one to three tokens, each a listed given name or
        surname, or an initial before one, ending with a full stop or the text). A sentence needs a
        verb; one made of name-list words and nothing else is a name. Not vocabulary, a title, a day or
        month, a drug, a participle ("Reviewed."), a slip of a word or a word English uses
        often (``ALONE_NAME_ZIPF``: "Done.", "Fine.")."""
        texts = self.texts
        for end in range(1, self.n + 1):
            # a full stop or the end of the text closes it; a word alone on a line without one is more
            # often a heading ("Crew", "Summary")
            if end < self.n and (
                texts[end] not in _ENDS_A_LINE or (end + 1 < self.n and not self.doc[end].whitespace_)
            ):
                continue  # cheapest test first; "thomas.smith@" is no sentence end
            first = end
            while first > 0 and end - first < 4 and texts[first - 1][:1].isalpha():
                first -= 1
            if not 0 < end - first <= 3 or (first > 0 and texts[first - 1][:1].isalpha()):
                continue
            if not self.sentence_start(first):
                continue
            if all(self.alone_name_word(k, last=k == end - 1) for k in range(first, end)):
                yield Candidate(first, end - 1, 0.75, "alone")

    def alone_name_word(self, k: int, *, last: bool) -> bool:
        text = self.texts[k]
        if not last and len(text.rstrip(".")) == 1:
            return True  # an initial: "e packer."
        folded = self.folded[k]
        if not text.isalpha() or not 1 < len(text) <= MAX_NAME_TOKEN:
            return False
        lexicon = self.knowledge.lexicon
        rank = min(
            lexicon.given_rank(folded) or ALONE_NAME_RANK + 1,
            lexicon.surname_rank(folded) or ALONE_NAME_RANK + 1,
        )
        if rank > ALONE_NAME_RANK or folded in CALENDAR_WORDS:
            return False  # an eponym alone is a name too: "Thomas." is no splint
        if self.doc[k].is_stop or folded in NEVER_A_SURNAME or folded in _STATES or _verb_shaped(folded):
            return False  # "pansy aware.": a name and its state
        if self.knowledge.zipf(folded) >= ALONE_NAME_ZIPF:
            return False
        return not self.barred_word(k, text)

    def capitals_after_an_honorific(self) -> Iterator[Candidate]:
        """After "Mr", "Mrs", "Ms", "Miss" or "Dr" (written as a title: capitalised or in capitals),
        perhaps with its full stop, a word in capitals is the surname even when it is an English word
        no list knows ("ESCALATED TO DR. FORESTER", "seen by MR PLUMBER"): an honorific's only job is to
        go before a name. Not a grammar word, a participle ("DR REVIEWED"), vocabulary, a title or a
        word English uses often (``HONORIFIC_CAPITALS_ZIPF``: "MR AWARE")."""
        for i in range(self.n - 1):
            if self.folded[i] not in _PERSONAL_HONORIFICS or not self.texts[i][:1].isupper():
                continue  # cheapest test first; "did not miss doses"
            j = i + 2 if self.texts[i + 1] == "." and not self.doc[i].whitespace_ else i + 1
            if j >= self.n or not self.doc[j - 1].whitespace_ or "\n" in self.doc[j - 1].whitespace_:
                continue
            text = self.texts[j]
            if not text.isupper() or not text.isalpha() or not 2 < len(text) <= MAX_NAME_TOKEN:
                continue
            folded = self.folded[j]
            if self.doc[j].is_stop or folded in NEVER_A_SURNAME or _verb_shaped(folded):
                continue
            if self.knowledge.zipf(folded) >= HONORIFIC_CAPITALS_ZIPF:
                continue
            if self.is_vocabulary(j) or self.title_at(j) or self.knowledge.is_drug(text):
                continue
            yield Candidate(j, j, 0.9, "honorific-capitals")

    def given_and_surname_in_a_person_slot(self) -> Iterator[Candidate]:
        """A listed given name then a listed surname, in the same case, where only a person goes: after
        "by", "with", "thanked", "thanks to", "spoke to" ... with the clause ending after them ("thanks
        to poppy woods and", "Called with Ken Church about", "assessed by honey best."), or opening a
        clause before a person's verb ("willow grey and colin were", "spring bird checked"). Two
        name-list words in a row in a person's place are a full name even when both are words. Not an
        adjective first ("with brown hair"), vocabulary, a title, a day or month, a drug, a slip of a
        word or a word English uses often (``PAIR_WORD_ZIPF``)."""
        lexicon = self.knowledge.lexicon
        given, surname = lexicon.given, lexicon.surname
        folded = self.folded
        for i, (word, following) in enumerate(pairwise(folded)):
            if word not in given or following not in surname:
                continue  # cheapest test first
            j = i + 1
            first, second = self.texts[i], self.texts[j]
            if first.islower() != second.islower() or first.isupper() != second.isupper():
                continue
            if not (first.isalpha() and second.isalpha() and len(first) > 1 and len(second) > 2):
                continue
            rank = given[word]
            if rank > PAIR_GIVEN_RANK and self.knowledge.zipf(word) >= PAIR_RARE_GIVEN_ZIPF:
                continue
            if surname[following] > PAIR_SURNAME_RANK:
                continue
            if not (self.pair_after_an_agent_word(i, j) or self.pair_before_a_persons_verb(i, j)):
                continue
            if not self.doc[i].whitespace_ or "\n" in self.doc[i].whitespace_:
                continue
            if (
                self.doc[i].tag_ in {"JJ", "JJR", "JJS"}
                and self.knowledge.zipf(self.folded[i]) >= PAIR_ADJECTIVE_ZIPF
            ):
                continue  # "with brown hair.", but "thanks to poppy woods" (the tagger's guess for "poppy")
            if not (self.pair_word(i, given_rank=rank) and self.pair_word(j, surname=True)):
                continue
            yield Candidate(i, j, 0.8, "slot-pair")

    def pair_after_an_agent_word(self, i: int, j: int) -> bool:
        if i == 0:
            return False
        before = self.folded[i - 1]
        if before == "to":
            slot = i > 1 and self.folded[i - 2] in _TO_A_PERSON
        elif before == "as":
            slot = i > 1 and self.folded[i - 2] in {"known", "given", "named", "called", "identified"}
        elif self.texts[i - 1] == ":":
            # "PATIENT: GEORGE FIELD,", "EMPLOYER CONTACT: HELEN STONE,"
            slot = i > 1 and (self.folded[i - 2] in PERSON_LABELS or bool(self.title_at(i - 2)))
        else:
            slot = before in AGENT_BEFORE
        # the clause ends with the name: not "informed CLIFF EDGE IN STAFFING" (a place goes on with "in")
        return slot and (
            j + 1 >= self.n
            or self.texts[j + 1].lower() in _AFTER_A_NAMED_AGENT
            or "\n" in self.doc[j].whitespace_
        )

    def pair_before_a_persons_verb(self, i: int, j: int) -> bool:
        if j + 1 >= self.n:
            return False
        verb = j + 1
        if self.folded[verb] in {"and", "&", "+"} and verb + 2 < self.n:
            verb += 2  # "willow grey and colin were"
        # a person's verb, perhaps with a slip of the keyboard ("spring bird cehcked")
        if (
            self.folded[verb] not in PERSON_VERBS
            and self.folded[verb] not in HUMAN_VERBS
            and (verb != j + 1 or not self.knowledge.misspelt(self.texts[verb], PERSON_VERBS))
        ):
            return False
        return self.opens_clause(i) and self._word_before(i) not in DETERMINERS

    def paired_surname(self, k: int) -> bool:
        """After a listed given name English seldom writes (Zipf < ``PAIR_RARE_GIVEN_ZIPF`` + 1), a listed
        surname may be a commoner word ("HELEN STONE", "GEORGE FIELD" 5.2, "olive field")."""
        return (
            self.knowledge.zipf(self.folded[k - 1]) < PAIR_RARE_GIVEN_ZIPF + 1.0
            and self.knowledge.zipf(self.folded[k]) < PAIR_SURNAME_ZIPF
        )

    def pair_word(self, k: int, *, surname: bool = False, given_rank: int = 0) -> bool:
        folded = self.folded[k]
        if folded in CALENDAR_WORDS:
            # "spoke to Jan Lake who said", "JUNE PORTER.": a month that is a common given name, written
            # as a name and with no number or "in", "on", "since" ... beside it
            return (
                not surname
                and not self.texts[k].islower()
                and self._word_before(k) != "by"  # "due by June."
                and self.calendar_name(k, given_rank)
            )
        if self.doc[k].is_stop or folded in NEVER_A_SURNAME:
            return False
        limit = PAIR_COMMON_GIVEN_ZIPF if 0 < given_rank <= PAIR_COMMON_GIVEN_RANK else PAIR_WORD_ZIPF
        if self.knowledge.zipf(folded) >= limit and not (surname and self.paired_surname(k)):
            return False
        return not self.barred_word(k, self.texts[k])

    def given_name_before_a_modal(self) -> Iterator[Candidate]:
        """A listed given name that English seldom writes (``MODAL_SUBJECT_ZIPF``), bare and opening a
        clause, before a modal and a bare verb: "holly may need a review", "Earnest will chase the
        bloods", "sunshine may need a review". English puts a determiner before a count noun as a
        subject ("the holly may need ..."). Not vocabulary, a title, a day or month, a modal itself, an
        animate common noun, a drug or a slip of a word."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            if self.folded[i + 1] not in _MODALS or self.folded[i] not in given:
                continue  # cheapest tests first
            text = self.texts[i]
            if not text.isalpha() or len(text) < 3 or self.doc[i].is_stop or not self.doc[i].whitespace_:
                continue
            if self.doc[i + 2].tag_ != "VB" or not self.texts[i + 2].isalpha():
                continue  # "will be", "may need": a modal and a bare verb
            if (
                given[self.folded[i]] > MODAL_SUBJECT_RANK
                or self.knowledge.zipf(self.folded[i]) >= MODAL_SUBJECT_ZIPF
            ):
                continue
            if (
                self.folded[i] in CALENDAR_WORDS
                or self.folded[i] in _MODALS
                or self.folded[i] in ANIMATE_NOUNS
            ):
                continue
            if not self.opens_clause(i) or self._word_before(i) in DETERMINERS:
                continue
            if self.texts[i + 1][0].isupper() and text.islower():
                continue  # "care plan May need": a sentence start hidden by missing punctuation
            if self.barred_word(i, text):
                continue
            yield Candidate(i, i, 0.75, "modal-subject")

    def name_in_a_sign_off(self) -> Iterator[Candidate]:
        """A note signed off: after "Thanks,", "Many thanks", "Regards,", "Signed:", "Written by" ..., one
        to three listed name words (or an initial and one) that end the line or the text, perhaps with a
        role after them ("Thanks, hazel", "Signed: Rose Bird RN", "Written by duke."). The same word tests
        as a name alone on a line (``alone_name_word``)."""
        for k in range(self.n - 1):
            if self.folded[k] not in {
                "thanks",
                "you",
                "regards",
                "cheers",
                "signed",
                "off",
                "by",
                "author",
                "wishes",
            }:
                continue  # cheapest test first
            if not any(
                k + 1 >= len(sign) and tuple(self.folded[k + 1 - len(sign) : k + 1]) == sign
                for sign in SIGN_OFFS
            ):
                continue
            first = k + 1
            while first < self.n and (self.texts[first] in {",", ":", "-", "–"} or self.doc[first].is_space):
                first += 1
            end = first
            while (
                end < self.n and end - first < 4 and self.texts[end][:1].isalpha() and not self.title_at(end)
            ):
                if end > first and "\n" in self.doc[end - 1].whitespace_:
                    break
                end += 1
            if end == first or end - first > 3:
                continue
            after = self.texts[end] if end < self.n else ""
            if not (
                end >= self.n
                or "\n" in self.doc[end - 1].whitespace_
                or "\n" in after
                or (
                    after in _ENDS_A_LINE
                    and (
                        end + 1 >= self.n or "\n" in self.doc[end].whitespace_ or "\n" in self.texts[end + 1]
                    )
                )
                or (self.title_at(end) and self.ends_line_after(end + self.title_at(end) - 1))
            ):
                continue
            if all(self.alone_name_word(m, last=m == end - 1) for m in range(first, end)):
                yield Candidate(first, end - 1, 0.75, "sign-off")

    def name_after_a_greeting(self) -> Iterator[Candidate]:
        """Whom a message is to: a greeting opening a line ("Hi", "Hello", "Hiya", "Dear"), then one or
        two words, the first a common given name and the second a listed given name or surname, then a
        comma, a dash, "!" or the line's end ("Hi Jan, the new Omnicell ...", "Dear Rachel, Please see
        below", "hiya will - can you"). After a greeting a given name is the one addressed however
        common a word ("Will", "Rose"). Not a word of address ("Hi all", "Dear colleague", "hiya hun"),
        a title ("Dear Dr Smith" is the title rules'), vocabulary, a drug or a slip of a word; a month
        or day may be ("Hi Jan," is no date). The same after "sorry", "thanks", "cheers", "morning"
        opening a sentence, one given name then a comma, a dash, the line's end or "i" / "we" ("sorry
        sian i forgot to tell you")."""
        lexicon = self.knowledge.lexicon
        for i in range(self.n - 1):
            said_to = self.folded[i] in SAID_TO_SOMEONE
            if (self.folded[i] not in GREETINGS and not said_to) or not self.sentence_start(i):
                continue  # cheapest test first
            first = i + 1
            end = first
            while end < self.n and end - first < 2 and self.texts[end].isalpha():
                if end > first and "\n" in self.doc[end - 1].whitespace_:
                    break
                end += 1
            if end == first:
                continue
            for last in range(end - 1, first - 1, -1):
                after = self.texts[last + 1] if last + 1 < self.n else ""
                if not (
                    after in _AFTER_AN_ADDRESS
                    or self.ends_line_after(last)
                    or (said_to and last == first and after.lower() in _SUBJECT_AFTER_AN_ADDRESS)
                ):
                    continue
                if said_to and (last != first or self.folded[first] in CALENDAR_WORDS):
                    break  # "thanks may", "morning june": one given name, no month
                words_ok = all(
                    self.folded[k] not in ADDRESS_WORDS
                    and len(self.texts[k]) > 1
                    and (self.folded[k] in CALENDAR_WORDS or not self.barred_word(k, self.texts[k]))
                    and (
                        self.knowledge.common_given_name(self.texts[k])
                        if k == first
                        else lexicon.given_rank(self.folded[k]) is not None
                        or lexicon.surname_rank(self.folded[k]) is not None
                    )
                    for k in range(first, last + 1)
                )
                if words_ok:
                    yield Candidate(first, last, 0.8, "greeting")
                break

    def given_name_before_whose_role(self) -> Iterator[Candidate]:
        """A given name in apposition to "his", "her" or "their" and a role or relation: "patrick his key
        worker was on his break", "ana her daughter was on the phone", "grace her named nurse". A name
        is followed by who that person is to someone; a verb before "her son" is no listed given name
        ("rang her son"), and one that is both is read as the verb ("mark his chart", "will her son").
        A common given name (rank ≤ 1,000, Zipf < ``APPOSITION_NAME_ZIPF``), no vocabulary, day or
        month, modal, grammar word, drug or slip of a word, not after a determiner."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            if self.folded[i + 1] not in {"his", "her", "their"}:
                continue  # cheapest test first
            rank = given.get(self.folded[i])
            if rank is None or rank > SLOT_GIVEN_RANK:
                continue
            role = i + 2
            if self.folded[role] in {"named", "new", "own", "usual", "regular", "main", "primary"}:
                role += 1
            if not (
                self.role_word(role)
                or self.folded[role] == "keyworker"
                or (self.folded[role] == "key" and role + 1 < self.n and self.folded[role + 1] == "worker")
            ):
                continue
            text = self.texts[i]
            if (
                not text.isalpha()
                or len(text) < 2
                or self.doc[i].is_stop
                or self.doc[i].tag_.startswith("VB")
            ):
                continue
            if self.folded[i] in MODALS or self.folded[i] in CALENDAR_WORDS:
                continue
            if self.knowledge.zipf(self.folded[i]) >= APPOSITION_NAME_ZIPF:
                continue
            if self._word_before(i) in DETERMINERS or self.barred_word(i, text):
                continue
            yield Candidate(i, i, 0.75, "whose-role")

    def name_harmed(self) -> Iterator[Candidate]:
        """Who came to harm, as incident reports grade it: "no harm to joy, obs stable", "Moderate harm
        to Heath." After "harm to", one or two words the name lists know (given names or surnames, rank
        ≤ ``BY_NAME_RANK``, Zipf < ``BY_NAME_ZIPF``), then a comma, a full stop or the line's end. Not a
        pronoun, "self", "others", "staff", a patient or relation word, vocabulary or a drug."""
        lexicon = self.knowledge.lexicon
        for i in range(1, self.n - 1):
            if self.folded[i] != "to" or self.folded[i - 1] != "harm":
                continue  # cheapest test first
            first = i + 1
            for last in (first, first + 1):
                if last >= self.n or not self.texts[last].isalpha():
                    break
                if not (
                    self.ends_line_after(last) or (last + 1 < self.n and self.texts[last + 1] in {",", "."})
                ):
                    continue
                if all(self.harmed_name_word(k, lexicon) for k in range(first, last + 1)):
                    yield Candidate(first, last, 0.75, "harm-to")
                break

    def harmed_name_word(self, k: int, lexicon) -> bool:
        folded = self.folded[k]
        rank = min(
            lexicon.given_rank(folded) or BY_NAME_RANK + 1, lexicon.surname_rank(folded) or BY_NAME_RANK + 1
        )
        return (
            rank <= BY_NAME_RANK
            and len(folded) > 1
            and not self.doc[k].is_stop
            and folded not in _NOT_HARMED_NAMES
            and folded not in RELATION_WORDS
            and folded not in CALENDAR_WORDS
            and self.knowledge.zipf(folded) < BY_NAME_ZIPF
            and not self.barred_word(k, self.texts[k])
        )

    def interpreter_named(self) -> Iterator[Candidate]:
        """An interpreter named before what they did: "Interpreter June Bush arrived within 20 minutes",
        "interpreter s. porter attended", "INTERPRETER ROSE SAID". After "interpreter", one to three
        tokens, each a word the name lists know (rank ≤ ``BY_NAME_RANK``) or an initial, then a verb a
        person does. An interpreter is booked, requested or not available, so a bare verb after the
        word ("interpreter arrived", "interpreter booked") leaves no name; nor does a language
        ("interpreter Urdu booked": vocabulary)."""
        lexicon = self.knowledge.lexicon
        for i in range(self.n - 2):
            if self.folded[i] != "interpreter":
                continue  # cheapest test first
            first = i + 2 if self.texts[i + 1] == ":" else i + 1
            for last in range(first, min(first + 3, self.n - 1)):
                verb = self.folded[last + 1]
                if verb not in HUMAN_VERBS and verb not in _INTERPRETER_VERBS:
                    continue
                if all(self.interpreter_name_word(k, lexicon) for k in range(first, last + 1)) and any(
                    len(self.texts[k].rstrip(".")) > 1 for k in range(first, last + 1)
                ):
                    yield Candidate(first, last, 0.8, "interpreter")
                break

    def interpreter_name_word(self, k: int, lexicon) -> bool:
        text = self.texts[k].rstrip(".")
        if len(text) == 1:
            return text.isalpha()
        folded = self.folded[k]
        rank = min(
            lexicon.given_rank(folded) or BY_NAME_RANK + 1, lexicon.surname_rank(folded) or BY_NAME_RANK + 1
        )
        after_initial = len(self.texts[k - 1].rstrip(".")) == 1 and self.texts[k - 1][:1].isalpha()
        return (
            text.isalpha()
            and rank <= BY_NAME_RANK
            and not self.doc[k].is_stop
            and not self.doc[k].tag_.startswith("VB")
            # a month names no interpreter, so "Interpreter June Bush arrived" is a person; after an
            # initial a job word is a surname ("interpreter s. porter")
            and (
                folded in MODALS
                or folded in CALENDAR_WORDS
                or after_initial
                or not self.barred_word(k, self.texts[k])
            )
        )

    def given_name_before_who(self) -> Iterator[Candidate]:
        """A given name before "who" and a verb: "rang pharmacy - andrew - who said bin the lot", "spoke to
        holly, who agreed". "Who" stands for people only, so a common given name (rank ≤
        ``SLOT_GIVEN_RANK``, Zipf < ``ACTION_SUBJECT_ZIPF``) straight before it, or before a comma or
        dash and it, names one. Not after a determiner or adjective ("the holly who"), a modal, a month or
        day, vocabulary ("the nurse who"), a drug or a slip of a word."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            k = i + 1
            if self.texts[k] in {",", "-", "–"}:
                k += 1
            if k + 1 >= self.n or self.folded[k] != "who" or self.folded[i] not in given:
                continue  # cheapest tests first
            if not self.doc[k + 1].tag_.startswith("VB") and self.folded[k + 1] not in HUMAN_VERBS:
                continue
            text = self.texts[i]
            if not text.isalpha() or len(text) < 2 or given[self.folded[i]] > SLOT_GIVEN_RANK:
                continue
            if self.folded[i] in MODALS or self.folded[i] in CALENDAR_WORDS or self.doc[i].is_stop:
                continue
            if self.knowledge.zipf(self.folded[i]) >= ACTION_SUBJECT_ZIPF:
                continue
            if self._word_before(i) in DETERMINERS or (i > 0 and self.doc[i - 1].tag_ in {"JJ", "PRP$"}):
                continue
            if self.barred_word(i, text):
                continue
            yield Candidate(i, i, 0.75, "before-who")

    def initial_signing_off(self) -> Iterator[Candidate]:
        """A message signed with an initial at the very end of the text: after a sign-off word ("thanks
        k", "cheers j") or alone after a sentence's end ("I've re-sent. A", "...for follow up.\nJ").
        The last word of a message that stands alone after a full stop and is one letter is who wrote
        it: no sentence is one letter. Not a kiss ("thanks x")."""
        end = self.n
        while end > 0 and (self.doc[end - 1].is_space or self.texts[end - 1] == "."):
            end -= 1
        k = end - 1
        if (
            k < 1
            or len(self.texts[k]) != 1
            or not self.texts[k].isalpha()
            or self.folded[k] in _NOT_AN_INITIAL
        ):
            return
        before = k - 1
        while before >= 0 and self.doc[before].is_space:
            before -= 1
        if before < 0:
            return
        signed = self.folded[before] in {"thanks", "cheers", "regards", "ta", "thx"}
        after_sentence = self.texts[before][-1:] in {".", "!"} or "\n" in self.doc[before].whitespace_
        if signed or (after_sentence and self.texts[k].isupper() and self.texts[k] != "I"):
            yield Candidate(k, k, 0.75, "initial-sign-off")

    def ends_line_after(self, i: int) -> bool:
        return (
            i + 1 >= self.n
            or "\n" in self.doc[i].whitespace_
            or "\n" in self.texts[i + 1]
            or (
                self.texts[i + 1] in _ENDS_A_LINE and (i + 2 >= self.n or "\n" in self.doc[i + 1].whitespace_)
            )
        )

    def y_nickname(self, i: int) -> bool:
        """A capitalised adjective made from an English noun with "-y", as British nicknames are
        ("Chalky", "Lofty", "Dusty", "Sparky", "Nobby", "Smiley"): the stem is a dictionary word ("chalk",
        "loft", "nob", "smile"). Departments end in "-y" too ("Pharmacy", "Radiology", "Surgery"), but
        their stems are no words. Not "-ly" (adverbs: "Early"), vocabulary, a relation ("Daddy"), a
        common given name or a word English uses often (``NICKNAME_ZIPF``)."""
        text = self.texts[i]
        folded = self.folded[i]
        if not CAPITALISED.match(text) or not text.isalpha() or len(text) < 4 or not folded.endswith("y"):
            return False
        if folded.endswith("ly") or folded in RELATION_WORDS or folded in ANIMATE_NOUNS:
            return False
        stem = folded[:-1]
        stems = [stem, stem + "e"]
        if len(stem) > 3 and stem[-1] == stem[-2]:
            stems.append(stem[:-1])  # "nobby", "buddy"
        if not any(len(s) >= 3 and self.english.contains(s) for s in stems):
            return False
        if self.knowledge.zipf(folded) >= NICKNAME_ZIPF or self.knowledge.common_given_name(folded):
            return False  # a common given name is the other rules' ("Sandy", "Terry")
        return not (
            self.doc[i].is_stop or self.is_vocabulary(i) or self.title_at(i) or self.knowledge.is_drug(text)
        )

    def nickname_in_a_person_slot(self) -> Iterator[Candidate]:
        """A "-y" nickname (``y_nickname``) before a verb only a person does ("Lofty rang on ...",
        "unchecked Chalky recognised deterioration") or alone on a staffing line before a dash and
        where a member of staff is ("Chalky - no answer")."""
        for i in range(self.n - 1):
            after = self.folded[i + 1]
            if after in AGENT_ONLY_VERBS or after in _SUBJECT_VERBS:
                if self._word_before(i) in DETERMINERS or not self.doc[i].whitespace_:
                    continue
            elif self.texts[i + 1] in {"-", "–"} and i + 2 < self.n:
                status = tuple(self.folded[i + 2 : i + 5])
                if not any(status[:k] in STAFF_STATUSES for k in (2, 3)) or not self.sentence_start(i):
                    continue
            else:
                continue
            if self.y_nickname(i):
                yield Candidate(i, i, 0.75, "nickname")

    def capitalises_names(self) -> bool:
        """Whether the writer capitalises names: most words that open no sentence and are capitalised in
        mixed-case text are, so a lower-case word then is less likely one. Worked out once: some
        capitalised word in mid-sentence that is no sentence start ("Brian", "Wise")."""
        known = getattr(self, "_capitalises_names", None)
        if known is None:
            known = self._capitalises_names = not self.uppercase_document and any(
                CAPITALISED.match(self.texts[k]) and self.texts[k].isalpha() and not self.sentence_start(k)
                for k in range(1, self.n)
            )
        return known

    def given_name_from_a_team(self) -> Iterator[Candidate]:
        """A listed given name (or a "-y" nickname) before "from" and a team or department: "Lofty from
        pharmacy has been told", "JOY FROM THE BANK WAS SENT", "can you pass this on to nick from the day
        team". Things come from pharmacy too ("tablets from pharmacy"), so the word must be a listed
        given name that no determiner governs, and no vocabulary, drug, title or word English uses very
        often (``FROM_TEAM_ZIPF``)."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            if self.folded[i + 1] not in _TEAM_PREPOSITIONS:
                continue  # cheapest test first
            if not self.at_a_team(i + 1):
                continue
            text = self.texts[i]
            if not text.isalpha() or len(text) < 2 or self.doc[i].is_stop:
                continue
            nickname = self.folded[i] not in given
            if nickname and not self.y_nickname(i):
                continue
            if self.knowledge.zipf(self.folded[i]) >= FROM_TEAM_ZIPF or self.folded[i] in CALENDAR_WORDS:
                continue
            if self.folded[i + 1] != "from" and self.doc[i].tag_ in _TENSED_VERB_TAGS:
                continue  # "BP rose in theatre", "temp rose on nights"; not "sent to mark in poct"
            if self.doc[i].tag_ in _ADVERB_TAGS and self.english.contains(text):
                continue  # "given twice on ward 12", "seen again in pharmacy": how often, not who
            before = self._word_before(i)
            if before in DETERMINERS or (i > 0 and self.doc[i - 1].tag_ in {"JJ", "PRP$"}):
                continue
            if i > 0 and self.doc[i - 1].tag_ == "CD" and not _TIME.match(before):
                continue  # "2 bill from ...", but "came on at 2000 Lofty from pharmacy"
            if self.barred_word(i, text):
                continue
            # below the spreading's 0.7 when the name is also a word: "no joy", "a bill" elsewhere stay
            # a nickname comes back as itself ("Lofty 23:15 - yeah"); a name that is a word may not
            score = 0.65 if self.english.contains(text) and not nickname else 0.8
            yield Candidate(i, i, score, "from-team")

    def at_a_team(self, k: int) -> bool:
        """Token ``k`` ("from", "in", "on") starts where a colleague comes from or is: "from (the)
        pharmacy", "from the day team", "in pharmacy", "on nights", "on ward 6", "on Ward 30"."""
        preposition = self.folded[k]
        if preposition not in _TEAM_PREPOSITIONS or k + 1 >= self.n:
            return False
        k += 1
        if (
            self.folded[k] == "the"
            and k + 1 < self.n
            and (preposition == "from" or (preposition == "on" and self.folded[k + 1] in _STAFF_POOLS))
        ):
            k += 1  # "from the pharmacy", "paddy on the bank came for a night shift"
        if self.folded[k] in TEAMS and (preposition == "from" or self.folded[k] not in _NOT_WHERE_ONE_IS):
            return True
        if preposition == "from":
            if self.folded[k] == "ward":  # "daisy from ward 6", "Poppy from the ward helped him up"
                return self.folded[k - 1] == "the" or (k + 1 < self.n and self.doc[k + 1].like_num)
            return any(self.folded[m] in _WORKPLACE_HEADS for m in range(k, min(self.n, k + 3)))
        if preposition == "on" and self.folded[k] in _SHIFTS:
            return self.folded[k] != "call" or (k + 1 < self.n and self.folded[k + 1] in {"for", "reg"})
        return self.folded[k] == "ward" and k + 1 < self.n and self.doc[k + 1].like_num

    def given_name_the_role(self) -> Iterator[Candidate]:
        """A listed given name, "the" and a role, then a verb, "who" or the clause's end: the name is who
        holds the role ("sue the ward clerk says", "ash the reg wants us to", "jill the bed manager who
        overrode", "will the fy1 asked"). A thing or an action is not in apposition to a role; a verb
        before one is ("mark the hca's bloods", "please call the reg"), so not after a modal, "please", a
        subject pronoun or "to" before a word tagged as a verb, and a modal-shaped name only before a
        past tense or "-s" verb ("will the fy1 asked", not "will the reg come"). Not vocabulary
        (other than a modal), a day or month, or a word English uses very often
        (``APPOSITION_NAME_ZIPF``, unless a modal)."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 3):
            if self.folded[i + 1] != "the" or self.folded[i] not in given:
                continue  # cheapest tests first
            k = i + 2
            length = self.title_at(k) or (1 if self.folded[k] in ROLE_SHORT_FORMS else 0)
            agent = 0 if length else self.agent_noun_before_a_persons_verb(k)
            if not length and not agent:
                continue
            length = length or agent
            after = k + length
            if after < self.n and self.texts[after] in {"'s", "’s"}:
                continue  # "mark the hca's bloods": a thing of the role's
            text = self.texts[i]
            if not text.isalpha() or len(text) < 3 or self.folded[i] in CALENDAR_WORDS:
                continue
            modal = self.folded[i] in MODALS
            verb = self.doc[after].tag_ if after < self.n else ""
            if modal:
                if verb not in {"VBD", "VBN", "VBZ"}:
                    continue  # "will the fy1 asked"; "will the reg come" is a question
            elif not (
                after >= self.n
                or "\n" in self.doc[after - 1].whitespace_
                or self.folded[after] in _AFTER_AN_APPOSITION
                or verb in {"VBD", "VBZ"}
            ):
                continue
            if not modal and (
                self.knowledge.zipf(self.folded[i]) >= APPOSITION_NAME_ZIPF
                or self.barred_word(i, text)
                or self.doc[i].tag_ in _TENSED_VERB_TAGS  # "temp rose the reg was called"
            ):
                continue
            before = self.folded[i - 1] if i > 0 else ""
            if before in DETERMINERS or (
                before in _NOT_BEFORE_AN_APPOSITION
                and (before != "to" or modal or self.doc[i].tag_.startswith("VB"))
            ):
                continue  # "to mark the hca": an infinitive; "went to jill the bed manager": a person
            yield Candidate(i, i, 0.8, "name-the-role")

    def agent_noun_before_a_persons_verb(self, k: int) -> int:
        """Tokens in a job named by an agent noun at ``k`` ("window cleaner", "receptionist", "key
        holder", "night porter"), when a verb only a person does follows it ("TERRY THE WINDOW CLEANER
        SAW", "dave the handyman said"): one or two lower-case or capitalised dictionary words, the last
        ending as English names who does something (-er, -or, -ist, -ian, -ant, -man); 0 if none. Things
        are named that way too ("the monitor", "the printer"), but they do not see, notice or ring; they
        do "say" ("the pump said occlusion"), so "said" is no evidence here."""
        for length in (1, 2):
            last = k + length - 1
            after = last + 1
            if after >= self.n or not self.texts[last].isalpha():
                return 0
            folded = self.folded[last]
            if (
                len(folded) >= 5
                and folded.endswith(_AGENT_NOUN_ENDINGS)
                and self.english.contains(folded)
                and self.doc[last].tag_ in {"NN", "NNP"}
                and self.folded[after] in HUMAN_VERBS
                and self.folded[after] not in {"said", "says", "stated"}  # "the pump said occlusion"
            ):
                return length
        return 0

    def role_word(self, k: int) -> int:
        """Tokens in a role at ``k``: a title ("rn", "staff nurse"), its plural ("hcas"), a patient or
        relation word ("pt", "son") or "service user"; 0 if none."""
        if k >= self.n:
            return 0
        if self.title_at(k):
            return self.title_at(k)
        folded = self.folded[k]
        if folded in BRACKET_ROLES:
            return 2 if folded == "service" and k + 1 < self.n and self.folded[k + 1] == "user" else 1
        if folded.endswith("s") and len(folded) > 2 and self._title_of(folded[:-1]):
            return 1  # "hcas", "rns"
        return 0

    def _title_of(self, folded: str) -> bool:
        return folded in TITLE_WORDS

    def bracket_name_word(self, k: int) -> bool:
        text = self.texts[k]
        folded = self.folded[k]
        if not text.isalpha() or len(text) < 2 or self.doc[k].is_stop:
            return False
        lexicon = self.knowledge.lexicon
        if folded not in lexicon.given and folded not in lexicon.surname:
            return False
        if folded in CALENDAR_WORDS or self.knowledge.zipf(folded) >= BRACKET_NAME_ZIPF:
            return False
        return not self.barred_word(k, text)

    def name_beside_a_bracketed_role(self) -> Iterator[Candidate]:
        """A listed name with what the person is in brackets after it ("on shift: sam (rn), jo (rn)",
        "bill and ben (hcas)", "Call from Rebecca (service user)"), or in brackets after a role or team
        ("one hca (shelley)", "the site team (ruth)", "and me (carol)"). Brackets after a word say who
        or what it is; a role says the other word is a person. Not vocabulary, a drug, a day or month
        or a word English uses very often (``BRACKET_NAME_ZIPF``)."""
        for k in range(1, self.n - 2):
            if self.texts[k] != "(":
                continue  # cheapest test first
            grade = 1 if self.folded[k + 1] in STAFF_GRADES else 0  # "Jordan (bank HCA)"
            role = self.role_word(k + 1 + grade)
            if role and k + 1 + grade + role < self.n and self.texts[k + 1 + grade + role] in {")", ","}:
                name = k - 1
                if self.bracket_name_word(name) and not self.role_word(name):
                    yield Candidate(name, name, 0.75, "bracket-role")
                continue
            name = k + 1
            if (
                name + 1 < self.n
                and self.texts[name + 1] == ")"
                and (self.role_word(k - 1) or self.folded[k - 1] == "me")
                and self.bracket_name_word(name)
            ):
                yield Candidate(name, name, 0.75, "bracket-role")

    def word_surname_after_a_title(self) -> Iterator[Candidate]:
        """After "Mr", "Mrs", "Dr", "Sister" ..., a listed surname however common a word it is, where the
        clause ends after it or a verb follows: "mrs rose had a long wait", "the patient mrs long had
        had", "SEEN BY DR. GOOD.", "SISTER LONG CAME", "Nurse strong.". A title goes before a name, and
        the verb or the clause's end shows that the word is no adjective before a noun ("Mr long-term
        ..."). Not a word of state ("Dr happy", "Mrs well"), a grammar word, a modal or vocabulary."""
        surname = self.knowledge.lexicon.surname
        for i in range(self.n - 1):
            if self.folded[i] not in _SURNAME_TITLES:
                continue  # cheapest test first
            if self.folded[i] == "miss" and not self.texts[i][:1].isupper():
                continue  # "did not miss long"
            if self.folded[i] in _ROLE_TITLES and self._word_before(i) in DETERMINERS:
                continue  # "the nurse station was busy": a compound noun, not a title
            j = i + 2 if self.texts[i + 1] == "." and not self.doc[i].whitespace_ else i + 1
            if j >= self.n or not self.doc[j - 1].whitespace_ or "\n" in self.doc[j - 1].whitespace_:
                continue
            folded = self.folded[j]
            rank = surname.get(folded)
            if rank is None or rank > BY_NAME_RANK or folded in _STATES or folded in MODALS:
                continue
            text = self.texts[j]
            if not text.isalpha() or len(text) < 3 or self.doc[j].is_stop or folded in NEVER_A_SURNAME:
                continue
            after = j + 1
            if not (
                after >= self.n
                or "\n" in self.doc[j].whitespace_
                or self.texts[after].lower() in _AFTER_A_SURNAME
                or self.folded[after] in HUMAN_VERBS
            ):
                continue
            if self.is_vocabulary(j) or self.title_at(j) or self.knowledge.is_drug(text):
                continue
            yield Candidate(j, j, 0.75, "title-surname")

    def initial_and_word_surname(self) -> Iterator[Candidate]:
        """An initial (a letter and its full stop, or a capital letter after a title) and a listed
        surname however common a word, in a person's place: after "by", "to", "with", a title, a field's
        colon or a list's comma or "&", with the clause ending after it ("Hand over given by C. Young to
        P. Long", "CHECKED BY G. WHITE AT 2000", "HANDLER: T. CHURCH", "RN A Church & RN ..."). A letter
        and a full stop before a word is how a name is shortened; the slot and the clause's end rule out
        "Plan B. Long term". Not vocabulary, a title, a drug or a grammar word."""
        surname = self.knowledge.lexicon.surname
        texts = self.texts
        for i in range(1, self.n - 1):
            letter = texts[i]
            if len(letter) > 2:
                continue  # cheapest test first
            if len(letter) == 2 and letter[1] == "." and letter[0].isalpha():
                j = i + 1
            elif len(letter) == 1 and letter.isalpha():
                if self.texts[i + 1] == "." and not self.doc[i].whitespace_:
                    j = i + 2
                elif letter.isupper() and self.title_at(i - 1):
                    j = i + 1  # "RN A Church"
                else:
                    continue
            else:
                continue
            if j >= self.n or not self.doc[j - 1].whitespace_ or "\n" in self.doc[j - 1].whitespace_:
                continue
            folded = self.folded[j]
            rank = surname.get(folded)
            if rank is None or rank > BY_NAME_RANK or folded in MODALS:
                continue
            text = self.texts[j]
            if not text.isalpha() or len(text) < 3 or self.doc[j].is_stop or folded in NEVER_A_SURNAME:
                continue
            if letter[0].isupper() != text[0].isupper():
                continue  # "C. Young", "c. young"; not "B. long"
            before = (
                self.folded[i - 1]
                if self.texts[i - 1] not in {":", ",", "&", "+", "/"}
                else self.texts[i - 1]
            )
            if not (before in AGENT_BEFORE or before in _BEFORE_AN_INITIAL or self.title_at(i - 1)):
                continue
            if not (
                j + 1 >= self.n
                or "\n" in self.doc[j].whitespace_
                or self.texts[j + 1].lower() in _AFTER_AN_AGENT
            ):
                continue
            if self.is_vocabulary(j) or self.title_at(j) or self.knowledge.is_drug(text):
                continue
            yield Candidate(i, j, 0.75, "initial-slot")

    def given_name_with_the_writer(self) -> Iterator[Candidate]:
        """A listed given name joined by "and" to "I" or "me", however common a word: "mark and i did the
        night checks", "will and i went to collect pt", "me and robin stayed": only a person is
        coordinated with the writer. The name opens its clause (not "we will and I will") and is no
        vocabulary, title, day or month, drug or slip of a word."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            if self.folded[i + 1] not in {"and", "&", "+"}:
                continue  # cheapest test first
            if self.folded[i + 2] in {"i", "me", "myself"} and self.folded[i] in given:
                name = i
                if not self.opens_clause(name) or self._word_before(name) in DETERMINERS:
                    continue
            elif self.folded[i] == "me" and i + 2 < self.n and self.folded[i + 2] in given:
                name = i + 2
                if name + 1 < self.n and self.folded[name + 1] in {"'s", "’s"}:
                    continue
            else:
                continue
            text = self.texts[name]
            if not text.isalpha() or len(text) < 2 or self.folded[name] in CALENDAR_WORDS:
                continue
            if self.folded[name] in {"i", "me", "myself"} or self.folded[name] in ANIMATE_NOUNS:
                continue
            if self.barred_word(name, text):
                continue
            yield Candidate(name, name, 0.8, "with-the-writer")

    def speakers_in_a_thread(self) -> Iterator[Candidate]:
        """The speakers of a pasted text or chat thread: lines that open with a listed given name (or a
        "-y" nickname) then a colon, or a time and a dash ("Gemma: anyone seen the bladder scanner?",
        "Arun: Ward 5 had it last", "Kelly 23:14 - is Lofty on tonight?"), when at least two different
        names open lines that way and one of them is no English word (or a "-y" nickname). One such
        line is as likely a heading ("Hope: to go home"); a thread has more than one speaker. Not
        vocabulary, a title, a day or month, a drug or a word English uses often (``SPEAKER_ZIPF``:
        "Plan:", "Summary:")."""
        given = self.knowledge.lexicon.given
        speakers: list[int] = []
        texts = self.texts
        for i in range(self.n - 1):
            after = texts[i + 1]
            if after != ":" and not (
                after[:1].isdigit() and i + 2 < self.n and texts[i + 2] in {"-", "–"} and _TIME.match(after)
            ):
                continue  # cheapest test first
            if i > 0 and "\n" not in self.texts[i - 1] and "\n" not in self.doc[i - 1].whitespace_:
                continue  # the line opens with the name
            text = self.texts[i]
            if not text.isalpha() or len(text) < 2 or self.folded[i] in CALENDAR_WORDS:
                continue
            if self.folded[i] not in given and not self.y_nickname(i):
                continue
            if self.knowledge.zipf(self.folded[i]) >= SPEAKER_ZIPF:
                continue  # headings: "Plan:", "Hope:", "Summary:"
            if self.is_vocabulary(i) or self.title_at(i) or self.knowledge.is_drug(text):
                continue
            speakers.append(i)
        names = {self.folded[i] for i in speakers}
        if len(names) >= 2 and any(
            self.knowledge.surely_name(self.folded[i]) or self.y_nickname(i) for i in speakers
        ):
            for i in speakers:
                yield Candidate(i, i, 0.75, "speaker")

    def given_name_before_an_action(self) -> Iterator[Candidate]:
        """A common given name (rank ≤ 1,000, Zipf < ``ACTION_SUBJECT_ZIPF``) as the bare subject of a
        past-tense verb whose object follows: "on tuesday robin checked her locker", "ivy caught it before
        she ate it", "PAT SEARCHED THE LINEN SKIP". A transitive action has an agent, and English puts a
        determiner before a common noun that is one. Not after a determiner, adjective, preposition or
        title (``unmodified``), not after a capitalised word (a sentence start lost in text without
        punctuation), not a linking verb or one things do too ("had", "got", "felt"), vocabulary, a day
        or month, an animate noun or a drug."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            if self.folded[i + 2] not in _OBJECT_STARTS or self.folded[i] not in given:
                continue  # cheapest tests first
            verb = self.doc[i + 1]
            if verb.tag_ != "VBD" or self.folded[i + 1] in _NOT_AN_ACTION or not verb.text.isalpha():
                continue
            rank = given[self.folded[i]]
            text = self.texts[i]
            if rank > SLOT_GIVEN_RANK or not text.isalpha() or len(text) < 3 or self.doc[i].is_stop:
                continue
            if self.knowledge.zipf(self.folded[i]) >= ACTION_SUBJECT_ZIPF:
                continue
            if (
                self.folded[i] in CALENDAR_WORDS
                or self.folded[i] in ANIMATE_NOUNS
                or self.folded[i] in MODALS
            ):
                continue
            if not self.unmodified(i) or (i > 0 and CAPITALISED.match(self.texts[i - 1]) and text.islower()):
                continue
            if self.barred_word(i, text):
                continue
            yield Candidate(i, i, 0.75, "action-subject")
