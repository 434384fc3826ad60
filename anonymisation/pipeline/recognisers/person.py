"""People's names.

No list of names is used: a name is found by what surrounds it and by its shape.

- a title or role before it ("Dr", "Mrs", "Staff Nurse", "the porter", "HCA");
- a relation word before it ("her daughter Ayesha", "son, Tomasz,", "wife maria");
- a naming phrase ("a patient called Bola", "known as Fred");
- spaCy's PERSON entities (titles and possessives trimmed off);
- a capitalised proper noun (tagged NNP) that is not an English dictionary word or clinical vocabulary.

Each name is extended over adjacent name-shaped tokens ("Oluwaseun" + "Adebayo", "Smith-Jones", "de la
Cruz"). Scores say how sure the rule is; the pipeline lets the allow-list veto only the weaker ones.
"""

from __future__ import annotations

from collections.abc import Iterator

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc, Token

from ..allow_list import HONORIFICS, NON_PERSON_WORDS, fold, is_vocabulary_word
from ..lexicon import Lexicon
from ..vocabulary import EnglishWords
from . import name_model
from .candidate import Candidate
from .name_extent import NOT_NAME_PARTS, NameExtent
from .name_knowledge import NameKnowledge, _swaps, _verb_shaped
from .name_rules import SLOT_GIVEN_RANK, SUBJECT_SLOT_ZIPF, KnowledgeRules
from .name_slots import ROLE_SHORT_FORMS, SlotRules
from .person_words import (
    ABSTRACT_NOUN,
    AFTER_HONORIFIC,
    AFTER_RELATION,
    CALENDAR_WORDS,
    CAPITALISED,
    CLOSED_CLASS,
    CLOSED_TAGS,
    HUMAN_VERBS,
    INITIAL,
    LOWER,
    MAX_NAME_TOKEN,
    MODALS,
    MOTION_WORDS,
    NAMING_PAIRS,
    NAMING_WORDS,
    NEVER_A_SURNAME,
    NICKNAME_FILLERS,
    NICKNAME_WORDS,
    NON_PERSON_ENTITIES,
    PARTICLES,
    PATIENT_WORDS,
    PERSON_VERBS,
    PLACE_PREPOSITIONS,
    PLACES_OF_CARE,
    PROPER_ONLY,
    RELATION_WORDS,
    SENTENCE_END,
    STRONG_TITLES,
    THING_DETERMINERS,
    TIME_WORDS_BEFORE,
    TITLE_FIRST_WORDS,
    TITLE_WORDS,
    TITLES,
    UPPER,
)

# Honorifics only a person's name follows, and the grammar words that may still follow them ("Mr and Mrs").
_PERSONAL_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
_NEVER_AFTER_AN_HONORIFIC = frozenset(
    {"and", "or", "the", "a", "to", "of", "in", "on", "at", "by", "for", "with", "from", "is", "was", "were"}
    | {"has", "had", "not", "no", "also", "as", "if", "but", "then", "when", "who", "which", "that", "this"}
)
_GRAMMAR_SURNAME_RANK = 500
# After a role, a listed surname that is also a word up to this Zipf ("berry" 4.0, "tower" 4.6).
ROLE_WORD_SURNAME_ZIPF = 5.0
# Titles of one word, which a slip of the keyboard may hide ("nruse", "Sitser").
_ONE_WORD_TITLES = frozenset(t for t in TITLES if " " not in t and len(t) >= 4)
# Each slip (two neighbouring letters swapped) -> the title it hides; one dictionary look-up a token.
_TITLE_SLIPS = {slip: title for title in sorted(_ONE_WORD_TITLES) for slip in _swaps(title)}
# After "Mr", "Mrs" ..., a word that is also a listed surname up to this rank is the surname.
_TITLED_WORD_SURNAME_RANK = 5_000
_NOT_A_SURNAME_AFTER_HONORIFIC = frozenset(
    {"VB", "VBD", "VBN", "VBZ", "VBP", "VBG", "IN", "CC", "DT", "MD", "TO", "PRP", "CD", "RB"}
)
# After a relation word a listed given name is a name unless English uses it this often ("son present").
RELATION_GIVEN_ZIPF = 4.0
# After "PATIENT", "RESIDENT", "PRISONER" in text written in capitals, a given name English writes less
# than this ("VIOLET" 3.8, "LEWIS" 4.5; not "MARK" 5.1, "HOPE" 5.4).
PATIENT_GIVEN_ZIPF = 4.6
# After "X given", words that say how or when, not what: the X was the thing given.
_AFTER_A_THING_GIVEN = frozenset(
    {"at", "for", "by", "to", "and", "+", "&", "iv", "im", "po", "sc", "stat", "late", "early", "eventually"}
    | {"as", "in", "on", "with", "without", "instead", "again", "but", "so", "then", "via", "prn"}
)
# A lone model PERSON that is an English word on no name list is no name when this common in English.
NER_WORD_ZIPF = 2.0
# A lower-case word the model calls a person is kept when a common given name English seldom writes opens
# a clause before a past tense ("anna put alert stickers on").
LOWER_NER_GIVEN_RANK = 300
LOWER_NER_GIVEN_ZIPF = 4.5
_PLAIN_VOCABULARY = CLOSED_CLASS | RELATION_WORDS | NON_PERSON_WORDS
# Verbs that take "at" and a person, not a place: what is said or done *at* someone ("swore at tina and
# bernadette", "shouting at kwame and jess", "threw a cup at Bill"). After them "at" names who, not where.
AIMED_AT_VERBS = frozenset(
    f"{stem}{ending}"
    for stem, endings in {
        "shout": ("", "s", "ed", "ing"),
        "yell": ("", "s", "ed", "ing"),
        "scream": ("", "s", "ed", "ing"),
        "swear": ("", "s", "ing"),
        "swore": ("",),
        "spat": ("",),
        "spit": ("", "s", "ting"),
        "snap": ("", "s", "ped", "ping"),
        "lunge": ("", "s", "d"),
        "lunging": ("",),
        "glare": ("", "s", "d"),
        "glaring": ("",),
        "threw": ("",),
        "throw": ("", "s", "ing", "n"),
        "hurl": ("", "s", "ed", "ing"),
        "swung": ("",),
        "swing": ("", "s", "ing"),
        "lash": ("", "ed", "es", "ing"),
    }.items()
    for ending in endings
)
_NOUN_PHRASE_TAGS = frozenset({"NN", "NNS", "JJ", "CD"})


# A listed surname at most this rank and this rare in English follows a common given name: "Charlie
# Barraclough" (2,192; zipf 2.0), "Emma Pollard" (558; 3.2); not "Stanley Park", "Barnard Castle".
RARE_SURNAME_RANK = 5_000
RARE_SURNAME_ZIPF = 4.0
# Before a month, a date: "in June", "by May", "due June".
_BEFORE_A_DATE = TIME_WORDS_BEFORE | {"by", "before", "after", "until", "till", "due"}
# What the learned second look's names score: above the spreading's 0.7, below the surest rules.
LEARNED_SCORE = 0.75
# The score a name-like word is reported with: above the analyser's floor, so that it reaches the count.
NAME_LIKE_SCORE = 0.5


