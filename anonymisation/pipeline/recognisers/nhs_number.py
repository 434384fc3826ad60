"""NHS numbers: ten digits whose last is a modulus 11 check digit."""

import regex

from .base import RegexRecogniser, context_before, words

_NHS = regex.compile(r"(?<![\w.+/-])(\d{3})([\s-]?)(\d{3})\2(\d{4})(?![\w/]|[.-]\d)")
_CONTEXT = regex.compile(words("nhs", "nhs no", "nhs number", "nhs num", "nhsno"), regex.IGNORECASE)


def nhs_checksum_ok(number: str) -> bool:
    digits = [int(d) for d in number if d.isdecimal()]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


class NhsNumberRecogniser(RegexRecogniser):
    ENTITY = "NHS_NUMBER"
    PATTERNS = ((_NHS, 0.9),)

    def score_match(self, text, match, score):
        in_context = context_before(text, match.start(), _CONTEXT, window=30)
        if nhs_checksum_ok(match.group()):
            return 1.0 if in_context else score
        # A mistyped NHS number is still an identifier when the writer says what it is.
        return 0.6 if in_context else None
