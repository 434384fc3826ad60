"""A generic English dictionary, taken from the spaCy model's own lemmatiser tables.

The person recogniser uses it to tell "Observations" (a word) from "Oluwaseun" (a name). It holds
WordNet's lemmas, so some surnames that are also words ("Smith", "Baker") are in it: those are found by
context instead. It is not a list of names and is never used to say that something *is* a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language

_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("'s", ""),
)


class EnglishWords:
    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w.lower() for w in words if w.isalpha() or "-" in w)

    def contains(self, word: str) -> bool:
        return self._contains(word.lower().replace("’", "'"))

    @lru_cache(maxsize=100_000)  # noqa: B019 - one instance per process, kept for its lifetime
    def _contains(self, word: str) -> bool:
        if word in self.words:
            return True
        return any(
            word.endswith(suffix)
            and len(word) - len(suffix) > 2
            and word[: -len(suffix)] + ending in self.words
            for suffix, ending in _SUFFIXES
        )

    @classmethod
    def from_model(cls, nlp: Language) -> EnglishWords:
        """The lemma index of the model's lemmatiser; empty (every word unknown) if it has none."""
        if "lemmatizer" not in nlp.component_names:
            return cls(())
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is None or not lookups.has_table("lemma_index"):
            return cls(())
        words: set[str] = set()
        for entries in lookups.get_table("lemma_index").values():
            words.update(entries)
        if lookups.has_table("lemma_exc"):
            for table in lookups.get_table("lemma_exc").values():
                words.update(table)
        return cls(words)
