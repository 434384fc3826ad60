"""A learned second look at the words the name rules left (docs/adr/0012, "Twelfth round: a learned
second look").

The rules read one context each ("X from pharmacy", "told X", "X said"); writers vary the contexts
faster than rules can be written. This model reads them all at once: a logistic regression over
hashed features of a word and its neighbours (its case and the document's, how common it is as a
given name, as a surname and as an English word, its part-of-speech tag and the words and tags
around it, whether a neighbour or the same word elsewhere is a name already). It is trained on the
tuning sets' labels (``bench/anonymisation_name_model.py``), never on the held-out set or a judge,
and stored as ``fixtures/anonymisation/name_model.json`` (weights, bias, threshold, the files it was
trained on). It only adds: a word the rules found stays found, and what the model adds passes through
the same keep rules and allow-list as every other detection.

Which words it looks at: alphabetic words of two letters or more, no vocabulary, closed-class word or
title, that the name lists know or that English seldom writes (``candidate``). Training reads every
such word, found or not (the model learns what a name looks like from all of them); the service asks
only about the words no rule found.
"""

from __future__ import annotations

import json
import math
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .person_words import CLOSED_CLASS, MODALS

if TYPE_CHECKING:
    from .person import NameFinder

MODEL_PATH = Path(__file__).resolve().parents[3] / "fixtures" / "anonymisation" / "name_model.json"
DIMENSIONS = 1 << 18
# A word English writes at least this often is no candidate unless the name lists know it.
UNLISTED_ZIPF = 3.0
# ... and one it writes this often is none at all.
COMMON_ZIPF = 5.0
# A word the model gives at least this, but less than its threshold, is kept and counted as name-like:
# the residual-risk score reads the count, so the QA screen looks at such records first.
NAME_LIKE = 0.5
# The entity the recogniser reports such a word as; the pipeline counts it and never redacts it.
NAME_LIKE_ENTITY = "NAME_LIKE_WORD"
# Training hook: when set, ``NameFinder`` hands it (finder, covered token indices) for every document.
collector: Callable[[NameFinder, set[int]], None] | None = None


def _bucket(rank: int | None) -> str:
    if rank is None:
        return "none"
    for limit in (100, 500, 1_000, 3_000, 10_000, 30_000):
        if rank <= limit:
            return str(limit)
    return "rare"


def _case(text: str) -> str:
    if text.islower():
        return "lower"
    if text.isupper():
        return "upper"
    if text[0].isupper() and text[1:].islower():
        return "title"
    return "mixed"


def _word(finder: NameFinder, k: int) -> str:
    if k < 0:
        return "<s>"
    if k >= finder.n:
        return "</s>"
    text = finder.texts[k]
    if "\n" in text:
        return "<nl>"
    if text.isspace():
        return "<sp>"
    return "<num>" if any(c.isdigit() for c in text) else finder.folded[k]


def _tag(finder: NameFinder, k: int) -> str:
    return finder.doc[k].tag_ if 0 <= k < finder.n else "-"


def candidate(finder: NameFinder, i: int) -> bool:
    """Whether word ``i`` is one the model is asked about (found or not): a word of Latin letters
    (an apostrophe allowed: "O'Neill"), no modal, closed-class word, title or vocabulary, and no word
    English writes very often (``COMMON_ZIPF``: "will", "long", "may" are left to the rules)."""
    text = finder.texts[i]
    letters = text.replace("'", "").replace("’", "")
    if len(letters) < 2 or not letters.isalpha() or not _latin(letters):
        return False
    folded = finder.folded[i]
    if folded in CLOSED_CLASS or folded in MODALS or finder.title_at(i) or finder.is_vocabulary(i):
        return False
    if finder.knowledge.zipf(folded) >= COMMON_ZIPF:
        return False
    lexicon = finder.knowledge.lexicon
    if lexicon.given_rank(folded) is not None or lexicon.surname_rank(folded) is not None:
        return True
    return not finder.english.contains(text) and finder.knowledge.zipf(folded) < UNLISTED_ZIPF


