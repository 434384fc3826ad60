"""Read a question set document (YAML) into a checked, immutable `QuestionSet`.

Shipped versions live in `versions/`: the recorder's question set as `v<N>.yaml` (long code lists in
`versions/v<N>/codes/`), any other question set as `<name>-v<N>.yaml` (the statutory and national
policy requirements: `statutory-v1.yaml`). `load_question_set` refuses a document with any problem
(shape here, cross-references, reachability and cycles in `checks.py`) and lists every problem it
found.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .conditions import ConditionError, parse_condition
from .model import (
    CHOICE_KINDS,
    ESCAPE_KINDS,
    QUESTION_SETS_SHIPPED,
    RECORDER,
    EventType,
    Kind,
    Option,
    Question,
    QuestionSet,
    Repeat,
    Section,
    Wording,
)

VERSIONS_DIR = Path(__file__).parent / "versions"
EVENT_TYPES_LIST = "event-types"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_SECTION_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_TEXT_KINDS = frozenset({Kind.TEXT})
_QUESTION_KEYS = frozenset(
    {
        "id", "kind", "text", "short", "hint", "name", "error", "optional", "required_for", "event_types",
        "when", "options", "code_list", "exclusive", "reveals", "free_text", "multiline", "max_length",
        "past_only", "minimum", "maximum", "question_code", "tags",
    }
)  # fmt: skip
_REVEAL_KEYS = frozenset(
    {"option", "id", "text", "hint", "name", "error", "optional", "free_text", "max_length"}
)
_SECTION_KEYS = frozenset(
    {"id", "title", "questions", "event_types", "when", "task_list", "placeholder", "repeat"}
)


class QuestionSetError(ValueError):
    """A document that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, version: str, problems: list[str]):
        self.version = version
        self.problems = problems
        super().__init__(f"question set {version}: " + "; ".join(problems))


def _file_prefix(name: str) -> str:
    return "v" if name == RECORDER else f"{name}-v"


@functools.cache
def available_versions(name: str = RECORDER) -> tuple[str, ...]:
    """Versions of a question set shipped with the service, oldest first ("5", ...).

    Cached: the documents ship with the service and do not change while it runs (a directory listing
    on every question page cost more than the page's own logic)."""
    prefix = _file_prefix(name)
    found = (path.stem[len(prefix) :] for path in VERSIONS_DIR.glob(f"{prefix}*.yaml"))
    return tuple(sorted((v for v in found if v.isdecimal()), key=int))


def latest_version(name: str = RECORDER) -> str:
    """The version new records of the online form use: the latest one, unless its document says
    `online_form: false` (a version accepted over the API only, such as taxonomy version 6)."""
    for version in reversed(available_versions(name)):
        if _document(name, version).get("online_form", True):
            return version
    return available_versions(name)[-1]


def derived_versions(version: str, name: str = RECORDER) -> tuple[str, ...]:
    """A version and every shipped version derived from it (`derived_from`), oldest first: records of
    these share their codes, so they are exported and counted together ("5" -> ("5", "6"))."""
    found = [str(version)]
    for candidate in available_versions(name):
        raw = _raw_document(VERSIONS_DIR, _file_prefix(name), candidate)
        if candidate not in found and str(raw.get("derived_from")) in found:
            found.append(candidate)
    return tuple(found)


def base_version(version: str, name: str = RECORDER) -> str:
    """The version a derived version's records are exported with: its first ancestor ("6" -> "5")."""
    version = str(version)
    if version not in available_versions(name):
        return version
    raw = _raw_document(VERSIONS_DIR, _file_prefix(name), version)
    return base_version(str(raw["derived_from"]), name) if "derived_from" in raw else version


@functools.cache
def _raw_document(directory: Path, prefix: str, version: str) -> Mapping[str, Any]:
    document = read_yaml(directory / f"{prefix}{version}.yaml")
    return document if isinstance(document, Mapping) else {}


def _document(name: str, version: str) -> Mapping[str, Any]:
    """The document of a shipped version, a derived one completed from its base (derive.py)."""
    return _document_in(VERSIONS_DIR, _file_prefix(name), version)


@functools.cache
def _document_in(directory: Path, prefix: str, version: str) -> Mapping[str, Any]:
    from .derive import DerivationError, derive

    document = _raw_document(directory, prefix, version)
    if "derived_from" in document:
        try:
            document = derive(document, lambda base: read_yaml(directory / f"{prefix}{base}.yaml"))
        except DerivationError as error:
            raise QuestionSetError(version, [str(error)]) from error
    return document