class PersonRecogniser(LocalRecognizer):
    ENTITY = "PERSON"

    def __init__(self, english: EnglishWords, lexicon: Lexicon | None = None) -> None:
        super().__init__(
            supported_entities=[self.ENTITY, name_model.NAME_LIKE_ENTITY],
            name="PersonRecogniser",
            supported_language="en",
        )
        self.english = english
        self.knowledge = NameKnowledge(lexicon or Lexicon(), english)

    def load(self) -> None:
        """Nothing to load: the spaCy document comes with the NLP artifacts."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        finder = NameFinder(nlp_artifacts.tokens, self.english, self.knowledge)
        found = [
            RecognizerResult(
                self.ENTITY,
                finder.doc[c.first].idx,
                finder.doc[c.last].idx + len(finder.doc[c.last]),
                c.score,
                recognition_metadata={"recognizer_name": self.name, "rule": c.rule},
            )
            for c in finder.find()
        ]
        # Words the learned look found name-like but not enough to redact: counted for the residual
        # risk (never redacted; the pipeline takes them out before anything is replaced).
        return found + [
            RecognizerResult(
                name_model.NAME_LIKE_ENTITY,
                finder.doc[i].idx,
                finder.doc[i].idx + len(finder.doc[i]),
                NAME_LIKE_SCORE,
                recognition_metadata={"recognizer_name": self.name, "rule": "name-like"},
            )
            for i in finder.name_like
        ]


class NameFinder(NameExtent, KnowledgeRules, SlotRules):
    def __init__(self, doc: Doc, english: EnglishWords, knowledge: NameKnowledge | None = None) -> None:
        self.doc = doc
        self.english = english
        self.knowledge = knowledge or NameKnowledge(Lexicon(), english)
        self.n = len(doc)
        self.name_like: list[int] = []  # words the learned look found name-like, below its threshold
        tokens = list(doc)  # spaCy makes a new Token object on every ``doc[i]``
        self.texts = [t.text for t in tokens]
        self._space = [t.is_space for t in tokens]
        self._vocabulary_at: dict[int, bool] = {}
        self.folded = [fold(text).rstrip(".") for text in self.texts]
        self._accented = {i for i, text in enumerate(self.texts) if not text.isascii()}
        self._titles = [self._title_length(i) for i in range(self.n)]
        alpha = [text for t, text in zip(tokens, self.texts, strict=True) if t.is_alpha]
        letters = [text[0] for text in alpha]
        # Notes typed all in lower case lose the capital-letter hints, so context has to do more.
        self.lowercase_document = (
            len(letters) >= 5 and sum(c.isupper() for c in letters) <= len(letters) // 50
        )
        words = [text for text in alpha if len(text) > 1]
        # Notes typed in capitals lose them too: "PT FOUND ON FLOOR BY NURSE ADEBAYO".
        self.uppercase_document = len(words) >= 5 and sum(w.isupper() for w in words) >= len(words) * 0.8

    # Token tests ---------------------------------------------------------------------------------------
    def sentence_start(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self._space[j] and "\n" not in self.texts[j]:
            j -= 1
        return j < 0 or self.texts[j][-1] in SENTENCE_END or "\n" in self.texts[j]

    def is_vocabulary(self, i: int) -> bool:
        known = self._vocabulary_at.get(i)  # the rules ask about the same tokens again and again
        if known is None:
            known = self._vocabulary_at[i] = self._is_vocabulary(i)
        return known

    def _is_vocabulary(self, i: int) -> bool:
        word = self.folded[i]
        if i in self._accented and word in _PLAIN_VOCABULARY:
            return False  # "sơn" (Vietnamese), not "son": English writes its words without accents
        return word in CLOSED_CLASS or word in RELATION_WORDS or is_vocabulary_word(word)

    def name_token(
        self,
        i: int,
        *,
        allow_lower: bool,
        allow_upper: bool = True,
        lower_tags: frozenset[str] = PROPER_ONLY,
        titled: bool = False,
        title_word_ok: bool = False,
    ) -> bool:
        """Whether token ``i`` can be part of a name.

        A lower-case token needs ``allow_lower`` and must be no dictionary word, or carry one of
        ``lower_tags`` (the surer the context, the more tags). ``titled``: right after a title even a
        vocabulary word is a surname ("Mrs May", "Midwife Ward", "ms baxter").
        """
        if i >= self.n:
            return False
        token: Token = self.doc[i]
        text = token.text
        if titled and self.initial_then_name(i):
            return True  # "dr A Asante", "dr m dahl", "dr. c. goldberg"
        if len(text) > MAX_NAME_TOKEN or any(c.isdigit() for c in text) or self.folded[i] in CLOSED_CLASS:
            return False
        if self.folded[i] in NEVER_A_SURNAME:
            return False  # "father NOK Dahir": "father" reads as a title, "NOK" is no surname
        if self.is_vocabulary(i) and not (titled and (title_word_ok or self.folded[i] not in TITLE_WORDS)):
            return False
        if CAPITALISED.match(text) and len(text.rstrip(".")) > 1:
            return True
        if allow_upper and UPPER.match(text):
            # "NURSE INFORMED" is no name; "DR YANG", "MISS BERNSTEIN" are.
            return not self.knowledge.shouted_word(text) or (titled and self.knowledge.name_not_verb(text))
        if INITIAL.match(text):
            return self.name_token(i + 1, allow_lower=False)
        if (
            allow_lower
            and LOWER.match(text)
            and (titled or not token.is_stop)
            and token.tag_ not in CLOSED_TAGS
        ):
            if not self.english.contains(text):
                return titled or not self.knowledge.typo(text)
            # a dictionary word after a relation is a name only if it is no common word ("nok number")
            if (
                titled
                and not self.knowledge.is_name(text)
                and self.knowledge.zipf(self.folded[i]) >= 3.5
                and (i + 1 >= self.n or self.folded[i + 1] not in PERSON_VERBS)
            ):
                return False  # "Matron aware", "Housekeeper informed": a state; "doctor forum was" a name
            return token.tag_ in lower_tags and (titled or not self.knowledge.common_word(text))
        return False

    def initial_then_name(self, i: int) -> bool:
        """A single letter (perhaps with a full stop) followed by a name-shaped or known surname."""
        letter = self.doc[i].text.rstrip(".")
        if len(letter) != 1 or not letter.isalpha():
            return False
        j = i + 2 if self.doc[i].text == letter and i + 1 < self.n and self.doc[i + 1].text == "." else i + 1
        if j >= self.n or self.is_vocabulary(j) or self.title_at(j):
            return False
        following = self.doc[j].text
        if len(following) < 2:
            return False
        if CAPITALISED.match(following) or UPPER.match(following) or self.knowledge.likely_surname(following):
            return True
        # After a title an initial then a word is initial and surname even when the surname is a common
        # word ("agency hca r. page", "dr j. read"); a verb there is no surname ("Dr A gave").
        return (
            "." in self.doc[i].text + (self.doc[i + 1].text if j == i + 2 else "")
            and following.isalpha()
            and LOWER.match(following) is not None
            and not self.doc[j].is_stop
            and self.folded[j] not in CLOSED_CLASS
            and not self.doc[j].tag_.startswith(("VB", "IN", "MD", "RB"))
            and self.knowledge.lexicon.surname_rank(self.folded[j]) is not None
        )

    def title_at(self, i: int) -> int:
        """Length in tokens of a title starting at token ``i`` (0 if none)."""
        return self._titles[i] if i < self.n else 0

    def _title_length(self, i: int) -> int:
        if self.folded[i] not in TITLE_FIRST_WORDS:
            if self.folded[i] not in _TITLE_SLIPS or not self._title_slip(i):
                return 0
            return 1  # "nruse Lake", "Sitser Hope": a title with two letters swapped
        for length in (3, 2, 1):
            if i + length <= self.n and " ".join(self.folded[i : i + length]) in TITLES:
                return length
        return 0

    def _title_slip(self, i: int) -> str:
        """The one-word title that token ``i`` is a slip of (two neighbouring letters swapped, as tired
        typing does: "nruse", "Sitser", "MATORN"), or "". Only for a word English does not have and no
        list knows, so a real word or name is never read as a title."""
        folded = self.folded[i]
        title = _TITLE_SLIPS.get(folded, "")
        if not title or self.english.contains(folded) or self.knowledge.is_name(folded):
            return ""
        return "" if self.knowledge.zipf(folded) >= 2.5 else title

    def abbreviation_dot(self, j: int) -> bool:
        """The full stop of "Dr. Smith" (not the end of a sentence after "the ward clerk.")."""
        return (
            self.doc[j].text == "." and self.doc[j - 1].whitespace_ == "" and self.folded[j - 1] in HONORIFICS
        )

    # Collecting a name ---------------------------------------------------------------------------------
    def take_name(
        self,
        i: int,
        *,
        lower_tags: frozenset[str] = PROPER_ONLY,
        titled: bool = False,
        title_word_ok: bool = False,
    ) -> int | None:
        """Index of the last token of a name starting at ``i``, or ``None``."""
        if not self.name_token(
            i, allow_lower=True, lower_tags=lower_tags, titled=titled, title_word_ok=title_word_ok
        ):
            return None
        last, parts, j = i, 1, i + 1
        if titled and self.initial_then_name(i):  # "hca r. page": the initial's surname is taken whole
            last = (
                i + 2
                if self.doc[i].text.isalpha() and i + 1 < self.n and self.doc[i + 1].text == "."
                else i + 1
            )
            last, parts, j = last, 2, last + 1
        while j < self.n and parts < 4:
            joined = self.doc[j - 1].whitespace_ == "" and self.doc[j].whitespace_ == ""
            if joined and self.doc[j].text in "-‐'’":  # Smith-Jones, al-Hassan
                if not self.name_token(j + 1, allow_lower=True):
                    break
                last, j = j + 1, j + 2
            elif self.folded[j] in PARTICLES and self.name_token(j + 1, allow_lower=False):
                last, j, parts = j + 1, j + 2, parts + 1
            elif self.doc[j - 1].whitespace_ and (
                self.continues_name(j) or (titled and parts == 1 and self.surname_after_titled_given(j))
            ):
                last, j, parts = j, j + 1, parts + 1
            else:
                break
        return last

    def continues_name(self, j: int) -> bool:
        if "\n" in self.doc[j - 1].whitespace_ or self.title_at(j):
            return False
        text = self.doc[j].text
        if LOWER.match(text):
            if self.english.contains(text) and not self.knowledge.is_name(text):
                return False  # "mr ali speaks lingala": a dictionary word on no name list ends the name
            return (
                self.doc[j].tag_ == "NNP" and self.name_token(j, allow_lower=True)
            ) or self.knowledge.surely_name(text)
        if UPPER.match(text) and UPPER.match(self.doc[j - 1].text) and self.knowledge.upper_surname(text):
            return True  # "DAHIR SHIRE": a surname that is also a word, after a name in capitals
        if CAPITALISED.match(text) and self.everyday_dictionary_word(j):
            return False  # "Keith inf Statement", "Jo Handover"
        return self.name_token(j, allow_lower=False)

    def everyday_dictionary_word(self, j: int) -> bool:
        """A capitalised dictionary word on no name list, common in English: "Statement", "Handover"."""
        text = self.doc[j].text
        return (
            self.english.contains(text)
            and not self.knowledge.is_name(text)
            and self.knowledge.everyday_word(text)
        )

    # Rules -----------------------------------------------------------------------------------------------
    def find(self) -> list[Candidate]:
        candidates = [
            *self.after_titles(),
            *self.before_cues(),
            *self.after_cues(),
            *self.from_entities(),
            *self.proper_nouns(),
            *self.from_knowledge(),
            *self.initial_and_surname(),
            *self.in_person_slots(),
            *self.modal_names(),
            *self.possessive_before_relation(),
            *self.bare_possessives(),
            *self.given_and_initial(),
            *self.hyphenated_given_names(),
            *self.role_apposition(),
            *self.unknown_words_in_person_slots(),
            *self.capitalised_word_in_person_slot(),
            *self.glued_initial_and_surname(),
            *self.surname_comma_given(),
            *self.subject_acting_on_a_titled_person(),
            *self.capitalised_given_and_surname(),
            *self.surname_on_an_action_line(),
            *self.given_name_before_an_agent_verb(),
            *self.name_on_a_staffing_line(),
            *self.possessive_before_a_patients_thing(),
            *self.listed_name_after_by(),
            *self.name_alone_as_a_sentence(),
            *self.capitals_after_an_honorific(),
            *self.given_and_surname_in_a_person_slot(),
            *self.given_name_before_a_modal(),
            *self.name_in_a_sign_off(),
            *self.nickname_in_a_person_slot(),
            *self.given_name_from_a_team(),
            *self.given_name_the_role(),
            *self.name_beside_a_bracketed_role(),
            *self.word_surname_after_a_title(),
            *self.initial_and_word_surname(),
            *self.given_name_with_the_writer(),
            *self.speakers_in_a_thread(),
            *self.given_name_before_an_action(),
            *self.name_after_a_greeting(),
            *self.given_name_before_whose_role(),
            *self.name_harmed(),
            *self.interpreter_named(),
            *self.given_name_before_who(),
            *self.initial_signing_off(),
        ]
        merged = self.merge([self.extend(c) for c in candidates])
        listed = [*self.coordinated(merged), *self.listed_on_lines(merged)]
        while listed:  # "A, B, C and D": each found name reaches the next one
            merged = self.merge([*merged, *(self.extend(c) for c in listed)])
            listed = [
                c
                for c in [*self.coordinated(merged), *self.listed_on_lines(merged)]
                if not any(m.first <= c.first <= m.last for m in merged)
            ]
        found = self.accepted(merged)
        return self.merge([*found, *self.accepted(self.learned(found))])

    def accepted(self, candidates: list[Candidate]) -> list[Candidate]:
        return [
            c
            for c in map(self.without_a_greeting, candidates)
            if c is not None
            and (c.score >= 0.9 or not self.looks_like_a_thing_or_place(c))
            and not self.contraction_piece(c)
        ]

    def learned(self, found: list[Candidate]) -> list[Candidate]:
        """The learned second look (``name_model``) at the name-shaped words no rule found."""
        covered = {k for c in found for k in range(c.first, c.last + 1)}
        if name_model.collector is not None:
            name_model.collector(self, covered)
            return []
        model = name_model.name_model()
        if model is None:
            return []
        words = name_model.found_words_of(self, covered)
        added = []
        for i in range(self.n):
            if i in covered or not name_model.candidate(self, i):
                continue
            probability = model.probability(name_model.features(self, i, covered, words))
            if probability >= model.threshold:
                added.append(Candidate(i, i, LEARNED_SCORE, "learned"))
            elif probability >= name_model.NAME_LIKE:
                self.name_like.append(i)
        return self.merge([self.extend(c) for c in added])

    def without_a_greeting(self, c: Candidate) -> Candidate | None:
        """A greeting is no part of a name ("Hi Will, can you": "Hi" was read as a subject before a
        modal): a detection that opens with one loses it, and one that is only a greeting goes."""
        if self.folded[c.first] not in {"hi", "hello", "hiya", "hey", "heya"}:
            return c
        if c.first == c.last:
            return None
        return Candidate(c.first + 1, c.last, c.score, c.rule)

    def contraction_piece(self, c: Candidate) -> bool:
        """One token that is half of a contraction typed without its apostrophe: "wont" is split "wo" +
        "nt", "ive" "i" + "ve"; neither half is a name."""
        if c.first != c.last:
            return False
        folded = self.folded[c.first]
        glued_after = self.doc[c.first].whitespace_ == "" and c.first + 1 < self.n
        if folded in {"wo", "ca", "do", "does", "did", "is", "was"} and glued_after:
            return self.folded[c.first + 1] in {"nt", "n't", "n’t"}
        glued_before = c.first > 0 and self.doc[c.first - 1].whitespace_ == ""
        return folded in {"ve", "ll", "re", "m", "d"} and glued_before and self.folded[c.first - 1].isalpha()

    def looks_like_a_thing_or_place(self, c: Candidate) -> bool:
        """For the weaker rules: "the Omnipod", "staying in King's Lynn", "transferred to Alder Hey"."""
        after = c.last + 1
        possessive = after < self.n and self.doc[after].text in {"'s", "’s"}
        if possessive and (after + 1 >= self.n or not CAPITALISED.match(self.doc[after + 1].text)):
            return False  # "at Ayesha's house", but "in King's Lynn"
        if c.first > 0 and self.folded[c.first - 1] in THING_DETERMINERS:
            return True  # "the Omnipod", "No Vernacare available", "using Hoverjack"
        if c.first == c.last and self.thing_given(c.last):
            return True  # "Microgynon given.", "+ Yasmin given at 10:00"
        if self.beside_a_place(c):
            return True  # "between James Cook and the ward", "Musgrove Park + ward"
        k = c.first - 1
        while (
            k >= 0
            and not self.doc[k].is_space
            and self.doc[k].text not in SENTENCE_END
            and (
                self.doc[k].whitespace_ == ""
                or self.doc[k].text in {"'s", "’s"}
                or CAPITALISED.match(self.doc[k].text)
            )
        ):
            k -= 1  # back over the rest of a compound place name ("Stratford-upon-", "King's"), not
            # over the end of a sentence ("moved to Resus.\nDaniela and Purna were")
        if k < 0:
            return False
        before, earlier = self.folded[k], self.folded[k - 1] if k > 0 else ""
        if before == "at" and c.first == c.last and self.aimed_at(k):
            return False  # "swore at tina and bernadette": who, not where
        if (
            before in {"in", "at"}
            and c.first == c.last
            and c.last + 1 < self.n
            and self.doc[c.last + 1].tag_ == "VBD"
            and (self.folded[c.last + 1] in HUMAN_VERBS or self.folded[c.last + 1] in {"stayed", "came"})
        ):
            return False  # "cant get in neil stayed on": a clause without punctuation, its subject
        if before in {"in", "at", "near"} and self.given_and_rare_surname(c):
            return False  # "recognised sepsis early in Charlie Barraclough": a person, not a town
        if before in {"in", "at", "near"} or (
            before == "the" and earlier in {"to", "at", "in", "from", "into", "near"}
        ):
            return True
        if before not in {"to", "into", "from"}:
            return False
        if c.first == c.last and self.colleague_at_a_team(c.last):
            return False  # "returned to Helen on Ward 30", "sent to mark in poct": where a person is
        if c.first == c.last and self.role_follows(c.last):
            return False  # "went to jill the bed manager who": a place holds no role
        # "transferred to Leeds", "transferred from Airedale to Pinderfields": a motion verb earlier in
        # the same clause (at most five words back, no punctuation between)
        for back in range(k - 1, max(-1, k - 6), -1):
            if self.folded[back] in MOTION_WORDS:
                return True
            if self.doc[back].is_punct or self.title_at(back):
                return False
        return False

    def given_and_rare_surname(self, c: Candidate) -> bool:
        """Two capitalised words, a common given name (no month or day) and a listed surname English
        seldom writes, with no capitalised word after them: after "in" or "at", a person ("early in
        Charlie Barraclough"). Places named so are few, and end in a common word ("Stanley Park",
        "Barnard Castle") or one on no surname list ("Milton Keynes"). (After a motion verb and "to" or
        "from" the place reading stays: "transferred from John Radcliffe".)"""
        if c.last != c.first + 1:
            return False
        if not self.title_case_pair(c.first, c.last) or self.folded[c.first] in CALENDAR_WORDS:
            return False
        if not self.doc[c.last].text.isalpha():
            return False
        given_rank = self.knowledge.lexicon.given_rank(self.folded[c.first])
        surname_rank = self.knowledge.lexicon.surname_rank(self.folded[c.last])
        if given_rank is None or given_rank > SLOT_GIVEN_RANK:
            return False
        if surname_rank is None or surname_rank > RARE_SURNAME_RANK:
            return False
        if self.knowledge.zipf(self.folded[c.last]) >= RARE_SURNAME_ZIPF:
            return False
        after = c.last + 1
        return after >= self.n or not CAPITALISED.match(self.doc[after].text)

    def aimed_at(self, at: int) -> bool:
        """Whether the "at" at token ``at`` follows a verb of something said or done at someone, in the
        same clause and at most three words back ("swore at", "shouting at", "lashed out at", "threw a
        cup at"). Not "at the", which the caller reads as a place already."""
        for back in range(at - 1, max(-1, at - 5), -1):
            if self.folded[back] in AIMED_AT_VERBS:
                return True
            if self.doc[back].is_punct or self.folded[back] in {"and", "then", "but", "so"}:
                return False
        return False

    def colleague_at_a_team(self, i: int) -> bool:
        """A common given name followed by "in" or "on" and a team, shift or numbered ward: a colleague
        where they work ("Helen on Ward 30", "mark in poct"), not a town or hospital."""
        rank = self.knowledge.lexicon.given.get(self.folded[i])
        return (
            rank is not None
            and rank <= SLOT_GIVEN_RANK
            and i + 1 < self.n
            and self.folded[i + 1] in {"in", "on"}
            and self.at_a_team(i + 1)
        )

    def role_follows(self, i: int) -> bool:
        """A common given name followed by "the" and a role ("jill the bed manager")."""
        rank = self.knowledge.lexicon.given.get(self.folded[i])
        return (
            rank is not None
            and rank <= SLOT_GIVEN_RANK
            and i + 2 < self.n
            and self.folded[i + 1] == "the"
            and bool(self.title_at(i + 2) or self.folded[i + 2] in ROLE_SHORT_FORMS)
        )

    def thing_given(self, last: int) -> bool:
        """Straight before "given", "administered", "prescribed" with nothing after it that could be
        what was given: the word is the thing given ("Microgynon given.", "Yasmin given at 10:50"), not
        a person given something ("Ann given paracetamol")."""
        k = last + 1
        if k >= self.n or self.folded[k] not in {"given", "administered", "prescribed", "dispensed"}:
            return False
        after = self.doc[k + 1] if k + 1 < self.n else None
        return after is None or after.is_punct or after.like_num or self.folded[k + 1] in _AFTER_A_THING_GIVEN

    def beside_a_place(self, c: Candidate) -> bool:
        """Joined by "and", "+" or "&" to a place of care: "between James Cook and the ward"."""
        k = c.last + 1
        while k < self.n and k - c.last <= 2 and CAPITALISED.match(self.doc[k].text):
            k += 1  # the rest of the place's name: "Northwick Park + ward"
        if k < self.n and self.doc[k].text in {"'s", "’s"}:
            return False
        if k >= self.n or self.folded[k] not in {"and", "+", "&", "or"}:
            return False
        k += 1
        if k < self.n and self.folded[k] in {"the", "our", "their"}:
            k += 1
        if k >= self.n or self.folded[k] not in PLACES_OF_CARE:
            return False
        # "and the ward was poor", not "and the ward manager agreed"
        return k + 1 >= self.n or not self.doc[k + 1].tag_.startswith(("NN", "JJ"))

    def after_titles(self) -> Iterator[Candidate]:
        """Names after titles: "Dr Adeyemi", "Staff Nurse Ana Lima", "Consultant Anaesthetist Dr Roy"."""
        i = 0
        while i < self.n:
            if not self.title_at(i):
                i += 1
                continue
            chain: list[tuple[int, int]] = []  # (start, length) of each title in "Consultant Anaesthetist Dr"
            j = i
            while j < self.n and (self.title_at(j) or self.abbreviation_dot(j)):
                if step := self.title_at(j):
                    chain.append((j, step))
                j += step or 1
            if (
                j + 1 < self.n
                and self.doc[j].text == ","
                and self.title_at(j - 1)
                and self.doc[j + 1].text[:1].isupper()
            ):
                j += 1  # "the ward manager, Amelia Walker, will ..."
            candidate = self.name_after_title(chain, j)
            if candidate is None and len(chain) > 1 and chain[-1][1] == 1:
                # "Mr Porter", "Staff Nurse Lord": the last "title" was the surname
                candidate = self.name_after_title(chain[:-1], chain[-1][0], title_word_ok=True)
            if candidate is not None:
                yield candidate
            i = max(j, i + 1)

    def name_after_title(
        self, chain: list[tuple[int, int]], j: int, *, title_word_ok: bool = False
    ) -> Candidate | None:
        start, length = chain[-1]
        title = " ".join(self.folded[start : start + length])
        written_as_title = self.doc[start].text.istitle() and not self.sentence_start(start)
        sure = title in HONORIFICS or written_as_title or self.lowercase_document
        last = self.take_name(
            j,
            lower_tags=AFTER_HONORIFIC if sure else PROPER_ONLY,
            titled=title in STRONG_TITLES or written_as_title,
            title_word_ok=title_word_ok or len(chain) == 1,
        )
        if last is None and title in _PERSONAL_HONORIFICS and self.grammar_word_surname(j):
            last = j  # "MR HE IN THE NEXT BED", "Dr So came": after "Mr" a pronoun is a surname
        if last is None and title in _PERSONAL_HONORIFICS and self.word_surname_after_honorific(start, j):
            last = j  # "escalated to Mr. LITTLE.", "to mrs morning.": after "Mr" a listed surname
        if (
            last is None
            and title not in _PERSONAL_HONORIFICS
            and self.word_surname_after_role(start + length, j)
        ):
            last = j  # "bank nurse berry escalated", "sister tower aware"
        if last is None and self.given_name_after_a_title(j):
            last = j  # "district nurse rose checked", "CONSULTANT WILL INFORMED"
        if last is None:
            return None
        return Candidate(j, last, 0.95 if title in STRONG_TITLES else 0.9, "title")

    def word_surname_after_honorific(self, start: int, j: int) -> bool:
        """A listed surname that is also a word, straight after "Mr", "Mrs", "Ms", "Miss" or "Dr", in
        any case ("Mr. LITTLE", "mrs morning", "DR. FORESTER"): English puts a name after a personal
        honorific, so the word's everyday sense (a shouted word, a time of day) does not count. Not a
        verb or a grammar word ("Dr reviewed", "Mr and Mrs"), not across a line; "miss" and "dr" only
        as written titles (not "did not miss doses", "the dr informed")."""
        if j >= self.n or "\n" in self.doc[j - 1].whitespace_ or not self.doc[j - 1].whitespace_:
            return False
        if j - 1 > start and self.doc[j - 1].text != ".":
            return False  # something between the title and the word
        token = self.doc[j]
        folded = self.folded[j]
        if not token.text.isalpha() or len(token.text) < 2 or folded in CLOSED_CLASS or self.title_at(j):
            return False
        if (
            self.folded[start] in {"miss", "dr"}
            and self.doc[start].text.islower()
            and not self.lowercase_document
        ):
            return False
        if token.tag_ in _NOT_A_SURNAME_AFTER_HONORIFIC or _verb_shaped(folded):
            return False
        if folded in RELATION_WORDS or self.knowledge.is_drug(token.text):
            return False
        rank = self.knowledge.lexicon.surname_rank(folded)
        return rank is not None and rank <= _TITLED_WORD_SURNAME_RANK and self.knowledge.zipf(folded) < 6.0

    def word_surname_after_role(self, after_title: int, j: int) -> bool:
        """Straight after a role ("nurse", "sister", "matron"), a listed surname that is also a word,
        in the role's case, when what follows is what a person does or is told: a person's verb, "aware",
        "informed", or the clause's end ("bank nurse berry escalated", "sister tower aware", "nurse
        bedford."). Not a common word (Zipf < ``ROLE_WORD_SURNAME_ZIPF``: "nurse station", "nurse led"
        stay), a verb or vocabulary; "Matron aware" stays (the state straight after the role)."""
        if j != after_title or j >= self.n or "\n" in self.doc[j - 1].whitespace_:
            return False
        token = self.doc[j]
        text = token.text
        if not text.isalpha() or len(text) < 3 or self.folded[j] in CLOSED_CLASS or self.is_vocabulary(j):
            return False
        if text.islower() != self.doc[j - 1].text.islower() or self.title_at(j):
            return False
        if token.tag_ in _NOT_A_SURNAME_AFTER_HONORIFIC or _verb_shaped(self.folded[j]):
            return False
        rank = self.knowledge.lexicon.surname_rank(self.folded[j])
        if rank is None or self.knowledge.zipf(self.folded[j]) >= ROLE_WORD_SURNAME_ZIPF:
            return False
        after = self.folded[j + 1] if j + 1 < self.n else ""
        return (
            after in {"", ".", ",", ";", "aware", "informed", "notified"}
            or after in PERSON_VERBS
            or after in HUMAN_VERBS
            or "\n" in token.whitespace_
        )

    def grammar_word_surname(self, j: int) -> bool:
        """A grammar word that is also a common surname ("He", "So", "An", "Do"), straight after "Mr",
        "Mrs", "Ms", "Miss" or "Dr": English puts no pronoun or article there, so it is the surname."""
        if j >= self.n or self.folded[j] not in CLOSED_CLASS or self.folded[j] in _NEVER_AFTER_AN_HONORIFIC:
            return False
        if not self.doc[j].text.isalpha() or "\n" in self.doc[j - 1].whitespace_:
            return False
        rank = self.knowledge.lexicon.surname_rank(self.folded[j])
        return rank is not None and rank <= _GRAMMAR_SURNAME_RANK

    def before_cues(self) -> Iterator[Candidate]:
        """A name written before what it is: "Ade Bello (HCA)", "j smith, staff nurse,", "mr x dob ..."."""
        for i in range(1, self.n):
            word = self.folded[i]
            # "Ade Bello (HCA)", "Dawn, the HCA, found ...", "Ivy Cross, the patient's daughter, ..."
            role = i + 2 if i + 2 < self.n and word == "," and self.folded[i + 1] in {"the", "our"} else i + 1
            if word in {"(", ","} and role < self.n and self.title_at(role):
                after = role + self.title_at(role)
                if role > i + 1 and (after >= self.n or self.doc[after].text != ","):
                    continue  # "..., the HCA, ...": the role between commas
                if word == "(" and (after >= self.n or self.doc[after].text != ")"):
                    continue
                if after < self.n and self.folded[after] in PLACES_OF_CARE | {"surgery", "practice"}:
                    continue  # "in Newry, GP surgery on High Street": a place of care, not a role
            elif word not in {"dob", "d.o.b", "aged", "born"}:
                continue
            last = first = i - 1
            while (
                first >= 0
                and last - first < 3
                and self.name_token(first, allow_lower=True)
                and not (CAPITALISED.match(self.doc[first].text) and self.everyday_dictionary_word(first))
            ):
                first -= 1
            first += 1
            if first <= last and not self.title_at(first):
                lowercase = self.doc[first].text.islower()
                yield Candidate(first, last, 0.75 if lowercase else 0.9, "role-after")

    def after_cues(self) -> Iterator[Candidate]:
        """Names after relations and naming words: "her daughter Ayesha", "a patient called Bola"."""
        for i in range(self.n):
            word = self.folded[i]
            naming = False
            # "next of kin rosemary aware": only a listed given name follows "kin" (not "kin informed")
            kin = word == "kin" and i > 0 and self.folded[i - 1] == "of"
            if word in RELATION_WORDS or kin:
                j = i + 1
                if j < self.n and self.doc[j].text in {",", "(", ":", "-"}:
                    j += 1
                if j + 1 < self.n and self.folded[j] == "nok" and self.doc[j + 1].text in {")", ","}:
                    j += 2  # "son (nok) abraham"
                elif j < self.n and self.folded[j] == "nok":
                    j += 1  # "sister NOK Amelia"
            elif (
                word in NAMING_WORDS
                or (i > 0 and (self.folded[i - 1], word) in NAMING_PAIRS)
                or self.nickname_cue(i)
            ):
                j, naming = i + 1, True
            else:
                continue
            if j < self.n and self.folded[j] in NAMING_WORDS:
                j, naming = j + 1, True
            if j >= self.n or self.title_at(j):
                continue  # "her husband Mr Lee": the title rule takes it
            if (
                not naming
                and CAPITALISED.match(self.doc[j].text)
                and self.everyday_dictionary_word(j)
                and (word in PATIENT_WORDS or not self.capitalised_given_after_relation(j))
            ):
                continue  # "with a sick patient Statement LAYLA BARAKAT": a heading, not a name
            if naming:
                lower_tags = AFTER_HONORIFIC
            else:
                lower_tags = PROPER_ONLY if word in PATIENT_WORDS else AFTER_RELATION
            # after "known to everyone as", "aka", "nicknamed" anything name-shaped is a name, even a
            # word ("Smudge", "SMUDGE", "Lol")
            nickname = naming and word not in NAMING_WORDS
            last = (
                self.take_name(j, lower_tags=lower_tags, titled=nickname)
                if not kin or self.knowledge.common_given_name(self.doc[j].text)
                else None
            )
            if last is None and nickname and self.nickname_token(j):
                last = j  # "KNOWN TO EVERYONE AS SMUDGE"
            if last is None and not naming and word not in PATIENT_WORDS and self.given_after_relation(j):
                last = j  # "her mum hyacinth contact number": a listed given name, whatever its tag
            if last is None and (kin or self.folded[j - 1] == "nok") and self.given_name_after_a_title(j):
                last = j  # "NOK WILL AWARE", "nok rose had to translate": next of kin names a person
            if (
                last is None
                and not naming
                and UPPER.match(self.doc[j].text)
                and not self.uppercase_document
                and word not in PATIENT_WORDS
                and self.knowledge.common_given_name(self.doc[j].text)
                and self.knowledge.name_not_verb(self.doc[j].text)
            ):
                last = j  # "partner JACK posted": a listed name in capitals after a relation word
            if (
                last is None
                and not naming
                and self.uppercase_document
                and word in PATIENT_WORDS
                and self.given_name_after_a_patient_word(j)
            ):
                last = j  # "RESIDENT VIOLET AT SUNNYSIDE", "PRISONER LEWIS NOT GIVEN": who the patient is
            if last is not None:
                lowercase = self.doc[j].text.islower()
                yield Candidate(j, last, 0.75 if lowercase else 0.9, "naming" if naming else "relation")

    def given_name_after_a_patient_word(self, j: int) -> bool:
        """In text written in capitals, after "PATIENT", "RESIDENT", "PRISONER" ...: a common given name
        English writes less than ``PATIENT_GIVEN_ZIPF`` ("VIOLET" 3.8, "LEWIS" 4.5), no modal, day or
        month, verb-shaped word, vocabulary or drug ("PATIENT WILL", "PATIENT MAY", "PATIENT TRANSPORT",
        "PATIENT FOUND"). Capitals take away the hint that mixed-case text gives ("Resident Violet")."""
        text = self.doc[j].text
        folded = self.folded[j]
        return (
            text.isalpha()
            and len(text) > 2
            and not self.doc[j].is_stop
            and folded not in MODALS
            and folded not in CALENDAR_WORDS
            and self.knowledge.common_given_name(text)
            and self.knowledge.zipf(folded) < PATIENT_GIVEN_ZIPF
            and self.knowledge.name_not_verb(text)
            and not self.is_vocabulary(j)
            and not self.knowledge.is_drug(text)
            and not self.knowledge.typo(text)
        )

    def given_after_relation(self, j: int) -> bool:
        """After "her mum", "nephew (nok)": a given name among some country's 1,000 commonest that
        English seldom uses (Zipf < 4.0), in any case and whatever the tagger calls it."""
        text = self.doc[j].text
        if self.capitalised_given_after_relation(j):
            return True
        return (
            text.isalpha()
            and len(text) > 1
            and not self.doc[j].is_stop
            and not self.is_vocabulary(j)
            and self.knowledge.common_given_name(text)
            and (
                self.knowledge.zipf(self.folded[j]) < RELATION_GIVEN_ZIPF
                # "her dad mark king": a commoner word when a surname follows it
                or (
                    self.knowledge.zipf(self.folded[j]) < SUBJECT_SLOT_ZIPF
                    and self.word_surname_after_given(j + 1)
                )
            )
            and not self.knowledge.typo(text)
        )

    def capitalised_given_after_relation(self, j: int) -> bool:
        """After "his son", "pt's spouse", in mixed-case prose: a word the writer capitalised that the
        given-name lists know at any rank, even when English uses it as a word or it names a day
        ("his son Sunday aware", "spouse Earnest aware"); not a date ("her son Sunday 14th")."""
        text = self.doc[j].text
        if self.uppercase_document or self.lowercase_document or not CAPITALISED.match(text):
            return False
        if not text.isalpha() or len(text) < 3 or self.sentence_start(j):
            return False
        rank = self.knowledge.lexicon.given_rank(self.folded[j])
        if rank is None or self.knowledge.zipf(self.folded[j]) >= SUBJECT_SLOT_ZIPF:
            return False
        if self.is_vocabulary(j) and not self.calendar_name(j, rank):
            return False
        return not self.knowledge.is_drug(text) and not self.knowledge.typo(text)

    def nickname_token(self, j: int) -> bool:
        token = self.doc[j]
        return (
            token.is_alpha
            and 1 < len(token.text) <= MAX_NAME_TOKEN
            and not token.is_stop
            and self.folded[j] not in CLOSED_CLASS
            and not self.is_vocabulary(j)
        )

    def nickname_cue(self, i: int) -> bool:
        """ "aka", "nicknamed", or the "as" of "known to everyone as", "known on the ward as"."""
        word = self.folded[i]
        if word in NICKNAME_WORDS:
            return True
        if word != "as":
            return False
        k = i - 1
        while (
            k >= 0
            and i - k <= 4
            and (
                self.folded[k] in NICKNAME_FILLERS
                or self.knowledge.misspelt(self.doc[k].text, NICKNAME_FILLERS)
            )
        ):
            k -= 1  # "known to everoyne as": the cue survives a slip of the keyboard
        return k >= 0 and i - k <= 5 and self.folded[k] == "known"

    def title_case_pair(self, i: int, j: int) -> bool:
        """Tokens ``i`` and ``j`` are both written with a capital and then small letters."""
        return all(CAPITALISED.match(self.doc[k].text) and not self.doc[k].text.isupper() for k in (i, j))

    def calendar_given_name_before(self, k: int, first: int) -> bool:
        """In spaCy's PERSON entity, a capitalised month that is a given name ("June", "April", "May")
        just before the capitalised name at ``k`` is her given name, unless a number or a word a date
        follows stands on either side ("in May Smith's notes" is read as a date and left)."""
        g = k - 1
        if g < first or self.folded[g] not in CALENDAR_WORDS or not self.title_case_pair(g, k):
            return False
        if self.knowledge.lexicon.given_rank(self.folded[g]) is None:
            return False
        if g > 0 and (self.doc[g - 1].like_num or self.folded[g - 1] in _BEFORE_A_DATE):
            return False
        return k + 1 >= self.n or not self.doc[k + 1].like_num

    def from_entities(self) -> Iterator[Candidate]:
        """spaCy's PERSON entities, without the titles, possessives and vocabulary around them."""
        for ent in self.doc.ents:
            if ent.label_ != "PERSON":
                continue
            first, last = ent.start, ent.end - 1
            for k in range(first, last):
                # a name does not run over a line break ("Fotini K\nStatement"), a list's "+" or "and"
                # ("Jaspal Dhillon + Yasmin given") or a verb that is no name ("mr ali speaks lingala")
                following = self.doc[k + 1]
                if (
                    "\n" in self.doc[k].whitespace_
                    or self.folded[k + 1] in {"+", "&", "and"}
                    or "\n" in following.text
                    or (
                        LOWER.match(following.text)
                        and following.tag_.startswith(("VB", "RB", "IN"))
                        and self.english.contains(following.text)
                        and not self.knowledge.is_name(following.text)
                    )
                ):
                    last = k
                    break
            while first <= last and (self.title_at(first) or self.doc[first].text in {".", "("}):
                first += self.title_at(first) or 1
            while last >= first and (
                self.doc[last].text in {"'s", "’s", "'", "’", ".", ","} or self.is_vocabulary(last)
            ):
                last -= 1
            names = [
                k for k in range(first, last + 1) if self.name_token(k, allow_lower=True, allow_upper=False)
            ]
            if not names:
                continue
            if len(names) == 1 and self.calendar_given_name_before(names[0], first):
                names.insert(0, names[0] - 1)  # "Thank you to June Hollings": the month is her name
            if all(
                self.doc[k].text.islower() and self.english.contains(self.doc[k].text) for k in names
            ) and not (len(names) == 1 and self.lower_given_name_acting(names[0])):
                continue  # "the nurse looked" mis-tagged as a name
            if len(names) == 1 and self.common_word_heading_a_phrase(names[0]):
                continue
            if len(names) == 1 and self.ner_word(names[0]):
                continue  # "Sputum was green": an English word on no name list
            if len(names) == 1 and self.knowledge.typo(self.doc[names[0]].text):
                continue  # "Pelase see notes", "Insuiln": a slip of the keyboard, not a name
            yield Candidate(names[0], names[-1], 0.85, "ner")

    def lower_given_name_acting(self, i: int) -> bool:
        """A lower-case word the model calls a person that is also a common given name (rank ≤
        ``LOWER_NER_GIVEN_RANK``, Zipf < ``LOWER_NER_GIVEN_ZIPF``: "anna" 4.4, "paige" 3.5), opening a
        clause before a past tense: "pls check dob. anna put alert stickers on". Three signs agree: the
        model, the name lists and a subject's place. Not after a determiner, a modal, a month or day,
        vocabulary, or a word the tagger reads as a verb ("temp rose")."""
        folded = self.folded[i]
        rank = self.knowledge.lexicon.given_rank(folded)
        if rank is None or rank > LOWER_NER_GIVEN_RANK or i + 1 >= self.n:
            return False
        if self.doc[i + 1].tag_ != "VBD" or self.doc[i].tag_.startswith("VB"):
            return False
        return (
            self.knowledge.zipf(folded) < LOWER_NER_GIVEN_ZIPF
            and folded not in MODALS
            and folded not in CALENDAR_WORDS
            and self.opens_clause(i)
            and self._word_before(i) not in THING_DETERMINERS
            and not self.is_vocabulary(i)
        )

    def ner_word(self, i: int) -> bool:
        """A lone token the model calls a person that is an English word no name list knows and that
        English text uses ("Sputum", "Urine"); a word English hardly writes may still be a nickname."""
        text = self.doc[i].text
        return (
            self.english.contains(text)
            and not self.knowledge.is_name(text)
            and self.knowledge.zipf(self.folded[i]) >= NER_WORD_ZIPF
            and not self.agent_slot(i)  # "Thanks to Buzz who noticed": a nickname in a person's place
            and self.subject_slot(i) not in HUMAN_VERBS
        )

    def common_word_heading_a_phrase(self, i: int) -> bool:
        """ "Falls care plan updated", "Learning shared": a capitalised dictionary word opening a sentence
        and followed by a common noun, or shaped like an abstract noun, is not a name."""
        if not self.sentence_start(i) or not self.english.contains(self.doc[i].text):
            return False
        following = self.doc[i + 1].tag_ if i + 1 < self.n else ""
        return following in {"NN", "NNS"} or bool(ABSTRACT_NOUN.search(self.doc[i].text))

    def proper_nouns(self) -> Iterator[Candidate]:
        """Capitalised proper nouns that are not dictionary words; mid-sentence, dictionary words too.

        A capital letter in mid-sentence is a strong hint in an incident narrative, where the other
        capitalised words (wards, drugs, eponyms, job titles, months) are clinical vocabulary that the
        allow-list knows. Lower-case tokens tagged as proper nouns that are no dictionary word count too
        ("spoke to oluwaseun").
        """
        in_titles = {k for i in range(self.n) for k in range(i, i + self._titles[i])}
        for i, token in enumerate(self.doc):
            text = self.texts[i]
            if (
                not text[:1].isalpha()
                or not 1 < len(text) <= MAX_NAME_TOKEN
                or (self.folded[i] in NOT_NAME_PARTS and i + 1 < self.n and self.doc[i + 1].text == "-")
                or i in in_titles
                or self.is_vocabulary(i)
                or token.is_stop
            ):
                continue
            known = self.english.contains(text)
            if CAPITALISED.match(text):
                at_start = self.sentence_start(i)
                if not known and token.tag_ in {"NNP", "NNPS", "NN", "FW"} and self.not_a_place(i):
                    if not self.knowledge.everyday_word(
                        text, line_start=at_start
                    ) and not self.knowledge.typo(text):  # "Inbox", "Mderate"
                        yield Candidate(i, i, 0.7, "shape")
                elif (
                    known
                    and token.tag_ in PROPER_ONLY
                    and token.ent_type_ not in NON_PERSON_ENTITIES
                    and not self.in_capitalised_phrase(i)
                    and not self.knowledge.everyday_word(text)  # "Learning shared", "Communication"
                    and (not at_start or (self.subject_of_verb(i) and self.knowledge.known_given_name(text)))
                ):
                    yield Candidate(i, i, 0.6, "shape")  # "Dawn has ...", not "Crew arrived"
                elif known and self.capitalised_given_name(i):
                    yield Candidate(i, i, 0.6, "shape")  # "checked with Hope and", "spoke to Will"
            elif (
                LOWER.match(text)
                and not known
                and len(text) > 2
                and not self.knowledge.typo(text)
                and not self.knowledge.derived_word(text)  # "relabelled", "unwitnessed"
                and (  # "inbox:", but "o'neill"
                    not text.isalpha()
                    or not self.knowledge.everyday_word(text, line_start=self.sentence_start(i))
                )
                and (token.tag_ == "NNP" or (self.lowercase_document and token.tag_ not in CLOSED_TAGS))
            ):
                yield Candidate(i, i, 0.6, "shape")

    def capitalised_given_name(self, i: int) -> bool:
        """A common given name capitalised in the middle of a sentence of mixed-case prose ("checked
        with Hope and", "asked Will"): the writer marks a name where an English word would be lower
        case. Not in a run of capitalised words ("Hope Ward", "Safety Huddle"), not after a
        determiner ("the Grace period"), not a place, date or drug."""
        if self.uppercase_document or self.lowercase_document or self.sentence_start(i):
            return False
        before = self.doc[i - 1].text if i > 0 else ""
        if not (before.islower() or (not before.isalnum() and before not in {"'s", "’s"})):
            return False
        if i + 1 < self.n and self.doc[i + 1].text.islower() and self.doc[i + 1].tag_ in _NOUN_PHRASE_TAGS:
            return False  # "Low harm", "Grace period": a word heading its noun phrase
        # straight before a person's verb, rarer given names too, and whatever entity the model saw
        # ("for 40 mins Marigold was": the model reads a time)
        before_verb = i + 1 < self.n and self.folded[i + 1] in PERSON_VERBS
        listed = self.knowledge.common_given_name(self.doc[i].text) or (
            before_verb and self.knowledge.known_given_name(self.doc[i].text)
        )
        return (
            self.folded[i - 1] not in THING_DETERMINERS
            and listed
            and (before_verb or self.doc[i].ent_type_ not in NON_PERSON_ENTITIES)
            and not self.in_capitalised_phrase(i)
            and not self.knowledge.is_drug(self.doc[i].text)
        )

    def subject_of_verb(self, i: int) -> bool:
        """A proper noun opening a sentence straight before its verb: "Dawn has ...", "Faith told ...".

        Words shaped like abstract nouns ("Observations were", "Learning has") are not names.
        """
        if ABSTRACT_NOUN.search(self.doc[i].text):
            return False
        return i + 1 < self.n and self.doc[i + 1].tag_ in {"VBD", "VBZ", "MD"}

    def not_a_place(self, i: int) -> bool:
        """spaCy calls unfamiliar names places; a place is usually after "to", "in", "at" or a comma."""
        if self.doc[i].ent_type_ not in {"GPE", "LOC", "FAC"}:
            return True
        # "with Kateryna", "by Kadian": people; "to Leeds", "in Kateryna"...: places
        return i == 0 or (self.folded[i - 1] not in PLACE_PREPOSITIONS and self.doc[i - 1].text != ",")

    def in_capitalised_phrase(self, i: int) -> bool:
        """Capitalised dictionary words together: "Critical Care", "Discharge Lounge"."""
        return any(
            0 <= k < self.n
            and CAPITALISED.match(self.doc[k].text)
            and (self.is_vocabulary(k) or self.english.contains(self.doc[k].text))
            for k in (i - 1, i + 1)
        )

    # Tidying -------------------------------------------------------------------------------------------
    @staticmethod
    def merge(candidates: list[Candidate]) -> list[Candidate]:
        merged: list[Candidate] = []
        for c in sorted(candidates, key=lambda c: (c.first, -c.last)):
            if merged and c.first <= merged[-1].last:
                top = merged[-1]
                best = top if top.score >= c.score else c
                merged[-1] = Candidate(top.first, max(top.last, c.last), best.score, best.rule)
            else:
                merged.append(c)
        return merged
