"""UK postcodes (Royal Mail format: outward code, space, inward code)."""

import regex

from .base import RegexRecogniser

_POSTCODE = regex.compile(
    r"(?<![\w])(?:GIR ?0AA|(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?))"
    r"\s?\d[ABD-HJLNP-UW-Z]{2})(?![\w])",
    regex.IGNORECASE,
)


class PostcodeRecogniser(RegexRecogniser):
    ENTITY = "POSTCODE"
    PATTERNS = ((_POSTCODE, 0.8),)

    def score_match(self, text, match, score):
        value = match.group()
        if value.islower() and " " not in value:
            return 0.5  # "ls14ab" is a postcode far less often than "LS1 4AB"
        return score