def shipped_question_sets() -> tuple[tuple[str, str], ...]:
    """(name, version) of every document shipped, for the checks that walk them all."""
    return tuple((name, version) for name in QUESTION_SETS_SHIPPED for version in available_versions(name))


@functools.cache
def load_question_set(version: str, name: str = RECORDER) -> QuestionSet:
    """The checked version of a question set (cached: it is immutable); the recorder's by default."""
    version = str(version)
    if version not in available_versions(name):
        shipped = ", ".join(available_versions(name))
        raise LookupError(f"no {name} question set version {version!r}; shipped: {shipped}")
    path = VERSIONS_DIR / f"{_file_prefix(name)}{version}.yaml"
    question_set = parse_question_set(copy.deepcopy(_document(name, version)), base_dir=VERSIONS_DIR)
    if question_set.name != name:
        raise QuestionSetError(version, [f"{path.name} declares the question set {question_set.name!r}"])
    return question_set


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely, with the C parser when PyYAML has it (ten times faster)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader)


def parse_question_set(document: Any, *, base_dir: Path | None = None) -> QuestionSet:
    """Build a question set from a parsed document; raises QuestionSetError listing every problem."""
    from .checks import structural_problems

    parser = _Parser(base_dir)
    question_set = parser.parse(document)
    problems = parser.problems or structural_problems(question_set)
    if problems:
        raise QuestionSetError(question_set.version, problems)
    return question_set


