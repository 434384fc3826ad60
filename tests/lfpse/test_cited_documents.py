"""Every document a comment, docstring, question set or ADR cites is in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("*.py", "*.yaml", "*.md", "*.html")
SKIP = {".venv", "node_modules", "var", ".git", "static"}
CITED_PATH = re.compile(r"\b((?:docs|fixtures)/[\w./-]+?\.(?:md|csv|json|jsonl|yaml))\b")
BARE_SPEC = re.compile(r"(?<![/\w])(?:PRODUCT|ARCHITECTURE|taxonomy)\.md")


def project_files():
    """Our own files: the spec copied into docs/spec/ cites documents of its own authors."""
    for pattern in SOURCES:
        for path in ROOT.rglob(pattern):
            parts = set(path.relative_to(ROOT).parts)
            if not parts & SKIP and path.parent != ROOT / "docs" / "spec":
                yield path


def test_every_cited_document_exists():
    missing = {
        f"{path.relative_to(ROOT)}: {cited}"
        for path in project_files()
        for cited in CITED_PATH.findall(path.read_text(encoding="utf-8", errors="replace"))
        if "*" not in cited and not (ROOT / cited).exists()
    }
    assert missing == set()


def test_the_spec_is_cited_by_its_place_in_the_repository():
    bare = {
        f"{path.relative_to(ROOT)}: {match}"
        for path in project_files()
        for match in BARE_SPEC.findall(path.read_text(encoding="utf-8", errors="replace"))
    }
    assert bare == set()
