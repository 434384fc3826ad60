"""Professional registration numbers: GMC (7 digits), NMC PIN (99A9999A) and HCPC (profession prefix)."""

import regex

from .base import RegexRecogniser

_SEPARATOR = r"(?:\s*(?:reg(?:istration)?\.?|number|no\.?|num|pin|code|ref|#|:|-|–|is|was|\())*\s*"
_GMC = regex.compile(rf"(?i)\bgmc{_SEPARATOR}(?P<value>\d{{7}})(?!\d)")
_NMC_PIN = regex.compile(r"(?<![\w])(?P<value>\d{2}[A-Z]\d{4}[A-Z])(?![\w])", regex.IGNORECASE)
_NMC_CONTEXT = regex.compile(r"(?i)\b(?:nmc|pin)\b")
_HCPC_PREFIXES = r"(?:PA|PH|OT|RA|SL|CH|DT|BS|CS|AS|PO|OR|PYL|ODP|HAD|AA|SW|AR|MT|DI)"
_HCPC = regex.compile(rf"(?i)\bhcpc{_SEPARATOR}(?P<value>{_HCPC_PREFIXES}\s?\d{{4,6}})(?!\d)")
_GENERIC = regex.compile(
    r"(?i)\b(?:professional\s+)?registration\s+(?:number|no\.?)\s*(?::|-|is|was)?\s*"
    r"(?P<value>(?=[A-Z]{0,3}\d)[A-Z]{0,3}\d{4,8}[A-Z]?)(?![\w])"
)


class RegistrationNumberRecogniser(RegexRecogniser):
    ENTITY = "REGISTRATION_NUMBER"
    PATTERNS = ((_GMC, 0.95), (_HCPC, 0.95), (_NMC_PIN, 0.7), (_GENERIC, 0.85))

    def score_match(self, text, match, score):
        if match.re is _NMC_PIN:
            window = text[max(0, match.start() - 40) : match.start()]
            return 0.95 if _NMC_CONTEXT.search(window) else score
        return score
