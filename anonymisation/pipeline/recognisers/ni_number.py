"""National Insurance numbers: two letters, six digits, a suffix A-D (HMRC's allocation rules)."""

import regex

from .base import RegexRecogniser, context_before, words

_NINO = regex.compile(
    r"(?i)(?<![\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[\s-]?(\d{2})[\s-]?(\d{2})[\s-]?(\d{2})[\s-]?([A-D])(?![\w])"
)
_NEVER_ALLOCATED = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
_CONTEXT = regex.compile(words("ni", "nino", "national insurance", "n.i."), regex.IGNORECASE)


class NiNumberRecogniser(RegexRecogniser):
    ENTITY = "NI_NUMBER"
    PATTERNS = ((_NINO, 0.85),)

    def score_match(self, text, match, score):
        if match.group(1).upper() in _NEVER_ALLOCATED:
            return None
        return 1.0 if context_before(text, match.start(), _CONTEXT, window=30) else score