@lru_cache(maxsize=50_000)
def _latin(letters: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in letters)


def features(finder: NameFinder, i: int, covered: set[int], found_words: set[str]) -> list[str]:
    """The features of word ``i``; ``covered`` holds the tokens inside names found so far, and
    ``found_words`` those names' words (folded)."""
    text, folded = finder.texts[i], finder.folded[i]
    lexicon, knowledge = finder.knowledge.lexicon, finder.knowledge
    case = _case(text)
    document = "lower" if finder.lowercase_document else "upper" if finder.uppercase_document else "mixed"
    given, surname = _bucket(lexicon.given_rank(folded)), _bucket(lexicon.surname_rank(folded))
    zipf = f"{min(7.0, math.floor(knowledge.zipf(folded) * 2) / 2):.1f}"
    english = "1" if finder.english.contains(text) else "0"
    prev1, prev2, next1, next2 = (_word(finder, k) for k in (i - 1, i - 2, i + 1, i + 2))
    tag, ptag, ntag = _tag(finder, i), _tag(finder, i - 1), _tag(finder, i + 1)
    start = "1" if finder.sentence_start(i) else "0"
    left = "1" if i - 1 in covered else "0"
    right = "1" if i + 1 in covered else "0"
    elsewhere = "1" if folded in found_words else "0"
    shape = f"{case}|{document}"
    return [
        "bias",
        f"case={case}",
        f"doc={document}",
        f"shape={shape}",
        f"given={given}",
        f"surname={surname}",
        f"zipf={zipf}",
        f"english={english}",
        f"given|zipf={given}|{zipf}",
        f"surname|zipf={surname}|{zipf}",
        f"case|given={case}|{given}",
        f"case|zipf={case}|{zipf}",
        f"shape|english={shape}|{english}",
        f"tag={tag}",
        f"ptag={ptag}",
        f"ntag={ntag}",
        f"ptag|tag|ntag={ptag}|{tag}|{ntag}",
        f"prev={prev1}",
        f"prev2={prev2}|{prev1}",
        f"next={next1}",
        f"next2={next1}|{next2}",
        f"prev|case={prev1}|{case}",
        f"next|case={next1}|{case}",
        f"prev|ntag={prev1}|{ntag}",
        f"ptag|next={ptag}|{next1}",
        f"start={start}",
        f"start|case={start}|{case}",
        f"ent={finder.doc[i].ent_type_ or '-'}",
        f"left={left}",
        f"right={right}",
        f"left|right|case={left}|{right}|{case}",
        f"elsewhere={elsewhere}",
        f"len={min(len(text), 9)}",
        f"suffix={folded[-3:]}",
    ]


def indices(names: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(name.encode()) % DIMENSIONS for name in names), dtype=np.int64)


def probability_of(weights: np.ndarray, index: np.ndarray) -> float:
    """The logistic of the summed weights of a word's features (training and service alike)."""
    z = float(weights[index].sum())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class NameModel:
    weights: np.ndarray
    threshold: float

    def probability(self, names: list[str]) -> float:
        return probability_of(self.weights, indices(names))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> NameModel:
        if not path.exists():  # redaction must not quietly run with less than it was measured with
            raise FileNotFoundError(
                f"The learned name model is missing: {path} (bench/anonymisation_name_model.py)"
            )
        stored = json.loads(path.read_text())
        weights = np.zeros(DIMENSIONS, dtype=np.float32)
        for index, value in stored["weights"].items():
            weights[int(index)] = value
        return cls(weights, float(stored["threshold"]))


@lru_cache(maxsize=1)
def name_model() -> NameModel | None:
    return NameModel.load()


def found_words_of(finder: NameFinder, covered: set[int]) -> set[str]:
    return {finder.folded[k] for k in covered if finder.texts[k].isalpha()}