class _Parser:
    def __init__(self, base_dir: Path | None):
        self.base_dir = base_dir
        self.problems: list[str] = []
        self.event_type_keys: frozenset[str] = frozenset()
        self.code_lists: dict[str, tuple[Option, ...]] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def parse(self, document: Any) -> QuestionSet:
        if not isinstance(document, Mapping):
            self.problem("document", "must be a mapping")
            document = {}
        if document.get("schema") != 1:
            self.problem("document", "schema must be 1")
        version = str(document.get("version") or "?")
        event_types = self.parse_event_types(document.get("event_types"))
        self.event_type_keys = frozenset(et.key for et in event_types)
        self.code_lists[EVENT_TYPES_LIST] = tuple(Option(et.code, et.label, et.hint) for et in event_types)
        for name, raw in (document.get("code_lists") or {}).items():
            self.code_lists[name] = self.parse_options(raw, f"code list {name}")
        raw_sections = document.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.problem("document", "needs a list of sections")
            raw_sections = []
        sections = tuple(self.parse_section(raw) for raw in raw_sections if isinstance(raw, Mapping))
        self.check_unique_ids(sections)
        wording = document.get("wording") or {}
        return QuestionSet(
            version=version,
            title=str(document.get("title") or ""),
            event_types=event_types,
            sections=sections,
            code_lists=MappingProxyType(self.code_lists),
            wording=MappingProxyType({str(k): str(v) for k, v in wording.items()}),
            system_fields=tuple(document.get("system_fields") or ()),
            name=str(document.get("name") or RECORDER),
        )

    def parse_event_types(self, raw: Any) -> tuple[EventType, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem("event_types", "needs a list")
            return ()
        parsed = []
        for item in raw:
            try:
                parsed.append(EventType(**{key: str(value).strip() for key, value in item.items()}))
            except TypeError as error:
                self.problem("event_types", f"{item!r}: {error}")
        for field in ("code", "key"):
            values = [getattr(et, field) for et in parsed]
            if len(values) != len(set(values)):
                self.problem("event_types", f"duplicate {field}")
        return tuple(parsed)

    def parse_options(self, raw: Any, where: str) -> tuple[Option, ...]:
        if isinstance(raw, Mapping) and set(raw) == {"file"}:
            if self.base_dir is None:
                self.problem(where, "code list files need a base directory")
                return ()
            raw = read_yaml(self.base_dir / raw["file"])
        if not isinstance(raw, list) or not raw:
            self.problem(where, "options must be a non-empty list")
            return ()
        options = []
        for item in raw:
            if isinstance(item, str) and "=" in item:
                code, label = item.split("=", 1)
                options.append(Option(code.strip(), label.strip()))
            elif isinstance(item, Mapping) and isinstance(item.get("code"), str) and item.get("label"):
                options.append(Option(item["code"], str(item["label"]), str(item.get("hint") or "")))
            else:
                self.problem(where, f"option {item!r} must be 'code=label' or {{code, label}}")
        codes = [option.code for option in options]
        if len(codes) != len(set(codes)):
            self.problem(where, "duplicate option codes")
        if any(not code for code in codes):
            self.problem(where, "empty option code")
        return tuple(options)

    def wording(self, raw: Any, where: str, *, required: bool = False) -> Wording | None:
        if raw is None:
            if required:
                self.problem(where, "missing text")
            return None
        if isinstance(raw, str):
            return Wording(raw.strip())
        if isinstance(raw, Mapping) and isinstance(raw.get("default"), str):
            overrides = {key: str(value).strip() for key, value in raw.items() if key != "default"}
            for key in set(overrides) - self.event_type_keys:
                self.problem(where, f"wording for unknown event type {key!r}")
            return Wording(raw["default"].strip(), MappingProxyType(overrides))
        self.problem(where, f"text must be a string or a mapping with a default, not {raw!r}")
        return None

    def event_types_of(self, raw: Any, where: str) -> frozenset[str] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or not raw:
            self.problem(where, "event_types must be a non-empty list")
            return None
        unknown = set(raw) - self.event_type_keys
        if unknown:
            self.problem(where, f"unknown event types {sorted(unknown)}")
        return frozenset(raw)

    def condition(self, raw: Any, where: str):
        if raw is None:
            return None
        try:
            return parse_condition(raw)
        except ConditionError as error:
            self.problem(where, str(error))
            return None

    def parse_section(self, raw: Mapping) -> Section:
        section_id = str(raw.get("id") or "?")
        where = f"section {section_id}"
        if not _SECTION_ID.match(section_id):
            self.problem(where, "id must be lower-case words joined by hyphens")
        for key in set(raw) - _SECTION_KEYS:
            self.problem(where, f"unknown key {key!r}")
        repeat = self.parse_repeat(raw.get("repeat"), where)
        group = repeat.group if repeat else None
        questions = tuple(
            self.parse_question(item, section_id, group)
            for item in raw.get("questions") or ()
            if isinstance(item, Mapping)
        )
        placeholder = bool(raw.get("placeholder", False))
        if placeholder and (questions or repeat):
            self.problem(where, "a placeholder section has no questions")
        if not placeholder and not questions:
            self.problem(where, "has no questions")
        if repeat:
            last = questions[-1] if questions else None
            if last is None or last.id != repeat.another:
                self.problem(
                    where, f"the last question must be {repeat.another!r}, which opens the next item"
                )
            elif last.kind != Kind.SINGLE_CHOICE or "y" not in last.codes:
                self.problem(where, f"{repeat.another!r} must be a single choice with a 'y' option")
        return Section(
            id=section_id,
            title=self.wording(raw.get("title"), where, required=True),
            questions=questions,
            event_types=self.event_types_of(raw.get("event_types"), where),
            when=self.condition(raw.get("when"), where),
            task_list=bool(raw.get("task_list", True)),
            placeholder=placeholder,
            repeat=repeat,
        )

    def parse_repeat(self, raw: Any, where: str) -> Repeat | None:
        if raw is None:
            return None
        try:
            repeat = Repeat(
                group=str(raw["group"]),
                max_items=int(raw["max_items"]),
                item_label=str(raw["item_label"]),
                another=str(raw["another"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            self.problem(where, f"repeat needs group, max_items, item_label and another ({error})")
            return None
        if repeat.max_items < 1:
            self.problem(where, "max_items must be at least 1")
        return repeat

    def parse_question(self, raw: Mapping, section_id: str, group: str | None) -> Question:
        question_id = str(raw.get("id") or "?")
        where = f"question {question_id}"
        for key in set(raw) - _QUESTION_KEYS:
            self.problem(where, f"unknown key {key!r}")
        try:
            kind = Kind(raw.get("kind"))
        except ValueError:
            self.problem(where, f"unknown kind {raw.get('kind')!r}")
            kind = Kind.TEXT
        options = self.question_options(raw, kind, where)
        codes = {option.code for option in options}
        exclusive = frozenset(str(code) for code in raw.get("exclusive") or ())
        if exclusive and kind != Kind.MULTIPLE_CHOICE:
            self.problem(where, "only multiple choice questions have exclusive options")
        if exclusive - codes:
            self.problem(where, f"exclusive codes {sorted(exclusive - codes)} are not options")
        question = Question(
            id=question_id,
            kind=kind,
            text=self.wording(raw.get("text"), where, required=True),
            section_id=section_id,
            short=self.wording(raw.get("short"), where),
            hint=self.wording(raw.get("hint"), where),
            name=self.wording(raw.get("name"), where),
            error=self.wording(raw.get("error"), where),
            optional=bool(raw.get("optional", False)),
            required_for=self.event_types_of(raw.get("required_for"), where) or frozenset(),
            event_types=self.event_types_of(raw.get("event_types"), where),
            when=self.condition(raw.get("when"), where),
            options=options,
            code_list=raw.get("code_list"),
            exclusive=exclusive,
            reveals=tuple(
                self.parse_reveal(item, question_id, section_id, group, codes)
                for item in raw.get("reveals") or ()
            ),
            group=group,
            free_text=bool(raw.get("free_text", False)),
            multiline=bool(raw.get("multiline", False)),
            max_length=raw.get("max_length"),
            past_only=bool(raw.get("past_only", False)),
            minimum=raw.get("minimum"),
            maximum=raw.get("maximum"),
            question_code=raw.get("question_code"),
            tags=frozenset(raw.get("tags") or ()),
        )
        self.check_question(question, where)
        return question

    def question_options(self, raw: Mapping, kind: Kind, where: str) -> tuple[Option, ...]:
        if raw.get("code_list") and raw.get("options"):
            self.problem(where, "give options or a code_list, not both")
        if raw.get("code_list"):
            if raw["code_list"] not in self.code_lists:
                self.problem(where, f"unknown code list {raw['code_list']!r}")
                return ()
            return self.code_lists[raw["code_list"]]
        if raw.get("options") is None:
            if kind in CHOICE_KINDS:
                self.problem(where, "a choice question needs options")
            return ()
        if kind not in CHOICE_KINDS | ESCAPE_KINDS:
            self.problem(where, f"a {kind} question has no options")
        return self.parse_options(raw["options"], where)

    def parse_reveal(
        self, raw: Any, parent_id: str, section_id: str, group: str | None, codes: set[str]
    ) -> Question:
        where = f"question {parent_id} reveal"
        if not isinstance(raw, Mapping):
            self.problem(where, f"must be a mapping, not {raw!r}")
            raw = {}
        for key in set(raw) - _REVEAL_KEYS:
            self.problem(where, f"unknown key {key!r}")
        option = raw.get("option")
        if option not in codes:
            self.problem(where, f"opens on {option!r}, which is not an option")
        reveal = Question(
            id=str(raw.get("id") or "?"),
            kind=Kind.TEXT,
            text=self.wording(raw.get("text"), where, required=True),
            section_id=section_id,
            hint=self.wording(raw.get("hint"), where),
            name=self.wording(raw.get("name"), where),
            error=self.wording(raw.get("error"), where),
            optional=bool(raw.get("optional", False)),
            reveal_of=parent_id,
            opened_by=str(option),
            group=group,
            free_text=bool(raw.get("free_text", False)),
            max_length=raw.get("max_length"),
        )
        self.check_question(reveal, f"reveal {reveal.id}")
        return reveal

    def check_question(self, question: Question, where: str) -> None:
        if not _ID.match(question.id):
            self.problem(where, "id must be a taxonomy-style property name")
        if not question.optional and question.error is None:
            self.problem(where, "a required question needs an error message")
        if question.kind in _TEXT_KINDS and not (
            isinstance(question.max_length, int) and question.max_length > 0
        ):
            self.problem(where, "a text question needs a max_length")
        if question.kind not in _TEXT_KINDS and (question.free_text or question.max_length):
            self.problem(where, "only text questions are free text or have a max_length")
        if question.past_only and question.kind not in (Kind.DATE, Kind.MONTH_YEAR):
            self.problem(where, "only dates can be past_only")
        if question.required_for and not question.optional:
            self.problem(where, "required_for only applies to optional questions")
        if (question.minimum is not None or question.maximum is not None) and question.kind != Kind.NUMBER:
            self.problem(where, "only numbers have a minimum or maximum")

    def check_unique_ids(self, sections: tuple[Section, ...]) -> None:
        seen: set[str] = set()
        for section in sections:
            group = section.repeat.group if section.repeat and section.repeat.group != section.id else None
            for name in (section.id, group):
                if name in seen:
                    self.problem(f"section {section.id}", f"id {name!r} is used twice")
                if name:
                    seen.add(name)
            for question in section.questions:
                for item in (question, *question.reveals):
                    if item.id in seen:
                        self.problem(f"question {item.id}", "id is used twice")
                    seen.add(item.id)
