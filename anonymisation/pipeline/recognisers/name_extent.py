"""Whole names: how far a detected name reaches (see docs/adr/0012).

Half a name redacted still names the person, so each detection grows over what belongs to the same name:

- neighbouring name tokens in the same style ("Maria holt", "DELA PAZ", "Amber Hall", "jade cook");
- hyphenated parts in any case ("Hyun-woo", "Wing-Kei", "OKONKWO-BELL");
- initials before, inside or after it ("t chinembiri", "lucia r bianchi", "Márton N", "cosmin s");
- particles with what follows them ("donal ní dhomhnaill", "lorelei s de guzman").

``NameFinder`` (``person.py``) inherits this; it provides ``doc``, ``n``, ``folded``, ``english``,
``knowledge`` and the token tests used here.
"""

from __future__ import annotations

from .candidate import Candidate
from .name_knowledge import _verb_shaped
from .person_words import CAPITALISED, CLOSED_CLASS, INITIAL, LOWER, PARTICLES, UPPER

# A hyphenated word starting or ending with these is not one name ("ex-Smith", "Smith-led").
NOT_NAME_PARTS = frozenset(
    {"non", "anti", "ex", "co", "pre", "post", "re", "self", "well", "ill", "half", "step", "in", "law"}
    | {"op", "ops", "day", "one", "two", "three"}
    | {"led", "based", "run", "type", "like", "style", "related"}
)
# After a name, an initial is an article or a pronoun unless a verb or the end of the clause follows it.
_ARTICLE_LETTERS = frozenset("aAiI")
_VIETNAMESE_MIDDLE = frozenset({"van", "thi"})  # folded: Văn, Thị
# After a title, a given name (this rank in some country) then a listed surname (this rank) is one name.
_TITLED_GIVEN_RANK = 3_000
_TITLED_SURNAME_RANK = 3_000
_VERY_COMMON_SURNAME = 300
# After a found given name, a listed surname is the surname up to this Zipf ("early" 5.4, "hand" 5.4).
_WORD_SURNAME_ZIPF = 5.6
# ... and a word the lists know only as a given name, when English seldom writes it ("ginger" 3.9).
_GIVEN_AS_SURNAME_ZIPF = 4.5
# A lower-case given name before a capitalised surname ("maria Holt") unless English uses it this often.
_MIXED_GIVEN_ZIPF = 4.5
_CLAUSE_END_MARKS = frozenset(".,;:()!?\n")
# What follows a name on a wristband, label or chart: "LIANG, Wing on ICE", "barnes, merlene, hosp no".
_RECORD_WORDS = frozenset(
    {"label", "labels", "on", "(", "mrn", "hosp", "hospital", "dob", "d.o.b", "nhs", "unit", "born", "in"}
    | {"rather", "instead", "not", "but", "wristband", "hosp.", "no", "dob:", "mrn:"}
)
# A common given name before "initial surname" joins the name ("jack d cooper").
_INITIAL_GIVEN_RANK = 1_000
# Words that introduce a telephone extension, bleep or location number, never a given name.
_BEFORE_AN_EXTENSION = frozenset({"ext", "extn", "bleep", "tel", "mob", "pager", "bay", "bed", "room"})
_CLAUSE_END_TAGS = frozenset({"MD", "VBD", "VBZ", "VBP", "VBN", ",", ".", ":", "CC", "-RRB-", "HYPH"})
_NOT_SURNAME_TAGS = frozenset(
    {"VB", "VBD", "VBZ", "VBP", "VBN", "VBG", "IN", "DT", "CC", "MD", "TO", "PRP", "CD"}
)


