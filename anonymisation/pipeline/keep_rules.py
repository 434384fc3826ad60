"""Protection rules added for issue 14 (see docs/adr/0012), called by ``allow_list.protected_spans``.

- the drug dictionary (``lexicon``): "Eliquis", "ozempic", "Zomorph";
- languages, faiths and festivals, NHS roles, clinical systems, device and UK medicine brands
  (``keep_vocabulary``); a single word that is also a common name ("Shona", "Kendall", "Christian") only
  vetoes weak guesses, unless its context says what it is ("speaks Shona", "Shona interpreter");
- ward and unit names: "seacole ward", "Fleming unit", "on Osler Ward";
- a listed eponym in the possessive on its own: "has Cushing's", "teaching on Raynaud's".
"""

from __future__ import annotations

from functools import cache

import regex

from .allow_list import EPONYM_PHRASES, PhraseMatcher, ProtectedSpan, _after_honorific, _names_a_person
from .keep_vocabulary import (
    CHARITIES_AND_SERVICES,
    CLINICAL_SYSTEMS,
    DEVICE_BRANDS,
    DRUG_BRANDS_UK,
    FAITHS_AND_FESTIVALS,
    JOB_TITLES_MORE,
    LANGUAGES,
)

_WEAK_KINDS = {"language"}
_DRUG_WORD = regex.compile(r"\b\p{L}[\p{L}-]{3,39}\b")
_LANGUAGE_CONTEXT_BEFORE = regex.compile(r"(?i)\b(?:speaks?|spoke|speaking|fluent\s+in|in|only)\s+$")
_LANGUAGE_CONTEXT_AFTER = regex.compile(
    r"(?i)^[\s-]+(?:interpreter|interpreting|translator|translation|speaker|speaking|sign|only)\b"
)
# "seacole ward", "Fleming unit": a word before a lower-case ward / unit is the ward's name; before a
# capitalised one only after a word that introduces a place ("on Osler Ward"), since "Mrs Ward" is a person.
_LOWER_WARD = regex.compile(
    r"(?<![\w'’-])(?P<name>\p{L}[\p{L}'’-]{1,30})\s+(?:ward|unit|wing|suite)\b(?![-‐'’]\w)"
    r"(?!\s*(?:no\b|nos?\.|number|num\b|#))"  # "Musa Abdulkadir unit number T531319": a hospital number
)
_PLACE_WARD = regex.compile(
    r"(?i)\b(?:on|onto|to|from|in|at|covering|left|off)\s+(?P<name>(?-i:\p{Lu}[\p{L}'’-]{1,30}))\s+"
    r"(?:ward|unit|wing|suite)\b(?![-‐'’]\w)(?!\s*(?:no\b|nos?\.|number|num\b|#))"
)
# Hospitals by their usual short names: "Rotherham General", "Royal Bolton", "Calderdale Royal", "st
# gemma's hospice", "Diana Princess of Wales Hospital"; a person detection may not cover them.
_HOSPITAL = regex.compile(
    r"(?i)\b(?:royal\s+(?-i:\p{Lu})[\p{L}'’-]{1,30}|(?-i:\p{Lu})[\p{L}'’-]{1,30}\s+(?:general|royal)\b|"
    r"(?:st\.?|saint)\s+\p{L}[\p{L}'’-]{1,30}(?:\s+(?:hospital|hospice|infirmary))?|"
    r"(?-i:\p{Lu}[\p{L}'’-]{1,30}(?:\s+(?:of\s+|and\s+)?\p{Lu}[\p{L}'’-]{1,30}){0,4}\s+(?:General\s+)?"
    r"(?:Hospital|Hospice|Infirmary))|(?-i:\p{Ll})[\p{L}'’-]{1,30}\s+(?:hospital|hospice|infirmary))"
)
# The same names written all in lower case or capitals: "fairfield general", "WATFORD GENERAL", "bradford
# royal infirmary", "ST JAMES'S UNIVERSITY HOSPITAL". Only in text without the capital-letter hint. No
# preposition or article inside the name: "carol from the hospice rang" names a person and a hospice.
_HOSPITAL_ANY_CASE = regex.compile(
    r"(?i)(?<![\w'’-])(?!(?:to|in|at|from|the|a|an|and|of|into|back|local|nearest|district|general|"
    r"community|his|her|their|with|by|for|on|or|w)\b)\p{L}[\p{L}'’-]{2,30}"
    r"(?:\s+(?!(?:to|in|at|from|the|a|an|into|with|by|for|on)\b)\p{L}[\p{L}'’-]{1,30}){0,2}?\s+"
    r"(?:general|royal|(?:royal\s+|general\s+|university\s+|district\s+|community\s+)?"
    r"(?:hospital|infirmary|hospice))\b(?!\s*(?:no\b|nos?\.|number|num\b|#|id\b))"
)
_JOINED_BEFORE_BARE_ROYAL = regex.compile(r"(?i)\s(?:and|or|\+|&)\s+(?:general|royal)$")
_HOSPITAL_WORD = regex.compile(r"\b(?:general|royal|hospital|infirmary|hospice)\b")
# "Respiratory Nurse Specialist", "Nurse Practitioner": a role after "Nurse" is no surname of a nurse; the
# phrase matcher may have taken "Diabetes Nurse" first, so this is matched on its own.
_NURSE_ROLE = regex.compile(
    r"(?i)\bnurse\s+(?:specialist|practitioner|consultant|lead|manager|adviser|advisor|educator)s?\b"
)
# A header naming the setting and then its town, as a note opens: "Community pharmacy, Wakefield.", "school
# nurse drop-in, carlisle." One or two words after the comma, then a full stop, colon or the line's end;
# only against weak guesses (a titled name after the comma stays a name).
_SETTING_THEN_TOWN = regex.compile(
    r"(?im)^[ \t]*(?:[\p{L}'’&/-]+[ \t]+){0,3}?(?:pharmacy|surgery|clinic|drop-in|reception|practice|"
    r"health centre|medical centre)[ \t]*,[ \t]*(?P<place>\p{L}[\p{L}'’-]+(?:[ \t]+\p{L}[\p{L}'’-]+)?)"
    r"[ \t]*(?:[.:;]|$)"
)
_POSSESSIVE = regex.compile(r"(?<![\w])(?P<stem>\p{Lu}[\p{Ll}-]{2,30})['’]s?(?![\w])")


