"""What a word is, whatever its case: a name, an everyday English word, a drug (see docs/adr/0012).

Capital letters are the main hint a name gives in well-written text, and tired staff do not write well:
"spoke to kevin ames", "ADEBAYO OKONKWO-BELL FOUND ON FLOOR". These tests look at the folded word, so a
case-normalised second look gives the same answer for "Holt", "holt" and "HOLT":

- :meth:`NameKnowledge.surely_name`: ranked among some country's common given names or surnames and no
  English dictionary word, drug or clinical vocabulary ("kevin", "holt", "okonkwo"; not "grace", "will");
- :meth:`NameKnowledge.everyday_word`: no common name and a word English text uses often ("referral",
  "inbox", "found"), so that a capital letter alone does not make it a name.
"""

from __future__ import annotations

from functools import lru_cache

from ..allow_list import fold, is_vocabulary_word
from ..lexicon import Lexicon
from ..vocabulary import EnglishWords
from .base import one_edit

# Zipf frequency (wordfreq) at which an unknown capitalised word is more likely a word than a name:
# "Referral" 3.6, "Inbox" 3.5, "Debrief" 2.5; surnames the name list does not rank sit below 2.
EVERYDAY_ZIPF = 3.0
EVERYDAY_ZIPF_AT_LINE_START = 2.3
# A dictionary word that is also a very common given name ("Grace", "Will") needs context to be a name.
COMMON_GIVEN_RANK = 1_000
# A word one edit away from an English word at least this common is a typo of it ("fonud" for "found").
TYPO_OF_ZIPF = 4.0
# ... or a very common word the dictionary (of content words) lacks: "everyone", "because" ("everoyne").
TYPO_OF_FUNCTION_WORD_ZIPF = 5.0
# ... or two neighbouring letters swapped in an English word at least this common ("fludis", "Insuiln").
TYPO_OF_SWAP_ZIPF = 3.0
# Ranked this high in some country, a word is a name first ("Toby", "Hall", "Yang"), even in capitals.
VERY_COMMON_NAME_RANK = 300
# A word in capitals among some country's 1,000 commonest given names and rare in English is no shouted
# word ("SHONA" 2.7); "NIL" (rank 33, Zipf 3.3) still is.
SHOUTED_GIVEN_RANK = 1_000
SHOUTED_GIVEN_ZIPF = 3.0


