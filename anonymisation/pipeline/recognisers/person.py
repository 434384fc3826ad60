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
from dataclasses import dataclass

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc, Token

from ..allow_list import HONORIFICS, JOB_TITLES, fold, is_vocabulary_word
from ..vocabulary import EnglishWords

# Titles that are always followed by a name (when anything follows); other roles often are not.
STRONG_TITLES = (
    HONORIFICS
    | {"sn", "hca"}
    | {t for t in JOB_TITLES if t.split()[-1] in {"nurse", "sister", "matron", "midwife"} and " in " not in t}
)
TITLES = STRONG_TITLES | JOB_TITLES
RELATION_WORDS = frozenset(
    """
    husband wife partner spouse son daughter mother mum mom mummy father dad daddy brother sister sibling
    grandson granddaughter grandmother grandfather grandma grandad granddad nan nana gran niece nephew
    cousin aunt auntie aunty uncle friend neighbour neighbor carer fiance fiancee boyfriend girlfriend
    stepson stepdaughter stepmother stepfather godmother godfather baby child relative nok colleague
    patient pt resident client visitor inmate student
    """.split()
)
NAMING_WORDS = frozenset({"called", "named"})
NAMING_PAIRS = frozenset({("known", "as"), ("name", "is"), ("name", "was"), ("name", ":"), ("goes", "by")})
# Words a name can never be, even capitalised at the start of a sentence.
CLOSED_CLASS = frozenset(
    """
    a an the this that these those he she it they we i you his her hers its their theirs our my your him them us
    me and or but nor if then than so as at by for from in into of off on onto out over per to up upon via with
    within without after before during about above against along among around behind below beside between
    beyond through under until while was were is are be been being am has have had do does did done not no
    yes also there here when where who whom whose which what why how all any both each either neither every
    some such too very can could should would shall must might ought please thanks thank ok okay mg ml
    """.split()
)
PARTICLES = frozenset(
    "de da das dos do del della di du la le van von der den ter ten bin binti ibn al el ap abu".split()
)
# Tags that rule a lower-case token out of a name; verbs and adverbs only when it is a dictionary word
# (the tagger calls unfamiliar lower-case words almost anything).
CLOSED_TAGS = frozenset("MD IN DT PDT PRP PRP$ CC CD TO WDT WP WP$ WRB EX RP UH SYM LS POS".split())
WORD_TAGS = frozenset("VB VBD VBG VBN VBP VBZ RB RBR RBS".split())
# Which tags make a lower-case *dictionary* word acceptable as a name, by how sure the context is.
AFTER_HONORIFIC = frozenset("NN NNS NNP NNPS JJ JJR JJS FW".split())  # "mrs price", "dr brown"
AFTER_RELATION = frozenset({"NN", "NNP", "NNPS", "FW"})  # "his partner anna", not "her son present"
PROPER_ONLY = frozenset({"NNP", "NNPS"})
# "transferred to", "moved to", "staying in": what follows is a place, not a person.
MOTION_WORDS = frozenset(
    """
    transferred transfer moved move admitted taken take sent send discharged discharge returned return travelled
    traveled went gone go going come came coming flown flew driven drove conveyed relocated repatriated diverted
    referred brought bring arrived
    """.split()
)
DETERMINERS = frozenset("a an the his its their our my your another".split())
PATIENT_WORDS = frozenset({"patient", "pt", "resident", "client", "student", "visitor", "inmate"})
TITLE_WORDS = frozenset(t for t in TITLES if " " not in t)
_CAPITALISED = regex.compile(r"^\p{Lu}[\p{Ll}'’]*(?:\p{Lu}[\p{Ll}'’]+)*\.?$")
_UPPER = regex.compile(r"^\p{Lu}{2,}$")
_LOWER = regex.compile(r"^\p{Ll}[\p{Ll}'’]+$")
_INITIAL = regex.compile(r"^\p{Lu}\.?$")
_ABSTRACT_NOUN = regex.compile(r"(?:ing|ings|tions?|sions?|ments?|ness|ity|ities|ance|ence|ism|ists?)$")
_SENTENCE_END = frozenset(".!?:;\n•*")
_NON_PERSON_ENTITIES = frozenset(
    {"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL"}
)


