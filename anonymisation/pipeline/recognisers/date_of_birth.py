"""Dates of birth. Only dates introduced as a birth date: an incident date is not personal data."""

import regex

from .base import RegexRecogniser

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# "DOB 12/03/1945", "date of birth: 12 March 1945", "DOB on the wristband was 12.03.45": up to four
# words without digits may sit between the introducer and the date.
_INTRO = (
    r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|birthday)"
    r"(?:[\s:=(–-]+[\p{L}'’]+){0,4}?(?:\s*(?:is|was|of|:|-|–|\(|=))*\s*"
)
_DOB = regex.compile(rf"(?i){_INTRO}(?P<value>{_DATE})(?![\w/])")


class DateOfBirthRecogniser(RegexRecogniser):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = ((_DOB, 0.95),)
