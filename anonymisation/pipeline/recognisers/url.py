"""Web addresses with a scheme, a ``www.`` prefix or a path (a bare domain such as nhs.uk is not personal)."""

import regex

from .base import RegexRecogniser

_TRAILING = ".,;:!?)]}'\"’"
# Domain labels are bounded ({1,8}, {0,62}) and must start after a non-domain character, so that text
# like "a.a.a.a..." cannot make the pattern backtrack quadratically.
_URL = regex.compile(
    r"(?i)\b(?:(?:https?|ftp)://[^\s<>\"]+|www\.[^\s<>\"]+|"
    r"(?<![\w.-])(?:[a-z0-9][a-z0-9-]{0,62}\.){1,8}[a-z]{2,24}/[^\s<>\"]+)"
)


class UrlRecogniser(RegexRecogniser):
    ENTITY = "URL"
    PATTERNS = ((_URL, 0.6),)
    REQUIRES = ("/", "www.", "WWW.")

    def _results(self, text):
        for result in super()._results(text):
            while result.end > result.start and text[result.end - 1] in _TRAILING:
                result.end -= 1
            yield result
