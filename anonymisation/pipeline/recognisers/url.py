"""Web addresses with a scheme, a ``www.`` prefix or a path (a bare domain such as nhs.uk is not personal)."""

import regex

from .base import RegexRecogniser

_TRAILING = ".,;:!?)]}'\"’"
_URL = regex.compile(
    r"(?i)\b(?:(?:https?|ftp)://[^\s<>\"]+|www\.[^\s<>\"]+|"
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}/[^\s<>\"]+)"
)


class UrlRecogniser(RegexRecogniser):
    ENTITY = "URL"
    PATTERNS = ((_URL, 0.6),)

    def _results(self, text):
        for result in super()._results(text):
            while result.end > result.start and text[result.end - 1] in _TRAILING:
                result.end -= 1
            yield result
