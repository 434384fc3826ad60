"""UK telephone numbers (landline, mobile, non-geographic; national or +44) and other international ones."""

import regex

from .base import RegexRecogniser

# "+44 7700 900123", "(+44) 7700 900123", "+44 (0)113 496 0000", "0044-113-496-0000", "(0113) 496 0000".
_UK = regex.compile(
    r"(?<![\w+])(?:\(?(?:\+|00)\s?44\)?[\s.-]?(?:\(0\)\s?|0[\s.-]?)?\(?|\(?0)\d[\d\s().-]{7,15}\d(?![\d])"
)
_INTERNATIONAL = regex.compile(r"(?<![\w+])(?:\+|00)(?!44)[1-9]\d{0,2}[\s.-]?\(?\d[\d\s().-]{5,15}\d(?![\d])")
_VALID_FIRST_DIGITS = set("1235789")


def _national_digits(raw: str) -> str:
    digits = regex.sub(r"\D", "", raw)
    if raw.lstrip("( ").startswith(("+", "00")):
        return digits.removeprefix("00").removeprefix("44").removeprefix("0")
    return digits.removeprefix("0")


class UkPhoneRecogniser(RegexRecogniser):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = ((_UK, 0.85), (_INTERNATIONAL, 0.7))

    def score_match(self, text, match, score):
        raw = match.group()
        if match.re is _INTERNATIONAL:
            return score if 8 <= len(regex.sub(r"\D", "", raw)) <= 15 else None
        if regex.search(r"\d\s{2,}\d|[(.-]{2}|[).-]{2}(?!\s)", raw):
            return None
        national = _national_digits(raw)
        if len(national) not in (9, 10) or national[0] not in _VALID_FIRST_DIGITS:
            return None
        return score