class NameKnowledge:
    def __init__(self, lexicon: Lexicon, english: EnglishWords) -> None:
        self.lexicon = lexicon
        self.english = english

    @lru_cache(maxsize=100_000)  # noqa: B019 - one instance per process
    def surely_name(self, word: str) -> bool:
        folded = fold(word).strip(".'’")
        if len(folded) < 2 or not folded.isalpha() or not self.lexicon.is_name(folded):
            return False
        return (
            not self.english.contains(folded)
            and not is_vocabulary_word(folded)
            and not self.lexicon.is_drug(folded)
            and self.zipf(folded) < 5.0
        )

    @lru_cache(maxsize=100_000)  # noqa: B019
    def is_name(self, word: str) -> bool:
        """Ranked among the common names of some country, whether or not it is also an English word."""
        return self.lexicon.is_name(fold(word).strip(".'’"))

    @lru_cache(maxsize=100_000)  # noqa: B019
    def common_given_name(self, word: str) -> bool:
        rank = self.lexicon.given_rank(fold(word).strip(".'’"))
        return rank is not None and rank <= COMMON_GIVEN_RANK

    @lru_cache(maxsize=100_000)  # noqa: B019
    def very_common_given_name(self, word: str) -> bool:
        folded = fold(word)
        rank = self.lexicon.given_rank(folded)
        return rank is not None and rank <= VERY_COMMON_NAME_RANK and not is_vocabulary_word(folded)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def rare_word_given_name(self, word: str) -> bool:
        """A listed given name that English seldom uses as a word ("sioned"), even if a dictionary has it."""
        folded = fold(word)
        rank = self.lexicon.given_rank(folded)
        return rank is not None and self.zipf(folded) < 3.0 and not is_vocabulary_word(folded)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def common_word(self, word: str) -> bool:
        """Very common in English and no very common name: "number", "aware"; not "anna", "rose"."""
        folded = fold(word)
        return self.zipf(folded) >= 4.5 and self.best_rank(folded) > VERY_COMMON_NAME_RANK

    @lru_cache(maxsize=100_000)  # noqa: B019
    def known_given_name(self, word: str) -> bool:
        """A given name opening a sentence before its verb: common ("Dawn has"), or listed and rare as a
        word ("Lorelei stayed"); not "Debrief held", "Crew arrived"."""
        folded = fold(word)
        rank = self.lexicon.given_rank(folded)
        if rank is None:
            return False
        return rank <= COMMON_GIVEN_RANK or (rank <= 3_000 and self.zipf(folded) < 3.5)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def everyday_word(self, word: str, *, line_start: bool = False) -> bool:
        """A word a capital letter does not make a name: no common name, and common in English."""
        folded = fold(word).strip(".'’")
        if self.lexicon.is_name(folded):
            return False
        if self.english.contains(folded) or self.lexicon.is_drug(folded):
            return True
        return self.zipf(folded) >= (EVERYDAY_ZIPF_AT_LINE_START if line_start else EVERYDAY_ZIPF)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def shouted_word(self, word: str) -> bool:
        """A word in capitals that is English, not a name: "FOUND", "INFORMED", "AWARE".

        The model's dictionary (WordNet) also lists famous people ("Andersen", "McCarthy"), so a name
        among the most common of some country ("TOBY", "HALL", "YANG") is not shouted English.
        """
        folded = fold(word)
        if self.surely_name(folded):
            return False
        if self.best_rank(folded) <= VERY_COMMON_NAME_RANK and self.zipf(folded) < 4.6:
            return False
        given = self.lexicon.given_rank(folded)
        if given is not None and given <= SHOUTED_GIVEN_RANK and self.zipf(folded) < SHOUTED_GIVEN_ZIPF:
            return False  # "SHONA", "AMIR": a common given name English seldom writes is no shouted word
        return self.english.contains(folded) or self.zipf(folded) >= EVERYDAY_ZIPF

    def best_rank(self, folded: str) -> int:
        ranks = [r for r in (self.lexicon.given_rank(folded), self.lexicon.surname_rank(folded)) if r]
        return min(ranks, default=1_000_000)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def upper_surname(self, word: str) -> bool:
        """A surname that is also an English word but not a common one ("SHIRE", not "INFORMED")."""
        folded = fold(word)
        rank = self.lexicon.surname_rank(folded)
        return (
            rank is not None and rank <= 3_000 and self.zipf(folded) < 4.0 and not is_vocabulary_word(folded)
        )

    @lru_cache(maxsize=100_000)  # noqa: B019
    def likely_surname(self, word: str) -> bool:
        """A surname after an initial: known to the lists even when also a word ("j cook", "s. hall")."""
        folded = fold(word).strip(".'’")
        rank = self.lexicon.surname_rank(folded)
        if rank is None or is_vocabulary_word(folded) or self.lexicon.is_drug(folded):
            return self.surely_name(word)
        if rank > 2_000:  # a rarer surname, when English seldom writes the word ("edna coupe")
            return (rank <= 5_000 and self.zipf(folded) < 3.5) or self.surely_name(word)
        return self.zipf(folded) < 5.0

    @lru_cache(maxsize=100_000)  # noqa: B019
    def name_not_verb(self, word: str) -> bool:
        """After a title, a word in capitals the name lists know ("DR YANG"), not "NURSE INFORMED"."""
        folded = fold(word)
        surname = self.lexicon.surname_rank(folded)
        return (
            self.is_name(folded)
            # a very common surname that is also a common word: "MRS POWER", "DR BLACK"
            and (
                self.zipf(folded) < 5.2
                or (surname is not None and surname <= 300 and self.zipf(folded) < 5.8)
            )
            and not _verb_shaped(folded)
            and not is_vocabulary_word(folded)
        )

    @lru_cache(maxsize=100_000)  # noqa: B019
    def typo(self, word: str) -> bool:
        """A misspelt common word ("wrnog", "fonud", "Mderate"), not a name: one edit (a swapped, missing,
        extra or changed letter) away from a common English word, and on no name list."""
        folded = fold(word)
        if (
            len(folded) < 4
            or not folded.isalpha()
            or self.lexicon.is_name(folded, given=5_000, surname=5_000)
        ):
            return False
        if self.zipf(folded) >= 2.5:
            return False
        # two neighbouring letters swapped is the commonest slip, and seldom turns a word into a name:
        # a swap of a rarer English word counts too ("fludis", "Insuiln")
        if any(self.zipf(v) >= TYPO_OF_SWAP_ZIPF and self.english.contains(v) for v in _swaps(folded)):
            return True
        return any(
            self.zipf(v) >= TYPO_OF_ZIPF
            and (self.english.contains(v) or self.zipf(v) >= TYPO_OF_FUNCTION_WORD_ZIPF)
            and not self.lexicon.is_name(v, given=300, surname=300)
            for v in one_edit(folded)
        )

    @lru_cache(maxsize=100_000)  # noqa: B019
    def derived_word(self, word: str) -> bool:
        """An English word with a prefix or a doubled-consonant ending the dictionary lacks:
        "unwitnessed", "relabelled", "nonblanching", "preassessed" (on no name list)."""
        folded = fold(word)
        if (
            len(folded) < 6
            or not folded.isalpha()
            or self.lexicon.is_name(folded, given=5_000, surname=5_000)
        ):
            return False
        for prefix in _PREFIXES:
            rest = folded[len(prefix) :]
            if (
                folded.startswith(prefix)
                and len(rest) >= 4
                and (self.english.contains(rest) or self.derived_word(rest))
            ):
                return True
        for ending in ("ed", "ing"):
            stem = folded[: -len(ending)]
            if (
                folded.endswith(ending)
                and len(stem) > 3
                and stem[-1] == stem[-2]
                and self.english.contains(stem[:-1])
            ):
                return True  # "labelled", "travelling"
        return False

    @lru_cache(maxsize=100_000)  # noqa: B019
    def misspelt(self, word: str, vocabulary: frozenset[str]) -> str:
        """The word of ``vocabulary`` that ``word`` is a slip of (one letter swapped, missing, extra or
        changed: "fuond" for "found"), or "" when ``word`` is English, a name, or no such slip."""
        folded = fold(word)
        if len(folded) < 4 or not folded.isalpha() or folded in vocabulary or self.english.contains(folded):
            return ""
        if self.lexicon.is_name(folded, given=5_000, surname=5_000) or self.zipf(folded) >= 2.5:
            return ""
        return min(one_edit(folded) & vocabulary, default="")

    def zipf(self, folded: str) -> float:
        """How common the (folded) word is in English: Zipf scale, 0 when unseen."""
        return self.lexicon.english.get(folded, 0.0)

    def is_drug(self, word: str) -> bool:
        return self.lexicon.is_drug(fold(word))


_PREFIXES = ("un", "re", "non", "pre", "mis", "dis", "over", "under", "post", "co")


def _swaps(folded: str) -> set[str]:
    """``folded`` with two neighbouring (different) letters swapped."""
    return {
        folded[:i] + folded[i + 1] + folded[i] + folded[i + 2 :]
        for i in range(len(folded) - 1)
        if folded[i] != folded[i + 1]
    }


def _verb_shaped(folded: str) -> bool:
    """Ends like a past or present participle with a stem of three letters or more: "informed",
    "assessing"; not "king", "ming", "fred" (a name's own ending)."""
    return any(folded.endswith(suffix) and len(folded) - len(suffix) >= 3 for suffix in ("ed", "ing"))
