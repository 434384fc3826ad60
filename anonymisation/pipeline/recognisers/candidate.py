"""A name the person recogniser proposes: a token range, how sure the rule is and which rule it was."""

from dataclasses import dataclass


@dataclass(slots=True)
class Candidate:
    first: int  # token indices, inclusive
    last: int
    score: float
    rule: str
