"""Residual risk: how likely it is that redacted text still holds an identifier the pipeline missed.

The score is read from the redacted text alone (placeholders already in place), so it can be worked out
for any revision at any time, and it never needs the original. It is the second line of defence: the
QA screen lists the riskiest records first, so super admins look where a miss is likely.

Signals, each counted per field and summed with a weight:

- a capitalised word inside a sentence that is neither an English word nor clinical vocabulary
  (a name the model did not recognise: "seen by Oyelaran on the ward");
- a title followed by a word rather than a placeholder ("Mrs hollis", "Dr Wu");
- a word in capitals that is not a known abbreviation ("ADEBAYO");
- a run of six or more digits, or digits mixed with letters (a hospital or register number);
- an "@" or a "www." left in the text;
- a word the learned name look (``recognisers/name_model``) found name-like but left, counted when the
  text was redacted (the only signal that works on text typed all in lower case: "spoke to deb").

The reasons say which signals fired and how often, never the words themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import regex

from .allow_list import is_vocabulary_word, words

_PLACEHOLDER = regex.compile(r"\[[A-Z][A-Z ]*[A-Z] \d+\]")
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\n]\s*|[-*•]\s+|\(\s*)$")
_WORD = regex.compile(r"\p{L}[\p{L}'’-]*")
# An honorific names a person: what follows it should be a placeholder. ("Sister" and "Nurse" are
# left out: "a nurse to check" is ordinary English.)
_TITLE_THEN_WORD = regex.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+(?!\[)\p{L}+", regex.I)
_DIGIT_RUN = regex.compile(r"\b\d{6,}\b|\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{6,}\b")
_CONTACT = regex.compile(r"@|\bwww\.", regex.I)
# Short capitals that staff write every day; anything else in capitals is worth a look.
_COMMON_ABBREVIATIONS = words("""
    AAR AKI ALS BLS BMI BP CCU CD COPD CPR CT CTG DNACPR ECG ED EPR GCS GP HCA ICU ITU IV LFPSE MDT MRI NEWS
    NHS NICE NG NOK OT PALS PICU PRN PSII RN SBAR SHO SI SPR STAT TTO USS VTE AND THE NOT NO YES OK
""")
WEIGHTS = {
    "unknown capitalised word": 1.0,
    "title not followed by a placeholder": 3.0,
    "word in capitals": 1.0,
    "long number or code": 3.0,
    "contact detail": 4.0,
    "name-like word left": 2.0,
}
# A score at which the QA list says "high": one strong signal, or several weak ones.
HIGH = 3.0


@dataclass(frozen=True)
class ResidualRisk:
    score: float
    reasons: tuple[str, ...]  # "word in capitals ×2": signal names and counts, never the words

    @property
    def is_high(self) -> bool:
        return self.score >= HIGH


def residual_risk(texts: Mapping[str, str], *, name_like_words: int = 0) -> ResidualRisk:
    """The residual risk of a record's redacted free-text fields; ``name_like_words`` is what the
    redaction counted (``RedactionResult.name_like_words``)."""
    counts: Counter[str] = Counter({"name-like word left": name_like_words})
    for text in texts.values():
        text = text or ""
        counts["title not followed by a placeholder"] += len(_TITLE_THEN_WORD.findall(text))
        counts.update(_signals(_PLACEHOLDER.sub(" ", text)))
    counts = +counts
    score = sum(WEIGHTS[name] * count for name, count in counts.items())
    reasons = tuple(f"{name} ×{count}" if count > 1 else name for name, count in sorted(counts.items()))
    return ResidualRisk(round(score, 2), reasons)


def _signals(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    found["long number or code"] += len(_DIGIT_RUN.findall(text))
    found["contact detail"] += len(_CONTACT.findall(text))
    for match in _WORD.finditer(text):
        word = match.group().strip("'’-")
        if len(word) < 3:
            continue
        if word.isupper():
            if word not in _COMMON_ABBREVIATIONS and not is_vocabulary_word(word.lower()):
                found["word in capitals"] += 1
        elif (
            word[0].isupper()
            and not _SENTENCE_START.search(text[: match.start()])
            and not is_vocabulary_word(word)
            and not is_vocabulary_word(word.lower())
        ):
            found["unknown capitalised word"] += 1
    return +found