@dataclass(slots=True)
class Candidate:
    first: int  # token indices, inclusive
    last: int
    score: float
    rule: str


class PersonRecogniser(LocalRecognizer):
    ENTITY = "PERSON"

    def __init__(self, english: EnglishWords) -> None:
        super().__init__(supported_entities=[self.ENTITY], name="PersonRecogniser", supported_language="en")
        self.english = english

    def load(self) -> None:
        """Nothing to load: the spaCy document comes with the NLP artifacts."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        finder = NameFinder(nlp_artifacts.tokens, self.english)
        return [
            RecognizerResult(
                self.ENTITY,
                finder.doc[c.first].idx,
                finder.doc[c.last].idx + len(finder.doc[c.last]),
                c.score,
                recognition_metadata={"recognizer_name": self.name, "rule": c.rule},
            )
            for c in finder.find()
        ]


class NameFinder:
    def __init__(self, doc: Doc, english: EnglishWords) -> None:
        self.doc = doc
        self.english = english
        self.n = len(doc)
        self.folded = [fold(t.text).rstrip(".") for t in doc]
        self._titles = [self._title_length(i) for i in range(self.n)]
        letters = [t.text[0] for t in doc if t.is_alpha]
        # Notes typed all in lower case lose the capital-letter hints, so context has to do more.
        self.lowercase_document = (
            len(letters) >= 5 and sum(c.isupper() for c in letters) <= len(letters) // 50
        )

    # Token tests ---------------------------------------------------------------------------------------
    def sentence_start(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.doc[j].is_space and "\n" not in self.doc[j].text:
            j -= 1
        return j < 0 or self.doc[j].text[-1] in _SENTENCE_END or "\n" in self.doc[j].text

    def is_vocabulary(self, i: int) -> bool:
        word = self.folded[i]
        return word in CLOSED_CLASS or is_vocabulary_word(word)

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
        if any(c.isdigit() for c in text) or self.folded[i] in CLOSED_CLASS:
            return False
        if self.is_vocabulary(i) and not (titled and (title_word_ok or self.folded[i] not in TITLE_WORDS)):
            return False
        if _CAPITALISED.match(text) and len(text.rstrip(".")) > 1:
            return True
        if allow_upper and _UPPER.match(text):
            return True
        if _INITIAL.match(text):
            return self.name_token(i + 1, allow_lower=False)
        if (
            allow_lower
            and _LOWER.match(text)
            and (titled or not token.is_stop)
            and token.tag_ not in CLOSED_TAGS
        ):
            if not self.english.contains(text):
                return True
            return token.tag_ in lower_tags
        return False

    def title_at(self, i: int) -> int:
        """Length in tokens of a title starting at token ``i`` (0 if none)."""
        return self._titles[i] if i < self.n else 0

    def _title_length(self, i: int) -> int:
        for length in (3, 2, 1):
            if i + length <= self.n and " ".join(self.folded[i : i + length]) in TITLES:
                return length
        return 0

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
        while j < self.n and parts < 4:
            joined = self.doc[j - 1].whitespace_ == "" and self.doc[j].whitespace_ == ""
            if joined and self.doc[j].text in "-‐'’":  # Smith-Jones, al-Hassan
                if not self.name_token(j + 1, allow_lower=True):
                    break
                last, j = j + 1, j + 2
            elif self.folded[j] in PARTICLES and self.name_token(j + 1, allow_lower=False):
                last, j, parts = j + 1, j + 2, parts + 1
            elif self.doc[j - 1].whitespace_ and self.continues_name(j):
                last, j, parts = j, j + 1, parts + 1
            else:
                break
        return last

    def continues_name(self, j: int) -> bool:
        if "\n" in self.doc[j - 1].whitespace_ or self.title_at(j):
            return False
        if _LOWER.match(self.doc[j].text):
            return self.doc[j].tag_ == "NNP" and self.name_token(j, allow_lower=True)
        return self.name_token(j, allow_lower=False)

    # Rules -----------------------------------------------------------------------------------------------
    def find(self) -> list[Candidate]:
        candidates = [
            *self.after_titles(),
            *self.before_cues(),
            *self.after_cues(),
            *self.from_entities(),
            *self.proper_nouns(),
        ]
        merged = self.merge([self.extend(c) for c in candidates])
        return [c for c in merged if c.score >= 0.9 or not self.looks_like_a_thing_or_place(c)]

    def looks_like_a_thing_or_place(self, c: Candidate) -> bool:
        """For the weaker rules: "the Omnipod", "staying in King's Lynn", "transferred to Alder Hey"."""
        after = c.last + 1
        if after < self.n and self.doc[after].text in {"'s", "’s"}:
            if after + 1 >= self.n or not _CAPITALISED.match(self.doc[after + 1].text):
                return False  # "at Ayesha's house", but "in King's Lynn"
        if c.first > 0 and self.folded[c.first - 1] in DETERMINERS:
            return True
        k = c.first - 1
        while k >= 0 and (
            self.doc[k].whitespace_ == ""
            or self.doc[k].text in {"'s", "’s"}
            or _CAPITALISED.match(self.doc[k].text)
        ):
            k -= 1  # back over the rest of a compound place name ("Stratford-upon-", "King's")
        if k < 0:
            return False
        before, earlier = self.folded[k], self.folded[k - 1] if k > 0 else ""
        if before in {"in", "at"} or (
            before == "the" and earlier in {"to", "at", "in", "from", "into", "near"}
        ):
            return True
        return before in {"to", "into", "from"} and earlier in MOTION_WORDS

    def after_titles(self) -> Iterator[Candidate]:
        """ "Dr Adeyemi", "Staff Nurse Ana Lima", "Consultant Anaesthetist Dr Roy", "mrs price"."""
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
        if last is None:
            return None
        return Candidate(j, last, 0.95 if title in STRONG_TITLES else 0.9, "title")

    def before_cues(self) -> Iterator[Candidate]:
        """A name written before what it is: "Ade Bello (HCA)", "j smith, staff nurse,", "mr x dob ..."."""
        for i in range(1, self.n):
            word = self.folded[i]
            if word in {"(", ","} and i + 1 < self.n and self.title_at(i + 1):
                after = i + 1 + self.title_at(i + 1)
                if word == "(" and (after >= self.n or self.doc[after].text != ")"):
                    continue
            elif word not in {"dob", "d.o.b", "aged", "born"}:
                continue
            last = first = i - 1
            while first >= 0 and last - first < 3 and self.name_token(first, allow_lower=True):
                first -= 1
            first += 1
            if first <= last and not self.title_at(first):
                lowercase = self.doc[first].text.islower()
                yield Candidate(first, last, 0.75 if lowercase else 0.9, "role-after")

    def after_cues(self) -> Iterator[Candidate]:
        """ "her daughter Ayesha", "son, Tomasz,", "a patient called Bola", "known as fred"."""
        for i in range(self.n):
            word = self.folded[i]
            naming = False
            if word in RELATION_WORDS:
                j = i + 1
                if j < self.n and self.doc[j].text in {",", "(", ":", "-"}:
                    j += 1
            elif word in NAMING_WORDS or (i > 0 and (self.folded[i - 1], word) in NAMING_PAIRS):
                j, naming = i + 1, True
            else:
                continue
            if j < self.n and self.folded[j] in NAMING_WORDS:
                j, naming = j + 1, True
            if j >= self.n or self.title_at(j):
                continue  # "her husband Mr Lee": the title rule takes it
            if naming:
                lower_tags = AFTER_HONORIFIC
            else:
                lower_tags = PROPER_ONLY if word in PATIENT_WORDS else AFTER_RELATION
            last = self.take_name(j, lower_tags=lower_tags)
            if last is not None:
                lowercase = self.doc[j].text.islower()
                yield Candidate(j, last, 0.75 if lowercase else 0.9, "naming" if naming else "relation")

    def from_entities(self) -> Iterator[Candidate]:
        """spaCy's PERSON entities, without the titles, possessives and vocabulary around them."""
        for ent in self.doc.ents:
            if ent.label_ != "PERSON":
                continue
            first, last = ent.start, ent.end - 1
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
            if all(self.doc[k].text.islower() and self.english.contains(self.doc[k].text) for k in names):
                continue  # "the nurse looked" mis-tagged as a name
            yield Candidate(names[0], names[-1], 0.85, "ner")

    def proper_nouns(self) -> Iterator[Candidate]:
        """Capitalised proper nouns that are not dictionary words; mid-sentence, dictionary words too.

        A capital letter in mid-sentence is a strong hint in an incident narrative, where the other
        capitalised words (wards, drugs, eponyms, job titles, months) are clinical vocabulary that the
        allow-list knows. Lower-case tokens tagged as proper nouns that are no dictionary word count too
        ("spoke to oluwaseun").
        """
        in_titles = {k for i in range(self.n) for k in range(i, i + self.title_at(i))}
        for i in range(self.n):
            token = self.doc[i]
            if len(token.text) < 2 or i in in_titles or self.is_vocabulary(i) or token.is_stop:
                continue
            known = self.english.contains(token.text)
            if _CAPITALISED.match(token.text):
                if not known and token.tag_ in {"NNP", "NNPS", "NN", "FW"} and self.not_a_place(i):
                    yield Candidate(i, i, 0.7, "shape")
                elif (
                    known
                    and token.tag_ in PROPER_ONLY
                    and token.ent_type_ not in _NON_PERSON_ENTITIES
                    and not self.in_capitalised_phrase(i)
                    and (not self.sentence_start(i) or self.subject_of_verb(i))
                ):
                    yield Candidate(i, i, 0.6, "shape")
            elif _LOWER.match(token.text) and not known and len(token.text) > 2:
                if token.tag_ == "NNP" or (self.lowercase_document and token.tag_ not in CLOSED_TAGS):
                    yield Candidate(i, i, 0.6, "shape")

    def subject_of_verb(self, i: int) -> bool:
        """ "Dawn has ...", "Faith told ...": a proper noun opening a sentence, straight before its verb.

        Words shaped like abstract nouns ("Observations were", "Learning has") are not names.
        """
        if _ABSTRACT_NOUN.search(self.doc[i].text):
            return False
        return i + 1 < self.n and self.doc[i + 1].tag_ in {"VBD", "VBZ", "MD"}

    def not_a_place(self, i: int) -> bool:
        """spaCy calls unfamiliar names places; a place is usually after "to", "in", "at" or a comma."""
        if self.doc[i].ent_type_ not in {"GPE", "LOC", "FAC"}:
            return True
        return i == 0 or self.doc[i - 1].tag_ not in {"IN", "TO", ","}

    def in_capitalised_phrase(self, i: int) -> bool:
        """ "Critical Care", "Discharge Lounge", "National Insurance": capitalised dictionary words together."""
        for k in (i - 1, i + 1):
            if 0 <= k < self.n and _CAPITALISED.match(self.doc[k].text):
                if self.is_vocabulary(k) or self.english.contains(self.doc[k].text):
                    return True
        return False

    # Tidying -------------------------------------------------------------------------------------------
    def extend(self, c: Candidate) -> Candidate:
        """Grow a name over neighbouring capitalised tokens that are not dictionary words."""
        first, last = c.first, c.last
        while first > 0 and self.doc[first - 1].whitespace_ and self.adjacent_name(first - 1):
            if self.sentence_start(first):
                break
            first -= 1
        while last + 1 < self.n and self.doc[last].whitespace_ and self.adjacent_name(last + 1):
            last += 1
        return Candidate(first, last, c.score, c.rule)

    def adjacent_name(self, i: int) -> bool:
        if self.title_at(i) or not self.name_token(i, allow_lower=False, allow_upper=False):
            return False
        return self.doc[i].ent_type_ == "PERSON" or not self.english.contains(self.doc[i].text)

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
