"""Rules that use name knowledge (see docs/adr/0012), mixed into ``NameFinder`` (``person.py``).

- the case-normalised second look: names the lists know in lower case or capitals, given + surname
  pairs ("kevin ames", "ADEBAYO", "mark harris", "Amber Hall");
- very common given names that are also words, where a person goes in the clause ("so nga used");
- names listed with a found name ("Justyna, Fiona + Søren");
- an initial then a surname ("j cook", "J. Pearce").
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..allow_list import EPONYM_WORDS, fold, is_vocabulary_word, words
from .candidate import Candidate
from .name_extent import NOT_NAME_PARTS
from .name_knowledge import _verb_shaped
from .person_words import (
    ABSTRACT_NOUN,
    ACTION_VERBS,
    AFTER_AGENT,
    AGENT_BEFORE,
    ARGUMENT_AFTER,
    ARGUMENT_BEFORE,
    CALENDAR_WORDS,
    CAPITALISED,
    CLAUSE_OPENERS,
    CLOSED_CLASS,
    DETERMINERS,
    HUMAN_VERBS,
    LOWER,
    MAX_NAME_TOKEN,
    MODALS,
    NEVER_A_SURNAME,
    OBJECT_PRONOUNS,
    PATIENT_WORDS,
    PERSON_VERBS,
    RELATION_WORDS,
    SPEECH_VERBS,
    TIME_WORDS_BEFORE,
    TOLD_VERBS,
    UPPER,
    VERB_PARTICLES,
)

# A given name that is also an English word is a name in a person's place in the clause (see
# ``in_person_slots``) when it ranks among some country's commonest given names and English uses it
# less than this (Zipf): as a subject "summer" (5.2) and "mark" (5.1) pass, "will" (6.5), "long" (5.8)
# do not; after "by", "with", "thanked" ... the bar is lower ("hope" 5.4 does not pass).
SLOT_GIVEN_RANK = 1_000
# ... or among the top 3,000 when English seldom uses the word ("shiny" 3.9 as Shiny, a Malayali name).
SLOT_RARE_WORD_RANK = 3_000
SLOT_RARE_WORD_ZIPF = 4.0
# ... or anywhere on the lists (top 5,000) when English hardly uses it ("innes" 2.9, "ruaridh" 1.5).
SLOT_RAREST_WORD_ZIPF = 3.0
# An action line's subject opening a sentence without a colon or dash before it: "Innes to email";
# not a common word ("Hope to discharge tomorrow" 5.4, "Plan to" ...).
ACTION_LINE_ZIPF = 4.5
# A listed name rarer than the slots ask for is a name before a verb only a person does ("earnest
# said", 3.7), unless English uses it this often.
HUMAN_SLOT_ZIPF = 4.5
# A bare given name in the possessive, unless English uses the word this often ("today's", "night's").
POSSESSIVE_ZIPF = 4.5
# A given name before the initial of a surname, unless English uses the word this often ("will b").
INITIAL_GIVEN_ZIPF = 4.5
# A name before its role ("Sully HCA helped") unless English uses the word this often ("Bank HCA").
ROLE_NAME_ZIPF = 4.8
# ... and an adjective before the role only when English seldom uses it ("lofty" 3.3; "senior" 5.0,
# "junior" 4.4, "qualified" 4.1 stay).
ROLE_ADJECTIVE_ZIPF = 3.5
# A word no list knows is a name in a person's slot when English (almost) never writes it.
UNKNOWN_WORD_ZIPF = 2.5
# Two listed name syllables joined by a hyphen, both English words, are a name only when both are rare.
HYPHEN_PART_ZIPF = 4.5
# In a list that can only be people, a word on no name list is a name when English uses it this seldom.
LIST_WORD_ZIPF = 3.5
# A given name then a surname this common in some country, listed with a found name, is a whole name.
TWO_WORD_SURNAME_RANK = 2_000
# After a title, a given name the tagger reads as a verb is a verb when English writes it this often
# ("nurse said"; not "nurse rose checked": 4.8).
TITLED_VERB_ZIPF = 5.0
# A list of people after these: "team work from ...", "came to see ...", "w/ ...".
LIST_OF_PEOPLE_BEFORE = frozenset({"from", "with", "w/", "see", "thanks", "by"})
# Months that are given names are common words ("June" 5.2, "April" 5.2); after "asked", "said to" ...
CALENDAR_AGENT_ZIPF = 5.3
# Adverbs that sit between a subject and its verb: "hyacinth now lives", "grace then rang".
SUBJECT_ADVERBS = frozenset(
    {"now", "then", "also", "later", "just", "still", "again", "already", "immediately", "promptly"}
    | {"quickly", "kindly", "never", "always", "often", "subsequently", "eventually", "initially"}
)
# What may follow a modal: "will have to", "can be": no slot for a name there.
BARE_VERBS = frozenset({"have", "and"})
_TIME = regex.compile(r"^(?:\d{1,2}[:.]\d{2}|\d{4})(?:hrs?|h|am|pm)?$")
SUBJECT_SLOT_ZIPF = 5.5
AGENT_SLOT_ZIPF = 5.0
# Listed with a found name, a common given name is a name up to this Zipf ("mark" 5.1; not "hope" 5.4);
# capitalised in mid-sentence, whatever its frequency ("Poppy and Will").
LISTED_GIVEN_ZIPF = 5.3
# A word capitalised in mid-sentence in a person's place is a name when English uses it less than this
# ("Temperance" 3.2, "Earnest" 3.7, "Chalky" 2.7; not "Pharmacy" 4.3, "Security" 4.9).
CAPITALISED_SLOT_ZIPF = 4.0
_JOINS_A_SUBJECT = frozenset({",", "+", "&", ";", "and"})
# A subject acting on "Mr X" is a name when English uses the word less than this ("Smudge" 2.8).
TITLED_OBJECT_SUBJECT_ZIPF = 4.0
_HONORIFICS_BEFORE_A_NAME = frozenset({"mr", "mrs", "ms", "miss", "mx"})
# "Surname, Given": the surname is listed and English uses it less than this ("church" 4.9 passes,
# "night" 5.5 does not).
COMMA_SURNAME_ZIPF = 5.0
_BEFORE_A_LISTED_PERSON = frozenset(
    {"for", "to", "from", "against", "thanks", "and", "+", "&", "label", "read"}
)
COMMA_RARER_GIVEN_ZIPF = 4.5
# A rarer listed given name then a listed surname ("bud parsons"): both seldom English words.
RARER_PAIR_GIVEN_ZIPF = 4.5
RARER_PAIR_SURNAME_ZIPF = 4.0
# A capitalised listed surname after a capital initial, up to this Zipf ("Crow" 3.8, "Hall" 4.9).
INITIAL_WORD_SURNAME_ZIPF = 5.0
# Two capitalised words in mid-sentence, a listed surname last, both seldom English ("Oak Dickinson").
CAPITAL_PAIR_ZIPF = 4.5
# A listed surname as an action line's subject ("Finch to review" 3.6; not "Wells" 4.2).
ACTION_SURNAME_ZIPF = 4.0
_AFTER_A_LABELLED_NAME = frozenset({"label", "on", "-", "–", "was", "had", "said", "not"})
# An initial glued to a surname by its full stop ("S.Sadler", "m.mcallister"); the surname is listed and
# English uses it less than this ("lord" 5.1, "banks" 4.7 pass; "then" 6.4 does not).
# Sixth round: verbs whose subject must be a person (an animate agent that speaks, means or tries), so
# that a bare given name before them is one even when English uses it as a word ("river tried to
# explain"). Not "felt", "was", "had": a pulse feels weak, a river was high.
AGENT_ONLY_VERBS = words(
    """
    said says spoke told asked apologised apologized rang phoned thanked explained tried agreed refused
    declined wanted forgot remembered noticed recognised complained shouted screamed cried stated
    mentioned bleeped texted emailed messaged helped escalated documented
    """
)
_CLOSES_A_STATE = frozenset({"aware", "informed", "updated"})
# Where a member of staff is, on a rota or staffing line after "Name - ": only a person takes a break,
# has a shift or leave, or does not answer ("Charlotte - on break", "peacock, river - no answer").
STAFF_STATUSES = frozenset(
    {
        ("on", "break"),
        ("on", "a", "break"),
        ("in", "theatre"),
        ("not", "on", "shift"),
        ("off", "shift"),
        ("no", "answer"),
        ("on", "leave"),
        ("on", "annual", "leave"),
        ("off", "sick"),
    }
)
# What only a patient has: observations, scores, blood results, charts ("Honor's NEWS", "frank's obs").
PATIENT_THINGS = words(
    """
    news news2 obs observations bloods bm bms sats ecg fluid drug medication medications meds
    wristband nameband cannula catheter pain bowels name
    """
)
_WHERE_PATIENTS_LIE = frozenset({"bay", "bed", "beds", "bays", "room", "cubicle"})
# Animate common nouns: they can be the subject of those verbs without being a name ("baby cried").
ANIMATE_NOUNS = words(
    """
    baby babies child children boy girl man woman lady gentleman gent person people everyone someone
    somebody nobody anyone staff team patient pt family relative relatives carer visitor student
    """
)
_GLUED_INITIAL = regex.compile(r"^\p{L}\.(\p{L}[\p{L}'’-]{2,})$")
GLUED_SURNAME_ZIPF = 5.5
# Genus initials: bacteria and fungi written like an initial and a surname.
ORGANISMS = frozenset(
    {"e.coli", "c.diff", "c.difficile", "s.aureus", "h.pylori", "k.pneumoniae", "p.aeruginosa", "s.pyogenes"}
    | {"s.pneumoniae", "n.meningitidis", "m.tuberculosis", "c.albicans", "h.influenzae", "l.monocytogenes"}
    | {"n.gonorrhoeae", "c.trachomatis", "b.fragilis", "s.epidermidis", "e.faecalis", "e.faecium"}
)
_NOT_BEFORE_A_NAME = frozenset({"a", "an", "the", "this", "these", "those", "some", "any", "no", "each"}) | {
    "every",
    "whose",
    "which",
    "what",
}


class KnowledgeRules:
    def from_knowledge(self) -> Iterator[Candidate]:
        """The case-normalised second look: names in lower case or capitals that the name lists know.

        "spoke to kevin ames", "ADEBAYO OKONKWO-BELL": a token ranked among some country's common names
        and no English word is a name whatever its case; a common given name that is also a word ("grace",
        "will") only when such a surname follows it ("grace holt").
        """
        for i, token in enumerate(self.doc):
            text = token.text
            if CAPITALISED.match(text) and self.knowledge.surely_name(text) and not self.is_vocabulary(i):
                yield Candidate(i, i, 0.7, "lexicon")  # "Edgaras lives at ...", whatever its tag
                continue
            if (
                CAPITALISED.match(text)
                and i + 1 < self.n
                and token.whitespace_
                and self.knowledge.common_given_name(text)
                and CAPITALISED.match(self.doc[i + 1].text)
                and not self.is_vocabulary(i)
                and not self.is_vocabulary(i + 1)
                and self.knowledge.likely_surname(self.doc[i + 1].text)
                and self.surname_first(self.doc[i + 1].text)
            ):
                yield Candidate(i, i + 1, 0.7, "lexicon")  # "Amber Hall", "Poppy Lamb"
                continue
            if (
                not 1 < len(text) <= MAX_NAME_TOKEN
                or not (LOWER.match(text) or UPPER.match(text))
                or token.is_stop
                or (self.folded[i] in NOT_NAME_PARTS and i + 1 < self.n and self.doc[i + 1].text == "-")
                or self.is_vocabulary(i)
                or self.title_at(i)
            ):
                continue
            if self.knowledge.surely_name(text):
                if not self.abbreviation_shaped(i):
                    yield Candidate(i, i, 0.7, "lexicon")
            elif self.given_name_as_argument(i):
                yield Candidate(i, i, 0.65, "lexicon")  # "so nga used a cuff", "told her james had"
            elif (
                i + 1 < self.n
                and token.whitespace_
                and self.knowledge.common_given_name(text)
                and self.english_zipf_below(text, 5.5)
                and not self.doc[i + 1].is_stop
                and not self.is_vocabulary(i + 1)
                and self.knowledge.likely_surname(self.doc[i + 1].text)
                and self.surname_first(self.doc[i + 1].text)  # "mark harris", not "LOW HARM"
                and text.islower() == self.doc[i + 1].text.islower()
            ):
                yield Candidate(i, i + 1, 0.7, "lexicon")  # "mark harris", "grace holt"
            elif self.rarer_given_and_surname(i):
                yield Candidate(i, i + 1, 0.7, "lexicon")  # "bud parsons", "BUD PARSONS"

    def abbreviation_shaped(self, i: int) -> bool:
        """Two letters in capitals in text not written in capitals ("DN visit", "new AF", "VF arrest",
        "Ngozi Obi (MW)", "RC Dr Parekh"), or two lower-case consonants ("dw", "mh"): staff shorthand,
        though the name lists know them ("Dn", "Mh"). A two-letter name in such text is written with
        one capital ("Li", "Ng", "Jo"); in capitals it stands beside the rest of the name ("NGO VY") or
        after a title ("Mr HE"), which the lists alone do not decide."""
        text = self.texts[i]
        if len(text) != 2 or not text.isalpha():
            return False
        if text.isupper():
            if self.uppercase_document:
                return False
        elif not (text.islower() and not set(self.folded[i]) & set("aeiouy") and self.folded[i] != "ng"):
            return False
        for j in (i - 1, i + 1):
            if not 0 <= j < self.n:
                continue
            other = self.texts[j]
            if (
                other.isalpha()
                and len(other) > 1
                and (CAPITALISED.match(other) or UPPER.match(other))
                and not self.title_at(j)
                and not self.is_vocabulary(j)
                and self.knowledge.is_name(other)
            ):
                return False  # "Nurse NGO VY", "Tran VU"
        return not (i > 0 and self.title_at(i - 1))

    def rarer_given_and_surname(self, i: int) -> bool:
        """A listed given name rarer than the common ones (rank up to 5,000) that English seldom writes
        (Zipf < ``RARER_PAIR_GIVEN_ZIPF``: "bud" 4.1), then in the same case a listed surname that is
        no common word (rank up to 2,000, Zipf < ``RARER_PAIR_SURNAME_ZIPF``: "parsons" 3.6): two
        name-list words in a row are a full name ("by bud parsons.")."""
        j = i + 1
        if j >= self.n or not self.doc[i].whitespace_ or "\n" in self.doc[i].whitespace_:
            return False
        given, surname = self.doc[i].text, self.doc[j].text
        if not surname.isalpha() or len(surname) < 3 or self.doc[j].is_stop or self.is_vocabulary(j):
            return False
        if given.islower() != surname.islower() or given.isupper() != surname.isupper():
            return False
        lexicon = self.knowledge.lexicon
        given_rank = lexicon.given_rank(self.folded[i])
        surname_rank = lexicon.surname_rank(self.folded[j])
        if given_rank is None or given_rank > 5_000 or surname_rank is None or surname_rank > 2_000:
            return False
        if self.knowledge.zipf(self.folded[i]) >= RARER_PAIR_GIVEN_ZIPF:
            return False
        if self.knowledge.zipf(self.folded[j]) >= RARER_PAIR_SURNAME_ZIPF:
            return False
        return not (
            self.knowledge.typo(given) or self.knowledge.typo(surname) or self.knowledge.is_drug(surname)
        )

    def in_person_slots(self) -> Iterator[Candidate]:
        """Given names that are also words, where only a person fits, in any case.

        English needs a determiner before a common noun that is a subject ("the rose was"), so a bare
        given name opening a clause before a verb is a person: "Harper said", "rose was on her break",
        "Isla and Mia were in the bay", "told her james had fallen", "heather e noticed". So is one
        after "by", "with", "thanked", "spoke to" ... that ends its clause: "disconnected by holly.",
        "thanked Heather for". The name must rank among some country's commonest given names (see
        ``SLOT_GIVEN_RANK``) and not be too common an English word for the slot.
        """
        given = self.knowledge.lexicon.given
        for i, token in enumerate(self.doc):
            rank = given.get(self.folded[i])  # cheapest test first: most tokens are no given name
            if rank is None:
                continue
            text = token.text
            if not 1 < len(text) <= MAX_NAME_TOKEN or not text.isalpha() or token.is_stop or self.title_at(i):
                continue
            calendar = self.is_vocabulary(i)
            if calendar and not self.calendar_name(i, rank):
                continue
            zipf = self.knowledge.zipf(self.folded[i])
            # a listed name rarer than the slot asks for only before a verb only a person does
            rarer = (rank > SLOT_GIVEN_RANK and zipf >= SLOT_RARE_WORD_ZIPF) or (
                rank > SLOT_RARE_WORD_RANK and zipf >= SLOT_RAREST_WORD_ZIPF
            )
            if rarer and zipf >= HUMAN_SLOT_ZIPF:
                continue
            verb = self.subject_slot(i) if zipf < SUBJECT_SLOT_ZIPF else ""
            if rarer and verb not in HUMAN_VERBS:
                continue
            if not verb and not (
                zipf < (CALENDAR_AGENT_ZIPF if calendar else AGENT_SLOT_ZIPF)
                and not rarer
                and not (calendar and self._word_before(i) == "by")  # "due by June."
                and self.agent_slot(i)
            ):
                continue
            if self.knowledge.typo(text) or (
                text.isupper()
                and not self.uppercase_document
                and verb != "to"  # "Actions: - BASIL to redo ..."
                and (self.knowledge.shouted_word(text) or not _pronounceable(self.folded[i]))  # "BM was 24"
            ):
                continue
            # only a person hears, says, apologises: sure enough to beat a weak keep ("Kadian heard")
            yield Candidate(i, i, 0.9 if verb in HUMAN_VERBS else 0.75, "slot")

    def capitalised_word_in_person_slot(self) -> Iterator[Candidate]:
        """A word the writer capitalised in the middle of a sentence of mixed-case prose, in a person's
        place: the subject of a person's verb ("and Earnest was not trained", ", Temperance was septic",
        "unchecked Chalky recognised") or after "by", "with", "said to" ... ("said to Juniper that").

        English writes its common nouns and adjectives in lower case, so a capital in mid-sentence on a
        word English seldom uses (Zipf < ``CAPITALISED_SLOT_ZIPF``) marks a name, whether or not the
        name lists know it (virtue and plant names often are not listed). Not at a sentence start, not
        after a determiner or adjective, not in a run of capitalised words ("Hope Ward"), not
        vocabulary, a drug or a place after "to"/"in" (the weaker-rule place test still applies)."""
        if self.uppercase_document or self.lowercase_document:
            return
        texts = self.texts
        for i in range(1, self.n):
            text = texts[i]
            if not text[:1].isupper() or not 2 < len(text) <= MAX_NAME_TOKEN:
                continue  # cheapest test first: most tokens are lower case
            before = self.folded[i - 1]
            if not (texts[i - 1].islower() or before in _JOINS_A_SUBJECT):
                continue
            after = self.folded[i + 1] if i + 1 < self.n else ""
            # text without punctuation hides sentence starts ("nothing was done Wristband checked"), so
            # the word before must join the subject to what went before: "and", a comma, "said"
            subject = (after in HUMAN_VERBS or after in PERSON_VERBS) and (
                before in _JOINS_A_SUBJECT or before in {"said", "says"} or before in TOLD_VERBS
            )
            if not subject and not (before in AGENT_BEFORE or before in {"to", "from"}):
                continue
            if not CAPITALISED.match(text) or not text.isalpha() or self.doc[i].is_stop:
                continue
            if self.sentence_start(i) or self.knowledge.zipf(self.folded[i]) >= CAPITALISED_SLOT_ZIPF:
                continue
            if self.is_vocabulary(i) or self.title_at(i) or self.knowledge.is_drug(text):
                continue
            if self.in_capitalised_phrase(i) or self.folded[i] in EPONYM_WORDS:
                continue
            if not subject and not self.agent_slot(i):
                continue
            if not self.english.contains(text) and self.knowledge.typo(text):
                continue
            yield Candidate(i, i, 0.75, "capital-slot")

    def glued_initial_and_surname(self) -> Iterator[Candidate]:
        """An initial glued to a surname by its full stop, as staff sign and rotas list: "S.Sadler",
        "r.spratt", "F.LLEWELLYN" (one token to the tokeniser). The surname must be on the lists and
        not a common word, drug or vocabulary; an organism's genus initial is no person ("E.coli")."""
        for i, text in enumerate(self.texts):
            if len(text) < 5 or text[1] != "." or not text[0].isalpha():
                continue
            match = _GLUED_INITIAL.match(text)
            if match is None or fold(text) in ORGANISMS:
                continue
            surname = match.group(1)
            folded = fold(surname)
            rank = self.knowledge.lexicon.surname_rank(folded)
            if rank is None or self.knowledge.zipf(folded) >= GLUED_SURNAME_ZIPF:
                continue
            if is_vocabulary_word(folded) or self.knowledge.is_drug(surname):
                continue
            yield Candidate(i, i, 0.8, "initial")

    def surname_comma_given(self) -> Iterator[Candidate]:
        """ "Surname, Given" as a wristband, a rota or a label writes a person, where a person goes and
        neither word was found first: "waited with holmes, rain about", "escalated: by elms, karen.",
        "drake, sue - not on shift", "checked against jackson, tempest on patientrack". The first word
        is a listed surname English uses less than ``COMMA_SURNAME_ZIPF``, the second a common given
        name (as for a listed name, ``LISTED_GIVEN_ZIPF``), in the same case (or "SURNAME, Given");
        before them an agent word or the start of a line or sentence, after them the clause's end."""
        lexicon = self.knowledge.lexicon
        for k in range(self.n - 2):
            if self.texts[k + 1] != "," or "\n" in self.doc[k + 1].whitespace_:
                continue
            surname, given = self.doc[k].text, self.doc[k + 2].text
            if not (surname.isalpha() and given.isalpha() and len(surname) > 1 and len(given) > 1):
                continue
            if not (
                surname.islower() == given.islower()
                and (surname.isupper() == given.isupper() or (surname.isupper() and CAPITALISED.match(given)))
            ):
                continue
            rank = lexicon.surname_rank(self.folded[k])
            if rank is None or self.knowledge.zipf(self.folded[k]) >= COMMA_SURNAME_ZIPF:
                continue
            given_rank = lexicon.given_rank(self.folded[k + 2])
            given_zipf = self.knowledge.zipf(self.folded[k + 2])
            if given_rank is None or given_zipf >= LISTED_GIVEN_ZIPF:
                continue
            if given_rank > SLOT_GIVEN_RANK and given_zipf >= COMMA_RARER_GIVEN_ZIPF:
                continue  # a rarer listed given name only when English seldom writes it ("buddy" 4.4)
            if any(
                self.is_vocabulary(t) or self.title_at(t) or self.folded[t] in CLOSED_CLASS
                for t in (k, k + 2)
            ) or _verb_shaped(self.folded[k]):
                continue
            before = self._word_before(k)
            start = (
                k == 0
                or self.sentence_start(k)
                or "\n" in self.doc[k - 1].whitespace_
                or before in {":", "-", "–", "•", "*", "("}
            )
            if not (start or before in AGENT_BEFORE or before in _BEFORE_A_LISTED_PERSON):
                continue
            after = self.folded[k + 3] if k + 3 < self.n else ""
            if after and after not in AFTER_AGENT and after not in _AFTER_A_LABELLED_NAME:
                continue
            if self.knowledge.typo(surname) or self.knowledge.typo(given):
                continue
            yield Candidate(k, k + 2, 0.75, "surname-comma")

    def subject_acting_on_a_titled_person(self) -> Iterator[Candidate]:
        """A bare word opening a clause, whose verb's object is "Mr", "Mrs", "Ms" ... and a name, is a
        person: "Smudge made Mr Oladipo a cup of tea", "Lol made Mr Aslam ...". English needs a
        determiner before a common noun as subject ("the porter took Mr X"), so a word without one
        that English seldom writes (no dictionary word, or Zipf < ``TITLED_OBJECT_SUBJECT_ZIPF``) is a
        name or nickname. Not vocabulary (roles, teams, systems), a plural, a drug or a typo."""
        for i in range(self.n - 2):
            if self.folded[i + 2] not in _HONORIFICS_BEFORE_A_NAME or not self.opens_clause(i):
                continue
            token = self.doc[i]
            text = token.text
            if not text.isalpha() or not 2 < len(text) <= MAX_NAME_TOKEN or token.tag_ in {"NNS", "NNPS"}:
                continue
            if self.folded[i] in CLOSED_CLASS or self.is_vocabulary(i) or self.title_at(i):
                continue
            verb = self.doc[i + 1]
            if not (verb.tag_ in {"VBD", "VBZ"} or self.folded[i + 1] in PERSON_VERBS):
                continue
            if (
                self.english.contains(text)
                and self.knowledge.zipf(self.folded[i]) >= TITLED_OBJECT_SUBJECT_ZIPF
            ):
                continue
            if self.knowledge.is_drug(text) or self.knowledge.typo(text):
                continue
            yield Candidate(i, i, 0.75, "slot")

    def capitalised_given_and_surname(self) -> Iterator[Candidate]:
        """Two capitalised words in the middle of a sentence of mixed-case prose, the second a listed
        surname English seldom writes (Zipf < ``CAPITAL_PAIR_ZIPF``: "Dickinson" 3.4), the first a
        listed given name or a word English seldom writes: a full name even when both are words
        ("Handed over to Oak Dickinson at midnight"). Not in a longer run of capitals ("Oak Tree Ward"),
        not vocabulary (wards, hospitals, systems)."""
        if self.uppercase_document or self.lowercase_document:
            return
        texts = self.texts
        for i in range(1, self.n - 1):
            first, second = texts[i], texts[i + 1]
            if not (first[:1].isupper() and second[:1].isupper()):
                continue
            if not (CAPITALISED.match(first) and CAPITALISED.match(second)) or not self.doc[i].whitespace_:
                continue
            if not (first.isalpha() and second.isalpha()) or len(first) < 3 or len(second) < 3:
                continue
            if not self.doc[i - 1].text.islower() or self.sentence_start(i):
                continue
            if i + 2 < self.n and self.doc[i + 2].text[:1].isupper():
                continue
            if self.is_vocabulary(i) or self.is_vocabulary(i + 1) or self.title_at(i) or self.title_at(i + 1):
                continue
            lexicon = self.knowledge.lexicon
            rank = lexicon.surname_rank(self.folded[i + 1])
            if rank is None or self.knowledge.zipf(self.folded[i + 1]) >= CAPITAL_PAIR_ZIPF:
                continue
            if (
                lexicon.given_rank(self.folded[i]) is None
                and self.knowledge.zipf(self.folded[i]) >= CAPITAL_PAIR_ZIPF
            ):
                continue
            if self.knowledge.is_drug(first) or self.knowledge.is_drug(second):
                continue
            yield Candidate(i, i + 1, 0.7, "lexicon")

    def surname_on_an_action_line(self) -> Iterator[Candidate]:
        """A listed surname English seldom writes (rank ≤ 2,000, Zipf < ``ACTION_SURNAME_ZIPF``) as the
        subject of an action line: "Finch to review", "Actions: - Dickinson to email" (the slot rules
        take given names; staff write colleagues' surnames too). Not vocabulary, a role or a typo."""
        lexicon = self.knowledge.lexicon
        for i in range(self.n - 2):
            if self.folded[i + 1] != "to":
                continue
            text = self.texts[i]
            if not text.isalpha() or len(text) < 3 or self.doc[i].is_stop:
                continue
            rank = lexicon.surname_rank(self.folded[i])
            if rank is None or rank > 2_000 or lexicon.given_rank(self.folded[i]) is not None:
                continue  # given names are the slot rules'
            if self.knowledge.zipf(self.folded[i]) >= ACTION_SURNAME_ZIPF:
                continue
            if self.is_vocabulary(i) or self.title_at(i) or self.knowledge.typo(text):
                continue
            if self.action_line(i, i + 1):
                yield Candidate(i, i, 0.75, "slot")

    def given_name_before_an_agent_verb(self) -> Iterator[Candidate]:
        """A listed given name, at any rank and however common a word it is, as the bare subject of a
        verb only a person does ("river tried to explain", ", sue asked for", "Oak escalated"): a river
        or an oak cannot try, ask or escalate, and English puts a determiner before a common-noun
        subject. Not after a determiner or preposition (``subject_slot``), not vocabulary, a title, a
        day or month, an animate common noun ("baby cried"), a drug or a slip of a word."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 1):
            hopes = self.folded[i + 1] in {"hope", "hopes"} and i + 2 < self.n and self.folded[i + 2] == "to"
            if not (hopes or self.folded[i + 1] in AGENT_ONLY_VERBS) or self.folded[i] not in given:
                continue  # cheapest tests first
            text = self.texts[i]
            if not text.isalpha() or len(text) < 3 or self.doc[i].is_stop or self.folded[i] in ANIMATE_NOUNS:
                continue
            if self.folded[i] in CALENDAR_WORDS or self.folded[i] in MODALS or self.title_at(i):
                continue
            if not self.doc[i].whitespace_ or "\n" in self.doc[i].whitespace_:
                continue
            if self.texts[i + 1][0].isupper() and text.islower():
                continue  # "on care plan Asked niamh": a sentence start hidden by missing punctuation
            if self.is_vocabulary(i) or self.knowledge.is_drug(text) or self.knowledge.typo(text):
                continue
            # "NOK aware FREDERICK says": "aware" takes no bare object, so a new clause starts after it
            # "beryl hope to get home": only a person hopes to do something (the clause must open there)
            subject = (
                self.opens_clause(i) and self._word_before(i) not in _NOT_BEFORE_A_NAME
                if hopes
                else self.subject_slot(i)
            )
            if subject or self._word_before(i) in _CLOSES_A_STATE:
                yield Candidate(i, i, 0.9, "slot")

    def name_on_a_staffing_line(self) -> Iterator[Candidate]:
        """A name alone before a dash and where a member of staff is ("Charlotte - on break", "D. Ward -
        not on shift", "blackwood, will - no answer", "POPPY - ON BREAK"): the line opens with the name
        (a sentence or line start), one to three tokens, each a listed given name or surname, an initial
        or the comma of "surname, given"; no vocabulary, title or role ("Switchboard - no answer",
        "Pharmacy - no answer", "NOK - no answer" stay)."""
        lexicon = self.knowledge.lexicon
        for dash in range(1, self.n - 2):
            if self.texts[dash] not in {"-", "–"} or not self.doc[dash - 1].whitespace_:
                continue
            after = self.folded[dash + 1 : dash + 5]
            status = next((k for k in (2, 3) if tuple(after[:k]) in STAFF_STATUSES), 0)
            if not status:
                continue
            end = dash + 1 + status
            if end < self.n and self.texts[end] not in {".", ",", ";", "!"} and "\n" not in self.texts[end]:
                continue  # "... - on break" ends its clause
            first = dash - 1
            while first > 0 and dash - first < 3 and not self.sentence_start(first):
                first -= 1
            if not self.sentence_start(first):
                continue
            parts = range(first, dash)
            if any(self.texts[k] == "," for k in parts) and not (
                dash - first == 3 and self.texts[first + 1] == ","
            ):
                continue  # only "surname, given" takes a comma
            names = [k for k in parts if self.texts[k] != "," and not (self.texts[k] == "." and k > first)]
            if not all(
                (len(self.texts[k].rstrip(".")) == 1 and self.texts[k][0].isalpha() and k < dash - 1)
                or (
                    self.texts[k].isalpha()
                    and len(self.texts[k]) > 1
                    and (self.folded[k] in lexicon.given or self.folded[k] in lexicon.surname)
                    and not self.is_vocabulary(k)
                    and not self.title_at(k)
                    and self.folded[k] not in NEVER_A_SURNAME
                    and self.folded[k] not in ANIMATE_NOUNS
                )
                for k in names
            ):
                continue
            if any(len(self.texts[k].rstrip(".")) > 1 for k in names):
                yield Candidate(first, dash - 1, 0.9, "staffing-line")

    def calendar_name(self, i: int, rank: int) -> bool:
        """A month or a day that is also a common given name ("June", "April", "AUGUST", "Sunday",
        "Jun", "Thu"), where it is not a date: no number beside it, no "in", "on", "every", "last" ...
        before it. The slot rules then ask for a person's place in the clause."""
        if self.folded[i] not in CALENDAR_WORDS or rank > SLOT_GIVEN_RANK:
            return False
        if any(0 <= k < self.n and self.doc[k].like_num for k in (i - 1, i + 1)):
            return False
        return self._word_before(i) not in TIME_WORDS_BEFORE

    def unknown_words_in_person_slots(self) -> Iterator[Candidate]:
        """A word English does not have and no list knows, where only a person fits: "FAIGY HAD BEEN
        EATING", "said to FAIGY that", "Thanks to SAZZA who noticed", "nephew (nok) faigy arrived".
        Not a typo of a word, a drug, a number or vocabulary."""
        for i, token in enumerate(self.doc):
            text = token.text
            if not text.isalpha() or not 2 < len(text) <= MAX_NAME_TOKEN or token.is_stop:
                continue
            if self.knowledge.lexicon.given_rank(self.folded[i]) is not None:
                continue  # the slot rules take listed names
            if self.english.contains(text) or self.knowledge.zipf(self.folded[i]) >= UNKNOWN_WORD_ZIPF:
                continue
            if self.is_vocabulary(i) or self.title_at(i) or self.knowledge.is_drug(text):
                continue
            if (
                _verb_shaped(self.folded[i])
                or ABSTRACT_NOUN.search(self.folded[i])
                or self.folded[i] in EPONYM_WORDS
                or self.knowledge.derived_word(text)
            ):
                continue  # "unwitnessed", "KOROTKOFF": English derivations and eponyms are no names
            if text.isupper() and not self.uppercase_document and not _pronounceable(self.folded[i]):
                continue  # "HSSIB": an acronym
            if not (self.subject_slot(i) or self.agent_slot(i)):
                continue
            capitalised_by_the_writer = (
                CAPITALISED.match(text) and not self.sentence_start(i) and not self.uppercase_document
            )
            if not capitalised_by_the_writer and self.knowledge.typo(text):
                continue  # a slip of a word; "Thanks to Ianto who": a capital in mid-sentence is a name
            yield Candidate(i, i, 0.75, "slot")

    def modal_names(self) -> Iterator[Candidate]:
        """Given names spelt like a modal verb ("Will", "Can"), where no modal can stand.

        A modal takes a bare verb after it ("will have"), never a past or inflected one, and never
        follows "by", "with", "told": so "will said", "WILL NOTICED", "seen by will", "told can the
        plan" name a person, whatever the case. The word must be one of some country's commonest given
        names (``SLOT_GIVEN_RANK``).
        """
        given = self.knowledge.lexicon.given
        for i in range(self.n):
            if self.folded[i] not in MODALS:
                continue
            rank = given.get(self.folded[i])
            if rank is None or rank > SLOT_GIVEN_RANK:
                continue
            if self.is_vocabulary(i):
                # "May" is a month too: only before a regular past, where neither month nor modal fits
                if not self.vocabulary_not_a_name(i) and (verb := self.regular_past_after(i)):
                    yield Candidate(i, i, 0.8, "slot")
                continue
            verb = self.subject_slot(i) or self.regular_past_after(i)
            if (
                not verb
                and self.folded[i - 1 if i else 0] in CLAUSE_OPENERS
                and self.action_line(i, i + 1, anywhere=True)
            ):
                verb = "to"  # "..., will to follow up": a modal takes no "to"
            if verb and verb not in BARE_VERBS:
                yield Candidate(i, i, 0.9 if verb in HUMAN_VERBS else 0.8, "slot")
            elif self.agent_slot(i):
                yield Candidate(i, i, 0.75, "slot")

    def regular_past_after(self, i: int) -> str:
        """A regular past tense ("-ed", tagged so) straight after a modal-shaped word that opens a clause
        or follows "so" / "and" / "then": no modal takes one, so the word is a name ("so May borrowed one
        from SAU", "Will cleaned the commode"). Returns the verb, or ""."""
        j = i + 1
        if j >= self.n or self.doc[j].tag_ not in {"VBD", "VBN"} or not self.folded[j].endswith("ed"):
            return ""
        if len(self.folded[j]) < 5 or self.folded[j] in {"need", "feed", "bleed", "speed", "seed", "shed"}:
            return ""  # base forms that end in "ed": "may need", "will bleed"
        if self.opens_clause(i) or self._word_before(i) in {"so", "and", "then", "but"}:
            return self.folded[j]
        return ""

    def possessive_before_relation(self) -> Iterator[Candidate]:
        """A given name in the possessive before a relation: "Grace's daughter", "faith's husband",
        "Summer's NOK". Only people have daughters and husbands, so even a given name that is a word
        (one of some country's 1,000 commonest) is a name there, in any case."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            if self.doc[i + 1].text not in {"'s", "’s"} or self.folded[i + 2] not in RELATION_WORDS:
                continue
            if self.folded[i + 2] in PATIENT_WORDS:
                continue  # "the ward's patient"
            rank = given.get(self.folded[i])
            text = self.doc[i].text
            if rank is None or rank > SLOT_GIVEN_RANK or not text.isalpha() or len(text) < 2:
                continue
            if self.doc[i].is_stop or self.is_vocabulary(i) or self.title_at(i):
                continue
            if self._word_before(i) in _NOT_BEFORE_A_NAME:
                continue  # "the rose's", "a summer's"
            yield Candidate(i, i, 0.85, "possessive")

    def hyphenated_given_names(self) -> Iterator[Candidate]:
        """Two short name syllables joined by a hyphen, as Korean and Chinese given names are written
        ("Sang-woo", "SUNG-MIN", "min-jun", "do-yun"), in any case: both parts on the name lists, and
        not two English words ("day-case", "follow-up"), at least one of them rare in English."""
        lexicon = self.knowledge.lexicon
        for i in range(1, self.n - 1):
            if self.doc[i].text not in "-‐" or self.doc[i - 1].whitespace_ or self.doc[i].whitespace_:
                continue
            a, b = self.doc[i - 1].text, self.doc[i + 1].text
            if not (a.isalpha() and b.isalpha() and 2 <= len(a) <= 5 and 2 <= len(b) <= 5):
                continue
            parts = (self.folded[i - 1], self.folded[i + 1])
            if any(part in CLOSED_CLASS or part in NOT_NAME_PARTS for part in parts):
                continue  # "one-to-one", "pre-op", "co-op"
            if not all(lexicon.is_name(part, given=5_000, surname=5_000) for part in parts):
                continue
            english = [self.english.contains(self.folded[k]) for k in (i - 1, i + 1)]
            rare = [self.knowledge.zipf(self.folded[k]) < HYPHEN_PART_ZIPF for k in (i - 1, i + 1)]
            if all(english) and not all(rare):
                continue
            if self.english.contains(f"{self.folded[i - 1]}-{self.folded[i + 1]}"):
                continue
            yield Candidate(i - 1, i + 1, 0.7, "lexicon")

    def role_apposition(self) -> Iterator[Candidate]:
        """A name straight before the role that says who the person is, then what they did: "Lofty HCA
        helped", "paddy hca helped", "ally (hca) helped", "picked up by storm (eca)". The word must be a
        name the lists know and English uses seldom, or no English word: not "agency HCA", "bank HCA"."""
        for i in range(self.n - 1):
            j = i + 2 if self.doc[i + 1].text == "(" else i + 1
            length = self.title_at(j)
            if not length or self.title_at(i):
                continue
            after = j + length
            if j == i + 2:
                if after >= self.n or self.doc[after].text != ")":
                    continue
            elif after >= self.n or not (
                self.folded[after] in PERSON_VERBS
                or self.knowledge.misspelt(self.doc[after].text, PERSON_VERBS)
            ):
                continue
            token = self.doc[i]
            text = token.text
            if not text.isalpha() or len(text) < 2 or token.is_stop or self.is_vocabulary(i):
                continue
            if self._word_before(i) in DETERMINERS or self._word_before(i) in _NOT_BEFORE_A_NAME:
                continue
            zipf = self.knowledge.zipf(self.folded[i])
            if (
                token.tag_ in {"JJ", "JJR", "JJS"}
                and self.english.contains(text)
                and zipf >= ROLE_ADJECTIVE_ZIPF
            ):
                continue  # "senior HCA", "new nurse"; but "Lofty HCA helped": a rare adjective is a nickname
            listed = self.knowledge.best_rank(self.folded[i]) <= 5_000 and zipf < ROLE_NAME_ZIPF
            if listed or (not self.english.contains(text) and zipf < 3.5 and not self.knowledge.typo(text)):
                yield Candidate(i, i, 0.75, "role-after")

    def given_and_initial(self) -> Iterator[Candidate]:
        """A given name then the initial of the surname, as staff sign: "Ewa D and yitzchak g did the
        check", "CALUM F + Neville B", "mali b and doris t". The letter must end the name: a list word,
        a verb, a bracket or the end of the clause follows it (not "vitamin D levels", "hep B vaccine")."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 1):
            rank = given.get(self.folded[i])
            if rank is None or rank > SLOT_RARE_WORD_RANK:
                continue
            text, letter = self.doc[i].text, self.doc[i + 1].text
            if len(letter) != 1 or not letter.isalpha() or not self.doc[i].whitespace_ or letter in "aAiIxX":
                continue
            if not text.isalpha() or len(text) < 2 or self.doc[i].is_stop or self.is_vocabulary(i):
                continue
            if self.knowledge.zipf(self.folded[i]) >= INITIAL_GIVEN_ZIPF or self.title_at(i):
                continue
            if letter.isupper() != (text[0].isupper()) or self._word_before(i) in DETERMINERS:
                continue  # "maria Holt" style mismatches and "the bay C" are not signatures
            following = self.doc[i + 2] if i + 2 < self.n else None
            if following is not None and self.doc[i + 1].whitespace_ == "" and following.text in {"/", "."}:
                continue  # "d/c", "j." handled by the initial rules
            if (
                following is None
                or following.is_punct
                or self.folded[i + 2] in {"and", "+", "&"}
                or (self.folded[i + 2] in PERSON_VERBS or self.folded[i + 2] == "did")
            ):
                yield Candidate(i, i + 1, 0.75, "initial")

    def bare_possessives(self) -> Iterator[Candidate]:
        """A listed given name in the possessive with no determiner before it: "Heath's Humalog",
        "georgia's Keppra", "buddy's bm", "Mercy's quick thinking". English puts a determiner before a
        common noun that owns something ("the patient's", "a nurse's"), so a bare given name there is a
        person. Not before a capitalised word ("King's Lynn", "St John's Wort"), not a word English
        uses often (Zipf >= 4.5: "today's", "night's")."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 1):
            if self.doc[i + 1].text not in {"'s", "’s"} or self.doc[i].whitespace_:
                continue
            rank = given.get(self.folded[i])
            text = self.doc[i].text
            if rank is None or not text.isalpha() or len(text) < 2:
                continue
            zipf = self.knowledge.zipf(self.folded[i])
            if zipf >= POSSESSIVE_ZIPF or (rank > SLOT_RARE_WORD_RANK and zipf >= SLOT_RAREST_WORD_ZIPF):
                continue
            if self.doc[i].is_stop or self.is_vocabulary(i) or self.title_at(i):
                continue
            if self.folded[i] in EPONYM_WORDS:
                continue  # "Addison's", "Cushing's": an eponym
            before = self._word_before(i)
            if (
                before in _NOT_BEFORE_A_NAME
                or before in DETERMINERS
                or self.doc[i - 1].tag_ in {"JJ", "PRP$"}
            ):
                continue
            owned = self.doc[i + 2].text if i + 2 < self.n else ""
            if (
                CAPITALISED.match(owned)
                and not self.knowledge.is_drug(owned)
                and (self.english.contains(owned) or self.knowledge.is_name(owned))
            ):
                continue  # "King's Lynn", "St John's Wort", "Martha's Rule"; not "Heath's Humalog"
            if self.knowledge.typo(text):
                continue
            yield Candidate(i, i, 0.75, "possessive")

    def possessive_before_a_patients_thing(self) -> Iterator[Candidate]:
        """A listed given name, however common a word, in the possessive before what only a patient has
        ("Honor's NEWS fine", "frank's news missed", "Bluebell's obs", "ROYAL'S FLUID CHART"): a word
        that owns observations or a fluid chart is a person; English writes "the ward's", "the
        patient's" for the rest. Not after a determiner, adjective or possessive, not vocabulary, a
        title, an eponym, a day or month, or a word English uses very often (``SUBJECT_SLOT_ZIPF``)."""
        given = self.knowledge.lexicon.given
        for i in range(self.n - 2):
            if self.folded[i + 1] not in {"'s", "’s"} or self.folded[i + 2] not in PATIENT_THINGS:
                continue  # cheapest tests first
            text = self.texts[i]
            if self.doc[i].whitespace_ or not text.isalpha() or len(text) < 2:
                continue
            if (pair := self.given_and_surname_before_a_possessive(i)) is not None:
                yield Candidate(pair, i, 0.8, "possessive")  # "heather stone's name on it"
                continue
            if self.folded[i] not in given:
                continue
            if self.doc[i].is_stop or self.is_vocabulary(i) or self.title_at(i):
                continue
            if self.folded[i] in EPONYM_WORDS or self.folded[i] in CALENDAR_WORDS:
                continue
            if self.knowledge.zipf(self.folded[i]) >= SUBJECT_SLOT_ZIPF:
                continue
            before = self._word_before(i)
            if before in _NOT_BEFORE_A_NAME or before in DETERMINERS:
                continue
            if self.doc[i - 1].tag_ in {"JJ", "PRP$"}:
                continue
            if self.knowledge.typo(text) or self.knowledge.is_drug(text):
                continue
            yield Candidate(i, i, 0.8, "possessive")

    def given_name_after_a_title(self, j: int) -> bool:
        """After a title or role, in any case, a common given name that is also a word ("district nurse
        rose checked", "CONSULTANT WILL INFORMED", "by dr rose good and", "cpn hope e"): a role is
        followed by its holder's name, and the tagger reading "rose" as a verb does not change that.
        Not a modal before a bare verb ("nurse will check"), not a word that starts a noun phrase the
        role heads ("nurse bank staff"), not vocabulary (a month or day only where it is no date)."""
        if j >= self.n:
            return False
        text = self.texts[j]
        if not text.isalpha() or len(text) < 2 or not self.knowledge.common_given_name(text):
            return False
        if self.title_at(j) or (self.folded[j] in CLOSED_CLASS and self.folded[j] not in MODALS):
            return False
        if self.vocabulary_not_a_name(j) or self.knowledge.is_drug(text) or self.knowledge.typo(text):
            return False
        if (self.folded[j] in PERSON_VERBS and self.folded[j] not in MODALS) or (
            self.doc[j].tag_.startswith("VB") and self.knowledge.zipf(self.folded[j]) >= TITLED_VERB_ZIPF
        ):
            return False  # "the nurse said", "eca said": a common verb, not "Said"
        k = j + 1
        while k < self.n and (len(self.folded[k]) == 1 and self.texts[k][:1].isalpha()):
            k += 1  # "rose c king", "cpn hope e"
        after = self.doc[k] if k < self.n else None
        if self.folded[j] in MODALS and after is not None and after.tag_ in {"VB", "RB"}:
            return False  # "nurse will check", "dr may review"
        # not "nurse bank staff", "sister ward round": a word before a noun the role heads
        return not (
            after is not None
            and k == j + 1
            and after.tag_ in {"NN", "NNS"}
            and not self.knowledge.is_name(after.text)
        )

    def given_and_surname_before_a_possessive(self, i: int) -> int | None:
        """Token ``i`` is a listed surname in the possessive (see possessive_before_a_patients_thing)
        after a common given name in the same case: the whole name owns the thing ("heather stone's
        name", "FAITH SOUTH'S WRISTBAND"). Returns the given name's token."""
        g = i - 1
        if g < 0 or not self.doc[g].whitespace_ or not self.texts[g].isalpha():
            return None
        first, last = self.texts[g], self.texts[i]
        if first.islower() != last.islower() or first.isupper() != last.isupper():
            return None
        rank = self.knowledge.lexicon.surname_rank(self.folded[i])
        if rank is None or rank > TWO_WORD_SURNAME_RANK or not self.knowledge.common_given_name(first):
            return None
        if any(self.doc[j].is_stop or self.is_vocabulary(j) or self.title_at(j) for j in (g, i)):
            return None
        if self.folded[g] in EPONYM_WORDS or self.folded[g] in CALENDAR_WORDS:
            return None
        before = self._word_before(g)
        if (
            before in _NOT_BEFORE_A_NAME
            or before in DETERMINERS
            or (g > 0 and self.doc[g - 1].tag_ in {"JJ", "PRP$"})
        ):
            return None
        return g

    def _word_before(self, i: int) -> str:
        return self.folded[i - 1] if i > 0 else ""

    def unmodified(self, i: int) -> bool:
        """No determiner, adjective, possessive or preposition right before token ``i``."""
        if i == 0:
            return True
        before = self.doc[i - 1]
        return (
            self.folded[i - 1] not in DETERMINERS
            and self.folded[i - 1] not in _NOT_BEFORE_A_NAME
            and before.tag_ not in {"JJ", "JJR", "JJS", "PRP$", "POS", "IN", "TO", "DT", "CD"}
            and not self.title_at(i - 1)
        )

    def opens_clause(self, i: int) -> bool:
        before = self._word_before(i)
        if before in {"-", "/", "+", "&"} and not self.doc[i - 1].whitespace_:
            return False  # "X-ray", "and/or"
        if self.sentence_start(i) or before in CLAUSE_OPENERS:
            return True
        if i > 0 and _TIME.match(before):
            return True  # "at 01:00 heather e noticed", "0300 rose checked"
        # "told her james had fallen": the pronoun is told's object, the name the next clause's subject
        return before in OBJECT_PRONOUNS and i > 1 and self.folded[i - 2] in TOLD_VERBS

    def subject_slot(self, i: int) -> str:
        """Opening a clause, straight before a person's verb (after an initial, or "and" + another
        given name and a plural verb: "Rose and Grace were ..."). Returns the verb, or ""."""
        if self._word_before(i) in _NOT_BEFORE_A_NAME:
            return ""
        if not self.opens_clause(i):
            # text without punctuation hides where a clause opens ("on saturday ginger said"); before a
            # verb only a person does, a bare word that no determiner, adjective or preposition governs
            # is its subject
            if (
                i + 1 < self.n
                and self.folded[i + 1] in HUMAN_VERBS
                and self.unmodified(i)
                and not CAPITALISED.match(self.doc[i - 1].text)  # "a fall in Carlisle Ying escalated"
            ):
                return "unmarked"
            return ""
        j = i + 1
        if j < self.n and self._initial_at(j) and self.doc[i].whitespace_:
            j += self._initial_at(j)  # "heather e noticed"
        elif j + 1 < self.n and self.folded[j + 1] in PERSON_VERBS and self.word_surname_after_given(j):
            j += 1  # "when paige king slid", "ROB WATERS SELF DISCHARGED"
        if j + 1 < self.n and self.folded[j] in SUBJECT_ADVERBS and self.folded[j + 1] in PERSON_VERBS:
            j += 1  # "hyacinth now lives at", "grace then rang", "WILL ALSO SAID"
        if j < self.n and self.folded[j] in PERSON_VERBS:
            return self.folded[j]
        if self.action_line(i, j):
            return "to"
        # "jack fuond paracetamol": a person's verb with a slip of the keyboard is still that verb (and a
        # slip is no dictionary word, so the tagger's guess for it says nothing)
        if (
            j < self.n
            and j == i + 1
            and self.doc[i].whitespace_
            and (verb := self.knowledge.misspelt(self.doc[j].text, PERSON_VERBS))
        ):
            return verb
        if j + 2 < self.n and self.folded[j] in {"and", "+", "&"} and self.folded[j + 2] in PERSON_VERBS:
            other = self.folded[j + 1]
            rank = self.knowledge.lexicon.given_rank(other)
            if (rank is not None and rank <= SLOT_GIVEN_RANK) or self.knowledge.surely_name(other):
                return "and"
        return ""

    def action_line(self, i: int, j: int, *, anywhere: bool = False) -> bool:
        """ "Actions: - BASIL to redo the training", "Followup: Gale to email ...": a bare word then "to"
        and a bare verb, where a line of actions or learning starts (after a colon, a dash or a bullet,
        or opening a sentence when English seldom uses the word: not "Hope to discharge tomorrow")."""
        if j + 1 >= self.n or self.folded[j] != "to" or not self.doc[j + 1].text.isalpha():
            return False
        if self.doc[j + 1].tag_ != "VB" and self.folded[j + 1] not in ACTION_VERBS:
            return False
        if anywhere:
            return True
        if i > 0 and (
            self.doc[i - 1].text in {":", "-", "–", "•", "*"} or "\n" in self.doc[i - 1].text_with_ws
        ):
            return True
        return self.sentence_start(i) and self.knowledge.zipf(self.folded[i]) < ACTION_LINE_ZIPF

    def agent_slot(self, i: int) -> bool:
        """After "by", "with", "thanked", "spoke to" ..., and the clause ends with the name."""
        before = self._word_before(i)
        if i > 0 and not self.doc[i - 1].whitespace_:
            return False
        # "spoke to", "handed over to", "passed back to": a speech or handing verb, perhaps with its
        # particle, before "to" / "from"
        verb = i - 3 if i > 2 and self.folded[i - 2] in VERB_PARTICLES else i - 2
        agent = before in AGENT_BEFORE or (
            before in {"to", "from"} and verb >= 0 and self.folded[verb] in SPEECH_VERBS
        )
        if not agent:
            return False
        after = self.folded[i + 1] if i + 1 < self.n else ""
        if after == "" or "\n" in self.doc[i].whitespace_:
            return True
        if before in {"with", "w/", "saw", "see"}:  # "spoke with grace to": only where the clause ends
            return after in {".", ",", ";", ":", ")", "!", "?", "and", "+", "&", "until", "till", "while"}
        if before in TOLD_VERBS and after in {"the", "a", "an", "about", "of", "what", "why", "how"}:
            return True  # "told faith the plan", "asked rose about her pain": a person, then what
        return after in AFTER_AGENT

    def coordinated(self, candidates: list[Candidate]) -> Iterator[Candidate]:
        """Names listed with a name: "Justyna, Fiona + Søren", "jack robinson and mark harris".

        A token joined to a detected name by a comma, "and", "+", "&" or "/" is a name when a name list
        knows it or, in text that is not all in one case, when it is capitalised and no vocabulary.
        """
        starts = {c.first: c for c in candidates}
        ends = {c.last: c for c in candidates}
        found: list[Candidate] = []
        for c in candidates:
            for step in (1, -1):
                k = (c.last if step == 1 else c.first) + step
                while 0 <= k < self.n and (
                    self.folded[k] in {",", "and", "+", "&", "/", "or"}
                    or (
                        self.folded[k] in {"-", "–", "•"}
                        and self.doc[k].whitespace_
                        and self.doc[k - 1].whitespace_
                    )
                ):  # "statement: - shiny kutty - jun d hu - mark best"
                    k += step
                if not 0 <= k < self.n or k in starts or k in ends:
                    continue
                if abs(k - (c.last if step == 1 else c.first)) < 2:
                    continue  # nothing joined them
                if step == -1 and (unit := self.name_before_its_role(k)) is not None:
                    found.append(Candidate(unit, unit, 0.7, "list"))  # "RAY HCA AND HARPREET FOUND"
                    continue
                if self.title_at(k):
                    continue
                if (unit := self.two_word_name_listed(k, step, c.last if step == 1 else c.first)) is not None:
                    found.append(Candidate(*unit, 0.7, "list"))  # "c. o'neill and june good on shift"
                    continue
                if self.listed_name(k, c.last if step == 1 else c.first):
                    found.append(Candidate(k, k, 0.7, "list"))
        return iter(found)

    def listed_on_lines(self, candidates: list[Candidate]) -> Iterator[Candidate]:
        """A name written one a line, between two lines that are each a found name and nothing else:
        "Dr Oliver Chapman\nMark\nTran Thi Lan" (who attended, who was on shift). A list item is what
        its neighbours are; the word must pass the tests of a name listed with a found name
        (``listed_name``: same case, a name the lists know, not a common word unless a given name)."""
        ends = {}
        starts = {}
        for c in candidates:
            first = c.first
            while first > 0 and (self.title_at(first - 1) or self.texts[first - 1] == "."):
                first -= 1  # "Dr Oliver Chapman" fills its line
            if self.line_opens_at(first) and self.line_ends_after(c.last):
                starts[first] = c
                ends[c.last] = c
        for last, c in ends.items():
            k = last + 2
            if k + 2 >= self.n or self.texts[last + 1] != "\n" or self.texts[k + 1] != "\n":
                continue
            if k + 2 not in starts or not self.texts[k].isalpha() or self.title_at(k):
                continue
            if any(m.first <= k <= m.last for m in candidates):
                continue
            if self.listed_name(k, c.last):
                yield Candidate(k, k, 0.7, "list")

    def line_opens_at(self, i: int) -> bool:
        return i == 0 or self.texts[i - 1] == "\n" or self.doc[i - 1].whitespace_ == "\n"

    def line_ends_after(self, i: int) -> bool:
        return i + 1 >= self.n or self.texts[i + 1] == "\n" or self.doc[i].whitespace_ == "\n"

    def name_before_its_role(self, k: int) -> int | None:
        """The token before a role that ends at ``k`` ("RAY HCA and", "june (hca) and") when it is a
        common given name: a bare word before a role, in a list with a found name, is that person's name.
        Not a grammar word, vocabulary or a word the tagger reads as a verb or adjective ("Agency HCA")."""
        if self.folded[k] == ")" and k >= 2 and self.folded[k - 2] == "(" and self.title_at(k - 1) == 1:
            j = k - 3
        elif k > 0 and self.title_at(k) == 1 and not self.title_at(k - 1):
            j = k - 1
        else:
            return None
        if j < 0 or self.title_at(j) or self.vocabulary_not_a_name(j):
            return None
        if self.folded[j] in CLOSED_CLASS and self.folded[j] not in MODALS:
            return None  # a modal never stands before a role: "will (hca) and nasima found"
        token = self.doc[j]
        if not token.text.isalpha() or (token.tag_ not in {"NNP", "NNPS", "NN", "NNS", "MD"}):
            return None
        if j > 0 and (
            self.doc[j - 1].tag_ in {"DT", "PRP$", "JJ", "JJR", "JJS"}
            or self.folded[j - 1] in DETERMINERS
            or self.folded[j - 1] in {"one", "two", "three", "four", "both", "all"}
            or self.texts[j - 1].isdigit()
        ):
            return None  # "the night HCA", "one HCA": a word a determiner or adjective governs
        return j if self.knowledge.common_given_name(token.text) else None

    def vocabulary_not_a_name(self, j: int) -> bool:
        """Vocabulary, unless a month or day that is a given name and no date here ("June (HCA)")."""
        if not self.is_vocabulary(j):
            return False
        rank = self.knowledge.lexicon.given_rank(self.folded[j])
        return rank is None or not self.calendar_name(j, rank)

    def two_word_name_listed(self, k: int, step: int, name: int) -> tuple[int, int] | None:
        """A given name and a surname, an initial and a surname or a given name and an initial, in the
        same case, listed with a found name ("AMBER SNOW AND CHATHURIKA", "c. o'neill and june good",
        "grace potter, c love and k christodoulou", "June W and Zoltán"): two name words in a row beside
        a name are a name even when each is also a word."""
        first, second = (k, k + 1) if step == 1 else (k - 1, k)
        if first < 0 or second >= self.n or self._space[first] or not self.doc[first].whitespace_:
            return None
        texts = self.texts[first], self.texts[second]
        if not all(t.replace(".", "").isalpha() for t in texts) or self.title_at(first):
            return None
        if any(self.folded[j] in CLOSED_CLASS or self.vocabulary_not_a_name(j) for j in (first, second)):
            return None
        if not (
            all(t.islower() for t in texts)
            or all(t.isupper() for t in texts)
            or all(t[0].isupper() and not t[1:].isupper() for t in texts if len(t.rstrip(".")) > 1)
        ):
            return None
        if any(self.doc[j].tag_.startswith(("VB", "JJ", "RB")) for j in (first, second)):
            return None
        initial = [len(self.folded[j]) == 1 for j in (first, second)]
        given, surname = self.folded[first], self.folded[second]
        if initial[0] and not initial[1]:
            ok = self.knowledge.lexicon.surname_rank(surname) is not None
        elif initial[1] and not initial[0]:
            ok = self.knowledge.common_given_name(given)
        elif not any(initial):
            ok = self.knowledge.common_given_name(given) and (
                (self.knowledge.lexicon.surname_rank(surname) or TWO_WORD_SURNAME_RANK + 1)
                <= TWO_WORD_SURNAME_RANK
            )
        else:
            ok = False
        return (first, second) if ok else None

    def listed_name(self, k: int, name: int) -> bool:
        """Token ``k``, listed with the name at token ``name``, is a name too: written in the same case
        and known to the name lists (not a common word), or capitalised and no dictionary word."""
        token = self.doc[k]
        text, other = token.text, self.doc[name].text
        capital_name = (  # "Poppy and Will": a capital in mid-sentence makes even "Will" a name
            CAPITALISED.match(text)
            and not self.sentence_start(k)
            and not self.uppercase_document
            and self.folded[k] not in CLOSED_CLASS
            and self.knowledge.common_given_name(text)
        )
        if self.people_listed(k, name) and self.name_in_a_list_of_people(k):
            return True  # "Bob and Tempest were in the bay", "with krzysztof and royal as hcas"
        if self.capitalised_month_or_modal_listed(k, name):
            return True  # "The night team, Qasim and May, followed the falls policy"
        if token.is_stop and not capital_name:
            return False
        if self.is_vocabulary(k) or not text.isalpha() or len(text) < 2:
            return False
        if text.islower() and not other.islower() and self.lower_name_joined_to(k, name):
            return True  # "The night team, torquil and Salamatu": no word, no drug, no typo
        if text.islower() != other.islower() or text.isupper() != other.isupper():
            return False  # "Moderate harm, C Onuoha": a lower-case word beside a capitalised name
        if self.knowledge.typo(text):
            return False
        if self.knowledge.surely_name(text):
            return True
        if self.knowledge.common_given_name(text) and self.english_zipf_below(text, 4.0):
            return True
        modified = k > 0 and (
            self.doc[k - 1].tag_ in {"JJ", "JJR", "JJS", "DT", "PRP$", "CD"}
            or self.folded[k - 1] in DETERMINERS
        )  # "moderate harm, abena ...": a name takes no adjective or article
        if (
            self.knowledge.common_given_name(text)
            and not modified
            and (
                self.english_zipf_below(text, LISTED_GIVEN_ZIPF)
                or (CAPITALISED.match(text) and not self.sentence_start(k) and not self.uppercase_document)
            )
        ):
            return True  # "faith and ivy", "Poppy and Will": a given name listed with a name
        if UPPER.match(text) and not self.knowledge.shouted_word(text) and self.english_zipf_below(text, 2.5):
            return True  # "MARK SMITH AND CHATHURIKA"
        return (
            bool(CAPITALISED.match(text)) and not self.english.contains(text) and not self.sentence_start(k)
        )

    def capitalised_month_or_modal_listed(self, k: int, name: int) -> bool:
        """A month or modal that is a common given name ("May", "June", "Will"), capitalised in
        mid-sentence in mixed-case text and joined by "and", "&" or "+" straight to a found name, with no
        number beside it: "Qasim and May, followed", "June and Adaeze were". A month is listed with
        months ("April and May"), a person with people."""
        text = self.doc[k].text
        folded = self.folded[k]
        if folded not in CALENDAR_WORDS and folded not in MODALS:
            return False
        if not CAPITALISED.match(text) or self.sentence_start(k) or self.uppercase_document:
            return False
        low, high = sorted((k, name))
        if high - low != 2 or self.folded[low + 1] not in {"and", "&", "+"}:
            return False
        rank = self.knowledge.lexicon.given_rank(folded)
        if rank is None or rank > SLOT_GIVEN_RANK:
            return False
        if any(0 <= j < self.n and self.doc[j].like_num for j in (k - 1, k + 1)):
            return False
        other = self.folded[name]
        return other not in CALENDAR_WORDS and self._word_before(low) not in TIME_WORDS_BEFORE

    def people_listed(self, k: int, name: int) -> bool:
        """Whether the list holding tokens ``k`` and ``name`` can only be people: it is the subject of a
        person's verb ("Bob and Tempest were", "Loan and MAJOR attended"), stands before "as" and a role
        ("with Sakura and Sun as HCAs"), or follows "from", "with", "to see", "thanks to" ("team work
        from will, Tudor and Phuc", "came to see Colm + mags")."""
        low, high = sorted((k, name))
        while high + 2 < self.n and self.folded[high + 1] in {",", "and", "+", "&"}:
            high += 2  # to the list's last item
        if not any(self.folded[j] in {"and", "+", "&"} for j in range(self._list_start(low) + 1, high)):
            return False
        after = high + 1
        end = self.folded[after] if after < self.n else ""
        if end in PERSON_VERBS or end in {"did", "both", "who"}:
            return self.opens_clause(self._list_start(low)) or self._word_before(self._list_start(low)) in {
                "when",
                "while",
                "whilst",
                "as",
                "until",
            }
        if end == "as" and after + 1 < self.n and self.title_at(after + 1):
            return True
        start = self._list_start(low)
        before = self._word_before(start)
        if before == "to" and start > 1:
            # "thanks to katarzyna and chalky for help": who is thanked is people (not "spoke to Arif
            # and apologised", where the list goes on with a verb)
            return self.folded[start - 2] in {"thanks", "thank"}
        if before == ":" and start > 2 and self.doc[start - 2].like_num:
            # "bay 3: Ginger and Melody Ash": who is in a bay or bed is patients
            return self.folded[start - 3] in _WHERE_PATIENTS_LIE
        return before in LIST_OF_PEOPLE_BEFORE

    def _list_start(self, low: int) -> int:
        """The first item of the list that token ``low`` is in ("A, B and C": A; not the "22:05" of "at
        22:05, Bob and Tempest were")."""
        start = low
        while (
            start >= 2 and self.folded[start - 1] in {",", "and", "+", "&"} and self.doc[start - 2].is_alpha
        ):
            start -= 2
        return start

    def name_in_a_list_of_people(self, k: int) -> bool:
        """In a list that can only be people, a bare word that is no vocabulary, grammar word or
        common English noun (unless the name lists know it): "Tempest", "SMUDGE", "royal", "will"."""
        token = self.doc[k]
        text = token.text
        if not text.isalpha() or len(text) < 2 or self.title_at(k) or self.folded[k] in CLOSED_CLASS - MODALS:
            return False
        if self.is_vocabulary(k) and self.folded[k] not in CALENDAR_WORDS:
            return False
        if k > 0 and (self.folded[k - 1] in DETERMINERS or self.doc[k - 1].tag_ in {"JJ", "PRP$"}):
            return False
        if self.knowledge.typo(text) or self.knowledge.is_drug(text):
            return False
        rank = self.knowledge.best_rank(self.folded[k])
        zipf = self.knowledge.zipf(self.folded[k])
        if self.folded[k] in MODALS:  # "from will, Tudor and Phuc": no modal stands in a list
            return rank <= SLOT_GIVEN_RANK
        return (rank <= 5_000 and zipf < 5.5) or zipf < LIST_WORD_ZIPF

    def lower_name_joined_to(self, k: int, name: int) -> bool:
        """A lower-case token joined by "and", "+" or "&" to a capitalised name in mixed-case text, that
        English does not use (no dictionary word, Zipf < 2.5), no drug, no typo of a word, no number
        after it: someone who typed one name without its capital ("torquil and Salamatu")."""
        if self.lowercase_document or len(self.doc[k].text) < 3:
            return False
        low, high = sorted((k, name))
        if not any(self.folded[j] in {"and", "+", "&"} for j in range(low + 1, high)):
            return False
        if k + 1 < self.n and self.doc[k + 1].like_num:
            return False  # "gcs 15 and Dr Ali"
        text = self.doc[k].text
        return (
            not self.english.contains(text)
            and self.english_zipf_below(text, 2.5)
            and not self.knowledge.is_drug(text)
            and not self.knowledge.typo(text)
        )

    def surname_first(self, text: str) -> bool:
        """A surname more than a word: among the top 100 of some country, or rare as an English word."""
        rank = self.knowledge.lexicon.surname_rank(text.lower())
        return (rank is not None and rank <= 100) or self.english_zipf_below(text, 4.2)

    def english_zipf_below(self, text: str, limit: float) -> bool:
        return self.knowledge.zipf(text.lower()) < limit

    def given_name_as_argument(self, i: int) -> bool:
        """A very common given name that is also a word, where a person goes: after "by", "with",
        "told" ..., or before "was", "had", "said" ... ("by liv.", "so toby used"), never after "the"."""
        text = self.doc[i].text
        limit = 5.2 if self.uppercase_document else 4.3
        if not self.knowledge.very_common_given_name(text) or not self.english_zipf_below(text, limit):
            return False
        if text.isupper() and not self.uppercase_document:
            return False
        before = self.folded[i - 1] if i > 0 else ""
        after = self.folded[i + 1] if i + 1 < self.n else ""
        if before in DETERMINERS or before in {"a", "an", "the", "this", "that", "some", "any", "no"}:
            return False
        if before == "of" and not (
            after in {"", ".", ",", ";", ":", ")", "!", "?", "on", "and", "who", "'s", "’s"}
            or (i > 1 and self.folded[i - 2] in RELATION_WORDS)
        ):
            return False  # "a box of candy from", "the colour of ruby port"; "the care of naomi." stays
        return before in ARGUMENT_BEFORE or after in ARGUMENT_AFTER

    def initial_and_surname(self) -> Iterator[Candidate]:
        """An initial then a surname: "j pearce", "J. Pearce", "Harjit S Bains" (extension adds Harjit)."""
        for i in range(self.n - 1):
            text = self.doc[i].text
            letter = text.rstrip(".")
            if len(letter) != 1 or not letter.isalpha():
                continue
            if letter in "aAiI" and text == letter and not self.capital_a_initial(i):
                continue
            j = i + 2 if text == letter and self.doc[i + 1].text == "." else i + 1
            if j >= self.n or self.title_at(j) or self.is_vocabulary(j):
                continue
            following = self.doc[j].text
            if (
                letter.lower() == "x"
                or self.doc[j].is_stop
                or (text.islower() and not following.islower() and not UPPER.match(following))
            ):
                continue  # "x ray"; "j The ..."
            if (
                self.knowledge.likely_surname(following)
                or (
                    CAPITALISED.match(following)
                    and len(following) > 2
                    and not self.english.contains(following)
                    and not self.knowledge.everyday_word(following)
                )
                or self.capitalised_word_surname(i, j)
            ):
                yield Candidate(i, j, 0.75, "initial")

    def capital_a_initial(self, i: int) -> bool:
        """A capital "A" in the middle of a sentence of mixed-case prose, before a capitalised listed
        surname, is an initial: the article is written "a" there ("bloods for A Hall in the next bed")."""
        return (
            self.doc[i].text == "A"
            and not self.sentence_start(i)
            and not self.uppercase_document
            and i + 1 < self.n
            and self.capitalised_word_surname(i, i + 1)
        )

    def capitalised_word_surname(self, i: int, j: int) -> bool:
        """After a capital initial in mixed-case prose, a capitalised listed surname that English uses
        less than ``INITIAL_WORD_SURNAME_ZIPF`` even when it is also a word ("chart said P Crow.")."""
        if self.uppercase_document or not self.doc[i].text[:1].isupper():
            return False
        following = self.doc[j].text
        if not CAPITALISED.match(following) or not following.isalpha() or len(following) < 3:
            return False
        if self.is_vocabulary(j) or self.title_at(j) or self.knowledge.is_drug(following):
            return False
        rank = self.knowledge.lexicon.surname_rank(self.folded[j])
        return (
            rank is not None
            and rank <= 5_000
            and self.knowledge.zipf(self.folded[j]) < INITIAL_WORD_SURNAME_ZIPF
        )


def _pronounceable(folded: str) -> bool:
    """A word with vowels enough to be said as a name ("sazza", "faigy"), not an acronym ("hssib")."""
    return sum(c in "aeiouy" for c in folded) * 3 >= len(folded)
