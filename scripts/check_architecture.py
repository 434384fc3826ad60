#!/usr/bin/env python3
"""Checks that the code keeps the shape docs/adr/0013 describes, by reading it with `ast` (no imports,
no Django): each offence is printed as file:line, and the exit status is 1 if there is one.

Rules:
  lifecycle  `EventRevision` rows are created, saved, updated or deleted, and an event's `status` is
             assigned, only in events/lifecycle.py (migrations, tests and bench/ are exempt).
  imports    `events` imports no `anonymisation` module other than `anonymisation.pipeline`: redaction
             is a library to events, and the QA screen depends on events, never the other way round.
  responses  a PSIRF response's `status` is written only in events/responses/lifecycle.py (assigned on
             a name that says it is a response, `Response(status=...)`, or
             `Response.objects...update(status=...)`), and audit entries (`ResponseAuditEntry`) are
             created only there (docs/adr/0021).
  views      view modules (`*/views*.py`, `*_views.py`, `*/views/*.py`) never use `<Model>.objects` or
             `get_object_or_404(<Model>, ...)`: they ask a
             selector or a service.

`make lint` and tests/scripts/test_check_architecture.py run the rules in ENFORCED (all of them); a
new rule the code does not yet keep can wait outside it, and `--all` runs every rule anyway.

Usage: check_architecture.py [--all | --rule NAME ...] [ROOT]
"""

from __future__ import annotations

import argparse
import ast
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

RULES = ("lifecycle", "imports", "views", "responses")
ENFORCED = {"lifecycle", "imports", "views", "responses"}

APPS = ("accounts", "anonymisation", "events", "lfpse", "organisations")
LIFECYCLE = Path("events/lifecycle.py")
RESPONSE_LIFECYCLE = Path("events/responses/lifecycle.py")
RESPONSE_MODEL, RESPONSE_AUDIT_MODEL = "Response", "ResponseAuditEntry"
EXEMPT_PARTS = {"migrations", "tests", "bench"}
REVISION_MODEL = "EventRevision"
EVENT_MODEL = "Event"
# Queryset and manager methods that write rows.
WRITES = {"create", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "update", "delete"}
ALLOWED_FROM_ANONYMISATION = "anonymisation.pipeline"
# Django shortcuts that query a model when given the model itself (a queryset from a selector is fine).
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


@dataclass(frozen=True, order=True)
class Offence:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


def python_files(root: Path) -> Iterator[Path]:
    for app in APPS:
        yield from sorted((root / app).rglob("*.py"))


