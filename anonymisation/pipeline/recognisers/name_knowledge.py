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
from ..lexicon import Lexicon, english_zipf
from ..vocabulary import EnglishWords

# Zipf frequency (wordfreq) at which an unknown capitalised word is more likely a word than a name:
# "Referral" 3.6, "Inbox" 3.5, "Debrief" 2.5; surnames the name list does not rank sit below 2.
EVERYDAY_ZIPF = 3.0
EVERYDAY_ZIPF_AT_LINE_START = 2.3
# A dictionary word that is also a very common given name ("Grace", "Will") needs context to be a name.
COMMON_GIVEN_RANK = 1_000


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
            and english_zipf(folded) < 5.0
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
    def everyday_word(self, word: str, *, line_start: bool = False) -> bool:
        """A word a capital letter does not make a name: no common name, and common in English."""
        folded = fold(word).strip(".'’")
        if self.lexicon.is_name(folded):
            return False
        if self.english.contains(folded) or self.lexicon.is_drug(folded):
            return True
        return english_zipf(folded) >= (EVERYDAY_ZIPF_AT_LINE_START if line_start else EVERYDAY_ZIPF)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def shouted_word(self, word: str) -> bool:
        """A word in capitals that is English, not a name: "FOUND", "INFORMED", "AWARE"."""
        folded = fold(word)
        if self.surely_name(folded):
            return False
        return self.english.contains(folded) or english_zipf(folded) >= EVERYDAY_ZIPF

    @lru_cache(maxsize=100_000)  # noqa: B019
    def upper_surname(self, word: str) -> bool:
        """A surname that is also an English word but not a common one ("SHIRE", not "INFORMED")."""
        folded = fold(word)
        rank = self.lexicon.surname_rank(folded)
        return (
            rank is not None
            and rank <= 3_000
            and english_zipf(folded) < 4.0
            and not is_vocabulary_word(folded)
        )

    def is_drug(self, word: str) -> bool:
        return self.lexicon.is_drug(fold(word))
