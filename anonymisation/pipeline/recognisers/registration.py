"""Professional registration numbers, by their register's name (see docs/adr/0012).

GMC (7 digits), NMC PIN (99A9999A), HCPC (profession prefix and digits), GPhC (7 digits), GDC (digits):
the number may follow the register's name directly or after a few words ("GMC number is 1234567",
"registered with the NMC, PIN 12A3456E", "HCPC registration 123456"). A bare NMC PIN is still a PIN.
"""

import regex

from .base import RegexRecogniser

# Up to four short words between the register and the number: "GMC reference number", "NMC pin is".
_GAP = r"(?:[\s:#(,.=–-]+(?!\d)[\p{L}.]{1,14}){0,4}?[\s:#(,.=–-]*"
_GMC = regex.compile(rf"(?i)\b(?:gmc|general\s+medical\s+council){_GAP}(?P<value>\d{{7}})(?!\d)")
_GPHC = regex.compile(rf"(?i)\b(?:gphc|gdc|goc|psni){_GAP}(?P<value>\d{{5,8}})(?!\d)")
_NMC_PIN = regex.compile(r"(?<![\w])(?P<value>\d{2}[A-Z]\d{4}[A-Z])(?![\w])", regex.IGNORECASE)
_NMC = regex.compile(
    rf"(?i)\b(?:nmc|nursing\s+and\s+midwifery\s+council){_GAP}(?P<value>\d{{2}}[A-Z]\d{{4}}[A-Z]|\d{{6,8}}[A-Z]?)(?![\w])"
)
_NMC_CONTEXT = regex.compile(r"(?i)\b(?:nmc|pin)\b")
_HCPC_PREFIXES = r"(?:PA|PH|OT|RA|SL|CH|DT|BS|CS|AS|PO|OR|PYL|ODP|HAD|AA|SW|AR|MT|DI)"
_HCPC = regex.compile(
    rf"(?i)\b(?:hcpc|health\s+and\s+care\s+professions\s+council){_GAP}"
    rf"(?P<value>{_HCPC_PREFIXES}\s?\d{{4,6}}|\d{{5,6}})(?!\d)"
)
_GENERIC = regex.compile(
    r"(?i)\b(?:professional\s+)?registration\s+(?:number|no\.?)\s*(?::|-|is|was)?\s*"
    r"(?P<value>(?=[A-Z]{0,3}\d)[A-Z]{0,3}\d{4,8}[A-Z]?)(?![\w])"
)


class RegistrationNumberRecogniser(RegexRecogniser):
    ENTITY = "REGISTRATION_NUMBER"
    PATTERNS = (
        (_GMC, 0.95),
        (_HCPC, 0.95),
        (_NMC, 0.95),
        (_GPHC, 0.9),
        (_NMC_PIN, 0.7),
        (_GENERIC, 0.85),
    )

    def score_match(self, text, match, score):
        if match.re is _NMC_PIN:
            window = text[max(0, match.start() - 40) : match.start()]
            return 0.95 if _NMC_CONTEXT.search(window) else score
        return score