@cache
def _vocabulary() -> PhraseMatcher:
    return PhraseMatcher(
        {
            "language": LANGUAGES,
            "faith": FAITHS_AND_FESTIVALS,
            "job_title": JOB_TITLES_MORE,
            "organisation": CHARITIES_AND_SERVICES,
            "system": CLINICAL_SYSTEMS,
            "device": DEVICE_BRANDS,
            "drug": DRUG_BRANDS_UK,
        }
    )


@cache
def _eponym_stems() -> frozenset[str]:
    """The possessive first words of the eponym phrases: "cushing", "raynaud", "korsakoff" ..."""
    stems = set()
    for phrase in EPONYM_PHRASES:
        first = phrase.split()[0]
        if first.endswith(("'s", "’s", "s'")):
            stems.add(first.rstrip("'’s").lower() if first.endswith("s'") else first[:-2].lower())
    return frozenset(stems)


def _common_name(word: str) -> bool:
    from .lexicon import get_lexicon

    return " " not in word and get_lexicon().is_name(word.lower(), given=2_000, surname=2_000)


def more_protected(text: str, folded: str, pos: int, endpos: int) -> list[ProtectedSpan]:
    spans = _drug_words(text, folded, pos, endpos)
    for start, end, kind in _vocabulary().finditer(folded, pos, endpos):
        if _names_a_person(text, start, end):
            continue
        explicit = kind not in _WEAK_KINDS and not _common_name(folded[start:end])
        if not explicit and kind == "language":
            explicit = bool(
                _LANGUAGE_CONTEXT_BEFORE.search(text, max(0, start - 20), start)
                or _LANGUAGE_CONTEXT_AFTER.match(text[end : end + 25])
            )
        spans.append(ProtectedSpan(start, end, kind, explicit))
    for match in _HOSPITAL.finditer(text, pos, endpos):
        if not _after_honorific(text, match.start()):
            spans.append(ProtectedSpan(match.start(), match.end(), "place", False))
    hint = _HOSPITAL_WORD.search(folded, pos, endpos)
    for match in _HOSPITAL_ANY_CASE.finditer(text, pos, endpos) if hint else ():
        value = match.group()
        if _JOINED_BEFORE_BARE_ROYAL.search(value):
            continue  # "with krzysztof and royal as hcas": two people, not a hospital
        if (value.islower() or value.isupper()) and not _after_honorific(text, match.start()):
            spans.append(ProtectedSpan(match.start(), match.end(), "place", False))
    for match in _NURSE_ROLE.finditer(text, pos, endpos):
        spans.append(ProtectedSpan(match.start(), match.end(), "job_title", True))
    for match in _SETTING_THEN_TOWN.finditer(text, pos, endpos):
        if not _after_honorific(text, match.start("place")) and not _given_name_first(folded, match):
            spans.append(ProtectedSpan(match.start("place"), match.end("place"), "place", False))
    for pattern in (_LOWER_WARD, _PLACE_WARD):
        for match in pattern.finditer(text, pos, endpos):
            if not _after_honorific(text, match.start("name")):
                spans.append(ProtectedSpan(match.start("name"), match.end(), "place", True))
    for match in _POSSESSIVE.finditer(text, pos, endpos):
        if match.group("stem").lower() in _eponym_stems() and not _names_a_person(
            text, match.start(), match.end("stem")
        ):
            spans.append(ProtectedSpan(match.start(), match.end(), "eponym", True))
    return spans


def _given_name_first(folded: str, match: regex.Match) -> bool:
    """ "Reception, Sarah.": a header's word after the comma that is a common given name is a person."""
    from .lexicon import get_lexicon

    rank = get_lexicon().given_rank(folded[match.start("place") : match.end("place")].split()[0])
    return rank is not None and rank <= 2_000


def _drug_words(text: str, folded: str, pos: int, endpos: int) -> list[ProtectedSpan]:
    """Drug names and brands from the drug dictionary; one that is also a common name ("Allegra")
    protects only against weak guesses."""
    from .lexicon import get_lexicon

    lexicon = get_lexicon()
    spans = []
    for match in _DRUG_WORD.finditer(folded, pos, endpos):
        word = match.group()
        if lexicon.is_drug(word) and not _names_a_person(text, match.start(), match.end()):
            spans.append(ProtectedSpan(match.start(), match.end(), "drug", not lexicon.is_name(word)))
    return spans
