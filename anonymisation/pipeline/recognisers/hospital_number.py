"""Local hospital / medical record numbers: by the words that introduce them, and by their shapes.

Shapes a trust uses, in any case and without an introduction (see docs/adr/0012):

- an ODS-style trust prefix (R + two letters or digits, perhaps a site digit), then a hyphen, a space or
  nothing, then six to eight digits: "RXX-1234567", "RYY 7654321", "rzz1 2345678";
- one or two letters straight before six or seven digits: "k1234567", "T123456", "MH1234567".

A prefix that is an English word ("run 1234567", "ref 123456") and numbers introduced as something else
(a batch, lot, serial or incident reference) are left alone.
"""

import regex

from .base import RegexRecogniser, context_before

_INTRO = (
    r"\b(?:mrn|m\.r\.n\.?|h/?n|(?:hospital|hosp\.?|unit|pas|patient|case\s*notes?|casenote|medical\s*records?|"
    r"record|trust|k|crn|rxx|local|mrn)\s*(?:number|no\.?|num\.?|#|id)(?![\w]))"
)
_ID = r"[A-Z]{0,4}\d?[-\s]?(?:\d{5,10}|\d{3}\s\d{3}\s\d{4}|\d{3}\s\d{4})[A-Z]?"
_HOSPITAL_NUMBER = regex.compile(rf"(?i){_INTRO}\s*(?:is|was|:|-|–|=)?\s*(?P<value>{_ID})(?![\w])")
_TRUST_PREFIXED = regex.compile(r"(?i)(?<![\w/-])(?P<prefix>R[A-Z0-9]{2}\d?)[-\s]?\d{6,8}(?![\w/])")
_LETTER_PREFIXED = regex.compile(r"(?i)(?<![\w/-])(?P<prefix>[A-Z]{1,2})\d{6,7}(?![\w/])")
_OTHER_NUMBER = regex.compile(
    r"(?i)\b(?:batch|lot|serial|model|order|datix|ref(?:erence)?|incident|web|invoice|barcode|code|version)"
    r"\b[\w\s:#.-]{0,12}$"
)


def _english_word(prefix: str) -> bool:
    from ..lexicon import english_zipf

    return len(prefix) > 1 and english_zipf(prefix.lower()) >= 3.0


class HospitalNumberRecogniser(RegexRecogniser):
    ENTITY = "HOSPITAL_NUMBER"
    PATTERNS = ((_HOSPITAL_NUMBER, 0.9), (_TRUST_PREFIXED, 0.8), (_LETTER_PREFIXED, 0.75))

    def score_match(self, text, match, score):
        if match.re is _HOSPITAL_NUMBER:
            return score
        if _english_word(match.group("prefix")) or context_before(text, match.start(), _OTHER_NUMBER, 25):
            return None
        return score
