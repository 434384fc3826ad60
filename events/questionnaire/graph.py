"""The branching graph of a question set in Graphviz DOT, for reviewers.

One cluster per section; one box per page question; dashed boxes for the "Other" boxes revealed on a
page. A labelled arrow runs from each answer a condition reads to what it opens (to a section's
first question when the condition is on the whole section); grey arrows show the order of pages.
"""

from __future__ import annotations

from .conditions import Anonymous, Condition, EventTypeIs
from .model import RECORDER, QuestionSet, Section

_ANONYMOUS_NODE = "anonymous recorder"
_EVENT_TYPE_NODE = "EventType"


def to_dot(question_set: QuestionSet) -> str:
    labels = {q.id: {o.code: _short(o.label) for o in q.options} for q in question_set.all_questions()}
    lines = [
        f"digraph {_quote(_graph_name(question_set))} {{",
        "  graph [rankdir=LR, compound=true, fontname=Arial, labelloc=t];",
        f"  label={_quote(question_set.title)};",
        "  node [shape=box, style=rounded, fontname=Arial, fontsize=10];",
        "  edge [fontname=Arial, fontsize=9];",
        f"  {_quote(_ANONYMOUS_NODE)} [shape=ellipse];",
    ]
    edges: list[str] = []
    for section in question_set.sections:
        lines += _cluster(section)
        edges += _section_edges(section, labels)
        for question in section.questions:
            if question.when:
                edges += _condition_edges(question.when, question.id, labels, None)
            if question.event_types is not None:
                keys = " or ".join(sorted(question.event_types))
                edges.append(_edge(_EVENT_TYPE_NODE, question.id, f"event type is {keys}"))
            for reveal in question.reveals:
                option = labels[question.id].get(reveal.opened_by, reveal.opened_by)
                edges.append(_edge(question.id, reveal.id, f"{reveal.opened_by} ({option})", "style=dashed"))
        for before, after in zip(section.questions, section.questions[1:], strict=False):
            edges.append(_edge(before.id, after.id, None, "color=gray70, arrowsize=0.5"))
    return "\n".join([*lines, *edges, "}", ""])


def _graph_name(question_set: QuestionSet) -> str:
    prefix = "questionnaire" if question_set.name == RECORDER else question_set.name
    return f"{prefix}_v{question_set.version}"


def _cluster(section: Section) -> list[str]:
    title = section.title.render(None)
    if section.event_types is not None:
        title += "\n(" + ", ".join(sorted(section.event_types)) + ")"
    if section.repeat:
        title += f"\nrepeated: up to {section.repeat.max_items} {section.repeat.item_label.lower()}s"
    lines = [f"  subgraph {_quote('cluster_' + section.id)} {{", f"    label={_quote(title)};"]
    if section.placeholder:
        lines.append(f"    {_quote(_placeholder(section))} [shape=note, label={_quote(title)}];")
    for question in section.questions:
        flags = " (optional)" if question.optional else ""
        flags += " [free text]" if question.free_text else ""
        label = f"{question.id}{flags}\n{_short(question.text.render(None), 60)}"
        lines.append(f"    {_quote(question.id)} [label={_quote(label)}];")
        for reveal in question.reveals:
            lines.append(
                f"    {_quote(reveal.id)} [style=dashed, label={_quote(reveal.id + ' [free text]')}];"
            )
    lines.append("  }")
    return lines


def _section_edges(section: Section, labels) -> list[str]:
    target = _placeholder(section) if section.placeholder else section.questions[0].id
    cluster = None if section.placeholder else "cluster_" + section.id
    edges = []
    if section.event_types is not None:
        keys = " or ".join(sorted(section.event_types))
        edges.append(_edge(_EVENT_TYPE_NODE, target, f"event type is {keys}", _lhead(cluster)))
    if section.when:
        edges += _condition_edges(section.when, target, labels, cluster)
    return edges


def _condition_edges(condition: Condition, target: str, labels, cluster: str | None) -> list[str]:
    text = condition.describe(labels)
    sources = [qid for qid, _ in condition.references()]
    for atom in condition.atoms():
        if isinstance(atom, EventTypeIs):
            sources.append(_EVENT_TYPE_NODE)
        elif isinstance(atom, Anonymous):
            sources.append(_ANONYMOUS_NODE)
    return [_edge(source, target, text, _lhead(cluster)) for source in dict.fromkeys(sources)]


def _edge(source: str, target: str, label: str | None, extra: str | None = None) -> str:
    attributes = [f"label={_quote(label)}"] if label else []
    if extra:
        attributes.append(extra)
    suffix = f" [{', '.join(attributes)}]" if attributes else ""
    return f"  {_quote(source)} -> {_quote(target)}{suffix};"


def _lhead(cluster: str | None) -> str | None:
    return f"lhead={_quote(cluster)}" if cluster else None


def _placeholder(section: Section) -> str:
    return f"section:{section.id}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
