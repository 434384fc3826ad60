"""Email addresses."""

import regex

from .base import RegexRecogniser

# RFC 5322 allows "/" in the local part, but in narratives it is a URL path ("tiktok.com/@name.surname").
_LOCAL = r"[\w!#$%&'*+=?^`{|}~-]+(?:\.[\w!#$%&'*+=?^`{|}~-]+)*"
_DOMAIN = r"(?:[\p{L}\d](?:[\p{L}\d-]{0,61}[\p{L}\d])?\.)+\p{L}{2,24}"


class EmailRecogniser(RegexRecogniser):
    ENTITY = "EMAIL_ADDRESS"
    REQUIRES = ("@",)
    PATTERNS = ((regex.compile(rf"(?<![\w.+/-]){_LOCAL}\s?@\s?{_DOMAIN}(?![\w-])"), 0.95),)
