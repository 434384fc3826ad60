"""Local hospital / medical record numbers, recognised by the words that introduce them."""

import regex

from .base import RegexRecogniser

_INTRO = (
    r"\b(?:mrn|m\.r\.n\.?|(?:hospital|hosp\.?|unit|pas|patient|case\s*notes?|casenote|medical\s*records?|"
    r"record|trust|k|crn|rxx)\s*(?:number|no\.?|num\.?|#|id)(?![\w]))"
)
_ID = r"[A-Z]{0,4}(?:\d{5,10}|\d{3}\s\d{3}\s\d{4}|\d{3}\s\d{4})[A-Z]?"
_HOSPITAL_NUMBER = regex.compile(rf"(?i){_INTRO}\s*(?:is|was|:|-|–|=)?\s*(?P<value>{_ID})(?![\w])")


class HospitalNumberRecogniser(RegexRecogniser):
    ENTITY = "HOSPITAL_NUMBER"
    PATTERNS = ((_HOSPITAL_NUMBER, 0.9),)
