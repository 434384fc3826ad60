"""A question-set document derived from an earlier version by a recorded list of changes.

A later taxonomy version mostly keeps the earlier one's questions and codes (codes are stable across
versions), so its document says only what changed (`versions/v6.yaml`):

    derived_from: "5"
    changes:
      - {remove: Gender, reason: ...}
      - {add: {id: GenderIdentity, ...}, after: AgeBracket, reason: ...}
      - {replace: Process, with: {id: HealthcareProcess, ...}, reason: ...}
      - {update: LocationWithinService, set: {reveals: [...]}, reason: ...}

Every change names a question that exists (or, for `add`, one to put it after, or a section), and
carries its `reason` (where the public record says so, or what was assumed): a change that cannot be
applied is a problem the loader reports, like any other problem with a document.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

# Keys of the derived document that replace the base's; the rest of the base is kept as it is.
_OWN_KEYS = ("version", "title", "wording", "online_form")


class DerivationError(ValueError):
    pass


def derive(document: Mapping[str, Any], read_base: Callable[[str], Mapping[str, Any]]) -> dict[str, Any]:
    """The full document: the base version's, with this one's own keys and its changes applied."""
    base_version = str(document["derived_from"])
    base = read_base(base_version)
    if "derived_from" in base:
        base = derive(base, read_base)
    derived = copy.deepcopy(dict(base))
    for key in _OWN_KEYS:
        if key in document:
            derived[key] = copy.deepcopy(document[key])
    if "online_form" not in document:
        derived.pop("online_form", None)
    problems = []
    for number, change in enumerate(document.get("changes") or (), start=1):
        if not isinstance(change, Mapping) or not str(change.get("reason") or "").strip():
            problems.append(f"change {number}: needs a reason")
            continue
        try:
            _apply(derived, change)
        except DerivationError as error:
            problems.append(f"change {number}: {error}")
    if problems:
        raise DerivationError(f"version {document.get('version')}: " + "; ".join(problems))
    return derived


def _find(document: dict, question_id: str) -> tuple[list, int]:
    for section in document.get("sections") or ():
        questions = section.get("questions") or []
        for index, question in enumerate(questions):
            if question.get("id") == question_id:
                return questions, index
    raise DerivationError(f"no question {question_id!r}")


def _apply(document: dict, change: Mapping[str, Any]) -> None:
    if "remove" in change:
        questions, index = _find(document, change["remove"])
        del questions[index]
    elif "replace" in change:
        questions, index = _find(document, change["replace"])
        questions[index] = copy.deepcopy(dict(change["with"]))
    elif "update" in change:
        questions, index = _find(document, change["update"])
        questions[index] = {**questions[index], **copy.deepcopy(dict(change["set"]))}
    elif "add" in change:
        question = copy.deepcopy(dict(change["add"]))
        if "after" in change:
            questions, index = _find(document, change["after"])
            questions.insert(index + 1, question)
        else:
            section = next((s for s in document["sections"] if s.get("id") == change.get("section")), None)
            if section is None:
                raise DerivationError(f"add {question.get('id')}: give `after` or an existing `section`")
            section.setdefault("questions", []).append(question)
    else:
        raise DerivationError("a change is one of add, remove, replace or update")
