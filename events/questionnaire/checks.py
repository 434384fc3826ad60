"""Whole-document checks: references, order, cycles and reachability.

`structural_problems(question_set)` returns a list of readable problems (empty when sound):
- a condition names an unknown question, a code its question does not have, an unknown event type,
  or a question of a repeated group from outside it;
- a condition reads a question that comes later in the route (or itself): the route is computed in
  one pass in document order, so every dependency must point backwards;
- the dependencies form a cycle;
- a question, reveal or section can never be shown: no combination of event type, anonymity and
  earlier answers makes it visible (found by trying, with the engine itself, every combination of
  the codes the conditions involve).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .conditions import Condition, all_of
from .model import CHOICE_KINDS, Kind, Question, QuestionSet, Section

_MAX_COMBINATIONS = 20000
_SAMPLE_VALUES = {
    Kind.TEXT: "text",
    Kind.DATE: "2024-01-31",
    Kind.MONTH_YEAR: "2024-01",
    Kind.TIME: "09:30",
    Kind.NUMBER: 1,
    Kind.AGE: 372,
    Kind.ORGANISATION: "RJ1",
    Kind.REFERENCE: "146-925-633",
}


def structural_problems(question_set: QuestionSet) -> list[str]:
    problems = list(_reference_problems(question_set))
    if problems:
        return problems  # order, cycles and reachability only make sense with sound references
    problems += _order_problems(question_set)
    problems += _cycle_problems(question_set)
    if not problems:
        problems += _reachability_problems(question_set)
    return problems


def dependencies(question_set: QuestionSet) -> dict[str, set[str]]:
    """Question id → the ids it depends on (its conditions, its section's, its parent's)."""
    graph: dict[str, set[str]] = {}
    for section in question_set.sections:
        section_refs = {qid for qid, _ in section.when.references()} if section.when else set()
        for question in section.questions:
            own = {qid for qid, _ in question.when.references()} if question.when else set()
            graph[question.id] = section_refs | own
            for reveal in question.reveals:
                graph[reveal.id] = {question.id}
    return graph


def _conditions(question_set: QuestionSet) -> Iterator[tuple[str, Condition, Section, Question | None]]:
    for section in question_set.sections:
        if section.when:
            yield f"section {section.id}", section.when, section, None
        for question in section.questions:
            if question.when:
                yield f"question {question.id}", question.when, section, question


def _reference_problems(question_set: QuestionSet) -> Iterator[str]:
    keys = {et.key for et in question_set.event_types}
    for where, condition, section, _question in _conditions(question_set):
        for key in set(condition.event_type_keys()) - keys:
            yield f"{where}: condition on unknown event type {key!r}"
        for qid, codes in condition.references():
            if not question_set.has_question(qid):
                yield f"{where}: condition on unknown question {qid!r}"
                continue
            target = question_set.question(qid)
            unknown = [code for code in codes if code not in target.codes]
            if unknown:
                yield f"{where}: condition on unknown codes {unknown} of {qid}"
            if codes and target.kind not in CHOICE_KINDS and not target.options:
                yield f"{where}: {qid} is a {target.kind} question and has no codes to test"
            target_group = target.group
            if target_group and target_group != (section.repeat.group if section.repeat else None):
                yield f"{where}: {qid} belongs to the {target_group} group and cannot be read outside it"


def _order_problems(question_set: QuestionSet) -> Iterator[str]:
    position = {q.id: index for index, q in enumerate(question_set.all_questions())}
    start = 0
    for section in question_set.sections:
        section_refs = [qid for qid, _ in section.when.references()] if section.when else []
        for qid in section_refs:
            if position[qid] >= start:
                yield f"section {section.id}: depends on {qid}, which is asked inside or after it"
        for question in section.questions:
            for qid, _ in question.when.references() if question.when else ():
                if position[qid] >= position[question.id]:
                    yield f"question {question.id}: depends on {qid}, which is not asked before it"
        start += sum(1 + len(q.reveals) for q in section.questions)


def _cycle_problems(question_set: QuestionSet) -> Iterator[str]:
    graph = dependencies(question_set)
    state: dict[str, str] = {}  # "open" while on the current path, "done" after

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for needed in sorted(graph.get(node, ())):
            if state.get(needed) == "open":
                return [*path[path.index(needed) :], needed] if needed in path else [node, needed]
            if needed not in state:
                found = visit(needed, [*path, needed])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                yield "cycle: " + " → ".join(cycle)


def _reachability_problems(question_set: QuestionSet) -> Iterator[str]:
    for section in question_set.sections:
        if section.placeholder:
            if not _witness(question_set, section, None):
                yield f"section {section.id} can never be shown"
            continue
        for question in section.questions:
            for item in (question, *question.reveals):
                if not _witness(question_set, section, item):
                    yield f"question {item.id} is unreachable"


def _witness(question_set: QuestionSet, section: Section, question: Question | None) -> bool:
    """Try answers built from the codes the conditions involve until the target is shown."""
    from .engine import EVENT_TYPE, Journey  # the engine is the judge of what is shown

    condition = all_of(section.when, question.when if question else None)
    needed = _closure(question_set, condition, question)
    candidates = [_candidates(question_set, qid, needed[qid]) for qid in needed]
    allowed = (section.event_types or frozenset()) | (
        (question.event_types if question else None) or frozenset()
    )
    event_types = sorted(question_set.event_types, key=lambda et: et.key not in allowed)  # likely ones first
    combinations = itertools.product(event_types, (False, True), *candidates)
    for count, (event_type, anonymous, *values) in enumerate(combinations):
        if count > _MAX_COMBINATIONS:
            return False
        answers: dict = {EVENT_TYPE: event_type.code}
        for qid, value in zip(needed, values, strict=True):
            if value is None:
                continue
            target = question_set.question(qid)
            scope = answers.setdefault(target.group, [{}])[0] if target.group else answers
            scope[qid] = value
        journey = Journey(question_set, answers, anonymous=anonymous)
        if question is None:
            if any(item.section_id == section.id for item in journey.task_list()):
                return True
        elif journey.visible(question.id, 1 if question.group else None):
            return True
    return False


def _closure(question_set: QuestionSet, condition: Condition | None, question: Question | None) -> dict:
    """Every question the target transitively depends on → the codes tested on it."""
    needed: dict[str, set[str]] = {}
    pending = [condition] if condition else []
    if question is not None and question.reveal_of:
        needed[question.reveal_of] = {question.opened_by}
        pending.append(_visibility(question_set, question_set.question(question.reveal_of)))
    while pending:
        current = pending.pop()
        if current is None:
            continue
        for qid, codes in current.references():
            first_time = qid not in needed
            needed.setdefault(qid, set()).update(codes)
            if first_time:
                pending.append(_visibility(question_set, question_set.question(qid)))
    order = {q.id: index for index, q in enumerate(question_set.all_questions())}
    return {qid: needed[qid] for qid in sorted(needed, key=order.__getitem__)}


def _visibility(question_set: QuestionSet, question: Question) -> Condition | None:
    return all_of(question_set.section(question.section_id).when, question.when)


def _candidates(question_set: QuestionSet, qid: str, codes: set[str]) -> list:
    question = question_set.question(qid)
    ordered = [code for code in question.codes if code in codes]
    many = question.kind == Kind.MULTIPLE_CHOICE
    values: list = [[code] if many else code for code in ordered]
    if many and len(ordered) > 1:
        values.append(ordered)
    if not ordered:
        values.append(_sample(question))
    return [*values, None]  # answered first: most questions open on an answer


def _sample(question: Question):
    if question.kind == Kind.MULTIPLE_CHOICE:
        return [question.codes[0]]
    if question.kind in CHOICE_KINDS:
        return question.codes[0]
    return _SAMPLE_VALUES[question.kind]
