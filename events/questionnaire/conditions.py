"""Small declarative predicates that open sections, questions and follow-ups.

A document writes them as YAML mappings; `parse_condition` turns them into these objects:

    {answered: Q}                      Q has an answer
    {answer: Q, contains: CODE}        Q's answer is CODE, or Q's list of codes includes CODE
    {answer: Q, one_of: [CODES]}       Q's answer (or one of its codes) is any of CODES
    {event_type: [KEYS]}               the event being recorded is one of these types
    {anonymous: true|false}            the recorder is (not) recording anonymously
    {all: [...]} {any: [...]} {not: C} combinations
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class Context(Protocol):
    """What a condition can see: earlier answers (in the right scope) and the journey context."""

    event_type: str | None  # event type key
    anonymous: bool

    def answer(self, question_id: str) -> Any: ...


class ConditionError(ValueError):
    pass


def selected_codes(value: Any) -> tuple[str, ...]:
    """The codes an answer holds: a single code, a list of codes, or none."""
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return (str(value),)


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


class Condition:
    def holds(self, context: Context) -> bool:
        raise NotImplementedError

    def references(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(question id, codes tested) for every answer this condition reads."""
        return iter(())

    def event_type_keys(self) -> Iterator[str]:
        return iter(())

    def atoms(self) -> Iterator[Condition]:
        """The simple conditions inside this one."""
        yield self

    def describe(self, labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Answered(Condition):
    question: str

    def holds(self, context: Context) -> bool:
        return is_answered(context.answer(self.question))

    def references(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        yield self.question, ()

    def describe(self, labels=None) -> str:
        return f"{self.question} answered"


@dataclass(frozen=True)
class Includes(Condition):
    """Answer is, or contains, any of the codes (`contains` and `one_of` in documents)."""

    question: str
    codes: tuple[str, ...]

    def holds(self, context: Context) -> bool:
        return any(code in self.codes for code in selected_codes(context.answer(self.question)))

    def references(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        yield self.question, self.codes

    def describe(self, labels=None) -> str:
        names = (labels or {}).get(self.question, {})
        shown = " or ".join(f"{code} ({names[code]})" if code in names else code for code in self.codes)
        return f"{self.question} = {shown}"


@dataclass(frozen=True)
class EventTypeIs(Condition):
    keys: tuple[str, ...]

    def holds(self, context: Context) -> bool:
        return context.event_type in self.keys

    def event_type_keys(self) -> Iterator[str]:
        yield from self.keys

    def describe(self, labels=None) -> str:
        return "event type is " + " or ".join(self.keys)


@dataclass(frozen=True)
class Anonymous(Condition):
    value: bool

    def holds(self, context: Context) -> bool:
        return context.anonymous is self.value

    def describe(self, labels=None) -> str:
        return "anonymous recorder" if self.value else "signed-in recorder"


@dataclass(frozen=True)
class _Compound(Condition):
    """Conditions made of parts: what they read is what their parts read."""

    parts: tuple[Condition, ...]

    def references(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        for part in self.parts:
            yield from part.references()

    def event_type_keys(self) -> Iterator[str]:
        for part in self.parts:
            yield from part.event_type_keys()

    def atoms(self) -> Iterator[Condition]:
        for part in self.parts:
            yield from part.atoms()


@dataclass(frozen=True)
class All(_Compound):
    def holds(self, context: Context) -> bool:
        return all(part.holds(context) for part in self.parts)

    def describe(self, labels=None) -> str:
        return " and ".join(_bracket(part, labels) for part in self.parts)


@dataclass(frozen=True)
class AnyOf(_Compound):
    def holds(self, context: Context) -> bool:
        return any(part.holds(context) for part in self.parts)

    def describe(self, labels=None) -> str:
        return " or ".join(_bracket(part, labels) for part in self.parts)


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def holds(self, context: Context) -> bool:
        return not self.part.holds(context)

    def references(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        yield from self.part.references()

    def event_type_keys(self) -> Iterator[str]:
        yield from self.part.event_type_keys()

    def atoms(self) -> Iterator[Condition]:
        yield from self.part.atoms()

    def describe(self, labels=None) -> str:
        return "not " + _bracket(self.part, labels)


def _bracket(condition: Condition, labels) -> str:
    text = condition.describe(labels)
    return f"({text})" if isinstance(condition, All | AnyOf) else text


def all_of(*conditions: Condition | None) -> Condition | None:
    """Combine the conditions that are set; None when there are none."""
    present = tuple(c for c in conditions if c is not None)
    if not present:
        return None
    return present[0] if len(present) == 1 else All(present)


def parse_condition(raw: Any) -> Condition:
    """Build a condition from its document form; raises ConditionError on anything else."""
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(f"a condition must be a mapping, not {raw!r}")
    keys = set(raw)
    if keys == {"answered"}:
        return Answered(_question_id(raw["answered"]))
    if keys == {"answer", "contains"}:
        return Includes(_question_id(raw["answer"]), (_code(raw["contains"]),))
    if keys == {"answer", "one_of"}:
        codes = raw["one_of"]
        if not isinstance(codes, list) or not codes:
            raise ConditionError(f"one_of needs a non-empty list of codes: {raw!r}")
        return Includes(_question_id(raw["answer"]), tuple(_code(code) for code in codes))
    if keys == {"event_type"}:
        event_types = raw["event_type"]
        if not isinstance(event_types, list) or not event_types:
            raise ConditionError(f"event_type needs a non-empty list: {raw!r}")
        return EventTypeIs(tuple(str(key) for key in event_types))
    if keys == {"anonymous"}:
        if not isinstance(raw["anonymous"], bool):
            raise ConditionError(f"anonymous must be true or false: {raw!r}")
        return Anonymous(raw["anonymous"])
    if keys in ({"all"}, {"any"}):
        (name,) = keys
        parts = raw[name]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"{name} needs a non-empty list of conditions: {raw!r}")
        parsed = tuple(parse_condition(part) for part in parts)
        return All(parsed) if name == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse_condition(raw["not"]))
    raise ConditionError(f"unknown condition {raw!r}")


def _question_id(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConditionError(f"a question id must be a string, not {value!r}")
    return value


def _code(value: Any) -> str:
    if not isinstance(value, str):
        raise ConditionError(f"codes must be quoted strings, not {value!r}")
    return value