class NameExtent:
    def extend(self, c: Candidate) -> Candidate:
        """Grow a detection to the whole name.

        The extent depends only on the token range, and many rules propose the same range (and ``find``
        extends merged names again), so each range is worked out once per document.
        """
        extents = self.__dict__.setdefault("_extents", {})
        key = (c.first, c.last)
        if key not in extents:
            extents[key] = self._extent(c.first, c.last)
        first, last = extents[key]
        return Candidate(first, last, c.score, c.rule)

    def _extent(self, first: int, last: int) -> tuple[int, int]:
        while True:
            if (
                first > 0
                and self.doc[first - 1].whitespace_
                and not self.sentence_start(first)
                and self.adjacent_name(first - 1, first)
            ):
                first -= 1
            elif self.joined_before(first):
                first -= 2
            elif self.compound_before(first):  # "Sang-woo Nam"
                first -= 3
            elif step := self.leading_initial(first):
                first -= step
            elif first < last and self.given_before_initial(first):  # "jack d cooper"
                first -= 1
            elif self.wristband_surname(first):  # "crawford, shonagh", "TSANG, Ka-Lok"
                first -= 2
            else:
                break
        while True:
            if last + 1 < self.n and self.doc[last].whitespace_ and self.adjacent_name(last + 1, last):
                last += 1
            elif self.joined_part(last + 1):  # "OKONKWO-BELL", "Hyun-woo"
                last += 2
            elif step := self.middle_initial(last):  # "lucia r bianchi", "Murdo A MUNRO"
                last += step
            elif self.given_after_vietnamese_middle(first, last):
                last += 1  # "TRAN VAN LONG", "le thi mai": the given name follows Văn / Thị, any word
            elif first == last and self.wristband_given(last):
                last += 2  # "LIANG, Wing on ICE": the given name after the surname, whatever it is
            elif self.trailing_initial(last + 1):  # "halina N", "cosmin s"
                last += 1
            elif (
                last + 2 < self.n
                and self.folded[last + 1] in PARTICLES
                and self.doc[last].whitespace_
                and self.surname_after_particle(last + 2)
            ):
                last += 2  # "Maria de Souza", "donal ní dhomhnaill"
            else:
                break
        return first, last

    # Neighbours ------------------------------------------------------------------------------------------
    def given_after_vietnamese_middle(self, first: int, last: int) -> bool:
        """A Vietnamese name is family name, middle name, given name; after the middle names Văn and Thị
        (which are no English words) the next word is the given name even when it is one ("Long",
        "Nam", "Mai"), written in the same case."""
        k = last + 1
        if last <= first or self.folded[last] not in _VIETNAMESE_MIDDLE or k >= self.n:
            return False
        if not self.doc[last].whitespace_ or "\n" in self.doc[last].whitespace_:
            return False
        text, middle = self.doc[k].text, self.doc[last].text
        return (
            text.isalpha()
            and 1 < len(text) <= 12
            and text.islower() == middle.islower()
            and text.isupper() == middle.isupper()
            and self.folded[k] not in CLOSED_CLASS
            and not self.is_vocabulary(k)
        )

    def adjacent_name(self, i: int, name: int) -> bool:
        """Whether token ``i`` continues the name at token ``name`` ("Maria holt", "DELA PAZ")."""
        if self.title_at(i):
            return False
        text = self.doc[i].text
        if LOWER.match(text) or UPPER.match(text):
            if self.is_vocabulary(i) or self.doc[i].is_stop or self.knowledge.typo(text):
                return False
            if self.knowledge.surely_name(text):
                return True
            same_style = text.islower() == self.doc[name].text.islower()
            if same_style and i > name and self.knowledge.likely_surname(text):
                return self.doc[i].tag_ not in _NOT_SURNAME_TAGS or text.isupper()  # "jade cook"
            if same_style and i < name and self.knowledge.rare_word_given_name(text):
                return True  # "sioned pugh"
            if (
                i == name - 1
                and text.islower()
                and CAPITALISED.match(self.doc[name].text)
                and self.knowledge.common_given_name(text)
                and self.knowledge.zipf(self.folded[i]) < _MIXED_GIVEN_ZIPF
            ):
                return True  # "rusty Tanner", "maria Holt": a given name typed without its capital
            if same_style and i == name - 1 and self.family_name_before_hyphenated_given(i):
                return True  # "park do-yun", "KIM MIN-JUN"
            if same_style and i == name + 1 and self.word_surname_after_given(i):
                return True  # "paige king slid", "KERRY EARLY WAS", "nuala hand found"
            return bool(UPPER.match(text)) and len(text) > 2 and not self.knowledge.shouted_word(text)
        if not self.name_token(i, allow_lower=False, allow_upper=False):
            return False
        if self.sentence_start(i) and self.knowledge.everyday_word(text, line_start=True):
            return False  # "Statement LAYLA BARAKAT", "Debrief Edward Harris"
        if self.doc[i].ent_type_ == "PERSON" or not self.english.contains(text):
            return True
        return i > name and self.knowledge.likely_surname(text)  # "Amber Hall", "Poppy Lamb"

    def surname_after_titled_given(self, k: int) -> bool:
        """After a title, a given name then a word in the same case is the surname: "Mrs tracey page",
        "staff nurse dawn price", "Registrar lee long", "Mr adelmo argurio". A title introduces one
        person, written as given name + surname or surname alone, so once the first word is a listed
        given name the next is a surname when it is no English word, or when the lists know it as a
        surname and it is no verb, preposition or number ("Dr amy said", "nurse jo bay 3")."""
        given = k - 1
        if k >= self.n or "\n" in self.doc[given].whitespace_ or self.title_at(k):
            return False
        text, before = self.doc[k].text, self.doc[given].text
        if not text.isalpha() or len(text) < 2 or text.islower() != before.islower():
            return False
        if text.isupper() != before.isupper() or self.doc[k].is_stop or self.is_vocabulary(k):
            return False
        rank = self.knowledge.lexicon.given_rank(self.folded[given])
        if rank is None or rank > _TITLED_GIVEN_RANK:
            return False
        if k + 1 < self.n and self.doc[k + 1].like_num:
            return False
        if not self.english.contains(text) and self.knowledge.zipf(self.folded[k]) < 3.0:
            return not self.knowledge.typo(text)
        surname = self.knowledge.lexicon.surname_rank(self.folded[k])
        if surname is None or surname > _TITLED_SURNAME_RANK or self.doc[k].tag_ in _NOT_SURNAME_TAGS:
            return False
        if not self.doc[k].tag_.startswith("RB"):
            return True
        # the tagger reads a surname that is also an adverb as one ("Registrar lee long."); where the
        # clause ends after it, a very common surname is the surname
        following = self.doc[k + 1].text if k + 1 < self.n else "."
        return surname <= _VERY_COMMON_SURNAME and following[:1] in _CLAUSE_END_MARKS

    def family_name_before_hyphenated_given(self, i: int) -> bool:
        """Korean and Chinese names put the family name first, before a hyphenated given name: a listed
        surname among some country's 1,000 commonest, straight before one, is the family name even when
        it is also a word ("park do-yun", "song ye-jin")."""
        k = i + 2
        if (
            k >= self.n
            or self.doc[k].text not in "-‐"
            or self.doc[i + 1].whitespace_
            or self.doc[k].whitespace_
        ):
            return False
        surname = self.knowledge.lexicon.surname_rank(self.folded[i])
        return surname is not None and surname <= 1_000 and self.doc[i].tag_ not in _NOT_SURNAME_TAGS

    def word_surname_after_given(self, i: int) -> bool:
        """A surname that is also a common word, straight after a found given name in the same case: a
        full name is given name + surname, so after "paige", "KERRY", "nuala" a listed surname is the
        surname even when English uses it often ("king", "early", "hand"), unless it is a verb or a
        preposition, a number follows it ("amy bay 3") or it heads a noun ("rose garden").
        """
        name = i - 1
        given = self.knowledge.lexicon.given_rank(self.folded[name])
        surname = self.knowledge.lexicon.surname_rank(self.folded[i])
        if surname is None and self.knowledge.zipf(self.folded[i]) < _GIVEN_AS_SURNAME_ZIPF:
            # a surname the lists only know as a given name ("frankie ginger", "DESTINY GINGER")
            surname = self.knowledge.lexicon.given_rank(self.folded[i])
        if given is None or given > _TITLED_GIVEN_RANK or surname is None or surname > _TITLED_SURNAME_RANK:
            return False
        if self.knowledge.zipf(self.folded[i]) >= _WORD_SURNAME_ZIPF or _verb_shaped(self.folded[i]):
            return False
        if self.folded[i] in _RECORD_WORDS:
            return False  # "ZHOU, YING LABEL PUT ON BLOODS"
        token = self.doc[i]
        if not token.text.isupper() and (token.tag_ in _NOT_SURNAME_TAGS or token.tag_.startswith("RB")):
            return False
        following = self.doc[i + 1] if i + 1 < self.n else None
        return following is None or not (
            following.like_num or (following.text.islower() and following.tag_ in {"NN", "NNS"})
        )

    def wristband_surname(self, first: int) -> bool:
        """A surname then a comma before the given name, as on a wristband: "SMITH, John"."""
        k = first - 2
        if k < 0 or self.doc[first - 1].text != "," or not self.doc[first - 1].whitespace_:
            return False
        text = self.doc[k].text
        wristband = text.isupper() and not self.doc[first].text.isupper()  # "found on TSANG, Ka-Lok's"
        if not text.isalpha() or len(text) < 2 or self.is_vocabulary(k) or self.title_at(k):
            return False
        if self.record_follows(first):
            # "checked against LIANG, Wing on ICE", "label holmes, peg label", "was HE, HAORAN, HOSP NO"
            surname = self.knowledge.lexicon.surname_rank(self.folded[k])
            if surname is not None and surname <= 5_000 and not _verb_shaped(self.folded[k]):
                return True
        elif not self.sentence_start(k) and not (
            wristband and self.folded[k - 1] in {"(", ":", "for", "of", "on"}
        ):
            return False  # "fasting for Hajj, Amrit told" is a list, not a name
        if text.isupper() and not self.doc[first].text.isupper():
            return not self.knowledge.shouted_word(text) or self.knowledge.likely_surname(text)
        if text.islower() != self.doc[first].text.islower():
            return False
        return self.knowledge.surely_name(text) or self.knowledge.likely_surname(text)

    def wristband_given(self, last: int) -> bool:
        """A found surname, a comma, then the given name as a wristband or label writes it, with a record
        after it ("LIANG, Wing on ICE", "GOLD, Gitty on TrakCare"): the word after the comma is the
        given name even when it is also a word."""
        k = last + 2
        if k >= self.n or self.doc[last + 1].text != "," or "\n" in self.doc[last + 1].whitespace_:
            return False
        token = self.doc[k]
        if (
            not token.text.isalpha()
            or len(token.text) < 2
            or self.folded[k] in CLOSED_CLASS
            or self.folded[k] in _BEFORE_AN_EXTENSION
            or self.title_at(k)
        ):
            return False  # "by Hugo, ext 4567": an extension or bleep number follows the name
        surname = self.knowledge.lexicon.surname_rank(self.folded[last])
        return surname is not None and surname <= 5_000 and self.record_follows(k)

    def record_follows(self, first: int) -> bool:
        """After the given name at ``first`` (and its hyphenated part) comes what a wristband, label or
        chart holds next, not a verb or another name: a number, "label", "on" a system, a bracket, "MRN",
        "hosp no", "DOB" ("LIANG, Wing on ICE", "OWEN, Catrin, 7221793840", "HE, HAORAN, HOSP NO")."""
        j = first + 1
        if j + 1 < self.n and self.doc[j].text in "-‐" and not self.doc[first].whitespace_:
            j += 2  # "Ka-Lok"
        if j >= self.n:
            return True
        if self.doc[j].text == "," and j + 1 < self.n:
            j += 1
        following = self.doc[j]
        return (
            any(c.isdigit() for c in following.text)
            or self.folded[j] in _RECORD_WORDS
            or ("\n" in self.doc[j - 1].whitespace_)
        )

    def surname_after_particle(self, k: int) -> bool:
        token = self.doc[k]
        return (
            token.text.isalpha()
            and len(token.text) > 1
            and not token.is_stop
            and not self.is_vocabulary(k)
            and not self.title_at(k)
        )

    # Hyphens ----------------------------------------------------------------------------------------------
    def joined_part(self, j: int) -> bool:
        """Token ``j`` is a hyphen joining the name before it to a part after it ("Hyun-woo")."""
        if j < 1 or j + 1 >= self.n or self.doc[j].text not in "-‐" or self.doc[j - 1].whitespace_:
            return False
        if self.doc[j].whitespace_:
            return False
        return self.hyphen_part(j + 1)

    def joined_before(self, first: int) -> bool:
        return (
            first > 1
            and self.doc[first - 1].text in "-‐"
            and not self.doc[first - 1].whitespace_
            and not self.doc[first - 2].whitespace_
            and self.hyphen_part(first - 2)
        )

    def compound_before(self, first: int) -> bool:
        """A hyphenated given name before the name: "Sang-woo Nam", "jun-jun bautista"."""
        if first < 3 or not self.doc[first - 1].whitespace_:
            return False
        a, hyphen = self.doc[first - 3], self.doc[first - 2]
        if hyphen.text not in "-‐" or a.whitespace_ or hyphen.whitespace_ or self.sentence_start(first):
            return False
        if not (self.hyphen_part(first - 3) and self.hyphen_part(first - 1)):
            return False
        return bool(CAPITALISED.match(a.text) or a.text.isupper() or self.knowledge.is_name(a.text))

    def hyphen_part(self, k: int) -> bool:
        part = self.doc[k].text
        return part.isalpha() and len(part) > 1 and self.folded[k] not in NOT_NAME_PARTS

    def name_shaped(self, k: int) -> bool:
        part = self.doc[k].text
        return (
            part.isalpha()
            and len(part) > 1
            and not self.is_vocabulary(k)
            and (CAPITALISED.match(part) is not None or self.knowledge.surely_name(part) or part.isupper())
        )

    # Initials -----------------------------------------------------------------------------------------------
    def _initial_at(self, j: int) -> int:
        """Tokens taken by an initial at ``j`` ("J", "j.", "J" + "."), or 0."""
        if j < 0 or j >= self.n:
            return 0
        text = self.doc[j].text
        letter = text.rstrip(".")
        if len(letter) != 1 or not letter.isalpha() or letter in "xX":
            return 0
        if text == letter and j + 1 < self.n and self.doc[j + 1].text == "." and not self.doc[j].whitespace_:
            return 2
        return 1

    def leading_initial(self, first: int) -> int:
        """An initial before the name: "t chinembiri", "c. o'neill", "A Amoah", "o. Sârbu"."""
        for step in (1, 2):
            start = first - step
            if start < 0 or self._initial_at(start) != step or not self.doc[first - 1].whitespace_:
                continue
            letter = self.doc[start].text.rstrip(".")
            if letter in _ARTICLE_LETTERS and self.doc[start].text == letter:
                surname = self.doc[first].text
                if not (self.knowledge.surely_name(surname) or self.knowledge.likely_surname(surname)):
                    continue  # "a hossain" yes, "a Ward" no
            return step
        return 0

    def given_before_initial(self, first: int) -> bool:
        """A name that starts with an initial ("d cooper", "w ramsbottom") and has a common given name
        before it, written in the same case: "jack d cooper", "hope w ramsbottom". The given name may be
        an English word ("jack", "hope"), since an initial and a surname follow it; not the commonest
        words (Zipf ≥ ``SUBJECT_SLOT_ZIPF``: "will j smith" stays "j smith")."""
        step = self._initial_at(first)
        i = first - 1
        if not step or i < 0 or not self.doc[i].whitespace_ or "\n" in self.doc[i].whitespace_:
            return False
        token = self.doc[i]
        text = token.text
        if not text.isalpha() or len(text) < 2 or token.is_stop or self.folded[i] in CLOSED_CLASS:
            return False
        if self.is_vocabulary(i) or self.title_at(i) or self.knowledge.typo(text):
            return False
        surname = self.doc[min(first + step, self.n - 1)].text
        if text.islower() != surname.islower() or text.isupper() != surname.isupper():
            return False
        rank = self.knowledge.lexicon.given_rank(self.folded[i])
        return rank is not None and rank <= _INITIAL_GIVEN_RANK and self.knowledge.zipf(self.folded[i]) < 5.5

    def _abbreviation_letter(self, j: int) -> bool:
        """A letter glued to a slash: the "d" of "d/c", the "r" of "r/v", the "w" of "w/"."""
        return not self.doc[j].whitespace_ and j + 1 < self.n and self.doc[j + 1].text.startswith("/")

    def middle_initial(self, last: int) -> int:
        """An initial then a surname after the name: "lucia r bianchi", "ISABELLA G READ"."""
        j = last + 1
        if j >= self.n or not self.doc[last].whitespace_:
            return 0
        step = self._initial_at(j)
        if not step or (self.doc[j].text.rstrip(".") in _ARTICLE_LETTERS and self.doc[j].text.islower()):
            return 0
        if self._abbreviation_letter(j):
            return 0
        k = j + step
        if k >= self.n or not self.doc[k - 1].whitespace_:
            return 0
        token = self.doc[k]
        if (
            not token.text.isalpha()
            or len(token.text) < 2
            or token.is_stop
            or self.is_vocabulary(k)
            or self.title_at(k)
            or self.knowledge.typo(token.text)
        ):
            return 0
        if token.text.islower() != self.doc[last].text.islower() and not CAPITALISED.match(token.text):
            return 0
        if token.tag_ in _NOT_SURNAME_TAGS and not (
            self.knowledge.is_name(token.text) or token.text.isupper() or CAPITALISED.match(token.text)
        ):
            return 0
        return step + 1

    def trailing_initial(self, j: int) -> bool:
        """An initial closing a name: "Márton N informed", "cosmin s and", "iqra a could"."""
        if j >= self.n or not self.doc[j - 1].whitespace_ or not self._initial_at(j):
            return False
        if self._abbreviation_letter(j):
            return False  # "haoran d/c home", "pt r/v'd": a shorthand, not an initial
        text = self.doc[j].text
        following = self.doc[j + 1] if j + 1 < self.n else None
        if text.rstrip(".") in _ARTICLE_LETTERS and text.rstrip(".") == text:
            if text == "A" and not self.uppercase_document and following is not None:
                # a capital "A" in mid-sentence is an initial unless a noun phrase follows: "Nadeem A at"
                return following.tag_ in _CLAUSE_END_TAGS or following.tag_ in {"IN", "TO", "-LRB-"}
            return following is None or following.tag_ in _CLAUSE_END_TAGS or following.tag_ == "-LRB-"
        if INITIAL.match(text):
            return following is None or not CAPITALISED.match(following.text) or following.is_stop
        return (
            following is None
            or following.is_stop
            or following.tag_ in _CLAUSE_END_TAGS
            or not following.is_alpha
        )
