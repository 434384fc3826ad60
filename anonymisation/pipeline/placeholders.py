"""Numbered placeholders: ``[PERSON 1]``, ``[EMAIL ADDRESS 1]``, ``[NHS NUMBER 2]`` ...

The same value gets the same number in every free-text field of a record and in every revision of it,
because the caller keeps the :class:`PlaceholderMapping` with the record and passes it back in. Values
are compared after normalisation, so "Dr Smith", "smith" and "Smith's" are one person, "+44 7700 900123"
and "07700900123" one phone number.

The mapping holds the normalised identifiers themselves (it has to, to recognise them next time): it is
as sensitive as the raw text and must be stored encrypted, like the raw text. It serialises to a small
JSON document (:meth:`PlaceholderMapping.to_json`) for exactly that.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import regex

from .allow_list import HONORIFICS, JOB_TITLES, fold

FORMAT_VERSION = 1
_TITLE_WORDS = HONORIFICS | {"nurse", "sister", "matron", "midwife"} | {t for t in JOB_TITLES if " " not in t}
_DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y", "%d-%m-%Y", "%d-%m-%y", "%Y-%m-%d", "%d %B %Y",
    "%d %b %Y", "%B %d %Y", "%b %d %Y", "%d of %B %Y", "%d of %b %Y",
)  # fmt: skip


def placeholder_label(entity_type: str) -> str:
    """``EMAIL_ADDRESS`` -> ``EMAIL ADDRESS``."""
    return entity_type.replace("_", " ")


_NOT_ALPHANUMERIC = regex.compile(r"[\W_]")
_POSSESSIVE = regex.compile(r"['’]s\b|['’]$")
_NOT_DIGIT = regex.compile(r"\D")


def _alphanumeric(value: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", value).upper()


def _person(value: str) -> str:
    words = _POSSESSIVE.sub("", fold(value))
    parts = [p.strip(".,()") for p in words.split()]
    while parts and parts[0] in _TITLE_WORDS:
        parts = parts[1:]
    return " ".join(p for p in parts if p)


def _phone(value: str) -> str:
    digits = _NOT_DIGIT.sub("", value)
    if value.lstrip("( ").startswith(("+44", "0044")):
        digits = "0" + digits.removeprefix("00").removeprefix("44").removeprefix("0")
    return digits


def _date(value: str) -> str:
    cleaned = regex.sub(r"(?<=\d)(st|nd|rd|th)\b", "", value.strip()).replace(",", "")
    cleaned = regex.sub(r"\s+", " ", cleaned).title().replace(" Of ", " of ")
    for pattern in _DATE_FORMATS:
        try:
            parsed: date = datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
        return parsed.isoformat()
    return fold(value).strip()


def _url(value: str) -> str:
    lowered = value.strip().lower()
    lowered = regex.sub(r"^(?:https?|ftp)://", "", lowered)
    return lowered.removeprefix("www.").rstrip("/")


_NORMALISERS = {
    "PERSON": _person,
    "EMAIL_ADDRESS": lambda v: regex.sub(r"\s", "", v).casefold(),
    "PHONE_NUMBER": _phone,
    "NHS_NUMBER": lambda v: regex.sub(r"\D", "", v),
    "NI_NUMBER": _alphanumeric,
    "POSTCODE": _alphanumeric,
    "HOSPITAL_NUMBER": _alphanumeric,
    "REGISTRATION_NUMBER": _alphanumeric,
    "DATE_OF_BIRTH": _date,
    "URL": _url,
}


def normalise(entity_type: str, value: str) -> str:
    """The key under which ``value`` is numbered; equal keys share a placeholder."""
    normaliser = _NORMALISERS.get(entity_type)
    key = normaliser(value) if normaliser else regex.sub(r"[^\w]+", " ", fold(value)).strip()
    return key or fold(value).strip()


class PlaceholderMapping:
    """Which number each (entity type, normalised value) has; JSON-serialisable, meant to be encrypted."""

    def __init__(self) -> None:
        self._numbers: dict[str, dict[str, int]] = {}
        self._counters: dict[str, int] = {}

    # Numbering -----------------------------------------------------------------------------------------
    def number(self, entity_type: str, value: str) -> int:
        """The number of ``value`` (allocating the next one for a value not seen before)."""
        key = normalise(entity_type, value)
        known = self._numbers.setdefault(entity_type, {})
        if key in known:
            return known[key]
        number = self._alias(known, key) if entity_type == "PERSON" else None
        if number is None:
            number = self._counters.get(entity_type, 0) + 1
            self._counters[entity_type] = number
        known[key] = number
        return number

    def placeholder(self, entity_type: str, value: str) -> str:
        return f"[{placeholder_label(entity_type)} {self.number(entity_type, value)}]"

    @staticmethod
    def _alias(known: dict[str, int], key: str) -> int | None:
        """The number of a known person this name also fits: "Smith" after "John Smith", if only one fits.

        A number fits when one of its names contains the new one or is contained in it, and none of its
        full names contradicts it ("Mary Smith" is not "John Smith", though both contain "Smith").
        """
        words = frozenset(key.split())
        if not words:
            return None
        names_by_number: dict[int, list[frozenset[str]]] = {}
        for other, number in known.items():
            names_by_number.setdefault(number, []).append(frozenset(other.split()))

        def fits(names: list[frozenset[str]]) -> bool:
            related = any(words <= name or name <= words for name in names)
            contradicted = any(len(name) > 1 and not (words <= name or name <= words) for name in names)
            return related and not contradicted

        matches = [number for number, names in names_by_number.items() if fits(names)]
        return matches[0] if len(matches) == 1 else None

    # Serialisation -------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION, "counters": dict(self._counters), "values": self._numbers}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PlaceholderMapping:
        mapping = cls()
        if not data:
            return mapping
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"Unsupported placeholder mapping version: {data.get('version')!r}")
        mapping._counters = {str(k): int(v) for k, v in data.get("counters", {}).items()}
        mapping._numbers = {
            str(entity_type): {str(key): int(number) for key, number in values.items()}
            for entity_type, values in data.get("values", {}).items()
        }
        return mapping

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, document: str | bytes | None) -> PlaceholderMapping:
        return cls.from_dict(json.loads(document) if document else None)

    def copy(self) -> PlaceholderMapping:
        return PlaceholderMapping.from_dict(json.loads(self.to_json()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlaceholderMapping) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:  # never show the values
        return f"<PlaceholderMapping {dict(self._counters)}>"