def check(root: Path, rules: set[str]) -> list[Offence]:
    offences: list[Offence] = []
    for path in python_files(root):
        relative = path.relative_to(root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        if "lifecycle" in rules and relative != LIFECYCLE and not EXEMPT_PARTS & set(relative.parts):
            offences += lifecycle_offences(tree, relative)
        if "imports" in rules and relative.parts[0] == "events":
            offences += import_offences(tree, relative)
        if "responses" in rules and relative != RESPONSE_LIFECYCLE and not EXEMPT_PARTS & set(relative.parts):
            offences += response_offences(tree, relative)
        if "views" in rules and is_view_module(relative):
            offences += view_offences(tree, relative)
    return sorted(offences)


# -- lifecycle -----------------------------------------------------------------------------------------
def lifecycle_offences(tree: ast.AST, path: Path) -> Iterator[Offence]:
    def offence(node: ast.AST, message: str) -> Offence:
        return Offence(str(path), node.lineno, "lifecycle", f"{message} outside {LIFECYCLE}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == REVISION_MODEL:
                yield offence(node, "EventRevision(...) built")
            elif isinstance(func, ast.Name) and func.id == EVENT_MODEL and _has_keyword(node, "status"):
                yield offence(node, "Event(status=...) built")
            elif isinstance(func, ast.Attribute) and func.attr in WRITES:
                chain = _chain(func.value)
                if _names_manager(chain, REVISION_MODEL) or "revisions" in chain:
                    yield offence(node, f"EventRevision rows written with .{func.attr}()")
                elif _names_manager(chain, EVENT_MODEL) and _has_keyword(node, "status"):
                    yield offence(node, f"Event status written with .{func.attr}(status=...)")
            elif isinstance(func, ast.Attribute) and func.attr == "save" and _is_revision(func.value):
                yield offence(node, "a revision saved")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in _flatten(targets):
                if isinstance(target, ast.Attribute) and target.attr == "status" and _is_event(target.value):
                    yield offence(node, "an event's status assigned")


def _chain(node: ast.AST) -> list[str]:
    """The names along `a.b.c().d`, innermost first: ["a", "b", "c", "d"]."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            break
        else:
            break
    return names[::-1]


def _names_manager(chain: list[str], model: str) -> bool:
    return any(a == model and b == "objects" for a, b in itertools.pairwise(chain))


def _has_keyword(call: ast.Call, name: str) -> bool:
    return any(keyword.arg == name for keyword in call.keywords)


def _flatten(targets: list[ast.expr]) -> Iterator[ast.expr]:
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            yield from _flatten(list(target.elts))
        else:
            yield target


def _last_name(node: ast.AST) -> str:
    chain = _chain(node)
    return chain[-1].lower() if chain else ""


def _is_event(node: ast.AST) -> bool:
    """`event.status`, `self.event.status`, `locked_event.status`: a name that says it is an event."""
    return "event" in _last_name(node)


def _is_revision(node: ast.AST) -> bool:
    return "revision" in _last_name(node)


# -- responses -----------------------------------------------------------------------------------------
def response_offences(tree: ast.AST, path: Path) -> Iterator[Offence]:
    def offence(node: ast.AST, message: str) -> Offence:
        return Offence(str(path), node.lineno, "responses", f"{message} outside {RESPONSE_LIFECYCLE}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == RESPONSE_MODEL and _has_keyword(node, "status"):
                yield offence(node, "Response(status=...) built")
            elif isinstance(func, ast.Name) and func.id == RESPONSE_AUDIT_MODEL:
                yield offence(node, "ResponseAuditEntry(...) built")
            elif isinstance(func, ast.Attribute) and func.attr in WRITES:
                chain = _chain(func.value)
                if _names_manager(chain, RESPONSE_MODEL) and _has_keyword(node, "status"):
                    yield offence(node, f"Response status written with .{func.attr}(status=...)")
                elif _names_manager(chain, RESPONSE_AUDIT_MODEL):
                    yield offence(node, f"audit entries written with .{func.attr}()")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in _flatten(targets):
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "status"
                    and "response" in _last_name(target.value)
                ):
                    yield offence(node, "a response's status assigned")


# -- imports -------------------------------------------------------------------------------------------
def import_offences(tree: ast.AST, path: Path) -> Iterator[Offence]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "anonymisation":
                modules = [f"anonymisation.{alias.name}" for alias in node.names]
            else:
                modules = [node.module]
        else:
            continue
        for module in modules:
            if _is_anonymisation(module) and not _is_pipeline(module):
                yield Offence(
                    str(path),
                    node.lineno,
                    "imports",
                    f"events imports {module}: only {ALLOWED_FROM_ANONYMISATION} is allowed",
                )


def _is_anonymisation(module: str) -> bool:
    return module == "anonymisation" or module.startswith("anonymisation.")


def _is_pipeline(module: str) -> bool:
    return module == ALLOWED_FROM_ANONYMISATION or module.startswith(f"{ALLOWED_FROM_ANONYMISATION}.")


# -- views ---------------------------------------------------------------------------------------------
def is_view_module(path: Path) -> bool:
    """`views.py`, `views_*.py`, `*_views.py`, or any module in a `views/` package."""
    name = path.name
    in_package = len(path.parts) > 1 and path.parts[-2] == "views"
    return in_package or name.startswith("views") or name.endswith("_views.py")


def view_offences(tree: ast.AST, path: Path) -> Iterator[Offence]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects" and _is_class_name(node.value):
            found = f"{node.value.id}.objects"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in SHORTCUTS
            and node.args
            and _is_class_name(node.args[0])
        ):
            found = f"{node.func.id}({node.args[0].id}, ...)"
        else:
            continue
        yield Offence(str(path), node.lineno, "views", f"{found} in a view: ask a selector or a service")


def _is_class_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id[:1].isupper()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=Path(__file__).resolve().parents[1], type=Path)
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--all", action="store_true", help="run every rule, enforced or not")
    choice.add_argument("--rule", action="append", choices=RULES, help="run this rule (repeatable)")
    args = parser.parse_args(argv)
    rules = set(RULES) if args.all else set(args.rule or ENFORCED)
    offences = check(args.root, rules)
    for offence in offences:
        print(offence)
    if offences:
        print(f"{len(offences)} offence(s) against: {', '.join(sorted(rules))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
